"""Outcome 7 evidence: the candidate's real internal customer, and a witness statement.

Outcome 7 ("be able to build positive working relationships with internal customers") is
judged by the assessor from evidence of real work, never marked automatically. The candidate
records one internal customer they really serve:

- who they are (7.1 identify internal customers);
- the products and services that customer needs from them (7.2);
- the quality standards and timescales agreed with them (7.3), and what is done when a need
  cannot be met;
- how and when those needs were confirmed with the customer.

The customer (or their manager) then fills in a witness statement: name, role, how they
know the candidate's work, what they saw, the date, and a declaration that it is true.

Both are saved in the answer store as answers to two fixed question ids (`RECORD_QUESTION`,
`WITNESS_QUESTION`, mode "assessed"), so they travel in the evidence pack with every other
answer, unchanged and hashed. On the assessor's side `record_pack_evidence()` turns the
imported answers into evidence records against 7.1, 7.2, 7.3 (and any further performance
criteria a centre adds to the unit file), which the review app shows beside each criterion;
the assessor then decides met / not yet met.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ilcs.assessment.decisions import parse_due_date
from ilcs.errors import DataError, Problem

if TYPE_CHECKING:
    from ilcs.assessment.store import AnswerStore

RECORD_QUESTION = "q7-performance-record"
WITNESS_QUESTION = "q7-witness-statement"
SELF_ASSESSMENT_QUESTION = "q7-self-assessment"
QUESTION_IDS = (RECORD_QUESTION, WITNESS_QUESTION, SELF_ASSESSMENT_QUESTION)
DECLARATION = ("I confirm that the candidate has worked with me as described, that this "
               "statement is true to the best of my knowledge, and that the assessor may "
               "contact me to check it.")
RECORD_FIELDS = {
    "customer_name": "Your internal customer's name",
    "customer_role": "Their role and department",
    "products_services": "The products and services they need from you",
    "standards_timescales": "The quality standards and timescales you agreed with them",
    "needs_not_met": "What you do when a need cannot be met",
    "how_confirmed": "How you confirmed these needs with them",
    "confirmed_on": "The date you confirmed them",
}
WITNESS_FIELDS = {
    "witness_name": "Witness's name",
    "witness_role": "Witness's role",
    "relationship": "How the witness knows the candidate's work",
    "statement": "What the witness saw the candidate do",
    "signed_on": "Date",
    "declaration": "Declaration",
}
MIN_WORDS = 5  # a described need is at least a short sentence


@dataclass(frozen=True)
class PerformanceRecord:
    customer_name: str
    customer_role: str
    products_services: str
    standards_timescales: str
    needs_not_met: str
    how_confirmed: str
    confirmed_on: dt.date

    def to_response(self) -> dict[str, str]:
        data = asdict(self)
        data["confirmed_on"] = self.confirmed_on.isoformat()
        return data


@dataclass(frozen=True)
class WitnessStatement:
    witness_name: str
    witness_role: str
    relationship: str
    statement: str
    signed_on: dt.date
    declaration: str

    def to_response(self) -> dict[str, str]:
        data = asdict(self)
        data["signed_on"] = self.signed_on.isoformat()
        return data


def _text(values: dict[str, Any], field: str, labels: dict[str, str], problems: list[Problem],
          *, words: int = 1) -> str:
    text = " ".join(str(values.get(field) or "").split())
    if not text:
        problems.append(Problem(f"{labels[field]} is required", column=field))
    elif len(text.split()) < words:
        problems.append(Problem(f"{labels[field]}: write at least {words} words, so the "
                                "assessor can see what was agreed", column=field))
    return text


def _date(value: Any, field: str, label: str, today: dt.date, problems: list[Problem]
          ) -> dt.date | None:
    try:
        when = parse_due_date(value if isinstance(value, dt.date) else str(value or ""))
    except DataError:
        problems.append(Problem(f"{label}: {str(value or '').strip()!r} is not a date; write "
                                "DD/MM/YYYY, e.g. 03/04/2026", column=field))
        return None
    if when > today:
        problems.append(Problem(f"{label} ({when:%d/%m/%Y}) is in the future", column=field))
        return None
    return when


def make_record(values: dict[str, Any], *, today: dt.date | None = None) -> PerformanceRecord:
    """Check the candidate's record; every problem is listed at once (column = field)."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    texts = {f: _text(values, f, RECORD_FIELDS, problems,
                      words=MIN_WORDS if f in ("products_services", "standards_timescales",
                                               "needs_not_met") else 1)
             for f in RECORD_FIELDS if f != "confirmed_on"}
    when = _date(values.get("confirmed_on"), "confirmed_on", RECORD_FIELDS["confirmed_on"],
                 today, problems)
    if problems:
        raise DataError(problems)
    assert when is not None
    return PerformanceRecord(confirmed_on=when, **texts)


