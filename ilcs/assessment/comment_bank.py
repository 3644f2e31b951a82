"""The assessor's comment bank: reusable feedback comments, picked per criterion and decision.

The committed bank is `datasets/assessor/comment_bank.yaml`; a centre can use its own copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ilcs.errors import DataError, Problem
from ilcs.paths import datasets_dir

SCHEMA_VERSION = 1
DECISION_KINDS = ("met", "not_yet_met", "any")


@dataclass(frozen=True)
class Comment:
    id: str
    text: str
    decision: str  # met | not_yet_met | any
    criteria: tuple[str, ...] = ()  # empty: any criterion


def default_comment_bank() -> Path:
    return datasets_dir() / "assessor" / "comment_bank.yaml"


def load_comment_bank(path: str | Path | None = None) -> tuple[Comment, ...]:
    """Read and check a comment bank; every problem is listed at once."""
    path = Path(path) if path else default_comment_bank()
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(Problem("comment bank not found", file=str(path))) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem(f"not valid YAML ({exc})", file=name)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("comments"), list):
        raise DataError(Problem("expected a mapping with a 'comments' list", file=name))
    problems: list[Problem] = []
    if raw.get("schema_version") != SCHEMA_VERSION:
        problems.append(Problem(f"schema_version must be {SCHEMA_VERSION}", file=name,
                                column="schema_version"))
    out: list[Comment] = []
    seen: set[str] = set()
    for i, item in enumerate(raw["comments"]):
        where = f"comments[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem("each comment must be a mapping", file=name, column=where))
            continue
        cid, text = str(item.get("id") or ""), str(item.get("text") or "").strip()
        decision = item.get("decision", "any")
        criteria = item.get("criteria") or []
        if not cid:
            problems.append(Problem("comment has no id", file=name, column=where))
        elif cid in seen:
            problems.append(Problem(f"id {cid!r} appears twice", file=name, column=where))
        seen.add(cid)
        if not text:
            problems.append(Problem(f"comment {cid!r} has no text", file=name, column=where))
        if decision not in DECISION_KINDS:
            problems.append(Problem(f"decision must be met, not_yet_met or any, found "
                                    f"{decision!r}", file=name, column=where))
        if not isinstance(criteria, list):
            problems.append(Problem("criteria must be a list", file=name, column=where))
            criteria = []
        out.append(Comment(cid, text, str(decision), tuple(str(c) for c in criteria)))
    if problems:
        raise DataError(problems)
    return tuple(out)


def comments_for(bank: tuple[Comment, ...], criterion_id: str,
                 decision: str | None = None) -> tuple[Comment, ...]:
    """Comments that fit a criterion (and a decision, when given): specific ones first."""
    fits = [c for c in bank
            if (not c.criteria or criterion_id in c.criteria)
            and (decision is None or c.decision in (decision, "any"))]
    return tuple(sorted(fits, key=lambda c: 0 if c.criteria else 1))
