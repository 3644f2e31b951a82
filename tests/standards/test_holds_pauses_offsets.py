"""Measuring real request logs: a request on hold right now, overlapping pauses, mixed UTC
offsets and blank first-response times. Expected hours are worked out by hand on a Mon-Fri
09:00-17:00 calendar (2025-03-03 is a Monday)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.io import load
from ilcs.standards import default_as_of, measure, sla_report
from ilcs.working_time import Calendar, working_hours_between

CAL = Calendar(nation=None)
T = pd.Timestamp


def one(value: str) -> pd.Series:
    return pd.Series([T(value)])


@pytest.mark.parametrize("pauses, hours", [
    ([("10:00", "12:00"), ("11:00", "13:00")], 5.0),  # overlap: 10-13 is 3 h, not 4
    ([("10:00", "12:00"), ("10:00", "12:00")], 6.0),  # the same pause twice counts once
    ([("10:00", "14:00"), ("11:00", "12:00")], 4.0),  # one inside the other
    ([("11:00", "13:00"), ("10:00", "12:00")], 5.0),  # order given does not matter
    ([("10:00", "11:00"), ("12:00", "13:00")], 6.0),  # apart: both count
])
def test_overlapping_pauses_are_merged(pauses: list[tuple[str, str]], hours: float) -> None:
    paused = [(one(f"2025-03-03 {a}"), one(f"2025-03-03 {b}")) for a, b in pauses]
    got = working_hours_between(one("2025-03-03 09:00"), one("2025-03-03 17:00"), CAL,
                                paused=paused)
    assert got.tolist() == [hours]


def test_mixed_utc_offsets_in_one_column() -> None:
    # Friday 28 March is GMT (+00:00), Tuesday 1 April is BST (+01:00): both are 09:00 in
    # the UK, so Friday 09:00 to Tuesday 09:00 is Fri + Mon = 16 working hours.
    start = pd.Series(["2025-03-28 09:00+00:00", "2025-04-01 09:00+01:00"])
    end = pd.Series(["2025-04-01 09:00+01:00", "2025-04-01 17:00+01:00"])
    assert working_hours_between(start, end, CAL).tolist() == [16.0, 8.0]


def test_datetimes_with_fixed_offsets() -> None:
    bst = dt.timezone(dt.timedelta(hours=1))
    start = pd.Series([dt.datetime(2025, 4, 1, 9, tzinfo=bst),
                       dt.datetime(2025, 3, 3, 9, tzinfo=dt.timezone.utc)])
    end = pd.Series([T("2025-04-01 12:00"), T("2025-03-03 17:00")])
    assert working_hours_between(start, end, CAL).tolist() == [3.0, 8.0]


def test_text_that_is_not_a_date_is_named() -> None:
    with pytest.raises(DataError) as info:
        working_hours_between(pd.Series(["2025-03-03 09:00", "soon"]), one("2025-03-03 17:00"),
                              CAL)
    assert str(info.value.problems[0]) == (
        "'soon' is not a date and time (expected YYYY-MM-DD HH:MM, day-first DD/MM/YYYY HH:MM, "
        "or either with a UTC offset such as +01:00)")


LOG = """request_id,requester_department,provider_team,channel,category,priority,received_at,first_response_at,resolved_at,on_hold_from,on_hold_until
R1,Finance,IT,portal,Access,P3,03/03/2025 09:00,,,03/03/2025 11:00,
R2,Finance,IT,portal,Access,P3,05/03/2025 09:00,05/03/2025 09:30,05/03/2025 10:00,,
R3,HR,IT,email,Access,P3,04/03/2025 09:00,,,04/03/2025 10:00,30/04/2025 09:00
R4,HR,IT,email,Access,P3,04/03/2025 13:00,,04/03/2025 16:00,,
"""
STANDARDS = pd.DataFrame([
    {"standard_id": "S1", "provider_team": "IT", "description": "Reply in 4 h",
     "measure": "first_response", "target": 4.0, "unit": "working_hours", "nation": None},
    {"standard_id": "S2", "provider_team": "IT", "description": "Fix in 8 h",
     "measure": "resolution", "target": 8.0, "unit": "working_hours", "nation": None},
])


@pytest.fixture()
def requests(tmp_path: Path) -> pd.DataFrame:
    path = tmp_path / "requests.csv"
    path.write_text(LOG, encoding="utf-8")
    return load(path, "requests")  # a hold start with no end loads: on hold now


def test_a_future_hold_end_does_not_move_the_period(requests: pd.DataFrame) -> None:
    assert default_as_of(requests) == T("2025-03-05 10:00")  # R2 resolved; not R3's 30 April


def test_a_request_on_hold_now_is_held_until_the_end_of_the_period(
        requests: pd.DataFrame) -> None:
    rows = measure(requests, STANDARDS).set_index(["standard_id", "request_id"])
    r1 = rows.loc[("S2", "R1")]
    assert r1["working_hours"] == 2.0  # 09:00-11:00 Monday, then on hold ever since
    assert r1["status"] == "open_not_due" and pd.isna(r1["due_at"])
    r3 = rows.loc[("S2", "R3")]  # on hold from 10:00 Tuesday until after the period ends
    assert r3["working_hours"] == 1.0
    assert r3["due_at"] == T("2025-04-30 16:00")  # the 7 h left, once the planned hold ends


def test_blank_first_responses_are_counted_in_the_report(requests: pd.DataFrame) -> None:
    report = sla_report(requests, STANDARDS)
    # R2 has a first response; R4 was resolved without one; R1 and R3 are open.
    assert report.notes == ("S1 (first-response): 1 of 4 requests have no first-response "
                            "time, so their resolution time is used as the first response.",)
    r4 = report.measured.set_index(["standard_id", "request_id"]).loc[("S1", "R4")]
    assert r4["completed_at"] == T("2025-03-04 16:00") and r4["working_hours"] == 3.0


def test_no_first_response_times_at_all_leaves_the_measure_out(requests: pd.DataFrame) -> None:
    requests = requests.assign(first_response_at=pd.NaT)
    report = sla_report(requests, STANDARDS)
    assert set(report.measured["standard_id"]) == {"S2"}
    assert report.notes == ("S1 (first-response) left out: the request log has no "
                            "first_response_at times, so the first-response measure is not "
                            "available.",)
