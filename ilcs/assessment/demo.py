"""A fictional cohort in an answer store, to try the review app and to train assessors.

`make_demo_cohort(store, candidates=40)` files fictional candidates who have answered the
real bank's assessed questions (some right, some wrong, some not yet), imported as if from
evidence packs, auto-marked like a real import, with the written answers of most candidates
marked against their rubric and some criteria already decided by their assessor. Every row goes through the same store and review functions as real work, so the
audit trail says "demo" for who did it. Deterministic for a given seed.

    ilcs demo --candidates 40 --database sqlite:///demo.sqlite
"""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING, Any

from ilcs.assessment.store import AnswerStore, canonical_json, now_iso

if TYPE_CHECKING:
    from ilcs.assessment.questions import Bank, Keys

from ilcs.errors import UsageError

FIRST = ("Amelia", "Omar", "Grace", "Tomasz", "Priya", "Callum", "Aisha", "Rhys", "Chloe",
         "Kwame", "Sophie", "Dylan", "Fatima", "Lewis", "Hannah", "Mohammed", "Ellie", "Jack")
LAST = ("Patel", "Evans", "O'Brien", "Nowak", "Campbell", "Ahmed", "Hughes", "Clarke",
        "Mensah", "Walsh", "Robertson", "Khan", "Davies", "Murray", "Okafor", "Price")
CENTRES = ("North College", "Riverside Training", "City Council Academy")
ASSESSORS = ("A. Khan", "B. Osei", "C. Murphy")
DEMO_ACTOR = "demo"


def _response(question: Any, key: Any, right: bool, rng: random.Random) -> Any:
    """A response of the shape the quiz saves for this question type, right or wrong."""
    kind = question.answer_type if question.type == "data_task" else question.type
    if kind == "single_choice":
        others = [o.id for o in question.options if o.id != key]
        return key if right or not others else rng.choice(others)
    if kind == "multiple_choice":
        chosen = sorted(key)
        return chosen if right else chosen[:-1] or [o.id for o in question.options][:1]
    if kind == "numeric":
        value = float(key)
        return round(value, 1) if right else round(value * 1.3 + 2, 1)
    if kind == "ordering":
        return list(key) if right else list(reversed(key))
    if kind == "matching":
        lefts, rights = list(key), [key[k] for k in key]
        return dict(key) if right else dict(zip(lefts, rights[1:] + rights[:1]))
    if kind == "short_text":
        words = [group[0] for group in key.keywords]
        return " and ".join(words) if right else "I would ask my manager."
    if kind == "written":
        points = list(key.marking_points) if key is not None else []
        used = points if right else points[:1]
        return " ".join(f"{p.rstrip('.')}." for p in used) or "Not answered in full yet."
    raise UsageError(f"no demo answer for question type {question.type!r}")


def make_demo_cohort(store: AnswerStore, candidates: int = 40, *, seed: int = 2550,
                     bank: Bank | None = None, keys: Keys | None = None,
                     marked_share: float = 0.7, decided_share: float = 0.35) -> int:
    """File `candidates` fictional candidates with answers, marks and some decisions.

    Returns the number of answers written. Candidate ids are `demo-001`...; running it again
    with the same store adds nothing new for candidates that already have answers.
    """
    from ilcs.assessment.forms import form_order
    from ilcs.assessment.marking import key_for
    from ilcs.assessment.questions import load_bank, load_keys
    from ilcs.assessment.review import decide, load_review_data, mark_imported, mark_written

    bank = bank or load_bank()
    keys = keys if keys is not None else load_keys(bank=bank)
    rng = random.Random(seed)
    every = [q for q in bank.questions if q.mode == "assessed"]
    answer_keys = {q.id: key_for(q, keys.keys.get(q.id)) for q in every}
    stamp = now_iso()
    written = 0
    with store.transaction() as conn:
        for i in range(1, candidates + 1):
            cid = f"demo-{i:03d}"
            if store.latest_answers(cid):
                continue
            # one parallel form of each item, the one this candidate meets first
            firsts = {g: form_order(cid, g, [q.id for q in bank.forms(g)])[0]
                      for g in {q.group for q in every}}
            assessed = [q for q in every if firsts[q.group] == q.id]
            store.upsert_candidate(conn, cid, {
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "candidate_number": f"DEMO{i:04d}", "centre": CENTRES[i % len(CENTRES)],
                "assessor": ASSESSORS[i % len(ASSESSORS)], "updated_at": stamp},
                actor=DEMO_ACTOR)
            strong = rng.random() < 0.4  # some candidates get (nearly) everything right
            ability = rng.uniform(0.93, 1.0) if strong else rng.uniform(0.55, 0.9)
            progress = 1.0 if strong else rng.uniform(0.35, 1.0)
            rows = [{
                "answer_uid": uuid.UUID(int=rng.getrandbits(128)).hex, "candidate_id": cid,
                "question_id": q.id, "mode": "assessed", "bank_version": bank.version,
                "response": canonical_json(_response(q, answer_keys[q.id], rng.random() < ability, rng)),
                "saved_at": stamp, "origin": "pack", "pack_sha256": None,
            } for q in assessed if rng.random() < progress and answer_keys[q.id] is not None]
            written += store.insert_answers(conn, rows, actor=DEMO_ACTOR)
    mark_imported(store, bank=bank, keys=keys)
    written_ids = {q.id for q in every if q.type == "written"}
    for i in range(1, round(candidates * marked_share) + 1):  # the assessor's marking so far
        cid = f"demo-{i:03d}"
        for answer in store.latest_answers(cid).values():
            if answer.question_id in written_ids:
                rubric = answer_keys[answer.question_id]
                ticked = [p for p in rubric.marking_points if p.rstrip(".") in answer.response]
                mark_written(store, cid, answer.question_id, ticked,
                             assessor=ASSESSORS[i % len(ASSESSORS)], bank=bank, keys=keys)
    data = load_review_data(store, bank=bank)
    decided = data.proposals[data.proposals["proposal"].isin(["met", "not_yet_met"])]
    chosen = sorted(decided["candidate_id"].unique())[: round(candidates * decided_share)]
    for row in decided[decided["candidate_id"].isin(chosen)].to_dict("records"):
        feedback = "" if row["proposal"] == "met" else (
            "Some answers for this criterion are not right yet: look at the questions "
            "marked ✘ and try them again with the notebook's explanation.")
        candidate_id, criterion_id = str(row["candidate_id"]), str(row["criterion_id"])
        assessor = ASSESSORS[int(candidate_id[-3:]) % len(ASSESSORS)]
        decide(store, candidate_id, criterion_id, str(row["proposal"]), assessor=assessor,
               feedback=feedback, bank=bank, data=data)
    return written
