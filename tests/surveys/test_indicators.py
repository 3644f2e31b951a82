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
        "about_team": ["Payroll"] * 4 + ["HR"],
        "outcome": ["upheld", None, "not-upheld", "withdrawn", None],
        "remedy_sought": ["Training for the staff involved", "Refund the cost charged to our "
                          "budget", "Change the process so it does not happen again",
                          "A meeting with the team manager", None]})
    table = satisfaction_indicators(responses, sample_questionnaire(), standards,
                                    complaints).set_index("team")
    payroll, hr = table.loc["Payroll"], table.loc["HR"]
    # wave 1: 5 4 4 2 3 5 -> top two 4 of 6 = 66.7%; wave 2: 4 4 4 4 4 1 -> 5 of 6 = 83.3%
    assert payroll["satisfied_w1"] == "4 of 6 (66.7%)"
    assert payroll["satisfied_w2"] == "5 of 6 (83.3%)"
    # first responses 30 of 40 = 75%; all standards (30 + 54) of (40 + 60) = 84%
    assert payroll["first_response_on_time"] == "30 of 40 (75.0%)"
    assert payroll["all_standards_met"] == "84 of 100 (84.0%)"
    # 4 complaints, 3 with an outcome = 75%; 2 ask for training or a process change
    assert payroll["complaints_received"] == 4
    assert payroll["complaints_resolved"] == "3 of 4 (75.0%)"
    assert payroll["improvement_requests"] == 2
    # HR: one response per wave, suppressed; no first-response standard
    assert hr["satisfied_w1"] == "fewer than 5" and hr["first_response_on_time"] == "-"
    assert hr["complaints_resolved"] == "0 of 1 (0.0%)"
