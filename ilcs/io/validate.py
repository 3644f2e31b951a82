"""The one validation engine: check any text table against any `Schema`.

Steps: match headers to canonical columns, convert each column to its type, then check
required values, allowed values, ranges, uniqueness, ordering between columns, columns
given together, and the schema's own table checks. Every problem is collected and one
`DataError` lists them all. Work is done column by column (vectorised), never row by row.

A large file is checked in chunks of rows as it is read (`validate_chunks`), so its text is
never held whole: each chunk's values are converted where they are read (a column whose
values repeat, such as teams, priorities or counts, once per distinct value), and the
rules between rows (unique, order, the schema's checks) run once on the typed table. The
problems reported, and their order, are the same as for the whole table at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ilcs.io.columns import Column, Schema
from ilcs.io.dates import (
    DATETIME_DTYPE,
    FIXED_WIDTH,
    looks_like_date,
    parse_fixed_width_datetimes,
    parse_text_datetimes,
    parse_times,
    suggest_date_format,
)
from ilcs.io.problems import ProblemLog
from ilcs.io.text import as_text


def stripped(values: pd.Series, *, all_text: bool = False) -> pd.Series:
    """Cell text without surrounding spaces, as plain Python strings (blank = "").
    `all_text`: every value is known to be a str (as read from a file), so none is looked at
    first.

    A list comprehension over an object array: many times faster than `.str.strip()`
    on a million rows."""
    array = values.to_numpy(dtype=object)
    if all_text or pd.api.types.infer_dtype(array, skipna=False) == "string":  # no gaps
        text = [v.strip() for v in array]
    else:  # gaps, numbers or dates from a caller's own DataFrame
        array = values.to_numpy(dtype=object, na_value="")
        text = [v.strip() if isinstance(v, str) else str(v).strip() for v in array]
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
        column = wanted.get(key) or canon.get(key)
        if column is None or column not in schema.names:
            continue
        if column in found:
            log.add(f"two columns both give '{column}': '{found[column]}' and '{header}'",
                    column=header)
            continue
        found[column] = header
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
    return validate_chunks([raw], schema, file=file, mapping=mapping,
                           date_formats=date_formats, values=values)


def validate_chunks(
    chunks: Iterable[pd.DataFrame],
    schema: Schema,
    *,
    file: str | None = None,
    mapping: dict[str, str] | None = None,
    date_formats: list[str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    categories: bool = False,
    all_text: bool = False,
) -> pd.DataFrame:
    """`validate_table` for a table that arrives in chunks of rows (a large file read a
    piece at a time): each chunk is converted as it comes and can then be dropped, so only
    the typed table is ever held whole. Every chunk has the same headers; each chunk's index
    gives its rows' places in the file. The problems found, and their order, are the same
    as for the whole table at once.

    `categories`: text columns whose values repeat (teams, departments, channels; never an
    identifier) come back as pandas categoricals with sorted categories instead of text:
    the same values, each distinct one held once and numbered, so a report of a million
    rows groups them by number without looking at the text again (`ilcs sla report` asks
    for this). By default every text column is text.

    `all_text`: every cell of every chunk is a str, as `stream_csv` reads them (no gaps,
    numbers or dates from a caller's own DataFrame), so the cells are not looked at for
    those first."""
    log = ProblemLog(file, None)
    found: dict[str, str] | None = None
    parts: dict[str, list[_Part]] = {c.name: [] for c in schema.columns}
    numbered = {c.name for c in schema.columns  # the columns to give as categoricals
                if categories and c.type == "text" and (c.name,) not in schema.unique}
    places: list[np.ndarray] = []
    totals: list[tuple[int, str]] = []
    keeps: list[np.ndarray] = []
    seen = 0
    for chunk in chunks:
        if found is None:
            found = match_columns([str(h) for h in chunk.columns], schema, mapping, log)
            for named in values or {}:
                if named not in schema.names:
                    log.add(f"values are given for '{named}', which is not a {schema.kind} "
                            f"column (expected one of: {', '.join(schema.names)})")
            log.raise_if_any()  # without the columns, row checks would only add noise
        places.append(chunk.index.to_numpy())
        chunk = chunk.reset_index(drop=True)
        here = totals_rows(chunk, [found[k[0]] for k in schema.unique if k[0] in found])
        totals += [(seen + position, word) for position, word in here]
        keep = np.ones(len(chunk), dtype=bool)
        keep[[p for p, _ in here]] = False
        keeps.append(keep)
        for column in schema.columns:
            source = chunk[found[column.name]] if column.name in found else None
            translation = (values or {}).get(column.name)
            parts[column.name].append(_convert(
                source, len(chunk), column, date_formats, translation, keep,
                repeats=(column.name,) not in schema.unique,
                as_category=column.name in numbered, all_text=all_text))
        seen += len(chunk)
    if found is None:
        raise ValueError("validate_chunks needs at least one chunk (it may have no rows)")
    every = np.concatenate(places)
    log.rows = every if pd.api.types.is_integer_dtype(every) else None
    for position, word in totals:
        log.add(f"looks like a totals row ('{word}'), not a {schema.kind} row: delete the row "
                "and load the file again", row=position)
    if seen - len(totals) < schema.min_rows:
        log.add(f"has no data rows (a {schema.kind} file needs at least {schema.min_rows})")
        log.raise_if_any()
    keep = np.concatenate(keeps)
    out: dict[str, pd.Series] = {}
    for column in schema.columns:
        out[column.name] = _join(parts.pop(column.name), column, log, keep,
                                 as_category=column.name in numbered)
    table = pd.DataFrame(out, index=pd.RangeIndex(seen), copy=False)
    if not keep.all():  # the checks between rows see the data rows only
        table = table[keep].reset_index(drop=True)
        rows = log.rows if log.rows is not None else np.arange(len(keep))
        rows_log = ProblemLog(file, rows[keep])
        rows_log.problems = log.problems
        log = rows_log
    _check_unique(table, schema, log)
    _check_order(table, schema, log)
    _check_together(table, schema, log)
    for check in schema.checks:
        check(table, log)
    log.raise_if_any()
    if log.rows is not None and not np.array_equal(log.rows, np.arange(len(table))):
        # Blank lines or a totals row were left out: keep each row's place in the file, so a
        # later check (e.g. the complaints log) names the row the user sees. Only then, as
        # pandas copies `attrs` along with the table.
        table.attrs["rows"] = tuple(int(r) for r in log.rows)
    return table


TOTAL_WORDS = re.compile(r"^(grand\s+)?(sub)?totals?:?$|^(sum|count|average)$", re.IGNORECASE)


def totals_rows(raw: pd.DataFrame, key_headers: list[str]) -> list[tuple[int, str]]:
    """Rows that look like a spreadsheet's totals row: the first cell, or the identifier
    (`key_headers`), says Total, Totals, Grand total, Sum, Count or Average."""
    if raw.empty or not raw.shape[1]:
        return []
    found: dict[int, str] = {}
    for header in dict.fromkeys([raw.columns[0], *key_headers]):
        array = raw[header].to_numpy(dtype=object)
        # Only a text starting like one of the words (or with a space) can be one: a look at
        # every first character at once (in C) leaves a few candidates to check one by one.
        for position in _maybe_totals(array):
            v = array[position]
            if isinstance(v, str) and (v[:1] in _TOTAL_STARTS or v[:1].isspace()) \
                    and TOTAL_WORDS.match(v.strip()):
                found.setdefault(int(position), v.strip())
    return sorted(found.items())


_TOTAL_STARTS = frozenset("gstcaGSTCA")
_TOTAL_FIRSTS = np.array(sorted(_TOTAL_STARTS))


def _maybe_totals(array: np.ndarray) -> np.ndarray:
    """Positions whose first character is one a totals word starts with, or a space (a
    superset of the rows `totals_rows` looks at closely)."""
    try:
        first = array.astype("U1")  # each value's first character (str() of a non-text)
    except (TypeError, ValueError):  # a value that cannot be shown as text: look at all
        return np.arange(len(array))
    return np.flatnonzero(np.isin(first, _TOTAL_FIRSTS) | np.char.isspace(first))


def translate(text: pd.Series, translation: Mapping[str, str]) -> pd.Series:
    """Replace a file's own values (matched ignoring case) by ours; others stay as they are."""
    lookup = {str(k).strip().lower(): str(v) for k, v in translation.items()}
    lowered = pd.Series([v.lower() for v in text.to_numpy(dtype=object)], index=text.index,
                        dtype=object)
    mapped = lowered.map(lookup)
    return text.where(mapped.isna(), mapped).astype(object)


# ------------------------------------------------------------------ converting one column

MESSAGES_KEPT = 50  # problem texts made per rule (the log lists the first 20 of them)


@dataclass(frozen=True)
class _Converted:
    """One column of one chunk (or its distinct values), converted."""

    values: pd.Series
    bad: np.ndarray  # given but not convertible
    blank: np.ndarray  # blank after any default was applied
    text: np.ndarray  # the stripped text each value came from (object)
    problem: Callable[[str], str] | None = None  # the message for a bad value


@dataclass(frozen=True)
class _Part:
    """One column of one chunk, converted, with the messages for its first bad rows."""

    values: pd.Series
    bad: np.ndarray
    blank: np.ndarray
    messages: list[str]
    bad_dates: frozenset[str] = frozenset()  # every distinct date that could not be read
    codes: np.ndarray | None = None  # for a categorical: each row's place in `values`,
    # which then holds the chunk's distinct values, converted (see `_categorical`)


def _convert(source: pd.Series | None, n: int, column: Column, date_formats: list[str] | None,
             translation: Mapping[str, str] | None, keep: np.ndarray, *,
             repeats: bool, as_category: bool = False, all_text: bool = False) -> _Part:
    """Convert one column of one chunk. Columns whose values repeat (teams, priorities,
    counts) are converted once per distinct value; dates are parsed as they are, and only
    the ones that fail are stripped of surrounding spaces and tried again. Rows that are
    not kept (a totals row, reported once as such) count as blank."""
    if source is None:
        source = pd.Series("", index=pd.RangeIndex(n), dtype=object)
    if column.type == "datetime" and translation is None and keep.all():
        return _part(_dates(source, date_formats, all_text=all_text), None)
    if _fixed_width(source):  # dates read as bytes, to be translated or blanked: as text
        source = pd.Series(_decoded(source.to_numpy()), dtype=object)
    codes = None
    if keep.all():
        if isinstance(source.dtype, pd.CategoricalDtype):  # read as distinct texts and codes
            codes = source.cat.codes.to_numpy()
            distinct = source.cat.categories.to_numpy(dtype=object)
        elif repeats and n > 1:
            codes, distinct = pd.factorize(source.to_numpy(dtype=object))
            if 2 * len(distinct) > n:
                codes = None
        if codes is not None:
            if (codes < 0).any():  # gaps in a caller's own DataFrame: one more distinct value
                codes = np.where(codes < 0, len(distinct), codes)
                distinct = np.append(distinct, np.array([None], dtype=object))
            source = pd.Series(distinct, dtype=object)
    text = stripped(source, all_text=all_text)
    if translation is not None:
        text = translate(text, translation)
    if not keep.all():
        text = text.where(keep, "")
    if column.type == "datetime":
        return _part(_dates(text, date_formats), codes)
    return _part(_convert_text(text, column), codes, keep_codes=as_category)


def _part(converted: _Converted, codes: np.ndarray | None, *,
          keep_codes: bool = False) -> _Part:
    """Expand converted distinct values back to the rows (`codes`), and make the messages;
    `keep_codes`: keep the distinct values and the codes (for a categorical) instead."""
    values, bad, blank = converted.values, converted.bad, converted.blank
    if codes is not None:
        if not keep_codes:
            values = pd.Series(values.array.take(codes), name=values.name)
        # (most columns have no bad or blank value at all: then nothing is looked up per row)
        bad = bad[codes] if bad.any() else np.zeros(len(codes), dtype=bool)
        blank = blank[codes] if blank.any() else np.zeros(len(codes), dtype=bool)
    rows = np.flatnonzero(bad)[:MESSAGES_KEPT]
    messages: list[str] = []
    if len(rows) and converted.problem is not None:
        text = converted.text[codes[rows]] if codes is not None else converted.text[rows]
        messages = [converted.problem(str(v)) for v in text]
    bad_dates: frozenset[str] = frozenset()
    if converted.problem is _bad_date and converted.bad.any():
        bad_dates = frozenset(str(v) for v in converted.text[converted.bad])
    return _Part(values, bad, blank, messages, bad_dates,
                 codes if keep_codes and codes is not None else None)


def _join(parts: list[_Part], column: Column, log: ProblemLog, keep: np.ndarray, *,
          as_category: bool = False) -> pd.Series:
    """One column's chunks as one series (`as_category`: a categorical); its problems logged
    in the usual order."""
    if as_category:
        values = _categorical(parts)
    elif len(parts) == 1:
        values = parts[0].values
    else:
        values = pd.concat([p.values for p in parts], ignore_index=True)
    bad = np.concatenate([p.bad for p in parts])
    blank = np.concatenate([p.blank for p in parts])
    messages = [m for p in parts for m in p.messages][:MESSAGES_KEPT]
    if bad.any():
        log.add_rows(np.flatnonzero(bad), column.name, messages)
        if column.type == "datetime":
            _suggest_date_format(frozenset().union(*(p.bad_dates for p in parts)),
                                 column.name, log)
    if column.required:  # (a totals row, blanked, is reported once as such)
        log.add_rows(np.flatnonzero(blank & keep), column.name,
                     f"'{column.name}' is required but blank")
    if column.type in ("integer", "number"):
        _check_range(values, column, log)
    return values


def _categorical(parts: list[_Part]) -> pd.Series:
    """A column's chunks as one categorical series (categories sorted, blank = missing). Each
    chunk brings its distinct values and codes, so only those few values are compared, never
    the rows. A chunk without codes (its values hardly repeat, or a totals row was blanked)
    is numbered here first."""
    distincts, chunk_codes = [], []
    for part in parts:
        if part.codes is not None:
            distincts.append(part.values.to_numpy(dtype=object))
            chunk_codes.append(part.codes)
        else:
            numbered, found = pd.factorize(part.values.to_numpy(dtype=object))
            distincts.append(np.asarray(found, dtype=object))
            chunk_codes.append(numbered)
    number, names = pd.factorize(np.concatenate(distincts), sort=True)  # a blank is -1
    number = np.append(number, -1)  # where a chunk's own -1 (a blank) points
    offset, codes = 0, []
    for distinct, chunk in zip(distincts, chunk_codes):
        chunk = chunk.astype(np.intp)  # (codes read as categories may be 8-bit)
        codes.append(number[np.where(chunk < 0, len(number) - 1, offset + chunk)])
        offset += len(distinct)
    return pd.Series(pd.Categorical.from_codes(
        np.concatenate(codes), categories=pd.Index(names, dtype=parts[0].values.dtype)))


def _dates(source: pd.Series, date_formats: list[str] | None, *,
           all_text: bool = False) -> _Converted:
    """Parse dates as read; only values that fail are stripped and parsed again.
    (`all_text`: see `stripped`.) Dates streamed as fixed-width bytes are read all at once
    where they have the usual ISO shape, and only the others are parsed as text."""
    if _fixed_width(source):
        return _fixed_width_dates(source.to_numpy(), date_formats)
    text = source.to_numpy(dtype=object)
    if not all_text and pd.api.types.infer_dtype(text, skipna=False) != "string":
        text = stripped(source).to_numpy()  # numbers, dates or gaps from a caller's DataFrame
    blank = text == ""
    values, bad = parse_text_datetimes(text, blank, date_formats)
    if bad.any():
        failed = np.flatnonzero(bad)
        clean = stripped(pd.Series(text[failed], dtype=object)).to_numpy()
        changed = clean != text[failed]
        if changed.any():
            again = failed[changed]
            text = text.copy()
            text[again] = clean[changed]
            blank[again] = clean[changed] == ""
            retried, still_bad = parse_text_datetimes(text[again], blank[again], date_formats)
            values[again] = retried
            bad[again] = still_bad
    return _Converted(pd.Series(values, dtype=DATETIME_DTYPE), bad, blank, text, _bad_date)


def _fixed_width(source: pd.Series) -> bool:
    """Cells read as fixed-width bytes (`stream_csv`'s `fixed_width`): an `S` array, or under
    pandas 2, which keeps no such column, Python bytes."""
    if source.dtype.kind == "S":
        return True
    return source.dtype == object and len(source) > 0 and isinstance(source.iloc[0], bytes)


def _decoded(cells: np.ndarray) -> np.ndarray:
    """Fixed-width ASCII cells as text (an object array of str)."""
    return np.array([bytes(c).decode("ascii") for c in cells], dtype=object)


def _fixed_width_dates(cells: np.ndarray, date_formats: list[str] | None) -> _Converted:
    """`_dates` of cells read as fixed-width bytes: the usual ISO shape read at once
    (`parse_fixed_width_datetimes`); every other cell decoded and parsed as text, as
    `_dates` parses any cell. Only the text of those is kept (for messages: the others
    are all read or blank)."""
    fixed = np.asarray(cells, dtype=f"S{FIXED_WIDTH}")
    values, done = parse_fixed_width_datetimes(fixed)
    blank = fixed == b""
    bad = np.zeros(len(fixed), dtype=bool)
    text = np.full(len(fixed), "", dtype=object)
    rest = np.flatnonzero(~done)
    if len(rest):
        slow = _dates(pd.Series(_decoded(fixed[rest]), dtype=object), date_formats,
                      all_text=True)
        values[rest] = slow.values.to_numpy()
        bad[rest], blank[rest], text[rest] = slow.bad, slow.blank, slow.text
    return _Converted(pd.Series(values, dtype=DATETIME_DTYPE), bad, blank, text, _bad_date)


def _bad_date(value: str) -> str:
    if looks_like_date(value):
        return (f"'{value}' is not a real date and time (dates are read as "
                "YYYY-MM-DD or day-first DD/MM/YYYY, times as HH:MM)")
    return (f"'{value}' is not a date in an accepted format (YYYY-MM-DD HH:MM "
            "or day-first DD/MM/YYYY HH:MM)")


def _suggest_date_format(bad: frozenset[str], name: str, log: ProblemLog) -> None:
    suggested = suggest_date_format(sorted(bad))
    if suggested is not None:
        fmt, month_first = suggested
        what = ("these look like US dates (month first)" if month_first
                else "these dates can be read")
        log.add(f"{what}: if so, add --date-format \"{fmt}\" (in the notebook, the same "
                "format in 'Date format')", column=name)


def _convert_text(text: pd.Series, column: Column) -> _Converted:
    """Convert stripped text (not dates) to the column's type."""
    text_array = text.to_numpy()
    blank = text_array == ""
    problem: Callable[[str], str] | None = None
    if column.type == "time":
        values, bad = parse_times(text)
        problem = _bad_time
    elif column.type in ("integer", "number"):
        values, bad = _numbers(text, column, blank)
        whole = "a whole number" if column.type == "integer" else "a number"

        def problem(value: str) -> str:
            return f"'{value}' is not {whole}"
    else:
        values = as_text(text.where(~blank, other=None)) if blank.any() else as_text(text)
        bad = np.zeros(len(text), dtype=bool)
        if column.allowed:
            values, bad = _allowed(values, column)
            listed = ", ".join(column.allowed)
            name = column.name

            def problem(value: str) -> str:
                return (f"'{value}' is not allowed (expected one of: {listed}); to translate "
                        f"it, add --values \"{name}:{value}=<one of those>\"")
    if column.default is not None:
        values = values.where(~pd.Series(blank, index=values.index), column.default)
        if column.type == "integer":
            values = values.astype("Int64")
        blank = np.zeros(len(text), dtype=bool)
    return _Converted(values, np.asarray(bad, dtype=bool), blank, text_array, problem)


def _bad_time(value: str) -> str:
    return f"'{value}' is not a time of day (expected HH:MM, e.g. 09:00)"


def _numbers(text: pd.Series, column: Column, blank: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    numbers = pd.to_numeric(text.where(~blank, other=None), errors="coerce")
    with np.errstate(invalid="ignore"):
        infinite = ~np.isfinite(numbers.astype("float64").to_numpy(na_value=np.nan))
    bad = (~blank) & (numbers.isna().to_numpy() | infinite)
    if column.type == "integer":
        fraction = (~bad) & (~blank) & (numbers.fillna(0) % 1 != 0).to_numpy()
        bad = bad | fraction
    numbers = numbers.where(~pd.Series(bad, index=numbers.index))
    if column.type == "integer":
        return numbers.astype("Float64").round().astype("Int64"), bad
    return numbers.astype("float64"), bad


def _allowed(values: pd.Series, column: Column) -> tuple[pd.Series, np.ndarray]:
    assert column.allowed is not None
    canonical = {a.lower(): a for a in column.allowed}
    lowered = values.str.lower()
    mapped = lowered.map(canonical)
    bad = (values.notna() & mapped.isna()).to_numpy()
    return as_text(mapped), bad


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
        if len(key) == 1 and pd.Index(table[key[0]]).is_unique:
            continue  # the usual case, found quickly
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
        if all(isinstance(x.dtype, np.dtype) and x.dtype.kind == "M" for x in (later, earlier)):
            # dates (naive, as converted): on NumPy arrays, where NaT compares as False
            a, b = later.to_numpy(), earlier.to_numpy()
            bad = ~np.isnat(a) & ~np.isnat(b) & ((a <= b) if rule.strict else (a < b))
        else:
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


__all__ = ["validate_table", "validate_chunks", "normalise_header", "match_columns",
           "map_hint", "translate", "DATETIME_DTYPE"]
