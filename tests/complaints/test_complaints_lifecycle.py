"""The complaints procedure file and the log checks: every rule fails with its exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from ilcs.complaints import check_log, default_procedure, load_procedure
from ilcs.complaints.lifecycle import findings_table, procedure_from_dict
from ilcs.errors import DataError
from ilcs.io import load, load_sample

HEADER = "complaint_id,stage,at,actor,note\n"


def _check(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return [str(f.problem(path.name)) for f in check_log(load(path, "complaint_events"))]


def test_the_sample_log_follows_the_sample_procedure() -> None:
    assert check_log(load_sample("complaint_events")) == []


def test_responded_or_closed_without_acknowledgement(tmp_path: Path) -> None:
    body = ("X1,received,2025-03-03 09:00,,\n"
            "X1,assessed,2025-03-03 10:00,,\n"
            "X1,investigating,2025-03-03 11:00,,\n"
            "X1,responded,2025-03-04 09:00,,\n"
            "X1,closed,2025-03-04 10:00,,\n")
    assert _check(tmp_path, body) == [
        "events.csv, row 3, column 'stage': complaint X1: goes from 'received' to 'assessed', "
        "which the procedure does not allow (after 'received' it allows: acknowledged)",
        "events.csv, row 5, column 'stage': complaint X1: responded to at 04/03/2025 09:00 "
        "without an acknowledgement before it",
        "events.csv, row 6, column 'stage': complaint X1: closed at 04/03/2025 10:00 without "
        "an acknowledgement before it",
    ]


def test_reopened_without_an_earlier_close(tmp_path: Path) -> None:
    body = ("X2,received,2025-03-03 09:00,,\n"
            "X2,acknowledged,2025-03-03 10:00,,\n"
            "X2,reopened,2025-03-03 11:00,,\n")
    assert _check(tmp_path, body) == [
        "events.csv, row 4, column 'stage': complaint X2: reopened at 03/03/2025 11:00 without "
        "being responded or closed before"]
    strict = procedure_from_dict({**default_procedure().to_dict(), "reopen_after": ["closed"]})
    path = tmp_path / "events.csv"
    findings = check_log(load(path, "complaint_events"), strict)
    assert [f.message for f in findings] == [
        "complaint X2: reopened at 03/03/2025 11:00 without being closed before"]


def test_exact_duplicate_event(tmp_path: Path) -> None:
    body = ("X3,received,2025-03-03 09:00,Ruby Shaw,Logged\n"
            "X3,acknowledged,2025-03-03 10:00,Ruby Shaw,Sent\n"
            "X3,acknowledged,2025-03-03 10:00,Ruby Shaw,Sent\n"
            "X3,acknowledged,2025-03-03 10:00,Ruby Shaw,Sent again\n")
    assert _check(tmp_path, body) == [
        "events.csv, row 4, column 'stage': complaint X3: this 'acknowledged' event at "
        "03/03/2025 10:00 repeats row 3 exactly",
        "events.csv, row 5, column 'stage': complaint X3: goes from 'acknowledged' to "
        "'acknowledged', which the procedure does not allow (after 'acknowledged' it allows: "
        "assessed)",
    ]


def test_rows_are_the_file_rows_even_after_a_blank_line(tmp_path: Path) -> None:
    """A blank line is left out when the file is read; the rows named stay the file's own."""
    body = ("X3,received,2025-03-03 09:00,Ruby Shaw,Logged\n"
            "\n"
            "X3,acknowledged,2025-03-03 10:00,Ruby Shaw,Sent\n"
            "X3,acknowledged,2025-03-03 10:00,Ruby Shaw,Sent\n")
    assert _check(tmp_path, body)[0] == (
        "events.csv, row 5, column 'stage': complaint X3: this 'acknowledged' event at "
        "03/03/2025 10:00 repeats row 4 exactly")


def test_events_after_closing_other_than_reopened(tmp_path: Path) -> None:
    body = ("X4,received,2025-03-03 09:00,,\n"
            "X4,acknowledged,2025-03-03 10:00,,\n"
            "X4,assessed,2025-03-03 11:00,,\n"
            "X4,responded,2025-03-04 09:00,,\n"
            "X4,closed,2025-03-04 10:00,,\n"
            "X4,investigating,2025-03-05 10:00,,\n"
            "X4,reopened,2025-03-06 10:00,,\n"
            "X4,responded,2025-03-07 10:00,,\n")
    assert _check(tmp_path, body) == [
        "events.csv, row 7, column 'stage': complaint X4: 'investigating' at 05/03/2025 10:00 "
        "comes after the complaint was closed; only 'reopened' may follow a close"]


def test_transition_not_allowed_and_unknown_stage(tmp_path: Path) -> None:
    own = procedure_from_dict({
        "name": "Our procedure",
        "stages": ["received", "acknowledged", "responded", "closed", "reopened"],
        "transitions": {"received": ["acknowledged"], "acknowledged": ["responded"],
                        "responded": ["closed"], "closed": ["reopened"],
                        "reopened": ["responded"]},
        "reopen_after": ["closed"],
        "timescales": {"acknowledge": {"within": 2, "unit": "working_days"},
                       "respond": {"within": 20, "unit": "working_days"}},
    })
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "X5,received,2025-03-03 09:00,,\n"
                    "X5,acknowledged,2025-03-03 10:00,,\n"
                    "X5,escalated,2025-03-03 11:00,,\n"
                    "X5,responded,2025-03-04 09:00,,\n"
                    "X5,reopened,2025-03-04 10:00,,\n", encoding="utf-8")
    findings = check_log(load(path, "complaint_events"), own)
    assert [(f.row, f.rule, f.message) for f in findings] == [
        (4, "unknown stage", "complaint X5: 'escalated' is not a stage of Our procedure"),
        (6, "reopen without close",
         "complaint X5: reopened at 04/03/2025 10:00 without being closed before"),
    ]
    assert list(findings_table(findings)["complaint_id"]) == ["X5", "X5"]


def test_procedure_file_problems_are_all_listed(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text("stages: [received, acknowledged, answered, closed]\n"
                    "transitions: {received: [acknowledged], acknowledged: [answered]}\n"
                    "timescales:\n  acknowledge: {within: 0, unit: working_days}\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_procedure(path)
    assert [str(p) for p in caught.value.problems] == [
        "ours.yaml, column 'stages': 'answered' is not a stage of the complaint log (stages: "
        "received, acknowledged, assessed, investigating, responded, closed, reopened, "
        "escalated)",
        "ours.yaml, column 'stages': the stages must include 'responded'",
        "ours.yaml, column 'timescales': timescale 'acknowledge': 'within' must be a number "
        "above 0, not 0",
        "ours.yaml, column 'timescales': timescale 'respond' is missing (e.g. {within: 2, "
        "unit: working_days})",
    ]


def test_default_procedure_round_trips_through_yaml(tmp_path: Path) -> None:
    p = default_procedure()
    assert (p.target_hours("acknowledge"), p.target_hours("respond")) == (8.0, 80.0)
    path = tmp_path / "copy.yaml"
    path.write_text(p.to_yaml(), encoding="utf-8")
    assert load_procedure(path) == p
