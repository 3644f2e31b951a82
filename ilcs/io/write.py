"""Writing files safely: whole or not at all, and never a live formula.

Every file ilcs writes (CSV and XLSX exports, HTML reports, evidence and feedback packs,
saved text) goes through this module:

- `atomic_file(path)` writes to a temporary file in the same folder, flushes it to disk and
  renames it over `path` (`os.replace`): a crash or an error leaves the old file, or none,
  never a partial one. `write_bytes`, `write_text` and `write_json` use it.
- `write_csv(frame, path)` neutralises text that a spreadsheet would run as a formula:
  a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
  single quote (the OWASP CSV-injection guidance). A text that is just a number (`-2`,
  `+1.5`) is left as it is, and numbers in number columns are written as numbers.
- `write_xlsx({sheet: frame}, path)` stores text as text (an inline string cell: never a
  formula, a link or a number), numbers as numbers and dates as dates (shown day first).
  Every limit of an Excel sheet (1,048,576 rows, 16,384 columns, 32,767 characters in a
  cell) is checked for every sheet before anything is written; a table over a limit is
  refused with an `ExportError` that suggests CSV.
- `write_table(frame, path)` picks CSV or XLSX by the file's extension.

The XLSX files are written by this module itself (a small, standard SpreadsheetML package,
built column by column), so a sheet of a million rows takes seconds, not minutes, and
memory stays bounded: rows are written in chunks straight into the zip file.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ilcs.errors import ExportError, FileWriteError, Problem

#: Text starting with one of these is run as a formula by a spreadsheet (OWASP).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576  # including the header row
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_TEXT = 32_767
CSV_DATE_FORMAT = "%Y-%m-%d %H:%M"
XLSX_DATE_FORMAT = "dd/mm/yyyy hh:mm"  # UK, day first

_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# --------------------------------------------------------------------------- whole files


@contextmanager
def atomic_file(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary file handle whose content replaces `path` only if the block ends normally.

    The content goes to a hidden temporary file in the same folder (so the rename cannot
    cross file systems), is flushed to disk, then renamed over `path`. On any error the
    temporary file is removed and `path` is left exactly as it was. A failure of the disk
    or the folder (full, read-only, not a folder) is a FileWriteError naming the file.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # 0o666: the user's umask decides the permissions, as for any new file.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, flags, 0o666)
    except OSError as exc:
        raise FileWriteError(_cannot_write(target, exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileWriteError(_cannot_write(target, exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _cannot_write(target: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    kept = "the previous file is unchanged" if target.exists() else "no file was written"
    return f"{target}: cannot be written ({reason}); {kept}"


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all."""
    with atomic_file(path) as handle:
        handle.write(data)
    return Path(path)


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` whole or not at all (line ends written as given)."""
    return write_bytes(path, text.encode(encoding))


def write_json(path: str | Path, data: Any, *, indent: int | None = 1) -> Path:
    """Write `data` as UTF-8 JSON (non-ASCII kept readable) whole or not at all."""
    return write_text(path, json.dumps(data, ensure_ascii=False, indent=indent))


# --------------------------------------------------------------------------- CSV


def neutralise(value: str) -> str:
    """`value` as a CSV cell a spreadsheet will not run: a leading `'` if it would start a
    formula (OWASP CSV injection), unless it is just a number such as `-2` or `+1.5`."""
    if value[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _is_text_column(values: pd.Series) -> bool:
    return bool(pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
                or isinstance(values.dtype, pd.CategoricalDtype))


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and headers are neutralised (see `neutralise`)."""
    out = frame.copy()
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in frame.columns]
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        if not _is_text_column(values):
            continue
        array = values.to_numpy(dtype=object)
        hits = [i for i, v in enumerate(array) if isinstance(v, str) and v[:1] in FORMULA_STARTS]
        if not hits:
            continue
        fixed = array.copy()
        for i in hits:
            fixed[i] = neutralise(fixed[i])
        out.isetitem(position, fixed)
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8",
              date_format: str | None = CSV_DATE_FORMAT, lineterminator: str = "\r\n") -> Path:
    """Write `frame` (without its index) as CSV, whole or not at all.

    Text that would start a formula is always neutralised (the sample organisation's files
    have no such text, so they are written through here too, byte for byte as committed).
    `encoding="utf-8-sig"` adds the byte-order mark Excel needs to read UTF-8. Lines end
    in CR LF (RFC 4180), so a cell holding a line break or a carriage return is quoted.
    """
    safe = csv_safe(frame)
    with atomic_file(path) as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        safe.to_csv(text, index=False, date_format=date_format, lineterminator=lineterminator)
        text.flush()
        text.detach()
    return Path(path)


