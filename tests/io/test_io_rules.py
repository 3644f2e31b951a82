"""Every loader rule, with an input that passes and one that breaks it."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.io import KINDS, check_complaint_events, load

GOOD: dict[str, list[dict[str, str]]] = {
    "requests": [
        {"request_id": "R1", "requester_department": "HR", "provider_team": "IT Service Desk",
         "channel": "email", "category": "Password reset", "priority": "P3",
         "received_at": "2025-04-03 09:10", "first_response_at": "2025-04-03 09:30",
         "resolved_at": "2025-04-03 11:00", "reopened": "0", "contacts": "2",
         "on_hold_from": "2025-04-03 10:00", "on_hold_until": "2025-04-03 10:30"},
        {"request_id": "R2", "requester_department": "Finance", "provider_team": "Payroll",
         "channel": "portal", "category": "Pay query", "priority": "P2",
         "received_at": "2025-04-04 14:00", "first_response_at": "", "resolved_at": "",
         "reopened": "", "contacts": "", "on_hold_from": "", "on_hold_until": ""},
    ],
    "standards": [
        {"standard_id": "S1", "provider_team": "IT Service Desk",
         "description": "We will reply within 4 working hours.", "measure": "first_response",
         "priority": "", "categories": "", "target": "4", "unit": "working_hours",
         "nation": "england-and-wales",
         "opens": "09:00", "closes": "17:00", "lunch": "12:30-13:30"},
        {"standard_id": "S2", "provider_team": "Payroll",
         "description": "We will resolve pay queries within 3 working days.",
         "measure": "resolution", "priority": "P2", "categories": "Pay query;Overtime",
         "target": "2.5", "unit": "working_days",
         "nation": "", "opens": "", "closes": "", "lunch": ""},
    ],
    "complaints": [
        {"complaint_id": "C1", "received_at": "2025-02-03 10:00", "department": "HR",
         "about_team": "Payroll", "category": "Late payment", "severity": "high",
         "remedy_sought": "Pay the overtime", "outcome": "upheld",
         "satisfied_with_handling": "yes"},
        {"complaint_id": "C2", "received_at": "2025-02-04 10:00", "department": "IT",
         "about_team": "Facilities", "category": "Heating", "severity": "low",
         "remedy_sought": "", "outcome": "", "satisfied_with_handling": ""},
    ],
    "complaint_events": [
        {"complaint_id": "C1", "stage": "received", "at": "2025-02-03 10:00", "actor": "A",
         "note": ""},
        {"complaint_id": "C1", "stage": "closed", "at": "2025-02-05 10:00", "actor": "A",
         "note": "Paid"},
        {"complaint_id": "C2", "stage": "received", "at": "2025-02-04 10:00", "actor": "B",
         "note": ""},
    ],
    "survey_responses": [
        {"response_id": "W1-1", "wave": "1", "submitted_at": "2025-03-10 12:00",
         "department": "HR", "about_team": "IT Service Desk", "q_timely": "4", "q_helpful": "5",
         "q_informed": "3", "q_quality": "4", "q_overall": "4", "recommend": "9",
         "effort": "2", "comment": "Quick and friendly."},
        {"response_id": "W1-2", "wave": "1", "submitted_at": "2025-03-11 12:00",
         "department": "IT", "about_team": "Payroll", "q_timely": "", "q_helpful": "1",
         "q_informed": "5", "q_quality": "1", "q_overall": "5", "recommend": "0",
         "effort": "7", "comment": ""},
    ],
    "survey_invitations": [
        {"wave": "1", "department": "HR", "invited": "40"},
        {"wave": "2", "department": "HR", "invited": "41"},
    ],
    "org_chart": [
        {"role_id": "CEO", "role_title": "Chief Executive", "person": "Ann Lee",
         "department": "Executive", "team": "Executive", "reports_to": "", "handles": ""},
        {"role_id": "IT1", "role_title": "Head of IT", "person": "Bo Chen",
         "department": "IT", "team": "IT Service Desk", "reports_to": "CEO",
         "handles": "Password reset;Hardware"},
        {"role_id": "IT2", "role_title": "Analyst", "person": "Cy Dee",
         "department": "IT", "team": "IT Service Desk", "reports_to": "IT1", "handles": ""},
    ],
    "staff_movement": [
        {"department": "IT", "quarter": "2025-Q1", "headcount_start": "10", "joined": "1",
         "left": "2"},
        {"department": "IT", "quarter": "2025-Q2", "headcount_start": "9", "joined": "0",
         "left": "0"},
    ],
}


def write(tmp_path: Path, rows: list[dict[str, str]], name: str = "data.csv",
          columns: list[str] | None = None) -> Path:
    path = tmp_path / name
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def problems(tmp_path: Path, kind: str, rows: list[dict[str, str]]) -> list[tuple]:
    with pytest.raises(DataError) as info:
        load(write(tmp_path, rows), kind)
    return [(p.row, p.column, p.message) for p in info.value.problems]


def changed(kind: str, index: int, **values: str) -> list[dict[str, str]]:
    rows = [dict(r) for r in GOOD[kind]]
    rows[index].update(values)
    return rows


def test_every_kind_has_good_rows():
    assert set(GOOD) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_good_rows_load_with_canonical_columns(tmp_path, kind):
    table = load(write(tmp_path, GOOD[kind]), kind)
    assert list(table.columns) == list(GOOD[kind][0])
    assert len(table) == len(GOOD[kind])


def test_good_request_types_and_values(tmp_path):
    t = load(write(tmp_path, GOOD["requests"]), "requests")
    assert t["received_at"].dtype == "datetime64[ns]"
    assert t.loc[0, "received_at"] == pd.Timestamp(2025, 4, 3, 9, 10)
    assert str(t["reopened"].dtype) == "Int64" and t["reopened"].tolist() == [0, 0]
    assert t.loc[0, "contacts"] == 2 and pd.isna(t.loc[1, "contacts"])
    assert pd.isna(t.loc[1, "resolved_at"])
    assert (t["request_id"] == "R1").tolist() == [True, False]


def test_standard_defaults_fill_blanks(tmp_path):
    t = load(write(tmp_path, GOOD["standards"]), "standards")
    assert t.loc[1, "nation"] == "england-and-wales"
    assert (t.loc[1, "opens"], t.loc[1, "closes"]) == ("09:00", "17:00")
    assert t.loc[1, "target"] == 2.5 and pd.isna(t.loc[0, "priority"])


def test_columns_that_may_be_absent_are_added(tmp_path):
    columns = [c for c in GOOD["requests"][0] if c not in ("reopened", "contacts",
                                                             "on_hold_from", "on_hold_until")]
    t = load(write(tmp_path, GOOD["requests"], columns=columns), "requests")
    assert t["reopened"].tolist() == [0, 0]
    assert t["on_hold_from"].isna().all()
    assert list(t.columns)[-1] == "on_hold_until"


# (kind, row index, changes, expected spreadsheet row, expected column, words in message)
BAD = [
    ("requests", 1, {"request_id": "R1"}, 3, "request_id", "duplicate"),
    ("requests", 0, {"request_id": ""}, 2, "request_id", "required"),
    ("requests", 0, {"channel": "fax"}, 2, "channel", "not allowed"),
    ("requests", 0, {"priority": "urgent"}, 2, "priority", "not allowed"),
    ("requests", 0, {"received_at": "31/02/2025 09:00"}, 2, "received_at", "not a real date"),
    ("requests", 0, {"received_at": "next Tuesday"}, 2, "received_at", "accepted format"),
    ("requests", 0, {"received_at": "04-03-2025 09:00"}, 2, "received_at", "accepted format"),
    ("requests", 0, {"received_at": ""}, 2, "received_at", "required"),
    ("requests", 0, {"first_response_at": "2025-04-03 09:00"}, 2, "first_response_at",
     "not be before received_at"),
    ("requests", 0, {"resolved_at": "2025-04-02 09:00"}, 2, "resolved_at",
     "not be before received_at"),
    ("requests", 0, {"resolved_at": "2025-04-03 09:20"}, 2, "resolved_at",
     "not be before first_response_at"),
    ("requests", 0, {"on_hold_from": "2025-04-03 09:00"}, 2, "on_hold_from",
     "not be before received_at"),
    ("requests", 0, {"on_hold_until": "2025-04-03 09:50"}, 2, "on_hold_until",
     "not be before on_hold_from"),
    ("requests", 0, {"on_hold_until": "2025-04-03 12:00"}, 2, "resolved_at",
     "not be before on_hold_until"),
    ("requests", 0, {"on_hold_from": ""}, 2, "on_hold_from",
     "on_hold_until is given but on_hold_from is blank: when did the hold start?"),
    ("requests", 0, {"reopened": "-1"}, 2, "reopened", "at least 0"),
    ("requests", 0, {"reopened": "1.5"}, 2, "reopened", "whole number"),
    ("requests", 0, {"reopened": "twice"}, 2, "reopened", "whole number"),
    ("requests", 0, {"contacts": "0"}, 2, "contacts", "at least 1"),
    ("standards", 1, {"standard_id": "S1"}, 3, "standard_id", "duplicate"),
    ("standards", 0, {"measure": "speed"}, 2, "measure", "not allowed"),
    ("standards", 0, {"target": "0"}, 2, "target", "more than 0"),
    ("standards", 0, {"target": "four"}, 2, "target", "not a number"),
    ("standards", 0, {"target": "inf"}, 2, "target", "not a number"),
    ("standards", 0, {"unit": "hours"}, 2, "unit", "not allowed"),
    ("standards", 0, {"nation": "wales"}, 2, "nation", "not allowed"),
    ("standards", 0, {"opens": "9am"}, 2, "opens", "not a time"),
    ("standards", 0, {"closes": "08:00"}, 2, "closes", "be after opens"),
    ("standards", 0, {"lunch": "lunchtime"}, 2, "lunch", "not a lunch break"),
    ("standards", 0, {"lunch": "16:30-17:30"}, 2, "lunch", "within opening hours"),
    ("standards", 0, {"description": ""}, 2, "description", "required"),
    ("complaints", 1, {"complaint_id": "C1"}, 3, "complaint_id", "duplicate"),
    ("complaints", 0, {"severity": "critical"}, 2, "severity", "not allowed"),
    ("complaints", 0, {"outcome": "resolved"}, 2, "outcome", "not allowed"),
    ("complaints", 0, {"satisfied_with_handling": "maybe"}, 2, "satisfied_with_handling",
     "not allowed"),
    ("complaints", 0, {"received_at": "2025/02/03"}, 2, "received_at", "accepted format"),
    ("complaint_events", 1, {"stage": "sorted"}, 3, "stage", "not allowed"),
    ("complaint_events", 1, {"at": "2025-02-01 10:00"}, 3, "at", "before complaint C1 was"),
    ("complaint_events", 0, {"stage": "acknowledged"}, 2, "stage", "must be 'received'"),
    ("complaint_events", 0, {"complaint_id": ""}, 2, "complaint_id", "required"),
    ("survey_responses", 1, {"response_id": "W1-1"}, 3, "response_id", "duplicate"),
    ("survey_responses", 0, {"wave": "3"}, 2, "wave", "at most 2"),
    ("survey_responses", 0, {"q_timely": "6"}, 2, "q_timely", "at most 5"),
    ("survey_responses", 0, {"q_overall": "0"}, 2, "q_overall", "at least 1"),
    ("survey_responses", 0, {"recommend": "11"}, 2, "recommend", "at most 10"),
    ("survey_responses", 0, {"recommend": "-1"}, 2, "recommend", "at least 0"),
    ("survey_responses", 0, {"effort": "8"}, 2, "effort", "at most 7"),
    ("survey_responses", 0, {"effort": "0"}, 2, "effort", "at least 1"),
    ("survey_responses", 0, {"q_helpful": "good"}, 2, "q_helpful", "whole number"),
    ("survey_responses", 0, {k: "" for k in ("q_timely", "q_helpful", "q_informed",
                                             "q_quality", "q_overall", "recommend", "effort",
                                             "comment")}, 2, "q_timely", "no question"),
    ("survey_invitations", 1, {"wave": "1"}, 3, "wave + department", "duplicate"),
    ("survey_invitations", 0, {"invited": "0"}, 2, "invited", "more than 0"),
    ("org_chart", 2, {"role_id": "IT1"}, 4, "role_id", "duplicate"),
    ("org_chart", 2, {"reports_to": "CTO"}, 4, "reports_to", "not a role_id"),
    ("org_chart", 1, {"reports_to": ""}, 3, "reports_to", "already the top role"),
    ("org_chart", 1, {"reports_to": "IT2"}, 3, "reports_to", "circle"),
]


@pytest.mark.parametrize("kind,index,change,row,column,words", BAD,
                         ids=[f"{b[0]}-{'-'.join(b[2])}" for b in BAD])
def test_bad_value_is_reported_with_row_and_column(tmp_path, kind, index, change, row, column,
                                                   words):
    found = problems(tmp_path, kind, changed(kind, index, **change))
    assert any(r == row and c == column and words in m for r, c, m in found), found


def test_every_problem_is_listed_at_once(tmp_path):
    rows = changed("requests", 0, channel="fax", priority="P9", contacts="0")
    rows[1]["received_at"] = "32/01/2025"
    found = problems(tmp_path, "requests", rows)
    assert {(r, c) for r, c, _ in found} == {(2, "channel"), (2, "priority"), (2, "contacts"),
                                             (3, "received_at")}


def test_problem_text_names_the_file(tmp_path):
    path = write(tmp_path, changed("requests", 0, channel="fax"), name="my export.csv")
    with pytest.raises(DataError) as info:
        load(path, "requests")
    assert "my export.csv, row 2, column 'channel'" in str(info.value)


def test_missing_required_column(tmp_path):
    columns = [c for c in GOOD["requests"][0] if c != "received_at"]
    with pytest.raises(DataError) as info:
        load(write(tmp_path, GOOD["requests"], columns=columns), "requests")
    assert [p.column for p in info.value.problems] == ["received_at"]
    assert "missing" in info.value.problems[0].message


def test_header_only_file_has_no_rows(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(",".join(GOOD["survey_responses"][0]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="no data rows"):
        load(path, "survey_responses")


def test_empty_file(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="empty"):
        load(path, "requests")


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        load(tmp_path / "nope.csv", "requests")


def test_binary_file(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DataError, match="binary"):
        load(path, "requests")


def test_binary_file_without_nul_bytes_is_still_recognised(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(b for b in range(1, 256)) * 4)  # control characters, no NUL
    with pytest.raises(DataError, match="binary"):
        load(path, "requests")


def test_text_with_a_stray_control_character_is_still_text(tmp_path):
    from ilcs.io import read_table

    path = tmp_path / "ok.csv"
    path.write_bytes(b"a,b\r\n" + b"1,two\x0cthree\r\n" + b"2,four\r\n" * 60)
    assert len(read_table(path)) == 61


def test_unknown_kind(tmp_path):
    with pytest.raises(DataError, match="unknown kind"):
        load(write(tmp_path, GOOD["requests"]), "tickets")


def test_mapping_renames_source_headers(tmp_path):
    rows = [{("Ticket No" if k == "request_id" else k): v for k, v in r.items()}
            for r in GOOD["requests"]]
    t = load(write(tmp_path, rows), "requests", mapping={"ticket no": "request_id"})
    assert t["request_id"].tolist() == ["R1", "R2"]


def test_mapping_to_unknown_column_is_a_problem(tmp_path):
    with pytest.raises(DataError, match="not a requests column"):
        load(write(tmp_path, GOOD["requests"]), "requests", mapping={"x": "ticket"})


def test_two_headers_for_one_column(tmp_path):
    rows = [dict(r, **{"Request ID": r["request_id"]}) for r in GOOD["requests"]]
    with pytest.raises(DataError, match="two columns both give 'request_id'"):
        load(write(tmp_path, rows), "requests")


def test_extra_date_formats(tmp_path):
    rows = changed("requests", 1, received_at="04.04.2025 14:00")
    with pytest.raises(DataError):
        load(write(tmp_path, rows), "requests")
    t = load(write(tmp_path, rows), "requests", date_formats=["%d.%m.%Y %H:%M"])
    assert t.loc[1, "received_at"] == pd.Timestamp(2025, 4, 4, 14, 0)


@pytest.mark.parametrize("text,expected", [
    ("03/04/2025 09:10", pd.Timestamp(2025, 4, 3, 9, 10)),        # 3 April, never 4 March
    ("3/4/2025 9:10", pd.Timestamp(2025, 4, 3, 9, 10)),
    ("03/04/2025", pd.Timestamp(2025, 4, 3)),
    ("2025-04-03", pd.Timestamp(2025, 4, 3)),
    ("2025-04-03 09:10:30", pd.Timestamp(2025, 4, 3, 9, 10, 30)),
    ("2025-04-03T09:10", pd.Timestamp(2025, 4, 3, 9, 10)),
    ("2025-07-01T08:10:00Z", pd.Timestamp(2025, 7, 1, 9, 10)),      # BST: UTC+1
    ("2025-01-15T09:10:00+00:00", pd.Timestamp(2025, 1, 15, 9, 10)),  # GMT
    ("2025-07-01T10:10:00+02:00", pd.Timestamp(2025, 7, 1, 9, 10)),
])
def test_accepted_date_forms(tmp_path, text, expected):
    rows = changed("requests", 1, received_at=text)
    t = load(write(tmp_path, rows), "requests")
    assert t.loc[1, "received_at"] == expected


def test_allowed_values_match_case_insensitively(tmp_path):
    t = load(write(tmp_path, changed("requests", 0, channel="Walk-In", priority="p1")),
             "requests")
    assert (t.loc[0, "channel"], t.loc[0, "priority"]) == ("walk-in", "P1")


def test_many_bad_rows_are_counted_not_all_listed(tmp_path):
    rows = [dict(GOOD["requests"][1], request_id=f"R{i}", channel="fax") for i in range(100)]
    with pytest.raises(DataError) as info:
        load(write(tmp_path, rows), "requests")
    found = info.value.problems
    assert len(found) == 21
    assert "80 more rows" in found[-1].message and found[-1].column == "channel"


def test_cross_file_events_and_complaints_agree(tmp_path):
    complaints = load(write(tmp_path, GOOD["complaints"], "c.csv"), "complaints")
    events = load(write(tmp_path, GOOD["complaint_events"], "e.csv"), "complaint_events")
    check_complaint_events(complaints, events)  # no error


def test_cross_file_problems(tmp_path):
    complaints = load(write(tmp_path, changed("complaints", 0, received_at="2025-02-03 09:00"),
                            "c.csv"), "complaints")
    events_rows = [dict(r) for r in GOOD["complaint_events"]]
    events_rows[2]["complaint_id"] = "C9"
    events = load(write(tmp_path, events_rows, "e.csv"), "complaint_events")
    with pytest.raises(DataError) as info:
        check_complaint_events(complaints, events)
    found = {(p.file, p.row, p.column) for p in info.value.problems}
    assert ("e.csv", 4, "complaint_id") in found      # event for unknown complaint C9
    assert ("c.csv", 3, "complaint_id") in found      # C2 has no events
    assert ("c.csv", 2, "received_at") in found       # C1 received at differs
    assert len(found) == 3


def test_blank_lines_are_skipped_but_row_numbers_match_the_file(tmp_path):
    path = tmp_path / "survey_invitations.csv"
    path.write_text("wave,department,invited\n1,HR,4\n\n,,\n1,IT,0\n1,HR,5\n\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(path, "survey_invitations")
    found = {(p.row, p.column): p.message for p in info.value.problems}
    assert set(found) == {(5, "invited"), (6, "wave + department")}
    assert "first on row 2" in found[(6, "wave + department")]


def test_blank_lines_leave_a_clean_table(tmp_path):
    path = tmp_path / "survey_invitations.csv"
    path.write_text("wave,department,invited\n\n1,HR,4\n\n2,HR,5\n", encoding="utf-8")
    table = load(path, "survey_invitations")
    assert table.index.tolist() == [0, 1]
    assert table["invited"].tolist() == [4, 5]


def test_blank_rows_in_a_workbook_keep_row_numbers(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["wave", "department", "invited"], [1, "HR", 4], [None, None, None],
                [1, "IT", -3]):
        sheet.append(row)
    path = tmp_path / "invites.xlsx"
    book.save(path)
    with pytest.raises(DataError) as info:
        load(path, "survey_invitations")
    assert [(p.row, p.column) for p in info.value.problems] == [(4, "invited")]
