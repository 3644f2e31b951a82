"""The service map: which team serves which department, how much and how fast.

Built from the request log (one row per request): every request is a department (the
internal customer) asking a provider team for a service. "How fast" is the median working
time from receipt to resolution of the requests that were resolved, counted on the provider
team's working calendar (from its service standards; 09:00-17:00 Monday to Friday without
bank holidays in England and Wales when the team has none), with time on hold taken off, as
in the SLA engine (`ilcs.standards.measures`).
"""

from __future__ import annotations

import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.standards.measures import clock_hours, team_calendars
from ilcs.working_time import Calendar

MAP_COLUMNS = ("provider_team", "requester_department", "requests", "resolved",
               "median_hours", "share_pct")
_NEEDED = ("request_id", "requester_department", "provider_team", "received_at", "resolved_at")


def _check(requests: pd.DataFrame) -> None:
    missing = [c for c in _NEEDED if c not in requests.columns]
    if missing:
        raise DataError([Problem(f"the request log has no '{c}' column", column=c)
                         for c in missing])
    if requests.empty:
        raise DataError(Problem("the request log has no requests, so there is nothing to map"))


def resolution_hours(requests: pd.DataFrame, standards: pd.DataFrame | None = None
                     ) -> pd.Series:
    """Working hours from receipt to resolution of each resolved request (index kept).

    Open requests are left out (they have no resolution time yet).
    """
    _check(requests)
    calendars = team_calendars(standards)
    default = Calendar.standard()
    done = requests[requests["resolved_at"].notna()]
    parts = []
    for team, rows in done.groupby("provider_team", sort=True):
        calendar = calendars.get(str(team), default)
        parts.append(clock_hours(rows, rows["resolved_at"], calendar))
    if not parts:
        return pd.Series(dtype=float, name="working_hours")
    return pd.concat(parts).sort_index().rename("working_hours")


def service_map(requests: pd.DataFrame, standards: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (provider team, requesting department) pair that has any requests.

    Columns: provider_team, requester_department, requests (how many asked), resolved (how
    many resolved), median_hours (median working hours to resolve, NaN when none resolved),
    share_pct (this department's % of the provider team's requests).
    Sorted by provider team, then by requests (most first), then department.
    """
    _check(requests)
    hours = resolution_hours(requests, standards)
    table = requests[["provider_team", "requester_department"]].copy()
    table["resolved"] = requests["resolved_at"].notna()
    table["hours"] = hours.reindex(requests.index)
    grouped = table.groupby(["provider_team", "requester_department"], sort=True)
    out = grouped.agg(requests=("resolved", "size"), resolved=("resolved", "sum"),
                      median_hours=("hours", "median")).reset_index()
    team_total = out.groupby("provider_team")["requests"].transform("sum")
    out["share_pct"] = out["requests"] / team_total * 100
    out["requests"] = out["requests"].astype(int)
    out["resolved"] = out["resolved"].astype(int)
    out = out.sort_values(["provider_team", "requests", "requester_department"],
                          ascending=[True, False, True], kind="mergesort")
    return out[list(MAP_COLUMNS)].reset_index(drop=True)


def map_grid(table: pd.DataFrame, value: str = "requests") -> pd.DataFrame:
    """The map as a grid: one row per provider team, one column per department (0 = none)."""
    grid = table.pivot(index="provider_team", columns="requester_department", values=value)
    if value in ("requests", "resolved"):
        grid = grid.fillna(0).astype(int)
    return grid.sort_index().sort_index(axis=1)


def team_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per provider team: requests, departments served, and its biggest customer."""
    rows = []
    for team, part in table.groupby("provider_team", sort=True):
        top = part.sort_values(["requests", "requester_department"],
                               ascending=[False, True], kind="mergesort").iloc[0]
        rows.append({"provider_team": team, "requests": int(part["requests"].sum()),
                     "departments": int(len(part)),
                     "biggest_customer": str(top["requester_department"]),
                     "biggest_customer_requests": int(top["requests"])})
    return pd.DataFrame(rows, columns=["provider_team", "requests", "departments",
                                       "biggest_customer", "biggest_customer_requests"])
