"""Feedback packs: the assessor's decisions, feedback and action points, sent back to the
trainee as one JSON file.

The trainee saves the pack in their data folder (`user_data_dir()/feedback/`, see
`install_feedback_pack`); the notebooks show it with `ilcs.assessment.views.feedback.show_feedback`.
A pack carries a SHA-256 of its content: a tampered, truncated or wrong-version pack is
rejected with a clear message. Written answers and keys are never included.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ilcs.assessment.decisions import LABELS, now_utc
from ilcs.assessment.limits import PackLimits, check_depth, read_bounded
from ilcs.assessment.reports import CandidateRecord
from ilcs.errors import IlcsError, PackError
from ilcs.io.write import write_bytes, write_json
from ilcs.paths import user_data_dir

if TYPE_CHECKING:
    from ilcs.assessment.questions import Bank, Question
    from ilcs.assessment.store import AnswerStore

FORMAT = "ilcs-feedback-pack"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class CriterionFeedback:
    criterion_id: str
    text: str
    status: str
    label: str
    feedback: str
    assessor: str
    decided_at: str
    action_points: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class FeedbackPack:
    candidate_id: str
    name: str
    unit_code: str
    created_at: str
    criteria: tuple[CriterionFeedback, ...]
    signoffs: tuple[dict[str, str], ...]
    path: str = ""
    candidate_number: str = ""

    def for_criteria(self, criteria: list[str] | tuple[str, ...] | None) -> tuple[
            CriterionFeedback, ...]:
        if not criteria:
            return self.criteria
        wanted = [str(c) for c in criteria]
        return tuple(c for c in self.criteria if c.criterion_id in wanted)


def _digest(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack_body(record: CandidateRecord, *, created_at: datetime | None = None) -> dict[str, Any]:
    """The content of a feedback pack (without its hash)."""
    criteria = []
    for c in record.criteria:
        d = c.decision
        criteria.append({
            "criterion_id": c.criterion_id,
            "text": c.text,
            "status": c.status,
            "feedback": d.feedback if d else "",
            "assessor": d.assessor if d else "",
            "decided_at": d.decided_at.isoformat() if d else "",
            "action_points": [{"action": a.action, "due": a.due.isoformat(),
                               "set_by": a.set_by} for a in c.action_points],
        })
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "created_at": (created_at or now_utc()).isoformat(),
        "candidate": {"candidate_id": record.candidate_id, "name": record.name,
                      "candidate_number": record.candidate_number},
        "unit": record.unit_code,
        "criteria": criteria,
        "signoffs": [{"role": s.role, "name": s.name, "signed_at": s.signed_at.isoformat()}
                     for s in record.signoffs],
    }


def write_feedback_pack(record: CandidateRecord, out: str | Path) -> Path:
    """Write the pack; `out` may be a folder (the file is named after the candidate)."""
    out = Path(out)
    if out.is_dir() or not out.suffix:
        out = out / f"feedback-{record.candidate_id}.json"
    body = pack_body(record)
    body["content_sha256"] = _digest(body)
    return write_json(out, body, indent=1)  # whole or not at all


def load_feedback_pack(path: str | Path) -> FeedbackPack:
    """Read and verify a feedback pack (PackError says exactly what is wrong)."""
    path = Path(path)
    name = path.name
    limits = PackLimits()  # the same size and nesting limits as an evidence pack
    if not path.exists():
        raise PackError(f"{name}: feedback pack not found")
    try:
        text = read_bounded(path, limits).decode("utf-8")
        check_depth(text, name, limits)
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise PackError(f"{name}: not a complete feedback pack (the file is damaged or cut "
                        "short); ask your assessor to send it again") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise PackError(f"{name}: this is not an ilcs feedback pack")
    if raw.get("schema_version") != SCHEMA_VERSION:
        raise PackError(f"{name}: feedback pack version {raw.get('schema_version')!r} is not "
                        f"supported (this ilcs reads version {SCHEMA_VERSION}); update ilcs")
    claimed = raw.pop("content_sha256", None)
    if claimed != _digest(raw):
        raise PackError(f"{name}: the feedback pack was changed after your assessor wrote it "
                        "(content check failed); ask for a fresh copy")
    try:
        crits = tuple(
            CriterionFeedback(str(c["criterion_id"]), str(c["text"]), str(c["status"]),
                              LABELS.get(str(c["status"]), str(c["status"])),
                              str(c["feedback"]), str(c["assessor"]), str(c["decided_at"]),
                              tuple(dict(a) for a in c["action_points"]))
            for c in raw["criteria"])
        return FeedbackPack(str(raw["candidate"]["candidate_id"]),
                            str(raw["candidate"].get("name", "")), str(raw["unit"]),
                            str(raw["created_at"]), crits,
                            tuple(dict(s) for s in raw["signoffs"]), str(path),
                            str(raw["candidate"].get("candidate_number") or ""))
    except (KeyError, TypeError) as exc:
        raise PackError(f"{name}: feedback pack is missing {exc}") from None


def feedback_dir() -> Path:
    return user_data_dir() / "feedback"


def install_feedback_pack(path: str | Path) -> Path:
    """Check a pack and copy it into the trainee's feedback folder (returns the new path).

    The pack must be for this trainee: its candidate must be the one in the trainee's
    profile. Someone else's feedback is refused, never shown as yours.
    """
    from ilcs.assessment.profile import load_profile

    pack = load_feedback_pack(path)
    name = Path(path).name
    me = load_profile()
    if me is None:
        raise PackError(f"{name}: fill in your profile (notebook 00) before installing "
                        "feedback, so ilcs can check the pack is yours")
    if pack.candidate_id != me.candidate_id:
        them = " ".join(x for x in (pack.candidate_number, pack.name) if x) or \
            "another candidate"
        you = " ".join(x for x in (me.candidate_number, me.name) if x) or "you"
        raise PackError(f"{name}: this feedback pack is for {them}, not for {you}; nothing "
                        "was installed. Ask your assessor for your own pack")
    target = feedback_dir() / f"feedback-{pack.candidate_id}.json"
    if Path(path).resolve() != target.resolve():
        write_bytes(target, Path(path).read_bytes())  # never a half-copied pack
    return target


def install_feedback_upload(name: str, content: bytes) -> Path:
    """`install_feedback_pack` for a file given as bytes (a notebook upload named `name`)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name
        write_bytes(path, content)
        return install_feedback_pack(path)


