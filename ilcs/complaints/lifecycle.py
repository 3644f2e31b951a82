"""The complaints procedure as data, and the checks of a complaint log against it (5.3).

The model is ISO 10002's handling process: received → acknowledged → assessed →
investigating → responded → closed, with escalated and reopened. A procedure says which
stages exist, which stage may follow which, after which stages a complaint may be reopened,
and its timescales (to acknowledge, to respond) in working time. The default is the sample
organisation's (`data/sample_procedure.yaml`); a centre writes its own in the same shape.

The loader (`ilcs.io`) already rejects a log whose first event is not `received` or whose
times go backwards. `check_log` adds these rules, each reported with complaint id and row
(spreadsheet numbering, header = row 1):

- a stage the procedure does not have;
- an exact duplicate event (every column the same as an earlier row);
- a complaint responded to or closed without an earlier acknowledgement;
- a reopening without an earlier close (or another stage in `reopen_after`);
- an event after closing other than `reopened`;
- a transition the procedure does not allow.

An exact duplicate is reported once and then left out of the other rules; an event after a
close is reported as that, not also as a transition, and the complaint stays closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ilcs.errors import DataError, Problem
from ilcs.io.kinds import STAGES
from ilcs.io.problems import sheet_row
from ilcs.working_time import Calendar

DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS = ("working_hours", "working_days")
TIMESCALES = ("acknowledge", "respond")


@dataclass(frozen=True)
class Timescale:
    within: float
    unit: str  # working_hours or working_days

    def hours(self, calendar: Calendar) -> float:
        return self.within * (calendar.day_hours if self.unit == "working_days" else 1.0)

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        if self.within == 1:
            unit = unit[:-1]
        return f"{self.within:g} {unit}"


@dataclass(frozen=True)
class Procedure:
    name: str
    stages: tuple[str, ...]
    transitions: dict[str, tuple[str, ...]]
    reopen_after: tuple[str, ...]
    timescales: dict[str, Timescale]
    nation: str = "england-and-wales"
    opens: str = "09:00"
    closes: str = "17:00"
    source: str = field(default="", compare=False)

    @property
    def calendar(self) -> Calendar:
        return Calendar.standard(self.opens, self.closes, nation=self.nation)

    def target_hours(self, which: str) -> float:
        return self.timescales[which].hours(self.calendar)

    def allows(self, before: str, after: str) -> bool:
        return after in self.transitions.get(before, ())

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "stages": list(self.stages),
            "transitions": {k: list(v) for k, v in self.transitions.items()},
            "reopen_after": list(self.reopen_after),
            "timescales": {k: {"within": v.within, "unit": v.unit}
                           for k, v in self.timescales.items()},
            "calendar": {"nation": self.nation, "opens": self.opens, "closes": self.closes},
        }

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


def default_procedure() -> Procedure:
    """The sample organisation's procedure."""
    return load_procedure(DATA_DIR / "sample_procedure.yaml")


