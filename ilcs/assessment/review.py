"""The assessor's and IQA's actions on the answer store, and the frames the review app shows.

Every action writes its rows and an audit entry naming the actor in ONE transaction:
auto-marking, written marking, decisions, action points, evidence records, sign-offs,
IQA samples and verdicts. Reading is `load_review_data(store)`: plain frames that the pure
core (`decisions`, `cohort`, `sampling`, `reports`) works on.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from ilcs.assessment import review_tables as rt
from ilcs.assessment.cohort import cohort_matrix, latest_decisions
from ilcs.assessment.decisions import (
    MET,
    ActionPoint,
    Decision,
    EvidenceRecord,
    SignOff,
    completed_candidates,
    make_action_point,
    make_decision,
    make_evidence_record,
    make_signoff,
    proposal_for,
    propose_decisions,
    written_mark,
)
from ilcs.assessment.reports import CandidateRecord, build_candidate_record
from ilcs.assessment.sampling import RISKS, SamplingPlan, draw_sample, make_verdict
from ilcs.assessment.unit import Unit, load_unit
from ilcs.errors import DataError, IlcsError, Problem

AUTO_MARKER = "auto-marker"


def _now() -> str:
    from ilcs.assessment.store import now_iso

    return now_iso()


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json(value: Any) -> str:
    from ilcs.assessment.store import canonical_json

    return canonical_json(value)


def question_criteria(bank: Any) -> pd.DataFrame:
    """question_id, criterion_id, type, mode: one row per question per criterion."""
    rows = [(q.id, c, q.type, q.mode) for q in bank.questions for c in q.criteria]
    return pd.DataFrame(rows, columns=["question_id", "criterion_id", "type", "mode"])


@dataclass(frozen=True)
class ReviewData:
    """Everything the review app, the reports and the IQA need, as frames."""

    unit: Unit
    candidates: pd.DataFrame  # candidate_id, name, centre, assessor, candidate_number
    answers: pd.DataFrame  # latest assessed answer per question: ... status, score
    results: pd.DataFrame  # answers x criteria
    proposals: pd.DataFrame
    decisions: pd.DataFrame  # every decision, with its id
    actions: pd.DataFrame
    signoffs: pd.DataFrame
    evidence: pd.DataFrame
    samples: pd.DataFrame
    verdicts: pd.DataFrame
    assessors: pd.DataFrame
    questions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def criteria(self) -> tuple[str, ...]:
        return self.unit.criterion_ids()

    def latest(self) -> pd.DataFrame:
        return latest_decisions(self.decisions)

    def matrix(self) -> pd.DataFrame:
        return cohort_matrix(list(self.candidates["candidate_id"]), self.criteria,
                             self.proposals, self.decisions)

    def completed(self) -> list[str]:
        """Candidates with every criterion met and both sign-offs after the last decision."""
        return completed_candidates(self.latest(), self.signoffs, self.criteria)

    def record(self, candidate_id: str) -> CandidateRecord:
        row = self.candidates.loc[self.candidates["candidate_id"] == candidate_id]
        if not len(row):
            raise DataError(Problem(f"no candidate {candidate_id!r} in the store",
                                    column="candidate"))
        return build_candidate_record(
            row.iloc[0].to_dict(), self.unit, results=self.results, proposals=self.proposals,
            decisions=self.decisions, actions=self.actions, signoffs=self.signoffs,
            evidence=self.evidence, verdicts=self.verdicts)


def _frame(result: sa.CursorResult, columns: list[str]) -> pd.DataFrame:
    """Rows as a frame, column by column (fast: no per-row attribute probing)."""
    rows = result.all()
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame(dict(zip(columns, (list(col) for col in zip(*rows)))))


def _read(conn: sa.Connection, table: sa.Table, candidate_ids: Sequence[str] | None
          ) -> pd.DataFrame:
    query = sa.select(table)
    if candidate_ids is not None and "candidate_id" in table.c:
        query = query.where(table.c.candidate_id.in_(list(candidate_ids)))
    result = conn.execute(query.order_by(*table.primary_key.columns))
    return _frame(result, [c.name for c in table.columns])


def _latest_marked_answers(a: sa.Table, with_responses: bool,
                           candidate_ids: Sequence[str] | None) -> sa.Select:
    """The latest assessed answer per candidate and question, with its latest mark (if any),
    worked out by the database (one query)."""
    where = [a.c.mode == "assessed"]
    m = rt.marks
    mark_where = []
    if candidate_ids is not None:
        where.append(a.c.candidate_id.in_(list(candidate_ids)))
        mark_where.append(m.c.candidate_id.in_(list(candidate_ids)))
    extra = [a.c.response] if with_responses else []
    ranked = sa.select(
        a.c.answer_uid, a.c.candidate_id, a.c.question_id, a.c.saved_at, *extra,
        sa.func.row_number().over(partition_by=(a.c.candidate_id, a.c.question_id),
                                  order_by=(a.c.saved_at.desc(), a.c.id.desc())).label("rank"),
    ).where(*where).subquery("ranked")
    last = sa.select(m.c.answer_uid, sa.func.max(m.c.id).label("mark_id")).where(
        *mark_where).group_by(m.c.answer_uid).subquery("last_mark")
    cols = [ranked.c.answer_uid, ranked.c.candidate_id, ranked.c.question_id,
            ranked.c.saved_at]
    if with_responses:
        cols.append(ranked.c.response)
    return (sa.select(*cols, m.c.status, m.c.score, m.c.marked_by, m.c.feedback)
            .select_from(ranked.outerjoin(last, last.c.answer_uid == ranked.c.answer_uid)
                         .outerjoin(m, m.c.id == last.c.mark_id))
            .where(ranked.c.rank == 1)
            .order_by(ranked.c.candidate_id, ranked.c.question_id))


def load_review_data(store: Any, *, bank: Any = None, unit: Unit | None = None,
                     candidate_ids: Sequence[str] | None = None,
                     with_responses: bool = False) -> ReviewData:
    """Read the store into frames (for some candidates only, when given)."""
    from ilcs.assessment import schema
    from ilcs.assessment.questions import load_bank

    unit = unit or load_unit()
    bank = bank or load_bank()
    qc = question_criteria(bank)
    query = _latest_marked_answers(schema.answers, with_responses, candidate_ids)
    with store.transaction(write=False) as conn:
        result = conn.execute(query)
        answers = _frame(result, list(result.keys()))
        cands = _read(conn, schema.candidates, candidate_ids)
        frames = {t.name: _read(conn, t, candidate_ids) for t in (
            rt.decisions, rt.action_points, rt.signoffs, rt.evidence_records, rt.iqa_samples,
            rt.iqa_verdicts, rt.assessor_profiles)}
    answers["status"] = answers["status"].fillna("awaiting_assessor")
    results = answers.merge(qc[["question_id", "criterion_id"]], on="question_id", how="inner")
    performance = [c.id for c in unit.criteria if c.kind == "performance"]
    required = qc.loc[qc["mode"] == "assessed", ["question_id", "criterion_id"]]
    evidence = frames["evidence_records"]
    proposals = propose_decisions(results, required=required, evidence=evidence,
                                  performance_criteria=performance)
    cands = cands.assign(assessor=cands["assessor"].fillna("")) if len(cands) else \
        pd.DataFrame(columns=["candidate_id", "name", "candidate_number", "centre",
                              "assessor", "updated_at"])
    return ReviewData(unit=unit, candidates=cands.reset_index(drop=True),
                      answers=answers.reset_index(drop=True), results=results,
                      proposals=proposals, decisions=frames["decisions"],
                      actions=frames["action_points"], signoffs=frames["signoffs"],
                      evidence=evidence, samples=frames["iqa_samples"],
                      verdicts=frames["iqa_verdicts"], assessors=frames["assessor_profiles"],
                      questions=qc)


# --------------------------------------------------------------------------- marking


def mark_imported(store: Any, candidate_id: str | None = None, *, bank: Any = None,
                  keys: Any = None, actor: str = AUTO_MARKER) -> int:
    """Auto-mark every assessed objective answer (the latest per question) not yet marked.

    Written answers are left for the assessor. Returns how many marks were written. Meant
    to be called right after `ilcs import` (and safe to call again: nothing is marked twice).
    """
    from ilcs.assessment.marking import key_for, mark
    from ilcs.assessment.questions import load_bank, load_keys

    bank = bank or load_bank()
    keys = keys if keys is not None else load_keys(bank=bank)
    if candidate_id is not None:
        latest = list(store.latest_answers(candidate_id).values())
    else:
        latest = store.all_latest_answers()
    latest = [x for x in latest if x.mode == "assessed"]
    with store.transaction(write=False) as conn:
        done = set(conn.execute(sa.select(rt.marks.c.answer_uid).distinct()).scalars())
    by_id = {q.id: q for q in bank.questions}
    key_cache: dict[str, Any] = {}
    rows = []
    stamp = _now()
    for ans in latest:
        question = by_id.get(ans.question_id)
        if ans.answer_uid in done or question is None or question.type == "written":
            continue
        akey = keys.keys.get(question.id) if keys is not None else None
        if question.id not in key_cache:
            try:
                key_cache[question.id] = key_for(question, akey)
            except IlcsError:
                key_cache[question.id] = None  # e.g. a data task's data is missing here:
                # the answer stays "awaiting marking" for the assessor
        key = key_cache[question.id]
        if key is None:
            continue
        result = mark(question, ans.response, key, akey.feedback if akey else None)
        rows.append({"answer_uid": ans.answer_uid, "candidate_id": ans.candidate_id,
                     "question_id": ans.question_id, "status": result.status,
                     "score": result.score, "points": "[]", "feedback": result.feedback,
                     "marked_by": actor, "marked_at": stamp})
    if not rows:
        return 0
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.marks), rows)
        for cand in sorted({r["candidate_id"] for r in rows}):
            mine = [r for r in rows if r["candidate_id"] == cand]
            store.audit(actor, "auto_marked", cand,
                        {"marks": len(mine),
                         "correct": sum(r["status"] == "correct" for r in mine)}, conn=conn)
    return len(rows)


def mark_written(store: Any, candidate_id: str, question_id: str, points: Iterable[str], *,
                 assessor: str, feedback: str = "", bank: Any = None, keys: Any = None
                 ) -> tuple[str, float]:
    """Mark the candidate's latest written answer from the rubric points the assessor ticked."""
    from ilcs.assessment.marking import rubric_of
    from ilcs.assessment.questions import load_bank, load_keys

    if not assessor.strip():
        raise DataError(Problem("the assessor's name is required", column="assessor"))
    bank = bank or load_bank()
    keys = keys if keys is not None else load_keys(bank=bank)
    try:
        question = bank.get(question_id)
    except KeyError:
        raise DataError(Problem(f"no question {question_id!r} in the bank",
                                column="question")) from None
    rubric = rubric_of(question, keys.keys.get(question_id) if keys else None)
    if rubric is None:
        raise DataError(Problem(f"question {question_id} has no rubric in the assessor keys",
                                column="question"))
    answer = store.latest_answers(candidate_id).get(question_id)
    if answer is None:
        raise DataError(Problem(f"{candidate_id} has not answered {question_id}",
                                column="question"))
    ticked = list(points)
    status, score = written_mark(ticked, rubric.marking_points, rubric.min_points)
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.marks).values(
            answer_uid=answer.answer_uid, candidate_id=candidate_id, question_id=question_id,
            status=status, score=score, points=_json(ticked), feedback=feedback.strip(),
            marked_by=assessor.strip(), marked_at=_now()))
        store.audit(assessor.strip(), "written_marked", f"{candidate_id}/{question_id}",
                    {"status": status, "points": len(ticked)}, conn=conn)
    return status, score


