"""Assessor decisions per criterion: proposed from the marks, confirmed or overridden.

The words an assessor uses:
- a **result** is one marked answer counted towards one criterion (a question mapped to two
  criteria gives two results);
- a **proposal** is what the marks suggest for a criterion: met, not yet met, awaiting
  marking (a written answer or an evidence record still needs the assessor) or no evidence;
- a **decision** is the assessor's judgement (met / not yet met) with written feedback; it
  may confirm or override the proposal (an override must say why);
- an **action point** is something the learner agrees to do by a date;
- a **sign-off** is the learner or the assessor confirming the record at a time.

Performance criteria (outcome 7) are never proposed "met" from questions: they are judged
from evidence records (observation, witness testimony, work products), so their proposal is
"awaiting marking" once a record exists.

Frames (pandas) used here:
- results: candidate_id, question_id, criterion_id, status (correct / incorrect /
  partly_correct / awaiting_assessor), score (0..1)
- required: question_id, criterion_id (the assessed questions that count for a criterion)
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
    "personal statement",
)

RESULT_COLUMNS = ("candidate_id", "question_id", "criterion_id", "status", "score")


def now_utc() -> datetime:
    """The current time, timezone-aware UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


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
    """Evidence of a performance criterion: what was seen or produced, when, recorded by whom."""

    candidate_id: str
    criterion_id: str
    kind: str
    description: str
    evidence_date: date
    recorded_by: str
    recorded_at: datetime


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


def make_evidence_record(
    candidate_id: str,
    criterion_id: str,
    kind: str,
    description: str,
    evidence_date: str | date,
    *,
    recorded_by: str,
    at: datetime | None = None,
) -> EvidenceRecord:
    """Validate and build an evidence record for a performance criterion."""
    problems: list[Problem] = []
    description = _required_text(description, "description", problems)
    recorded_by = _required_text(recorded_by, "recorded_by", problems)
    if kind not in EVIDENCE_KINDS:
        problems.append(Problem(f"kind must be one of {', '.join(EVIDENCE_KINDS)}, found "
                                f"{kind!r}", column="kind"))
    try:
        when = parse_due_date(evidence_date)
    except DataError as exc:
        problems.extend(Problem(p.message, column="evidence_date") for p in exc.problems)
        when = None
    if problems:
        raise DataError(problems)
    assert when is not None
    return EvidenceRecord(candidate_id, criterion_id, kind, description, when, recorded_by,
                          at or now_utc())


# --------------------------------------------------------------------------- proposals


def propose_decisions(
    results: pd.DataFrame,
    *,
    required: pd.DataFrame | None = None,
    evidence: pd.DataFrame | None = None,
    performance_criteria: Iterable[str] = (),
) -> pd.DataFrame:
    """Propose a status per (candidate, criterion) from the marked results.

    Knowledge criteria, in this order:
    1. any result incorrect, partly correct or left blank -> not yet met;
    2. any assessed question for the criterion not answered (from `required`) -> not yet met;
    3. any result awaiting the assessor (an unmarked written answer) -> awaiting marking;
    4. otherwise every result correct -> met.
    Performance criteria: an evidence record exists -> awaiting marking (the assessor
    judges it); their question results are ignored.
    A (candidate, criterion) pair with no results and no evidence is not listed: it has
    no evidence.

    Returns columns candidate_id, criterion_id, proposal, reason.
    """
    performance = set(performance_criteria)
    frames: list[pd.DataFrame] = []
    res = results.loc[~results["criterion_id"].isin(performance)] if len(results) else results
    if len(res):
        flags = pd.DataFrame({
            "candidate_id": res["candidate_id"].astype(str),
            "criterion_id": res["criterion_id"].astype(str),
            "question_id": res["question_id"].astype(str),
            "wrong": res["status"].isin(["incorrect", "partly_correct", "unanswered"]),
            "waiting": res["status"].eq("awaiting_assessor"),
        })
        grouped = flags.groupby(["candidate_id", "criterion_id"], sort=True)
        summary = grouped.agg(wrong=("wrong", "sum"), waiting=("waiting", "sum"),
                              answered=("question_id", "nunique")).reset_index()
        summary["missing"] = 0
        if required is not None and len(required):
            need = required.groupby("criterion_id")["question_id"].nunique()
            req = pd.MultiIndex.from_arrays([required["question_id"].astype(str),
                                             required["criterion_id"].astype(str)])
            counted = flags.loc[pd.MultiIndex.from_arrays(
                [flags["question_id"], flags["criterion_id"]]).isin(req)]
            have = counted.groupby(["candidate_id", "criterion_id"])["question_id"].nunique()
            idx = pd.MultiIndex.from_frame(summary[["candidate_id", "criterion_id"]])
            n_need = summary["criterion_id"].map(need).fillna(0).astype(int).to_numpy()
            n_have = have.reindex(idx).fillna(0).astype(int).to_numpy()
            summary["missing"] = n_need - n_have
        summary["proposal"] = MET
        summary["reason"] = "every answer for this criterion is correct"
        waiting = summary["waiting"] > 0
        summary.loc[waiting, "proposal"] = AWAITING_MARKING
        summary.loc[waiting, "reason"] = summary.loc[waiting, "waiting"].map(
            lambda n: f"{n} written answer(s) to mark")
        missing = summary["missing"] > 0
        summary.loc[missing, "proposal"] = NOT_YET_MET
        summary.loc[missing, "reason"] = summary.loc[missing, "missing"].map(
            lambda n: f"{n} assessed question(s) not answered")
        wrong = summary["wrong"] > 0
        summary.loc[wrong, "proposal"] = NOT_YET_MET
        summary.loc[wrong, "reason"] = summary.loc[wrong, "wrong"].map(
            lambda n: f"{n} answer(s) incorrect or only partly correct")
        frames.append(summary[["candidate_id", "criterion_id", "proposal", "reason"]])
    if evidence is not None and len(evidence):
        ev = evidence.loc[evidence["criterion_id"].isin(performance)]
        if len(ev):
            counts = (ev.assign(candidate_id=ev["candidate_id"].astype(str),
                                criterion_id=ev["criterion_id"].astype(str))
                      .groupby(["candidate_id", "criterion_id"]).size()
                      .rename("n").reset_index())
            counts["proposal"] = AWAITING_MARKING
            counts["reason"] = counts["n"].map(lambda n: f"{n} evidence record(s) to judge")
            frames.append(counts[["candidate_id", "criterion_id", "proposal", "reason"]])
    if not frames:
        return pd.DataFrame(columns=["candidate_id", "criterion_id", "proposal", "reason"])
    return pd.concat(frames, ignore_index=True)


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
