"""Complaint handling measured (criteria 5.2 and 5.3): timeliness, rates, outcomes, Pareto.

Rules:
- Times are working time on the procedure's calendar (`ilcs.working_time`).
- **Time to acknowledge**: `received_at` to the first `acknowledged` event. **Time to
  respond**: `received_at` to the first `responded` event.
- Each is **met** (within the procedure's timescale), **missed**, or, when it has not
  happened by `as_of`, **open_missed** (the timescale has already passed: counted as missed)
  or **open_not_due** (left out of the percentage). % within = met / (met + missed +
  open_missed) x 100.
- A complaint is **open** if its last event by `as_of` is not `closed`. Its age is the
  working days from `received_at` to `as_of`. Its outcome is "open"; a closed complaint
  with a blank outcome is counted as "not recorded".
- Escalation rate: complaints with an `escalated` event / complaints x 100; reopen rate the
  same with `reopened`. Satisfaction with handling: yes / (yes + no) x 100 (blank = not asked).
- Complaints per 100 requests: complaints about a team / requests that team received x 100.
- Pareto: categories by number of complaints, largest first, with the cumulative %.
- `as_of` defaults to the latest time in the event log.

Small groups and names: `ComplaintsReport.tables()` (what every view, export and the command
line show) writes any group of fewer than 5 complaints as "fewer than 5", and leaves out who
handled each complaint unless `names=True` is asked for. The complaint files hold no
complainant names; handlers' names are only in the event log's `actor` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ilcs.complaints.lifecycle import Procedure, default_procedure
from ilcs.working_time import working_hours_between

FEWER_THAN_5 = "fewer than 5"
SMALL_GROUP = 5
ALL_TEAMS = "All teams"
#: Age bands of open complaints, in working days: [low, high).
OPEN_AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("under 5 working days", 0.0, 5.0),
    ("5-10 working days", 5.0, 10.0),
    ("10-20 working days", 10.0, 20.0),
    ("20 working days or more", 20.0, float("inf")),
)
OUTCOME_ORDER = ("upheld", "partly-upheld", "not-upheld", "withdrawn", "open")
NOT_RECORDED = "not recorded"  # a closed complaint whose outcome is blank


@dataclass
class ComplaintsReport:
    as_of: pd.Timestamp
    procedure: Procedure
    timeline: pd.DataFrame  # one row per complaint
    teams: pd.DataFrame  # one row per team complained about, then "All teams"
    open_by_age: pd.DataFrame
    outcome_by_category: pd.DataFrame
    pareto: pd.DataFrame
    handlers: pd.DataFrame  # complaint_id -> the people who handled it (names)

    @property
    def team_names(self) -> list[str]:
        return [t for t in self.teams["about_team"] if t != ALL_TEAMS]

    def overall(self) -> pd.Series:
        return self.teams[self.teams["about_team"] == ALL_TEAMS].iloc[0]

    def tables(self, *, names: bool = False, team: str | None = None) -> dict[str, pd.DataFrame]:
        """The tables to show or export: small groups written as "fewer than 5", no
        handlers' names unless `names`. `team` limits the complaint-level tables to one team."""
        timeline = self.timeline
        if team not in (None, ALL_TEAMS):
            timeline = timeline[timeline["about_team"] == team]
        timeline = timeline.drop(columns=["received_row"])
        if names:
            timeline = timeline.merge(self.handlers, on="complaint_id", how="left")
        teams = self.teams if team in (None, ALL_TEAMS) else self.teams[
            self.teams["about_team"] == team]
        count_cols = [c for c in teams.columns if c != "about_team"]
        return {
            "teams": suppress(teams, "complaints", count_cols),
            "pareto": suppress(self.pareto, "complaints", ["complaints", "pct", "cumulative_pct"]),
            "outcome_by_category": suppress(self.outcome_by_category, "complaints",
                                            [c for c in self.outcome_by_category.columns
                                             if c != "category"]),
            "open_by_age": suppress(self.open_by_age, "open_complaints", ["open_complaints"]),
            "complaints": timeline.reset_index(drop=True),
        }


