"""Service standards measured against the request log (SLA measurement).

A service standard is a promise a provider team makes to its internal customers, e.g. "we
will acknowledge every IT request within 4 working hours". This module measures each
request against each standard that applies to it and summarises how well the promise was kept.

Rules (also in docs/working-time.md):
- A standard applies to the requests of its `provider_team`, and only to the `priority` it
  names (blank = every priority). One request can be measured by several standards.
- The clock runs in working time on the standard's calendar (nation, opens, closes, lunch) and
  stops while a request is on hold (`on_hold_from`..`on_hold_until`).
- `first_response` is measured to `first_response_at`; a request resolved without a separate
  first response counts its resolution as the first response (the report says for how many).
  If the log has no first-response times at all, first-response standards are left out (and
  the report says so). `resolution` is measured to `resolved_at`.
- A request on hold now (hold start given, hold end blank) is held until the end of the
  period (or its completion); it has no due time while on hold. Several or overlapping holds
  count once.
- A request is **met** if its working time is at most the target, **breached** if more.
  A request not yet answered at the end of the period (`as_of`) is **open_breached** if its
  clock has already passed the target (it counts as a breach), or **open_not_due** if not
  (left out of the percentage, but counted).
- `as_of` is the end of the period measured: by default the latest event in the request log
  (received, first response, resolved, hold started); a hold's end may be planned for the
  future, so it never moves the period. Anything after `as_of` is treated as not yet happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.working_time import Calendar, add_working_time, working_hours_between

MEASURE_COLUMN = {"first_response": "first_response_at", "resolution": "resolved_at"}
STATUSES = ("met", "breached", "open_breached", "open_not_due")
DEFAULT_BY: tuple[str, ...] = ("provider_team", "requester_department", "month")
#: Backlog age bands in working days: [0, 1), [1, 3), [3, 5), [5, 10), [10, ...).
AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("under 1 day", 0.0, 1.0),
    ("1-3 days", 1.0, 3.0),
    ("3-5 days", 3.0, 5.0),
    ("5-10 days", 5.0, 10.0),
    ("10+ days", 10.0, float("inf")),
)
_EVENT_COLUMNS = ("received_at", "first_response_at", "resolved_at", "on_hold_from")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value) or str(value).strip() == ""


def calendar_for(standard: Any) -> Calendar:
    """The working calendar of one standard (a row or dict with nation, opens, closes, lunch)."""
    get = standard.get
    nation = get("nation")
    opens, closes, lunch = get("opens"), get("closes"), get("lunch")
    return Calendar.standard(
        opens="09:00" if _blank(opens) else str(opens),
        closes="17:00" if _blank(closes) else str(closes),
        lunch=None if _blank(lunch) else str(lunch),
        nation="england-and-wales" if _blank(nation) else str(nation),
    )


def target_hours(standard: Any) -> float:
    """A standard's target in working hours (working days x the calendar's working day)."""
    target = float(standard["target"])
    if str(standard.get("unit", "working_hours")) == "working_days":
        return target * calendar_for(standard).day_hours
    return target


def default_as_of(requests: pd.DataFrame) -> pd.Timestamp:
    """The end of the period in a request log: its latest event (received, first response,
    resolved, hold started). A hold's end is left out: it may be a planned, future date."""
    times = [requests[c].max() for c in _EVENT_COLUMNS if c in requests.columns]
    times = [t for t in times if pd.notna(t)]
    if not times:
        raise DataError("the request log has no dates, so its period cannot be worked out")
    return pd.Timestamp(max(times))


