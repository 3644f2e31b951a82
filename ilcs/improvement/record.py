"""The improvement record: one improvement taken through the cycle, with evidence per step.

The cycle (the unit's source notes) is identify the problem -> define and analyse it ->
explore ways to solve it -> choose the best -> implement it -> review the result. Each step
is tagged with its part of Plan-Do-Check-Act (PDCA). A step holds its owner, the date it was
done and its evidence: notes, figures and charts (SVG text), each with a title.

Rules (`problems()` lists every one broken, in words):
- steps are done in order: a step may only be left out if it is marked skipped **with a
  reason**; a later step cannot be done while an earlier one is neither done nor skipped;
- a done step has an owner and a date; dates never go backwards along the cycle;
- the review cannot be skipped, and comes on or after the implementation's date.

The record is saved as JSON (written to a temporary file and then renamed over the old one,
so a crash never leaves half a record) and loaded back with every field checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ilcs.errors import DataError, Problem

RECORD_VERSION = 1
#: (step, PDCA tag, what the step is for)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("Identify the problem", "Plan", "say what is wrong and who it affects, with a figure"),
    ("Define and analyse it", "Plan", "measure it and find the root cause"),
    ("Explore ways to solve it", "Plan", "list the possible changes"),
    ("Choose the best", "Plan", "pick one and say why"),
    ("Implement it", "Do", "make the change, on a date, with an owner"),
    ("Review the result", "Check and Act", "compare before and after; keep, adapt or drop"),
)
STEP_NAMES = tuple(name for name, _, _ in STEPS)
STATUSES = ("to do", "done", "skipped")
EVIDENCE_KINDS = ("note", "figure", "chart")


@dataclass
class Evidence:
    """One piece of evidence: a note, a figure (e.g. '38 % within target') or a chart (SVG)."""

    kind: str
    title: str
    content: str


@dataclass
class Step:
    name: str
    status: str = "to do"
    owner: str = ""
    done_on: date | None = None
    skip_reason: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def pdca(self) -> str:
        return STEPS[STEP_NAMES.index(self.name)][1]


@dataclass
class ImprovementRecord:
    """An improvement and its six steps."""

    title: str
    team: str = ""
    steps: list[Step] = field(default_factory=lambda: [Step(name) for name in STEP_NAMES])

    def step(self, name: str) -> Step:
        for s in self.steps:
            if s.name.lower() == name.strip().lower():
                return s
        raise DataError(Problem(f"there is no step called '{name}': the steps are "
                                f"{', '.join(STEP_NAMES)}", column="step"))

    def complete(self, name: str, *, owner: str, done_on: date | str, note: str = "") -> Step:
        """Mark a step done by `owner` on `done_on` (a date or 'YYYY-MM-DD' / 'DD/MM/YYYY')."""
        s = self.step(name)
        s.status, s.owner, s.done_on, s.skip_reason = "done", owner.strip(), _date(done_on,
                                                                                   s.name), ""
        if note.strip():
            s.evidence.append(Evidence("note", "Note", note.strip()))
        return s

    def skip(self, name: str, reason: str) -> Step:
        s = self.step(name)
        s.status, s.skip_reason, s.done_on = "skipped", reason.strip(), None
        return s

    def attach(self, name: str, kind: str, title: str, content: str) -> Evidence:
        if kind not in EVIDENCE_KINDS:
            raise DataError(Problem(f"'{kind}' is not a kind of evidence: use one of "
                                    f"{', '.join(EVIDENCE_KINDS)}", column="kind"))
        if not str(content).strip():
            raise DataError(Problem("the evidence is empty", column="content"))
        item = Evidence(kind, title.strip() or kind.capitalize(), str(content))
        self.step(name).evidence.append(item)
        return item

    # ------------------------------------------------------------ rules
    def problems(self) -> list[Problem]:
        """Every rule the record breaks, in words, naming the step (an empty list if none)."""
        found: list[Problem] = []
        if not self.title.strip():
            found.append(Problem("give the improvement a title", column="title"))
        if [s.name for s in self.steps] != list(STEP_NAMES):
            found.append(Problem("the record must hold the six steps of the cycle in order",
                                 column="steps"))
            return found
        last_date: tuple[str, date] | None = None
        for i, s in enumerate(self.steps):
            where = f"step {i + 1} '{s.name}'"
            later_done = any(t.status == "done" for t in self.steps[i + 1:])
            if s.status not in STATUSES:
                found.append(Problem(f"{where}: status '{s.status}' is not one of "
                                     f"{', '.join(STATUSES)}", column="status"))
            if s.status == "skipped" and not s.skip_reason.strip():
                found.append(Problem(f"{where} is skipped without a reason: say why",
                                     column="skip_reason"))
            if s.status == "skipped" and s.name == STEP_NAMES[-1]:
                found.append(Problem(f"{where} cannot be skipped: every change is reviewed",
                                     column="status"))
            if s.status == "to do" and later_done:
                found.append(Problem(f"{where} is not done but a later step is: finish it, or "
                                     "mark it skipped with a reason", column="status"))
            if s.status == "done":
                if not s.owner:
                    found.append(Problem(f"{where} is done but has no owner", column="owner"))
                if s.done_on is None:
                    found.append(Problem(f"{where} is done but has no date", column="done_on"))
                elif last_date is not None and s.done_on < last_date[1]:
                    found.append(Problem(
                        f"{where} is dated {s.done_on:%d/%m/%Y}, before '{last_date[0]}' "
                        f"({last_date[1]:%d/%m/%Y}): the steps follow each other",
                        column="done_on"))
                if s.done_on is not None:
                    last_date = (s.name, s.done_on)
        implement, review = self.steps[4], self.steps[5]
        if review.status == "done" and implement.status != "done":
            found.append(Problem("step 6 'Review the result' is done but nothing was "
                                 "implemented: the review comes after the change",
                                 column="status"))
        return found

    @property
    def finished(self) -> bool:
        return not self.problems() and self.steps[-1].status == "done"

    def timeline(self) -> pd.DataFrame:
        """One row per step: PDCA, status, date (day first), owner, evidence count."""
        return pd.DataFrame({
            "step": [f"{i + 1}. {s.name}" for i, s in enumerate(self.steps)],
            "pdca": [s.pdca for s in self.steps],
            "status": [s.status + (f" ({s.skip_reason})" if s.status == "skipped" else "")
                       for s in self.steps],
            "done_on": [s.done_on.strftime("%d/%m/%Y") if s.done_on else "" for s in self.steps],
            "owner": [s.owner for s in self.steps],
            "evidence": [len(s.evidence) for s in self.steps],
        })

    def summary_text(self) -> str:
        """The record as plain text, to paste into a written answer for the assessor."""
        lines = [f"Improvement: {self.title}" + (f" ({self.team})" if self.team else "")]
        for i, s in enumerate(self.steps, start=1):
            head = f"{i}. {s.name} [{s.pdca}]: {s.status}"
            if s.status == "done":
                head += f" on {s.done_on:%d/%m/%Y} by {s.owner}" if s.done_on else f" by {s.owner}"
            if s.status == "skipped":
                head += f" because {s.skip_reason}"
            lines.append(head)
            lines += [f"   - {e.title}: {e.content}" for e in s.evidence if e.kind != "chart"]
            lines += [f"   - chart: {e.title}" for e in s.evidence if e.kind == "chart"]
        return "\n".join(lines)

    # ------------------------------------------------------------ saving
    def to_dict(self) -> dict[str, Any]:
        return {
            "record_version": RECORD_VERSION,
            "title": self.title,
            "team": self.team,
            "steps": [{
                "name": s.name, "status": s.status, "owner": s.owner,
                "done_on": s.done_on.isoformat() if s.done_on else None,
                "skip_reason": s.skip_reason,
                "evidence": [{"kind": e.kind, "title": e.title, "content": e.content}
                             for e in s.evidence],
            } for s in self.steps],
        }

    def save(self, path: str | Path) -> Path:
        """Write the record as JSON: to a temporary file first, then renamed over `path`
        (through the one safe writer)."""
        from ilcs.io.write import write_json

        return write_json(Path(path), self.to_dict(), indent=2)


def _date(value: date | str, step: str) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if "/" in text:
            return pd.to_datetime(text, format="%d/%m/%Y").date()
        return date.fromisoformat(text)
    except ValueError:
        raise DataError(Problem(f"step '{step}': '{text}' is not a date; write it as "
                                "DD/MM/YYYY, e.g. 01/07/2025", column="done_on")) from None


def load_record(path: str | Path) -> ImprovementRecord:
    """Read a saved record; every problem is named with the file, step and field."""
    source = Path(path)
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(Problem("file not found", file=str(source))) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(Problem(f"this is not a saved improvement record ({exc})",
                                file=str(source))) from None
    return record_from_dict(raw, str(source))


def record_from_dict(raw: Any, source: str | None = None) -> ImprovementRecord:
    problems: list[Problem] = []

    def bad(message: str, column: str, row: int | None = None) -> None:
        problems.append(Problem(message, file=source, row=row, column=column))

    if not isinstance(raw, dict):
        raise DataError(Problem("this is not a saved improvement record", file=source))
    if raw.get("record_version") != RECORD_VERSION:
        bad(f"record version {raw.get('record_version')!r} is not {RECORD_VERSION}",
            "record_version")
    steps_raw = raw.get("steps")
    if not isinstance(steps_raw, list) or len(steps_raw) != len(STEP_NAMES):
        bad(f"there must be {len(STEP_NAMES)} steps", "steps")
        raise DataError(problems)
    steps = []
    for i, item in enumerate(steps_raw):
        step_no = i + 1
        if not isinstance(item, dict):
            bad(f"step {step_no} is not a set of fields", "steps")
            continue
        name = item.get("name")
        if name != STEP_NAMES[i]:
            bad(f"step {step_no} should be '{STEP_NAMES[i]}', not {name!r}", "name", step_no)
        status = item.get("status")
        if status not in STATUSES:
            bad(f"step {step_no}: status {status!r} is not one of {', '.join(STATUSES)}",
                "status", step_no)
        done_on = None
        if item.get("done_on"):
            try:
                done_on = date.fromisoformat(str(item["done_on"]))
            except ValueError:
                bad(f"step {step_no}: {item['done_on']!r} is not a date (YYYY-MM-DD)",
                    "done_on", step_no)
        evidence = []
        for e in item.get("evidence") or []:
            if not isinstance(e, dict) or e.get("kind") not in EVIDENCE_KINDS:
                bad(f"step {step_no}: a piece of evidence has no kind (note, figure or chart)",
                    "evidence", step_no)
                continue
            evidence.append(Evidence(str(e["kind"]), str(e.get("title") or ""),
                                     str(e.get("content") or "")))
        steps.append(Step(STEP_NAMES[i], str(status), str(item.get("owner") or ""), done_on,
                          str(item.get("skip_reason") or ""), evidence))
    if problems:
        raise DataError(problems)
    return ImprovementRecord(str(raw.get("title") or ""), str(raw.get("team") or ""), steps)
