"""The story planted in the sample data is found by the tools, and is not there without it.

The generator (ilcs/datagen/requests.py, datasets/README.md) plants Finance Operations' automatic
acknowledgement from Tuesday 1 July 2025 (first responses to portal and email requests take
about a third as long) and one special-cause event: the HR system offline 10-14 November 2025
(HR Advisory's first responses that week take about four times as long). `story=False`
generates the same organisation without them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ilcs.datagen import generate_to
from ilcs.improvement.compare import compare_proportions, compare_values
from ilcs.improvement.control import run_chart
from ilcs.improvement.measures import before_after, weekly_chart, within_counts
from ilcs.io import load
from ilcs.standards import SlaReport, sla_report

FINANCE, HR = "Finance Operations", "HR Advisory"


def _report(folder: Path) -> SlaReport:
    return sla_report(load(folder / "requests.csv", "requests"),
                      load(folder / "standards.csv", "standards"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, SlaReport]:
    out = {}
    for story in (True, False):
        folder = tmp_path_factory.mktemp(f"story-{story}")
        generate_to(folder, story=story)
        out[story] = _report(folder)
    return out


def _week_index(labels: list[str], label: str) -> int:
    return labels.index(label)


def test_the_automatic_acknowledgement_shows_as_a_shift(reports: dict[bool, SlaReport]) -> None:
    _, hours = weekly_chart(reports[True], FINANCE, "first_response_hours")
    july = _week_index(hours.labels, "30/06")  # the week of Tuesday 1 July
    shifts = [s for s in hours.signals if s.rule == "shift" and s.direction == "down"]
    assert shifts and shifts[0].first == july
    _, within = weekly_chart(reports[True], FINANCE, "first_response_within")
    ups = [s for s in within.signals if s.rule == "shift" and s.direction == "up"]
    assert ups and all(s.first > july for s in ups)
    assert not any(s.first < july and s.direction == "up" for s in within.signals)


def test_the_hr_system_outage_is_a_point_beyond_the_limits(reports: dict[bool, SlaReport]) -> None:
    for measure, direction in (("first_response_hours", "up"), ("first_response_within", "down")):
        _, chart = weekly_chart(reports[True], HR, measure)
        outage = _week_index(chart.labels, "10/11")
        assert any(s.rule == "beyond the limits" and s.first == outage
                   and s.direction == direction for s in chart.signals), measure


def test_before_and_after_finds_a_real_improvement(reports: dict[bool, SlaReport]) -> None:
    before, after = before_after(reports[True], FINANCE, "first_response_hours", "01/07/2025")
    times = compare_values(before, after)
    assert times.certain and times.better and times.after < times.before / 2
    share = compare_proportions(*within_counts(reports[True], FINANCE, "first_response_within",
                                               "01/07/2025"))
    assert share.certain and share.better


def test_without_the_story_there_is_nothing_to_find(reports: dict[bool, SlaReport]) -> None:
    for team in (FINANCE, HR):
        _, within = weekly_chart(reports[False], team, "first_response_within")
        assert within.signals == [], (team, within.describe())
        _, hours = weekly_chart(reports[False], team, "first_response_hours")
        # Weekly medians of skewed times put the odd week just above the upper limit by
        # chance (in both data sets); there is no shift, no trend and nothing in the outage week.
        assert not hours.has_signal("shift") and not hours.has_signal("trend"), team
        assert not any(s.first == hours.labels.index("10/11") for s in hours.signals)
    before, after = before_after(reports[False], FINANCE, "first_response_hours", "01/07/2025")
    assert not compare_values(before, after).certain
    share = compare_proportions(*within_counts(reports[False], FINANCE, "first_response_within",
                                               "01/07/2025"))
    assert not share.certain


def test_the_anhoj_run_chart_rules_agree(reports: dict[bool, SlaReport]) -> None:
    _, with_story = weekly_chart(reports[True], FINANCE, "first_response_within")
    assert run_chart(with_story.values).long_run
    for team in (FINANCE, HR):
        _, plain = weekly_chart(reports[False], team, "first_response_within")
        assert not run_chart(plain.values).signal, team
