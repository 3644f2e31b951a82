"""Every file in datasets/messy/ is rejected by `ilcs data check` (exit 2) with a message
that points at the right row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from ilcs.cli import main
from ilcs.datagen.messy import FLAWS, write_messy
from ilcs.paths import datasets_dir

MESSY = datasets_dir() / "messy"

# file -> (kind, [(spreadsheet row or None, column or None, words in the message)])
EXPECTED: dict[str, tuple[str, list[tuple[int | None, str | None, str]]]] = {
    "requests_missing_columns.csv": ("requests", [
        (None, "received_at", "required column 'received_at' is missing"),
        (None, "priority", "required column 'priority' is missing")]),
    "requests_duplicate_ids.csv": ("requests", [(9, "request_id", "first on row 4")]),
    "requests_resolved_before_received.csv": ("requests", [
        (6, "resolved_at", "must not be before received_at")]),
    "requests_unparseable_dates.csv": ("requests", [
        (3, "received_at", "'3rd Jan 2025 10am' is not a date in an accepted format"),
        (11, "first_response_at", "'ASAP'")]),
    "requests_impossible_dates.csv": ("requests", [
        (5, "received_at", "'31/02/2025 09:40' is not a real date"),
        (12, "resolved_at", "'29/02/2025 16:05' is not a real date")]),
    "requests_us_dates.csv": ("requests", [(7, "received_at", "'01/13/2025 09:10'")]),
    "requests_bad_values.csv": ("requests", [
        (2, "channel", "'fax' is not allowed"), (8, "priority", "'High' is not allowed"),
        (10, "reopened", "must be at least 0")]),
    "requests_on_hold_after_resolved.csv": ("requests", [
        (8, "resolved_at", "must not be before on_hold_until")]),
    "requests_empty.csv": ("requests", [(None, None, "the file is empty")]),
    "standards_bad_targets.csv": ("standards", [
        (3, "target", "must be more than 0"), (6, "target", "'4 hours' is not a number"),
        (9, "unit", "'days' is not allowed")]),
    "standards_closes_before_opens.csv": ("standards", [
        (5, "closes", "must be after opens"), (10, "lunch", "within opening hours")]),
    "complaints_duplicate_ids.csv": ("complaints", [(12, "complaint_id", "first on row 5")]),
    "complaints_bad_values.csv": ("complaints", [
        (4, "severity", "'urgent'"), (7, "outcome", "'resolved'"),
        (9, "satisfied_with_handling", "'Y'")]),
    "complaint_events_closed_before_received.csv": ("complaint_events", [
        (9, "at", "closed at 2024-12-31 09:20 is before complaint CMP-0001 was received")]),
    "complaint_events_first_not_received.csv": ("complaint_events", [
        (10, "stage", "first event of complaint CMP-0002 is 'acknowledged'")]),
    "survey_responses_out_of_range.csv": ("survey_responses", [
        (3, "q_timely", "at most 5"), (6, "recommend", "at most 10"),
        (10, "effort", "at least 1"), (14, "q_overall", "'4.5' is not a whole number")]),
    "survey_responses_header_only.csv": ("survey_responses", [(None, None, "no data rows")]),
    "survey_responses_empty.csv": ("survey_responses", [(None, None, "the file is empty")]),
    "survey_invitations_duplicate_department.csv": ("survey_invitations", [
        (5, "wave + department", "first on row 4"), (12, "invited", "more than 0")]),
    "org_chart_cycle.csv": ("org_chart", [(12, "reports_to", "R011 -> R013 -> R011")]),
    "org_chart_unknown_manager.csv": ("org_chart", [(20, "reports_to", "'R999'")]),
}


def where(row: int | None, column: str | None) -> str:
    parts = []
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def test_every_messy_file_is_listed_here():
    assert sorted(p.name for p in MESSY.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_messy_file_exits_2_naming_row_and_column(name, capsys):
    kind, expected = EXPECTED[name]
    assert main(["data", "check", str(MESSY / name), "--kind", kind]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.out == ""
    lines = captured.err.splitlines()
    for row, column, words in expected:
        hits = [ln for ln in lines if where(row, column) in ln and words in ln
                and name in ln]
        assert hits, f"{name}: no line with {where(row, column)!r} and {words!r}:\n{captured.err}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_kind_is_inferred_from_messy_file_name(name):
    assert main(["data", "check", str(MESSY / name)]) == 2


def test_messy_files_are_rebuilt_exactly(tmp_path: Path):
    paths = write_messy(tmp_path)
    assert sorted(p.name for p in paths) == sorted(EXPECTED)
    for path in paths:
        assert path.read_bytes() == (MESSY / path.name).read_bytes(), path.name
    assert len({f.file_name for f in FLAWS}) == len(FLAWS)
