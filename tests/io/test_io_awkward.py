"""Awkward but valid files load to exactly the same table as the clean file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.cli import main
from ilcs.io import load, read_table

AWKWARD = Path(__file__).resolve().parents[1] / "fixtures" / "awkward"
CLEAN = AWKWARD / "requests_clean.csv"
VARIANTS = ["requests_bom.csv", "requests_semicolon_dayfirst.csv", "requests_cp1252.csv",
            "requests_headers.csv", "requests_tab.csv", "requests_utc.csv", "requests.xlsx"]


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a, b = a.copy(), b.copy()
    a.attrs, b.attrs = {}, {}
    pd.testing.assert_frame_equal(a, b)


def test_every_fixture_is_covered():
    files = {p.name for p in AWKWARD.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert files == {CLEAN.name, *VARIANTS}


@pytest.mark.parametrize("name", VARIANTS)
def test_awkward_file_loads_the_same_as_clean(name):
    same(load(AWKWARD / name, "requests"), load(CLEAN, "requests"))


@pytest.mark.parametrize("name", VARIANTS)
def test_awkward_file_checks_ok_on_the_command_line(name, capsys):
    assert main(["data", "check", str(AWKWARD / name), "--kind", "requests"]) == 0
    assert "12 rows" in capsys.readouterr().out


def test_clean_values_are_what_the_file_says():
    t = load(CLEAN, "requests")
    assert t.loc[2, "category"] == "Café fridge repair"
    assert t.loc[5, "category"] == "Refund of £25 card charge"
    # 2025-01-02 is 2 January, not 1 February
    assert t.loc[0, "received_at"] == pd.Timestamp(2025, 1, 2, 9, 4)


def test_windows_1252_text_is_decoded():
    raw = read_table(AWKWARD / "requests_cp1252.csv")
    assert "Café fridge repair" in set(raw["category"])
    assert (AWKWARD / "requests_cp1252.csv").read_bytes().count("é".encode("cp1252")) == 1


def test_day_first_dates_are_not_read_month_first():
    raw = read_table(AWKWARD / "requests_semicolon_dayfirst.csv")
    assert raw.loc[0, "received_at"] == "02/01/2025 09:04"
    assert load(AWKWARD / "requests_semicolon_dayfirst.csv", "requests").loc[
        0, "received_at"].month == 1


def test_summer_utc_times_become_uk_local_time():
    raw = read_table(AWKWARD / "requests_utc.csv")
    t = load(AWKWARD / "requests_utc.csv", "requests")
    summer = t["received_at"].dt.month == 7
    assert summer.sum() == 3
    first = summer.idxmax()
    assert raw.loc[first, "received_at"].endswith("Z")
    utc_hour = int(raw.loc[first, "received_at"][11:13])
    assert t.loc[first, "received_at"].hour == utc_hour + 1  # British Summer Time


def test_bom_does_not_stick_to_the_first_header():
    assert list(read_table(AWKWARD / "requests_bom.csv").columns)[0] == "request_id"


def test_xlsx_is_read_as_text():
    raw = read_table(AWKWARD / "requests.xlsx")
    assert raw.loc[0, "received_at"] == "2025-01-02 09:04"
    assert raw.loc[0, "contacts"] == "2"
