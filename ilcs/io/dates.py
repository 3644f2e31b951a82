"""Parsing dates and times on purpose, never by guessing.

Accepted, in this order: ISO `YYYY-MM-DD[ HH:MM[:SS]]` (a `T` may separate date and time),
UK day-first `DD/MM/YYYY[ HH:MM[:SS]]` (03/04/2025 is 3 April), then any extra formats a
caller names. A value with a UTC offset (`...+01:00`, `...Z`) is converted to UK local
time (Europe/London) and the zone dropped: every datetime returned is naive UK wall-clock.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ilcs.io.text import as_text

LOCAL_ZONE = "Europe/London"

ISO_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d",
               "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
UK_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
DEFAULT_FORMATS: tuple[str, ...] = ISO_FORMATS + UK_FORMATS

_AWARE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$")
# Shapes that look like a date but may name an impossible one (31/02/2025, 2025-13-01).
_DATE_SHAPE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
                         r"([T ]\d{1,2}:\d{2}(:\d{2})?)?$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")

DATETIME_DTYPE = "datetime64[ns]"


def parse_datetimes(
    values: pd.Series, formats: list[str] | None = None
) -> tuple[pd.Series, np.ndarray]:
    """Parse stripped text `values` ("" = blank, object dtype) into naive UK local datetimes.

    Returns the parsed series (NaT for blanks and failures) and a boolean array marking
    values that were given but could not be parsed.
    """
    text = values.to_numpy(dtype=object)
    parsed, bad = parse_text_datetimes(text, text == "", formats)
    return pd.Series(parsed, index=values.index, dtype=DATETIME_DTYPE), bad


def parse_text_datetimes(
    text: np.ndarray, blank: np.ndarray, formats: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`parse_datetimes` for an object array of stripped text whose `blank` values ("") are
    known: (datetime64[ns] array, NaT for blanks and failures; given but unreadable mask).

    The first format reads the whole column at once (only the given values, when most are
    blank, as hold times are); each later format, and the UTC offsets, only the values no
    earlier one could read.
    """
    result = np.full(len(text), np.datetime64("NaT"), dtype=DATETIME_DTYPE)
    todo = ~blank
    given = np.flatnonzero(todo)
    if len(given) == len(text):
        result = _as_datetimes(pd.to_datetime(text, format=DEFAULT_FORMATS[0], errors="coerce"))
    elif len(given):
        result[given] = _as_datetimes(pd.to_datetime(text[given], format=DEFAULT_FORMATS[0],
                                                     errors="coerce"))
    todo &= np.isnat(result)
    for fmt in list(DEFAULT_FORMATS[1:]) + list(formats or []):
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        parsed = _as_datetimes(pd.to_datetime(text[idx], format=fmt, errors="coerce"))
        ok = ~np.isnat(parsed)
        result[idx[ok]] = parsed[ok]
        todo[idx[ok]] = False
    if todo.any():
        idx = np.flatnonzero(todo)
        aware = pd.Series(text[idx], dtype=object).str.match(_AWARE, na=False).to_numpy(dtype=bool)
        if aware.any():
            idx = idx[aware]
            parsed_utc = pd.to_datetime(pd.Series(text[idx], dtype=object), format="ISO8601",
                                        utc=True, errors="coerce")
            local = _as_datetimes(parsed_utc.dt.tz_convert(LOCAL_ZONE).dt.tz_localize(None))
            ok = ~np.isnat(local)
            result[idx[ok]] = local[ok]
            todo[idx[ok]] = False
    return result, todo


FIXED_WIDTH = 32  # bytes a date cell is read into when a large CSV is streamed (see stream_csv)
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15]  # YYYY-MM-DD HH:MM
_SEPARATOR_AT = [4, 7, 10, 13]
_SEPARATOR_IS = np.array([(ord(c) - 48) % 256 for c in "-- :"], dtype=np.uint8)
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])  # by month (1-12)
_MONTH_STARTS = np.concatenate([[0], np.cumsum(_MONTH_DAYS[:-1])])  # days before it, not leap
# The years read at once (inside what a datetime64[ns] holds): days from 1970-01-01 to the
# first of January of each, and whether it is a leap year
_FIRST_YEAR = 1678
_YEAR_STARTS = ((np.arange(_FIRST_YEAR, 2262) - 1970).astype("datetime64[Y]").astype("datetime64[D]")
                .astype(np.int64))
_LEAP = np.array([y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
                  for y in range(_FIRST_YEAR, 2262)])