# --------------------------------------------------------------------------- decisions


def decide(store: Any, candidate_id: str, criterion_id: str, outcome: str, *, assessor: str,
           feedback: str = "", bank: Any = None, unit: Unit | None = None,
           data: ReviewData | None = None) -> Decision:
    """Record the assessor's decision on one criterion (proposal worked out from the store).

    `data`: review data already read (e.g. for many decisions in a row); read if not given.
    """
    unit = unit or load_unit()
    try:
        criterion = unit.criterion(criterion_id)
    except KeyError:
        raise DataError(Problem(f"unit {unit.code} has no criterion {criterion_id!r}",
                                column="criterion")) from None
    if data is None:
        data = load_review_data(store, bank=bank, unit=unit, candidate_ids=[candidate_id])
    if candidate_id not in set(data.candidates["candidate_id"]):
        raise DataError(Problem(f"no candidate {candidate_id!r} in the store",
                                column="candidate"))
    if criterion.kind == "performance" and outcome == MET and not (
            data.evidence["criterion_id"] == criterion_id).any():
        raise DataError(Problem(f"{criterion_id} is a performance criterion: record the "
                                "evidence (observation, witness testimony...) first",
                                column="decision"))
    proposed = proposal_for(data.proposals, candidate_id, criterion_id)
    decision = make_decision(candidate_id, criterion_id, outcome, proposed=proposed,
                             assessor=assessor, feedback=feedback)
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.decisions).values(
            candidate_id=candidate_id, criterion_id=criterion_id, outcome=decision.outcome,
            proposed=decision.proposed, assessor=decision.assessor,
            feedback=decision.feedback, decided_at=_iso(decision.decided_at)))
        store.audit(decision.assessor, "decision_made", f"{candidate_id}/{criterion_id}",
                    {"outcome": decision.outcome, "proposed": decision.proposed,
                     "overridden": decision.overridden}, conn=conn)
    return decision


