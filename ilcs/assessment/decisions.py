"""Assessor decisions per criterion: proposed from the whole evidence, confirmed or overridden.

The words an assessor uses:
- a **result** is one marked answer counted towards one criterion (a question mapped to two
  criteria gives two results);
- a **proposal** is what the evidence suggests for a criterion, with the reason in words:
  met, not yet met, awaiting marking (a written answer or an evidence record still needs
  the assessor) or no evidence;
- a **decision** is the assessor's judgement (met / not yet met) with written feedback; it
  may confirm or override the proposal (an override must say why);
- an **action point** is something the learner agrees to do by a date;
- a **sign-off** is the learner or the assessor confirming the record at a time.

The decision policy (docs/decision-policy.md, `POLICY`): for a knowledge criterion the
written answer, judged against its rubric, is the main evidence; closed and numeric items
are supporting evidence and never decide a criterion on their own when the bank has a
written question for it; a professional discussion or oral questioning recorded by the
assessor is evidence the assessor weighs. Performance criteria (outcome 7) are never
proposed "met" from questions: they are judged from evidence records.

Frames (pandas) used here:
- results: candidate_id, question_id, criterion_id, status (correct / incorrect /
  partly_correct / unanswered / awaiting_assessor), score (0..1); optional `type` (the
  question type) and `parts_missing` (JSON list of the rubric parts a written mark found
  missing)
- questions: question_id, criterion_id, type, mode (the bank's questions per criterion),
  optionally group (parallel forms of one item share it and count once)
- evidence: candidate_id, criterion_id (one row per evidence record)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pandas as pd

from ilcs.assessment.questions import Rubric
from ilcs.errors import DataError, Problem

MET = "met"
NOT_YET_MET = "not_yet_met"
AWAITING_MARKING = "awaiting_marking"
NO_EVIDENCE = "no_evidence"
STATUSES = (MET, NOT_YET_MET, AWAITING_MARKING, NO_EVIDENCE)
DECISIONS = (MET, NOT_YET_MET)

# Words and a symbol for every status: the meaning never rests on colour.
LABELS = {
    MET: "✔ Met",
    NOT_YET_MET: "✘ Not yet met",
    AWAITING_MARKING: "… Awaiting marking",
    NO_EVIDENCE: "○ No evidence",
}

SIGNOFF_ROLES = ("learner", "assessor")
EVIDENCE_KINDS = (
    "observation",
    "witness testimony",
    "work product",
    "professional discussion",
    "oral questioning",
    "personal statement",
)
# Evidence of a knowledge criterion other than the learner's answers: what the assessor
# asked and a summary of the answer (normal practice, e.g. for learners with low literacy).
DISCUSSION_KINDS = ("professional discussion", "oral questioning")

# The decision policy, rule by rule, in the words shown to assessors in the review app
# (docs/decision-policy.md explains each with a worked case; a test keeps them in step).
POLICY = (
    "A written answer waiting for marking: awaiting marking. Mark it against its rubric "
    "first.",
    "A written answer that covers every required part of its rubric: met. Closed and "
    "numeric items are supporting evidence; if most of them are wrong the reason says so, "
    "so you can check the written answer is the learner's own before confirming.",
    "A professional discussion or oral questioning recorded for the criterion (and no "
    "written answer that meets it): awaiting marking. You judge the record with the rest of "
    "the evidence.",
    "A written answer that misses a required part: not yet met, naming the parts missing. "
    "Right closed items cannot make up for a missing part.",
    "Closed items only, when the bank has a written question for the criterion: not yet "
    "met. Closed items are supporting evidence only.",
    "Closed items only, when the bank has no written question for the criterion: met when "
    "every assessed closed item is answered and right, otherwise not yet met.",
    "Outcome 7 (performance): awaiting marking once an evidence record exists; answers to "
    "questions are never evidence of performance.",
    "No evidence at all: no evidence. Met cannot be decided.",
    "New answers or records after a decision: the decision is flagged 'new evidence since "
    "decision' until you decide again.",
)

RESULT_COLUMNS = ("candidate_id", "question_id", "criterion_id", "status", "score")


def now_utc() -> datetime:
    """The current time, timezone-aware UTC, to the microsecond (so that an answer received
    a moment before a decision is never taken for one received after it)."""
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Decision:
    """An assessor's judgement of one criterion for one candidate."""

    candidate_id: str
    criterion_id: str
    outcome: str  # met | not_yet_met
    proposed: str  # what the marks suggested when the decision was made
    assessor: str
    feedback: str
    decided_at: datetime

    @property
    def overridden(self) -> bool:
        """True when the assessor decided differently from a met / not yet met proposal."""
        return self.proposed in DECISIONS and self.outcome != self.proposed