def parse_fixed_width_datetimes(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The quick part of `parse_text_datetimes` for date cells read as fixed-width ASCII
    bytes (an `S32` array, b"" for blank): (datetime64[ns] array, done mask).

    Only the usual ISO shapes `YYYY-MM-DD HH:MM` and `YYYY-MM-DD HH:MM:SS`, with a real date
    and time in 1678-2261, are read here, a byte position at a time over every cell at once;
    they mean here exactly what the first ISO formats mean to `parse_text_datetimes`. `done`
    marks those and the blank cells; every other cell (other formats, spaces, impossible
    dates) is left for `parse_text_datetimes`, which decides it as it would anyway."""
    if cells.dtype != np.dtype(f"S{FIXED_WIDTH}"):
        raise ValueError(f"expected cells of S{FIXED_WIDTH}, not {cells.dtype}")
    n = len(cells)
    result = np.full(n, np.datetime64("NaT"), dtype=DATETIME_DTYPE)
    done = cells == b""
    if n == 0:
        return result, done
    whole = np.ascontiguousarray(cells).view(np.uint8).reshape(n, FIXED_WIDTH)
    # each of the first 19 bytes of every cell as a contiguous row, less '0': a digit is 0-9
    # (a byte below '0' wraps round to 208 or more)
    d = np.ascontiguousarray(whole[:, :19].T) - np.uint8(48)
    largest = d[_DIGITS[0]].copy()
    for row in _DIGITS[1:]:
        np.maximum(largest, d[row], out=largest)
    ok = largest <= 9
    for row, char in zip(_SEPARATOR_AT, _SEPARATOR_IS):
        ok &= d[row] == char
    # nothing after the 19th byte: each cell as four little-endian 8-byte words
    words = whole.view("<u8")
    ok &= ((words[:, 2] >> np.uint64(24)) == 0) & ~words[:, 3:].any(axis=1)
    has_seconds = d[16] == np.uint8(ord(":") - 48)
    ok &= np.where(has_seconds, (d[17] <= 9) & (d[18] <= 9),  # else nothing after the minutes
                   (d[16] == 208) & (d[17] == 208) & (d[18] == 208))

    def number(*rows: int) -> np.ndarray:
        value = np.zeros(n, dtype=np.int32)
        for row in rows:
            value = value * 10 + d[row]
        return value

    year, month, day = number(0, 1, 2, 3), number(5, 6), number(8, 9)
    hour, minute = number(11, 12), number(14, 15)
    second = np.where(has_seconds, number(17, 18), 0)
    ok &= (year >= _FIRST_YEAR) & (year < _FIRST_YEAR + len(_YEAR_STARTS))
    place = np.where(ok, year - _FIRST_YEAR, 0)  # (a year outside is not read here)
    month = np.where((month >= 1) & (month <= 12), month, 0)  # (0: not a month)
    leap = _LEAP[place]
    ok &= (month > 0) & (day >= 1) & (day <= _MONTH_DAYS[month] + (leap & (month == 2)))
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    days = _YEAR_STARTS[place] + _MONTH_STARTS[month] + (leap & (month > 2)) + day - 1
    moment = days.astype(np.int64) * 86_400 + (hour * 3600 + minute * 60 + second)
    moment *= 1_000_000_000
    result[ok] = moment.view("datetime64[ns]")[ok]
    return result, done | ok


# The moments a datetime64[ns] can hold (to the day inside): a date outside, such as the
# year 0, is not a real date here (reported as such, never a crash).
_EARLIEST, _LATEST = np.datetime64("1677-09-22"), np.datetime64("2262-04-10")


def _as_datetimes(parsed: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    """Parsed dates as a writable datetime64[ns] array; NaT for any outside its range."""
    values = np.asarray(parsed.to_numpy())
    if values.dtype != np.dtype(DATETIME_DTYPE):
        unit = np.datetime_data(values.dtype)[0]
        outside = (values < _EARLIEST.astype(f"datetime64[{unit}]")) | (
            values > _LATEST.astype(f"datetime64[{unit}]"))
        if outside.any():
            values = np.where(outside, np.array("NaT", dtype=values.dtype), values)
    return np.array(values, dtype=DATETIME_DTYPE)


def looks_like_date(value: str) -> bool:
    """True if `value` has the shape of a date (so a failure means an impossible date)."""
    return bool(_DATE_SHAPE.match(value.strip()))


def parse_times(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse `HH:MM` clock times into zero-padded "HH:MM" text; returns (text, bad mask)."""
    text = values.fillna("").astype(str).str.strip()
    match = text.str.extract(_TIME)
    given = (text != "").to_numpy()
    ok = match[0].notna().to_numpy()
    out = as_text(pd.Series(np.nan, index=values.index, dtype=object))
    good = given & ok
    out[good] = match[0][good].str.zfill(2) + ":" + match[1][good]
    return out, given & ~ok


def minutes_of_day(hhmm: pd.Series) -> pd.Series:
    """Minutes since midnight of "HH:MM" text (NA stays NA)."""
    parts = as_text(hhmm).str.split(":", expand=True)
    if parts.shape[1] < 2:
        return pd.Series(pd.NA, index=hhmm.index, dtype="Int64")
    hours = pd.to_numeric(parts[0], errors="coerce").astype("Int64")
    return hours * 60 + pd.to_numeric(parts[1], errors="coerce").astype("Int64")


# Formats a file may use that ilcs does not read unless told (--date-format): US month-first
# first (a 12-hour clock with AM/PM is the usual sign of a US export), then day-first ones.
_SUGGESTIONS: tuple[str, ...] = tuple(
    f"{date} {time}".strip()
    for date in ("%m/%d/%Y", "%m/%d/%y", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y")
    for time in ("%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M", "")
)


def suggest_date_format(values: list[str]) -> tuple[str, bool] | None:
    """A strftime format that reads every one of `values` (dates ilcs could not read), and
    whether it is month first; None if no usual format reads them all."""
    text = pd.Series([str(v).strip() for v in values if str(v).strip()], dtype=object)
    if text.empty:
        return None
    for fmt in _SUGGESTIONS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if parsed.notna().all():
            return fmt, fmt.startswith("%m")
    return None


def parse_moment(text: str, what: str) -> pd.Timestamp:
    """One date and time typed by a user (e.g. `--as-of`), read as the files are: ISO or UK
    day first (`31/12/2025 17:00`), never month first. `what` names it in the message."""
    from ilcs.errors import ConfigError

    parsed, failed = parse_datetimes(pd.Series([str(text).strip()], dtype=object))
    if failed.any() or pd.isna(parsed.iloc[0]):
        raise ConfigError(f"{what} '{text}' is not a date and time like '2025-12-31 17:00' "
                          "or '31/12/2025 17:00' (day first)")
    return pd.Timestamp(parsed.iloc[0])
