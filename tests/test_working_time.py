"""Working-time engine: worked examples, properties (hypothesis) and an oracle (businesstimedelta)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ilcs.errors import ConfigError
from ilcs.working_time import Calendar, add_working_time, working_hours_between

DEFAULT = Calendar()
LUNCH = Calendar.standard(lunch="12:30-13:15", nation="scotland", closures=[dt.date(2025, 12, 29)])


# ----------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2025-03-07 16:00", "2025-03-10 10:30", 2.5),  # Friday afternoon to Monday morning
        ("2025-03-08 10:00", "2025-03-09 15:00", 0.0),  # all weekend
        ("2025-03-10 07:00", "2025-03-10 20:00", 8.0),  # before opening to after closing
        ("2025-04-17 16:00", "2025-04-22 10:30", 2.5),  # Good Friday and Easter Monday (E&W)
        ("2025-03-10 09:00", "2025-03-17 09:00", 40.0),  # one whole week
        ("2025-03-10 11:00", "2025-03-10 11:00", 0.0),
    ],
)
def test_worked_examples(start: str, end: str, hours: float) -> None:
    assert working_hours_between(start, end, DEFAULT) == pytest.approx(hours)


def test_nations_have_their_own_bank_holidays() -> None:
    # 2 January is a bank holiday in Scotland only; 17 March in Northern Ireland only.
    scot = Calendar.standard(nation="scotland")
    ni = Calendar.standard(nation="northern-ireland")
    assert working_hours_between("2025-01-02 09:00", "2025-01-02 17:00", scot) == 0
    assert working_hours_between("2025-01-02 09:00", "2025-01-02 17:00", DEFAULT) == 8
    assert working_hours_between("2025-03-17 09:00", "2025-03-17 17:00", ni) == 0
    assert working_hours_between("2025-03-17 09:00", "2025-03-17 17:00", DEFAULT) == 8


def test_lunch_and_closure_days_stop_the_clock() -> None:
    assert LUNCH.day_hours == pytest.approx(7.25)
    assert working_hours_between("2025-03-10 12:00", "2025-03-10 14:00", LUNCH) == pytest.approx(1.25)
    # Christmas shutdown: 29 December added as a closure day (a Monday).
    assert working_hours_between("2025-12-29 09:00", "2025-12-29 17:00", LUNCH) == 0


def test_custom_week_per_weekday() -> None:
    week = (
        (dt.time(8), dt.time(16)),
        (dt.time(8), dt.time(16)),
        None,
        (dt.time(10), dt.time(14)),
        (dt.time(8), dt.time(12)),
        (dt.time(9), dt.time(12)),
        None,
    )
    cal = Calendar(week=week, nation=None)
    # Mon 8 + Tue 8 + Wed 0 + Thu 4 + Fri 4 + Sat 3 = 27
    assert working_hours_between("2025-03-10 00:00", "2025-03-17 00:00", cal) == 27
    assert cal.day_hours == 8


def test_whole_columns_keep_index_and_missing_values() -> None:
    start = pd.Series(pd.to_datetime(["2025-03-07 16:00", None, "2025-03-10 09:00"]), index=[5, 6, 7])
    end = pd.Series(pd.to_datetime(["2025-03-10 10:30", "2025-03-10 10:00", None]), index=[5, 6, 7])
    out = working_hours_between(start, end, DEFAULT)
    assert list(out.index) == [5, 6, 7]
    assert out.iloc[0] == pytest.approx(2.5)
    assert np.isnan(out.iloc[1]) and np.isnan(out.iloc[2])


def test_one_scalar_and_one_column_gives_a_column() -> None:
    ends = pd.Series(pd.to_datetime(["2025-03-10 10:00", "2025-03-10 12:00"]), index=["a", "b"])
    out = working_hours_between("2025-03-10 09:00", ends, DEFAULT)
    assert list(out.index) == ["a", "b"] and list(out) == [1.0, 3.0]
    due = add_working_time("2025-03-10 09:00", [1, 9], DEFAULT)
    assert list(due) == [np.datetime64("2025-03-10T10:00"), np.datetime64("2025-03-11T10:00")]


def test_paused_interval_is_taken_off() -> None:
    start = pd.Series(pd.to_datetime(["2025-03-10 09:00", "2025-03-10 09:00", "2025-03-10 09:00"]))
    end = pd.Series(pd.to_datetime(["2025-03-12 17:00"] * 3))
    hold_from = pd.Series(pd.to_datetime(["2025-03-10 15:00", None, "2025-03-01 09:00"]))
    hold_until = pd.Series(pd.to_datetime(["2025-03-11 11:00", None, "2025-03-10 10:00"]))
    out = working_hours_between(start, end, DEFAULT, paused=[(hold_from, hold_until)])
    # 24 h; minus 2 h Monday + 2 h Tuesday; nothing; minus the part after start (1 h).
    assert list(out) == pytest.approx([20.0, 24.0, 23.0])


def test_timezone_aware_input_is_converted_to_uk_time() -> None:
    # 08:30 UTC in summer is 09:30 in London (BST): half an hour before 10:00 local.
    aware = pd.Timestamp("2025-07-01 08:30", tz="UTC")
    assert working_hours_between(aware, "2025-07-01 10:00", DEFAULT) == pytest.approx(0.5)
    # In winter London is on UTC.
    aware_winter = pd.Timestamp("2025-01-06 09:30", tz="UTC")
    assert working_hours_between(aware_winter, "2025-01-06 10:00", DEFAULT) == pytest.approx(0.5)


def test_dst_change_days_have_normal_working_days() -> None:
    # Clocks go forward 30 March 2025 and back 26 October 2025 (Sundays): the Mondays after
    # are ordinary 8-hour days and the weekend still counts nothing.
    assert working_hours_between("2025-03-28 17:00", "2025-03-31 17:00", DEFAULT) == 8
    assert working_hours_between("2025-10-24 17:00", "2025-10-27 17:00", DEFAULT) == 8
    # A 24-hour desk counts the change night by the wall clock (documented behaviour).
    desk = Calendar(week=tuple([(dt.time(0), dt.time(23, 59))] * 7), nation=None)
    assert working_hours_between("2025-03-30 00:30", "2025-03-30 03:30", desk) == 3


def test_add_working_time_examples() -> None:
    assert add_working_time("2025-03-07 16:00", 4, DEFAULT) == pd.Timestamp("2025-03-10 12:00")
    assert add_working_time("2025-03-07 16:00", 2, DEFAULT, unit="days") == pd.Timestamp("2025-03-11 16:00")
    # Landing exactly on closing time gives closing time, not the next morning.
    assert add_working_time("2025-03-10 09:00", 8, DEFAULT) == pd.Timestamp("2025-03-10 17:00")
    assert add_working_time("2025-03-10 12:00", 0.75, LUNCH) == pd.Timestamp("2025-03-10 13:30")
    assert add_working_time("2025-03-08 11:00", 0, DEFAULT) == pd.Timestamp("2025-03-08 11:00")
    out = add_working_time(pd.Series(pd.to_datetime(["2025-04-17 16:00", None])), 2, DEFAULT)
    assert out.iloc[0] == pd.Timestamp("2025-04-22 10:00") and pd.isna(out.iloc[1])


def test_long_targets_on_a_one_day_week() -> None:
    mondays = Calendar.standard(days=(0,), nation=None)
    due = add_working_time("2025-01-06 09:00", 80 * 8, mondays)  # 80 Mondays later
    assert due == pd.Timestamp("2025-01-06 17:00") + pd.Timedelta(weeks=79)
    assert working_hours_between("2025-01-06 09:00", due, mondays) == 640


def test_bad_calendar_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="nation"):
        Calendar.standard(nation="wales-only")
    with pytest.raises(ConfigError, match="HH:MM"):
        Calendar.standard(opens="nine")
    with pytest.raises(ConfigError, match="after opening"):
        Calendar.standard(opens="17:00", closes="09:00")


# ----------------------------------------------------------------------------- properties

MINUTES_2024_2026 = 3 * 366 * 24 * 60
moments = st.integers(min_value=0, max_value=MINUTES_2024_2026).map(
    lambda m: pd.Timestamp("2024-01-01") + pd.Timedelta(minutes=m)
)
calendars = st.sampled_from([DEFAULT, LUNCH, Calendar.standard("08:00", "18:30", days=(0, 1, 2, 3))])


@settings(max_examples=300, deadline=None)
@given(st.lists(moments, min_size=3, max_size=3), calendars)
def test_additive(points: list[pd.Timestamp], cal: Calendar) -> None:
    a, b, c = sorted(points)
    whole = working_hours_between(a, c, cal)
    parts = working_hours_between(a, b, cal) + working_hours_between(b, c, cal)
    assert whole == pytest.approx(parts, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(min_value=0, max_value=20 * 24 * 60), st.integers(0, 600), calendars)
def test_monotonic_and_bounded(start: pd.Timestamp, span: int, more: int, cal: Calendar) -> None:
    end = start + pd.Timedelta(minutes=span)
    later = end + pd.Timedelta(minutes=more)
    first = working_hours_between(start, end, cal)
    second = working_hours_between(start, later, cal)
    assert 0 <= first <= second
    assert first <= span / 60 + 1e-9


@settings(max_examples=200, deadline=None)
@given(moments, st.integers(min_value=1, max_value=40 * 60), calendars)
def test_add_is_the_inverse_of_between(start: pd.Timestamp, minutes: int, cal: Calendar) -> None:
    due = add_working_time(start, minutes / 60, cal)
    assert working_hours_between(start, due, cal) == pytest.approx(minutes / 60, abs=1e-9)
    # and it is the earliest such moment: one minute earlier is not enough
    assert working_hours_between(start, due - pd.Timedelta(minutes=1), cal) < minutes / 60


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)), st.integers(0, 1439))
def test_zero_outside_working_time(day: dt.date, minute: int) -> None:
    start = pd.Timestamp(day) + pd.Timedelta(minutes=minute)
    end = start + pd.Timedelta(minutes=1)
    hours = working_hours_between(start, end, DEFAULT)
    weekend = day.weekday() >= 5
    holiday = day in DEFAULT.holidays_between(day.year, day.year)
    outside = not (9 * 60 <= minute < 17 * 60)
    if weekend or holiday or outside:
        assert hours == 0
    else:
        assert hours == pytest.approx(1 / 60)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2024, 3, 1), max_value=dt.date(2026, 11, 30)),
       st.integers(0, 480), st.integers(0, 480))
def test_aware_times_in_one_working_day_count_real_elapsed_time(day: dt.date, m1: int, m2: int) -> None:
    """Across the year, clocks changing or not, an aware interval inside one working day
    counts exactly its real length (so summer time never adds or loses an hour)."""
    start_local = pd.Timestamp(day) + pd.Timedelta(hours=9, minutes=min(m1, m2))
    end_local = pd.Timestamp(day) + pd.Timedelta(hours=9, minutes=max(m1, m2))
    start = start_local.tz_localize("Europe/London").tz_convert("UTC")
    end = end_local.tz_localize("Europe/London").tz_convert("UTC")
    hours = working_hours_between(start, end, DEFAULT)
    working = day.weekday() < 5 and day not in DEFAULT.holidays_between(day.year, day.year)
    expected = (end - start).total_seconds() / 3600 if working else 0.0
    assert hours == pytest.approx(expected, abs=1e-9)


# ----------------------------------------------------------------------------- oracle


def _peer_rule(cal_hol: list[dt.date]):
    import businesstimedelta as btd
    import pytz

    days = [0, 1, 2, 3, 4]
    return btd.Rules(
        [
            btd.WorkDayRule(start_time=dt.time(9), end_time=dt.time(17), working_days=days, tz=pytz.utc),
            btd.LunchTimeRule(
                start_time=dt.time(12, 30), end_time=dt.time(13, 15), working_days=days, tz=pytz.utc
            ),
            btd.HolidayRule(cal_hol, tz=pytz.utc),
        ]
    )


@pytest.mark.slow
def test_oracle_businesstimedelta_10000_cases() -> None:
    """Same answers as an independent library on 10,000 random cases, to the second."""
    import businesstimedelta  # noqa: F401 - the peer (test extra) must be installed
    rule = _peer_rule(sorted(LUNCH.holidays_between(2024, 2026)))
    rng = np.random.default_rng(20251121)
    n = 10_000
    start = np.datetime64("2025-01-01T00:00:00") + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    # Mostly same-week spans, some long ones, some within one day.
    span = np.where(rng.random(n) < 0.3, rng.integers(0, 9 * 3600, n), rng.integers(0, 12 * 86400, n))
    end = start + span.astype("timedelta64[s]")
    ours = working_hours_between(start, end, LUNCH)
    theirs = np.array(
        [
            rule.difference(s.astype(dt.datetime), e.astype(dt.datetime)).timedelta.total_seconds() / 3600
            for s, e in zip(start, end)
        ]
    )
    mismatches = np.flatnonzero(np.abs(ours - theirs) > 1e-9)
    assert len(mismatches) == 0, [(str(start[i]), str(end[i]), ours[i], theirs[i]) for i in mismatches[:5]]


@pytest.mark.slow
def test_oracle_due_times_1000_cases() -> None:
    import businesstimedelta as btd
    rule = _peer_rule(sorted(LUNCH.holidays_between(2024, 2026)))
    rng = np.random.default_rng(7)
    n = 1000
    start = np.datetime64("2025-01-01T00:00:00") + rng.integers(0, 365 * 86400, n).astype("timedelta64[s]")
    minutes = rng.integers(1, 60 * 40, n)
    ours = add_working_time(start, minutes / 60, LUNCH)
    theirs = np.array(
        [
            np.datetime64((s.astype(dt.datetime) + btd.BusinessTimeDelta(rule, seconds=int(m) * 60)).replace(tzinfo=None))
            for s, m in zip(start, minutes)
        ]
    ).astype("datetime64[ns]")
    assert np.array_equal(ours, theirs), np.flatnonzero(ours != theirs)[:5]
