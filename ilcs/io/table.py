"""Reading a CSV or XLSX file into a table of text, whatever its encoding or delimiter.

Every cell comes back as a string (blank = ""), exactly as written: typing and checking
happen afterwards, in one place (`ilcs.io.validate`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.io.dates import FIXED_WIDTH

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = ",;\t"
ENCODINGS = ("utf-8-sig", "cp1252")


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"


def _looks_binary(head: bytes) -> bool:
    """A NUL byte, or more than 1% control characters: text files (CSV) have neither."""
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return controls > max(1, len(head) // 100)


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252;
    delimiter , ; or tab)
    or an XLSX file (first sheet) into a DataFrame of strings with the headers as written.

    Blank rows are left out; the index keeps each row's place in the file (spreadsheet
    row = index + 2), so `validate_table` reports the row number a user sees.
    Raises `DataError` for a missing, empty, binary or unreadable file.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise DataError(Problem("file not found", file=str(path)))
    if path.is_dir():
        raise DataError(Problem("is a folder, not a file", file=str(path)))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise DataError(Problem("old Excel .xls files cannot be read: save it as .xlsx or .csv",
                                file=name))
    data = path.read_bytes()
    if not data.strip():
        raise DataError(Problem("the file is empty", file=name))
    if data[:4] == b"PK\x03\x04":
        raise DataError(Problem("looks like an Excel workbook: give it an .xlsx name", file=name))
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Excel "Unicode text"
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise DataError(Problem("cannot be read as UTF-16 text", file=name)) from None
    if _looks_binary(data[:4096]):
        raise DataError(Problem("is not a text (CSV) file: it contains binary data", file=name))
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    try:
        table = pd.read_csv(
            io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, engine="c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise DataError(_parse_problem(exc, name)) from None
    return _tidy(table, name)


STREAM_ROWS = 200_000  # rows per chunk when a large CSV file is read a piece at a time


class WholeFileNeeded(Exception):
    """This file needs `read_table`'s careful whole-file read (see `stream_csv`)."""


def read_uploaded_table(name: str, content: bytes) -> pd.DataFrame:
    """Read a file given as bytes (a notebook upload) as `read_table` reads a path: it is
    written whole, under its own name, to a private temporary folder, read, and removed."""
    import tempfile

    from ilcs.io.write import write_bytes

    own = Path(name).name
    if own in ("", ".", ".."):
        own = "upload"
    if not Path(own).suffix:
        own += ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / own
        write_bytes(path, content)
        return read_table(path)


class TextLost(Exception):
    """A quick way of reading a column lost its text as written (see `stream_csv`): read
    the file again without categories or fixed-width cells."""


def stream_csv(path: str | Path, *, rows: int | None = None,
               categories: Collection[str] = (),
               fixed_width: Collection[str] = ()) -> Iterator[pd.DataFrame]:
    """A plain UTF-8 CSV file as chunks of text rows, for files too large to hold as text.

    Each chunk is what `read_table` would give for those rows (every cell a string, headers
    stripped, blank rows left out, the index giving each row's place in the file), except
    that nameless empty columns are kept (they match no column, so nothing changes).
    The headers named in `categories` (text whose values repeat, such as teams) come as
    categoricals: pandas finds each chunk's distinct values as it reads, so they are not
    looked for again. pandas turns categories that all look like numbers or true/false
    into numbers or booleans (a category "007" into the number 7), losing the text as
    written: then TextLost is raised, and the caller reads without categories.
    The headers named in `fixed_width` (dates) come as ASCII bytes of FIXED_WIDTH (b"" for
    blank), so no Python string is made for each of a million dates
    (`ilcs.io.dates.parse_fixed_width_datetimes` reads them); a longer or non-ASCII cell
    raises TextLost too.
    Anything out of the ordinary - an Excel workbook, UTF-16, another encoding, an empty,
    binary or unparseable file - raises WholeFileNeeded, before or while streaming, and the
    caller reads the file with `read_table`, which explains any problem exactly.
    """
    path = Path(path)
    options = _stream_options(path)
    dtype: defaultdict[str, Any] = defaultdict(lambda: object)
    dtype.update({header: "category" for header in categories})
    dtype.update({header: f"S{FIXED_WIDTH}" for header in fixed_width})
    try:
        reader = pd.read_csv(path, dtype=dtype, chunksize=rows or STREAM_ROWS, **options)
        with reader:
            for chunk in reader:
                for header in categories:
                    found = chunk[header].cat.categories
                    if len(found) and pd.api.types.infer_dtype(found, skipna=False) != "string":
                        raise TextLost(header)
                for header in fixed_width:
                    cells = np.asarray(chunk[header].to_numpy(), dtype=f"S{FIXED_WIDTH}")
                    octets = cells.view(np.uint8).reshape(len(cells), FIXED_WIDTH)
                    if octets[:, -1].any() or (octets >= 128).any():  # cut short, or not ASCII
                        raise TextLost(header)
                yield _tidy_rows(chunk)
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise WholeFileNeeded from exc


