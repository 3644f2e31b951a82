"""Ticket exports: Jira Service Management, Zendesk and a generic spreadsheet onto requests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.io.ticket_exports import load_ticket_export, parse_map_flags, suggest_mapping

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tickets"
GENERIC_MAP = {
    "Ticket No": "request_id", "Logged": "received_at", "Customer dept": "requester_department",
    "Handled by": "provider_team", "How received": "channel", "Type": "category",
    "Urgency": "priority", "Replied": "first_response_at", "Closed": "resolved_at",
    "Times reopened": "reopened",
}


def test_jira_export() -> None:
    table = load_ticket_export(FIXTURES / "jira_export.csv", "jira")
    assert list(table["request_id"]) == ["ITSD-101", "ITSD-102", "ITSD-103", "ITSD-104"]
    assert list(table["priority"]) == ["P2", "P3", "P1", "P4"]  # High, Medium, Highest, Low
    assert list(table["channel"]) == ["portal", "email", "portal", "portal"]
    assert table.loc[0, "received_at"] == pd.Timestamp("2025-03-03 09:15")  # 03/Mar/25 9:15 AM
    assert table.loc[1, "received_at"] == pd.Timestamp("2025-03-07 16:30")  # 4:30 PM
    assert table.loc[0, "first_response_at"] == pd.Timestamp("2025-03-03 10:05")
    assert pd.isna(table.loc[1, "resolved_at"])
    assert list(table["requester_department"]) == ["Finance", "HR", "Operations", "Finance"]
    assert set(table["provider_team"]) == {"IT Service Desk"}
    assert list(table["category"]) == ["Access", "Equipment", "Fault", "Access"]


def test_zendesk_export() -> None:
    table = load_ticket_export(FIXTURES / "zendesk_export.csv", "zendesk")
    assert list(table["request_id"]) == ["5001", "5002", "5003"]
    assert list(table["priority"]) == ["P3", "P2", "P1"]
    assert list(table["channel"]) == ["portal", "email", "phone"]
    # +0100 in April is UK summer time: 16:20 local. First reply = created + minutes.
    assert table.loc[1, "received_at"] == pd.Timestamp("2025-04-01 16:20")
    assert table.loc[0, "first_response_at"] == pd.Timestamp("2025-03-03 10:05")
    assert table.loc[1, "first_response_at"] == pd.Timestamp("2025-04-01 18:00")
    assert pd.isna(table.loc[2, "first_response_at"]) and pd.isna(table.loc[2, "resolved_at"])
    assert list(table["reopened"]) == [0, 1, 0]
    assert list(table["contacts"]) == [1, 3, 1]  # 0 replies is still one contact


def test_generic_csv_with_explicit_mapping_and_uk_dates() -> None:
    table = load_ticket_export(FIXTURES / "generic_export.csv", "generic", GENERIC_MAP)
    assert table.loc[0, "received_at"] == pd.Timestamp("2025-04-03 09:00")  # 3 April, day first
    assert table.loc[1, "first_response_at"] == pd.Timestamp("2025-04-07 09:05")
    assert list(table["provider_team"]) == ["Facilities", "Facilities"]


def test_generic_xlsx(tmp_path: Path) -> None:
    raw = pd.read_csv(FIXTURES / "generic_export.csv", sep=";", dtype=str, keep_default_na=False)
    path = tmp_path / "export.xlsx"
    raw.to_excel(path, index=False)
    table = load_ticket_export(path, "generic", GENERIC_MAP)
    assert list(table["request_id"]) == ["G-1", "G-2"]
    assert table.loc[0, "resolved_at"] == pd.Timestamp("2025-04-04 15:00")


def test_unmapped_generic_file_names_missing_columns() -> None:
    with pytest.raises(DataError) as info:
        load_ticket_export(FIXTURES / "generic_export.csv", "generic")
    text = str(info.value)
    assert "request_id" in text and "generic_export.csv" in text


def test_bad_value_names_file_row_and_column(tmp_path: Path) -> None:
    text = (FIXTURES / "jira_export.csv").read_text().replace(",Highest,", ",Critical,")
    path = tmp_path / "jira_bad.csv"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        load_ticket_export(path, "jira")
    problem = info.value.problems[0]
    assert (problem.file, problem.row) == ("jira_bad.csv", 4)
    assert "Critical" in str(problem)


def test_parse_map_flags() -> None:
    assert parse_map_flags(["Ticket No=request_id", " Logged = received_at "]) == {
        "Ticket No": "request_id", "Logged": "received_at"}
    with pytest.raises(DataError, match="not a requests column"):
        parse_map_flags(["Ticket No=ticket"])
    with pytest.raises(DataError, match="SOURCE=column"):
        parse_map_flags(["Ticket No"])


def test_suggest_mapping() -> None:
    headers = ["Issue key", "Created", "Resolved", "Priority", "Summary", "channel"]
    guess = suggest_mapping(headers, "jira")
    assert guess["request_id"] == "Issue key"
    assert guess["received_at"] == "Created"
    assert guess["channel"] == "channel"  # same name as the canonical column
    assert guess["requester_department"] is None
    assert suggest_mapping(headers, "generic", {"Summary": "category"})["category"] == "Summary"


def test_extra_date_format(tmp_path: Path) -> None:
    text = (FIXTURES / "generic_export.csv").read_text().replace("03/04/2025 09:00", "03.04.2025 09:00")
    path = tmp_path / "dots.csv"
    path.write_text(text)
    with pytest.raises(DataError, match="03.04.2025"):
        load_ticket_export(path, "generic", GENERIC_MAP)
    table = load_ticket_export(path, "generic", GENERIC_MAP, date_formats=["%d.%m.%Y %H:%M"])
    assert table.loc[0, "received_at"] == pd.Timestamp("2025-04-03 09:00")
