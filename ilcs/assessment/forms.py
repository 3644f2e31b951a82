"""Parallel forms and per-learner shuffling. Pure functions: no widgets, no I/O.

- Each assessed closed or numeric item belongs to a **form group** of at least two parallel
  forms (`Question.form_group`): interchangeable questions on the same point of the content
  map. A learner answers one form; a learner who **resubmits** (their answer was sent in an
  evidence pack and the assessor has since decided the criterion "not yet met") gets the
  next form, so a second attempt is not the same question again.
- The order in which a learner meets the forms, and the order of the options, items and
  matches shown to them, are shuffled with a seed made from the candidate id and the
  question id: the same learner always sees the same order, another learner another order.
  Answers are saved as option ids, never positions, so marking does not depend on the order.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any


def seed_for(*parts: str) -> int:
    """A stable seed from texts (the same on every machine and Python version)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def shuffled(candidate_id: str, question_id: str, ids: Sequence[str],
             what: str = "options") -> list[str]:
    """`ids` in this learner's order for this question (stable for the same learner)."""
    order = list(ids)
    random.Random(seed_for(what, candidate_id, question_id)).shuffle(order)
    return order


def form_order(candidate_id: str, group: str, forms: Sequence[str]) -> list[str]:
    """The forms of a group in the order this learner meets them: a seeded rotation, so
    learners in one room do not all start on the same form."""
    if not forms:
        raise ValueError(f"form group {group!r} has no forms")
    start = seed_for("form", candidate_id, group) % len(forms)
    return [*forms[start:], *forms[:start]]


def _when(stamp: str) -> datetime:
    value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Attempt:
    """One saved answer to a form: when it was saved and whether it has been sent to the
    assessor in an evidence pack since."""

    question_id: str
    saved_at: str
    submitted: bool


def assigned_form(candidate_id: str, group: str, forms: Sequence[str],
                  attempts: Iterable[Attempt], not_yet_met_at: str | None = None) -> str:
    """The form of `group` this learner should answer now.

    - no attempt yet: the first form in the learner's order;
    - the latest attempt not yet submitted: its form (the learner is still answering it);
    - the latest attempt submitted, and a "not yet met" decision on the criterion after it
      (`not_yet_met_at`): the next form in the learner's order (a resubmission);
    - otherwise: the form of the latest attempt (it waits for, or has, the assessor's
      decision).
    """
    order = form_order(candidate_id, group, forms)
    mine = sorted((a for a in attempts if a.question_id in order), key=lambda a: _when(a.saved_at))
    if not mine:
        return order[0]
    last = mine[-1]
    if not last.submitted:
        return last.question_id
    if not_yet_met_at and _when(not_yet_met_at) > _when(last.saved_at):
        return order[(order.index(last.question_id) + 1) % len(order)]
    return last.question_id


def attempts_from_history(history: Iterable[Any], packs_written_at: Iterable[str]
                          ) -> list[Attempt]:
    """Attempts from a trainee's answer history (`Answer` rows) and the times their evidence
    packs were written: an answer saved before a pack was written was sent in it."""
    packs = [_when(t) for t in packs_written_at]
    last_pack = max(packs) if packs else None
    return [Attempt(a.question_id, a.saved_at,
                    last_pack is not None and _when(a.saved_at) <= last_pack)
            for a in history if getattr(a, "mode", "assessed") == "assessed"]


def choose_forms(bank: Any, candidate_id: str, attempts: Sequence[Attempt],
                 not_yet_met: Mapping[str, str] | None = None) -> dict[str, str]:
    """For every form group of the bank: the question id this learner should answer now.

    not_yet_met: criterion id -> when the assessor last decided it "not yet met" (from the
    learner's latest feedback pack). A group with one question maps to itself.
    """
    not_yet_met = not_yet_met or {}
    chosen: dict[str, str] = {}
    groups: dict[str, list[Any]] = {}
    for q in bank.questions:
        groups.setdefault(q.group, []).append(q)
    for group, forms in groups.items():
        ids = [q.id for q in forms]
        if len(ids) == 1:
            chosen[group] = ids[0]
            continue
        times = [not_yet_met[c] for c in forms[0].criteria if c in not_yet_met]
        latest = max(times, key=_when) if times else None
        chosen[group] = assigned_form(candidate_id, group, ids, attempts, latest)
    return chosen


def learner_selection(bank: Any, questions: Sequence[Any], chosen: Mapping[str, str]
                      ) -> list[Any]:
    """`questions` with each assessed form replaced by the form chosen for the learner (each
    group once, where its first form stood)."""
    out: list[Any] = []
    seen: set[str] = set()
    for q in questions:
        if q.mode != "assessed" or len(bank.forms(q.group)) < 2:
            out.append(q)
            continue
        if q.group in seen:
            continue
        seen.add(q.group)
        out.append(bank.get(chosen.get(q.group, q.id)))
    return out
