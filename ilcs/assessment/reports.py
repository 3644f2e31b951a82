"""Reports: the candidate evidence report (printable HTML), the cohort export (CSV, XLSX)
and the item statistics table for trainers.

A `CandidateRecord` gathers, for one candidate, every criterion of the unit with its
evidence, proposal, decision history, feedback, action points, IQA verdicts and the
sign-offs. It is built from plain frames (`build_candidate_record`), so the same record
feeds the HTML report, the feedback pack and the review app.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ilcs.assessment.decisions import (
    LABELS,
    NO_EVIDENCE,
    ActionPoint,
    Decision,
    SignOff,
    now_utc,
)
from ilcs.assessment.unit import Unit
from ilcs.errors import NotFoundError
from ilcs.io.write import write_table, write_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
NEW_EVIDENCE_LABEL = "⚑ New evidence since decision"


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence for a criterion: an answer to a question or an evidence record."""

    kind: str  # "answer" or the evidence record's kind (observation, ...)
    ref: str  # question id, or "record"
    summary: str  # the response as text, or the record's description
    status: str  # marking status of an answer, "" for records
    at: str  # when it was given / recorded (ISO text)
    by: str = ""  # who recorded or marked it


@dataclass(frozen=True)
class IqaNote:
    iqa: str
    verdict: str
    comment: str
    at: str


@dataclass(frozen=True)
class CriterionRecord:
    criterion_id: str
    text: str
    kind: str  # knowledge | performance
    status: str  # met | not_yet_met | awaiting_marking | no_evidence
    proposal: str
    reason: str
    decisions: tuple[Decision, ...]  # oldest first; the last one counts
    action_points: tuple[ActionPoint, ...]
    evidence: tuple[EvidenceItem, ...]
    iqa: tuple[IqaNote, ...] = ()
    new_evidence: bool = False  # answers or records arrived after the latest decision

    @property
    def flag(self) -> str:
        return NEW_EVIDENCE_LABEL if self.new_evidence else ""

    @property
    def decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def label(self) -> str:
        return LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class CandidateRecord:
    candidate_id: str
    name: str
    centre: str
    assessor: str
    unit_code: str
    unit_title: str
    criteria: tuple[CriterionRecord, ...]
    signoffs: tuple[SignOff, ...]
    candidate_number: str = ""

    @property
    def label(self) -> str:
        """"NVQ-0042 Ada Jones": how people know the candidate."""
        return " ".join(x for x in (self.candidate_number, self.name) if x) or self.candidate_id

    def criterion(self, criterion_id: str) -> CriterionRecord:
        for c in self.criteria:
            if c.criterion_id == criterion_id:
                return c
        raise NotFoundError(f"no criterion {criterion_id!r} in this record")

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in LABELS}
        for c in self.criteria:
            out[c.status] = out.get(c.status, 0) + 1
        return out


def _ts(value: Any) -> datetime:
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.to_pydatetime()


def _day(value: Any) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else \
        pd.Timestamp(value).date()


