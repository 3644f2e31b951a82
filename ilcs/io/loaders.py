"""Loading a dataset file of a known kind: read, map, type and check it in one call."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.io.kinds import KINDS, SCHEMAS
from ilcs.io.table import read_table
from ilcs.io.validate import validate_table
from ilcs.paths import sample_dir


def _schema(kind: str):
    try:
        return SCHEMAS[kind]
    except KeyError:
        raise DataError(Problem(f"unknown kind of data '{kind}' (expected one of: "
                                f"{', '.join(KINDS)})")) from None


def load(
    path: str | Path,
    kind: str,
    *,
    mapping: dict[str, str] | None = None,
    date_formats: list[str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """Read a CSV or XLSX file of `kind` and return its canonical, typed table.

    `mapping` renames source headers onto canonical columns (e.g. {"Ticket No": "request_id"});
    other headers are matched ignoring case, spaces and underscores. Dates are read as ISO or
    day-first UK dates, plus any `date_formats` (strftime codes) given. `values` translates
    the file's own values first (column -> {theirs: ours}, see `ilcs.io.values`). Raises one
    `DataError` listing every problem (file, spreadsheet row, column).
    """
    schema = _schema(kind)
    path = Path(path)
    raw = read_table(path)
    table = validate_table(raw, schema, file=path.name, mapping=mapping,
                           date_formats=date_formats, values=values)
    table.attrs["source"] = str(path)
    table.attrs["kind"] = kind
    return table


@lru_cache(maxsize=32)
def _load_sample_cached(folder: str, kind: str) -> pd.DataFrame:
    return load(Path(folder) / f"{kind}.csv", kind)


def load_sample(kind: str) -> pd.DataFrame:
    """The committed sample organisation's table of `kind` (a fresh copy each call)."""
    _schema(kind)
    return _load_sample_cached(str(sample_dir()), kind).copy()


def sample_path(kind: str) -> Path:
    """Where the sample file of `kind` is."""
    _schema(kind)
    return sample_dir() / f"{kind}.csv"
