"""The one validation engine: check any text table against any `Schema`.

Steps: match headers to canonical columns, convert each column to its type, then check
required values, allowed values, ranges, uniqueness, ordering between columns, columns
given together, and the schema's own table checks. Every problem is collected and one
`DataError` lists them all. Work is done column by column (vectorised), never row by row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ilcs.io.columns import Column, Schema
from ilcs.io.dates import (
    DATETIME_DTYPE,
    looks_like_date,
    parse_datetimes,
    parse_times,
    suggest_date_format,
)
from ilcs.io.problems import ProblemLog
from ilcs.io.text import as_text


def stripped(values: pd.Series) -> pd.Series:
    """Cell text without surrounding spaces, as plain Python strings (blank = "").

    A list comprehension over an object array: many times faster than `.str.strip()`
    on a million rows."""
    array = values.to_numpy(dtype=object, na_value="")
    try:
        text = [v.strip() for v in array]
    except AttributeError:  # a number or date from a caller's own DataFrame
        text = [str(v).strip() for v in array]
    return pd.Series(np.array(text, dtype=object), index=values.index, dtype=object)


def normalise_header(name: str) -> str:
    """Header key that ignores case, spaces, underscores, hyphens and dots."""
    return re.sub(r"[\s_\-.]+", "", str(name)).lower()


def match_columns(
    headers: list[str], schema: Schema, mapping: dict[str, str] | None, log: ProblemLog
) -> dict[str, str]:
    """Canonical column -> source header. Unknown extra headers are ignored."""
    canon = {normalise_header(n): n for n in schema.names}
    wanted = {normalise_header(k): v for k, v in (mapping or {}).items()}
    for source, target in (mapping or {}).items():
        if target not in schema.names:
            log.add(f"the mapping sends '{source}' to '{target}', which is not a "
                    f"{schema.kind} column (expected one of: {', '.join(schema.names)})")
    found: dict[str, str] = {}
    for header in headers:
        key = normalise_header(header)
        target = wanted.get(key) or canon.get(key)
        if target is None or target not in schema.names:
            continue
        if target in found:
            log.add(f"two columns both give '{target}': '{found[target]}' and '{header}'",
                    column=header)
            continue
        found[target] = header
    missing = [c.name for c in schema.columns if c.name not in found and not c.may_be_absent]
    unused = [h for h in headers if h not in found.values()]
    for name in missing:
        log.add(f"required column '{name}' is missing (the file has: "
                f"{', '.join(headers) if headers else 'no columns'}). "
                f"{map_hint(name, unused)}", column=name)
    return found


def closest_header(column: str, headers: list[str]) -> str | None:
    """The header most like a canonical column's name (rapidfuzz), if any is close enough."""
    if not headers:
        return None
    from rapidfuzz import fuzz, utils

    words = column.replace("_", " ")

    def score(header: str) -> float:
        return max(fuzz.WRatio(words, header, processor=utils.default_process),
                   fuzz.token_set_ratio(words, header, processor=utils.default_process))

    scores = [(score(h), -i, h) for i, h in enumerate(headers)]
    best = max(scores)
    return best[2] if best[0] >= 60 else None


def map_hint(column: str, headers: list[str]) -> str:
    """How to say which header holds `column`: on the command line and in the notebook."""
    closest = closest_header(column, headers)
    if closest is None:
        return (f'Name the column that holds it with --map "YOUR COLUMN={column}" (in the '
                "notebook, choose it in the column mapper).")
    return (f"If '{closest}' holds it, add --map \"{closest}={column}\" (in the notebook, "
            f"choose '{closest}' for it in the column mapper).")