# --------------------------------------------------------------------------- XLSX

_CHUNK_ROWS = 50_000
_NEEDS_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_EXCEL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "ns")
_EXCEL_FIRST_DAY = np.datetime64("1900-03-01T00:00:00", "ns")  # Excel's serials are exact after it
_NS_PER_DAY = 86_400 * 10**9

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLE_DATE, _STYLE_HEADER = 1, 2
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{XLSX_DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def column_letter(position: int) -> str:
    """Excel's name of the 0-based column `position`: 0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xml_text(text: str) -> str:
    """Text for a <t> element: XML-escaped; characters XML cannot hold are written the way
    Excel writes them (_xHHHH_), and a literal _xHHHH_ is protected (_x005F_xHHHH_)."""
    if not _NEEDS_ESCAPE.search(text):
        return text
    text = _EXCEL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")  # a character reference survives XML line-end handling
    return _NOT_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _sheet_names(names: list[str]) -> list[str]:
    """Valid, distinct Excel sheet names (at most 31 characters, none of []:*?/\\)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'")[:31] or "Sheet"
        candidate, n = base, 1
        while candidate.lower() in seen:
            n += 1
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)] + suffix
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def check_fits_excel(sheets: Mapping[str, pd.DataFrame], path: str | Path) -> None:
    """Raise ExportError (before anything is written) if a table cannot be an Excel sheet."""
    name = Path(path).name
    csv_name = Path(path).with_suffix(".csv").name
    for sheet, frame in sheets.items():
        rows = len(frame) + 1
        if rows > EXCEL_MAX_ROWS:
            raise ExportError(
                f"{name}: sheet '{sheet}' would have {rows:,} rows (with its header), more "
                f"than the {EXCEL_MAX_ROWS:,} an Excel sheet can hold; nothing was written. "
                f"Write it as CSV instead (e.g. {csv_name}).")
        if frame.shape[1] > EXCEL_MAX_COLUMNS:
            raise ExportError(
                f"{name}: sheet '{sheet}' would have {frame.shape[1]:,} columns, more than the "
                f"{EXCEL_MAX_COLUMNS:,} an Excel sheet can hold; nothing was written. "
                f"Write it as CSV instead (e.g. {csv_name}).")
        for position, column in enumerate(frame.columns):
            values = frame.iloc[:, position]
            if not _is_text_column(values):
                continue
            array = values.to_numpy(dtype=object)
            lengths = [len(v) if isinstance(v, str) else 0 for v in array]
            if lengths and max(lengths) > EXCEL_MAX_CELL_TEXT:
                row = int(np.argmax(np.asarray(lengths) > EXCEL_MAX_CELL_TEXT))
                raise ExportError(str(Problem(
                    f"a text of {lengths[row]:,} characters is longer than the "
                    f"{EXCEL_MAX_CELL_TEXT:,} an Excel cell can hold; nothing was written. "
                    f"Write it as CSV instead (e.g. {csv_name}).",
                    file=f"{name}, sheet '{sheet}'", row=row + 2, column=str(column))))


def _string_cells(refs: np.ndarray, texts: np.ndarray) -> np.ndarray:
    """Inline-string cells: text is stored as text, never read as a formula or number."""
    escaped = np.array([_xml_text(t) for t in texts], dtype=object)
    return refs + '" t="inlineStr"><is><t xml:space="preserve">' + escaped + "</t></is></c>"


