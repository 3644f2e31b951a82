"""The answer store's migrations: each one spells out its tables as they were at that version.

Why not Alembic: the store is opened by a trainee's kernel on a laptop, by 20 processes at
once, and by the assessor's command line. Each must upgrade an old store safely and refuse a
too-new one. A short explicit list of migration functions, applied under a lock in the same
transaction that records the new version, does that with no `alembic.ini`, `env.py` or
script folder to ship, and reads top to bottom (see docs/assessment.md).

Frozen: a migration never reads today's table definitions (`schema.py`,
`review_tables.py`); it writes out every table, column and index it creates, the way an
Alembic version file does. So a later migration that alters a table (e.g. adds a column)
runs on a store built from empty exactly as on an old store. Today's definitions are used
for queries only, and a test proves they agree with what the migrations build.

To change the schema: append ONE `Migration(n, "words saying what", function)` to
`MIGRATIONS` that ALTERs or creates what it needs, and change the definition in
`schema.py` / `review_tables.py` to match. Never edit an earlier migration.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from ilcs.assessment.audit_chain import (
    CHAIN_STARTED,
    GENESIS,
    SEAL_KEY,
    SEALED_COLUMNS,
    entry_hash,
    row_digest,
    seal_digest,
)

VERSION_TABLE = "ilcs_schema_version"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    upgrade: Callable[[sa.Connection], None]


def _create_table(conn: sa.Connection, name: str, *items: sa.Column | sa.Index,
                  if_missing: bool = False) -> None:
    """Create one table from columns and indexes written out in the migration itself."""
    sa.Table(name, sa.MetaData(), *items).create(conn, checkfirst=if_missing)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


# ----------------------------------------------------------------- append-only guards
# The one place the guard triggers are written. A store's guards are exactly these; the
# store checks them when it opens (`expected_guards`).

PG_GUARD_BODY = " BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; "
PG_GUARD_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION ilcs_append_only() RETURNS trigger AS $${PG_GUARD_BODY}$$ "
    "LANGUAGE plpgsql"
)


def sqlite_guards(table: str) -> dict[str, str]:
    """The SQLite triggers that refuse UPDATE and DELETE on `table`: name -> CREATE text."""
    return {
        f"{table}_no_{event.lower()}": (
            f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
        for event in ("UPDATE", "DELETE")
    }


def pg_row_guard(table: str) -> tuple[str, str]:
    """The PostgreSQL trigger that refuses UPDATE and DELETE on `table`: (name, CREATE text)."""
    name = f"{table}_append_only"
    return name, (f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                  "FOR EACH ROW EXECUTE FUNCTION ilcs_append_only()")


def pg_truncate_guard(table: str) -> tuple[str, str]:
    """The PostgreSQL trigger that refuses TRUNCATE of `table`: (name, CREATE text)."""
    name = f"{table}_no_truncate"
    return name, (f"CREATE TRIGGER {name} BEFORE TRUNCATE ON {table} "
                  "FOR EACH STATEMENT EXECUTE FUNCTION ilcs_append_only()")


def add_row_guards(conn: sa.Connection, table: str) -> None:
    """Refuse UPDATE and DELETE on `table` in the database itself (safe to repeat)."""
    if conn.dialect.name == "sqlite":
        for name, sql in sqlite_guards(table).items():
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(PG_GUARD_FUNCTION)
        name, sql = pg_row_guard(table)
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(sql)


def _drop_row_guards(conn: sa.Connection, table: str) -> None:
    """Lift the UPDATE/DELETE guards of `table` (inside a migration's transaction only)."""
    if conn.dialect.name == "sqlite":
        for name in sqlite_guards(table):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    elif conn.dialect.name == "postgresql":
        name, _sql = pg_row_guard(table)
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")


# ------------------------------------------------------------------------ the versions


def create_version_table(conn: sa.Connection) -> None:
    """The table of applied migrations (one row per migration; the highest is the version)."""
    _create_table(
        conn, VERSION_TABLE,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.String(32), nullable=False),
        if_missing=True,
    )