def validate_table(
    raw: pd.DataFrame,
    schema: Schema,
    *,
    file: str | None = None,
    mapping: dict[str, str] | None = None,
    date_formats: list[str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """Return `raw` (a table of text) as the schema's canonical, typed table, or raise
    one `DataError` listing every problem.

    `values` translates a file's own values before they are checked: canonical column ->
    {their value: ours}, matched ignoring case and surrounding spaces (e.g. {"priority":
    {"normal": "P3"}}); see `ilcs.io.values`."""
    places = raw.index.to_numpy()
    log = ProblemLog(file, places if pd.api.types.is_integer_dtype(places) else None)
    raw = raw.reset_index(drop=True)
    found = match_columns([str(h) for h in raw.columns], schema, mapping, log)
    for column in values or {}:
        if column not in schema.names:
            log.add(f"values are given for '{column}', which is not a {schema.kind} column "
                    f"(expected one of: {', '.join(schema.names)})")
    log.raise_if_any()  # without the columns, row checks would only add noise
    totals = totals_rows(raw, [found[k[0]] for k in schema.unique if k[0] in found])
    for position, word in totals:
        log.add(f"looks like a totals row ('{word}'), not a {schema.kind} row: delete the row "
                "and load the file again", row=position)
    if len(raw) - len(totals) < schema.min_rows:
        log.add(f"has no data rows (a {schema.kind} file needs at least {schema.min_rows})")
        log.raise_if_any()
    keep = np.ones(len(raw), dtype=bool)
    keep[[p for p, _ in totals]] = False
    out: dict[str, pd.Series] = {}
    for column in schema.columns:
        if column.name in found:
            text = stripped(raw[found[column.name]])
            if values and column.name in values:
                text = translate(text, values[column.name])
        else:
            text = pd.Series("", index=raw.index, dtype=object)
        if not keep.all():
            text = text.where(keep, "")  # a totals row is reported above, not checked again
        out[column.name] = _convert(text, column, date_formats, log, keep)
    table = pd.DataFrame(out, index=pd.RangeIndex(len(raw)))
    if not keep.all():  # the checks between rows see the data rows only
        table = table[keep].reset_index(drop=True)
        places = log.rows if log.rows is not None else np.arange(len(keep))
        rows_log = ProblemLog(file, places[keep])
        rows_log.problems = log.problems
        log = rows_log
    _check_unique(table, schema, log)
    _check_order(table, schema, log)
    _check_together(table, schema, log)
    for check in schema.checks:
        check(table, log)
    log.raise_if_any()
    return table


TOTAL_WORDS = re.compile(r"^(grand\s+)?(sub)?totals?:?$|^(sum|count|average)$", re.IGNORECASE)


def totals_rows(raw: pd.DataFrame, key_headers: list[str]) -> list[tuple[int, str]]:
    """Rows that look like a spreadsheet's totals row: the first cell, or the identifier
    (`key_headers`), says Total, Totals, Grand total, Sum, Count or Average."""
    if raw.empty or not raw.shape[1]:
        return []
    found: dict[int, str] = {}
    for header in [raw.columns[0], *key_headers]:
        text = stripped(raw[header])
        hits = text.str.match(TOTAL_WORDS).to_numpy(dtype=bool)
        for position in np.flatnonzero(hits):
            found.setdefault(int(position), str(text.iloc[position]))
    return sorted(found.items())


def translate(text: pd.Series, translation: Mapping[str, str]) -> pd.Series:
    """Replace a file's own values (matched ignoring case) by ours; others stay as they are."""
    lookup = {str(k).strip().lower(): str(v) for k, v in translation.items()}
    lowered = pd.Series([v.lower() for v in text.to_numpy(dtype=object)], index=text.index,
                        dtype=object)
    mapped = lowered.map(lookup)
    return text.where(mapped.isna(), mapped).astype(object)


def _convert(text: pd.Series, column: Column, date_formats: list[str] | None,
             log: ProblemLog, keep: np.ndarray | None = None) -> pd.Series:
    blank = text.to_numpy() == ""
    name = column.name
    if column.type == "datetime":
        values, bad = parse_datetimes(text, date_formats)
        _report_bad_dates(text, bad, name, log)
    elif column.type == "time":
        values, bad = parse_times(text)
        log.add_rows(np.flatnonzero(bad), name,
                     [f"'{v}' is not a time of day (expected HH:MM, e.g. 09:00)"
                      for v in text[bad][:50]])
    elif column.type in ("integer", "number"):
        values, bad = _numbers(text, column, blank, log)
    else:
        values = as_text(text.where(~blank, other=None))
        bad = np.zeros(len(text), dtype=bool)
        if column.allowed:
            values = _allowed(values, column, log)
    if column.default is not None:
        values = values.where(~pd.Series(blank, index=values.index), column.default)
        if column.type == "integer":
            values = values.astype("Int64")
        blank = np.zeros(len(text), dtype=bool)
    if column.required:  # (a totals row, blanked, is reported once as such)
        missing = blank if keep is None else blank & keep
        log.add_rows(np.flatnonzero(missing), name, f"'{name}' is required but blank")
    if column.type in ("integer", "number"):
        _check_range(values, column, log)
    return values


def _report_bad_dates(text: pd.Series, bad: np.ndarray, name: str, log: ProblemLog) -> None:
    if not bad.any():
        return
    positions = np.flatnonzero(bad)
    messages = []
    for value in text.iloc[positions[:50]]:
        if looks_like_date(value):
            messages.append(f"'{value}' is not a real date and time (dates are read as "
                            "YYYY-MM-DD or day-first DD/MM/YYYY, times as HH:MM)")
        else:
            messages.append(f"'{value}' is not a date in an accepted format (YYYY-MM-DD HH:MM "
                            "or day-first DD/MM/YYYY HH:MM)")
    log.add_rows(positions, name, messages)
    suggested = suggest_date_format(text.iloc[positions].tolist())
    if suggested is not None:
        fmt, month_first = suggested
        what = ("these look like US dates (month first)" if month_first
                else "these dates can be read")
        log.add(f"{what}: if so, add --date-format \"{fmt}\" (in the notebook, the same "
                "format in 'Date format')", column=name)


def _numbers(text: pd.Series, column: Column, blank: np.ndarray,
             log: ProblemLog) -> tuple[pd.Series, np.ndarray]:
    numbers = pd.to_numeric(text.where(~blank, other=None), errors="coerce")
    with np.errstate(invalid="ignore"):
        infinite = ~np.isfinite(numbers.astype("float64").to_numpy(na_value=np.nan))
    bad = (~blank) & (numbers.isna().to_numpy() | infinite)
    whole = "a whole number" if column.type == "integer" else "a number"
    if column.type == "integer":
        fraction = (~bad) & (~blank) & (numbers.fillna(0) % 1 != 0).to_numpy()
        bad = bad | fraction
    log.add_rows(np.flatnonzero(bad), column.name,
                 [f"'{v}' is not {whole}" for v in text[bad][:50]])
    numbers = numbers.where(~pd.Series(bad, index=numbers.index))
    if column.type == "integer":
        return numbers.astype("Float64").round().astype("Int64"), bad
    return numbers.astype("float64"), bad


def _allowed(values: pd.Series, column: Column, log: ProblemLog) -> pd.Series:
    assert column.allowed is not None
    canonical = {a.lower(): a for a in column.allowed}
    lowered = values.str.lower()
    mapped = lowered.map(canonical)
    bad = (values.notna() & mapped.isna()).to_numpy()
    listed = ", ".join(column.allowed)
    log.add_rows(np.flatnonzero(bad), column.name,
                 [f"'{v}' is not allowed (expected one of: {listed}); to translate it, add "
                  f"--values \"{column.name}:{v}=<one of those>\"" for v in values[bad][:50]])
    return as_text(mapped)


def _check_range(values: pd.Series, column: Column, log: ProblemLog) -> None:
    given = values.notna().to_numpy()
    v = values.astype("float64").to_numpy(na_value=np.nan)
    for bound, test, words in (
        (column.minimum, lambda b: v < b, "at least"),
        (column.maximum, lambda b: v > b, "at most"),
        (column.above, lambda b: v <= b, "more than"),
    ):
        if bound is None:
            continue
        with np.errstate(invalid="ignore"):
            bad = given & test(bound)
        shown = f"{bound:g}"
        log.add_rows(np.flatnonzero(bad), column.name,
                     [f"{_fmt(x)} is out of range (must be {words} {shown})" for x in v[bad][:50]])


def _fmt(x: float) -> str:
    return f"{x:g}"


def _check_unique(table: pd.DataFrame, schema: Schema, log: ProblemLog) -> None:
    for key in schema.unique:
        part = table[list(key)]
        given = part.notna().all(axis=1)
        dup = (part.duplicated(keep="first") & given).to_numpy()
        if not dup.any():
            continue
        involved = part[part.duplicated(keep=False) & given]  # only keys that repeat
        firsts = involved[~involved.duplicated(keep="first")]
        first_pos = {row: int(pos) for pos, row in
                     zip(firsts.index, firsts.itertuples(index=False, name=None))}
        positions = np.flatnonzero(dup)
        label = " + ".join(key)
        messages = []
        for row in part.iloc[positions[:50]].itertuples(index=False, name=None):
            shown = ", ".join(str(x) for x in row)
            messages.append(f"duplicate {label} '{shown}' (first on row "
                            f"{log.sheet_row(first_pos[row])}); "
                            f"each {label} must be unique")
        log.add_rows(positions, key[0] if len(key) == 1 else label, messages)


def _check_order(table: pd.DataFrame, schema: Schema, log: ProblemLog) -> None:
    for rule in schema.order:
        later, earlier = table[rule.later], table[rule.earlier]
        both = (later.notna() & earlier.notna()).to_numpy()
        with np.errstate(invalid="ignore"):
            wrong = (later <= earlier) if rule.strict else (later < earlier)
        bad = both & wrong.fillna(False).to_numpy(dtype=bool)
        word = "be after" if rule.strict else "not be before"
        positions = np.flatnonzero(bad)
        messages = [f"{rule.later} {_show(a)} must {word} {rule.earlier} {_show(b)}"
                    for a, b in zip(later.iloc[positions[:50]], earlier.iloc[positions[:50]])]
        log.add_rows(positions, rule.later, messages)


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _check_together(table: pd.DataFrame, schema: Schema, log: ProblemLog) -> None:
    for rule in schema.together:
        given = table[list(rule.columns)].notna()
        partly = (given.any(axis=1) & ~given.all(axis=1)).to_numpy()
        positions = np.flatnonzero(partly)
        names = " and ".join(rule.columns)
        messages = []
        for pos in positions[:50]:
            missing = [c for c in rule.columns if not given.iloc[pos][c]]
            messages.append(f"{names} go together: {', '.join(missing)} is blank")
        first_missing = next((c for c in rule.columns if not given.iloc[positions[0]][c]),
                             rule.columns[0]) if len(positions) else rule.columns[0]
        log.add_rows(positions, first_missing, messages)


__all__ = ["validate_table", "normalise_header", "match_columns", "map_hint", "translate",
           "DATETIME_DTYPE"]