def _column_cells(values: pd.Series, letter: str, rows: np.ndarray) -> np.ndarray:
    """The XML of one column's cells for one chunk of rows ('' where the cell is blank)."""
    n = len(values)
    out = np.full(n, "", dtype=object)
    refs = ('<c r="' + letter) + rows
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        given = values.notna().to_numpy()
        flags = values.to_numpy(dtype=object, na_value=False)
        text = np.where(flags.astype(bool), "1", "0").astype(object)
        out[given] = refs[given] + '" t="b"><v>' + text[given] + "</v></c>"
    elif pd.api.types.is_numeric_dtype(dtype):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        finite = np.isfinite(numbers)
        if pd.api.types.is_integer_dtype(dtype):
            text = np.asarray(values.astype(object))[finite].astype(str)
        else:
            text = numbers[finite].astype(str)
        out[finite] = refs[finite] + "\"><v>" + text.astype(object) + "</v></c>"
        infinite = np.isinf(numbers)
        if infinite.any():
            out[infinite] = _string_cells(refs[infinite], numbers[infinite].astype(str))
    elif pd.api.types.is_datetime64_any_dtype(dtype) and getattr(dtype, "tz", None) is None:
        stamps = values.to_numpy(dtype="datetime64[ns]")
        exact = ~np.isnat(stamps) & (stamps >= _EXCEL_FIRST_DAY)
        serial = (stamps[exact] - _EXCEL_EPOCH).astype("int64") / _NS_PER_DAY
        out[exact] = (refs[exact] + f'" s="{_STYLE_DATE}"><v>'
                      + serial.astype(str).astype(object) + "</v></c>")
        early = ~np.isnat(stamps) & ~exact  # before March 1900: kept exact, as text
        if early.any():
            out[early] = _string_cells(refs[early], np.array(
                [str(pd.Timestamp(s)) for s in stamps[early]], dtype=object))
    else:
        array = values.to_numpy(dtype=object)
        given = ~pd.isna(array)
        if all(isinstance(v, str) for v in array[given]):
            out[given] = _string_cells(refs[given], array[given])
        else:
            for i in np.flatnonzero(given):
                out[i] = _any_cell(refs[i], array[i])
    return out


def _any_cell(ref: str, value: Any) -> str:
    """One cell of a column holding values of several kinds (a small table's object column)."""
    if isinstance(value, (bool, np.bool_)):
        return f'{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, np.integer)):
        return f'{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, (float, np.floating)) and np.isfinite(value):
        return f'{ref}"><v>{float(value)!r}</v></c>'
    if isinstance(value, pd.Timestamp) and value.tzinfo is None and \
            value >= pd.Timestamp(_EXCEL_FIRST_DAY):
        serial = (value.to_datetime64() - _EXCEL_EPOCH).astype("int64") / _NS_PER_DAY
        return f'{ref}" s="{_STYLE_DATE}"><v>{float(serial)!r}</v></c>'
    return str(_string_cells(np.array([ref], dtype=object),
                             np.array([str(value)], dtype=object))[0])