def add_action_point(store: Any, candidate_id: str, criterion_id: str, action: str,
                     due: str, *, set_by: str) -> ActionPoint:
    point = make_action_point(candidate_id, criterion_id, action, due, set_by=set_by)
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.action_points).values(
            candidate_id=candidate_id, criterion_id=criterion_id, action=point.action,
            due=point.due.isoformat(), set_by=point.set_by, set_at=_iso(point.set_at)))
        store.audit(point.set_by, "action_point_set", f"{candidate_id}/{criterion_id}",
                    {"due": point.due.isoformat()}, conn=conn)
    return point


def record_evidence(store: Any, candidate_id: str, criterion_id: str, kind: str,
                    description: str, evidence_date: str, *, recorded_by: str
                    ) -> EvidenceRecord:
    record = make_evidence_record(candidate_id, criterion_id, kind, description,
                                  evidence_date, recorded_by=recorded_by)
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.evidence_records).values(
            candidate_id=candidate_id, criterion_id=criterion_id, kind=record.kind,
            description=record.description, evidence_date=record.evidence_date.isoformat(),
            recorded_by=record.recorded_by, recorded_at=_iso(record.recorded_at)))
        store.audit(record.recorded_by, "evidence_recorded", f"{candidate_id}/{criterion_id}",
                    {"kind": record.kind}, conn=conn)
    return record


