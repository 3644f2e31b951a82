"""Saving a chart as PNG (drawn offline by resvg) or SVG, by the file name's suffix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ilcs.errors import ExportError
from ilcs.ui import charts
from ilcs.ui.charts import PNG_SCALE, control_chart_svg, pareto_svg, save_chart, svg_to_png
from tests.support import png_reader


def _pareto() -> str:
    return pareto_svg(["Delay", "Wrong information", "Rude"], [10, 5, 1], [62.5, 93.75, 100.0],
                      [True, True, False], title="Complaints by category")


def test_png_is_a_valid_picture_of_the_chart_at_twice_its_size(tmp_path: Path) -> None:
    path = save_chart(_pareto(), tmp_path / "pareto.png")
    data = path.read_bytes()
    assert png_reader.size(data) == (880 * PNG_SCALE, 400 * PNG_SCALE)  # the viewBox, scaled
    colours = set(png_reader.pixels(svg_to_png(_pareto(), scale=1)))  # 1/4 of the pixels to read
    # white, the blue bars, the orange cut-off line, black text and their smoothed edges
    assert len(colours) > 20
    assert any(p[:3] == b"\x00\x72\xb2" for p in colours)  # the vital few's blue (#0072B2)


def test_png_text_is_drawn(tmp_path: Path) -> None:
    """The same chart with a longer title has more dark pixels: its text is really drawn."""
    def dark(title: str) -> int:
        svg = control_chart_svg(["a", "b"], [1.0, 2.0], [1.5] * 2, [3.0] * 2, [0.0] * 2,
                                title=title, y_label="hours")
        return sum(1 for p in png_reader.pixels(svg_to_png(svg, scale=1)) if max(p[:3]) < 80)

    assert dark("A much longer title for the same chart") > dark("A") + 200


def test_svg_is_saved_as_before(tmp_path: Path) -> None:
    path = save_chart(_pareto(), tmp_path / "pareto.SVG")
    assert path.read_text(encoding="utf-8").startswith('<?xml version="1.0"')


def test_a_bad_suffix_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"pareto\.jpg: a chart can be saved as \.svg or \.png"):
        save_chart(_pareto(), tmp_path / "pareto.jpg")
    with pytest.raises(ExportError, match="no suffix"):
        save_chart(_pareto(), tmp_path / "pareto")
    assert list(tmp_path.iterdir()) == []


def test_png_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    path = tmp_path / "chart.png"
    path.write_bytes(b"the previous chart")

    def fails(svg: str, *, scale: int) -> bytes:
        raise ExportError("the chart could not be drawn as PNG (test)")

    monkeypatch.setattr(charts, "svg_to_png", fails)
    with pytest.raises(ExportError, match=r"chart\.png: the chart could not be drawn.*nothing"):
        save_chart(_pareto(), path)
    assert path.read_bytes() == b"the previous chart"
    monkeypatch.undo()
    save_chart(_pareto(), path)
    assert png_reader.size(path.read_bytes())[0] == 880 * PNG_SCALE
    assert sorted(os.listdir(tmp_path)) == ["chart.png"]  # no temporary file left behind


def test_no_font_is_a_clear_error_not_a_picture_without_words(monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    import resvg_py

    real = resvg_py.svg_to_bytes

    def without_fonts(**options: object) -> bytes:
        return real(**{**options, "skip_system_fonts": True})

    charts._fonts_found.cache_clear()
    monkeypatch.setattr(resvg_py, "svg_to_bytes", without_fonts)
    try:
        with pytest.raises(ExportError, match="no font was found.*fonts-dejavu-core"):
            svg_to_png(_pareto())
    finally:
        monkeypatch.undo()
        charts._fonts_found.cache_clear()
    assert png_reader.size(svg_to_png(_pareto(), scale=1)) == (880, 400)
