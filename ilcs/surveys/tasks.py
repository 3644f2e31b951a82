"""Data tasks of the surveys topic: questions answered from a data folder's survey files.

Each task is called as `task(data_dir, **params)` on a folder holding survey_responses.csv,
survey_invitations.csv and org_chart.csv (the sample organisation by default), so a
question's answer and the figure notebooks 06 and 07 show come from the same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.surveys import evaluate as ev
from ilcs.surveys.questionnaire import Questionnaire, sample_questionnaire
from ilcs.surveys.responses import load_responses
from ilcs.surveys.themes import load_lexicon, themed_comments

FILES = ("survey_responses.csv", "survey_invitations.csv", "org_chart.csv")


def _folder(data_dir: Any) -> tuple[str, tuple[int, ...]]:
    folder = Path(data_dir).resolve()
    versions = tuple((folder / n).stat().st_mtime_ns if (folder / n).exists() else 0
                     for n in FILES)
    return str(folder), versions


@lru_cache(maxsize=4)
def _data_for(folder: str, _versions: tuple[int, ...]
              ) -> tuple[pd.DataFrame, pd.DataFrame, Questionnaire]:
    from ilcs.io import load

    base = Path(folder)
    org_chart = load(base / "org_chart.csv", "org_chart") if (base / "org_chart.csv").exists() \
        else None
    questionnaire = sample_questionnaire()
    responses = load_responses(base / "survey_responses.csv", questionnaire,
                               org_chart=org_chart).responses
    invitations = load(base / "survey_invitations.csv", "survey_invitations")
    return responses, invitations, questionnaire


def _data(data_dir: Any) -> tuple[pd.DataFrame, pd.DataFrame, Questionnaire]:
    return _data_for(*_folder(data_dir))


def _subset(responses: pd.DataFrame, wave: int | None, team: str | None) -> pd.DataFrame:
    part = responses
    if wave is not None:
        part = part[part["wave"] == int(wave)]
    if team is not None:
        part = part[part["about_team"] == team]
        if part.empty:
            raise DataError(Problem(f"no responses about team '{team}'"))
    return part


def _number(value: object, what: str) -> float:
    if isinstance(value, str):  # suppressed: a group too small to show
        raise DataError(Problem(f"{what}: {value} respondents, so it is not shown"))
    return float(value)  # type: ignore[arg-type]


def task_top_two_box(data_dir: Any, item: str, wave: int | None = None,
                     team: str | None = None) -> float:
    """% giving one of the two most favourable answers to `item`."""
    responses, _, q = _data(data_dir)
    table = ev.item_summary(_subset(responses, wave, team), q, items=[item])
    return _number(table["top2_pct"].iloc[0], f"top-two box of {item}")


def task_recommend_score(data_dir: Any, wave: int | None = None,
                         team: str | None = None) -> float:
    """The 0-10 recommend score (% 9-10 minus % 0-6)."""
    responses, _, q = _data(data_dir)
    table = ev.recommend_table(_subset(responses, wave, team), q)
    return _number(table["score"].iloc[0], "recommend score")


def task_response_rate(data_dir: Any, department: str, wave: int) -> float:
    """% of a department's invited staff who responded in a wave."""
    responses, invitations, _ = _data(data_dir)
    table = ev.response_rates(responses, invitations, wave=int(wave))
    rows = table[table["department"] == department]
    if len(rows) != 1:
        raise DataError(Problem(f"no invitations for department '{department}' in wave {wave}"))
    return _number(rows["rate_pct"].iloc[0], f"response rate of {department}")


def task_biggest_fall(data_dir: Any, item: str, choices: dict[str, str]) -> str:
    """Which of the teams offered (option id -> team) fell most on `item`'s top-two box from
    wave 1 to wave 2."""
    responses, _, q = _data(data_dir)
    table = ev.wave_changes(responses, q, item).set_index("group")
    change = {option: _number(table.loc[team, "change"], f"change for {team}")
              for option, team in choices.items()}
    return min(change, key=lambda option: (change[option], option))


def task_alpha(data_dir: Any, scale: str) -> float:
    """Cronbach's alpha of a named scale (both waves)."""
    responses, _, q = _data(data_dir)
    table = ev.scale_reliability(responses, q).set_index("scale")
    if scale not in table.index:
        raise DataError(Problem(f"the questionnaire has no scale '{scale}'"))
    return float(table["alpha"].loc[scale])


def task_theme_count(data_dir: Any, theme: str, team: str | None = None,
                     wave: int | None = None) -> float:
    """How many comments (about `team`, in `wave`) belong to a theme of the sample lexicon."""
    responses, _, _ = _data(data_dir)
    themed = themed_comments(_subset(responses, wave, team), load_lexicon())
    return float((themed["theme"] == theme).sum())


#: Task name (as written in the question bank) -> function.
TASKS: dict[str, Callable[..., float | str]] = {
    "survey_alpha": task_alpha,
    "survey_biggest_fall": task_biggest_fall,
    "survey_recommend_score": task_recommend_score,
    "survey_response_rate": task_response_rate,
    "survey_theme_count": task_theme_count,
    "survey_top_two_box": task_top_two_box,
}