@dataclass(frozen=True)
class ActionPoint:
    """Something the learner agrees to do, by a date, to meet a criterion."""

    candidate_id: str
    criterion_id: str
    action: str
    due: date
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class SignOff:
    """The learner or the assessor confirming the assessment record at a moment."""

    candidate_id: str
    role: str  # learner | assessor
    name: str
    signed_at: datetime
    statement: str


@dataclass(frozen=True)
class EvidenceRecord:
    """Evidence recorded by the assessor: what was seen or produced (performance criteria),
    or what was asked and a summary of the answer (professional discussion or oral
    questioning, for any criterion), when, and by whom."""

    candidate_id: str
    criterion_id: str
    kind: str
    description: str  # what was seen or produced; for a discussion, `discussion_text`
    evidence_date: date
    recorded_by: str
    recorded_at: datetime
    asked: str = ""  # a discussion: what was asked
    recording_ref: str = ""  # a discussion: optional reference to an audio/video recording


def _required_text(value: str | None, what: str, problems: list[Problem]) -> str:
    text = (value or "").strip()
    if not text:
        problems.append(Problem(f"{what} is required", column=what))
    return text


def make_decision(
    candidate_id: str,
    criterion_id: str,
    outcome: str,
    *,
    proposed: str,
    assessor: str,
    feedback: str,
    at: datetime | None = None,
) -> Decision:
    """Validate and build a decision.

    Rules: the outcome is met or not yet met; the assessor is named; feedback is written
    for every "not yet met" (the learner must know what to do next) and for every override
    of a met / not yet met proposal (the reason is part of the record); "met" cannot be
    given on a criterion with no evidence at all.
    """
    problems: list[Problem] = []
    _required_text(candidate_id, "candidate", problems)
    _required_text(criterion_id, "criterion", problems)
    assessor = _required_text(assessor, "assessor", problems)
    feedback = (feedback or "").strip()
    if outcome not in DECISIONS:
        problems.append(Problem(f"decision must be 'met' or 'not_yet_met', found {outcome!r}",
                                column="decision"))
    if proposed not in STATUSES:
        problems.append(Problem(f"unknown proposal {proposed!r}", column="proposed"))
    if outcome == NOT_YET_MET and not feedback:
        problems.append(Problem("write feedback saying what the learner still needs to show",
                                column="feedback"))
    if outcome == MET and proposed == NO_EVIDENCE:
        problems.append(Problem(f"criterion {criterion_id} has no evidence yet, so it cannot "
                                "be met", column="decision"))
    if proposed in DECISIONS and outcome in DECISIONS and outcome != proposed and not feedback:
        problems.append(Problem("overriding the proposed decision needs feedback giving the "
                                "reason", column="feedback"))
    if problems:
        raise DataError(problems)
    return Decision(candidate_id, criterion_id, outcome, proposed, assessor, feedback,
                    at or now_utc())


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_due_date(text: str | date) -> date:
    """A date given as UK day-first DD/MM/YYYY (03/04/2025 is 3 April) or ISO YYYY-MM-DD."""
    if isinstance(text, date):
        return text
    value = (text or "").strip()
    try:
        if m := _UK_DATE.match(value):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _ISO_DATE.match(value):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise DataError(Problem(f"{value!r} is not a date: write DD/MM/YYYY, e.g. 03/04/2026",
                            column="due"))


