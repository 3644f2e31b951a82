"""The audit trail's hash chain and the digests of append-only rows (no SQL here).

Each audit entry stores the hash of the entry before it (`prev_hash`, the first entry has
`GENESIS`) and its own hash (`entry_hash`): SHA-256 of the canonical form

    ["<prev_hash>", "<at>", "<actor>", "<action>", "<subject>", "<details as stored>"]

as compact JSON (no spaces, UTF-8 kept) encoded as UTF-8. Changing, removing or inserting
an entry anywhere breaks every link after it, which `ilcs store verify` reports.

The rows of the other append-only tables are tied to the chain too: the audit entry that
records an action carries the SHA-256 of each row it wrote (`ROWS_KEY` in its details),
and the entry that started the chain on an older store carries one digest over all rows
that were already there. A row's digest covers the columns in `SEALED_COLUMNS`, which are
frozen: a later migration that adds a column does not change old digests.

These forms are part of the stored data: never change them (a new form needs a migration).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64
ROWS_KEY = "row_sha256"  # details[ROWS_KEY] = {table: {str(id): row digest}}
SEAL_KEY = "sealed"  # details[SEAL_KEY] = {table: {"last_id": n, "rows": n, "sha256": ...}}
CHAIN_STARTED = "audit_chain_started"

# The columns each append-only table's row digest covers (as the tables were at version 3).
SEALED_COLUMNS: dict[str, tuple[str, ...]] = {
    "answers": ("id", "answer_uid", "candidate_id", "question_id", "response", "mode",
                "bank_version", "saved_at", "recorded_at", "origin", "pack_sha256"),
    "marks": ("id", "answer_uid", "candidate_id", "question_id", "status", "score", "points",
              "feedback", "marked_by", "marked_at"),
    "decisions": ("id", "candidate_id", "criterion_id", "outcome", "proposed", "assessor",
                  "feedback", "decided_at"),
    "action_points": ("id", "candidate_id", "criterion_id", "action", "due", "set_by",
                      "set_at"),
    "signoffs": ("id", "candidate_id", "role", "name", "statement", "signed_at"),
    "evidence_records": ("id", "candidate_id", "criterion_id", "kind", "description",
                         "evidence_date", "recorded_by", "recorded_at"),
    "iqa_samples": ("id", "sample_ref", "decision_id", "candidate_id", "criterion_id",
                    "assessor", "stage", "iqa", "reason", "drawn_at"),
    "iqa_verdicts": ("id", "sample_id", "decision_id", "candidate_id", "criterion_id",
                     "assessor", "iqa", "verdict", "comment", "at"),
}


def _sha256(parts: list[Any]) -> str:
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(prev_hash: str, at: str, actor: str, action: str, subject: str,
               details: str) -> str:
    """The hash of one audit entry (`details` exactly as stored: canonical JSON text)."""
    return _sha256([prev_hash, at, actor, action, subject, details])


def row_digest(table: str, row: Mapping[Any, Any]) -> str:
    """The digest of one append-only row (its sealed columns, in their frozen order)."""
    return _sha256([table, [row[c] for c in SEALED_COLUMNS[table]]])


def seal_digest(digests: Iterable[str]) -> str:
    """One digest over many row digests, in id order (for the rows of an older store)."""
    h = hashlib.sha256()
    for digest in digests:
        h.update(digest.encode("ascii"))
        h.update(b"\n")
    return h.hexdigest()