def _check_columns(table: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise DataError([Problem(f"the {what} table has no '{c}' column", column=c) for c in missing])


def applies_to(standard: Any, requests: pd.DataFrame) -> pd.Series:
    """Which requests a standard applies to: its team, and its priority if it names one."""
    mask = requests["provider_team"] == standard["provider_team"]
    priority = standard.get("priority")
    if not _blank(priority) and "priority" in requests.columns:
        mask &= requests["priority"] == priority
    return mask.fillna(False).astype(bool)


def clock_hours(
    requests: pd.DataFrame, end: pd.Series, calendar: Calendar
) -> pd.Series:
    """Working hours from received_at to `end`, with the on-hold interval taken off. A hold
    with no end (on hold now) lasts until `end`."""
    paused = None
    if "on_hold_from" in requests.columns and "on_hold_until" in requests.columns:
        until = requests["on_hold_until"]
        on_hold_now = requests["on_hold_from"].notna() & until.isna()
        paused = [(requests["on_hold_from"], until.mask(on_hold_now, end))]
    return working_hours_between(requests["received_at"], end, calendar, paused=paused)


def due_times(requests: pd.DataFrame, hours: float, calendar: Calendar) -> pd.Series:
    """When each request's clock reaches `hours` of working time, allowing for time on hold.

    Without a hold, due = received + target. If the hold starts before that, the clock stops
    at the hold (with `e` hours used) and restarts when it ends: due = hold end + (target - e).
    A request still on hold (no hold end) has no due time yet (NaT).
    """
    received = requests["received_at"]
    due = add_working_time(received, hours, calendar)
    if "on_hold_from" not in requests.columns or "on_hold_until" not in requests.columns:
        return due
    hold_from = requests["on_hold_from"].mask(requests["on_hold_from"] < received, received)
    hold_until = requests["on_hold_until"]
    held = hold_from.notna() & hold_until.notna() & (hold_from < due)
    on_hold_now = hold_from.notna() & hold_until.isna() & (hold_from < due)
    if held.any() or on_hold_now.any():
        due = due.copy()
    if held.any():
        used = working_hours_between(received[held], hold_from[held], calendar)
        restart = add_working_time(hold_until[held], (hours - used).clip(lower=0), calendar)
        due[held] = restart
    due[on_hold_now] = pd.NaT
    return due.rename("due_at")


def measure(
    requests: pd.DataFrame, standards: pd.DataFrame, as_of: Any = None
) -> pd.DataFrame:
    """One row per (standard, request it applies to): working time, due time and status.

    Columns: standard_id, measure, target_hours, request_id, provider_team,
    requester_department, priority, month (YYYY-MM of received_at), received_at, due_at,
    completed_at, working_hours (to completion, or so far for an open request), status
    (met, breached, open_breached, open_not_due), reopened, contacts, resolved,
    from_resolution (a first response taken from the resolution time).

    First-response standards are left out when the log has no first-response time at all
    (see `report_notes`).
    """
    _check_columns(requests, ("request_id", "provider_team", "requester_department", "received_at"), "requests")
    _check_columns(standards, ("standard_id", "provider_team", "measure", "target"), "standards")
    period_end = default_as_of(requests) if as_of is None else pd.Timestamp(as_of)
    requests = requests[requests["received_at"] <= period_end]
    parts = []
    for _, standard in standards.iterrows():
        mine = requests[applies_to(standard, requests)]
        if mine.empty:
            continue
        measure_name = str(standard["measure"])
        if measure_name not in MEASURE_COLUMN:
            raise DataError(f"standard {standard['standard_id']}: unknown measure '{measure_name}'")
        if not _has_times(requests, MEASURE_COLUMN[measure_name]):
            continue  # nothing to measure it by: report_notes says so
        calendar = calendar_for(standard)
        hours = target_hours(standard)
        completed = mine[MEASURE_COLUMN[measure_name]]
        from_resolution = pd.Series(False, index=mine.index)
        if measure_name == "first_response" and "resolved_at" in mine.columns:
            from_resolution = completed.isna() & (mine["resolved_at"] <= period_end)
            completed = completed.fillna(mine["resolved_at"])
        completed = completed.where(completed <= period_end)
        done = completed.notna()
        so_far = completed.fillna(period_end)
        elapsed = clock_hours(mine, so_far, calendar)
        within = elapsed <= hours + 1e-9
        status = np.select(
            [done & within, done & ~within, ~done & ~within],
            ["met", "breached", "open_breached"],
            default="open_not_due",
        )
        part = pd.DataFrame(
            {
                "standard_id": standard["standard_id"],
                "measure": measure_name,
                "target_hours": hours,
                "request_id": mine["request_id"],
                "provider_team": mine["provider_team"],
                "requester_department": mine["requester_department"],
                "priority": mine["priority"] if "priority" in mine.columns else pd.NA,
                "month": mine["received_at"].dt.strftime("%Y-%m"),
                "received_at": mine["received_at"],
                "due_at": due_times(mine, hours, calendar),
                "completed_at": completed,
                "working_hours": elapsed,
                "status": status,
                "reopened": mine["reopened"] if "reopened" in mine.columns else 0,
                "contacts": mine["contacts"] if "contacts" in mine.columns else pd.NA,
                "resolved": mine["resolved_at"].notna() & (mine["resolved_at"] <= period_end)
                if "resolved_at" in mine.columns
                else False,
                "from_resolution": from_resolution,
            }
        )
        parts.append(part)
    if not parts:
        columns = ["standard_id", "measure", "target_hours", "request_id", "provider_team",
                   "requester_department", "priority", "month", "received_at", "due_at",
                   "completed_at", "working_hours", "status", "reopened", "contacts", "resolved",
                   "from_resolution"]
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)


