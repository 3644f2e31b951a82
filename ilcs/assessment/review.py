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
from typing import TYPE_CHECKING, Any

import pandas as pd

from ilcs.assessment.cohort import cohort_matrix, latest_decisions
from ilcs.assessment.decisions import (
    MET,
    ActionPoint,
    Decision,
    EvidenceRecord,
    SignOff,
    WrittenMark,
    completed_candidates,
    make_action_point,
    make_decision,
    make_evidence_record,
    make_signoff,
    proposal_for,
    propose_decisions,
    written_mark,
)
from ilcs.assessment.identity import person_key
from ilcs.assessment.limits import ATTACHMENT_CRITERIA
from ilcs.assessment.reports import CandidateRecord, build_candidate_record
from ilcs.assessment.sampling import RISKS, SamplingPlan, draw_sample, make_verdict
from ilcs.assessment.store import AnswerStore, AuditRecord, IqaSample, MarkRow, Rows, now_iso
from ilcs.assessment.unit import Unit, load_unit
from ilcs.errors import DataError, IlcsError, Problem

if TYPE_CHECKING:
    from ilcs.assessment.questions import Bank, Keys

AUTO_MARKER = "auto-marker"


def question_criteria(bank: Bank) -> pd.DataFrame:
    """question_id, criterion_id, type, mode, group: one row per question per criterion
    (group: the parallel-form group, the question's own id when it has no other form)."""
    rows = [(q.id, c, q.type, q.mode, q.group) for q in bank.questions for c in q.criteria]
    return pd.DataFrame(rows, columns=["question_id", "criterion_id", "type", "mode", "group"])


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
    # candidate_id, criterion_id, decided_at, answers, records: latest decisions with
    # answers or evidence records that arrived after them (see `new_evidence_since`)
    new_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def criteria(self) -> tuple[str, ...]:
        return self.unit.criterion_ids()

    def latest(self) -> pd.DataFrame:
        return latest_decisions(self.decisions)

    def matrix(self) -> pd.DataFrame:
        return cohort_matrix(list(self.candidates["candidate_id"]), self.criteria,
                             self.proposals, self.decisions)

    def flagged(self) -> set[tuple[str, str]]:
        """(candidate, criterion) pairs whose decision has new evidence since it was made."""
        frame = self.new_evidence
        if not len(frame):
            return set()
        return set(zip(frame["candidate_id"].astype(str), frame["criterion_id"].astype(str)))

    def completed(self) -> list[str]:
        """Candidates with every criterion met and both sign-offs after the last decision."""
        return completed_candidates(self.latest(), self.signoffs, self.criteria)

    def record(self, candidate_id: str) -> CandidateRecord:
        row = self.candidates.loc[self.candidates["candidate_id"] == candidate_id]
        if not len(row):
            raise DataError(Problem(f"no candidate {candidate_id!r} in the store",
                                    column="candidate"))
        return build_candidate_record(
            {str(k): v for k, v in row.iloc[0].to_dict().items()}, self.unit, results=self.results, proposals=self.proposals,
            decisions=self.decisions, actions=self.actions, signoffs=self.signoffs,
            evidence=self.evidence, verdicts=self.verdicts, flagged=self.flagged())


def _frame(rows: Rows) -> pd.DataFrame:
    """Rows as a frame, column by column (fast: no per-row attribute probing)."""
    columns = list(rows.columns)
    if not rows.rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame(dict(zip(columns, (list(col) for col in zip(*rows.rows)))))


