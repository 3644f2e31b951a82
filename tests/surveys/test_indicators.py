"""The satisfaction dashboard's indicators on a small table worked by hand."""

from __future__ import annotations

import pandas as pd

from ilcs.surveys.indicators import satisfaction_indicators
from ilcs.surveys.questionnaire import sample_questionnaire


def test_indicators_per_team() -> None:
    overall = [5, 4, 4, 2, 3, 5] + [4, 4, 4, 4, 4, 1] + [5, 5]
    responses = pd.DataFrame({
        "wave": [1] * 6 + [2] * 6 + [1, 2], "about_team": ["Payroll"] * 12 + ["HR"] * 2,
        "q_overall": overall}).astype({"wave": "Int64", "q_overall": "Int64"})
    standards = pd.DataFrame({
        "provider_team": ["Payroll", "Payroll", "HR"],
        "measure": ["first_response", "resolution", "resolution"],
        "measured": [40, 60, 10], "met": [30, 54, 9]})
    complaints = pd.DataFrame({
        "about_team": ["Payroll"] * 5 + ["HR"],
        "outcome": ["upheld", None, "not-upheld", "withdrawn", "upheld", None],
        "remedy_sought": ["Training for the staff involved", "Refund the cost charged to our "
                          "budget", "Change the process so it does not happen again",
                          "A meeting with the team manager", "Training for the staff involved",
                          None]})
    staff = pd.DataFrame({"department": ["Payroll dept"] * 2,
                          "quarter": ["2025-Q2", "2025-Q1"], "headcount_start": [22, 20],
                          "joined": [1, 3], "left": [2, 1]})
    org_chart = pd.DataFrame({"team": ["Payroll", "Payroll"],
                              "department": ["Payroll dept", "Payroll dept"]})
    table = satisfaction_indicators(responses, sample_questionnaire(), standards, complaints,
                                    staff=staff, org_chart=org_chart).set_index("team")
    payroll, hr = table.loc["Payroll"], table.loc["HR"]
    # wave 1: 5 4 4 2 3 5 -> top two 4 of 6 = 66.7%; wave 2: 4 4 4 4 4 1 -> 5 of 6 = 83.3%
    assert payroll["satisfied_w1"] == "4 of 6 (66.7%)"
    assert payroll["satisfied_w2"] == "5 of 6 (83.3%)"
    # first responses 30 of 40 = 75%; all standards (30 + 54) of (40 + 60) = 84%
    assert payroll["first_response_on_time"] == "30 of 40 (75.0%)"
    assert payroll["all_standards_met"] == "84 of 100 (84.0%)"
    # 5 complaints, 4 with an outcome = 80%; 3 ask for training or a process change
    assert payroll["complaints_received"] == 5
    assert payroll["complaints_resolved"] == "4 of 5 (80.0%)"
    assert payroll["improvement_requests"] == 3
    # 20 at the start of Q1 (the first quarter, whatever the row order); 1 + 2 = 3 left: 15%
    assert payroll["staff_left"] == "3 of 20 (15.0%)"
    assert hr["staff_left"] == "-"  # HR is not in the org chart given
    # HR: one response per wave, suppressed; no first-response standard
    assert hr["satisfied_w1"] == "fewer than 5" and hr["first_response_on_time"] == "-"
    assert hr["complaints_received"] == "fewer than 5"  # one complaint: not shown
    assert hr["improvement_requests"] == "fewer than 5"
    # the complaints topic's count of open complaints (from the event log) wins over outcomes
    by_log = satisfaction_indicators(responses, sample_questionnaire(), standards, complaints,
                                     still_open={"Payroll": 2}).set_index("team")
    assert by_log.loc["Payroll", "complaints_resolved"] == "3 of 5 (60.0%)"


def test_the_sample_staff_movement_tells_the_documented_story() -> None:
    """datasets/README.md: Operations loses the most staff and replaces fewer than it loses;
    every other sample file was unchanged by adding the table (test_datagen checks bytes)."""
    import csv

    from ilcs.paths import sample_dir

    with open(sample_dir() / "staff_movement.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    left: dict[str, int] = {}
    joined: dict[str, int] = {}
    start: dict[str, int] = {}
    for row in rows:
        left[row["department"]] = left.get(row["department"], 0) + int(row["left"])
        joined[row["department"]] = joined.get(row["department"], 0) + int(row["joined"])
        if row["quarter"] == "2025-Q1":
            start[row["department"]] = int(row["headcount_start"])
    assert left["Operations"] == 111 and start["Operations"] == 420
    assert joined["Operations"] < left["Operations"]
    share = {d: left[d] / start[d] for d in left}
    assert max(share, key=share.__getitem__) == "Operations"


def test_a_bad_staff_movement_file_names_row_and_column(tmp_path) -> None:
    import pytest

    from ilcs.errors import DataError
    from ilcs.io import load

    path = tmp_path / "staff.csv"
    path.write_text("department,quarter,headcount_start,joined,left\n"
                    "IT,2025-Q1,10,0,3\nIT,Spring,10,0,1\nHR,2025-Q1,5,1,7\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, "staff_movement")
    assert [str(p) for p in caught.value.problems] == [
        "staff.csv, row 3, column 'quarter': 'Spring' is not a quarter (expected YYYY-Qn, "
        "e.g. 2025-Q1)",
        "staff.csv, row 4, column 'left': 7 left, but only 5 were there at the start and 1 "
        "joined",
    ]
