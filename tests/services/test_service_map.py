"""The service map and the recruitment chain: small logs worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.services.chain import ChainLink, chain_table, late_link
from ilcs.services.service_map import map_grid, service_map, team_summary

T = pd.Timestamp
NaT = pd.NaT


def _requests(rows: list[tuple]) -> pd.DataFrame:
    cols = ["request_id", "requester_department", "provider_team", "category", "received_at",
            "resolved_at", "on_hold_from", "on_hold_until"]
    table = pd.DataFrame(rows, columns=cols)
    for c in ("received_at", "resolved_at", "on_hold_from", "on_hold_until"):
        table[c] = pd.to_datetime(table[c])
    table["priority"] = "P3"
    return table


def _standard(sid: str, team: str, measure: str, target: float, unit: str,
              lunch: str | None = None) -> dict:
    return {"standard_id": sid, "provider_team": team, "description": "x", "measure": measure,
            "priority": None, "target": target, "unit": unit, "nation": "england-and-wales",
            "opens": "09:00", "closes": "17:00", "lunch": lunch}


# Monday 6 January 2025 is an ordinary working day; 09:00-17:00, England and Wales.
LOG = _requests([
    # Finance -> IT: 09:00 to 11:00 the same day = 2 working hours
    ("R1", "Finance", "IT Service Desk", "Access", "2025-01-06 09:00", "2025-01-06 11:00", NaT, NaT),
    # Finance -> IT: Mon 16:00 to Tue 12:00 = 1 h (16-17) + 3 h (9-12) = 4 h
    ("R2", "Finance", "IT Service Desk", "Access", "2025-01-06 16:00", "2025-01-07 12:00", NaT, NaT),
    # HR -> IT: still open
    ("R3", "HR", "IT Service Desk", "Access", "2025-01-08 09:30", NaT, NaT, NaT),
    # HR -> IT: Fri 16:30 to Mon 09:30 = 0.5 h + 0.5 h = 1 h (weekend not counted)
    ("R4", "HR", "IT Service Desk", "Access", "2025-01-10 16:30", "2025-01-13 09:30", NaT, NaT),
    # Finance -> Payroll: 10:00 to 10:30 with 10:05-10:15 on hold = 20 minutes = 1/3 h
    ("R5", "Finance", "Payroll Services", "Pay query", "2025-01-09 10:00", "2025-01-09 10:30",
     "2025-01-09 10:05", "2025-01-09 10:15"),
])


def test_service_map_counts_shares_and_median_working_hours_by_hand() -> None:
    table = service_map(LOG)
    assert table[["provider_team", "requester_department"]].values.tolist() == [
        ["IT Service Desk", "Finance"], ["IT Service Desk", "HR"],
        ["Payroll Services", "Finance"]]
    assert table["requests"].tolist() == [2, 2, 1]
    assert table["resolved"].tolist() == [2, 1, 1]
    # medians: (2 + 4) / 2 = 3; only R4 (1 h) resolved; R5 = 20/60
    assert table["median_hours"].tolist() == pytest.approx([3.0, 1.0, 1 / 3])
    # IT had 4 requests: 2 of 4 = 50 % each; Payroll 1 of 1 = 100 %
    assert table["share_pct"].tolist() == pytest.approx([50.0, 50.0, 100.0])


def test_service_map_uses_the_team_calendar_from_its_standards() -> None:
    # Payroll takes lunch 13:00-14:00: 12:30 to 14:30 is 1 working hour, not 2.
    log = _requests([("R1", "HR", "Payroll Services", "Pay query", "2025-01-06 12:30",
                      "2025-01-06 14:30", NaT, NaT)])
    standards = pd.DataFrame([_standard("S1", "Payroll Services", "resolution", 1,
                                        "working_days", lunch="13:00-14:00")])
    assert service_map(log, standards)["median_hours"].tolist() == pytest.approx([1.0])
    assert service_map(log)["median_hours"].tolist() == pytest.approx([2.0])


def test_grid_and_team_summary() -> None:
    table = service_map(LOG)
    grid = map_grid(table)
    assert grid.loc["IT Service Desk", "HR"] == 2 and grid.loc["Payroll Services", "HR"] == 0
    summary = team_summary(table)
    it = summary.set_index("provider_team").loc["IT Service Desk"]
    # a tie of 2 and 2: the department first in the alphabet is named
    assert (it["requests"], it["departments"], it["biggest_customer"]) == (4, 2, "Finance")


def test_service_map_refuses_a_log_without_its_columns() -> None:
    with pytest.raises(DataError) as err:
        service_map(LOG.drop(columns=["resolved_at"]))
    assert "the request log has no 'resolved_at' column" in str(err.value)
    with pytest.raises(DataError, match="has no requests"):
        service_map(LOG.iloc[0:0])


LINKS = (ChainLink("First", "Team A", "Cat1", "passes on"),
         ChainLink("Second", "Team B", "Cat2", "passes on"))


def test_chain_table_and_late_link_by_hand() -> None:
    log = _requests([
        ("R1", "HR", "Team A", "Cat1", "2025-01-06 09:00", "2025-01-06 12:00", NaT, NaT),  # 3 h met
        ("R2", "HR", "Team A", "Cat1", "2025-01-06 09:00", "2025-01-06 15:00", NaT, NaT),  # 6 h late
        ("R3", "HR", "Team A", "Cat1", "2025-01-06 09:00", "2025-01-06 11:00", NaT, NaT),  # 2 h met
        ("R4", "HR", "Team A", "Other", "2025-01-06 09:00", "2025-01-08 11:00", NaT, NaT),  # not in chain
        ("R5", "HR", "Team B", "Cat2", "2025-01-06 09:00", "2025-01-06 16:00", NaT, NaT),  # 7 h met
        ("R6", "HR", "Team B", "Cat2", "2025-01-07 09:00", NaT, NaT, NaT),  # open, 32 h > 8 h
    ])
    standards = pd.DataFrame([
        _standard("A-RES", "Team A", "resolution", 4, "working_hours"),
        _standard("B-RES", "Team B", "resolution", 1, "working_days"),
        _standard("B-FR", "Team B", "first_response", 1, "working_hours"),  # not a resolution
    ])
    table = chain_table(log, standards, LINKS, as_of="2025-01-10 17:00")
    assert table["requests"].tolist() == [3, 2]
    assert table["measured"].tolist() == [3, 2]
    assert table["within"].tolist() == [2, 1]
    assert table["pct_within"].tolist() == pytest.approx([200 / 3, 50.0])
    assert table["median_hours"].tolist() == pytest.approx([3.0, 7.0])  # finished ones only
    assert late_link(table)["step"] == "Second"


def test_late_link_needs_a_measured_link() -> None:
    table = pd.DataFrame({"order": [1], "step": ["First"], "pct_within": [np.nan]})
    with pytest.raises(DataError, match="no link of the chain has any measured requests"):
        late_link(table)


def test_the_sample_chain_has_five_links_in_the_order_of_the_content_map() -> None:
    from ilcs.io import load_sample

    table = chain_table(load_sample("requests"), load_sample("standards"))
    assert table["step"].tolist() == ["Advert", "Screening and interviews", "Onboarding",
                                      "Payroll set-up", "IT equipment"]
    assert (table["measured"] > 30).all()
