"""Benchmark: the working-time engine against businesstimedelta.

    python benchmarks/bench_working_time.py --rows 1000000 [--sample 2000] [--seed 1]

Prints the engine's time for all rows (best of 3, one core), the peer library's time per row
on a sample, and on its last line `speedup=<ratio> mismatches=<n>` where the ratio is the
peer's time per row over the engine's, and mismatches are compared on the sample.
Targets: 1M rows <= 1 s, speedup >= 1000, mismatches=0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np


def random_intervals(rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Requests received at any minute of 2025, answered 0 to 15 calendar days later."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-01-01T00:00:00", "ns") + (
        rng.integers(0, 365 * 86400, rows) * 1_000_000_000
    ).astype("timedelta64[ns]")
    span = rng.integers(0, 15 * 86400, rows) * 1_000_000_000
    return start, start + span.astype("timedelta64[ns]")


def peer_hours(start: np.ndarray, end: np.ndarray, holidays: list[dt.date]) -> np.ndarray:
    import businesstimedelta as btd
    import pytz

    days = [0, 1, 2, 3, 4]
    rule = btd.Rules(
        [
            btd.WorkDayRule(start_time=dt.time(9), end_time=dt.time(17), working_days=days, tz=pytz.utc),
            btd.LunchTimeRule(
                start_time=dt.time(12, 30), end_time=dt.time(13, 15), working_days=days, tz=pytz.utc
            ),
            btd.HolidayRule(holidays, tz=pytz.utc),
        ]
    )
    out = np.empty(len(start))
    for i, (s, e) in enumerate(zip(start.astype("datetime64[us]"), end.astype("datetime64[us]"))):
        out[i] = rule.difference(s.astype(dt.datetime), e.astype(dt.datetime)).timedelta.total_seconds() / 3600
    return out


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from ilcs.working_time import Calendar, working_hours_between

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    calendar = Calendar.standard(lunch="12:30-13:15", nation="england-and-wales")
    start, end = random_intervals(args.rows, args.seed)
    start_s, end_s = pd.Series(start), pd.Series(end)
    working_hours_between(start_s.iloc[:10], end_s.iloc[:10], calendar)  # warm the calendar table
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        ours = working_hours_between(start_s, end_s, calendar)
        best = min(best, time.perf_counter() - t0)
    engine_per_row = best / args.rows
    print(f"engine: {args.rows:,} rows in {best:.3f} s ({engine_per_row * 1e9:.0f} ns per row)")

    sample = np.random.default_rng(args.seed + 1).choice(args.rows, size=min(args.sample, args.rows), replace=False)
    holidays = sorted(calendar.holidays_between(2024, 2026))
    t0 = time.perf_counter()
    theirs = peer_hours(start[sample], end[sample], holidays)
    peer_per_row = (time.perf_counter() - t0) / len(sample)
    print(f"businesstimedelta: {len(sample):,} rows, {peer_per_row * 1e6:.1f} µs per row")
    mismatches = int(np.sum(np.abs(ours.to_numpy()[sample] - theirs) > 1e-9))
    print(f"speedup={peer_per_row / engine_per_row:.0f} mismatches={mismatches}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
