"""`ilcs improve`: exit 0 with the figures, exit 2 with every problem named."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ilcs.cli import main

FLOW = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]


def _csv(tmp_path: Path, text: str, name: str = "weekly.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_xmr_chart_prints_the_nist_limits_and_saves_svg(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    rows = "\n".join(f"{i + 1},{v}" for i, v in enumerate(FLOW))
    path = _csv(tmp_path, f"batch,flow\n{rows}\n")
    svg = tmp_path / "chart.svg"
    assert main(["improve", "chart", str(path), "--kind", "xmr", "--value", "flow",
                 "--label", "batch", "--svg", str(svg)]) == 0
    out = capsys.readouterr().out
    # NIST/SEMATECH 6.3.2.2: centre 50.81, limits 45.8159 and 55.8041 (1 decimal place here)
    rows = [line.split() for line in out.splitlines()]
    assert ["1", "49.6", "50.8", "45.8", "55.8", "1"] in rows
    assert "No signal: only common-cause variation." in out
    ET.fromstring(svg.read_text(encoding="utf-8").split("\n", 1)[1])


def test_p_chart_shows_percentages_and_names_bad_cells(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, "week,within,measured\n06/01,8,10\n\n13/01,x,10\n20/01,12,10\n")
    assert main(["improve", "chart", str(path), "--kind", "p", "--value", "within",
                 "--total", "measured"]) == 2
    # the blank line is row 3 of the file, so the bad cells are on rows 4 and 5
    assert capsys.readouterr().err == (
        "ilcs improve: 1 problem found:\n  - weekly.csv, row 4, column 'within': 'x' is not a "
        "number\n")
    path = _csv(tmp_path, "week,within,measured\n06/01,8,10\n13/01,12,10\n")
    assert main(["improve", "chart", str(path), "--kind", "p", "--value", "within",
                 "--total", "measured"]) == 2
    assert "weekly.csv, row 3, column 'within': 12 is more than the total of 10" in \
        capsys.readouterr().err
    assert main(["improve", "chart", str(path), "--kind", "p", "--value", "within"]) == 2
    assert "a p-chart needs --total" in capsys.readouterr().err
    assert main(["improve", "chart", str(path), "--kind", "c", "--value", "nope"]) == 2
    assert "there is no column 'nope'; the columns are week, within, measured" in \
        capsys.readouterr().err


def test_pareto_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path, "cause\nDelay\nDelay\nDelay\nRude\nLost form\n", "problems.csv")
    assert main(["improve", "pareto", str(path), "--column", "cause"]) == 0
    out = capsys.readouterr().out
    # 3 of 5 = 60 %, then 80 %: Delay and Lost form (name order breaks the tie) reach 80 %
    assert "The vital few (reaching 80 %): Delay, Lost form" in out


def test_team_command_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["improve", "team", "--team", "Finance Operations", "--change", "01/07/2025"]) == 0
    out = capsys.readouterr().out
    assert "Finance Operations: First response: % within target, week by week" in out
    assert "The share of Finance Operations requests within target rose from" in out
    assert "This is very unlikely to be chance" in out
    assert main(["improve", "team", "--team", "Nobody"]) == 2
    assert "no finished requests of 'Nobody'" in capsys.readouterr().err


def test_record_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ilcs.improvement.record import ImprovementRecord

    path = ImprovementRecord("").save(tmp_path / "rec.json")
    assert main(["improve", "record", str(path)]) == 2
    assert "rec.json, column 'title': give the improvement a title" in capsys.readouterr().err
    assert main(["improve", "record", str(tmp_path / "none.json")]) == 2
    assert "none.json: file not found" in capsys.readouterr().err


def test_chart_is_saved_as_png_or_svg_by_the_name_of_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support import png_reader

    path = _csv(tmp_path, "cause\nDelay\nDelay\nDelay\nRude\nLost form\n", "problems.csv")
    png = tmp_path / "pareto.png"
    assert main(["improve", "pareto", str(path), "--column", "cause", "--out", str(png)]) == 0
    assert f"Saved the chart to {png}" in capsys.readouterr().out
    assert png_reader.size(png.read_bytes()) == (1760, 800)  # the 880 x 400 chart, twice
    assert main(["improve", "pareto", str(path), "--column", "cause", "--out",
                 str(tmp_path / "pareto.gif")]) == 2
    assert "pareto.gif: a chart can be saved as .svg or .png" in capsys.readouterr().err
    assert not (tmp_path / "pareto.gif").exists()