def suppress(table: pd.DataFrame, count_column: str, columns: list[str]) -> pd.DataFrame:
    """A copy where every row whose `count_column` is 1-4 shows "fewer than 5" in `columns`
    (a zero is no group and is shown as 0)."""
    out = table.copy()
    small = (out[count_column] > 0) & (out[count_column] < SMALL_GROUP)
    for column in columns:
        out[column] = out[column].astype(object)
        out.loc[small, column] = FEWER_THAN_5
    return out


def _pct(part: Any, whole: Any) -> Any:
    part = np.asarray(part, dtype=float)
    whole = np.asarray(whole, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, np.round(100.0 * part / np.where(whole > 0, whole, 1), 1),
                        np.nan)


def _status(hours: pd.Series, elapsed: pd.Series, target: float) -> pd.Series:
    done = hours.notna()
    status = np.where(done, np.where(hours <= target + 1e-9, "met", "missed"),
                      np.where(elapsed > target + 1e-9, "open_missed", "open_not_due"))
    return pd.Series(status, index=hours.index, dtype=object)


def complaints_report(
    complaints: pd.DataFrame,
    events: pd.DataFrame,
    requests: pd.DataFrame | None = None,
    procedure: Procedure | None = None,
    as_of: Any = None,
) -> ComplaintsReport:
    """Measure a complaint log (complaints + events, as loaded by `ilcs.io`) against a procedure."""
    procedure = procedure or default_procedure()
    calendar = procedure.calendar
    as_of = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp(events["at"].max())
    ev = events[events["at"] <= as_of]

    def first(stage: str) -> pd.Series:
        return ev[ev["stage"] == stage].groupby("complaint_id")["at"].min()

    last_stage = ev.groupby("complaint_id")["stage"].last()
    stages_seen = ev.groupby("complaint_id")["stage"].agg(set)
    c = complaints[complaints["received_at"] <= as_of].copy()
    c["received_row"] = c.index + 2
    ids = c["complaint_id"]
    c["acknowledged_at"] = ids.map(first("acknowledged"))
    c["responded_at"] = ids.map(first("responded"))
    c["ack_hours"] = working_hours_between(c["received_at"], c["acknowledged_at"], calendar)
    c["respond_hours"] = working_hours_between(c["received_at"], c["responded_at"], calendar)
    elapsed = working_hours_between(c["received_at"], pd.Series(as_of, index=c.index), calendar)
    c["ack_status"] = _status(c["ack_hours"], elapsed, procedure.target_hours("acknowledge"))
    c["respond_status"] = _status(c["respond_hours"], elapsed, procedure.target_hours("respond"))
    seen = ids.map(stages_seen)
    c["escalated"] = seen.map(lambda s: isinstance(s, set) and "escalated" in s)
    c["reopened"] = seen.map(lambda s: isinstance(s, set) and "reopened" in s)
    c["open"] = ids.map(last_stage).ne("closed")
    c["age_working_days"] = np.where(c["open"], np.round(elapsed / calendar.day_hours, 1),
                                     np.nan)
    c["outcome"] = np.where(c["open"], "open", c["outcome"].fillna(NOT_RECORDED))
    c["ack_hours"] = c["ack_hours"].round(2)
    c["respond_hours"] = c["respond_hours"].round(2)
    timeline = c[["complaint_id", "received_row", "received_at", "department", "about_team",
                  "category", "severity", "acknowledged_at", "ack_hours", "ack_status",
                  "responded_at", "respond_hours", "respond_status", "escalated", "reopened",
                  "open", "age_working_days", "outcome", "satisfied_with_handling"]
                 ].reset_index(drop=True)
    handlers = (ev.dropna(subset=["actor"]).groupby("complaint_id")["actor"]
                .agg(lambda a: "; ".join(dict.fromkeys(a))).rename("handled_by").reset_index()
                if "actor" in ev.columns else
                pd.DataFrame({"complaint_id": [], "handled_by": []}))
    return ComplaintsReport(
        as_of=as_of, procedure=procedure, timeline=timeline,
        teams=_teams(timeline, requests), open_by_age=_open_by_age(timeline),
        outcome_by_category=_outcomes(timeline), pareto=pareto(timeline), handlers=handlers)


