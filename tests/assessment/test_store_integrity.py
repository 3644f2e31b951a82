"""A tamper-evident store, on SQLite and PostgreSQL: the hash-chained audit trail, the
append-only guards (TRUNCATE too), guards put back on opening, and `ilcs store verify`.

Tampering is done as an attacker would: directly in SQL, around the store."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from ilcs.assessment import review
from ilcs.assessment.migrations import APPEND_ONLY, sqlite_guards
from ilcs.assessment.store import AnswerStore
from ilcs.cli import main
from ilcs.errors import StoreError

OLD_STORE = Path(__file__).resolve().parent / "fixtures" / "stores" / "version-2.sql"
GENESIS = "0" * 64


def _fill(store: AnswerStore) -> None:
    """Answers, a profile and review actions: every kind of append-only row."""
    store.save_candidate("c1", name="Asha Patel", candidate_number="A1", centre="North")
    for i in range(3):
        store.save_answer("c1", f"q{i}", {"i": i, "text": "é"}, "assessed", "v1")
    review.add_action_point(store, "c1", "1.1", "Read the notebook again", "31/12/2026",
                            set_by="A. Khan")
    review.record_evidence(store, "c1", "7.1", "observation", "Handled a request well",
                           "02/11/2026", recorded_by="A. Khan")
    review.sign_off(store, "c1", "learner", "Asha Patel")


def _tamper(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _drop_guard(dialect: str, table: str) -> str:
    if dialect == "sqlite":
        return f"DROP TRIGGER {table}_no_update"
    return f"DROP TRIGGER {table}_append_only ON {table}"


def _verify(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["store", "verify", "--database", url])
    return code, capsys.readouterr().out


def _entry_ids(store: AnswerStore) -> list[int]:
    return [e.id for e in store.audit_trail()]


def test_a_store_used_as_ilcs_uses_it_verifies(store, store_url, capsys):
    _fill(store)
    report = store.verify()
    assert report.problems == [] and report.ok
    assert report.entries == len(store.audit_trail()) >= 7
    code, out = _verify(store_url, capsys)
    assert code == 0 and "Verified" in out


def test_each_entry_links_to_the_one_before_by_sha256(store):
    _fill(store)
    with store.transaction(write=False) as conn:
        rows = conn.exec_driver_sql(
            "SELECT at, actor, action, subject, details, prev_hash, entry_hash FROM audit_log "
            "ORDER BY id").all()
    prev = GENESIS
    for row in rows:  # the canonical form, computed here independently of ilcs
        canonical = json.dumps([prev, row.at, row.actor, row.action, row.subject, row.details],
                               ensure_ascii=False, separators=(",", ":"))
        assert row.prev_hash == prev
        assert row.entry_hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        prev = row.entry_hash


def test_an_audit_entry_changed_behind_the_stores_back_is_named(store, store_url, capsys):
    _fill(store)
    target = _entry_ids(store)[2]
    _tamper(store_url, _drop_guard(store.dialect, "audit_log"),
            f"UPDATE audit_log SET actor = 'someone else' WHERE id = {target}")
    code, out = _verify(store_url, capsys)
    assert code == 2
    assert f"first broken entry: audit entry {target} (" in out
    assert "someone else" in out and "changed after it was written" in out
    assert "guard trigger" in out  # the missing guard is reported, not silently put back


def test_an_entry_rehashed_or_removed_breaks_the_link_after_it(store, store_url, capsys):
    _fill(store)
    ids = _entry_ids(store)
    with store.transaction(write=False) as conn:
        row = conn.exec_driver_sql(
            f"SELECT prev_hash, at, actor, action, subject, details FROM audit_log "
            f"WHERE id = {ids[1]}").one()
    forged = json.dumps([row.prev_hash, row.at, "forger", row.action, row.subject,
                         row.details], ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(forged.encode("utf-8")).hexdigest()
    _tamper(store_url, _drop_guard(store.dialect, "audit_log"),
            f"UPDATE audit_log SET actor = 'forger', entry_hash = '{digest}' WHERE id = {ids[1]}")
    code, out = _verify(store_url, capsys)
    assert code == 2
    assert f"first broken entry: audit entry {ids[2]} (" in out
    assert f"does not follow entry {ids[1]}" in out


def test_append_only_rows_changed_removed_or_added_are_found(store, store_url, capsys):
    _fill(store)
    with store.transaction(write=False) as conn:
        answer_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM answers ORDER BY id")]
    if store.dialect == "sqlite":
        lift = ["DROP TRIGGER answers_no_update", "DROP TRIGGER answers_no_delete"]
    else:
        lift = ["DROP TRIGGER answers_append_only ON answers"]
    _tamper(store_url, *lift,
            f"UPDATE answers SET response = '\"better\"' WHERE id = {answer_ids[0]}",
            f"DELETE FROM answers WHERE id = {answer_ids[1]}",
            "INSERT INTO answers (answer_uid, candidate_id, question_id, response, mode, "
            "bank_version, saved_at, recorded_at, origin) VALUES ('smuggled', 'c1', 'q9', "
            "'\"x\"', 'assessed', 'v1', '2026-01-01T00:00:00.000000Z', "
            "'2026-01-01T00:00:00.000000Z', 'notebook')")
    code, out = _verify(store_url, capsys)
    assert code == 2
    assert f"answers row {answer_ids[0]} was changed after it was written" in out
    assert f"answers row {answer_ids[1]} recorded by audit entry" in out and "(removed)" in out
    assert "is not recorded in the audit trail (added outside ilcs)" in out
    assert "first broken entry" not in out  # the audit trail itself is intact


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(pg_schema_url):
    """(SQLite has no TRUNCATE: its DELETE guard already covers emptying a table.)"""
    with AnswerStore.open(pg_schema_url) as store:
        _fill(store)
        for table in APPEND_ONLY:
            with pytest.raises(sa.exc.DBAPIError, match=f"{table} is append-only"):
                with store.engine.begin() as conn:
                    conn.exec_driver_sql(f"TRUNCATE {table} CASCADE")
        assert store.verify().ok
        assert store.count_answers() == 3


def test_a_missing_or_altered_sqlite_guard_is_put_back_and_recorded(tmp_path, caplog,
                                                                   capsys):
    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    with AnswerStore.open(url) as store:
        _fill(store)
    _tamper(url, "DROP TRIGGER answers_no_delete", "DROP TRIGGER decisions_no_update",
            "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN SELECT 1; END")
    with caplog.at_level(logging.WARNING, logger="ilcs.store"), AnswerStore.open(url) as store:
        restored = store.audit_trail(action="guard_restored")
        assert {(e.subject, e.details["trigger"], e.details["found"]) for e in restored} == {
            ("answers", "answers_no_delete", "missing"),
            ("decisions", "decisions_no_update", "altered")}
        assert store.guard_problems() == []
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM answers")
    assert "answers_no_delete" in caplog.text and "put back" in caplog.text
    db = sqlite3.connect(tmp_path / "answers.sqlite")
    found = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    db.close()
    assert found["decisions_no_update"] == sqlite_guards("decisions")["decisions_no_update"]
    code, out = _verify(url, capsys)  # the event stays on record
    assert code == 2 and "found missing and put back" in out and "first broken" not in out


@pytest.mark.postgres
def test_a_missing_or_switched_off_postgresql_guard_is_put_back_and_recorded(
        pg_schema_url, caplog, capsys):
    with AnswerStore.open(pg_schema_url) as store:
        _fill(store)
    _tamper(pg_schema_url, _drop_guard("postgresql", "answers"),
            "DROP TRIGGER audit_log_no_truncate ON audit_log",
            "ALTER TABLE signoffs DISABLE TRIGGER signoffs_append_only")
    with AnswerStore.open(pg_schema_url, restore_guards=False) as store:
        assert {(p.trigger, p.found) for p in store.guard_problems()} == {
            ("answers_append_only", "missing"), ("audit_log_no_truncate", "missing"),
            ("signoffs_append_only", "switched off")}
    with caplog.at_level(logging.WARNING, logger="ilcs.store"), \
            AnswerStore.open(pg_schema_url) as store:
        restored = store.audit_trail(action="guard_restored")
        assert {(e.subject, e.details["trigger"], e.details["found"]) for e in restored} == {
            ("answers", "answers_append_only", "missing"),
            ("audit_log", "audit_log_no_truncate", "missing"),
            ("signoffs", "signoffs_append_only", "switched off")}
        assert store.guard_problems() == []
        for statement in ("DELETE FROM answers", "TRUNCATE audit_log CASCADE",
                          "DELETE FROM signoffs"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                with store.engine.begin() as conn:
                    conn.exec_driver_sql(statement)
        assert store.count_answers() == 3
    assert "answers_append_only" in caplog.text and "put back" in caplog.text
    with AnswerStore.open(pg_schema_url) as store:  # once put back, nothing more is recorded
        assert len(store.audit_trail(action="guard_restored")) == 3
    code, out = _verify(pg_schema_url, capsys)  # the event stays on record
    assert code == 2 and "found missing and put back" in out and "first broken" not in out


@pytest.mark.postgres
def test_a_login_that_may_not_put_a_guard_back_is_refused_naming_it(pg_schema_url):
    url = sa.make_url(pg_schema_url)
    schema = str(url.query["options"]).split("search_path=")[-1]
    role = f"{schema}_reader"
    with AnswerStore.open(pg_schema_url) as store:
        _fill(store)
    _tamper(pg_schema_url, f"CREATE ROLE {role} LOGIN",
            f"GRANT USAGE ON SCHEMA {schema} TO {role}",
            f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema} TO {role}",
            _drop_guard("postgresql", "answers"))
    try:
        with pytest.raises(StoreError, match="answers_append_only of table answers is "
                                             f"missing.*login '{role}' may not put it back"):
            AnswerStore.open(url.set(username=role).render_as_string(hide_password=False))
        with AnswerStore.open(pg_schema_url, restore_guards=False) as store:
            assert [p.trigger for p in store.guard_problems()] == ["answers_append_only"]
            assert store.audit_trail(action="guard_restored") == []
    finally:
        _tamper(pg_schema_url, f"DROP OWNED BY {role}", f"DROP ROLE {role}")


def test_an_old_store_is_chained_deterministically_and_its_rows_sealed(tmp_path, capsys):
    urls = []
    for name in ("a", "b"):
        db = sqlite3.connect(tmp_path / f"{name}.sqlite")
        db.executescript(OLD_STORE.read_text(encoding="utf-8"))
        db.close()
        urls.append(f"sqlite:///{tmp_path / f'{name}.sqlite'}")
    chains = []
    for url in urls:
        with AnswerStore.open(url) as store:
            assert store.verify().problems == []
            with store.transaction(write=False) as conn:
                chains.append(conn.exec_driver_sql(
                    "SELECT id, prev_hash, entry_hash FROM audit_log WHERE action != "
                    "'audit_chain_started' ORDER BY id").all())
            started = store.audit_trail(action="audit_chain_started")
            assert len(started) == 1
            assert started[0].details["sealed"]["answers"]["rows"] == 3
    assert chains[0] == chains[1] and len(chains[0]) == 7
    assert chains[0][0].prev_hash == GENESIS
    _tamper(urls[0], "DROP TRIGGER answers_no_update",
            "UPDATE answers SET response = '\"a\"' WHERE answer_uid = 'old-2'")
    code, out = _verify(urls[0], capsys)
    assert code == 2 and "answers rows up to id 3 were changed or removed" in out


def test_a_rewritten_chain_shows_against_a_noted_entry(store, store_url, capsys):
    """Someone with the whole database can recompute every hash after an edit: the chain
    alone then verifies. An entry noted earlier (`--expect ENTRY:HASH`) does not."""
    _fill(store)
    noted = store.verify().head
    assert noted is not None
    ids = _entry_ids(store)
    statements = [_drop_guard(store.dialect, "audit_log")]
    with store.transaction(write=False) as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, prev_hash, at, actor, action, subject, details FROM audit_log "
            "ORDER BY id").all()
    prev = rows[0].prev_hash
    for row in rows:  # forge from the second entry on, recomputing every later hash
        actor = "forger" if row.id == ids[1] else row.actor
        canonical = json.dumps([prev, row.at, actor, row.action, row.subject, row.details],
                               ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        statements.append(f"UPDATE audit_log SET actor = '{actor}', prev_hash = '{prev}', "
                          f"entry_hash = '{digest}' WHERE id = {row.id}")
        prev = digest
    _tamper(store_url, *statements,
            *(["CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT "
               "RAISE(ABORT, 'audit_log is append-only'); END"] if store.dialect == "sqlite"
              else ["CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "
                    "audit_log FOR EACH ROW EXECUTE FUNCTION ilcs_append_only()"]))
    assert store.verify().problems == []  # the limit of a chain without an outside anchor
    code, out = _verify(store_url, capsys)
    assert code == 0
    code = main(["store", "verify", "--database", store_url, "--expect",
                 f"{noted[0]}:{noted[1]}"])
    out = capsys.readouterr().out
    assert code == 2
    assert f"audit entry {noted[0]}, noted with hash {noted[1][:16]}" in out
    assert "now has a different hash" in out
    assert main(["store", "verify", "--database", store_url, "--expect", "12:abc"]) == 2
    assert "--expect must be ENTRY:HASH" in capsys.readouterr().err
