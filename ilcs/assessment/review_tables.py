"""The review tables of the answer store: marks, decisions, action points, sign-offs,
evidence records, IQA samples and verdicts, assessor profiles (today's definitions, for
queries).

Every table except `assessor_profiles` is append-only (the database refuses UPDATE and
DELETE): a new decision is a new row and "the current decision" is a query, so the full
history stays for the IQA and the awarding body.

They are created by migration 2 ("review tables") in `ilcs.assessment.migrations`, which
spells them out as they were then; a test proves these definitions agree with it.
"""

from __future__ import annotations

import sqlalchemy as sa

review_metadata = sa.MetaData()


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


# A mark of one saved answer (by the auto-marker or an assessor); the latest per answer counts.
marks = sa.Table(
    "marks", review_metadata, _id(),
    sa.Column("answer_uid", sa.String(64), nullable=False),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("question_id", sa.String(200), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("points", sa.Text, nullable=False, server_default="[]"),  # JSON: ticked points
    sa.Column("feedback", sa.Text, nullable=False, server_default=""),
    sa.Column("marked_by", sa.String(200), nullable=False),
    sa.Column("marked_at", sa.String(32), nullable=False),
    sa.Index("ix_marks_answer", "answer_uid"),
    sa.Index("ix_marks_candidate", "candidate_id"),
)

decisions = sa.Table(
    "decisions", review_metadata, _id(),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("criterion_id", sa.String(16), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("proposed", sa.String(32), nullable=False),
    sa.Column("assessor", sa.String(200), nullable=False),
    sa.Column("feedback", sa.Text, nullable=False, server_default=""),
    sa.Column("decided_at", sa.String(32), nullable=False),
    sa.Index("ix_decisions_candidate", "candidate_id", "criterion_id"),
)

action_points = sa.Table(
    "action_points", review_metadata, _id(),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("criterion_id", sa.String(16), nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("due", sa.String(10), nullable=False),  # YYYY-MM-DD
    sa.Column("set_by", sa.String(200), nullable=False),
    sa.Column("set_at", sa.String(32), nullable=False),
    sa.Index("ix_action_points_candidate", "candidate_id"),
)

signoffs = sa.Table(
    "signoffs", review_metadata, _id(),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("statement", sa.Text, nullable=False),
    sa.Column("signed_at", sa.String(32), nullable=False),
    sa.Index("ix_signoffs_candidate", "candidate_id"),
)

evidence_records = sa.Table(
    "evidence_records", review_metadata, _id(),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("criterion_id", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("evidence_date", sa.String(10), nullable=False),
    sa.Column("recorded_by", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Index("ix_evidence_candidate", "candidate_id"),
)

iqa_samples = sa.Table(
    "iqa_samples", review_metadata, _id(),
    sa.Column("sample_ref", sa.String(64), nullable=False),  # one per draw
    sa.Column("decision_id", sa.Integer, nullable=False),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("criterion_id", sa.String(16), nullable=False),
    sa.Column("assessor", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(16), nullable=False),
    sa.Column("iqa", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("drawn_at", sa.String(32), nullable=False),
    sa.Index("ix_iqa_samples_iqa", "iqa"),
)

iqa_verdicts = sa.Table(
    "iqa_verdicts", review_metadata, _id(),
    sa.Column("sample_id", sa.Integer, nullable=False),
    sa.Column("decision_id", sa.Integer, nullable=False),
    sa.Column("candidate_id", sa.String(64), nullable=False),
    sa.Column("criterion_id", sa.String(16), nullable=False),
    sa.Column("assessor", sa.String(200), nullable=False),
    sa.Column("iqa", sa.String(200), nullable=False),
    sa.Column("verdict", sa.String(16), nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("at", sa.String(32), nullable=False),
)

# The IQA's view of each assessor, for sampling (the one table that is updated in place).
assessor_profiles = sa.Table(
    "assessor_profiles", review_metadata,
    sa.Column("assessor", sa.String(200), primary_key=True),
    sa.Column("risk", sa.String(16), nullable=False),
    sa.Column("new", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)
