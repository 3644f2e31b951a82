"""Weekly figures, late requests and complaint charts on small hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.improvement.measures import (
    before_after,
    complaints_per_100_requests,
    late_requests,
    monthly_complaints,
    week_of,
    weekly,
    weekly_chart,
    within_counts,
)


def _measured(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """(request_id, received_at, status, working_hours) of team T's first responses."""
    return pd.DataFrame({
        "request_id": [r[0] for r in rows],
        "provider_team": "T",
        "measure": "first_response",
        "received_at": pd.to_datetime([r[1] for r in rows]),
        "status": [r[2] for r in rows],
        "working_hours": [r[3] for r in rows],
    })


# Week of Monday 7 July 2025: five finished requests (and one still open, not counted);
# week of 14 July: five; week of 21 July: two (fewer than 5, left out).
ROWS = [
    ("R1", "2025-07-07 09:00", "met", 1.0), ("R2", "2025-07-08 10:00", "met", 2.0),
    ("R3", "2025-07-09 11:00", "breached", 9.0), ("R4", "2025-07-10 12:00", "met", 3.0),
    ("R5", "2025-07-13 12:00", "met", 4.0), ("R6", "2025-07-11 12:00", "open_not_due", 0.5),
    ("R7", "2025-07-14 09:00", "met", 1.0), ("R8", "2025-07-15 09:00", "met", 1.0),
    ("R9", "2025-07-16 09:00", "met", 2.0), ("R10", "2025-07-17 09:00", "met", 2.0),
    ("R11", "2025-07-18 09:00", "breached", 8.0),
    ("R12", "2025-07-21 09:00", "met", 1.0), ("R13", "2025-07-22 09:00", "breached", 9.0),
]


def test_weekly_groups_by_monday_and_leaves_out_small_weeks() -> None:
    series = weekly(_measured(ROWS), "T", "first_response_hours")
    t = series.table
    assert t["label"].tolist() == ["07/07", "14/07"]  # Sunday 13 July is in the week of 7 July
    assert t["n"].tolist() == [5, 5]
    assert t["within"].tolist() == [4, 4]
    assert t["median_hours"].tolist() == [3.0, 2.0]  # medians of 1,2,9,3,4 and 1,1,2,2,8
    assert series.left_out == ["week of 21/07/2025 (fewer than 5 requests)"]


def test_weekly_p_chart_counts_within_out_of_finished() -> None:
    _, chart = weekly_chart(_measured(ROWS), "T", "first_response_within")
    assert chart.kind == "p" and chart.values == [0.8, 0.8] and chart.centre[0] == 0.8


def test_before_after_and_within_counts_split_on_the_day() -> None:
    before, after = before_after(_measured(ROWS), "T", "first_response_hours", "14/07/2025")
    assert sorted(before) == [1.0, 2.0, 3.0, 4.0, 9.0]
    assert len(after) == 7
    # after 14 July: R7-R10 and R12 met, R11 and R13 breached -> 5 of 7
    assert within_counts(_measured(ROWS), "T", "first_response_within", "2025-07-14") == (4, 5, 5, 7)


def test_late_requests_by_a_column_of_the_log() -> None:
    log = pd.DataFrame({"request_id": [r[0] for r in ROWS],
                        "channel": ["email"] * 6 + ["phone"] * 7})
    late = late_requests(_measured(ROWS), log, "T", "first_response_within", "channel")
    assert sorted(late) == ["email", "phone", "phone"]  # R3 by email, R11 and R13 by phone
    assert list(late_requests(_measured(ROWS), log, "T", "first_response_within", "channel",
                              before="14/07/2025")) == ["email"]
    with pytest.raises(DataError, match="no column 'category'"):
        late_requests(_measured(ROWS), log, "T", "first_response_within", "category")


def test_unknown_team_measure_and_dates_are_named() -> None:
    with pytest.raises(DataError, match="no finished requests of 'X' are measured for first "
                                        "response: the teams are T"):
        weekly(_measured(ROWS), "X", "first_response_hours")
    with pytest.raises(DataError, match="'speed' is not a measure"):
        weekly(_measured(ROWS), "T", "speed")
    with pytest.raises(DataError, match="'13/31/2025' is not a date"):
        week_of("13/31/2025")
    assert week_of("01/07/2025") == "30/06"  # Tuesday 1 July 2025: week of Monday 30 June


def test_complaint_charts_count_empty_months_as_zero() -> None:
    complaints = pd.DataFrame({
        "received_at": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-03-05"]),
        "about_team": ["T", "T", "U"],
    })
    chart = monthly_complaints(complaints)
    assert chart.labels == ["Jan 2025", "Feb 2025", "Mar 2025"] and chart.values == [2, 0, 1]
    requests = pd.DataFrame({
        "received_at": pd.to_datetime(["2025-01-02"] * 200 + ["2025-02-03"] * 100
                                      + ["2025-03-03"] * 100),
        "provider_team": "T",
    })
    # complaints about T: 2 in January over 200 requests = 1.0 per 100; 0 in Feb; 0 in March
    rate = complaints_per_100_requests(complaints, requests, "T")
    assert rate.values == [1.0, 0.0, 0.0]
    assert rate.centre[0] == pytest.approx(2 / 4)  # 2 complaints over 400 requests