def _has_times(requests: pd.DataFrame, column: str) -> bool:
    return column in requests.columns and bool(requests[column].notna().any())


def report_notes(requests: pd.DataFrame, standards: pd.DataFrame,
                 measured: pd.DataFrame) -> list[str]:
    """What a reader of the report must know about how it was measured, in words: standards
    left out for want of times, and first responses taken from the resolution time."""
    notes = []
    for measure_name, column in MEASURE_COLUMN.items():
        ids = standards.loc[standards["measure"] == measure_name, "standard_id"].astype(str)
        if len(ids) and not _has_times(requests, column):
            clock = measure_name.replace("_", "-")
            notes.append(f"{', '.join(ids)} ({clock}) left out: the request log has no "
                         f"{column} times, so the {clock} measure is not available.")
    if len(measured):
        used = measured[measured["from_resolution"].astype(bool)]
        counts = used.groupby("standard_id").size()
        totals = measured.groupby("standard_id").size()
        for standard_id, count in counts.items():
            notes.append(f"{standard_id} (first-response): {count:,} of {totals[standard_id]:,} "
                          "requests have no first-response time, so their resolution time is "
                          "used as the first response.")
    return notes


def compliance(measured: pd.DataFrame, by: Sequence[str] = DEFAULT_BY) -> pd.DataFrame:
    """Per standard and `by` groups (default team, requester department, month):

    - requests: how many the standard applied to; measured = met + breached (open breaches
      included); met; breached; open_not_due (left out of the percentage)
    - pct_within: met / measured x 100
    - median_hours, p90_hours: working hours of completed requests (linear interpolation)
    - reopen_pct: % of resolved requests reopened at least once
    - fcr_pct: first-contact resolution, % of resolved requests (with a contacts count)
      sorted in one contact and never reopened
    """
    keys = ["standard_id", *by]
    status = measured["status"]
    resolved = measured["resolved"].astype(bool)
    reopened = pd.to_numeric(measured["reopened"], errors="coerce").fillna(0) > 0
    contacts = pd.to_numeric(measured["contacts"], errors="coerce")
    helper = measured[keys].copy()
    helper["requests"] = 1
    helper["met"] = (status == "met").astype(int)
    helper["breached"] = status.isin(["breached", "open_breached"]).astype(int)
    helper["open_breached"] = (status == "open_breached").astype(int)
    helper["open_not_due"] = (status == "open_not_due").astype(int)
    helper["done_hours"] = measured["working_hours"].where(status.isin(["met", "breached"]))
    helper["reopen"] = reopened.astype(float).where(resolved)
    helper["fcr"] = ((contacts == 1) & ~reopened).astype(float).where(resolved & contacts.notna())
    grouped = helper.groupby(keys, sort=True, dropna=False)
    table = grouped[["requests", "met", "breached", "open_breached", "open_not_due"]].sum()
    table.insert(1, "measured", table["met"] + table["breached"])
    table["pct_within"] = 100 * table["met"] / table["measured"].where(table["measured"] > 0)
    table["median_hours"] = grouped["done_hours"].median()
    table["p90_hours"] = grouped["done_hours"].quantile(0.9)
    table["reopen_pct"] = 100 * grouped["reopen"].mean()
    table["fcr_pct"] = 100 * grouped["fcr"].mean()
    return table.reset_index()


def compliance_grid(by_team_month: pd.DataFrame, value: str = "pct_within") -> pd.DataFrame:
    """One row per standard (with its team), one column per month: e.g. % within target."""
    grid = by_team_month.pivot_table(index=["standard_id", "provider_team"], columns="month",
                                     values=value, aggfunc="first", sort=True)
    grid.columns = [str(c) for c in grid.columns]
    return grid.reset_index()


