"""A few lines that describe a loaded table: what `ilcs data check` prints for a good file."""

from __future__ import annotations

import pandas as pd

# Columns worth counting by value, per kind.
COUNT_BY = {
    "requests": ("provider_team",),
    "standards": ("provider_team",),
    "complaints": ("about_team", "outcome"),
    "complaint_events": ("stage",),
    "survey_responses": ("wave", "about_team"),
    "survey_invitations": ("wave",),
    "org_chart": ("department",),
}


def summarise(table: pd.DataFrame, kind: str) -> list[str]:
    """Rows, columns, date range of each date column and counts of the main groupings."""
    lines = [f"{len(table):,} rows, {table.shape[1]} columns: {', '.join(table.columns)}"]
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values) and values.notna().any():
            blank = int(values.isna().sum())
            extra = f" ({blank:,} blank)" if blank else ""
            lines.append(f"{column}: {values.min():%Y-%m-%d %H:%M} to "
                         f"{values.max():%Y-%m-%d %H:%M}{extra}")
    for column in COUNT_BY.get(kind, ()):
        counts = table[column].value_counts(dropna=False).sort_index()
        shown = ", ".join(f"{'(blank)' if pd.isna(k) else k}: {v:,}" for k, v in
                          counts.head(10).items())
        more = f", ... ({len(counts) - 10} more)" if len(counts) > 10 else ""
        lines.append(f"by {column}: {shown}{more}")
    return lines
