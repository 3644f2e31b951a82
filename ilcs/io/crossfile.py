"""Checks that need two files at once: complaints and their event logs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ilcs.errors import DataError
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


def _name(table: pd.DataFrame, fallback: str) -> str:
    from pathlib import Path

    source = table.attrs.get("source")
    return Path(source).name if source else fallback