def _team_row(name: str, t: pd.DataFrame, requests: int | None) -> dict[str, Any]:
    ack_measured = t["ack_status"].isin(["met", "missed", "open_missed"]).sum()
    resp_measured = t["respond_status"].isin(["met", "missed", "open_missed"]).sum()
    asked = t["satisfied_with_handling"].isin(["yes", "no"]).sum()
    yes = (t["satisfied_with_handling"] == "yes").sum()
    n = len(t)
    return {
        "about_team": name,
        "complaints": n,
        "ack_measured": int(ack_measured),
        "ack_within": int((t["ack_status"] == "met").sum()),
        "respond_measured": int(resp_measured),
        "respond_within": int((t["respond_status"] == "met").sum()),
        "escalated": int(t["escalated"].sum()),
        "reopened": int(t["reopened"].sum()),
        "satisfaction_asked": int(asked),
        "satisfied": int(yes),
        "open": int(t["open"].sum()),
        "requests": np.nan if requests is None else requests,
    }


def _teams(timeline: pd.DataFrame, requests: pd.DataFrame | None) -> pd.DataFrame:
    req_counts = (requests["provider_team"].value_counts() if requests is not None else None)
    rows = []
    for team, t in timeline.groupby("about_team", sort=True):
        n_req = None if req_counts is None else int(req_counts.get(team, 0))
        rows.append(_team_row(str(team), t, n_req))
    rows.append(_team_row(ALL_TEAMS, timeline,
                          None if requests is None else len(requests)))
    table = pd.DataFrame(rows)
    table["pct_ack_within"] = _pct(table["ack_within"], table["ack_measured"])
    table["pct_respond_within"] = _pct(table["respond_within"], table["respond_measured"])
    table["pct_escalated"] = _pct(table["escalated"], table["complaints"])
    table["pct_reopened"] = _pct(table["reopened"], table["complaints"])
    table["pct_satisfied"] = _pct(table["satisfied"], table["satisfaction_asked"])
    table["per_100_requests"] = _pct(table["complaints"], table["requests"])
    order = ["about_team", "complaints", "ack_within", "ack_measured", "pct_ack_within",
             "respond_within", "respond_measured", "pct_respond_within", "escalated",
             "pct_escalated", "reopened", "pct_reopened", "satisfied", "satisfaction_asked",
             "pct_satisfied", "open", "requests", "per_100_requests"]
    return table[order]


def _open_by_age(timeline: pd.DataFrame) -> pd.DataFrame:
    age = timeline.loc[timeline["open"], "age_working_days"]
    return pd.DataFrame({
        "age": [name for name, _, _ in OPEN_AGE_BANDS],
        "open_complaints": [int(((age >= lo) & (age < hi)).sum()) for _, lo, hi in OPEN_AGE_BANDS],
    })


def _outcomes(timeline: pd.DataFrame) -> pd.DataFrame:
    table = pd.crosstab(timeline["category"], timeline["outcome"])
    for outcome in OUTCOME_ORDER:
        if outcome not in table.columns:
            table[outcome] = 0
    order = list(OUTCOME_ORDER) + ([NOT_RECORDED] if NOT_RECORDED in table.columns else [])
    table = table[order].astype(int)
    table.insert(0, "complaints", table.sum(axis=1))
    return table.reset_index().rename_axis(columns=None)


def pareto(timeline: pd.DataFrame) -> pd.DataFrame:
    """Categories by number of complaints (largest first, ties by name), with % and cumulative %."""
    counts = timeline["category"].value_counts()
    table = pd.DataFrame({"category": counts.index, "complaints": counts.to_numpy()})
    table = table.sort_values(["complaints", "category"], ascending=[False, True],
                              ignore_index=True)
    total = table["complaints"].sum()
    table["pct"] = _pct(table["complaints"], total)
    table["cumulative_pct"] = _pct(table["complaints"].cumsum(), total)
    return table