def breach_list(measured: pd.DataFrame) -> pd.DataFrame:
    """Every breach (open breaches too), worst first, with its due time and hours over target."""
    breaches = measured[measured["status"].isin(["breached", "open_breached"])]
    out = breaches[["standard_id", "request_id", "provider_team", "requester_department",
                    "priority", "received_at", "due_at", "completed_at", "working_hours",
                    "target_hours", "status"]].copy()
    out["hours_over"] = out["working_hours"] - out["target_hours"]
    return out.sort_values(["hours_over", "standard_id", "request_id"],
                           ascending=[False, True, True]).reset_index(drop=True)


def team_calendars(standards: pd.DataFrame | None) -> dict[str, Calendar]:
    """Each provider team's calendar: the one of its first standard."""
    if standards is None:
        return {}
    out: dict[str, Calendar] = {}
    for _, standard in standards.iterrows():
        out.setdefault(str(standard["provider_team"]), calendar_for(standard))
    return out


def age_band(days: pd.Series) -> pd.Series:
    """The backlog age band of each age in working days (see AGE_BANDS)."""
    edges = [lo for _, lo, _ in AGE_BANDS] + [float("inf")]
    labels = [name for name, _, _ in AGE_BANDS]
    return pd.cut(days, bins=edges, labels=labels, right=False)


def backlog(
    requests: pd.DataFrame,
    standards: pd.DataFrame | None = None,
    as_of: Any = None,
    by: Sequence[str] = ("provider_team",),
) -> pd.DataFrame:
    """Requests still open at each month end, by `by` groups and age band (in working days).

    A request is open at a moment if it was received before it and not resolved by it. Age
    is working time since received (clock stopped while on hold), in the team's working days
    (calendar of the team's first standard; Mon-Fri 09:00-17:00 otherwise). The last period
    ends at `as_of` (default: the latest time in the log).
    """
    period_end = default_as_of(requests) if as_of is None else pd.Timestamp(as_of)
    calendars = team_calendars(standards)
    first = requests["received_at"].min().to_period("M")
    months = pd.period_range(first, period_end.to_period("M"), freq="M")
    resolved = requests["resolved_at"] if "resolved_at" in requests.columns else pd.Series(pd.NaT, index=requests.index)
    received = requests["received_at"].to_numpy()
    done = resolved.to_numpy()
    picks, cuts, names = [], [], []
    for month in months:
        cut = min(month.end_time.floor("s") + pd.Timedelta(seconds=1), period_end)
        cut64 = np.datetime64(cut.to_datetime64(), "ns")
        open_now = np.flatnonzero((received < cut64) & ~(done < cut64))
        picks.append(open_now)
        cuts.append(np.full(len(open_now), cut64))
        names.append(np.full(len(open_now), str(month), dtype=object))
    pick = np.concatenate(picks)
    rows = []
    if len(pick):
        snapshot = requests.iloc[pick].reset_index(drop=True)
        cut_at = pd.Series(np.concatenate(cuts), index=snapshot.index)
        age = pd.Series(np.nan, index=snapshot.index)
        for team, group in snapshot.groupby("provider_team"):
            calendar = calendars.get(str(team), Calendar())
            hours = clock_hours(group, cut_at[group.index], calendar)
            age[group.index] = hours / calendar.day_hours
        frame = snapshot[list(by)].copy()
        frame["month"] = np.concatenate(names)
        frame["band"] = age_band(age)
        rows.append(frame)
    labels = [name for name, _, _ in AGE_BANDS]
    if not rows:
        return pd.DataFrame(columns=[*by, "month", "open", *labels])
    every = pd.concat(rows, ignore_index=True)
    table = every.groupby([*by, "month", "band"], observed=False).size().unstack("band", fill_value=0)
    table = table.reindex(columns=labels, fill_value=0)
    table.columns = list(table.columns)
    table.insert(0, "open", table.sum(axis=1))
    table = table[table["open"] > 0]
    return table.reset_index()


def share_within(hours: pd.Series, target: float) -> float:
    """% of completed requests (working hours known) that took at most `target` working hours."""
    done = pd.to_numeric(hours, errors="coerce").dropna()
    if done.empty:
        return float("nan")
    return float(100 * (done <= target + 1e-9).mean())