def feedback_packs(candidate_id: str | None = None) -> tuple[list[FeedbackPack], list[str]]:
    """Every valid pack in the trainee's feedback folder (for one candidate if given), and a
    message for each file that is not a valid pack."""
    folder = feedback_dir()
    packs: list[FeedbackPack] = []
    problems: list[str] = []
    for file in sorted(folder.glob("*.json")) if folder.exists() else []:
        try:
            pack = load_feedback_pack(file)
        except PackError as exc:
            problems.append(str(exc))
            continue
        if candidate_id is None or pack.candidate_id == candidate_id:
            packs.append(pack)
    return packs, problems


def latest_feedback_pack(candidate_id: str | None = None) -> FeedbackPack | None:
    """The newest valid pack in the trainee's feedback folder (for one candidate if given);
    None when there is none yet."""
    packs, _problems = feedback_packs(candidate_id)
    return max(packs, key=lambda p: p.created_at) if packs else None


def forms_to_answer(bank: Bank, questions: tuple[Question, ...] | list[Question],
                    candidate_id: str, store: AnswerStore | None) -> list[Question]:
    """`questions` with each assessed item as the parallel form this learner should answer
    now: the one they started, or the next one when they resubmit after a "not yet met"
    decision (read from their latest feedback pack). Their attempts come from `store`; with
    no store (or one that cannot be read) every item counts as not yet tried."""
    from ilcs.assessment.forms import attempts_from_history, choose_forms, learner_selection

    if not any(q.mode == "assessed" and q.form_group for q in questions):
        return list(questions)
    attempts = []
    if store is not None:
        try:
            packs = [e.at for e in store.audit_trail(action="pack_written",
                                                      subject=candidate_id)]
            attempts = attempts_from_history(store.answer_history(candidate_id), packs)
        except IlcsError:
            attempts = []
    not_yet_met: dict[str, str] = {}
    pack = latest_feedback_pack(candidate_id)
    if pack is not None:
        not_yet_met = {c.criterion_id: c.decided_at for c in pack.criteria
                       if c.status == "not_yet_met" and c.decided_at}
    return learner_selection(bank, questions, choose_forms(bank, candidate_id, attempts,
                                                           not_yet_met))