def make_action_point(
    candidate_id: str,
    criterion_id: str,
    action: str,
    due: str | date,
    *,
    set_by: str,
    at: datetime | None = None,
) -> ActionPoint:
    """Validate and build an action point (the due date may not be before the day it is set)."""
    problems: list[Problem] = []
    action = _required_text(action, "action", problems)
    set_by = _required_text(set_by, "set_by", problems)
    set_at = at or now_utc()
    try:
        due_date = parse_due_date(due)
    except DataError as exc:
        problems.extend(exc.problems)
        due_date = None
    if due_date is not None and due_date < set_at.date():
        problems.append(Problem(f"due date {due_date:%d/%m/%Y} is before today", column="due"))
    if problems:
        raise DataError(problems)
    assert due_date is not None
    return ActionPoint(candidate_id, criterion_id, action, due_date, set_by, set_at)


def make_signoff(
    candidate_id: str, role: str, name: str, *, statement: str = "", at: datetime | None = None
) -> SignOff:
    """Validate and build a sign-off by the learner or the assessor."""
    problems: list[Problem] = []
    name = _required_text(name, "name", problems)
    if role not in SIGNOFF_ROLES:
        problems.append(Problem(f"role must be learner or assessor, found {role!r}",
                                column="role"))
    if problems:
        raise DataError(problems)
    default = {
        "learner": "I confirm the evidence is my own work and I have read the feedback.",
        "assessor": "I confirm these decisions are valid, authentic, current and sufficient.",
    }[role]
    return SignOff(candidate_id, role, name, at or now_utc(), statement.strip() or default)


def discussion_text(asked: str, summary: str, recording_ref: str = "") -> str:
    """A professional discussion or oral questioning as the one text its record keeps."""
    text = f"Asked: {asked.strip()} Answer (summary): {summary.strip()}"
    return text + (f" Recording: {recording_ref.strip()}" if recording_ref.strip() else "")


def make_evidence_record(
    candidate_id: str,
    criterion_id: str,
    kind: str,
    description: str,
    evidence_date: str | date,
    *,
    recorded_by: str,
    asked: str = "",
    recording_ref: str = "",
    knowledge: bool = False,
    at: datetime | None = None,
) -> EvidenceRecord:
    """Validate and build an evidence record.

    A professional discussion or oral questioning needs what was asked (`asked`) and a
    summary of the answer (`description`), and may name a recording (`recording_ref`). A
    knowledge criterion (`knowledge=True`) accepts only these two kinds.
    """
    problems: list[Problem] = []
    recorded_by = _required_text(recorded_by, "recorded_by", problems)
    asked = (asked or "").strip()
    recording_ref = (recording_ref or "").strip()
    if kind not in EVIDENCE_KINDS:
        problems.append(Problem(f"kind must be one of {', '.join(EVIDENCE_KINDS)}, found "
                                f"{kind!r}", column="kind"))
    elif knowledge and kind not in DISCUSSION_KINDS:
        problems.append(Problem(f"criterion {criterion_id} is a knowledge criterion: record "
                                "a professional discussion or oral questioning (what was "
                                f"asked and a summary of the answer), not {kind!r}",
                                column="kind"))
    if kind in DISCUSSION_KINDS:
        if not asked:
            problems.append(Problem(f"a {kind} record needs what was asked", column="asked"))
        if not (description or "").strip():
            problems.append(Problem("a summary of the learner's answer is required",
                                    column="description"))
        # One text holds the whole record, so the store's sealed row covers all of it.
        description = discussion_text(asked, (description or "").strip(), recording_ref)
    else:
        description = _required_text(description, "description", problems)
    try:
        when = parse_due_date(evidence_date)
    except DataError as exc:
        problems.extend(Problem(p.message, column="evidence_date") for p in exc.problems)
        when = None
    stamp = at or now_utc()
    if when is not None and when > stamp.date():
        problems.append(Problem(f"the evidence date {when:%d/%m/%Y} is in the future",
                                column="evidence_date"))
    if problems:
        raise DataError(problems)
    assert when is not None
    return EvidenceRecord(candidate_id, criterion_id, kind, description, when, recorded_by,
                          stamp, asked, recording_ref)


