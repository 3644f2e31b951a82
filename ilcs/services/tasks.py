"""Data tasks of the services topic (criteria 1.1-3.4), answered from a data folder.

Each task is called as `task(data_dir, **params)` on a folder holding the sample files
(requests.csv, standards.csv, survey_responses.csv); the notebooks show the same figures
from the same core functions. `TASKS` names them for the question bank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.services.chain import chain_table, late_link
from ilcs.services.expectations import standards_vs_satisfaction, statement_agreement
from ilcs.services.service_map import service_map


def _versions(folder: Path, names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple((folder / n).stat().st_mtime_ns if (folder / n).exists() else 0 for n in names)


@lru_cache(maxsize=4)
def _files(folder: str, _versions: tuple[int, ...]) -> dict[str, pd.DataFrame]:
    from ilcs.io import load

    base = Path(folder)
    return {kind: load(base / f"{kind}.csv", kind)
            for kind in ("requests", "standards", "survey_responses")}


def _data(data_dir: Any) -> dict[str, pd.DataFrame]:
    folder = Path(data_dir).resolve()
    names = ("requests.csv", "standards.csv", "survey_responses.csv")
    return _files(str(folder), _versions(folder, names))


def _pick(values: Mapping[str, Any], what: str, *, lowest: bool) -> str:
    """The option id whose value is lowest (or highest); the first option id on a tie."""
    if not values:
        raise DataError(Problem(f"no choices given for {what}"))
    best = min(values.values()) if lowest else max(values.values())
    return sorted(k for k, v in values.items() if v == best)[0]


def _map_row(data: dict[str, pd.DataFrame], team: str, department: str) -> pd.Series:
    table = service_map(data["requests"], data["standards"])
    rows = table[(table["provider_team"] == team) & (table["requester_department"] == department)]
    if len(rows) != 1:
        raise DataError(Problem(f"no requests from {department} to {team} in the request log"))
    return rows.iloc[0]


def task_map_requests(data_dir: Any, team: str, department: str) -> float:
    """How many requests a department made of a provider team."""
    return float(_map_row(_data(data_dir), team, department)["requests"])


def task_map_median_hours(data_dir: Any, team: str, department: str) -> float:
    """Median working hours a provider team took to resolve a department's requests."""
    return float(_map_row(_data(data_dir), team, department)["median_hours"])


def task_biggest_customer(data_dir: Any, team: str, choices: dict[str, str]) -> str:
    """Which of the departments offered (option id -> department) asked a team most often."""
    data = _data(data_dir)
    counts = {option: float(_map_row(data, team, dept)["requests"])
              for option, dept in choices.items()}
    return _pick(counts, "the biggest customer", lowest=False)


def _chain(data_dir: Any) -> pd.DataFrame:
    data = _data(data_dir)
    return chain_table(data["requests"], data["standards"])


def task_chain_late_link(data_dir: Any, choices: dict[str, str]) -> str:
    """Which option (option id -> step name) is the chain's late link."""
    step = str(late_link(_chain(data_dir))["step"])
    found = [option for option, name in choices.items() if name == step]
    if not found:
        raise DataError(Problem(f"the late link, {step}, is not one of the choices"))
    return found[0]


def task_chain_pct_within(data_dir: Any, step: str) -> float:
    """% of a chain link's measured requests that met the team's resolution standard."""
    table = _chain(data_dir)
    rows = table[table["step"] == step]
    if len(rows) != 1:
        raise DataError(Problem(f"the chain has no step called {step!r}"))
    return float(rows.iloc[0]["pct_within"])


def _expectations(data_dir: Any) -> pd.DataFrame:
    data = _data(data_dir)
    return standards_vs_satisfaction(data["requests"], data["standards"],
                                     data["survey_responses"])


def _expectation_row(data_dir: Any, team: str, wave: int) -> pd.Series:
    table = _expectations(data_dir)
    rows = table[(table["provider_team"] == team) & (table["wave"] == int(wave))]
    if len(rows) != 1:
        raise DataError(Problem(f"no figures for {team} in wave {wave}"))
    return rows.iloc[0]


def task_pct_satisfied(data_dir: Any, team: str, wave: int) -> float:
    """% of a team's survey responses in a wave that were satisfied overall (4 or 5)."""
    return float(_expectation_row(data_dir, team, wave)["pct_satisfied"])


def task_pct_kept(data_dir: Any, team: str, wave: int) -> float:
    """% of a team's measured requests within standard in the 3 months before a wave."""
    return float(_expectation_row(data_dir, team, wave)["pct_within"])


def task_most_satisfied_gain(data_dir: Any, choices: dict[str, str]) -> str:
    """Which team (option id -> team) gained most in % satisfied from wave 1 to wave 2."""
    table = _expectations(data_dir)
    gains = {}
    for option, team in choices.items():
        before = table[(table["provider_team"] == team) & (table["wave"] == 1)]["pct_satisfied"]
        after = table[(table["provider_team"] == team) & (table["wave"] == 2)]["pct_satisfied"]
        if len(before) != 1 or len(after) != 1:
            raise DataError(Problem(f"no figures for {team} in both waves"))
        gains[option] = float(after.iloc[0] - before.iloc[0])
    return _pick(gains, "the biggest gain", lowest=False)


def task_least_agreed(data_dir: Any, team: str, wave: int, choices: dict[str, str]) -> str:
    """Which survey statement (option id -> column) a team's customers agreed with least."""
    table = statement_agreement(_data(data_dir)["survey_responses"], team, int(wave))
    pct = table.set_index("statement")["pct_agreed"]
    return _pick({option: float(pct[column]) for option, column in choices.items()},
                 "the statement agreed least", lowest=True)


def task_pct_agreed(data_dir: Any, team: str, wave: int, statement: str) -> float:
    """% of a team's customers in a wave who agreed (4-5) with one survey statement."""
    table = statement_agreement(_data(data_dir)["survey_responses"], team, int(wave))
    return float(table.set_index("statement")["pct_agreed"].loc[statement])


#: Task name (as written in the question bank) -> function.
TASKS: dict[str, Callable[..., float | str]] = {
    "services_biggest_customer": task_biggest_customer,
    "services_chain_late_link": task_chain_late_link,
    "services_chain_pct_within": task_chain_pct_within,
    "services_least_agreed": task_least_agreed,
    "services_map_median_hours": task_map_median_hours,
    "services_map_requests": task_map_requests,
    "services_most_satisfied_gain": task_most_satisfied_gain,
    "services_pct_agreed": task_pct_agreed,
    "services_pct_kept": task_pct_kept,
    "services_pct_satisfied": task_pct_satisfied,
}
