"""Migrations that do not move: each spells out its tables as they were at its version.

On SQLite and PostgreSQL: a new migration that adds a column works on a fresh store and on an
old one; a store built by every migration from empty has exactly the schema of today's table
definitions (and of a store upgraded one version at a time, and of a store written by the
release before the migrations were frozen).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from ilcs.assessment import review_tables, schema
from ilcs.assessment.migrations import (
    APPEND_ONLY,
    MIGRATIONS,
    Migration,
    latest_version,
    sqlite_guards,
)
from ilcs.assessment.store import AnswerStore
from tests.support.store_schema import describe

OLD_STORE = Path(__file__).resolve().parent / "fixtures" / "stores" / "version-2.sql"


def _add_email(conn: sa.Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE candidates ADD COLUMN email VARCHAR(200)")


EMAIL = Migration(latest_version() + 1, "email of each candidate", _add_email)
WITH_EMAIL = (*MIGRATIONS, EMAIL)


def _defined(url: str) -> sa.Engine:
    """A database made from today's table definitions (create_all), no migrations."""
    engine = sa.create_engine(url)
    schema.metadata.create_all(engine)
    review_tables.review_metadata.create_all(engine)
    return engine


def _definitions_with_email(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today's definitions changed as the recipe says: `candidates` gains `email`."""
    metadata = sa.MetaData()
    for table in schema.metadata.sorted_tables:
        table.to_metadata(metadata)
    candidates = metadata.tables["candidates"]
    candidates.append_column(sa.Column("email", sa.String(200), nullable=True))
    monkeypatch.setattr(schema, "metadata", metadata)
    monkeypatch.setattr(schema, "candidates", candidates)


def _save_as_version_1_did(store: AnswerStore, candidate_id: str, n: int) -> None:
    """An answer and its audit entry with the columns of version 1 only, as ilcs wrote them
    before the audit trail was hash-chained (version 3)."""
    with store.transaction() as conn:
        conn.execute(sa.text(
            "INSERT INTO answers (answer_uid, candidate_id, question_id, response, mode, "
            "bank_version, saved_at, recorded_at, origin) VALUES (:uid, :cid, 'q1', :response, "
            "'practice', 'v1', :at, :at, 'notebook')"),
            {"uid": f"uid-{n}", "cid": candidate_id, "response": str(n),
             "at": "2026-01-01T00:00:00.000000Z"})
        conn.execute(sa.text(
            "INSERT INTO audit_log (at, actor, action, subject, details) VALUES "
            "(:at, :cid, 'answer_saved', :subject, :details)"),
            {"at": "2026-01-01T00:00:00.000000Z", "cid": candidate_id,
             "subject": f"{candidate_id}/q1", "details": f'{{"answer_uid":"uid-{n}"}}'})


def _columns(store: AnswerStore, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(store.engine).get_columns(table)]


def test_migration_names_are_words():
    for migration in MIGRATIONS:
        assert re.fullmatch(r"[a-z][a-z ,'-]*[a-z]", migration.description), migration
        assert "assessment ii" not in migration.description.lower()
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_a_migration_adding_a_column_works_on_a_fresh_store(new_store_url, monkeypatch):
    _definitions_with_email(monkeypatch)
    url = new_store_url()
    with AnswerStore.open(url, migrations=WITH_EMAIL) as store:
        assert store.schema_version() == EMAIL.version
        assert _columns(store, "candidates")[-1] == "email"
        store.save_candidate("c1", name="Asha Patel", candidate_number="A1", centre="North")
        with store.transaction() as conn:
            conn.exec_driver_sql("UPDATE candidates SET email = 'asha@example.org'")
            assert conn.exec_driver_sql("SELECT email FROM candidates").scalar() == \
                "asha@example.org"
        # Today's definitions, with the column, agree with the migrated store.
        defined = _defined(new_store_url())
        try:
            assert describe(store.engine, triggers=False) == describe(defined, triggers=False)
        finally:
            defined.dispose()


def test_a_migration_adding_a_column_works_on_an_old_store(new_store_url, monkeypatch):
    url = new_store_url()
    with AnswerStore.open(url) as store:  # an old store: everything up to today
        store.save_candidate("c1", name="Asha Patel", candidate_number="A1", centre="North")
        store.save_answer("c1", "q1", "a", "assessed", "v1")
    _definitions_with_email(monkeypatch)  # then ilcs is updated
    with AnswerStore.open(url, migrations=WITH_EMAIL) as store:
        assert store.schema_version() == EMAIL.version
        assert "email" in _columns(store, "candidates")
        assert store.candidate("c1").name == "Asha Patel"
        assert store.count_answers() == 1
        with AnswerStore.open(new_store_url(), migrations=WITH_EMAIL) as fresh:
            assert describe(store.engine) == describe(fresh.engine)
    with AnswerStore.open(url, migrations=WITH_EMAIL) as store:  # not applied twice
        assert store.schema_version() == EMAIL.version


def test_every_migration_from_empty_gives_todays_table_definitions(new_store_url):
    with AnswerStore.open(new_store_url()) as store:
        defined = _defined(new_store_url())
        try:
            migrated = describe(store.engine)
            assert migrated["tables"] == describe(defined, triggers=False)["tables"]
        finally:
            defined.dispose()
        assert set(migrated["tables"]) >= set(APPEND_ONLY)
        if store.dialect == "sqlite":
            expected = {name: sql for table in APPEND_ONLY
                        for name, sql in sqlite_guards(table).items()}
            assert migrated["triggers"] == expected
        else:
            names = {name for name in migrated["triggers"]}
            assert {f"{t}_append_only" for t in APPEND_ONLY} <= names


def test_a_store_upgraded_one_version_at_a_time_equals_a_fresh_one(new_store_url):
    url = new_store_url()
    for n in range(1, len(MIGRATIONS) + 1):
        with AnswerStore.open(url, migrations=MIGRATIONS[:n]) as store:
            assert store.schema_version() == n
            if n < 3:
                _save_as_version_1_did(store, f"c{n}", n)
            else:
                store.save_answer(f"c{n}", "q1", n, "practice", "v1")
    with AnswerStore.open(url) as upgraded, AnswerStore.open(new_store_url()) as fresh:
        assert describe(upgraded.engine) == describe(fresh.engine)
        assert upgraded.count_answers() == len(MIGRATIONS)
        assert upgraded.verify().problems == []


def test_a_store_written_by_the_previous_release_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(OLD_STORE.read_text(encoding="utf-8"))
    db.close()
    url = f"sqlite:///{path}"
    with AnswerStore.open(url, migrate=False) as old:
        assert old.schema_version() == 2
    with AnswerStore.open(url) as store, \
            AnswerStore.open(f"sqlite:///{tmp_path / 'fresh.sqlite'}") as fresh:
        assert store.schema_version() == latest_version()
        assert describe(store.engine) == describe(fresh.engine)
        assert {k: a.response for k, a in store.latest_answers("cand-old").items()} == {
            "q-one": "c", "q-two": ["a", "b"]}
        assert store.candidate("cand-old").name == "Olive Older"
        assert [e.action for e in store.audit_trail(actor="A. Khan")] == [
            "action_point_set", "note"]
