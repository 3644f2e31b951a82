"""The trainee's improvement record as evidence for criterion 6.3, attached to their pack.

Trainee side: `attach_record()` checks the record (it must follow the cycle and have at
least one step done) and saves it in the answer store as the assessed answer to the fixed
question id `IMPROVEMENT_RECORD_QUESTION`, like the outcome-7 record and witness statement.
So it travels in the next evidence pack (`ilcs submit`) with every other answer: covered by
the pack's content hash (a changed record fails the pack's check) and bounded by the pack
limits (`ilcs.assessment.limits`: at most `MAX_ATTACHMENT_CHARS`, checked here before it is
attached, and again when the pack is read). Attaching again replaces it (the latest counts;
earlier ones stay in the history).

Assessor side: `attached_record()` reads the latest attached record back and checks it again
(a pack comes from outside); `ilcs.improvement.views.attached_record_html()` shows it,
built from the checked fields and escaped: no HTML from the pack is ever shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ilcs.assessment.limits import (
    ATTACHMENT_CRITERIA,
    IMPROVEMENT_RECORD_QUESTION,
    MAX_ATTACHMENT_CHARS,
)
from ilcs.assessment.store import canonical_json
from ilcs.errors import DataError, Problem
from ilcs.improvement.record import ImprovementRecord, record_from_dict

if TYPE_CHECKING:
    from ilcs.assessment.store import Answer, AnswerStore

CRITERION = ATTACHMENT_CRITERIA[IMPROVEMENT_RECORD_QUESTION]
__all__ = ["CRITERION", "IMPROVEMENT_RECORD_QUESTION", "attach_record", "attached_record",
           "attachment_response"]


def attachment_response(record: ImprovementRecord, source: str | None = None) -> dict[str, Any]:
    """The record as the answer that carries it, after checking it can be evidence.

    DataError (naming `source`, the record's file, when given) if it breaks a rule of the
    cycle, has no step done yet, or is too long for a pack.
    """
    problems = [Problem(p.message, file=source, column=p.column) for p in record.problems()]
    if not problems and not any(s.status == "done" for s in record.steps):
        problems.append(Problem("no step is done yet: attach the record once you have done "
                                "at least the first step", file=source, column="status"))
    if problems:
        raise DataError(problems)
    response = {"record": record.to_dict()}
    size = len(canonical_json(response))
    if size > MAX_ATTACHMENT_CHARS:
        raise DataError(Problem(
            f"the record is {size:,} characters long, more than the {MAX_ATTACHMENT_CHARS:,} "
            "an evidence pack allows for one attachment: take out some charts (each is about "
            "10,000 characters) and attach it again", file=source, column="evidence"))
    return response


def attach_record(store: AnswerStore, candidate_id: str, record: ImprovementRecord, *,
                  source: str | None = None, bank_version: str | None = None) -> Answer:
    """Attach the record to the candidate's evidence for 6.3 (see the module's notes)."""
    response = attachment_response(record, source)
    if not bank_version:
        from ilcs.assessment.questions import load_bank

        bank_version = load_bank().version
    return store.save_answer(candidate_id, IMPROVEMENT_RECORD_QUESTION, response, "assessed",
                             bank_version)


def attached_record(store: AnswerStore, candidate_id: str) -> tuple[ImprovementRecord, str] | None:
    """The candidate's latest attached record and when it was attached (ISO text), or None.

    DataError if what was attached is not a valid record (every problem named).
    """
    answer = store.latest_answers(candidate_id).get(IMPROVEMENT_RECORD_QUESTION)
    if answer is None:
        return None
    source = f"the improvement record attached by candidate {candidate_id}"
    response = answer.response
    if not isinstance(response, dict) or "record" not in response:
        raise DataError(Problem("this is not an attached improvement record", file=source))
    record = record_from_dict(response["record"], source)
    return record, answer.saved_at
