"""A large CSV is read and checked a chunk of rows at a time; the result must be exactly
what the whole-file read gives: the same typed table, or the same problems in the same
order (row numbers included). Chunks of a few rows make every file many chunks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ilcs.io.loaders as loaders
import ilcs.io.table as table_module
from ilcs.errors import DataError
from ilcs.io.kinds import KINDS, SCHEMAS
from ilcs.io.loaders import read_checked
from ilcs.io.table import read_table
from ilcs.io.ticket_exports import from_table, load_ticket_export
from ilcs.io.validate import validate_table

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*(ROOT / "datasets" / "sample").glob("*.csv"),
                *(ROOT / "datasets" / "messy").glob("*.csv"),
                *(ROOT / "tests" / "fixtures" / "awkward").glob("*.csv")])
TICKETS = ROOT / "tests" / "fixtures" / "tickets"


def kind_of(path: Path) -> str:
    return max((k for k in KINDS if path.stem.startswith(k)), key=len)


def outcome(work) -> pd.DataFrame | str:
    try:
        return work()
    except DataError as exc:
        return str(exc)


@pytest.fixture()
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Chunks of 3 rows, and a record of every whole-file read."""
    monkeypatch.setattr(table_module, "STREAM_ROWS", 3)
    whole: list[str] = []
    original = loaders.read_table

    def recording(path: str | Path) -> pd.DataFrame:
        whole.append(Path(path).name)
        return original(path)

    monkeypatch.setattr(loaders, "read_table", recording)
    return whole


