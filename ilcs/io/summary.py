"""A few lines that describe a loaded table: what `ilcs data check` prints for a good file."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from ilcs.io.columns import Column, Schema

# Columns worth counting by value, per kind.
COUNT_BY = {
    "requests": ("provider_team",),
    "standards": ("provider_team",),
    "complaints": ("about_team", "outcome"),
    "complaint_events": ("stage",),
    "survey_responses": ("wave", "about_team"),
    "survey_invitations": ("wave",),
    "org_chart": ("department",),
    "staff_movement": ("department",),
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
        shown = ", ".join(f"{'(blank)' if pd.isna(cast(Any, k)) else k}: {v:,}" for k, v in
                          counts.head(10).items())
        more = f", ... ({len(counts) - 10} more)" if len(counts) > 10 else ""
        lines.append(f"by {column}: {shown}{more}")
    return lines


def describe_schema(schema: Schema) -> list[str]:
    """The data contract of a kind, one line per column, for `ilcs data columns`."""
    lines = [f"{schema.kind}: {schema.description}"]
    for column in schema.columns:
        lines.append(f"{column.name} ({column.type}): {describe_column(column)}")
    for key in schema.unique:
        lines.append(f"each {' + '.join(key)} must be unique")
    for rule in schema.order:
        word = "must be after" if rule.strict else "must not be before"
        lines.append(f"{rule.later} {word} {rule.earlier} (where both are given)")
    for pair in schema.together:
        lines.append(f"{' and '.join(pair.columns)} are given together or not at all")
    for check in schema.checks:
        doc = (check.__doc__ or "").strip().splitlines()
        if doc:
            lines.append(" ".join(d.strip() for d in doc).rstrip("."))
    return lines


def describe_column(column: Column) -> str:
    parts = ["required" if column.required else "may be blank"]
    if column.may_be_absent:
        parts.append("column may be left out")
    if column.allowed:
        parts.append("one of " + ", ".join(column.allowed))
    if column.minimum is not None:
        parts.append(f"at least {column.minimum:g}")
    if column.maximum is not None:
        parts.append(f"at most {column.maximum:g}")
    if column.above is not None:
        parts.append(f"more than {column.above:g}")
    if column.default is not None:
        parts.append(f"blank means {column.default}")
    return "; ".join(parts)