def load_procedure(path: str | Path) -> Procedure:
    """Read a procedure file (YAML); one `DataError` lists every problem in it."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError(Problem(f"cannot be read: {exc.strerror or exc}", file=path.name)) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem(f"is not valid YAML: {exc}", file=path.name)) from None
    return procedure_from_dict(data, file=path.name)


def procedure_from_dict(data: Any, *, file: str = "procedure") -> Procedure:
    """A procedure from a mapping (as read from YAML, or built by the procedure writer)."""
    problems: list[Problem] = []

    def bad(message: str, column: str) -> None:
        problems.append(Problem(message, file=file, column=column))

    if not isinstance(data, dict):
        raise DataError(Problem("must be a mapping with stages, transitions and timescales",
                                file=file))
    stages = data.get("stages")
    if not isinstance(stages, list) or not stages:
        bad("'stages' must be a list of stage names", "stages")
        stages = []
    stages = [str(s) for s in stages]
    for s in stages:
        if s not in STAGES:
            bad(f"'{s}' is not a stage of the complaint log (stages: {', '.join(STAGES)})",
                "stages")
    for needed in ("received", "acknowledged", "responded", "closed"):
        if stages and needed not in stages:
            bad(f"the stages must include '{needed}'", "stages")
    raw_transitions = data.get("transitions")
    transitions: dict[str, tuple[str, ...]] = {}
    if not isinstance(raw_transitions, dict):
        bad("'transitions' must map each stage to the stages that may follow it", "transitions")
        raw_transitions = {}
    for before, after in raw_transitions.items():
        after_list = after if isinstance(after, list) else [] if after is None else [after]
        for stage in [before, *after_list]:
            if str(stage) not in stages:
                bad(f"'{stage}' is used in the transitions but is not in 'stages'",
                    "transitions")
        transitions[str(before)] = tuple(str(a) for a in after_list)
    reopen_after = data.get("reopen_after", ["closed"])
    if not isinstance(reopen_after, list):
        bad("'reopen_after' must be a list of stages", "reopen_after")
        reopen_after = ["closed"]
    for s in reopen_after:
        if str(s) not in stages:
            bad(f"'{s}' in reopen_after is not in 'stages'", "reopen_after")
    timescales: dict[str, Timescale] = {}
    raw_ts = data.get("timescales")
    if not isinstance(raw_ts, dict):
        bad("'timescales' must give 'acknowledge' and 'respond'", "timescales")
        raw_ts = {}
    for name in TIMESCALES:
        item = raw_ts.get(name)
        if not isinstance(item, dict):
            bad(f"timescale '{name}' is missing (e.g. {{within: 2, unit: working_days}})",
                "timescales")
            continue
        within, unit = item.get("within"), item.get("unit", "working_days")
        if isinstance(within, bool) or not isinstance(within, (int, float)) or within <= 0:
            bad(f"timescale '{name}': 'within' must be a number above 0, not {within!r}",
                "timescales")
            continue
        if unit not in UNITS:
            bad(f"timescale '{name}': unit must be working_hours or working_days, not {unit!r}",
                "timescales")
            continue
        timescales[name] = Timescale(float(within), str(unit))
    cal = data.get("calendar") or {}
    if not isinstance(cal, dict):
        bad("'calendar' must give nation, opens and closes", "calendar")
        cal = {}
    nation = str(cal.get("nation", "england-and-wales"))
    opens, closes = str(cal.get("opens", "09:00")), str(cal.get("closes", "17:00"))
    if not problems:
        try:
            Calendar.standard(opens, closes, nation=nation)
        except Exception as exc:  # ConfigError: bad times or nation
            bad(str(exc), "calendar")
    if problems:
        raise DataError(problems)
    return Procedure(name=str(data.get("name") or "Complaints procedure"), stages=tuple(stages),
                     transitions=transitions, reopen_after=tuple(str(s) for s in reopen_after),
                     timescales=timescales, nation=nation, opens=opens, closes=closes,
                     source=file)


# ------------------------------------------------------------------ the log check

RULES = ("unknown stage", "duplicate", "no acknowledgement", "reopen without close",
         "after closing", "transition")


@dataclass(frozen=True)
class Finding:
    """One place where the log does not follow the procedure."""

    rule: str
    complaint_id: str
    row: int  # spreadsheet row of the event
    stage: str
    message: str

    def problem(self, file: str | None) -> Problem:
        return Problem(self.message, file=file, row=self.row, column="stage")


def check_log(events: pd.DataFrame, procedure: Procedure | None = None) -> list[Finding]:
    """Every place the event log breaks the procedure's rules, in file order."""
    procedure = procedure or default_procedure()
    findings: list[Finding] = []
    rows = events.attrs.get("rows")
    columns = [c for c in ("complaint_id", "stage", "at", "actor", "note") if c in events.columns]
    first_seen: dict[tuple, int] = {}
    state: dict[str, dict[str, Any]] = {}
    for pos, event in enumerate(events[columns].itertuples(index=False, name=None)):
        values = dict(zip(columns, event))
        cid, stage, at = str(values["complaint_id"]), str(values["stage"]), values["at"]
        row = sheet_row(int(rows[pos]) if rows is not None else pos)
        key = tuple("" if (not isinstance(v, str) and pd.isna(v)) else v for v in event)

        def add(rule: str, message: str, cid: str = cid, row: int = row,
                stage: str = stage) -> None:
            findings.append(Finding(rule, cid, row, stage, f"complaint {cid}: {message}"))

        if key in first_seen:
            add("duplicate", f"this '{stage}' event at {_when(at)} repeats row "
                             f"{first_seen[key]} exactly")
            continue
        first_seen[key] = row
        if stage not in procedure.stages:
            add("unknown stage", f"'{stage}' is not a stage of {procedure.name}")
            continue
        st = state.setdefault(cid, {"previous": None, "seen": set(), "closed": False})
        previous = st["previous"]
        if stage in ("responded", "closed") and "acknowledged" not in st["seen"]:
            add("no acknowledgement", f"{'responded to' if stage == 'responded' else 'closed'} "
                                      f"at {_when(at)} without an acknowledgement before it")
        if stage == "reopened" and not (st["seen"] & set(procedure.reopen_after)):
            add("reopen without close", f"reopened at {_when(at)} without being "
                                        f"{' or '.join(procedure.reopen_after)} before")
        elif st["closed"] and stage != "reopened":
            add("after closing", f"'{stage}' at {_when(at)} comes after the complaint was "
                                 "closed; only 'reopened' may follow a close")
            continue  # the complaint stays closed: the next event is checked against the close
        elif previous is not None and not procedure.allows(previous, stage):
            allowed = procedure.transitions.get(previous, ())
            add("transition", f"goes from '{previous}' to '{stage}', which the procedure does "
                              f"not allow (after '{previous}' it allows: "
                              f"{', '.join(allowed) if allowed else 'nothing'})")
        st["seen"].add(stage)
        st["previous"] = stage
        if stage == "closed":
            st["closed"] = True
        elif stage == "reopened":
            st["closed"] = False
    return findings


def _when(at: Any) -> str:
    return "an unknown time" if pd.isna(at) else f"{pd.Timestamp(at):%d/%m/%Y %H:%M}"


def raise_findings(findings: list[Finding], file: str | None) -> None:
    """One `DataError` listing every finding (for the command line), if there are any."""
    if findings:
        raise DataError([f.problem(file) for f in findings], limit=len(findings))


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"row": f.row, "complaint_id": f.complaint_id, "rule": f.rule, "stage": f.stage,
          "problem": f.message} for f in findings],
        columns=["row", "complaint_id", "rule", "stage", "problem"])