def make_witness_statement(values: dict[str, Any], *, today: dt.date | None = None
                           ) -> WitnessStatement:
    """Check a witness statement: every field, a date not in the future, the declaration."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    texts = {f: _text(values, f, WITNESS_FIELDS, problems,
                      words=MIN_WORDS if f == "statement" else 1)
             for f in ("witness_name", "witness_role", "relationship", "statement")}
    when = _date(values.get("signed_on"), "signed_on", WITNESS_FIELDS["signed_on"], today,
                 problems)
    if values.get("declaration") is not True:
        problems.append(Problem("the witness must agree to the declaration before the "
                                "statement can be saved", column="declaration"))
    if problems:
        raise DataError(problems)
    assert when is not None
    return WitnessStatement(signed_on=when, declaration=DECLARATION, **texts)


def record_from_response(response: dict[str, Any]) -> PerformanceRecord:
    return PerformanceRecord(**{**response,
                                "confirmed_on": dt.date.fromisoformat(response["confirmed_on"])})


def witness_from_response(response: dict[str, Any]) -> WitnessStatement:
    return WitnessStatement(**{**response,
                               "signed_on": dt.date.fromisoformat(response["signed_on"])})


def _bank_version(bank_version: str | None) -> str:
    if bank_version:
        return bank_version
    from ilcs.assessment.questions import load_bank

    return load_bank().version


def save_record(store: AnswerStore, candidate_id: str, record: PerformanceRecord,
                bank_version: str | None = None) -> Any:
    """Save the record as the candidate's assessed answer to RECORD_QUESTION."""
    return store.save_answer(candidate_id, RECORD_QUESTION, record.to_response(), "assessed",
                             _bank_version(bank_version))


def save_witness_statement(store: AnswerStore, candidate_id: str, statement: WitnessStatement,
                           bank_version: str | None = None) -> Any:
    """Save the statement as the candidate's assessed answer to WITNESS_QUESTION."""
    return store.save_answer(candidate_id, WITNESS_QUESTION, statement.to_response(),
                             "assessed", _bank_version(bank_version))


def latest_evidence(store: AnswerStore, candidate_id: str
                    ) -> tuple[PerformanceRecord | None, WitnessStatement | None]:
    """The candidate's latest record and witness statement (None when not saved yet)."""
    latest = store.latest_answers(candidate_id)
    record = latest.get(RECORD_QUESTION)
    witness = latest.get(WITNESS_QUESTION)
    return (record_from_response(record.response) if record else None,
            witness_from_response(witness.response) if witness else None)


def save_self_assessment(store: AnswerStore, candidate_id: str, ratings: Any, file: Any, sha256: str,
                         bank_version: str | None = None) -> Any:
    """Attach a saved team self-assessment (18 practices) to the candidate's evidence.

    What travels is a summary (team, how many took part, each practice's average, the three
    weakest) with the file's name and SHA-256, never anyone's own ratings. A team of fewer
    than 5 people cannot be attached (its results are never shown).
    """
    from pathlib import Path

    from ilcs.services import practices

    if len(ratings) < practices.MIN_GROUP:
        raise DataError(Problem(f"a self-assessment needs at least {practices.MIN_GROUP} "
                                "people before its results can be used", column="ratings"))
    summary = practices.practice_summary(ratings)
    weak = practices.weakest(summary)
    response = {
        "file": Path(file).name, "sha256": sha256, "team": str(ratings["team"].iloc[0]),
        "people": int(len(ratings)), "weakest": [str(n) for n in weak["name"]],
        "averages": {str(int(n)): (None if m != m else round(float(m), 2))
                     for n, m in zip(summary["number"], summary["mean"])},
        "saved_on": dt.date.today().isoformat(),
    }
    return store.save_answer(candidate_id, SELF_ASSESSMENT_QUESTION, response, "assessed",
                             _bank_version(bank_version))