def load_review_data(store: AnswerStore, *, bank: Bank | None = None,
                     unit: Unit | None = None, candidate_ids: Sequence[str] | None = None,
                     with_responses: bool = False, keys: Keys | None = None) -> ReviewData:
    """Read the store into frames (for some candidates only, when given).

    `keys` (the assessor's rubrics), when given, let a proposal name the parts of the
    criterion a written answer does not yet cover.
    """
    from ilcs.assessment.questions import load_bank

    unit = unit or load_unit()
    bank = bank or load_bank()
    qc = question_criteria(bank)
    read = store.review_rows(candidate_ids, with_responses=with_responses)
    answers = _frame(read.answers)
    cands = _frame(read.candidates)
    frames = {name: _frame(getattr(read, name)) for name in (
        "decisions", "action_points", "signoffs", "evidence_records", "iqa_samples",
        "iqa_verdicts", "assessor_profiles")}
    answers["status"] = answers["status"].fillna("awaiting_assessor")
    answers["points"] = answers["points"].fillna("[]")
    answers["parts_missing"] = _parts_missing(answers, bank, keys)
    results = answers.merge(qc[["question_id", "criterion_id", "type", "group"]],
                            on="question_id", how="inner")
    if len(results):
        # Of the parallel forms of an item, the one answered last counts (a resubmission).
        results = (results.assign(_at=pd.to_datetime(results["saved_at"], utc=True))
                   .sort_values("_at", kind="stable")
                   .drop_duplicates(["candidate_id", "criterion_id", "group"], keep="last")
                   .drop(columns="_at").sort_values(["candidate_id", "question_id"])
                   .reset_index(drop=True))
    performance = [c.id for c in unit.criteria if c.kind == "performance"]
    evidence = frames["evidence_records"]
    proposals = propose_decisions(results, questions=qc, evidence=evidence,
                                  performance_criteria=performance)
    # An attachment (e.g. the improvement record for 6.3) is new evidence for its criterion.
    attached = answers.loc[answers["question_id"].isin(list(ATTACHMENT_CRITERIA))]
    attached = attached.assign(criterion_id=attached["question_id"].map(ATTACHMENT_CRITERIA))
    keys_at = ["candidate_id", "criterion_id", "recorded_at"]
    new_evidence = new_evidence_since(
        latest_decisions(frames["decisions"]),
        pd.concat([results[keys_at], attached[keys_at]], ignore_index=True) if len(attached)
        else results, evidence)
    cands = cands.assign(assessor=cands["assessor"].fillna("")) if len(cands) else \
        pd.DataFrame(columns=["candidate_id", "name", "candidate_number", "centre",
                              "assessor", "updated_at"])
    return ReviewData(unit=unit, candidates=cands.reset_index(drop=True),
                      answers=answers.reset_index(drop=True), results=results,
                      proposals=proposals, decisions=frames["decisions"],
                      actions=frames["action_points"], signoffs=frames["signoffs"],
                      evidence=evidence, samples=frames["iqa_samples"],
                      verdicts=frames["iqa_verdicts"], assessors=frames["assessor_profiles"],
                      questions=qc, new_evidence=new_evidence)


def _parts_missing(answers: pd.DataFrame, bank: Bank, keys: Keys | None) -> list[str]:
    """For each marked written answer: the rubric parts its ticked points leave uncovered
    (JSON list of the parts' words), worked out from the rubric; "[]" otherwise."""
    out = ["[]"] * len(answers)
    if keys is None or not len(answers):
        return out
    from ilcs.assessment.marking import rubric_of

    rubrics: dict[str, Any] = {}
    for i, (qid, status, points) in enumerate(zip(answers["question_id"], answers["status"],
                                                  answers["points"])):
        if status not in ("partly_correct", "incorrect"):
            continue
        if qid not in rubrics:
            try:
                question = bank.get(str(qid))
            except KeyError:
                rubrics[qid] = None
            else:
                rubrics[qid] = rubric_of(question, keys.keys.get(str(qid))) \
                    if question.type == "written" else None
        rubric = rubrics[qid]
        if rubric is not None:
            missing = rubric.missing_parts(json.loads(points or "[]"))
            out[i] = json.dumps([p.text for p in missing], ensure_ascii=False)
    return out


