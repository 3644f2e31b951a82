"""`ilcs backup` and `ilcs restore`: a consistent copy of a live store, WAL included."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from ilcs.assessment import review
from ilcs.assessment.store import AnswerStore
from ilcs.cli import main


def _fill(store: AnswerStore, candidate: str = "c1") -> None:
    store.save_candidate(candidate, name="Asha Patel", candidate_number="A1", centre="North")
    for i in range(3):
        store.save_answer(candidate, f"q{i}", f"answer {i}", "assessed", "v1")
    review.record_evidence(store, candidate, "7.1", "observation", "Handled a request well",
                           "02/11/2026", recorded_by="A. Khan")
    review.sign_off(store, candidate, "assessor", "A. Khan")


def _count(path: Path, table: str) -> int:
    """Rows of `table` in the SQLite file at `path` alone (0 if it has no such table)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def test_a_backup_of_a_live_store_holds_what_is_still_in_the_wal(tmp_path, capsys):
    path = tmp_path / "answers.sqlite"
    url = f"sqlite:///{path}"
    store = AnswerStore.open(url)  # stays open: its connection keeps the WAL un-checkpointed
    try:
        _fill(store)
        wal = Path(f"{path}-wal")
        assert wal.stat().st_size > 0
        naive = tmp_path / "copied-file-only.sqlite"
        shutil.copyfile(path, naive)  # what copying the .sqlite file alone gives
        assert _count(naive, "signoffs") == 0 and _count(naive, "evidence_records") == 0
        out = tmp_path / "backup.sqlite"
        assert main(["backup", str(out), "--database", url]) == 0
        assert "holds 3 answers" in capsys.readouterr().out
    finally:
        store.close()
    assert _count(out, "signoffs") == 1 and _count(out, "evidence_records") == 1
    assert _count(out, "answers") == 3
    db = sqlite3.connect(out)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with AnswerStore.open(f"sqlite:///{out}") as copy:
        assert copy.verify().problems == []
        assert copy.candidate("c1").name == "Asha Patel"


def test_backup_refuses_to_overwrite_or_to_invent_a_store(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    with AnswerStore.open(url) as store:
        _fill(store)
    out = tmp_path / "backup.sqlite"
    out.write_text("an older backup", encoding="utf-8")
    assert main(["backup", str(out), "--database", url]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "an older backup"
    missing = tmp_path / "nowhere.sqlite"
    assert main(["backup", str(tmp_path / "b2.sqlite"), "--database",
                 f"sqlite:///{missing}"]) == 2
    assert "there is no answer store" in capsys.readouterr().err
    assert not missing.exists() and not (tmp_path / "b2.sqlite").exists()


def test_restore_refuses_a_store_with_content_unless_forced(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    with AnswerStore.open(url) as store:
        _fill(store)
    out = tmp_path / "backup.sqlite"
    assert main(["backup", str(out), "--database", url]) == 0
    with AnswerStore.open(url) as store:
        _fill(store, "c2")  # work done after the backup
    capsys.readouterr()
    assert main(["restore", str(out), "--database", url]) == 2
    err = capsys.readouterr().err
    assert "is not empty" in err and "--force" in err
    with AnswerStore.open(url) as store:
        assert store.count_answers() == 6  # nothing replaced
    assert main(["restore", str(out), "--database", url, "--force"]) == 0
    with AnswerStore.open(url) as store:
        assert store.count_answers() == 3 and store.candidate("c2") is None
        restored = store.audit_trail(action="store_restored")
        assert len(restored) == 1
        assert restored[0].details["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
        assert restored[0].details["replaced"]["answers"] == 6
        assert store.verify().problems == []


def test_restore_into_a_new_store_and_bad_files(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    with AnswerStore.open(url) as store:
        _fill(store)
    out = tmp_path / "backup.sqlite"
    assert main(["backup", str(out), "--database", url]) == 0
    new_url = f"sqlite:///{tmp_path / 'elsewhere' / 'answers.sqlite'}"
    assert main(["restore", str(out), "--database", new_url]) == 0
    with AnswerStore.open(new_url) as store:
        assert store.count_answers() == 3
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello", encoding="utf-8")
    capsys.readouterr()
    assert main(["restore", str(not_a_backup), "--database", new_url]) == 2
    assert "is not an ilcs backup" in capsys.readouterr().err
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert main(["restore", str(other), "--database", f"sqlite:///{tmp_path / 'n.sqlite'}"]
                ) == 2
    assert "is not an answer store backup" in capsys.readouterr().err


@pytest.mark.postgres
def test_postgresql_backup_and_restore_with_pg_dump(pg_schema_url, tmp_path, capsys):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")
    with AnswerStore.open(pg_schema_url) as store:
        _fill(store)
    out = tmp_path / "store.dump"
    assert main(["backup", str(out), "--database", pg_schema_url]) == 0
    assert out.read_bytes().startswith(b"PGDMP")
    with AnswerStore.open(pg_schema_url) as store:
        _fill(store, "c2")
    capsys.readouterr()
    assert main(["restore", str(out), "--database", pg_schema_url]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert main(["restore", str(out), "--database", pg_schema_url, "--force"]) == 0
    with AnswerStore.open(pg_schema_url) as store:
        assert store.count_answers() == 3 and store.candidate("c2") is None
        assert len(store.audit_trail(action="store_restored")) == 1
        assert store.verify().problems == []


@pytest.mark.postgres
def test_without_pg_dump_the_message_is_clear(pg_schema_url, tmp_path, capsys, monkeypatch):
    AnswerStore.open(pg_schema_url).close()
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump to be found
    out = tmp_path / "store.dump"
    assert main(["backup", str(out), "--database", pg_schema_url]) == 2
    err = capsys.readouterr().err
    assert "pg_dump is not installed" in err and "postgresql-client" in err
    assert not out.exists()
