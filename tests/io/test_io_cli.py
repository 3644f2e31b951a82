"""`ilcs data check` on the committed sample files and on bad input."""

from __future__ import annotations

import pytest

from ilcs.cli import main
from ilcs.io import KINDS, load_sample
from ilcs.paths import sample_dir


@pytest.mark.parametrize("kind", KINDS)
def test_every_committed_sample_file_checks_ok(kind, capsys):
    assert main(["data", "check", str(sample_dir() / f"{kind}.csv"), "--kind", kind]) == 0
    out = capsys.readouterr().out
    assert f"OK, a valid {kind} file" in out
    assert f"{len(load_sample(kind)):,} rows" in out


def test_kind_is_taken_from_the_file_name(capsys):
    assert main(["data", "check", str(sample_dir() / "complaint_events.csv")]) == 0
    assert "valid complaint_events file" in capsys.readouterr().out


def test_summary_gives_date_range(capsys):
    main(["data", "check", str(sample_dir() / "requests.csv")])
    out = capsys.readouterr().out
    assert "received_at: 2025-01-" in out and " to 2025-12-" in out


def test_complaints_with_events(capsys):
    assert main(["data", "check", str(sample_dir() / "complaints.csv"), "--events",
                 str(sample_dir() / "complaint_events.csv")]) == 0


def test_load_sample_returns_a_fresh_copy():
    a = load_sample("standards")
    a.loc[0, "target"] = 999
    assert load_sample("standards").loc[0, "target"] != 999


@pytest.mark.parametrize("content,words", [
    (None, "file not found"),
    (b"", "empty"),
    (b"\x00\x01\x02\x03binary\xff\xfe" * 50, "binary"),
    (b"PK\x03\x04 not really a zip", "Excel"),
])
def test_bad_files_exit_2_without_traceback(tmp_path, capsys, content, words):
    path = tmp_path / "requests.csv"
    if content is not None:
        path.write_bytes(content)
    assert main(["data", "check", str(path), "--kind", "requests"]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_unknown_kind_and_bad_map_exit_2(tmp_path, capsys):
    path = sample_dir() / "standards.csv"
    assert main(["data", "check", str(path), "--kind", "tickets"]) == 2
    assert "unknown kind" in capsys.readouterr().err
    assert main(["data", "check", str(path), "--map", "nonsense"]) == 2
    assert "SOURCE=COLUMN" in capsys.readouterr().err


def test_bad_xlsx_exits_2(tmp_path, capsys):
    path = tmp_path / "requests.xlsx"
    path.write_bytes(b"this is not a workbook")
    assert main(["data", "check", str(path), "--kind", "requests"]) == 2
    assert "Excel workbook" in capsys.readouterr().err


def test_complaints_with_events_that_disagree(tmp_path, capsys):
    events = (sample_dir() / "complaint_events.csv").read_text(encoding="utf-8")
    bad = tmp_path / "complaint_events.csv"  # CMP-0001's events given to an unknown CMP-9999
    bad.write_text(events.replace("CMP-0001,", "CMP-9999,"), encoding="utf-8")
    assert main(["data", "check", str(sample_dir() / "complaints.csv"), "--events",
                 str(bad)]) == 2
    err = capsys.readouterr().err
    assert "complaint_events.csv, row 2, column 'complaint_id'" in err
    assert "CMP-9999" in err
    assert "complaints.csv, row 2, column 'complaint_id': complaint 'CMP-0001' has no events" in err


def test_utf16_text_from_excel_is_read(tmp_path):
    from ilcs.io import read_table

    path = tmp_path / "invites.csv"
    path.write_bytes("wave\tdepartment\tinvited\r\n1\tCafé\t4\r\n".encode("utf-16"))
    table = read_table(path)
    assert table.to_dict("records") == [{"wave": "1", "department": "Café", "invited": "4"}]


def test_row_with_too_many_values_is_named(tmp_path, capsys):
    path = tmp_path / "survey_invitations.csv"
    path.write_text("wave,department,invited\n1,HR,4\n1,IT,4,9\n", encoding="utf-8")
    assert main(["data", "check", str(path)]) == 2
    assert "row 3: this row has 4 values but the header has 3 columns" in capsys.readouterr().err


def test_columns_lists_the_contract(capsys):
    assert main(["data", "columns", "requests"]) == 0
    out = capsys.readouterr().out
    assert "channel (text): required; one of portal, email, phone, walk-in, chat" in out
    assert "resolved_at must not be before received_at" in out
    assert main(["data", "columns"]) == 0
    out = capsys.readouterr().out
    assert all(f"{kind}:" in out for kind in KINDS)
    assert "no cycles" in out
    assert main(["data", "columns", "tickets"]) == 2