def latest_attachment(store: AnswerStore, candidate_id: str) -> dict[str, Any] | None:
    """The candidate's latest attached self-assessment summary, if any."""
    answer = store.latest_answers(candidate_id).get(SELF_ASSESSMENT_QUESTION)
    return dict(answer.response) if answer else None


def evidence_items(record: PerformanceRecord | None, witness: WitnessStatement | None,
                   criteria: tuple[str, ...] = ("7.1", "7.2", "7.3"),
                   attachment: dict[str, Any] | None = None,
                   ) -> list[tuple[str, str, str, dt.date]]:
    """(criterion, kind, description, date) for each piece of evidence per criterion.

    7.1: who the customer is; 7.2: their products and services; 7.3: standards, timescales
    and what happens when a need cannot be met; any further criterion: the whole record.
    The witness statement is witness testimony for every criterion.
    """
    items: list[tuple[str, str, str, dt.date]] = []
    for criterion in criteria:
        if record is not None:
            confirmed = (f" Confirmed {record.how_confirmed} on "
                         f"{record.confirmed_on:%d/%m/%Y}.")
            who = f"Internal customer: {record.customer_name}, {record.customer_role}."
            if criterion == "7.1":
                text = who
            elif criterion == "7.2":
                text = f"{who} Products and services needed: {record.products_services}."
            elif criterion == "7.3":
                text = (f"{who} Standards and timescales agreed: "
                        f"{record.standards_timescales}. When a need cannot be met: "
                        f"{record.needs_not_met}.")
            else:
                text = (f"{who} Products and services: {record.products_services}. "
                        f"Standards and timescales: {record.standards_timescales}. When a "
                        f"need cannot be met: {record.needs_not_met}.")
            items.append((criterion, "personal statement",
                          f"Candidate's record. {text}{confirmed}", record.confirmed_on))
        if witness is not None:
            items.append((criterion, "witness testimony",
                          f"Witness statement by {witness.witness_name} ({witness.witness_role}"
                          f"; {witness.relationship}), signed {witness.signed_on:%d/%m/%Y} "
                          f"with the declaration: {witness.statement}", witness.signed_on))
        if attachment is not None:
            items.append((criterion, "work product",
                          f"Team self-assessment on the 18 practices: {attachment['team']}, "
                          f"{attachment['people']} people; weakest: "
                          f"{', '.join(attachment['weakest'])} (file {attachment['file']}, "
                          f"SHA-256 {attachment['sha256'][:12]})",
                          dt.date.fromisoformat(attachment["saved_on"])))
    return items


def record_pack_evidence(store: AnswerStore, *, recorded_by: str,
                         candidate_ids: list[str] | None = None, unit: Any = None) -> int:
    """Assessor side: turn imported outcome-7 answers into evidence records.

    For each candidate (all in the store by default) whose latest answers include a record
    or a witness statement, add an evidence record per performance criterion of the unit,
    unless the same evidence is already recorded (safe to run after every import).
    Returns how many evidence records were added.
    """
    from ilcs.assessment.review import record_evidence
    from ilcs.assessment.unit import load_unit

    unit = unit or load_unit()
    performance = tuple(c.id for c in unit.criteria if c.kind == "performance")
    ids = candidate_ids if candidate_ids is not None else [
        c.candidate_id for c in store.candidates()]
    added = 0
    for candidate_id in ids:
        record, witness = latest_evidence(store, candidate_id)
        attachment = latest_attachment(store, candidate_id)
        if record is None and witness is None and attachment is None:
            continue
        rows = store.review_rows([candidate_id]).evidence_records
        at = {name: i for i, name in enumerate(rows.columns)}
        have = {(r[at["criterion_id"]], r[at["kind"]], r[at["description"]]) for r in rows.rows}
        for criterion, kind, description, when in evidence_items(record, witness, performance,
                                                                 attachment):
            if (criterion, kind, description) in have:
                continue
            record_evidence(store, candidate_id, criterion, kind, description,
                            when.isoformat(), recorded_by=recorded_by)
            added += 1
    return added
