"""Data tasks of the complaints topic (criteria 5.1-5.3), answered from a data folder.

Each task is called as `task(data_dir, **params)` on a folder holding complaints.csv,
complaint_events.csv, requests.csv and org_chart.csv (the sample organisation by default),
so a question's answer and the figure notebook 05 shows come from the same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ilcs.complaints.measures import ALL_TEAMS, ComplaintsReport, complaints_report
from ilcs.complaints.routing import route
from ilcs.errors import DataError, Problem

FILES = ("complaints.csv", "complaint_events.csv", "requests.csv")


def _report(data_dir: Any) -> ComplaintsReport:
    folder = Path(data_dir).resolve()
    versions = tuple((folder / f).stat().st_mtime_ns if (folder / f).exists() else 0
                     for f in FILES)
    return _report_for(str(folder), versions)


@lru_cache(maxsize=4)
def _report_for(folder: str, _versions: tuple[int, ...]) -> ComplaintsReport:
    from ilcs.io import load, load_complaints

    complaints, events = load_complaints(Path(folder) / "complaints.csv",
                                         Path(folder) / "complaint_events.csv")
    requests = load(Path(folder) / "requests.csv", "requests")
    return complaints_report(complaints, events, requests)


def _team(report: ComplaintsReport, team: str) -> Any:
    rows = report.teams[report.teams["about_team"] == team]
    if len(rows) != 1:
        raise DataError(Problem(f"no complaints about a team called '{team}' (teams: "
                                f"{', '.join(report.team_names)})"))
    return rows.iloc[0]


def task_pct_within(data_dir: Any, timescale: str, team: str = ALL_TEAMS) -> float:
    """% of complaints acknowledged ('acknowledge') or answered ('respond') within the
    procedure's timescale, for one team or all teams."""
    if timescale not in ("acknowledge", "respond"):
        raise DataError(Problem("timescale must be 'acknowledge' or 'respond'"))
    column = "pct_ack_within" if timescale == "acknowledge" else "pct_respond_within"
    return float(_team(_report(data_dir), team)[column])


def task_rate(data_dir: Any, measure: str, team: str = ALL_TEAMS) -> float:
    """A team's % escalated, % reopened, % satisfied or complaints per 100 requests."""
    columns = {"escalated": "pct_escalated", "reopened": "pct_reopened",
               "satisfied": "pct_satisfied", "per_100_requests": "per_100_requests"}
    if measure not in columns:
        raise DataError(Problem(f"measure must be one of {', '.join(columns)}"))
    return float(_team(_report(data_dir), team)[columns[measure]])


def task_pareto_share(data_dir: Any, top: int) -> float:
    """Cumulative % of complaints in the `top` most common categories."""
    table = _report(data_dir).pareto
    return float(table["cumulative_pct"].iloc[int(top) - 1])


def task_open_count(data_dir: Any) -> float:
    """How many complaints are still open at the end of the log."""
    return float(_report(data_dir).timeline["open"].sum())


def task_route_handler(data_dir: Any, problem_type: str, department: str,
                       choices: dict[str, str]) -> str:
    """Which option (option id -> person) names the handler routing finds on the org chart."""
    from ilcs.io import load

    org_chart = load(Path(data_dir) / "org_chart.csv", "org_chart")
    found = route(problem_type, department, org_chart)
    for option, person in choices.items():
        if found.handler is not None and found.handler.person == person:
            return option
    raise DataError(Problem(f"none of the options names {found.handler or 'a handler'}"))


TASKS: dict[str, Callable[..., float | str]] = {
    "complaints_open_count": task_open_count,
    "complaints_pareto_share": task_pareto_share,
    "complaints_pct_within": task_pct_within,
    "complaints_rate": task_rate,
    "complaints_route_handler": task_route_handler,
}