def sign_off(store: Any, candidate_id: str, role: str, name: str, *, statement: str = "",
             recorded_by: str | None = None) -> SignOff:
    """Record a learner or assessor sign-off (the audit names who recorded it)."""
    signoff = make_signoff(candidate_id, role, name, statement=statement)
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.signoffs).values(
            candidate_id=candidate_id, role=role, name=signoff.name,
            statement=signoff.statement, signed_at=_iso(signoff.signed_at)))
        store.audit(recorded_by or signoff.name, f"{role}_signed_off", candidate_id,
                    {"name": signoff.name}, conn=conn)
    return signoff


# --------------------------------------------------------------------------- IQA


def set_assessor_profile(store: Any, assessor: str, *, risk: str, new: bool, by: str) -> None:
    """The IQA records an assessor's risk level and whether they are new (for sampling)."""
    if risk not in RISKS:
        raise DataError(Problem(f"risk must be low, medium or high, found {risk!r}",
                                column="risk"))
    p = rt.assessor_profiles
    with store.transaction() as conn:
        values = {"risk": risk, "new": bool(new), "updated_at": _now()}
        if conn.execute(sa.select(p.c.assessor).where(p.c.assessor == assessor)).first():
            conn.execute(sa.update(p).where(p.c.assessor == assessor).values(**values))
        else:
            conn.execute(sa.insert(p).values(assessor=assessor, **values))
        store.audit(by, "assessor_profile_set", assessor, {"risk": risk, "new": bool(new)},
                    conn=conn)