# --------------------------------------------------------------------------- proposals




def _closed_summary(right: int, answered: int, expected: int) -> str:
    if not answered:
        return "no closed items answered"
    text = f"closed items: {right} of {answered} right"
    if expected > answered:
        text += f", {expected - answered} not answered"
    return text


def _parts(values: Iterable[object]) -> list[str]:
    """The rubric parts named in marks' parts_missing (JSON lists), in order, once each."""
    import json

    found: list[str] = []
    for value in values:
        if not isinstance(value, str) or not value.startswith("["):
            continue
        for part in json.loads(value):
            if part not in found:
                found.append(str(part))
    return found


def propose_decisions(
    results: pd.DataFrame,
    *,
    questions: pd.DataFrame | None = None,
    evidence: pd.DataFrame | None = None,
    performance_criteria: Iterable[str] = (),
) -> pd.DataFrame:
    """Propose a status per (candidate, criterion) from the whole evidence, with the reason.

    Knowledge criteria, rule by rule (`POLICY`; docs/decision-policy.md):
    1. a written answer not marked yet -> awaiting marking;
    2. a written answer that covers every required part of its rubric -> met (closed items
       are supporting evidence: the reason gives their count and warns when most are wrong);
    3. a professional discussion / oral questioning record, and no written answer that
       meets the rubric -> awaiting marking (the assessor judges the record);
    4. a written answer that misses a required part -> not yet met, naming the parts;
    5. closed items only, the bank having a written question for the criterion -> not yet
       met (supporting evidence only);
    6. closed items only, the bank having no written question for it -> met when every
       assessed closed item is answered and right, else not yet met.
    Performance criteria: an evidence record exists -> awaiting marking; their question
    results are ignored. A pair with no results and no evidence is not listed (no evidence).

    `questions` (the bank per criterion) says which questions are written and which closed
    items are assessed; without it the results' `type` column is used, and a criterion with
    no written result is judged by rule 6.

    Returns columns candidate_id, criterion_id, proposal, reason.
    """
    columns = ["candidate_id", "criterion_id", "proposal", "reason"]
    performance = {str(c) for c in performance_criteria}
    rows: list[tuple[str, str, str, str]] = []
    qtype: dict[str, str] = {}
    written_criteria: set[str] = set()
    closed_expected: dict[str, int] = {}
    if questions is not None and len(questions):
        qs = questions.astype({"question_id": str, "criterion_id": str})
        qtype = dict(zip(qs["question_id"], qs["type"].astype(str)))
        assessed = qs.loc[qs["mode"] == "assessed"] if "mode" in qs else qs
        written_criteria = set(assessed.loc[assessed["type"] == "written", "criterion_id"])
        closed = assessed.loc[assessed["type"] != "written"]
        item = "group" if "group" in closed else "question_id"  # parallel forms count once
        closed_expected = {str(k): int(v) for k, v in
                           closed.groupby("criterion_id")[item].nunique().items()}
    res = results.loc[~results["criterion_id"].astype(str).isin(performance)] \
        if len(results) else results
    records: dict[tuple[str, str], int] = {}
    if evidence is not None and len(evidence):
        ev = evidence.assign(candidate_id=evidence["candidate_id"].astype(str),
                             criterion_id=evidence["criterion_id"].astype(str))
        counts = ev.groupby(["candidate_id", "criterion_id"]).size().reset_index(name="n")
        records = {(str(c), str(k)): int(n) for c, k, n in
                   zip(counts["candidate_id"], counts["criterion_id"], counts["n"])}
    seen: set[tuple[str, str]] = set()
    if len(res):
        types = res["type"].astype(str) if "type" in res else \
            res["question_id"].astype(str).map(lambda q: qtype.get(q, ""))
        frame = pd.DataFrame({
            "candidate_id": res["candidate_id"].astype(str),
            "criterion_id": res["criterion_id"].astype(str),
            "question_id": res["question_id"].astype(str),
            "status": res["status"].astype(str),
            "written": types.eq("written").to_numpy(),
            "missing": res["parts_missing"].to_numpy() if "parts_missing" in res else "[]",
        })
        if questions is None or not len(questions):
            written_criteria |= set(frame.loc[frame["written"], "criterion_id"])
        # One pass over plain values, grouped by (candidate, criterion) in sorted order: a
        # pandas selection per group took most of the review app's start-up at 500 x 100.
        groups: dict[tuple[str, str], list[tuple[str, str, bool, object]]] = {}
        for cand, crit, qid, status, written, missing in zip(
                frame["candidate_id"], frame["criterion_id"], frame["question_id"],
                frame["status"], frame["written"], frame["missing"]):
            groups.setdefault((cand, crit), []).append((qid, status, bool(written), missing))
        for (cand, crit), items in sorted(groups.items()):
            seen.add((cand, crit))
            w = [item for item in items if item[2]]
            c = [item for item in items if not item[2]]
            right = sum(1 for item in c if item[1] == "correct")
            answered = len({item[0] for item in c})
            expected = max(closed_expected.get(crit, answered), answered)
            closed_text = _closed_summary(right, answered, expected)
            n_records = records.get((cand, crit), 0)
            waiting = [item[0] for item in w if item[1] == "awaiting_assessor"]
            met = [item[0] for item in w if item[1] == "correct"]
            if len(waiting):
                rows.append((cand, crit, AWAITING_MARKING,
                             f"written answer {', '.join(sorted(waiting))} to mark against "
                             f"its rubric; {closed_text} (supporting evidence)"))
            elif len(met):
                reason = (f"written answer {', '.join(sorted(met))} covers every required "
                          f"part of the criterion; {closed_text} (supporting evidence)")
                if answered and right * 2 < answered:
                    reason += ("; most closed items are wrong: check the written answer is "
                               "the learner's own (e.g. a short oral question) before "
                               "confirming")
                rows.append((cand, crit, MET, reason))
            elif n_records:
                rows.append((cand, crit, AWAITING_MARKING,
                             f"{n_records} professional discussion / oral questioning "
                             f"record(s) to judge with the other evidence; {closed_text}"))
            elif len(w):
                parts = _parts(item[3] for item in w)
                gap = ("does not yet cover: " + "; ".join(parts)) if parts else \
                    "does not yet cover every required part of the criterion"
                rows.append((cand, crit, NOT_YET_MET,
                             f"written answer {', '.join(sorted(item[0] for item in w))} {gap}; "
                             f"{closed_text}, which cannot make up for a missing part"))
            elif crit in written_criteria:
                rows.append((cand, crit, NOT_YET_MET,
                             "no written answer or professional discussion yet; "
                             f"{closed_text}, which are supporting evidence only"))
            elif right == answered and answered >= expected:
                rows.append((cand, crit, MET,
                             f"every assessed closed item is right ({right} of {expected}); "
                             "the bank has no written question for this criterion"))
            else:
                rows.append((cand, crit, NOT_YET_MET,
                             f"{closed_text}; every assessed closed item must be answered "
                             "and right (the bank has no written question for this "
                             "criterion)"))
    for (cand, crit), n in sorted(records.items()):
        if (cand, crit) in seen:
            continue
        if crit in performance:
            rows.append((cand, crit, AWAITING_MARKING, f"{n} evidence record(s) to judge"))
        else:
            rows.append((cand, crit, AWAITING_MARKING,
                         f"{n} professional discussion / oral questioning record(s) to "
                         "judge; no answers yet"))
    return pd.DataFrame(rows, columns=columns)