def _answers_and_audit_trail(conn: sa.Connection) -> None:
    """Version 1: candidates, answers (append-only), audit_log (append-only), packs."""
    _create_table(
        conn, "candidates",
        sa.Column("candidate_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("candidate_number", sa.String(64), nullable=False, server_default=""),
        sa.Column("centre", sa.String(200), nullable=False, server_default=""),
        sa.Column("assessor", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    _create_table(
        conn, "answers", _id(),
        sa.Column("answer_uid", sa.String(64), nullable=False, unique=True),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("bank_version", sa.String(64), nullable=False),
        sa.Column("saved_at", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("pack_sha256", sa.String(64), nullable=True),
        sa.Index("ix_answers_candidate_question", "candidate_id", "question_id", "saved_at"),
    )
    _create_table(
        conn, "audit_log", _id(),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False, server_default=""),
        sa.Column("details", sa.Text, nullable=False, server_default="{}"),
        sa.Index("ix_audit_subject", "subject"),
    )
    _create_table(
        conn, "packs",
        sa.Column("pack_sha256", sa.String(64), primary_key=True),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("bank_version", sa.String(64), nullable=False),
        sa.Column("answer_count", sa.Integer, nullable=False),
        sa.Column("new_answers", sa.Integer, nullable=False),
        sa.Column("file_name", sa.String(300), nullable=False, server_default=""),
        sa.Index("ix_packs_candidate", "candidate_id", "created_at"),
    )
    for table in ("answers", "audit_log"):
        add_row_guards(conn, table)


def _review_tables(conn: sa.Connection) -> None:
    """Version 2: marks, decisions, action points, sign-offs, evidence records, IQA samples
    and verdicts (append-only), assessor profiles.

    Each table is created only if missing: for a while these tables were created on first
    use, before they became this migration, so a version-1 store may already have them
    (with these same definitions).
    """
    _create_table(
        conn, "marks", _id(),
        sa.Column("answer_uid", sa.String(64), nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("points", sa.Text, nullable=False, server_default="[]"),
        sa.Column("feedback", sa.Text, nullable=False, server_default=""),
        sa.Column("marked_by", sa.String(200), nullable=False),
        sa.Column("marked_at", sa.String(32), nullable=False),
        sa.Index("ix_marks_answer", "answer_uid"),
        sa.Index("ix_marks_candidate", "candidate_id"),
        if_missing=True,
    )
    _create_table(
        conn, "decisions", _id(),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("criterion_id", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("proposed", sa.String(32), nullable=False),
        sa.Column("assessor", sa.String(200), nullable=False),
        sa.Column("feedback", sa.Text, nullable=False, server_default=""),
        sa.Column("decided_at", sa.String(32), nullable=False),
        sa.Index("ix_decisions_candidate", "candidate_id", "criterion_id"),
        if_missing=True,
    )
    _create_table(
        conn, "action_points", _id(),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("criterion_id", sa.String(16), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("due", sa.String(10), nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_at", sa.String(32), nullable=False),
        sa.Index("ix_action_points_candidate", "candidate_id"),
        if_missing=True,
    )
    _create_table(
        conn, "signoffs", _id(),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
        sa.Column("signed_at", sa.String(32), nullable=False),
        sa.Index("ix_signoffs_candidate", "candidate_id"),
        if_missing=True,
    )
    _create_table(
        conn, "evidence_records", _id(),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("criterion_id", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("evidence_date", sa.String(10), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Index("ix_evidence_candidate", "candidate_id"),
        if_missing=True,
    )
    _create_table(
        conn, "iqa_samples", _id(),
        sa.Column("sample_ref", sa.String(64), nullable=False),
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("criterion_id", sa.String(16), nullable=False),
        sa.Column("assessor", sa.String(200), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("iqa", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("drawn_at", sa.String(32), nullable=False),
        sa.Index("ix_iqa_samples_iqa", "iqa"),
        if_missing=True,
    )
    _create_table(
        conn, "iqa_verdicts", _id(),
        sa.Column("sample_id", sa.Integer, nullable=False),
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("candidate_id", sa.String(64), nullable=False),
        sa.Column("criterion_id", sa.String(16), nullable=False),
        sa.Column("assessor", sa.String(200), nullable=False),
        sa.Column("iqa", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("at", sa.String(32), nullable=False),
        if_missing=True,
    )
    _create_table(
        conn, "assessor_profiles",
        sa.Column("assessor", sa.String(200), primary_key=True),
        sa.Column("risk", sa.String(16), nullable=False),
        sa.Column("new", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        if_missing=True,
    )
    for table in ("marks", "decisions", "action_points", "signoffs", "evidence_records",
                  "iqa_samples", "iqa_verdicts"):
        add_row_guards(conn, table)


def _hash_chained_audit_trail(conn: sa.Connection) -> None:
    """Version 3: each audit entry carries the previous entry's hash and its own.

    Existing entries are back-filled in id order from GENESIS (deterministic: the same
    store always gets the same hashes). If the append-only tables already hold rows, one
    entry "audit_chain_started" seals them (a digest over each table's rows), so that
    `ilcs store verify` can tell later changes to them.
    """
    for column in ("prev_hash", "entry_hash"):
        conn.exec_driver_sql(
            f"ALTER TABLE audit_log ADD COLUMN {column} VARCHAR(64) NOT NULL DEFAULT ''")
    _drop_row_guards(conn, "audit_log")  # back-filling is the one UPDATE ever allowed
    prev = GENESIS
    links = []
    for row in conn.exec_driver_sql(
            "SELECT id, at, actor, action, subject, details FROM audit_log ORDER BY id"):
        digest = entry_hash(prev, row.at, row.actor, row.action, row.subject, row.details)
        links.append({"prev": prev, "hash": digest, "id": row.id})
        prev = digest
    if links:
        conn.execute(sa.text("UPDATE audit_log SET prev_hash = :prev, entry_hash = :hash "
                             "WHERE id = :id"), links)
    add_row_guards(conn, "audit_log")
    sealed = {}
    for table in ("answers", "marks", "decisions", "action_points", "signoffs",
                  "evidence_records", "iqa_samples", "iqa_verdicts"):
        columns = ", ".join(SEALED_COLUMNS[table])
        rows = conn.exec_driver_sql(f"SELECT {columns} FROM {table} ORDER BY id").all()
        if rows:
            sealed[table] = {"last_id": rows[-1].id, "rows": len(rows),
                             "sha256": seal_digest(row_digest(table, r._mapping)
                                                   for r in rows)}
    if sealed:
        at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        details = json.dumps({SEAL_KEY: sealed}, sort_keys=True, separators=(",", ":"),
                             ensure_ascii=False)
        digest = entry_hash(prev, at, "ilcs", CHAIN_STARTED, "", details)
        conn.execute(sa.text(
            "INSERT INTO audit_log (at, actor, action, subject, details, prev_hash, "
            "entry_hash) VALUES (:at, 'ilcs', :action, '', :details, :prev, :hash)"),
            {"at": at, "action": CHAIN_STARTED, "details": details, "prev": prev,
             "hash": digest})
    conn.exec_driver_sql(
        "CREATE UNIQUE INDEX ux_audit_prev_hash ON audit_log (prev_hash)")


def _truncate_guards(conn: sa.Connection) -> None:
    """Version 4: on PostgreSQL the append-only tables refuse TRUNCATE too (SQLite has no
    TRUNCATE: its DELETE guard already covers emptying a table)."""
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(PG_GUARD_FUNCTION)
    for table in ("answers", "audit_log", "marks", "decisions", "action_points", "signoffs",
                  "evidence_records", "iqa_samples", "iqa_verdicts"):
        name, sql = pg_truncate_guard(table)
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(sql)


# Version 5 (PostgreSQL): the tables with a candidate's rows, and the column naming the
# candidate (audit_log: the actor). Written out here, frozen like every migration.
_TRAINEE_OWN_ROWS: tuple[tuple[str, str], ...] = (
    ("candidates", "candidate_id"), ("answers", "candidate_id"), ("audit_log", "actor"),
    ("packs", "candidate_id"), ("marks", "candidate_id"), ("decisions", "candidate_id"),
    ("action_points", "candidate_id"), ("signoffs", "candidate_id"),
    ("evidence_records", "candidate_id"), ("iqa_samples", "candidate_id"),
    ("iqa_verdicts", "candidate_id"),
)
# A login is a trainee's when its name starts with 'ilcs_t_'; the candidate is the rest.
_LOGIN_IS_TRAINEE = "starts_with(session_user::text, 'ilcs_t_')"
_LOGIN_CANDIDATE = "substr(session_user::text, 8)"


def _trainee_rows(conn: sa.Connection) -> None:
    """Version 5: on PostgreSQL a trainee's own login sees and writes only their own rows.

    Row-level security on every table holding a candidate's rows: a session logged in as a
    trainee role (`ilcs_t_<hub user>`, made by `ilcs hub add-trainee`) sees, adds and
    changes only rows whose candidate (audit_log: actor) is that hub user; other logins (the
    owner, staff) are not restricted. `assessor_profiles` shows a trainee login nothing.
    `ilcs_audit_head()` (runs as the owner) gives any writer the hash of the latest audit
    entry - and nothing else of it - so a trainee's entries extend the one chain. SQLite
    (one user per file) is left as it is.
    """
    if conn.dialect.name != "postgresql":
        return
    for table, column in _TRAINEE_OWN_ROWS:
        condition = f"(NOT {_LOGIN_IS_TRAINEE} OR {column} = {_LOGIN_CANDIDATE})"
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql(f"DROP POLICY IF EXISTS ilcs_own_rows ON {table}")
        conn.exec_driver_sql(f"CREATE POLICY ilcs_own_rows ON {table} USING {condition} "
                             f"WITH CHECK {condition}")
    conn.exec_driver_sql("ALTER TABLE assessor_profiles ENABLE ROW LEVEL SECURITY")
    conn.exec_driver_sql("DROP POLICY IF EXISTS ilcs_own_rows ON assessor_profiles")
    conn.exec_driver_sql(f"CREATE POLICY ilcs_own_rows ON assessor_profiles "
                         f"USING (NOT {_LOGIN_IS_TRAINEE}) WITH CHECK (NOT {_LOGIN_IS_TRAINEE})")
    conn.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION ilcs_audit_head() RETURNS text LANGUAGE sql STABLE "
        "SECURITY DEFINER SET search_path FROM CURRENT AS "
        "$$ SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1 $$")


# Chained migrations: version n is reached by applying 1..n in order.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "answers and audit trail", _answers_and_audit_trail),
    Migration(2, "review tables", _review_tables),
    Migration(3, "hash-chained audit trail", _hash_chained_audit_trail),
    Migration(4, "append-only tables refuse truncate", _truncate_guards),
    Migration(5, "trainees see only their own rows", _trainee_rows),
)
TRAINEE_ROWS_VERSION = 5  # from this version on PostgreSQL: ilcs_audit_head(), row security

# The tables whose rows are never changed or removed (each guarded by the triggers above).
APPEND_ONLY: tuple[str, ...] = (
    "answers", "audit_log", "marks", "decisions", "action_points", "signoffs",
    "evidence_records", "iqa_samples", "iqa_verdicts",
)


def latest_version(migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    return max(m.version for m in migrations)