def new_evidence_since(latest: pd.DataFrame, results: pd.DataFrame,
                       evidence: pd.DataFrame) -> pd.DataFrame:
    """Latest decisions with answers (received by the store, e.g. from a newer pack) or
    evidence records made after them: the assessor has not looked at these yet.

    latest: candidate_id, criterion_id, decided_at; results: candidate_id, criterion_id,
    recorded_at; evidence: candidate_id, criterion_id, recorded_at.
    Returns candidate_id, criterion_id, decided_at, answers, records (counts). A new decision
    on the criterion clears the flag.
    """
    columns = ["candidate_id", "criterion_id", "decided_at", "answers", "records"]
    if not len(latest):
        return pd.DataFrame(columns=columns)
    keys = ["candidate_id", "criterion_id"]
    dec = latest[[*keys, "decided_at"]].astype(str).assign(
        _at=lambda f: pd.to_datetime(f["decided_at"], utc=True))

    def after(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        if not len(frame):
            return pd.DataFrame(columns=[*keys, name])
        rows = frame[[*keys, "recorded_at"]].astype(str).merge(dec, on=keys, how="inner")
        later = rows.loc[pd.to_datetime(rows["recorded_at"], utc=True) > rows["_at"]]
        return later.groupby(keys).size().rename(name).reset_index()

    out = dec[[*keys, "decided_at"]]
    out = out.merge(after(results, "answers"), on=keys, how="left")
    out = out.merge(after(evidence, "records"), on=keys, how="left")
    out[["answers", "records"]] = out[["answers", "records"]].fillna(0).astype(int)
    out = out.loc[(out["answers"] > 0) | (out["records"] > 0)]
    return out[columns].sort_values(keys).reset_index(drop=True)


# --------------------------------------------------------------------------- candidates


def candidate_label(row: Any) -> str:
    """How a candidate is named to people: "NVQ-0042 Ada Jones" (number and name; the
    internal id only when there is neither)."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    number = str(get("candidate_number") or "").strip()
    name = str(get("name") or "").strip()
    return " ".join(x for x in (number, name) if x) or str(get("candidate_id") or "")


def find_candidate(store: AnswerStore, ref: str) -> str:
    """The candidate id for what a person typed: a candidate number (NVQ-0042, any case),
    the internal id, or a full name when only one candidate has it. DataError otherwise,
    naming the candidates that match when there are several."""
    text = (ref or "").strip()
    if not text:
        raise DataError(Problem("say which candidate: their candidate number, e.g. NVQ-0042",
                                column="candidate"))
    cands = store.candidates()
    for rule in (lambda c: c.candidate_id == text,
                 lambda c: c.candidate_number.strip().lower() == text.lower(),
                 lambda c: c.name.strip().lower() == text.lower()):
        hits = [c for c in cands if rule(c)]
        if len(hits) == 1:
            return hits[0].candidate_id
        if len(hits) > 1:
            listed = "; ".join(f"{candidate_label(c.__dict__)} (id {c.candidate_id})"
                               for c in hits)
            raise DataError(Problem(f"{text!r} matches {len(hits)} candidates: {listed}. "
                                    "Give the candidate number or id", column="candidate"))
    raise DataError(Problem(f"no candidate {text!r} in the store (`ilcs candidates` lists "
                            "them)", column="candidate"))


def search_candidates(candidates: pd.DataFrame, text: str) -> pd.DataFrame:
    """Candidates whose number or name contains every word of `text` (any case), or whose
    internal id is exactly `text`."""
    words = (text or "").lower().split()
    if not words or not len(candidates):
        return candidates
    hay = (candidates["candidate_number"].fillna("").astype(str) + " "
           + candidates["name"].fillna("").astype(str)).str.lower()
    keep = pd.Series(True, index=candidates.index)
    for word in words:
        keep &= hay.str.contains(word, regex=False)
    keep |= candidates["candidate_id"].astype(str) == text.strip()
    return candidates.loc[keep]


def saved_mark(data: ReviewData, candidate_id: str, question_id: str
               ) -> tuple[str, str, list[str]] | None:
    """The latest mark of a candidate's latest answer: (status, marked by, points ticked),
    or None when it is not marked yet."""
    a = data.answers
    if not len(a):
        return None
    hit = a.loc[(a["candidate_id"] == candidate_id) & (a["question_id"] == question_id)]
    if not len(hit) or not isinstance(hit.iloc[0]["marked_by"], str):
        return None
    row = hit.iloc[0]
    return str(row["status"]), str(row["marked_by"]), list(json.loads(row["points"] or "[]"))


# --------------------------------------------------------------------------- marking


def mark_imported(store: AnswerStore, candidate_id: str | None = None, *,
                  bank: Bank | None = None, keys: Keys | None = None,
                  actor: str = AUTO_MARKER) -> int:
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
    done = store.marked_answer_uids()
    by_id = {q.id: q for q in bank.questions}
    key_cache: dict[str, Any] = {}
    rows: list[MarkRow] = []
    stamp = now_iso()
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
        rows.append(MarkRow(answer_uid=ans.answer_uid, candidate_id=ans.candidate_id,
                            question_id=ans.question_id, status=result.status,
                            score=result.score, feedback=result.feedback, marked_by=actor,
                            marked_at=stamp))
    if not rows:
        return 0
    groups = []
    for cand in sorted({r.candidate_id for r in rows}):
        mine = [r for r in rows if r.candidate_id == cand]
        groups.append((AuditRecord(actor, "auto_marked", cand, {
            "marks": len(mine), "correct": sum(r.status == "correct" for r in mine)}), mine))
    store.add_marks(groups)
    return len(rows)


def mark_written(store: AnswerStore, candidate_id: str, question_id: str,
                 points: Iterable[str], *, assessor: str, feedback: str = "",
                 bank: Bank | None = None, keys: Keys | None = None) -> WrittenMark:
    """Mark the candidate's latest written answer from the rubric points the assessor ticked
    (met only when every required part of the criterion is covered)."""
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
    result = written_mark(ticked, rubric)
    store.add_marks([(
        AuditRecord(assessor.strip(), "written_marked", f"{candidate_id}/{question_id}",
                    {"status": result.status, "points": len(ticked),
                     "parts_missing": list(result.missing)}),
        [MarkRow(answer_uid=answer.answer_uid, candidate_id=candidate_id,
                 question_id=question_id, status=result.status, score=result.score,
                 points=tuple(ticked), feedback=feedback.strip(), marked_by=assessor.strip(),
                 marked_at=now_iso())])])
    return result


# --------------------------------------------------------------------------- decisions


def decide(store: AnswerStore, candidate_id: str, criterion_id: str, outcome: str, *,
           assessor: str, feedback: str = "", bank: Bank | None = None,
           unit: Unit | None = None, data: ReviewData | None = None) -> Decision:
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
    ev = data.evidence
    if criterion.kind == "performance" and outcome == MET and not (
            (ev["criterion_id"] == criterion_id) & (ev["candidate_id"] == candidate_id)).any():
        raise DataError(Problem(f"{criterion_id} is a performance criterion: record the "
                                "evidence (observation, witness testimony...) first",
                                column="decision"))
    proposed = proposal_for(data.proposals, candidate_id, criterion_id)
    decision = make_decision(candidate_id, criterion_id, outcome, proposed=proposed,
                             assessor=assessor, feedback=feedback)
    store.add_decision(decision, AuditRecord(
        decision.assessor, "decision_made", f"{candidate_id}/{criterion_id}",
        {"outcome": decision.outcome, "proposed": decision.proposed,
         "overridden": decision.overridden}))
    return decision


def add_action_point(store: AnswerStore, candidate_id: str, criterion_id: str, action: str,
                     due: str, *, set_by: str) -> ActionPoint:
    point = make_action_point(candidate_id, criterion_id, action, due, set_by=set_by)
    store.add_action_point(point, AuditRecord(
        point.set_by, "action_point_set", f"{candidate_id}/{criterion_id}",
        {"due": point.due.isoformat()}))
    return point


def record_evidence(store: AnswerStore, candidate_id: str, criterion_id: str, kind: str,
                    description: str, evidence_date: str, *, recorded_by: str,
                    asked: str = "", recording_ref: str = "", unit: Unit | None = None
                    ) -> EvidenceRecord:
    """Record evidence for a criterion: for outcome 7 what was seen or produced; for any
    criterion a professional discussion or oral questioning (what was asked, a summary of
    the answer, the date, optionally a recording's reference)."""
    unit = unit or load_unit()
    try:
        criterion = unit.criterion(criterion_id)
    except KeyError:
        raise DataError(Problem(f"unit {unit.code} has no criterion {criterion_id!r}",
                                column="criterion")) from None
    record = make_evidence_record(candidate_id, criterion_id, kind, description,
                                  evidence_date, recorded_by=recorded_by, asked=asked,
                                  recording_ref=recording_ref,
                                  knowledge=criterion.kind == "knowledge")
    store.add_evidence_record(record, AuditRecord(
        record.recorded_by, "evidence_recorded", f"{candidate_id}/{criterion_id}",
        {"kind": record.kind, "recording_ref": record.recording_ref}))
    return record


def sign_off(store: AnswerStore, candidate_id: str, role: str, name: str, *,
             statement: str = "", recorded_by: str | None = None) -> SignOff:
    """Record a learner or assessor sign-off (the audit names who recorded it)."""
    signoff = make_signoff(candidate_id, role, name, statement=statement)
    store.add_signoff(signoff, AuditRecord(
        recorded_by or signoff.name, f"{role}_signed_off", candidate_id,
        {"name": signoff.name}))
    return signoff


# --------------------------------------------------------------------------- IQA


def set_assessor_profile(store: AnswerStore, assessor: str, *, risk: str, new: bool,
                         by: str) -> None:
    """The IQA records an assessor's risk level and whether they are new (for sampling)."""
    if risk not in RISKS:
        raise DataError(Problem(f"risk must be low, medium or high, found {risk!r}",
                                column="risk"))
    store.set_assessor_profile(assessor, risk=risk, new=new, audit=AuditRecord(
        by, "assessor_profile_set", assessor, {"risk": risk, "new": bool(new)}))


def draw_iqa_sample(store: AnswerStore, plan: SamplingPlan, *, bank: Bank | None = None,
                    data: ReviewData | None = None) -> pd.DataFrame:
    """Draw and record an IQA sample from the latest decisions (see `sampling`)."""
    data = data or load_review_data(store, bank=bank)
    latest = data.latest()
    if not len(latest):
        raise DataError(Problem("there are no assessor decisions to sample yet"))
    # A decision already judged is never drawn again, nor one already waiting in this
    # IQA's queue; a new decision on the same criterion is a new decision and may be.
    taken: set[int] = set()
    if len(data.verdicts):
        taken |= set(data.verdicts["decision_id"].astype(int))
    if len(data.samples):
        mine = data.samples.loc[data.samples["iqa"].map(person_key) == person_key(plan.iqa)]
        taken |= set(mine["decision_id"].astype(int))
    latest = latest.loc[~latest["id"].astype(int).isin(taken)]
    if not len(latest):
        return latest.assign(reason=pd.Series(dtype=object))
    sample = draw_sample(latest, data.assessors, plan, completed=data.completed())
    if not len(sample):
        return sample
    ref = uuid.uuid4().hex[:12]
    stamp = now_iso()
    rows = [IqaSample(sample_ref=ref, decision_id=int(r["id"]),
                      candidate_id=str(r["candidate_id"]), criterion_id=str(r["criterion_id"]),
                      assessor=str(r["assessor"]), stage=plan.stage, iqa=plan.iqa,
                      reason=str(r["reason"]), drawn_at=stamp)
            for r in sample.to_dict("records")]
    store.add_iqa_samples(rows, AuditRecord(
        plan.iqa, "iqa_sample_drawn", ref,
        {"stage": plan.stage, "seed": plan.seed, "decisions": len(rows)}))
    return sample.assign(sample_ref=ref)


def iqa_queue(data: ReviewData, iqa: str | None = None, *, include_judged: bool = False
              ) -> pd.DataFrame:
    """Sampled decisions still waiting for a verdict (for one IQA if given), oldest first;
    with `include_judged`, the judged ones too, with their latest verdict in `verdict`."""
    samples = data.samples
    if not len(samples):
        return samples.assign(verdict=pd.Series(dtype=object))
    if iqa:
        samples = samples.loc[samples["iqa"].map(person_key) == person_key(iqa)]
    latest: dict[int, str] = {}
    if len(data.verdicts):
        v = data.verdicts.sort_values("id")
        latest = dict(zip(v["sample_id"].astype(int), v["verdict"]))
    samples = samples.assign(verdict=samples["id"].astype(int).map(latest))
    if not include_judged:
        samples = samples.loc[samples["verdict"].isna()]
    return samples.reset_index(drop=True)


def iqa_item(data: ReviewData, sample_id: int) -> dict[str, Any]:
    """One sampled decision with what the IQA needs to judge it: the candidate, the
    decision and its feedback, the evidence, and earlier verdicts on it."""
    rows = data.samples.loc[data.samples["id"].astype(int) == int(sample_id)]
    if not len(rows):
        raise DataError(Problem(f"no IQA sample item {sample_id}", column="sample"))
    item = rows.iloc[0]
    decision_id = int(str(item["decision_id"]))
    decision = data.decisions.loc[data.decisions["id"].astype(int) == decision_id]
    record = data.record(str(item["candidate_id"]))
    verdicts = data.verdicts.loc[data.verdicts["sample_id"].astype(int) == int(sample_id)] \
        if len(data.verdicts) else data.verdicts
    return {"sample": item.to_dict(),
            "decision": decision.iloc[0].to_dict() if len(decision) else {},
            "record": record, "criterion": record.criterion(str(item["criterion_id"])),
            "verdicts": verdicts.sort_values("id").to_dict("records") if len(verdicts) else []}


def record_verdict(store: AnswerStore, sample_id: int, *, iqa: str, verdict: str,
                   comment: str = "") -> None:
    """The IQA accepts or rejects one sampled decision, with comments. A second verdict on
    the same item (a changed mind) needs a reason; the earlier verdict stays in the trail."""
    item = store.iqa_sample(sample_id)  # samples are append-only: it cannot change after
    if item is None:
        raise DataError(Problem(f"no IQA sample item {sample_id}", column="sample"))
    v = make_verdict(item.candidate_id, item.criterion_id, item.assessor, iqa, verdict,
                     comment)
    before = store.iqa_verdicts_of(int(sample_id))
    if before and not v.comment:
        earlier, by, _at = before[-1]
        raise DataError(Problem(
            f"item {sample_id} was already judged {earlier} by {by}: changing or repeating "
            "a verdict needs a comment giving the reason (the earlier verdict stays in the "
            "record)", column="comment"))
    details: dict[str, Any] = {"sample_id": item.id, "decision_id": item.decision_id,
                               "assessor": item.assessor}
    if before:
        details["replaces"] = before[-1][0]
    store.add_iqa_verdict(item, v, at=now_iso(), audit=AuditRecord(
        v.iqa, f"iqa_{v.verdict}", f"{item.candidate_id}/{item.criterion_id}", details))


def candidate_record(store: AnswerStore, candidate_id: str, *, bank: Bank | None = None,
                     unit: Unit | None = None, keys: Keys | None = None) -> CandidateRecord:
    """One candidate's full record, with their answers' text, for a report or feedback pack
    (`keys`, when given, let the proposals name the rubric parts not yet covered)."""
    data = load_review_data(store, bank=bank, unit=unit, candidate_ids=[candidate_id],
                            with_responses=True, keys=keys)
    return data.record(candidate_id)


def answer_text(store: AnswerStore, candidate_id: str, question_id: str) -> str:
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