def response_text(value: Any) -> str:
    """A stored response as readable text."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, str):
            return parsed
        value = parsed
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} → {v}" for k, v in value.items())
    return str(value)


def _rows(frame: pd.DataFrame | None, candidate_id: str) -> pd.DataFrame:
    if frame is None or not len(frame):
        return pd.DataFrame()
    return frame.loc[frame["candidate_id"].astype(str) == candidate_id]


def build_candidate_record(
    candidate: dict[str, Any],
    unit: Unit,
    *,
    results: pd.DataFrame,
    proposals: pd.DataFrame,
    decisions: pd.DataFrame,
    actions: pd.DataFrame | None = None,
    signoffs: pd.DataFrame | None = None,
    evidence: pd.DataFrame | None = None,
    verdicts: pd.DataFrame | None = None,
    flagged: set[tuple[str, str]] | None = None,
) -> CandidateRecord:
    """Gather one candidate's record from frames.

    results: candidate_id, question_id, criterion_id, status, response, saved_at
    decisions: candidate_id, criterion_id, outcome, proposed, assessor, feedback, decided_at
    actions: candidate_id, criterion_id, action, due, set_by, set_at
    signoffs: candidate_id, role, name, signed_at, statement
    evidence: candidate_id, criterion_id, kind, description, evidence_date, recorded_by
    verdicts: candidate_id, criterion_id, iqa, verdict, comment, at
    flagged: (candidate, criterion) pairs with new evidence since their latest decision
    """
    cid = str(candidate["candidate_id"])
    res, prop, dec = _rows(results, cid), _rows(proposals, cid), _rows(decisions, cid)
    act, sig, ev = _rows(actions, cid), _rows(signoffs, cid), _rows(evidence, cid)
    ver = _rows(verdicts, cid)
    criteria = []
    for crit in unit.criteria:
        k = crit.id
        p = prop.loc[prop["criterion_id"] == k] if len(prop) else prop
        proposal = str(p["proposal"].iloc[0]) if len(p) else NO_EVIDENCE
        reason = str(p["reason"].iloc[0]) if len(p) and "reason" in p else ""
        d = dec.loc[dec["criterion_id"] == k] if len(dec) else dec
        if len(d):
            d = d.assign(_at=pd.to_datetime(d["decided_at"], utc=True)).sort_values(
                "_at", kind="stable")
        history = tuple(
            Decision(cid, k, str(r["outcome"]), str(r.get("proposed", "")), str(r["assessor"]),
                     str(r.get("feedback") or ""), _ts(r["decided_at"]))
            for _, r in d.iterrows())
        a = act.loc[act["criterion_id"] == k] if len(act) else act
        points = tuple(
            ActionPoint(cid, k, str(r["action"]), _day(r["due"]), str(r["set_by"]),
                        _ts(r["set_at"]))
            for _, r in a.iterrows())
        items: list[EvidenceItem] = []
        r_ = res.loc[res["criterion_id"] == k] if len(res) else res
        for _, r in r_.iterrows():
            items.append(EvidenceItem("answer", str(r["question_id"]),
                                      response_text(r.get("response")), str(r["status"]),
                                      str(r.get("saved_at") or ""), str(r.get("marked_by") or "")))
        e_ = ev.loc[ev["criterion_id"] == k] if len(ev) else ev
        for _, r in e_.iterrows():
            items.append(EvidenceItem(str(r["kind"]), "record", str(r["description"]), "",
                                      str(r["evidence_date"]), str(r.get("recorded_by") or "")))
        v_ = ver.loc[ver["criterion_id"] == k] if len(ver) else ver
        notes = tuple(IqaNote(str(r["iqa"]), str(r["verdict"]), str(r.get("comment") or ""),
                              str(r.get("at") or "")) for _, r in v_.iterrows())
        status = history[-1].outcome if history else (
            "awaiting_marking" if proposal != NO_EVIDENCE else NO_EVIDENCE)
        criteria.append(CriterionRecord(k, crit.text, crit.kind, status, proposal, reason,
                                        history, points, tuple(items), notes,
                                        (cid, k) in (flagged or set())))
    signs = tuple(
        SignOff(cid, str(r["role"]), str(r["name"]), _ts(r["signed_at"]),
                str(r.get("statement") or ""))
        for _, r in (sig.assign(_at=pd.to_datetime(sig["signed_at"], utc=True))
                     .sort_values("_at").iterrows() if len(sig) else []))
    return CandidateRecord(cid, str(candidate.get("name") or ""),
                           str(candidate.get("centre") or ""),
                           str(candidate.get("assessor") or ""), unit.code, unit.title,
                           tuple(criteria), signs,
                           str(candidate.get("candidate_number") or ""))


# --------------------------------------------------------------------------- HTML report


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(["html", "jinja2"]))
    env.filters["uk_date"] = lambda d: d.strftime("%d/%m/%Y") if d else ""
    env.filters["uk_time"] = lambda d: d.strftime("%d/%m/%Y %H:%M UTC") if d else ""
    return env


def candidate_report_html(record: CandidateRecord, *, generated_at: datetime | None = None
                          ) -> str:
    """The printable candidate evidence report: every criterion with its evidence,
    decision, feedback, action points and IQA notes, then the sign-offs."""
    template = _environment().get_template("candidate_report.html.jinja2")
    return template.render(record=record, labels=LABELS,
                           generated_at=generated_at or now_utc())


def write_candidate_report(record: CandidateRecord, out: str | Path) -> Path:
    return write_text(out, candidate_report_html(record))


# --------------------------------------------------------------------------- cohort export


def cohort_export_frame(matrix: pd.DataFrame, candidates: pd.DataFrame,
                        flagged: set[tuple[str, str]] | None = None) -> pd.DataFrame:
    """One row per candidate: candidate number, name, centre, assessor, the internal id,
    counts, then one column per criterion in words (a decision with new evidence since it
    was made says so in its cell)."""
    info = candidates.set_index(candidates["candidate_id"].astype(str))
    out = pd.DataFrame(index=matrix.index)
    for col in ("candidate_number", "name", "centre", "assessor"):
        out[col] = info[col].reindex(matrix.index).fillna("") if col in info else ""
    out["candidate_id"] = list(matrix.index)
    for status, label in LABELS.items():
        out[f"criteria {label.split(' ', 1)[1].lower()}"] = (matrix == status).sum(axis=1)
    words = {k: v.split(" ", 1)[1] for k, v in LABELS.items()}
    for crit in matrix.columns:
        out[f"{crit}"] = matrix[crit].map(words)
    for cand, crit in sorted(flagged or ()):
        if cand in out.index and crit in out.columns:
            out.at[cand, crit] = f"{out.at[cand, crit]!s} (new evidence since decision)"
    return out.reset_index(drop=True)


def export_cohort(table: pd.DataFrame, out: str | Path) -> Path:
    """Write the cohort table (or the item statistics) as CSV (UTF-8 with BOM, for Excel) or
    XLSX, by extension, through the safe writer: whole or not at all, never a live formula."""
    return write_table(table, out, sheet="Cohort", freeze=(1, 1),
                       widths={"Cohort": {0: 14, 1: 18, 2: 18, 3: 18, 4: 18}})


def item_stats_html(stats: pd.DataFrame) -> str:
    """The item statistics as an accessible HTML table for trainers."""
    import html as _html

    head = ("<tr><th scope='col'>Question</th><th scope='col'>Answered</th>"
            "<th scope='col'>Facility (share correct)</th>"
            "<th scope='col'>Discrimination</th><th scope='col'>Most common wrong answers</th>"
            "<th scope='col'>Note</th></tr>")
    rows = []
    for r in stats.to_dict("records"):
        disc = "not enough data" if pd.isna(r["discrimination"]) else f"{r['discrimination']:.2f}"
        note = str(r.get("note", ""))
        rows.append(f"<tr><th scope='row'>{_html.escape(str(r['question_id']))}</th>"
                    f"<td>{r['answered']}</td><td>{r['facility']:.0%}</td><td>{disc}</td>"
                    f"<td>{_html.escape(str(r['common_wrong']))}</td><td>{_html.escape(note)}</td>"
                    "</tr>")
    return ("<table class='ilcs-items'><caption>Item statistics</caption>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>")
