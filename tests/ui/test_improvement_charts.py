"""The improvement charts (control chart, Pareto, fishbone) as well-formed, accessible SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ilcs.ui.charts import control_chart_svg, fishbone_svg, pareto_svg, svg_file_text

NS = "{http://www.w3.org/2000/svg}"


def test_control_chart_marks_signals_with_their_own_shape() -> None:
    svg = control_chart_svg(["a", "b", "c"], [1.0, 2.0, 9.0], [2.0] * 3, [5.0] * 3, [0.0] * 3,
                            [2], title="Weekly <times>", y_label="hours")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find(f"{NS}title").text == "Weekly <times>"
    assert "1 points are part of a signal" in root.find(f"{NS}desc").text
    # two plain points as circles (plus the legend's), the signal as a diamond (plus legend's)
    assert len(root.findall(f"{NS}circle")) == 3
    diamonds = [p for p in root.findall(f"{NS}polygon") if p.get("fill") == "#CC79A7"]
    assert len(diamonds) == 2
    dashed = [p for p in root.findall(f"{NS}polyline") if p.get("stroke-dasharray")]
    assert len(dashed) == 2  # the two limits are dashed, the centre line is not
    assert "Signal" in svg and "Control limits" in svg


def test_pareto_chart_tells_vital_few_from_the_rest_without_colour() -> None:
    svg = pareto_svg(["Delay", "Attitude & tone"], [8, 2], [80.0, 100.0], [True, False],
                     title="Causes")
    root = ET.fromstring(svg)
    fills = [r.get("fill") for r in root.findall(f"{NS}rect") if r.get("stroke") == "#0072B2"]
    assert fills == ["#0072B2", "url(#hatch)"]
    assert "the vital few reaching 80 % are Delay" in root.find(f"{NS}desc").text
    assert "Attitude &amp; tone" in svg


def test_fishbone_names_every_category_and_cause_in_its_description() -> None:
    svg = fishbone_svg("Slow replies", {"People": ["No cover"], "Methods": [], "Machines": [],
                                        "Materials": [], "Measurement": [], "Environment": []})
    desc = ET.fromstring(svg).find(f"{NS}desc").text
    assert "People: No cover." in desc and "Methods: nothing noted." in desc


def test_a_chart_saves_as_a_stand_alone_svg_file() -> None:
    text = svg_file_text(pareto_svg(["a"], [1], [100.0], [True], title="t"))
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    ET.fromstring(text.split("\n", 1)[1])
