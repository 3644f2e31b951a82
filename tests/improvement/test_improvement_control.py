"""Control charts: published worked examples, hand-checked rules and property tests."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ilcs.errors import DataError
from ilcs.improvement.control import (
    c_chart,
    crossings_limit,
    find_signals,
    longest_run_limit,
    p_chart,
    run_chart,
    u_chart,
    xmr_chart,
)

# ---------------------------------------------------------------- published worked examples

def test_xmr_reproduces_the_nist_sematech_flow_rate_example() -> None:
    # NIST/SEMATECH e-Handbook of Statistical Methods, section 6.3.2.2 "Individuals control
    # charts": flow rate of the first 10 batches. Published: mean 50.81, mean moving range
    # 1.8778, UCL = 50.81 + 3(1.8778 / 1.128) = 55.8041, LCL = 45.8159.
    flow = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]
    chart = xmr_chart(flow)
    assert chart.centre[0] == pytest.approx(50.81)
    assert chart.upper[0] == pytest.approx(55.8041, abs=1e-4)
    assert chart.lower[0] == pytest.approx(45.8159, abs=1e-4)
    # moving ranges by hand: 2.0 2.3 1.4 3.5 3.4 1.4 0.2 1.2 1.5 -> 16.9 / 9 = 1.8778;
    # the range chart's upper limit is D4 x 1.8778 = 3.267 x 1.8778 = 6.135
    assert chart.moving_ranges[1:] == pytest.approx([2.0, 2.3, 1.4, 3.5, 3.4, 1.4, 0.2, 1.2, 1.5])
    assert chart.moving_range_upper == pytest.approx(6.1347, abs=1e-3)
    assert chart.signals == []


# Montgomery, Introduction to Statistical Quality Control (6th edition), Example 7.1: 30
# samples of n = 50 orange juice cans, nonconforming cans per sample. Published: p = 0.2313,
# UCL = 0.4102, LCL = 0.0524; samples 15 and 23 above the upper limit.
MONTGOMERY_CANS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                   8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]


def test_p_chart_reproduces_montgomery_example_7_1() -> None:
    assert sum(MONTGOMERY_CANS) == 347  # 347 / 1500 = 0.2313
    chart = p_chart(MONTGOMERY_CANS, [50] * 30)
    assert chart.centre[0] == pytest.approx(0.2313, abs=1e-4)
    assert chart.upper[0] == pytest.approx(0.4102, abs=1e-4)
    assert chart.lower[0] == pytest.approx(0.0524, abs=1e-4)
    beyond = [s.first + 1 for s in chart.signals if s.rule == "beyond the limits"]
    assert beyond == [15, 23]  # 22/50 = 0.44 and 24/50 = 0.48 are above 0.4102


def test_c_chart_reproduces_montgomery_example_7_3() -> None:
    # Montgomery (6th edition), Example 7.3: nonconformities in 26 samples of 100 printed
    # circuit boards. Published: c = 19.85, UCL = 33.22, LCL = 6.48; sample 6 (5) below and
    # sample 20 (39) above the limits.
    counts = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39,
              30, 24, 16, 19, 17, 15]
    chart = c_chart(counts)
    assert chart.centre[0] == pytest.approx(19.85, abs=0.005)
    assert chart.upper[0] == pytest.approx(33.22, abs=0.01)
    assert chart.lower[0] == pytest.approx(6.48, abs=0.01)
    assert [(s.first + 1, s.direction) for s in chart.signals
            if s.rule == "beyond the limits"] == [(6, "down"), (20, "up")]


def test_u_chart_reproduces_montgomery_personal_computer_example() -> None:
    # Montgomery (6th edition), Example 7.4: nonconformities in 20 samples of 5 personal
    # computers. Published: u = 1.93, UCL = 3.79, LCL = 0.07.
    counts = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]
    chart = u_chart(counts, [5] * 20)
    assert chart.centre[0] == pytest.approx(1.93)
    assert chart.upper[0] == pytest.approx(3.79, abs=0.005)
    assert chart.lower[0] == pytest.approx(0.07, abs=0.005)
    assert chart.signals == []


def test_anhoj_limits_match_the_published_table() -> None:
    # Anhøj and Olesen (2014), "Run charts revisited", PLoS ONE 9(11): e113825, Table 1:
    # useful observations -> longest run allowed, fewest crossings expected.
    published = {10: (6, 2), 11: (6, 2), 12: (7, 3), 14: (7, 4), 16: (7, 4), 18: (7, 5),
                 20: (7, 6), 22: (7, 7), 24: (8, 8), 26: (8, 8), 30: (8, 10)}
    for n, (run, cross) in published.items():
        assert (longest_run_limit(n), crossings_limit(n)) == (run, cross), n


# ---------------------------------------------------------------- hand-checked examples

def test_p_chart_limits_widen_where_fewer_were_measured() -> None:
    # 45 of 100 + 10 of 20 + 5 of 10 = 60 of 130: p = 0.461538...
    # at n = 100: 3 sqrt(0.4615 x 0.5385 / 100) = 0.14956 -> 0.3120 .. 0.6111
    # at n = 10:  3 sqrt(0.4615 x 0.5385 / 10)  = 0.47295 -> 0 (not -0.0114) .. 0.9345
    chart = p_chart([45, 10, 5], [100, 20, 10])
    assert chart.centre[0] == pytest.approx(60 / 130)
    assert chart.upper[0] == pytest.approx(0.6111, abs=1e-4)
    assert chart.lower[0] == pytest.approx(0.3120, abs=1e-4)
    assert chart.upper[2] == pytest.approx(0.9345, abs=1e-4)
    assert chart.lower[2] == 0.0


def test_phases_have_their_own_centre_and_limits() -> None:
    # phase 1: 10, 12, 11 -> mean 11, moving ranges 2, 1 -> 1.5; phase 2: 4, 6, 5 -> mean 5
    chart = xmr_chart([10, 12, 11, 4, 6, 5], list("abcdef"), split_at="d")
    assert chart.centre == [11, 11, 11, 5, 5, 5]
    assert chart.upper[0] == pytest.approx(11 + 1.5 * 3 / 1.128)
    assert chart.phase == [0, 0, 0, 1, 1, 1]
    assert chart.table()["phase"].tolist() == [1, 1, 1, 2, 2, 2]


def test_shift_counts_points_on_one_side_and_ignores_points_on_the_line() -> None:
    values = [1, 1, 1, 1, 5, 1, 1, 1, 1]  # centre 2: eight below, with one point above
    flat = [2.0] * len(values)
    wide_up, wide_down = [100.0] * len(values), [-100.0] * len(values)
    assert find_signals(values, flat, wide_up, wide_down) == []
    on_line = [1, 1, 1, 1, 2, 1, 1, 1, 1]  # the point on the centre line neither counts nor breaks
    (shift,) = find_signals(on_line, flat, wide_up, wide_down)
    assert (shift.rule, shift.first, shift.last, shift.direction) == ("shift", 0, 8, "down")


def test_trend_needs_seven_points_each_rising_and_a_tie_breaks_it() -> None:
    wide_up, wide_down, centre = [100.0] * 8, [-100.0] * 8, [3.5] * 8
    (trend,) = find_signals([1, 2, 3, 4, 5, 6, 7, 0], centre, wide_up, wide_down)
    assert (trend.rule, trend.first, trend.last, trend.direction) == ("trend", 0, 6, "up")
    assert find_signals([1, 2, 3, 3, 5, 6, 7, 0], centre, wide_up, wide_down) == []
    assert find_signals([1, 2, 3, 4, 5, 6, 7, 0], centre, wide_up, wide_down,
                        trend_length=8) == []


def test_signals_are_described_in_words() -> None:
    chart = c_chart([1, 1, 1, 30], ["Jan", "Feb", "Mar", "Apr"])
    # c = 33 / 4 = 8.25, UCL = 8.25 + 3 x 2.872 = 16.87: April is above it
    assert chart.describe() == ["Apr: a point above the upper limit"]


def test_run_chart_counts_the_longest_run_and_the_crossings() -> None:
    # median 5.5; five points below then five above: longest run 5, one crossing.
    # n = 10: runs longer than 6 or fewer than 2 crossings signal -> a signal (1 < 2)
    chart = run_chart(list(range(1, 11)))
    assert (chart.median, chart.useful, chart.longest_run, chart.crossings) == (5.5, 10, 5, 1)
    assert chart.few_crossings and not chart.long_run and chart.signal
    zigzag = run_chart([1, 9, 2, 8, 3, 7, 4, 6, 5, 5, 5])  # median 5: three points on it
    assert zigzag.useful == 8 and zigzag.crossings == 7 and not zigzag.signal


def test_bad_input_is_named_by_row_and_column() -> None:
    with pytest.raises(DataError) as err:
        xmr_chart([1.0, "x", 3.0], source="weekly.csv", column="hours")  # type: ignore[list-item]
    assert str(err.value) == "1 problem found:\n  - weekly.csv, row 3, column 'hours': 'x' is not a number"
    with pytest.raises(DataError) as err:
        p_chart([3, 12], [10, 10], source="weekly.csv")
    assert "weekly.csv, row 3, column 'events': 12 is more than the total of 10" in str(err.value)
    with pytest.raises(DataError, match="needs at least 2 points; 1 given"):
        c_chart([3])
    with pytest.raises(DataError, match="no period of that name"):
        xmr_chart([1, 2, 3], ["a", "b", "c"], split_at="z")


# ---------------------------------------------------------------- properties

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(st.lists(finite, min_size=2, max_size=60))
@settings(max_examples=200, deadline=None)
def test_xmr_limits_are_symmetric_about_the_centre(values: list[float]) -> None:
    chart = xmr_chart(values)
    for c, u, lo in zip(chart.centre, chart.upper, chart.lower):
        assert u - c == pytest.approx(c - lo, abs=1e-6)
        assert lo <= c <= u


@given(st.lists(finite, min_size=2, max_size=40), st.floats(min_value=-1e3, max_value=1e3))
@settings(max_examples=100, deadline=None)
def test_xmr_limits_move_with_the_data(values: list[float], shift: float) -> None:
    a, b = xmr_chart(values), xmr_chart([v + shift for v in values])
    assert b.centre[0] == pytest.approx(a.centre[0] + shift, abs=1e-6)
    assert b.upper[0] - b.lower[0] == pytest.approx(a.upper[0] - a.lower[0], abs=1e-6)


@given(st.lists(st.tuples(st.integers(1, 500), st.floats(0, 1)), min_size=2, max_size=60))
@settings(max_examples=200, deadline=None)
def test_p_chart_limits_stay_within_zero_and_one(samples: list[tuple[int, float]]) -> None:
    totals = [n for n, _ in samples]
    events = [math.floor(n * share) for n, share in samples]
    chart = p_chart(events, totals)
    for v, c, u, lo in zip(chart.values, chart.centre, chart.upper, chart.lower):
        assert 0.0 <= lo <= c <= u <= 1.0
        assert 0.0 <= v <= 1.0


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=60))
@settings(max_examples=200, deadline=None)
def test_c_chart_lower_limit_is_never_below_zero(counts: list[int]) -> None:
    chart = c_chart(counts)
    assert all(lo >= 0 for lo in chart.lower)
    assert chart.centre[0] == pytest.approx(sum(counts) / len(counts))


@given(st.floats(-1e3, 1e3, allow_nan=False), st.integers(2, 60))
@settings(max_examples=50, deadline=None)
def test_a_constant_series_has_no_signal(value: float, n: int) -> None:
    assert xmr_chart([value] * n).signals == []
    assert run_chart([value] * n).useful == 0


@given(st.integers(1, 500))
def test_crossings_limit_is_the_fifth_percentile(n: int) -> None:
    limit = crossings_limit(n)
    trials = n - 1
    if trials < 1:
        assert limit == 0
        return
    below = sum(math.comb(trials, c) for c in range(limit)) / 2 ** trials
    upto = below + math.comb(trials, limit) / 2 ** trials
    assert below < 0.05 <= upto


@given(st.lists(st.tuples(st.integers(0, 200), st.floats(0.5, 50)), min_size=2, max_size=40))
@settings(max_examples=100, deadline=None)
def test_u_chart_limits_are_never_below_zero_and_widen_with_fewer_units(
        samples: list[tuple[int, float]]) -> None:
    chart = u_chart([c for c, _ in samples], [n for _, n in samples])
    units = [n for _, n in samples]
    for i, j in zip(range(len(units)), range(1, len(units))):
        assert chart.lower[i] >= 0
        if units[i] < units[j]:
            assert chart.upper[i] >= chart.upper[j] - 1e-12


@given(st.lists(finite, min_size=4, max_size=40), st.integers(2, 38))
@settings(max_examples=100, deadline=None)
def test_each_phase_of_an_xmr_chart_is_the_chart_of_its_own_points(values: list[float],
                                                                   cut: int) -> None:
    cut = min(cut, len(values) - 2)
    labels = [str(i) for i in range(len(values))]
    both = xmr_chart(values, labels, split_at=labels[cut])
    first, second = xmr_chart(values[:cut]), xmr_chart(values[cut:])
    assert both.upper[0] == pytest.approx(first.upper[0], abs=1e-6)
    assert both.upper[-1] == pytest.approx(second.upper[0], abs=1e-6)
