"""The accessible bar chart: title and description for screen readers, every value (or its
note) in text beside its bar, missing values drawing no bar."""

from __future__ import annotations

import re

import pytest

from ilcs.ui.charts import bar_chart_svg


def test_bars_carry_their_values_in_text() -> None:
    svg = bar_chart_svg(["Agree", "Disagree"], [60.0, 20.0], title="Overall",
                        x_label="% answering", x_max=100,
                        value_texts=["6 (60%)", "2 (20%)"])
    assert '>Overall</title>' in svg and 'role="img"' in svg
    assert "6 (60%)" in svg and "2 (20%)" in svg
    widths = [float(w) for w in re.findall(r'<rect x="\d+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 2 and widths[0] == pytest.approx(widths[1] * 3, rel=1e-3)  # 60 = 3 x 20


def test_a_suppressed_or_missing_value_draws_no_bar() -> None:
    svg = bar_chart_svg(["A", "B"], [None, float("nan")], title="Small group",
                        x_label="%", x_max=100,
                        value_texts=["fewer than 5", "fewer than 5"])
    assert len(re.findall(r'<rect x="\d+" y="[\d.]+" width=', svg)) == 0
    assert svg.count(">fewer than 5</text>") == 2  # beside each bar (the description repeats it)


def test_labels_are_escaped_and_values_clipped() -> None:
    svg = bar_chart_svg(["<b>"], [250.0], title="T & U", x_label="%", x_max=100)
    assert "&lt;b&gt;" in svg and "T &amp; U" in svg
    assert ">250.0<" in svg  # the text says the real value even when the bar is clipped
