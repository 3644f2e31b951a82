"""Today's tables of the answer store, for queries (SQLAlchemy Core).

These definitions describe the schema as the latest migration leaves it; they never
create anything. The schema itself is built by `ilcs.assessment.migrations`, which spells
out each table as it was at its version; a test proves the two agree. To change a table,
add a migration and change its definition here to match.
"""

from __future__ import annotations

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
    # The hash chain (see ilcs.assessment.audit_chain): the previous entry's hash and this one's.
    sa.Column("prev_hash", sa.String(64), nullable=False, server_default=""),
    sa.Column("entry_hash", sa.String(64), nullable=False, server_default=""),
    sa.Index("ix_audit_subject", "subject"),
    sa.Index("ux_audit_prev_hash", "prev_hash", unique=True),
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