def proposal_for(proposals: pd.DataFrame, candidate_id: str, criterion_id: str) -> str:
    """The proposal for one candidate and criterion (no evidence when none is listed)."""
    hit = proposals.loc[(proposals["candidate_id"] == candidate_id)
                        & (proposals["criterion_id"] == criterion_id), "proposal"]
    return str(hit.iloc[0]) if len(hit) else NO_EVIDENCE


@dataclass(frozen=True)
class WrittenMark:
    """An assessor's mark of a written answer against its rubric."""

    status: str  # correct (every required part covered) | partly_correct | incorrect
    score: float  # share of all marking points awarded (for item statistics only)
    missing: tuple[str, ...]  # the required parts not covered, in the criterion's words

    @property
    def covers_criterion(self) -> bool:
        return self.status == "correct"


def written_mark(ticked_points: Iterable[str], rubric: Rubric) -> WrittenMark:
    """Mark a written answer from the marking points the assessor awarded.

    The answer meets its rubric ("correct") only when every required part of the criterion
    has at least one marking point awarded: five points on the cycle and none on the
    benefits do not meet "explain the benefits of continuous improvement". Partly correct
    when some points are awarded, incorrect when none.
    """
    allowed = list(rubric.marking_points)
    ticked = list(dict.fromkeys(ticked_points))
    unknown = [p for p in ticked if p not in allowed]
    if unknown:
        raise DataError(Problem(f"not a marking point of this question: {unknown[0]!r}",
                                column="points"))
    score = len(ticked) / len(allowed) if allowed else 0.0
    missing = tuple(p.text for p in rubric.missing_parts(ticked))
    if not missing:
        return WrittenMark("correct", score, ())
    return WrittenMark("partly_correct" if ticked else "incorrect", score, missing)