def _stream_options(path: Path) -> dict[str, Any]:
    """How pandas should read a plain UTF-8 CSV file (its delimiter, from the header), or
    WholeFileNeeded for anything else (see `stream_csv`)."""
    if path.suffix.lower() in EXCEL_SUFFIXES or path.suffix.lower() == ".xls" \
            or not path.is_file():
        raise WholeFileNeeded
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if (not head.strip() or head[:4] == b"PK\x03\x04"
            or head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
            or _looks_binary(head[:4096])):
        raise WholeFileNeeded
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the head
            raise WholeFileNeeded from None
        text = head[:exc.start].decode("utf-8-sig")
    if "\n" not in text:
        raise WholeFileNeeded  # a header longer than the head: let the careful read decide
    return {"sep": _sniff_delimiter(text), "keep_default_na": False, "na_filter": False,
            "skip_blank_lines": False, "engine": "c", "encoding": "utf-8"}


def csv_headers(path: str | Path, *, as_written: bool = False) -> list[str]:
    """The headers of a plain UTF-8 CSV file, stripped (`as_written`: as pandas names the
    columns); WholeFileNeeded for another file."""
    path = Path(path)
    try:
        header = pd.read_csv(path, nrows=0, dtype=object, **_stream_options(path))
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise WholeFileNeeded from exc
    return [str(h) if as_written else str(h).strip() for h in header.columns]


def _parse_problem(exc: BaseException, name: str) -> Problem:
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if ragged:
        expected, line, saw = (int(g) for g in ragged.groups())
        return Problem(f"this row has {saw} values but the header has {expected} columns "
                       "(a stray delimiter, or text with a comma that needs quotes?)",
                       file=name, row=line)
    return Problem(f"cannot be read as CSV ({_short(exc)})", file=name)


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails; cp1252 has a few undefined bytes


def _sniff_delimiter(text: str) -> str:
    header = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=DELIMITERS).delimiter
    except csv.Error:
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_xlsx(path: Path) -> pd.DataFrame:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "not a readable workbook"
        raise DataError(Problem(f"cannot be read as an Excel workbook ({_short(exc)})",
                                file=path.name)) from None
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    while rows and not any(v is not None and str(v).strip() for v in rows[0]):
        rows = rows[1:]  # blank rows above the header
    if not rows:
        raise DataError(Problem("the workbook's first sheet is empty", file=path.name))
    header = [_cell_text(v) for v in rows[0]]
    width = len(header)
    body = [[_cell_text(v) for v in (list(r) + [None] * width)[:width]] for r in rows[1:]]
    return _tidy(pd.DataFrame(body, columns=header, dtype=str), path.name)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if (value.second or value.microsecond) \
            else value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) \
            else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _tidy(table: pd.DataFrame, name: str) -> pd.DataFrame:
    table.columns = [str(c).strip() for c in table.columns]
    unnamed = [c for c in table.columns if c == "" or c.startswith("Unnamed:")]
    for c in unnamed:  # trailing delimiters make empty, nameless columns
        if (table[c].astype(str).str.strip() == "").all():
            table = table.drop(columns=c)
    return _tidy_rows(table)


def _tidy_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Headers stripped and blank lines left out; each row keeps its place in the file as
    its index label (spreadsheet row = label + 2), so problems point at the row a user sees."""
    table.columns = [str(c).strip() for c in table.columns]
    # (compared as a NumPy array: several times quicker than pandas' comparison of text)
    maybe_blank = (table.iloc[:, 0].to_numpy(dtype=object) == "") if table.shape[1] \
        else np.array([], dtype=bool)
    dropped = 0
    if maybe_blank.any():
        candidates = table[maybe_blank]
        blank = np.logical_and.reduce(  # (fixed-width cells are bytes: b"")
            [_empty(candidates[c].to_numpy()) for c in candidates.columns])
        dropped = int(blank.sum())
        table = table.drop(index=candidates.index[np.asarray(blank, dtype=bool)])
    table.attrs["blank_rows"] = dropped  # how many blank lines were left out
    return table


def _empty(cells: np.ndarray) -> np.ndarray:
    """Which cells are empty: "" as text, b"" as fixed-width bytes."""
    if cells.dtype.kind == "S":
        return cells == b""
    return np.array([c == "" or c == b"" for c in cells], dtype=bool)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