def same(a: pd.DataFrame | str, b: pd.DataFrame | str) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
    else:
        pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_chunked_read_gives_what_the_whole_file_gives(path: Path, small_chunks: list[str],
                                                     monkeypatch: pytest.MonkeyPatch):
    lines = path.read_bytes().count(b"\n")
    monkeypatch.setattr(table_module, "STREAM_ROWS", max(3, lines // 5))  # 5 chunks or more
    schema = SCHEMAS[kind_of(path)]
    whole = outcome(lambda: validate_table(read_table(path), schema, file=path.name))
    chunked = outcome(lambda: read_checked(path, schema))
    same(chunked, whole)


def test_ordinary_files_are_really_read_in_chunks(small_chunks: list[str],
                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(table_module, "STREAM_ROWS", 1000)
    for path in FILES:
        outcome(lambda path=path: read_checked(path, SCHEMAS[kind_of(path)]))
    # only files with something out of the ordinary are read whole: another encoding,
    # an empty file, or headers that do not match (so their problems name them exactly)
    assert set(small_chunks) == {"requests_cp1252.csv", "requests_empty.csv",
                                 "survey_responses_empty.csv", "requests_missing_columns.csv"}


@pytest.mark.parametrize("fmt", ["generic", "jira", "zendesk"])
def test_ticket_exports_give_the_same_requests(fmt: str, small_chunks: list[str]):
    path = TICKETS / f"{fmt}_export.csv"
    whole = outcome(lambda: from_table(read_table(path), fmt, file=path.name))
    chunked = outcome(lambda: load_ticket_export(path, fmt))
    if isinstance(chunked, pd.DataFrame):
        chunked.attrs.clear()
    same(chunked, whole)


def test_problems_across_chunks_keep_their_rows_and_their_order(tmp_path: Path,
                                                                small_chunks: list[str]):
    sample = ROOT / "datasets" / "sample" / "requests.csv"
    lines = sample.read_text(encoding="utf-8").splitlines()[:40]
    lines[5] = lines[5].replace(",P3,", ",P9,").replace(",P2,", ",P9,").replace(",P1,", ",P9,")
    lines[17] = lines[17].replace("2025-", "31/02/2025 x ", 1)
    lines[23] = lines[2]  # a duplicate request_id
    lines.insert(30, "")  # a blank line: later rows keep their place in the file
    lines[33] = "  " + lines[33].replace(",", " , ", 3) + "  "  # spaces around values
    path = tmp_path / "requests.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema = SCHEMAS["requests"]
    whole = outcome(lambda: validate_table(read_table(path), schema, file=path.name))
    chunked = outcome(lambda: read_checked(path, schema))
    assert isinstance(whole, str) and "row 24" in whole and "row 18" in whole
    same(chunked, whole)


def test_invalid_utf8_late_in_a_file_falls_back_to_the_whole_read(tmp_path: Path,
                                                                 small_chunks: list[str]):
    sample = ROOT / "datasets" / "sample" / "requests.csv"
    data = sample.read_bytes()[:20_000]
    data = data[: data.rindex(b"\n") + 1]
    cut = data.index(b"Operations", 10_000)
    path = tmp_path / "requests.csv"
    path.write_bytes(data[:cut] + "Opérations".encode("cp1252") + data[cut + 10:])
    chunked = read_checked(path, SCHEMAS["requests"])
    assert small_chunks == ["requests.csv"]
    assert "Opérations" in set(chunked["requester_department"])


def test_values_that_look_like_numbers_or_flags_are_kept_as_written(tmp_path: Path,
                                                                    small_chunks: list[str]):
    """A category such as '007' stays '007' (pandas' own categoricals would make it 7)."""
    sample = ROOT / "datasets" / "sample" / "requests.csv"
    lines = sample.read_text(encoding="utf-8").splitlines()[:12]
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    for i, row in enumerate(rows):
        row[header.index("category")] = ["007", "1.50", "false", "TRUE"][i % 4]
    path = tmp_path / "requests.csv"
    path.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n",
                    encoding="utf-8")
    table = read_checked(path, SCHEMAS["requests"])
    assert small_chunks == []  # read in chunks
    assert table["category"].tolist()[:4] == ["007", "1.50", "false", "TRUE"]


def plain(table: pd.DataFrame | str) -> pd.DataFrame | str:
    """A table read with categories=True, its categoricals as the plain values they hold."""
    if isinstance(table, str):
        return table
    return table.astype({c: table[c].cat.categories.dtype for c in table.columns
                         if isinstance(table[c].dtype, pd.CategoricalDtype)})


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_categories_hold_the_same_values_or_give_the_same_problems(
        path: Path, small_chunks: list[str], monkeypatch: pytest.MonkeyPatch):
    lines = path.read_bytes().count(b"\n")
    monkeypatch.setattr(table_module, "STREAM_ROWS", max(3, lines // 5))  # 5 chunks or more
    schema = SCHEMAS[kind_of(path)]
    whole = outcome(lambda: validate_table(read_table(path), schema, file=path.name))
    numbered = outcome(lambda: read_checked(path, schema, categories=True))
    same(plain(numbered), whole)
    if isinstance(numbered, pd.DataFrame):  # every repeating text column is a categorical,
        for column in schema.columns:  # identifiers, dates and numbers never are
            repeating_text = column.type == "text" and (column.name,) not in schema.unique
            assert isinstance(numbered[column.name].dtype, pd.CategoricalDtype) == repeating_text


def test_a_request_log_read_with_categories_numbers_its_repeating_text(small_chunks: list[str]):
    path = ROOT / "datasets" / "sample" / "requests.csv"
    table = read_checked(path, SCHEMAS["requests"], categories=True)
    for column in ("requester_department", "provider_team", "channel", "category", "priority"):
        values = table[column]
        assert isinstance(values.dtype, pd.CategoricalDtype), column
        assert values.cat.categories.is_monotonic_increasing and values.cat.categories.is_unique
    assert table["request_id"].dtype == read_checked(path, SCHEMAS["requests"])["request_id"].dtype


@pytest.mark.parametrize("fmt", ["generic", "jira", "zendesk"])
def test_ticket_exports_with_categories_give_the_same_requests(fmt: str,
                                                              small_chunks: list[str]):
    path = TICKETS / f"{fmt}_export.csv"
    text = outcome(lambda: load_ticket_export(path, fmt))
    numbered = outcome(lambda: load_ticket_export(path, fmt, categories=True))
    same(plain(numbered), text)


def test_dates_are_streamed_as_fixed_width_bytes_and_read_at_once(small_chunks: list[str],
                                                                  monkeypatch):
    import ilcs.io.validate as validate_module

    calls: list[int] = []
    original = validate_module.parse_fixed_width_datetimes

    def counting(cells):
        calls.append(len(cells))
        return original(cells)

    monkeypatch.setattr(validate_module, "parse_fixed_width_datetimes", counting)
    path = ROOT / "datasets" / "sample" / "requests.csv"
    schema = SCHEMAS["requests"]
    same(read_checked(path, schema), validate_table(read_table(path), schema, file=path.name))
    assert sum(calls) == 5 * (path.read_bytes().count(b"\n") - 1)  # five date columns, all rows


@pytest.mark.parametrize("odd", [
    "2025-01-02 09:00:00.000000000+01:00",  # longer than a fixed-width cell: read again
    "02/01/2025 09:00 ",  # another shape, with a space: parsed as text
    "2025-01-0２ 09:00",  # not ASCII: read again
    "31/02/2025 09:00",  # not a real date: reported as in the whole-file read
])
def test_unusual_dates_in_a_stream_give_what_the_whole_file_gives(tmp_path: Path, odd: str,
                                                                 small_chunks: list[str]):
    sample = ROOT / "datasets" / "sample" / "requests.csv"
    lines = sample.read_text(encoding="utf-8").splitlines()[:12]
    cells = lines[7].split(",")
    cells[6] = odd
    lines[7] = ",".join(cells)
    lines.insert(4, "," * (len(cells) - 1))  # a blank line, delimiters only
    path = tmp_path / "requests.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema = SCHEMAS["requests"]
    same(outcome(lambda: read_checked(path, schema)),
         outcome(lambda: validate_table(read_table(path), schema, file=path.name)))
