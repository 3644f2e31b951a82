"""Standards kept against satisfaction: a small log and survey worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.services.expectations import (
    rank_agreement,
    satisfaction,
    standards_vs_satisfaction,
    wave_change,
)


def _req(rid: str, team: str, received: str, resolved: str) -> dict:
    return {"request_id": rid, "requester_department": "HR", "provider_team": team,
            "priority": "P3", "received_at": pd.Timestamp(received),
            "resolved_at": pd.Timestamp(resolved)}


def _std(sid: str, team: str) -> dict:
    return {"standard_id": sid, "provider_team": team, "description": "x",
            "measure": "resolution", "priority": None, "target": 4, "unit": "working_hours",
            "nation": "england-and-wales", "opens": "09:00", "closes": "17:00", "lunch": None}


def _resp(wave: int, at: str, team: str, overall: int | None) -> dict:
    return {"wave": wave, "submitted_at": pd.Timestamp(at), "about_team": team,
            "q_overall": overall}


REQUESTS = pd.DataFrame([
    # before wave 1's window (it opens 07/01/2025): a breach that must not count
    _req("R0", "A", "2025-01-06 09:00", "2025-01-07 17:00"),
    # Team A in wave 1's window: 3 met (2 h), 1 breached (Tue 09:00 to Wed 10:00 = 9 h)
    _req("R1", "A", "2025-01-07 09:00", "2025-01-07 11:00"),
    _req("R2", "A", "2025-02-04 09:00", "2025-02-04 11:00"),
    _req("R3", "A", "2025-03-04 09:00", "2025-03-04 11:00"),
    _req("R4", "A", "2025-03-04 09:00", "2025-03-05 10:00"),
    # Team B in wave 1's window: 1 met
    _req("R5", "B", "2025-02-05 09:00", "2025-02-05 10:00"),
    # Team A in wave 2's window (06/07/2025 to 05/10/2025): 2 met
    _req("R6", "A", "2025-07-08 09:00", "2025-07-08 10:00"),
    _req("R7", "A", "2025-09-09 09:00", "2025-09-09 10:00"),
])
STANDARDS = pd.DataFrame([_std("SA", "A"), _std("SB", "B")])
RESPONSES = pd.DataFrame([
    *[_resp(1, "2025-04-07 09:00", "A", v) for v in (5, 4, 3, 2, 4, None)],
    *[_resp(1, "2025-04-08 09:00", "B", v) for v in (5, 5, 5, 5)],
    *[_resp(2, "2025-10-06 09:00", "A", v) for v in (5, 5, 5, 4, 1)],
])


def test_satisfaction_counts_top_two_and_suppresses_small_groups() -> None:
    sat = satisfaction(RESPONSES).set_index(["wave", "provider_team"])
    # wave 1, A: 5 answered (one skipped), 3 said 4 or 5 -> 60 %
    assert (sat.loc[(1, "A"), "responses"], sat.loc[(1, "A"), "satisfied"]) == (5, 3)
    assert sat.loc[(1, "A"), "pct_satisfied"] == pytest.approx(60.0)
    # wave 1, B: only 4 responses -> no percentage
    assert sat.loc[(1, "B"), "responses"] == 4 and np.isnan(sat.loc[(1, "B"), "pct_satisfied"])


def test_standards_against_satisfaction_by_wave() -> None:
    table = standards_vs_satisfaction(REQUESTS, STANDARDS, RESPONSES)
    rows = table.set_index(["wave", "provider_team"])
    a1 = rows.loc[(1, "A")]
    assert a1["window"] == "07/01/2025 to 06/04/2025"
    late_log = standards_vs_satisfaction(REQUESTS[REQUESTS["request_id"] != "R0"].assign(
        received_at=lambda t: t["received_at"].where(t["request_id"] != "R1",
                                                      pd.Timestamp("2025-01-09 09:00"))),
        STANDARDS, RESPONSES)
    # the log now starts on 9 January: the window says so rather than 7 January
    assert late_log.set_index(["wave", "provider_team"]).loc[(1, "A"), "window"] == \
        "09/01/2025 to 06/04/2025"
    assert (a1["measured"], a1["within"]) == (4, 3)  # R0 left out
    assert a1["pct_within"] == pytest.approx(75.0)
    assert a1["pct_satisfied"] == pytest.approx(60.0)
    assert rows.loc[(1, "B"), "pct_within"] == pytest.approx(100.0)
    a2 = rows.loc[(2, "A")]
    assert (a2["measured"], a2["within"], a2["satisfied"], a2["responses"]) == (2, 2, 4, 5)
    assert (2, "B") not in rows.index  # no survey responses about B in wave 2
    change = wave_change(table).set_index("provider_team")
    assert list(change.index) == ["A"]
    assert change.loc["A", "within_change"] == pytest.approx(25.0)  # 75 -> 100
    assert change.loc["A", "satisfied_change"] == pytest.approx(20.0)  # 60 -> 80


def test_rank_agreement_by_hand() -> None:
    # ranks (1, 2, 3) and (1, 3, 2): d^2 = 0 + 1 + 1 = 2; 1 - 6 x 2 / (3 x 8) = 0.5
    table = pd.DataFrame({"pct_within": [70.0, 80.0, 90.0], "pct_satisfied": [10.0, 30.0, 20.0]})
    assert rank_agreement(table) == pytest.approx(0.5)
    with pytest.raises(DataError, match="fewer than 3 teams have both figures"):
        rank_agreement(table.head(2))


def test_a_survey_without_the_overall_question_is_named() -> None:
    with pytest.raises(DataError) as err:
        satisfaction(RESPONSES.drop(columns=["q_overall"]))
    assert "the survey responses have no 'q_overall' column" in str(err.value)
