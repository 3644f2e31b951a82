"""Pareto analysis: which few causes account for most of the problems?

Causes are sorted by count (largest first; equal counts in name order), each with its share
and the cumulative share. The **vital few** are the causes needed to reach `cut_off` per cent
(80 by default) of all the problems: every cause up to and including the one whose
cumulative share first reaches the cut-off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from ilcs.errors import DataError


def pareto(causes: Iterable[object] | pd.Series, *, cut_off: float = 80.0) -> pd.DataFrame:
    """The Pareto table of a list of causes (one entry per problem; blanks are counted as
    "Not recorded"). Columns: cause, count, pct, cumulative_pct, vital_few."""
    if not 0 < cut_off <= 100:
        raise DataError(f"the cut-off must be more than 0 and at most 100 per cent; {cut_off:g} "
                        "given")
    names = ["Not recorded" if _blank(c) else str(c).strip() for c in causes]
    if not names:
        raise DataError("there are no problems to analyse: the list of causes is empty")
    counts = pd.Series(names).value_counts()
    table = pd.DataFrame({"cause": counts.index.astype(str), "count": counts.to_numpy()})
    table = table.sort_values(["count", "cause"], ascending=[False, True], kind="stable")
    table = table.reset_index(drop=True)
    total = int(table["count"].sum())
    table["count"] = table["count"].astype(int)
    table["pct"] = 100.0 * table["count"] / total
    running = table["count"].cumsum()
    table["cumulative_pct"] = 100.0 * running / total
    # Compare whole counts (not rounded percentages): the vital few end at the first cause
    # whose running total reaches cut_off % of all problems.
    reached = running * 100 >= cut_off * total
    last = int(reached.to_numpy().argmax())
    table["vital_few"] = [i <= last for i in range(len(table))]
    return table


def _blank(value: object) -> bool:
    """None, NaN, pandas' missing markers or only spaces."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def vital_few(table: pd.DataFrame) -> list[str]:
    """The names of the vital few causes of a Pareto table."""
    return list(table.loc[table["vital_few"], "cause"])
