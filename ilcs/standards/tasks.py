"""Data tasks of the standards topic: questions answered from a data folder's request log.

Each task is called as `task(data_dir, **params)` on a folder holding requests.csv and
standards.csv (the sample organisation by default), so a question's answer and the figure the
notebook shows come from the same functions. `TASKS` at the bottom names them for the question
bank; `ilcs.assessment.data_tasks` finds it without being edited.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ilcs.errors import DataError
from ilcs.standards.measures import SlaReport, share_within, sla_report


def _sample_report(data_dir: Any, as_of: Any = None) -> SlaReport:
    """The SLA report of a data folder, computed once per version of its files (a question
    bank asks several data tasks of the same folder; each import marks them all)."""
    folder = Path(data_dir).resolve()
    versions = tuple((folder / name).stat().st_mtime_ns if (folder / name).exists() else 0
                     for name in ("requests.csv", "standards.csv"))
    return _report_for(str(folder), versions, None if as_of is None else str(as_of))


@lru_cache(maxsize=4)
def _report_for(folder: str, _versions: tuple[int, ...], as_of: str | None) -> SlaReport:
    from ilcs.io import load

    requests = load(Path(folder) / "requests.csv", "requests")
    standards = load(Path(folder) / "standards.csv", "standards")
    return sla_report(requests, standards, as_of)


def _one_row(table: pd.DataFrame, what: str, **where: Any) -> pd.Series:
    rows = table
    for column, value in where.items():
        rows = rows[rows[column] == value]
    if len(rows) != 1:
        found = ", ".join(f"{k}={v}" for k, v in where.items())
        raise DataError(f"no single row of {what} for {found}")
    return rows.iloc[0]


def task_pct_within(data_dir: Any, standard_id: str, month: str | None = None) -> float:
    """% of requests within target for a standard (in one month 'YYYY-MM', or the whole period)."""
    report = _sample_report(data_dir)
    if month is None:
        return float(_one_row(report.standards, "standards", standard_id=standard_id)["pct_within"])
    row = _one_row(report.by_team_month, "monthly compliance", standard_id=standard_id, month=month)
    return float(row["pct_within"])


def task_breaches(data_dir: Any, standard_id: str, month: str | None = None) -> float:
    """How many requests breached a standard (open breaches included)."""
    report = _sample_report(data_dir)
    if month is None:
        return float(_one_row(report.standards, "standards", standard_id=standard_id)["breached"])
    row = _one_row(report.by_team_month, "monthly compliance", standard_id=standard_id, month=month)
    return float(row["breached"])


def task_median_hours(data_dir: Any, standard_id: str) -> float:
    """Median working hours of the finished requests a standard measured."""
    report = _sample_report(data_dir)
    return float(_one_row(report.standards, "standards", standard_id=standard_id)["median_hours"])


def task_target_share(data_dir: Any, standard_id: str, target_hours: float) -> float:
    """% of a standard's finished requests that a different target would have met (the slider)."""
    report = _sample_report(data_dir)
    rows = report.measured[(report.measured["standard_id"] == standard_id)
                           & report.measured["status"].isin(["met", "breached"])]
    return share_within(rows["working_hours"], float(target_hours))


def task_backlog_open(data_dir: Any, team: str, month: str) -> float:
    """Requests of a team still open at the end of a month."""
    report = _sample_report(data_dir)
    rows = report.backlog[(report.backlog["provider_team"] == team) & (report.backlog["month"] == month)]
    return float(rows["open"].sum())


def task_lowest_standard(data_dir: Any, month: str, choices: dict[str, str]) -> str:
    """Which of the standards offered (option id -> standard_id) had the lowest % within target."""
    report = _sample_report(data_dir)
    pct = {option: float(_one_row(report.by_team_month, "monthly compliance",
                                  standard_id=sid, month=month)["pct_within"])
           for option, sid in choices.items()}
    return min(pct, key=lambda option: (pct[option], option))


#: Task name (as written in the question bank) -> function.
TASKS: dict[str, Callable[..., float | str]] = {
    "sla_backlog_open": task_backlog_open,
    "sla_breaches": task_breaches,
    "sla_lowest_standard": task_lowest_standard,
    "sla_median_hours": task_median_hours,
    "sla_pct_within": task_pct_within,
    "sla_target_share": task_target_share,
}
