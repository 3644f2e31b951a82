"""The quick ways dates are read give what reading each value on its own gives.

A column is parsed at once (only its given values, when most are blank, as hold times
are), failures are stripped and tried again, and only then reported: the result must be
the same moment, blank or failure as parsing that one value alone, and every failure is
still named with its file, row and column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ilcs.errors import DataError
from ilcs.io import load, read_table
from ilcs.io.dates import parse_datetimes, parse_text_datetimes

AWKWARD = Path(__file__).resolve().parents[1] / "fixtures" / "awkward"
DATE_COLUMNS = ("received_at", "first_response_at", "resolved_at", "on_hold_from",
                "on_hold_until")

moments = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 12, 31))


def _forms(t: dt.datetime) -> list[str]:
    return [t.strftime("%Y-%m-%d %H:%M"), t.strftime("%d/%m/%Y %H:%M"),
            t.strftime("%Y-%m-%dT%H:%M:%S"), t.strftime("%d/%m/%Y"),
            f"{t.day}/{t.month}/{t.year} {t.hour}:{t.minute:02d}",
            t.strftime("%Y-%m-%dT%H:%M:%S") + "+01:00", t.strftime("%Y-%m-%d %H:%M") + "Z",
            t.strftime("%m/%d/%Y %I:%M %p")]


awkward_text = st.one_of(
    st.just(""), st.just(""), st.just(""),  # mostly blank, as hold times are
    moments.flatmap(lambda t: st.sampled_from(_forms(t))),
    st.sampled_from(["31/02/2025 10:00", "2025-02-29 10:00", "2025-13-01 10:00",
                     "2025-01-02 24:00", "next week", "0000-01-01 00:00", "2025-1-2 9:00",
                     "２０２５-01-02 10:00", "2025-01-02 10:00:00.5", "12/31/2025"]),
    st.text(alphabet="0123456789-/: TZ+", max_size=20),
)


def _one_by_one(values: list[str], formats: list[str] | None) -> tuple[np.ndarray, np.ndarray]:
    parsed = [parse_datetimes(pd.Series([v], dtype=object), formats) for v in values]
    return (np.array([p.to_numpy()[0] for p, _ in parsed], dtype="datetime64[ns]"),
            np.array([bool(b[0]) for _, b in parsed]))


def _same(column: list[str], formats: list[str] | None = None) -> None:
    text = np.array(column, dtype=object)
    values, bad = parse_text_datetimes(text, text == "", formats)
    expected, expected_bad = _one_by_one(column, formats)
    assert values.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(values, expected)
    np.testing.assert_array_equal(bad, expected_bad)


@settings(max_examples=150, deadline=None)
@given(st.lists(awkward_text, min_size=1, max_size=40))
def test_a_column_at_once_reads_as_each_value_alone(column):
    _same(column)
    _same(column, ["%m/%d/%Y %I:%M %p"])


def test_the_awkward_files_dates_read_as_each_value_alone():
    seen = 0
    for path in sorted(AWKWARD.glob("*.csv")):
        rows = read_table(path)  # any encoding and delimiter, every cell as text
        rows.columns = [c.strip().lower().replace(" ", "_") for c in rows.columns]
        for name in DATE_COLUMNS:
            if name not in rows.columns:
                continue
            column = [str(v).strip() for v in rows[name]]
            if any(column):
                _same(column)
                _same(column[:1] + [""] * 30 + column)  # mostly blank: the given values only
                seen += 1
    assert seen >= 10


def test_a_bad_date_in_a_mostly_blank_column_is_named_with_file_row_and_column(tmp_path):
    header = ("request_id,requester_department,provider_team,channel,category,priority,"
              "received_at,on_hold_from,on_hold_until")
    lines = [header]
    for i in range(40):
        hold = ""
        if i == 7:
            hold = "2025-13-01 10:00,2025-01-20 10:00"  # month 13
        elif i == 12:
            hold = " 2025-01-14 10:00 ,2025-01-15 09:30"  # spaces around: read after stripping
        elif i == 30:
            hold = "14/01/2025 10:00,15/01/2025 9:30"  # day first
        lines.append(f"R{i:03d},HR,IT Service Desk,email,Access,P3,2025-01-13 09:{i:02d},"
                     + (hold or ","))
    path = tmp_path / "holds.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(path, "requests")
    problems = [p for p in caught.value.problems if p.row is not None]
    assert {(p.file, p.row, p.column) for p in problems} == {("holds.csv", 9, "on_hold_from")}
    assert "'2025-13-01 10:00' is not a real date" in problems[0].message
    assert "on_hold_from is blank" in problems[1].message  # the hold then has no start

    lines[8] = lines[8].replace("2025-13-01", "2025-01-14")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = load(path, "requests")
    assert table.loc[12, "on_hold_from"] == pd.Timestamp("2025-01-14 10:00")
    assert table.loc[30, "on_hold_until"] == pd.Timestamp("2025-01-15 09:30")
    assert table["on_hold_from"].notna().sum() == 3
