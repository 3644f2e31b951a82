"""The answer store's schema and its chained migrations.

Why not Alembic: the store is opened by a trainee's kernel on a laptop, by 20 processes at
once, and by the assessor's command line. Each must upgrade an old store safely and refuse a
too-new one. A short explicit list of migration functions, applied under a lock in the same
transaction that records the new version, does that with no `alembic.ini`, `env.py` or
script folder to ship, and reads top to bottom (see docs/assessment.md).

Adding tables (e.g. Assessment II's decisions, sign-offs, IQA): define the `sa.Table` on
`metadata` below and append ONE `Migration(n, "what", function)` to `MIGRATIONS`. A
migration must never change an earlier migration's effect; to alter an existing table
write the ALTER in a new migration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

metadata = sa.MetaData()

# Which migrations have been applied (one row per migration; the highest is the version).
schema_version = sa.Table(
    "ilcs_schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

# The candidate's profile (one row per candidate; updated when the profile changes).
candidates = sa.Table(
    "candidates",
    metadata,
    sa.Column("candidate_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("candidate_number", sa.String(64), nullable=False, server_default=""),
    sa.Column("centre", sa.String(200), nullable=False, server_default=""),
    sa.Column("assessor", sa.String(200), nullable=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

# Every save is a new row (append-only); the latest answer is a query.
answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_uid", sa.String(64), nullable=False, unique=True),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("question_id", sa.String(200), nullable=False),
    sa.Column("response", sa.Text, nullable=False),  # canonical JSON
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("bank_version", sa.String(64), nullable=False),
    sa.Column("saved_at", sa.String(32), nullable=False),  # when the trainee gave it (UTC)
    sa.Column("recorded_at", sa.String(32), nullable=False),  # when this store received it
    sa.Column("origin", sa.String(16), nullable=False),  # "notebook" or "pack"
    sa.Column("pack_sha256", sa.String(64), nullable=True),
    sa.Index("ix_answers_candidate_question", "candidate_id", "question_id", "saved_at"),
)

# Who did what, when (append-only). Every answer, import, decision, sign-off, IQA action.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False, server_default=""),
    sa.Column("details", sa.Text, nullable=False, server_default="{}"),  # JSON
    sa.Index("ix_audit_subject", "subject"),
)

# Evidence packs imported on the assessor's side (one row per distinct pack).
packs = sa.Table(
    "packs",
    metadata,
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

APPEND_ONLY = ("answers", "audit_log")


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    upgrade: Callable[[sa.Connection], None]


def _append_only_guards(conn: sa.Connection, table: str) -> None:
    """Refuse UPDATE and DELETE on an append-only table, in the database itself."""
    if conn.dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION ilcs_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; $$ "
            "LANGUAGE plpgsql"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ilcs_append_only()"
        )


def _v1(conn: sa.Connection) -> None:
    metadata.create_all(conn, tables=[candidates, answers, audit_log, packs])
    for table in APPEND_ONLY:
        _append_only_guards(conn, table)


def _v2(conn: sa.Connection) -> None:
    from ilcs.assessment import review_tables

    review_tables.upgrade(conn)


# Chained migrations: version n is reached by applying 1..n in order.
MIGRATIONS: list[Migration] = [
    Migration(1, "candidates, answers (append-only), audit_log (append-only), packs", _v1),
    Migration(2, "Assessment II: marks, decisions, action points, sign-offs, evidence records, "
                 "IQA samples and verdicts (append-only), assessor profiles", _v2),
]


def latest_version() -> int:
    return max(m.version for m in MIGRATIONS)