def _sheet_xml(frame: pd.DataFrame, *, freeze: tuple[int, int], widths: Mapping[int, float]
               ) -> Iterator[bytes]:
    """The worksheet XML of `frame`, in chunks of rows."""
    n_rows, n_cols = frame.shape
    letters = [column_letter(j) for j in range(max(n_cols, 1))]
    last = f"{letters[n_cols - 1]}{n_rows + 1}" if n_cols else "A1"
    parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
             f'<dimension ref="A1:{last}"/>']
    down, across = freeze
    if down or across:
        top_left = f"{column_letter(across)}{down + 1}"
        pane = "bottomRight" if down and across else ("bottomLeft" if down else "topRight")
        split = (f' xSplit="{across}"' if across else "") + (f' ySplit="{down}"' if down else "")
        parts.append(f'<sheetViews><sheetView tabSelected="0" workbookViewId="0"><pane{split} '
                     f'topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
                     f'<selection pane="{pane}"/></sheetView></sheetViews>')
    else:
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if widths:
        parts.append("<cols>" + "".join(
            f'<col min="{j + 1}" max="{j + 1}" width="{w:g}" customWidth="1"/>'
            for j, w in sorted(widths.items())) + "</cols>")
    header = "".join(
        f'<c r="{letters[j]}1" t="inlineStr" s="{_STYLE_HEADER}"><is><t xml:space="preserve">'
        f"{_xml_text(str(name))}</t></is></c>" for j, name in enumerate(frame.columns))
    parts.append(f'<sheetData><row r="1">{header}</row>')
    yield "".join(parts).encode("utf-8")
    for start in range(0, n_rows, _CHUNK_ROWS):
        chunk = frame.iloc[start:start + _CHUNK_ROWS]
        numbers = np.arange(start + 2, start + 2 + len(chunk)).astype(str).astype(object)
        grid = np.empty((len(chunk), n_cols + 2), dtype=object)
        grid[:, 0] = '<row r="' + numbers + '">'
        for j in range(n_cols):
            grid[:, j + 1] = _column_cells(chunk.iloc[:, j], letters[j], numbers)
        grid[:, n_cols + 1] = "</row>"
        yield "".join(grid.ravel().tolist()).encode("utf-8")
    yield b"</sheetData></worksheet>"


def _package_parts(names: list[str]) -> dict[str, str]:
    """The fixed parts of the package: content types, relationships, workbook, styles."""
    n = len(names)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1))
    types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
    root_rels = (
        f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheets = "".join(f'<sheet name="{_attr(name)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(names, start=1))
    workbook = (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheets}</sheets></workbook>")
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    book_rels = (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}'
                 f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                 "</Relationships>")
    return {"[Content_Types].xml": types, "_rels/.rels": root_rels,
            "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": book_rels,
            "xl/styles.xml": _STYLES}


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | Path, *,
               freeze: tuple[int, int] = (1, 0),
               widths: Mapping[str, Mapping[int, float]] | None = None) -> Path:
    """Write each frame (without its index) as one sheet of an .xlsx workbook.

    Text is stored as text (never a formula), numbers as numbers, dates as dates shown day
    first. `freeze` keeps that many rows and columns in view (default: the header row);
    `widths` gives column widths per sheet ({sheet: {0-based column: width}}). Raises
    ExportError before writing anything if a table is over an Excel limit.
    """
    if not sheets:
        raise ExportError(f"{Path(path).name}: there is no table to write")
    check_fits_excel(sheets, path)
    names = _sheet_names(list(sheets))
    with atomic_file(path) as handle, \
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED,
                            compresslevel=1) as package:
        for part, xml in _package_parts(names).items():
            package.writestr(part, xml)
        for i, (sheet, frame) in enumerate(sheets.items(), start=1):
            with package.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                for piece in _sheet_xml(frame, freeze=freeze,
                                        widths=(widths or {}).get(sheet, {})):
                    out.write(piece)
    return Path(path)


# --------------------------------------------------------------------------- by extension

TABLE_SUFFIXES = (".csv", ".xlsx")


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet: str = "Sheet1",
                csv_encoding: str = "utf-8-sig", **xlsx_options: Any) -> Path:
    """Write one table as CSV (UTF-8 with a byte-order mark, for Excel) or XLSX, by the
    extension of `path`; ExportError for any other extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return write_csv(frame, path, encoding=csv_encoding)
    if suffix == ".xlsx":
        return write_xlsx({sheet: frame}, path, **xlsx_options)
    raise ExportError(f"{Path(path).name}: choose a .csv or .xlsx file name")


__all__ = [
    "EXCEL_MAX_CELL_TEXT",
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "FORMULA_STARTS",
    "atomic_file",
    "check_fits_excel",
    "column_letter",
    "csv_safe",
    "neutralise",
    "write_bytes",
    "write_csv",
    "write_json",
    "write_table",
    "write_text",
    "write_xlsx",
]
