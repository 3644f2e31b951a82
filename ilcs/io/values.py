"""Translating a file's own values into ours: `--values "priority:normal=P3,high=P2"`.

A user's file may say `normal`/`high` for a priority or `false`/`true` for a flag. A value
map (canonical column -> {their value: ours}) says what each means; `validate_table`
applies it, ignoring case and surrounding spaces, before any check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ilcs.errors import DataError, Problem

ValueMap = dict[str, dict[str, str]]

EXAMPLE = '--values "priority:normal=P3,high=P2"'


def parse_value_flags(flags: Iterable[str], columns: Sequence[str]) -> ValueMap:
    """`["priority:normal=P3,high=P2", "reopened:false=0"]` -> {"priority": {"normal": "P3",
    "high": "P2"}, "reopened": {"false": "0"}}, checked against the kind's `columns`."""
    values: ValueMap = {}
    problems = []
    for flag in flags:
        column, sep, pairs = flag.partition(":")
        column = column.strip()
        parsed = [pair.partition("=") for pair in pairs.split(",") if pair.strip()]
        if not sep or not column or not parsed or any(
                not eq or not theirs.strip() or not ours.strip() for theirs, eq, ours in parsed):
            problems.append(Problem(f"--values '{flag}' should look like COLUMN:THEIRS=OURS,"
                                    f"THEIRS=OURS, e.g. {EXAMPLE}"))
        elif column not in columns:
            problems.append(Problem(f"--values '{flag}' names '{column}', which is not a column "
                                    f"here (expected one of: {', '.join(columns)})"))
        else:
            values.setdefault(column, {}).update(
                {theirs.strip(): ours.strip() for theirs, _, ours in parsed})
    if problems:
        raise DataError(problems)
    return values


def merge_values(*maps: Mapping[str, Mapping[str, str]] | None) -> ValueMap:
    """Value maps combined; a later map wins for the same value (ignoring case)."""
    merged: ValueMap = {}
    for value_map in maps:
        for column, translation in (value_map or {}).items():
            target = merged.setdefault(column, {})
            for theirs, ours in translation.items():
                for key in [k for k in target if k.lower() == str(theirs).strip().lower()]:
                    del target[key]
                target[str(theirs).strip()] = str(ours)
    return merged


def format_values(values: Mapping[str, Mapping[str, str]]) -> list[str]:
    """A value map as `--values` flags (what the notebook shows and remembers)."""
    return [f"{column}:" + ",".join(f"{k}={v}" for k, v in translation.items())
            for column, translation in values.items() if translation]
