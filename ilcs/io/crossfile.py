"""Checks that need two files at once: complaints and their event logs; service standards
and the request log they are measured on."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.io.problems import ProblemLog


def check_complaint_events(
    complaints: pd.DataFrame,
    events: pd.DataFrame,
    *,
    complaints_file: str | None = None,
    events_file: str | None = None,
) -> None:
    """Raise one `DataError` if the two loaded tables disagree:
    events of a complaint that is not in the complaints file, complaints with no events,
    and a `received` event whose time differs from the complaint's `received_at`.
    """
    complaints_file = complaints_file or _name(complaints, "complaints.csv")
    events_file = events_file or _name(events, "complaint_events.csv")
    ev_log = ProblemLog(events_file)
    c_log = ProblemLog(complaints_file)
    known = set(complaints["complaint_id"].dropna())
    unknown = (~events["complaint_id"].isin(known)).to_numpy(dtype=bool)
    positions = np.flatnonzero(unknown)
    ev_log.add_rows(positions, "complaint_id",
                    [f"event for complaint '{events['complaint_id'].iloc[p]}', which is not in "
                     f"{complaints_file}" for p in positions[:50]])
    with_events = set(events["complaint_id"].dropna())
    no_events = (~complaints["complaint_id"].isin(with_events)).to_numpy(dtype=bool)
    positions = np.flatnonzero(no_events)
    c_log.add_rows(positions, "complaint_id",
                   [f"complaint '{complaints['complaint_id'].iloc[p]}' has no events in "
                    f"{events_file}" for p in positions[:50]])
    received = events[events["stage"] == "received"].drop_duplicates("complaint_id")
    merged = complaints.reset_index(names="_pos").merge(
        received[["complaint_id", "at"]], on="complaint_id", how="inner")
    differs = merged[merged["received_at"] != merged["at"]]
    c_log.add_rows(differs["_pos"].to_numpy(), "received_at",
                   [f"received_at {r.received_at:%Y-%m-%d %H:%M} differs from the 'received' "
                    f"event at {r.at:%Y-%m-%d %H:%M} in {events_file}"
                    for r in differs.head(50).itertuples()])
    problems = c_log.problems + ev_log.problems
    if problems:
        raise DataError(problems)


def split_categories(value: object) -> tuple[str, ...]:
    """A standard's `categories` cell as a list: split at ';', spaces trimmed, blanks and
    repeats left out (a blank cell gives (), meaning every category)."""
    if not isinstance(value, str):  # blank: None, NaN or NA as read from a file
        return ()
    return tuple(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


def standard_category_warnings(
    standards: pd.DataFrame,
    requests: pd.DataFrame,
    *,
    standards_file: str | None = None,
    requests_file: str | None = None,
) -> list[Problem]:
    """Categories named by a standard that no request of its team has (matched ignoring
    case), one warning each, naming the standards file, row and column and the closest
    category the team's requests do have.

    These are warnings, not errors: a standard may rightly name a category that happened to
    have no requests in the period measured (a month's export with no pension queries), and
    the report must still be made. But a misspelt category measures nothing, so the report
    says so where the reader will see it.
    """
    if "categories" not in standards.columns:
        return []
    standards_file = standards_file or _name(standards, "standards.csv")
    requests_file = requests_file or _name(requests, "requests.csv")
    log = ProblemLog(standards_file)
    has_category = "category" in requests.columns
    by_team = _categories_by_team(requests) if has_category else {}
    for position, (team, cell, standard_id) in enumerate(zip(
            standards["provider_team"], standards["categories"], standards["standard_id"])):
        named = split_categories(cell)
        if not named:
            continue
        if not has_category:
            log.add(f"{standard_id} names request categories, but {requests_file} has no "
                    "'category' column, so it cannot be measured", row=position,
                    column="categories")
            continue
        known = by_team.get(team, [])
        folded = {c.casefold() for c in known}
        for category in named:
            if category.casefold() in folded:
                continue
            close = difflib.get_close_matches(category, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            log.add(f"{standard_id} names the category '{category}', which no {team} request "
                    f"in {requests_file} has{hint}: no request of it is measured",
                    row=position, column="categories")
    return log.problems


def _categories_by_team(requests: pd.DataFrame) -> dict[object, list[str]]:
    """Each provider team's request categories (stripped, sorted), from one pass over the
    log: teams and categories are numbered once and their pairs counted, instead of
    comparing a million team names once per standard."""
    teams, team_names = _numbered(requests["provider_team"])
    kinds, kind_names = _numbered(requests["category"])
    both = (teams >= 0) & (kinds >= 0)
    pairs = np.bincount(teams[both] * len(kind_names) + kinds[both],
                        minlength=len(team_names) * len(kind_names))
    present = pairs.reshape(len(team_names), len(kind_names)) > 0
    return {team: sorted({str(kind_names[k]).strip() for k in np.flatnonzero(row)})
            for team, row in zip(team_names, present)}


def _numbered(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each value's number and the distinct values (-1 = blank): a categorical's own codes,
    otherwise numbered as plain Python text (quicker than pandas' text type)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return (values.cat.codes.to_numpy().astype(np.int64),
                values.cat.categories.to_numpy(dtype=object))
    codes, names = pd.factorize(values.to_numpy(dtype=object))
    return codes, np.asarray(names, dtype=object)


def _name(table: pd.DataFrame, fallback: str) -> str:
    from pathlib import Path

    source = table.attrs.get("source")
    return Path(source).name if source else fallback