def lateness(report: ComplaintsReport) -> pd.DataFrame:
    """What not keeping to the procedure's timescales cost: per complaint that missed one,
    the working hours beyond each timescale (to `as_of` while still waiting)."""
    t = report.timeline
    cal = report.procedure.calendar
    elapsed = working_hours_between(t["received_at"],
                                    pd.Series(report.as_of, index=t.index), cal)
    ack = t["ack_hours"].fillna(elapsed)
    resp = t["respond_hours"].fillna(elapsed)
    out = pd.DataFrame({
        "complaint_id": t["complaint_id"],
        "about_team": t["about_team"],
        "ack_hours_late": np.maximum(ack - report.procedure.target_hours("acknowledge"), 0)
        .round(1),
        "respond_hours_late": np.maximum(resp - report.procedure.target_hours("respond"), 0)
        .round(1),
    })
    out.loc[t["ack_status"] == "open_not_due", "ack_hours_late"] = 0.0
    out.loc[t["respond_status"] == "open_not_due", "respond_hours_late"] = 0.0
    return out[(out["ack_hours_late"] > 0) | (out["respond_hours_late"] > 0)].reset_index(
        drop=True)


def lateness_summary(report: ComplaintsReport) -> list[str]:
    """The cost of late handling in words."""
    late = lateness(report)
    p = report.procedure
    day = p.calendar.day_hours
    n_ack = int((late["ack_hours_late"] > 0).sum())
    n_resp = int((late["respond_hours_late"] > 0).sum())
    ack_h, resp_h = float(late["ack_hours_late"].sum()), float(late["respond_hours_late"].sum())
    return [
        f"{_count(n_ack)} acknowledged later than {p.timescales['acknowledge']}: "
        f"{ack_h:,.1f} working hours ({ack_h / day:,.1f} working days) beyond the timescale "
        "in total.",
        f"{_count(n_resp)} answered later than {p.timescales['respond']}: "
        f"{resp_h:,.1f} working hours ({resp_h / day:,.1f} working days) beyond the timescale "
        "in total.",
    ]


def _count(n: int) -> str:
    if 0 < n < SMALL_GROUP:
        return "Fewer than 5 complaints were"
    return f"{n} complaint{'s were' if n != 1 else ' was'}"


def sample_report(procedure: Procedure | None = None) -> ComplaintsReport:
    """The sample organisation's complaints measured against `procedure` (default: its own)."""
    from ilcs.io import check_complaint_events, load_sample

    complaints = load_sample("complaints")
    events = load_sample("complaint_events")
    check_complaint_events(complaints, events)
    return complaints_report(complaints, events, load_sample("requests"), procedure)


#: Word headings for the tables every output path shows.
HEADINGS: dict[str, str] = {
    "about_team": "Team complained about", "complaints": "Complaints",
    "ack_within": "Acknowledged on time", "ack_measured": "Measured (acknowledge)",
    "pct_ack_within": "% acknowledged on time", "respond_within": "Answered on time",
    "respond_measured": "Measured (respond)", "pct_respond_within": "% answered on time",
    "escalated": "Escalated", "pct_escalated": "% escalated", "reopened": "Reopened",
    "pct_reopened": "% reopened", "satisfied": "Satisfied with handling",
    "satisfaction_asked": "Asked", "pct_satisfied": "% satisfied", "open": "Still open",
    "requests": "Requests received", "per_100_requests": "Complaints per 100 requests",
    "category": "Category", "pct": "% of complaints", "cumulative_pct": "Cumulative %",
    "age": "Age", "open_complaints": "Open complaints", "upheld": "Upheld",
    "partly-upheld": "Partly upheld", "not-upheld": "Not upheld", "withdrawn": "Withdrawn",
    "complaint_id": "Complaint", "ack_hours_late": "Working hours late (acknowledge)",
    "respond_hours_late": "Working hours late (respond)",
    "received_at": "Received", "department": "Complainant's department",
    "severity": "Severity", "acknowledged_at": "Acknowledged",
    "ack_hours": "Working hours to acknowledge", "ack_status": "Acknowledgement",
    "responded_at": "First response", "respond_hours": "Working hours to respond",
    "respond_status": "Response", "age_working_days": "Age if open (working days)",
    "outcome": "Outcome", "satisfied_with_handling": "Satisfied with handling?",
    "handled_by": "Handled by",
}
