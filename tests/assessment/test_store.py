"""The answer store, on SQLite and on PostgreSQL (same tests, parametrised fixture)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ilcs.assessment import schema
from ilcs.assessment.migrations import MIGRATIONS, Migration, latest_version
from ilcs.assessment.store import AnswerStore, default_url
from ilcs.errors import StoreError


def test_every_save_is_a_new_row_and_latest_is_the_newest(store):
    store.save_answer("c1", "q1", "a", "practice", "v1", saved_at="2026-01-01T10:00:00.000000Z")
    store.save_answer("c1", "q1", "b", "practice", "v1", saved_at="2026-01-01T10:05:00.000000Z")
    store.save_answer("c1", "q2", ["x", "y"], "assessed", "v1")
    store.save_answer("c2", "q1", {"l1": "r1"}, "practice", "v1")
    latest = store.latest_answers("c1")
    assert {k: v.response for k, v in latest.items()} == {"q1": "b", "q2": ["x", "y"]}
    history = store.answer_history("c1", "q1")
    assert [h.response for h in history] == ["a", "b"]
    assert store.count_answers() == 4
    everyone = {(a.candidate_id, a.question_id): a.response for a in store.all_latest_answers()}
    assert everyone == {("c1", "q1"): "b", ("c1", "q2"): ["x", "y"], ("c2", "q1"): {"l1": "r1"}}


def test_saving_the_same_uid_twice_is_idempotent(store):
    first = store.save_answer("c1", "q1", 12.5, "practice", "v1", answer_uid="u-1")
    again = store.save_answer("c1", "q1", 99, "practice", "v1", answer_uid="u-1")
    assert again == first and again.response == 12.5
    assert store.count_answers() == 1
    assert len(store.audit_trail(action="answer_saved")) == 1


def test_each_answer_is_audited(store):
    a = store.save_answer("c1", "q1", "a", "assessed", "v1", actor="trainee-laptop")
    trail = store.audit_trail(subject="c1/q1")
    assert len(trail) == 1
    entry = trail[0]
    assert (entry.actor, entry.action) == ("trainee-laptop", "answer_saved")
    assert entry.details["answer_uid"] == a.answer_uid
    store.audit("assessor-1", "decision", "c1/4.2", {"met": True})
    assert [e.action for e in store.audit_trail(actor="assessor-1")] == ["decision"]
    assert len(store.audit_trail(subject_prefix="c1/")) == 2


@pytest.mark.parametrize("table", ["answers", "audit_log"])
def test_append_only_tables_refuse_update_and_delete(store, table):
    store.save_answer("c1", "q1", "a", "practice", "v1")
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.exec_driver_sql(statement)
    assert store.count_answers() == 1


def test_candidates_are_saved_and_updated(store):
    store.save_candidate("c1", name="Asha Patel", candidate_number="A123", centre="North")
    store.save_candidate("c1", name="Asha Patel", candidate_number="A123", centre="South",
                         assessor="Sam")
    c = store.candidate("c1")
    assert (c.centre, c.assessor) == ("South", "Sam")
    assert [x.candidate_id for x in store.candidates()] == ["c1"]
    assert len(store.audit_trail(action="profile_saved", subject="c1")) == 2


def test_unserialisable_answer_is_refused_clearly(store):
    with pytest.raises(StoreError, match="cannot be saved"):
        store.save_answer("c1", "q1", {1, 2}, "practice", "v1")
    with pytest.raises(ValueError):
        store.save_answer("c1", "q1", "a", "exam", "v1")
    assert store.count_answers() == 0


def test_reopen_keeps_everything_and_version(store_url):
    with AnswerStore.open(store_url) as s:
        s.save_answer("c1", "q1", "a", "practice", "v1")
        assert s.schema_version() == latest_version()
    with AnswerStore.open(store_url) as s:
        assert s.count_answers() == 1
        assert len(s.engine.dialect.name) > 0


def test_too_new_store_is_refused(store_url):
    with AnswerStore.open(store_url) as s, s.transaction() as conn:
        conn.execute(sa.insert(schema.schema_version).values(
            version=latest_version() + 1, description="from the future",
            applied_at="2030-01-01T00:00:00.000000Z"))
    with pytest.raises(StoreError, match="written by a newer ilcs"):
        AnswerStore.open(store_url)


def test_old_store_is_upgraded_on_open(store_url):
    calls = []
    new = latest_version() + 1  # whatever migrations exist, add one more

    def _v2(conn):
        calls.append(new)
        conn.exec_driver_sql("CREATE TABLE decisions_test (id INTEGER PRIMARY KEY)")

    with AnswerStore.open(store_url) as s:
        s.save_answer("c1", "q1", "a", "practice", "v1")
    chain = (*MIGRATIONS, Migration(new, "test table", _v2))
    with AnswerStore.open(store_url, migrations=chain) as s:
        assert s.schema_version() == new
        assert s.count_answers() == 1
        assert sa.inspect(s.engine).has_table("decisions_test")
    with AnswerStore.open(store_url, migrations=chain) as s:  # not applied twice
        assert calls == [new]


def test_sqlite_store_uses_wal_and_the_user_data_dir(ilcs_home):
    assert default_url() == f"sqlite:///{ilcs_home / 'answers.sqlite'}"
    with AnswerStore.open() as s:
        s.save_answer("c1", "q1", "a", "practice", "v1")
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    assert (ilcs_home / "answers.sqlite").is_file()


def test_database_url_environment_variable_is_used(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv("ILCS_DATABASE_URL", f"sqlite:///{target}")
    with AnswerStore.open() as s:
        s.save_answer("c1", "q1", "a", "practice", "v1")
    assert target.is_file()


def test_bad_url_and_unreachable_server_give_store_errors(tmp_path):
    with pytest.raises(StoreError, match="not a database URL"):
        AnswerStore.open("not a url")
    with pytest.raises(StoreError, match="cannot open the answer store"):
        AnswerStore.open("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_a_damaged_sqlite_file_gives_a_clear_message(tmp_path):
    path = tmp_path / "answers.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="damaged or is not an answer store"):
        AnswerStore.open(f"sqlite:///{path}")