def draw_iqa_sample(store: Any, plan: SamplingPlan, *, bank: Any = None,
                    data: ReviewData | None = None) -> pd.DataFrame:
    """Draw and record an IQA sample from the latest decisions (see `sampling`)."""
    data = data or load_review_data(store, bank=bank)
    latest = data.latest()
    if not len(latest):
        raise DataError(Problem("there are no assessor decisions to sample yet"))
    sample = draw_sample(latest, data.assessors, plan, completed=data.completed())
    if not len(sample):
        return sample
    ref = uuid.uuid4().hex[:12]
    stamp = _now()
    rows = [{"sample_ref": ref, "decision_id": int(r.id), "candidate_id": r.candidate_id,
             "criterion_id": r.criterion_id, "assessor": r.assessor, "stage": plan.stage,
             "iqa": plan.iqa, "reason": r.reason, "drawn_at": stamp}
            for r in sample.itertuples()]
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.iqa_samples), rows)
        store.audit(plan.iqa, "iqa_sample_drawn", ref,
                    {"stage": plan.stage, "seed": plan.seed, "decisions": len(rows)},
                    conn=conn)
    return sample.assign(sample_ref=ref)


def iqa_queue(data: ReviewData, iqa: str | None = None) -> pd.DataFrame:
    """Sampled decisions still waiting for a verdict (for one IQA if given), oldest first."""
    samples = data.samples
    if not len(samples):
        return samples
    if iqa:
        samples = samples.loc[samples["iqa"] == iqa]
    judged = set(data.verdicts["sample_id"]) if len(data.verdicts) else set()
    return samples.loc[~samples["id"].isin(judged)].reset_index(drop=True)


def record_verdict(store: Any, sample_id: int, *, iqa: str, verdict: str, comment: str = ""
                   ) -> None:
    """The IQA accepts or rejects one sampled decision, with comments."""
    s = rt.iqa_samples
    with store.transaction() as conn:
        row = conn.execute(sa.select(s).where(s.c.id == int(sample_id))).first()
        if row is None:
            raise DataError(Problem(f"no IQA sample item {sample_id}", column="sample"))
        v = make_verdict(row.candidate_id, row.criterion_id, row.assessor, iqa, verdict,
                         comment)
        conn.execute(sa.insert(rt.iqa_verdicts).values(
            sample_id=row.id, decision_id=row.decision_id, candidate_id=row.candidate_id,
            criterion_id=row.criterion_id, assessor=row.assessor, iqa=v.iqa,
            verdict=v.verdict, comment=v.comment, at=_now()))
        store.audit(v.iqa, f"iqa_{v.verdict}", f"{row.candidate_id}/{row.criterion_id}",
                    {"sample_id": row.id, "decision_id": row.decision_id,
                     "assessor": row.assessor}, conn=conn)


def candidate_record(store: Any, candidate_id: str, *, bank: Any = None,
                     unit: Unit | None = None) -> CandidateRecord:
    """One candidate's full record, with their answers' text, for a report or feedback pack."""
    data = load_review_data(store, bank=bank, unit=unit, candidate_ids=[candidate_id],
                            with_responses=True)
    return data.record(candidate_id)


def answer_text(store: Any, candidate_id: str, question_id: str) -> str:
    """The candidate's latest answer to a question as text ('' when none)."""
    from ilcs.assessment.reports import response_text

    answer = store.latest_answers(candidate_id).get(question_id)
    return response_text(json.dumps(answer.response)) if answer else ""


def item_answers(data: ReviewData) -> pd.DataFrame:
    """The latest assessed answers with responses decoded, for `item_stats.item_statistics`
    (load the data with `with_responses=True`)."""
    answers = data.answers.copy()
    if "response" in answers:
        answers["response"] = answers["response"].map(json.loads)
    else:
        answers["response"] = ""
    return answers
