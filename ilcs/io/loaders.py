"""Loading a dataset file of a known kind: read, map, type and check it in one call."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from itertools import chain
from pathlib import Path

import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.io.columns import Schema
from ilcs.io.kinds import KINDS, SCHEMAS
from ilcs.io.problems import ProblemLog
from ilcs.io.table import (
    TextLost,
    WholeFileNeeded,
    csv_headers,
    read_table,
    stream_csv,
)
from ilcs.io.validate import match_columns, validate_chunks
from ilcs.memory import release_free_memory
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
    table = read_checked(path, schema, mapping=mapping, date_formats=date_formats,
                         values=values)
    table.attrs["source"] = str(path)
    table.attrs["kind"] = kind
    return table


def read_checked(
    path: Path,
    schema: Schema,
    *,
    mapping: dict[str, str] | None = None,
    date_formats: list[str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    categories: bool = False,
) -> pd.DataFrame:
    """Read a file and check it against `schema` (the typed table, or one DataError).
    `categories`: repeating text columns as categoricals (see `validate_chunks`).

    A plain UTF-8 CSV is read and checked a chunk of rows at a time (`stream_csv`,
    `validate_chunks`), so a million-row file never sits in memory as text. Anything else
    (XLSX, another encoding, headers that do not match) is read whole by `read_table`, which
    explains every problem exactly; both ways give the same table and the same problems.
    """
    try:
        return _checked_in_chunks(path, schema, mapping, date_formats, values, categories)
    except WholeFileNeeded:
        return validate_chunks([read_table(path)], schema, file=path.name, mapping=mapping,
                               date_formats=date_formats, values=values,
                               categories=categories)


def _checked_in_chunks(
    path: Path,
    schema: Schema,
    mapping: dict[str, str] | None,
    date_formats: list[str] | None,
    values: Mapping[str, Mapping[str, str]] | None,
    categories: bool,
) -> pd.DataFrame:
    headers = ProblemLog(path.name)
    written = csv_headers(path, as_written=True)
    found = match_columns([h.strip() for h in written], schema, mapping, headers)
    if headers:
        raise WholeFileNeeded  # the whole-file read lists the file's headers exactly
    try:
        table = _validated(path, schema, mapping, date_formats, values,
                           _repeating_text(written, found, schema),
                           _date_headers(written, found, schema), categories)
    except TextLost:
        table = _validated(path, schema, mapping, date_formats, values, (), (), categories)
    release_free_memory()
    return table


def _repeating_text(written: list[str], found: dict[str, str], schema: Schema) -> list[str]:
    """The file's headers of text columns whose values repeat (teams, channels, ...), to be
    read as categories: not identifiers (unique), dates or numbers."""
    unique = {key[0] for key in schema.unique}
    return _headers_of(written, found, [c.name for c in schema.columns
                                        if c.type == "text" and c.name not in unique])


def _date_headers(written: list[str], found: dict[str, str], schema: Schema) -> list[str]:
    """The file's headers of date columns, to be read as fixed-width bytes; never the first
    column (which is also read for blank lines and totals rows as text)."""
    dates = _headers_of(written, found, [c.name for c in schema.columns if c.type == "datetime"])
    return [h for h in dates if h != written[0]]


def _headers_of(written: list[str], found: dict[str, str], columns: list[str]) -> list[str]:
    """The file's headers (as written) of these canonical `columns`, each written once."""
    wanted = {found[name] for name in columns if name in found}
    stripped = [h.strip() for h in written]
    return [h for h, s in zip(written, stripped) if s in wanted and stripped.count(s) == 1]


def _validated(path: Path, schema: Schema, mapping: dict[str, str] | None,
               date_formats: list[str] | None, values: Mapping[str, Mapping[str, str]] | None,
               read_as_categories: list[str] | tuple[()], fixed_width: list[str] | tuple[()],
               categories: bool) -> pd.DataFrame:
    chunks = stream_csv(path, categories=read_as_categories, fixed_width=fixed_width)
    first = next(chunks, None)
    if first is None:
        raise WholeFileNeeded
    return validate_chunks(chain([first], chunks), schema, file=path.name, mapping=mapping,
                           date_formats=date_formats, values=values, categories=categories,
                           all_text=True)  # (every cell as read: a str, "" if blank)


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
