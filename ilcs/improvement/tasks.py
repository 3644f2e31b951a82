"""Data tasks of the improvement topic (criterion 6.3), computed by this topic's core.

Each task is called as `task(data_dir, **params)` on a folder holding the sample files
(requests.csv, standards.csv, complaints.csv), so the figure a question asks for and the one
notebook 08 and the improvement board show come from the same functions. `TASKS` at the bottom
names them for the question bank.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ilcs.errors import DataError
from ilcs.improvement.compare import compare_proportions, compare_values
from ilcs.improvement.measures import (
    before_after,
    complaint_causes,
    late_requests,
    weekly_chart,
    within_counts,
)
from ilcs.improvement.pareto import pareto
from ilcs.standards.measures import SlaReport, sla_report


def _versions(folder: Path, names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple((folder / n).stat().st_mtime_ns if (folder / n).exists() else 0 for n in names)


def sample_report(data_dir: Any) -> SlaReport:
    """The SLA report of a data folder, computed once per version of its files."""
    folder = Path(data_dir).resolve()
    return _report(str(folder), _versions(folder, ("requests.csv", "standards.csv")))


@lru_cache(maxsize=4)
def _report(folder: str, _versions: tuple[int, ...]) -> SlaReport:
    from ilcs.io import load

    return sla_report(load(Path(folder) / "requests.csv", "requests"),
                      load(Path(folder) / "standards.csv", "standards"))


def sample_complaints(data_dir: Any) -> pd.DataFrame:
    folder = Path(data_dir).resolve()
    return _complaints(str(folder), _versions(folder, ("complaints.csv",)))


def sample_requests(data_dir: Any) -> pd.DataFrame:
    folder = Path(data_dir).resolve()
    return _requests(str(folder), _versions(folder, ("requests.csv",)))


@lru_cache(maxsize=4)
def _requests(folder: str, _versions: tuple[int, ...]) -> pd.DataFrame:
    from ilcs.io import load

    return load(Path(folder) / "requests.csv", "requests")


@lru_cache(maxsize=4)
def _complaints(folder: str, _versions: tuple[int, ...]) -> pd.DataFrame:
    from ilcs.io import load

    return load(Path(folder) / "complaints.csv", "complaints")


def task_top_cause_share(data_dir: Any, team: str | None = None) -> float:
    """% of complaints (about one team, or all) in the largest category of the Pareto chart."""
    table = pareto(complaint_causes(sample_complaints(data_dir), team))
    return float(table["pct"].iloc[0])


def task_vital_few(data_dir: Any, team: str | None = None, cut_off: float = 80.0) -> float:
    """How many complaint categories make up the vital few (reach `cut_off` % together)."""
    table = pareto(complaint_causes(sample_complaints(data_dir), team), cut_off=cut_off)
    return float(table["vital_few"].sum())


def task_late_share(data_dir: Any, team: str, measure: str, value: str, by: str = "channel",
                    before: str | None = None) -> float:
    """% of a team's late requests (before a date, if given) whose `by` column is `value`."""
    late = late_requests(sample_report(data_dir), sample_requests(data_dir), team, measure, by,
                         before)
    table = pareto(late)
    rows = table[table["cause"] == value]
    return float(rows["pct"].iloc[0]) if len(rows) else 0.0


def task_median_hours(data_dir: Any, team: str, measure: str, change_on: str,
                      period: str) -> float:
    """The median working hours of a team's requests before or after a change."""
    before, after = before_after(sample_report(data_dir), team, measure, change_on)
    if period not in ("before", "after"):
        raise DataError(f"period must be 'before' or 'after', not '{period}'")
    return float(compare_values(before, after).before if period == "before"
                 else compare_values(before, after).after)


def task_within_change(data_dir: Any, team: str, measure: str, change_on: str) -> float:
    """The change in % within target (percentage points) from before to after a change."""
    return float(compare_proportions(*within_counts(sample_report(data_dir), team, measure,
                                                    change_on)).difference)


def task_signal_week(data_dir: Any, team: str, measure: str, choices: dict[str, str]) -> str:
    """Which of the weeks offered (option id -> week label 'DD/MM') is beyond the limits of
    the team's weekly control chart."""
    _, chart = weekly_chart(sample_report(data_dir), team, measure)
    beyond = {chart.labels[s.first] for s in chart.signals if s.rule == "beyond the limits"}
    hits = sorted(option for option, week in choices.items() if week in beyond)
    if len(hits) != 1:
        raise DataError(f"{len(hits)} of the weeks offered are beyond the limits: exactly one "
                        "should be")
    return hits[0]


def task_centre_line(data_dir: Any, team: str, measure: str) -> float:
    """The centre line of a team's weekly control chart (a % for a share within target)."""
    _, chart = weekly_chart(sample_report(data_dir), team, measure)
    return float(chart.centre[0] * (100 if chart.kind == "p" else 1))


#: Task name (as written in the question bank) -> function.
TASKS: dict[str, Callable[..., float | str]] = {
    "improvement_centre_line": task_centre_line,
    "improvement_late_share": task_late_share,
    "improvement_median_hours": task_median_hours,
    "improvement_signal_week": task_signal_week,
    "improvement_top_cause_share": task_top_cause_share,
    "improvement_vital_few": task_vital_few,
    "improvement_within_change": task_within_change,
}
