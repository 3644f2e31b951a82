"""Data tasks of 6.3: each answer recomputed here the slow way, straight from the files or
the SLA engine's per-request rows, with plain Python."""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest

from ilcs.assessment.data_tasks import compute
from ilcs.errors import DataError
from ilcs.improvement.tasks import sample_report
from ilcs.paths import sample_dir

FINANCE = "Finance Operations"


@pytest.fixture(scope="module")
def measured() -> list[dict]:
    return sample_report(sample_dir()).measured.to_dict("records")


def _rows(measured: list[dict], team: str, measure: str) -> list[dict]:
    return [r for r in measured if r["provider_team"] == team and r["measure"] == measure
            and r["status"] in ("met", "breached")]


def test_top_cause_share_counts_the_complaints_file() -> None:
    with open(sample_dir() / "complaints.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = Counter(row["category"] for row in rows)
    assert compute("improvement_top_cause_share", {}) == pytest.approx(
        100 * max(counts.values()) / sum(counts.values()))
    it = Counter(row["category"] for row in rows if row["about_team"] == "IT Service Desk")
    assert compute("improvement_top_cause_share", {"team": "IT Service Desk"}) == pytest.approx(
        100 * max(it.values()) / sum(it.values()))


def test_late_share_by_channel(measured: list[dict]) -> None:
    with open(sample_dir() / "requests.csv", encoding="utf-8", newline="") as fh:
        channel = {row["request_id"]: row["channel"] for row in csv.DictReader(fh)}
    late = [channel[r["request_id"]] for r in _rows(measured, FINANCE, "first_response")
            if r["status"] == "breached" and r["received_at"] < datetime(2025, 7, 1)]
    expected = 100 * late.count("email") / len(late)
    assert compute("improvement_late_share", {"team": FINANCE, "measure": "first_response_within",
                                              "value": "email", "before": "01/07/2025"}) == \
        pytest.approx(expected)


def test_median_and_within_change_around_the_change(measured: list[dict]) -> None:
    rows = _rows(measured, FINANCE, "first_response")
    cut = datetime(2025, 7, 1)
    before = [r for r in rows if r["received_at"] < cut]
    after = [r for r in rows if r["received_at"] >= cut]
    params = {"team": FINANCE, "measure": "first_response_hours", "change_on": "01/07/2025"}
    assert compute("improvement_median_hours", {**params, "period": "before"}) == pytest.approx(
        statistics.median(r["working_hours"] for r in before))
    assert compute("improvement_median_hours", {**params, "period": "after"}) == pytest.approx(
        statistics.median(r["working_hours"] for r in after))

    def share(group: list[dict]) -> float:
        return 100 * sum(r["status"] == "met" for r in group) / len(group)

    assert compute("improvement_within_change", {**params, "measure": "first_response_within"}
                   ) == pytest.approx(share(after) - share(before))


def test_the_outage_week_is_beyond_the_limits_by_hand(measured: list[dict]) -> None:
    weeks: dict[date, list[float]] = defaultdict(list)
    for r in _rows(measured, "HR Advisory", "first_response"):
        day = r["received_at"].date()
        weeks[day - timedelta(days=day.weekday())].append(r["working_hours"])
    medians = [statistics.median(v) for _, v in sorted(weeks.items()) if len(v) >= 5]
    mean = sum(medians) / len(medians)
    mr = sum(abs(b - a) for a, b in zip(medians, medians[1:])) / (len(medians) - 1)
    outage = statistics.median(weeks[date(2025, 11, 10)])
    assert outage > mean + 2.66 * mr
    assert compute("improvement_signal_week", {
        "team": "HR Advisory", "measure": "first_response_hours",
        "choices": {"a": "03/11", "b": "10/11", "c": "17/11", "d": "24/11"}}) == "b"
    assert compute("improvement_centre_line", {"team": "HR Advisory",
                                               "measure": "first_response_hours"}) == \
        pytest.approx(mean)


def test_a_question_offering_no_signal_week_is_refused() -> None:
    with pytest.raises(DataError, match="0 of the weeks offered are beyond the limits"):
        compute("improvement_signal_week", {"team": "HR Advisory",
                                            "measure": "first_response_hours",
                                            "choices": {"a": "03/11", "b": "17/11"}})
