"""Control charts and run charts: is a process stable, and did a change make a real difference?

A control chart plots a measure over time with a centre line and two limits worked out from
the data's own variation. Points inside the limits with no pattern are *common-cause*
variation (the process as it is); a **signal** says something *special* happened:

- **beyond the limits**: a point above the upper or below the lower limit;
- **shift**: `shift_length` (default 8, the Western Electric rule) points in a row on the
  same side of the centre line;
- **trend**: `trend_length` (default 7, as in the AIAG SPC manual) points in a row each
  higher (or each lower) than the one before.

Points exactly on the centre line neither count towards nor break a shift.

Charts (limits are centre +/- 3 standard errors):

- `xmr_chart` (individuals and moving range) for times and other measurements, one value per
  period: centre = mean, limits = mean +/- (3 / 1.128) x mean moving range (d2 = 1.128 for a
  moving range of two points; Wheeler rounds 3 / 1.128 to 2.66);
- `p_chart` for a proportion (e.g. share of requests within target) with a varying number
  per period: limits p +/- 3 sqrt(p (1 - p) / n), kept within 0..1;
- `c_chart` for counts in equal periods: c +/- 3 sqrt(c), never below 0;
- `u_chart` for counts per unit of opportunity (e.g. complaints per 100 requests):
  u +/- 3 sqrt(u / n), never below 0.

`split_at` starts a new phase at a point (e.g. the week a change went in): each phase has its
own centre and limits, and signals are looked for within each phase.

`run_chart` applies the Anhøj rules (Anhøj and Olesen 2014, PLoS ONE 9(11): e113825) to a run
chart around the median: a signal if the longest run is longer than round(log2(n) + 3), or if
the line crosses the median fewer times than the 5th percentile of a binomial(n - 1, 0.5),
where n counts the points not on the median.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ilcs.errors import DataError, Problem

#: 3 / d2 with d2 = 1.128, the bias constant of a moving range of two points.
E2 = 3 / 1.128
#: The upper limit of the moving range chart: D4 for a range of two points.
D4 = 3.267
CHART_KINDS = {
    "xmr": "XmR chart (individual values)",
    "p": "p-chart (proportion)",
    "c": "c-chart (count)",
    "u": "u-chart (rate per unit)",
}
RULES = ("beyond the limits", "shift", "trend")


@dataclass(frozen=True)
class Signal:
    """One special-cause signal: which rule, and the points (0-based, inclusive) it covers."""

    rule: str
    first: int
    last: int
    direction: str  # "up" or "down"

    def describe(self, labels: Sequence[str]) -> str:
        """The signal in plain words, naming the periods by their labels."""
        where = (labels[self.first] if self.first == self.last
                 else f"{labels[self.first]} to {labels[self.last]}")
        count = self.last - self.first + 1
        if self.rule == "beyond the limits":
            side = "above the upper" if self.direction == "up" else "below the lower"
            return f"{where}: a point {side} limit"
        if self.rule == "shift":
            side = "above" if self.direction == "up" else "below"
            return f"{where}: {count} points in a row {side} the centre line (a shift)"
        rising = "rising" if self.direction == "up" else "falling"
        return f"{where}: {count} points in a row each {rising} (a trend)"


@dataclass(frozen=True)
class ControlChart:
    """A control chart: one value per period with the centre line and limits at each point."""

    kind: str
    labels: list[str]
    values: list[float]
    centre: list[float]
    upper: list[float]
    lower: list[float]
    phase: list[int]
    signals: list[Signal] = field(default_factory=list)
    moving_ranges: list[float | None] = field(default_factory=list)
    #: XmR only: the moving range chart's upper limit (D4 x mean moving range; of the last
    #: phase when the chart has phases)
    moving_range_upper: float | None = None

    @property
    def title(self) -> str:
        return CHART_KINDS[self.kind]

    def table(self) -> pd.DataFrame:
        """One row per period: value, centre, limits, and the rules it is part of."""
        flags: list[list[str]] = [[] for _ in self.values]
        for s in self.signals:
            for i in range(s.first, s.last + 1):
                if s.rule not in flags[i]:
                    flags[i].append(s.rule)
        return pd.DataFrame({
            "period": self.labels,
            "value": self.values,
            "centre": self.centre,
            "lower": self.lower,
            "upper": self.upper,
            "phase": [p + 1 for p in self.phase],
            "signal": ["; ".join(f) for f in flags],
        })

    def describe(self) -> list[str]:
        """Every signal in plain words (an empty list when the process looks stable)."""
        return [s.describe(self.labels) for s in self.signals]

    def has_signal(self, rule: str | None = None) -> bool:
        return any(rule is None or s.rule == rule for s in self.signals)


@dataclass(frozen=True)
class RunChart:
    """A run chart around the median with the two Anhøj rules worked out."""

    labels: list[str]
    values: list[float]
    median: float
    useful: int
    longest_run: int
    longest_run_limit: int
    crossings: int
    crossings_limit: int

    @property
    def long_run(self) -> bool:
        return self.longest_run > self.longest_run_limit

    @property
    def few_crossings(self) -> bool:
        return self.crossings < self.crossings_limit

    @property
    def signal(self) -> bool:
        return self.long_run or self.few_crossings

    def describe(self) -> list[str]:
        lines = []
        if self.long_run:
            lines.append(f"The longest run on one side of the median is {self.longest_run} "
                         f"points; more than {self.longest_run_limit} is a signal of a shift.")
        if self.few_crossings:
            lines.append(f"The line crosses the median {self.crossings} times; fewer than "
                         f"{self.crossings_limit} is a signal that the process has changed.")
        return lines


# ---------------------------------------------------------------- checking the input

def _numbers(values: Sequence[float], column: str, source: str | None,
             *, whole: bool = False, minimum: float | None = None) -> list[float]:
    problems = []
    out: list[float] = []
    for i, raw in enumerate(values):
        try:
            v = float(raw)
        except (TypeError, ValueError):
            v = math.nan
        if not math.isfinite(v):
            problems.append(Problem(f"'{raw}' is not a number", file=source, row=i + 2,
                                    column=column))
        elif whole and v != int(v):
            problems.append(Problem(f"{raw} is not a whole number", file=source, row=i + 2,
                                    column=column))
        elif minimum is not None and v < minimum:
            problems.append(Problem(f"{raw} is less than {minimum:g}", file=source, row=i + 2,
                                    column=column))
        out.append(v)
    if problems:
        raise DataError(problems)
    return out


def _labels(labels: Sequence[str] | None, n: int) -> list[str]:
    if labels is None:
        return [str(i + 1) for i in range(n)]
    if len(labels) != n:
        raise DataError(f"{len(labels)} labels were given for {n} values: give one label "
                        "per value")
    return [str(x) for x in labels]


def _phases(labels: list[str], split_at: Sequence[str] | str | None) -> list[int]:
    if split_at is None:
        return [0] * len(labels)
    splits = [split_at] if isinstance(split_at, str) else list(split_at)
    starts = []
    for s in splits:
        if str(s) not in labels:
            raise DataError(f"cannot start a new phase at '{s}': there is no period of that "
                            "name")
        starts.append(labels.index(str(s)))
    phase, current = [], 0
    for i in range(len(labels)):
        if i in starts and i > 0:
            current += 1
        phase.append(current)
    return phase


def _poisson_sigma(rate: float, size: float) -> float:
    """One standard deviation of a count rate per unit (c- and u-charts)."""
    return math.sqrt(rate / size)


def _phase_limits(events: Sequence[float], sizes: Sequence[float], phase: Sequence[int],
                  sigma: Callable[[float, float], float], *, top: float = math.inf
                  ) -> tuple[list[float], list[float], list[float]]:
    """Centre line and 3-sigma limits of an attribute chart, each phase on its own data.

    The centre is the phase's events over its total size (p-bar, u-bar; c-bar when every
    size is 1); each point's limits are centre ± 3 × sigma(centre, its size), kept within
    0 and `top`.
    """
    centre, upper, lower = [0.0] * len(events), [0.0] * len(events), [0.0] * len(events)
    for p in sorted(set(phase)):
        idx = [i for i in range(len(events)) if phase[i] == p]
        bar = sum(events[i] for i in idx) / sum(sizes[i] for i in idx)
        for i in idx:
            half = 3 * sigma(bar, sizes[i])
            centre[i], upper[i], lower[i] = bar, min(top, bar + half), max(0.0, bar - half)
    return centre, upper, lower


def _need(n: int, least: int, what: str) -> None:
    if n < least:
        raise DataError(f"{what} needs at least {least} points; {n} given")


# ---------------------------------------------------------------- signal rules

def find_signals(values: Sequence[float], centre: Sequence[float], upper: Sequence[float],
                 lower: Sequence[float], phase: Sequence[int] | None = None, *,
                 shift_length: int = 8, trend_length: int = 7) -> list[Signal]:
    """The special-cause signals of a chart (points beyond limits, shifts, trends), each
    looked for within its phase."""
    n = len(values)
    phase = list(phase) if phase is not None else [0] * n
    signals: list[Signal] = []
    for i in range(n):
        if _above(values[i], upper[i]):
            signals.append(Signal("beyond the limits", i, i, "up"))
        elif _above(lower[i], values[i]):
            signals.append(Signal("beyond the limits", i, i, "down"))
    for p in sorted(set(phase)):
        idx = [i for i in range(n) if phase[i] == p]
        signals += _shifts(values, centre, idx, shift_length)
        signals += _trends(values, idx, trend_length)
    return sorted(signals, key=lambda s: (s.first, RULES.index(s.rule)))


def _above(a: float, b: float) -> bool:
    """a > b beyond rounding error (a mean of equal values may differ from them in the last
    digit, and must not count as a point off the line)."""
    return a - b > 1e-9 * max(1.0, abs(a), abs(b))


def _side(value: float, centre: float) -> int:
    return 1 if _above(value, centre) else -1 if _above(centre, value) else 0


def _shifts(values: Sequence[float], centre: Sequence[float], idx: list[int],
            length: int) -> list[Signal]:
    out = []
    run: list[int] = []
    side = 0
    for i in idx:
        s = _side(values[i], centre[i])
        if s == 0:
            continue  # on the centre line: neither counts nor breaks the run
        if s != side:
            if len(run) >= length:
                out.append(Signal("shift", run[0], run[-1], "up" if side > 0 else "down"))
            run, side = [], s
        run.append(i)
    if len(run) >= length:
        out.append(Signal("shift", run[0], run[-1], "up" if side > 0 else "down"))
    return out


def _trends(values: Sequence[float], idx: list[int], length: int) -> list[Signal]:
    out = []
    start = 0
    direction = 0
    for k in range(1, len(idx) + 1):
        step = 0
        if k < len(idx):
            a, b = values[idx[k - 1]], values[idx[k]]
            step = (b > a) - (b < a)
        if k < len(idx) and step != 0 and step == direction:
            continue
        if direction != 0 and k - start >= length:
            out.append(Signal("trend", idx[start], idx[k - 1], "up" if direction > 0 else "down"))
        start, direction = k - 1, step
    return out


# ---------------------------------------------------------------- charts

def xmr_chart(values: Sequence[float], labels: Sequence[str] | None = None, *,
              split_at: Sequence[str] | str | None = None, source: str | None = None,
              column: str = "value", shift_length: int = 8,
              trend_length: int = 7) -> ControlChart:
    """An XmR (individuals and moving range) chart of one value per period."""
    x = _numbers(values, column, source)
    _need(len(x), 2, "An XmR chart")
    names = _labels(labels, len(x))
    phase = _phases(names, split_at)
    centre, upper, lower = [0.0] * len(x), [0.0] * len(x), [0.0] * len(x)
    moving: list[float | None] = [None] * len(x)
    mr_upper = None
    for p in sorted(set(phase)):
        idx = [i for i in range(len(x)) if phase[i] == p]
        _need(len(idx), 2, f"Phase {p + 1} of an XmR chart")
        mean = sum(x[i] for i in idx) / len(idx)
        ranges = [abs(x[b] - x[a]) for a, b in zip(idx, idx[1:])]
        for a, r in zip(idx[1:], ranges):
            moving[a] = r
        mr_bar = sum(ranges) / len(ranges)
        mr_upper = D4 * mr_bar
        for i in idx:
            centre[i], upper[i], lower[i] = mean, mean + E2 * mr_bar, mean - E2 * mr_bar
    return ControlChart("xmr", names, x, centre, upper, lower, phase,
                        find_signals(x, centre, upper, lower, phase, shift_length=shift_length,
                                     trend_length=trend_length),
                        moving, mr_upper)


def p_chart(events: Sequence[float], totals: Sequence[float], labels: Sequence[str] | None = None,
            *, split_at: Sequence[str] | str | None = None, source: str | None = None,
            shift_length: int = 8, trend_length: int = 7) -> ControlChart:
    """A p-chart: `events` out of `totals` in each period (e.g. within target out of measured).
    Values, centre and limits are proportions (0..1); the limits widen where n is small."""
    k = _numbers(events, "events", source, whole=True, minimum=0)
    n = _numbers(totals, "total", source, whole=True, minimum=1)
    if len(k) != len(n):
        raise DataError(f"{len(k)} counts were given for {len(n)} totals: give one of each "
                        "per period")
    over = [Problem(f"{int(a)} is more than the total of {int(b)}", file=source, row=i + 2,
                    column="events") for i, (a, b) in enumerate(zip(k, n)) if a > b]
    if over:
        raise DataError(over)
    _need(len(k), 2, "A p-chart")
    names = _labels(labels, len(k))
    phase = _phases(names, split_at)
    values = [a / b for a, b in zip(k, n)]
    centre, upper, lower = _phase_limits(
        k, n, phase, lambda p_bar, size: math.sqrt(p_bar * (1 - p_bar) / size), top=1.0)
    return ControlChart("p", names, values, centre, upper, lower, phase,
                        find_signals(values, centre, upper, lower, phase,
                                     shift_length=shift_length, trend_length=trend_length))


def c_chart(counts: Sequence[float], labels: Sequence[str] | None = None, *,
            split_at: Sequence[str] | str | None = None, source: str | None = None,
            shift_length: int = 8, trend_length: int = 7) -> ControlChart:
    """A c-chart of counts in equal periods (e.g. complaints per month)."""
    c = _numbers(counts, "count", source, whole=True, minimum=0)
    _need(len(c), 2, "A c-chart")
    names = _labels(labels, len(c))
    phase = _phases(names, split_at)
    centre, upper, lower = _phase_limits(c, [1.0] * len(c), phase, _poisson_sigma)
    return ControlChart("c", names, c, centre, upper, lower, phase,
                        find_signals(c, centre, upper, lower, phase, shift_length=shift_length,
                                     trend_length=trend_length))


def u_chart(counts: Sequence[float], units: Sequence[float], labels: Sequence[str] | None = None,
            *, split_at: Sequence[str] | str | None = None, source: str | None = None,
            shift_length: int = 8, trend_length: int = 7) -> ControlChart:
    """A u-chart: counts per unit of opportunity, where the units differ between periods
    (e.g. complaints per request)."""
    c = _numbers(counts, "count", source, whole=True, minimum=0)
    n = _numbers(units, "units", source)
    bad = [Problem(f"{u:g} is not more than 0", file=source, row=i + 2, column="units")
           for i, u in enumerate(n) if u <= 0]
    if bad:
        raise DataError(bad)
    if len(c) != len(n):
        raise DataError(f"{len(c)} counts were given for {len(n)} unit sizes: give one of each "
                        "per period")
    _need(len(c), 2, "A u-chart")
    names = _labels(labels, len(c))
    phase = _phases(names, split_at)
    values = [a / b for a, b in zip(c, n)]
    centre, upper, lower = _phase_limits(c, n, phase, _poisson_sigma)
    return ControlChart("u", names, values, centre, upper, lower, phase,
                        find_signals(values, centre, upper, lower, phase,
                                     shift_length=shift_length, trend_length=trend_length))


# ---------------------------------------------------------------- run charts (Anhøj rules)

def longest_run_limit(useful: int) -> int:
    """The longest run expected by chance among `useful` points: round(log2(n) + 3)."""
    return int(math.floor(math.log2(useful) + 3 + 0.5)) if useful > 0 else 0


def crossings_limit(useful: int) -> int:
    """The fewest crossings expected by chance: the 5th percentile of binomial(n - 1, 0.5)
    (the smallest c with P(X <= c) >= 0.05)."""
    trials = useful - 1
    if trials < 1:
        return 0
    total = 2 ** trials
    cumulative = 0
    for c in range(trials + 1):
        cumulative += math.comb(trials, c)
        if cumulative / total >= 0.05:
            return c
    return trials


def run_chart(values: Sequence[float], labels: Sequence[str] | None = None, *,
              source: str | None = None, column: str = "value") -> RunChart:
    """A run chart around the median, with the longest run and the crossings of the median."""
    x = _numbers(values, column, source)
    _need(len(x), 2, "A run chart")
    names = _labels(labels, len(x))
    median = float(pd.Series(x).median())
    sides = [(v > median) - (v < median) for v in x]
    sides = [s for s in sides if s != 0]
    longest, run = 0, 0
    crossings = 0
    for i, s in enumerate(sides):
        run = run + 1 if i > 0 and s == sides[i - 1] else 1
        longest = max(longest, run)
        if i > 0 and s != sides[i - 1]:
            crossings += 1
    useful = len(sides)
    return RunChart(names, x, median, useful, longest, longest_run_limit(useful), crossings,
                    crossings_limit(useful))
