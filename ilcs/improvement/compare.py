"""Before and after: how big was a change, and how sure can we be that it is not chance?

- `compare_values` compares two sets of measurements (e.g. first response times of the
  requests before and after a change) by their medians. The uncertainty of the difference is
  a 95 % bootstrap interval: the data are resampled `resamples` times (seeded, so the same
  data always give the same interval) and the middle 95 % of the differences is kept.
- `compare_proportions` compares two shares (e.g. % within target): the difference with
  Newcombe's 95 % interval (method 10, from two Wilson score intervals; Newcombe 1998,
  Statistics in Medicine 17: 873-890).

Either way the result ends in one plain-words statement: which way the measure moved, by how
much, on how many cases, and whether the interval rules out "no change".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ilcs.errors import DataError

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Comparison:
    """The size and certainty of a change from `before` to `after`."""

    measure: str
    unit: str
    n_before: int
    n_after: int
    before: float
    after: float
    difference: float  # after - before
    low: float  # 95 % interval of the difference
    high: float
    lower_is_better: bool

    @property
    def pct_change(self) -> float | None:
        return None if self.before == 0 else 100.0 * self.difference / abs(self.before)

    @property
    def certain(self) -> bool:
        """True when the 95 % interval leaves out zero (no change)."""
        return self.low > 0 or self.high < 0

    @property
    def better(self) -> bool:
        return (self.difference < 0) == self.lower_is_better and self.difference != 0

    def statement(self) -> str:
        """The change in plain words: direction, size, counts and certainty."""
        fmt = _fmt
        if self.difference == 0:
            moved = f"stayed at {fmt(self.before)} {self.unit}".rstrip()
        else:
            verb = "fell" if self.difference < 0 else "rose"
            if self.unit == "%":
                moved = (f"{verb} from {fmt(self.before)} % to {fmt(self.after)} %, a change "
                         f"of {fmt(abs(self.difference))} percentage points")
            else:
                pct = self.pct_change
                share = "" if pct is None else f" ({abs(pct):.0f} %)"
                moved = (f"{verb} from {fmt(self.before)} to {fmt(self.after)} {self.unit}, a "
                         f"change of {fmt(abs(self.difference))}{share}")
            moved += ", an improvement" if self.better else ", a change for the worse"
        counts = f"{self.n_before:,} before and {self.n_after:,} after"
        interval = (f"the 95 % interval of the change runs from {fmt(self.low)} to "
                    f"{fmt(self.high)}")
        if self.certain:
            sure = f"This is very unlikely to be chance: {interval}, which leaves out no change."
        else:
            sure = (f"This could be chance: {interval}, which includes no change, so more data "
                    "are needed before calling it a real change.")
        return f"The {self.measure} {moved} ({counts}). {sure}"


def _fmt(value: float) -> str:
    return f"{value:,.1f}"


def _finite(values: Iterable[float], what: str) -> np.ndarray:
    arr = np.asarray([float(v) for v in values], dtype=float)
    arr = arr[~np.isnan(arr)]
    if len(arr) < 2:
        raise DataError(f"there are {len(arr)} {what} measurements: at least 2 are needed to "
                        "compare")
    if not np.isfinite(arr).all():
        raise DataError(f"the {what} measurements include an infinite value")
    return arr


def compare_values(before: Iterable[float], after: Iterable[float], *, measure: str = "median",
                   unit: str = "", lower_is_better: bool = True, resamples: int = 2000,
                   seed: int = 2550) -> Comparison:
    """Compare the medians of two sets of measurements (missing values are left out)."""
    a, b = _finite(before, "before"), _finite(after, "after")
    rng = np.random.default_rng(seed)
    boot_a = np.median(rng.choice(a, size=(resamples, len(a)), replace=True), axis=1)
    boot_b = np.median(rng.choice(b, size=(resamples, len(b)), replace=True), axis=1)
    diffs = boot_b - boot_a
    low, high = np.quantile(diffs, [0.025, 0.975])
    med_a, med_b = float(np.median(a)), float(np.median(b))
    return Comparison(measure, unit, len(a), len(b), med_a, med_b, med_b - med_a, float(low),
                      float(high), lower_is_better)


def wilson_interval(events: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval of a proportion events / total."""
    if total <= 0:
        raise DataError("a proportion needs a total of at least 1")
    if not 0 <= events <= total:
        raise DataError(f"{events} out of {total} is not possible")
    p = events / total
    denom = 1 + z * z / total
    mid = p + z * z / (2 * total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return (mid - half) / denom, (mid + half) / denom


def compare_proportions(events_before: int, total_before: int, events_after: int,
                        total_after: int, *, measure: str = "share within target",
                        lower_is_better: bool = False) -> Comparison:
    """Compare two proportions, as percentages, with Newcombe's 95 % interval."""
    p1, p2 = events_before / max(total_before, 1), events_after / max(total_after, 1)
    l1, u1 = wilson_interval(events_before, total_before)
    l2, u2 = wilson_interval(events_after, total_after)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return Comparison(measure, "%", total_before, total_after, 100 * p1, 100 * p2, 100 * d,
                      100 * low, 100 * high, lower_is_better)
