"""Date parsing: day-first on purpose, every accepted form gives the same moment."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ilcs.io.dates import looks_like_date, parse_datetimes, parse_times

moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2035, 12, 31)
                       ).map(lambda t: t.replace(second=0, microsecond=0))


def parse(values: list[str], formats: list[str] | None = None):
    return parse_datetimes(pd.Series(values, dtype=object), formats)


@settings(max_examples=200, deadline=None)
@given(moments)
def test_uk_and_iso_forms_give_the_same_moment(t):
    forms = [t.strftime("%Y-%m-%d %H:%M"), t.strftime("%d/%m/%Y %H:%M"),
             f"{t.day}/{t.month}/{t.year} {t.hour}:{t.minute:02d}",
             t.strftime("%Y-%m-%dT%H:%M:%S")]
    parsed, bad = parse(forms)
    assert not bad.any()
    assert (parsed == pd.Timestamp(t)).all()


@settings(max_examples=200, deadline=None)
@given(moments)
def test_day_first_is_never_swapped(t):
    parsed, _ = parse([t.strftime("%d/%m/%Y")])
    assert (parsed.iloc[0].day, parsed.iloc[0].month) == (t.day, t.month)


def test_impossible_and_unknown_forms_are_marked_bad():
    values = ["31/02/2025", "2025-02-29 10:00", "13/13/2025", "next week", "2025/03/04",
              "03-04-2025", ""]
    parsed, bad = parse(values)
    assert bad.tolist() == [True, True, True, True, True, True, False]
    assert parsed.isna().all()
    assert [looks_like_date(v) for v in values[:4]] == [True, True, True, False]


def test_offsets_are_converted_to_uk_time():
    parsed, bad = parse(["2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z",
                         "2025-10-26T00:30:00Z", "2025-10-26T01:30:00Z",
                         "2025-06-01 12:00:00+02:00"])
    assert not bad.any()
    # clocks go forward at 01:00 UTC on 30 March and back at 01:00 UTC on 26 October 2025
    assert parsed.dt.strftime("%H:%M").tolist() == ["00:30", "02:30", "01:30", "01:30",
                                                    "11:00"]


def test_extra_formats_are_tried_after_the_standard_ones():
    parsed, bad = parse(["04.03.2025 10:15", "2025-03-04 10:15"], ["%d.%m.%Y %H:%M"])
    assert not bad.any() and (parsed == pd.Timestamp(2025, 3, 4, 10, 15)).all()


def test_times_of_day():
    text, bad = parse_times(pd.Series(["9:00", "17:30", "24:00", "12:60", "noon", ""]))
    assert bad.tolist() == [False, False, True, True, True, False]
    assert text.iloc[0] == "09:00" and text.iloc[1] == "17:30" and pd.isna(text.iloc[5])


def test_a_typed_moment_is_day_first_and_a_bad_one_is_named() -> None:
    import pandas as pd
    import pytest

    from ilcs.errors import ConfigError
    from ilcs.io.dates import parse_moment

    assert parse_moment("05/12/2025 09:30", "--as-of") == pd.Timestamp("2025-12-05 09:30")
    assert parse_moment("2025-12-05", "--as-of") == pd.Timestamp("2025-12-05")
    with pytest.raises(ConfigError, match=r"--as-of '12/31/2025' is not a date and time like"):
        parse_moment("12/31/2025", "--as-of")


def test_sla_report_as_of_is_read_day_first(capsys) -> None:
    from ilcs.cli import main
    from ilcs.paths import sample_dir

    folder = sample_dir()
    args = ["sla", "report", str(folder / "requests.csv"), "--standards",
            str(folder / "standards.csv")]
    assert main([*args, "--as-of", "12/31/2025 17:00"]) == 2
    assert "day first" in capsys.readouterr().err
    assert main([*args, "--as-of", "31/12/2025 17:00"]) == 0
