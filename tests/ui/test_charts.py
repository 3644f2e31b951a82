"""The inline SVG line chart: readable without colour, gaps for missing values, escaped text."""

import math
import re
import xml.etree.ElementTree as ET

import pytest

from ilcs.ui.charts import line_chart_svg

NS = "{http://www.w3.org/2000/svg}"


def chart(**kw):
    args = dict(title="Share met", y_label="% within target", x_label="Month")
    args.update(kw)
    return line_chart_svg(["01/25", "02/25", "03/25", "04/25"],
                          {"A & B": [90.0, 80.0, math.nan, 70.0], "C": [50.0, None, 60.0, 65.0]},
                          **args)


def test_chart_is_well_formed_svg_with_title_and_description():
    root = ET.fromstring(chart())
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Share met"
    assert "A & B" in root.find(f"{NS}desc").text


def test_missing_values_break_the_line_and_get_no_marker():
    root = ET.fromstring(chart())
    lines = root.findall(f"{NS}polyline")
    # "A & B": points 1-2 joined, 4 alone (no line); "C": 3-4 joined, 1 alone.
    assert len(lines) == 2
    assert [len(pl.get("points").split()) for pl in lines] == [2, 2]


def test_each_series_differs_by_dash_and_marker_not_only_colour():
    svg = chart()
    root = ET.fromstring(svg)
    dashes = {pl.get("stroke-dasharray") for pl in root.findall(f"{NS}polyline")}
    assert len(dashes) == 2
    assert root.findall(f"{NS}circle") and root.findall(f"{NS}rect")[1:]  # circle vs square
    assert ">A &amp; B</text>" in svg and ">C</text>" in svg


def test_values_map_onto_the_axis_scale():
    svg = line_chart_svg(["x"], {"s": [100.0]}, title="t", y_label="y", x_label="x")
    root = ET.fromstring(svg)
    grid = [float(t.get("y1")) for t in root.findall(f"{NS}line") if t.get("x1") != t.get("x2")]
    circle_y = float(root.find(f"{NS}circle").get("cy"))
    assert math.isclose(circle_y, min(grid), abs_tol=0.1)  # 100% sits on the top grid line
    assert re.search(r">100</text>", svg) and re.search(r">0</text>", svg)


def test_bar_chart_states_every_value_and_marks_highlights_without_colour():
    from ilcs.ui.charts import bar_chart_svg

    svg = bar_chart_svg(["A", "B", "C"], [4.0, None, 2.0], title="T", x_label="X", x_max=5,
                        value_texts=["4.0", "fewer than 5", "2.0"],
                        highlight=[False, False, True])
    ET.fromstring(svg)
    assert "fewer than 5" in svg and "2.0 ◀" in svg and "4.0 ◀" not in svg
    assert svg.count("<rect x=") == 2  # no bar for the missing value
    # A 4 of 5 bar is twice as long as a 2 of 5 bar.
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_grid_chart_writes_every_cell():
    from ilcs.ui.charts import grid_chart_svg

    svg = grid_chart_svg(["IT", "HR"], ["Ops", "Fin"], [[10, 0], [None, 5]], title="T",
                         row_title="Team", col_title="Department",
                         cell_texts=[["10", "none"], ["none", "5"]])
    ET.fromstring(svg)
    assert svg.count(">none<") == 2 and ">10<" in svg and ">5<" in svg