def is_complete(latest: pd.DataFrame, signoffs: pd.DataFrame, criteria: Iterable[str],
                candidate_id: str) -> bool:
    """True when every criterion is met and both learner and assessor signed after the last
    decision (latest: candidate_id, criterion_id, outcome, decided_at; signoffs: candidate_id,
    role, signed_at)."""
    mine = latest.loc[latest["candidate_id"] == candidate_id]
    met = set(mine.loc[mine["outcome"] == MET, "criterion_id"])
    if not set(criteria) <= met:
        return False
    last = pd.to_datetime(mine["decided_at"], utc=True).max()
    signs = signoffs.loc[signoffs["candidate_id"] == candidate_id]
    for role in SIGNOFF_ROLES:
        at = pd.to_datetime(signs.loc[signs["role"] == role, "signed_at"], utc=True)
        if not len(at) or at.max() < last:
            return False
    return True


def completed_candidates(latest: pd.DataFrame, signoffs: pd.DataFrame,
                         criteria: Iterable[str]) -> list[str]:
    """Every candidate for whom `is_complete` holds, worked out for all at once."""
    wanted = set(criteria)
    if not len(latest) or not len(signoffs):
        return []
    met = latest.loc[(latest["outcome"] == MET) & latest["criterion_id"].isin(wanted)]
    n_met = met.groupby("candidate_id")["criterion_id"].nunique()
    full = set(n_met.index[n_met == len(wanted)])
    last = pd.to_datetime(latest["decided_at"], utc=True).groupby(latest["candidate_id"]).max()
    signed = signoffs.assign(_at=pd.to_datetime(signoffs["signed_at"], utc=True))
    by_role = signed.groupby(["candidate_id", "role"])["_at"].max().unstack("role")
    out = []
    for cid in sorted(full):
        if cid not in by_role.index:
            continue
        row = by_role.loc[cid]
        if all(role in row and pd.notna(row[role]) and row[role] >= last[cid]
               for role in SIGNOFF_ROLES):
            out.append(cid)
    return out