def history_hours(
    requests: pd.DataFrame, team: str | None, measure_name: str, calendar: Calendar | None = None
) -> pd.Series:
    """Working hours each completed request of `team` (all teams if None) took for a measure."""
    mine = requests if team is None else requests[requests["provider_team"] == team]
    completed = mine[MEASURE_COLUMN[measure_name]]
    if measure_name == "first_response" and "resolved_at" in mine.columns:
        completed = completed.fillna(mine["resolved_at"])
    mine = mine[completed.notna()]
    return clock_hours(mine, completed[completed.notna()], calendar or Calendar()).rename("working_hours")


@dataclass(frozen=True)
class SlaReport:
    """Everything `ilcs sla report` prints: each table is a DataFrame."""

    as_of: pd.Timestamp
    standards: pd.DataFrame  # per standard overall
    compliance: pd.DataFrame  # per standard, team, department, month
    by_team_month: pd.DataFrame  # per standard, team, month
    backlog: pd.DataFrame
    breaches: pd.DataFrame
    measured: pd.DataFrame
    notes: tuple[str, ...] = ()  # how it was measured, in words (see report_notes)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "standards": self.standards,
            "compliance": self.compliance,
            "by_team_month": self.by_team_month,
            "backlog": self.backlog,
            "breaches": self.breaches,
        }


def sla_report(requests: pd.DataFrame, standards: pd.DataFrame, as_of: Any = None) -> SlaReport:
    """Measure every standard and build every summary table at once."""
    period_end = default_as_of(requests) if as_of is None else pd.Timestamp(as_of)
    measured = measure(requests, standards, period_end)
    overall = compliance(measured, by=())
    overall = standards[["standard_id", "provider_team", "description", "measure"]].merge(
        overall, on="standard_id", how="left"
    )
    overall.insert(4, "target_hours", [target_hours(s) for _, s in standards.iterrows()])
    return SlaReport(
        as_of=period_end,
        standards=overall,
        compliance=compliance(measured),
        by_team_month=compliance(measured, by=("provider_team", "month")),
        backlog=backlog(requests, standards, period_end),
        breaches=breach_list(measured),
        measured=measured,
        notes=tuple(report_notes(requests, standards, measured)),
    )


def expectation_vs_delivery(overall: pd.DataFrame) -> pd.DataFrame:
    """What each standard promised next to what customers actually got (from `SlaReport.standards`).

    Columns: standard_id, provider_team, promised_hours (the target), typical_hours (median),
    slowest_tenth_hours (90th percentile: 1 request in 10 took longer), pct_kept, and a verdict
    in words: "kept 9 times in 10 or more", "kept most of the time" (75-90%) or
    "missed more than 1 time in 4".
    """
    out = pd.DataFrame({
        "standard_id": overall["standard_id"],
        "provider_team": overall["provider_team"],
        "promised_hours": overall["target_hours"],
        "typical_hours": overall["median_hours"],
        "slowest_tenth_hours": overall["p90_hours"],
        "pct_kept": overall["pct_within"],
    })
    out["verdict"] = np.select(
        [out["pct_kept"] >= 90, out["pct_kept"] >= 75],
        ["kept 9 times in 10 or more", "kept most of the time"],
        default="missed more than 1 time in 4",
    )
    return out.reset_index(drop=True)


def simple_standards(teams: Sequence[str], measure_name: str, target: float,
                     unit: str = "working_hours", nation: str = "england-and-wales") -> pd.DataFrame:
    """One standard for each team (e.g. for a trainee's own export with no standards file yet)."""
    if measure_name not in MEASURE_COLUMN:
        raise DataError(f"measure must be first_response or resolution, not '{measure_name}'")
    if not target > 0:
        raise DataError("the target must be more than 0")
    clock = "respond to" if measure_name == "first_response" else "resolve"
    words = "working hour" if unit == "working_hours" else "working day"
    words += "" if target == 1 else "s"
    rows = [
        {"standard_id": f"OWN-{i + 1:02d}", "provider_team": team,
         "description": f"{team} will {clock} every request within {target:g} {words}.",
         "measure": measure_name, "priority": None, "target": float(target), "unit": unit,
         "nation": nation, "opens": "09:00", "closes": "17:00", "lunch": None}
        for i, team in enumerate(sorted({str(t) for t in teams}))
    ]
    return pd.DataFrame(rows)
