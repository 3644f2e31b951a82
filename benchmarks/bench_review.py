"""Assessment II figures for bench_store: cohort matrix and cohort export at centre scale.

    python benchmarks/bench_review.py --candidates 500 --questions 100

runs benchmarks/bench_store.py with these measurements added, so its LAST line reads
`autosave_p99_ms=<x> cohort_matrix_s=<y> export_s=<z> review_app_s=<a>
review_app_over_read=<b>` (one line). Targets: cohort matrix <= 0.5 s; CSV and XLSX export
<= 2 s; the review app costs little more than the store read it shows. bench_store.py can also take them directly:
`from bench_review import MEASUREMENTS as REVIEW; MEASUREMENTS += REVIEW`.

- prepare (once, not timed in the figures): auto-mark every objective answer and record a
  decision for about half of the candidate x criterion cells, from 12 assessors;
- cohort_matrix_s: read the store (answers, marks, decisions, ...) and compute the
  candidate x criterion matrix, best of 3;
- export_s: the same read plus the cohort table written to CSV and to XLSX, best of 3;
- review_app_s: open the review app (`ReviewView`: the store read with responses, the first
  page of the matrix, the candidate list and the candidate page), best of 3;
- review_app_over_read: review_app_s over its peer measured in the same run, the store read
  it needs alone (`load_review_data(with_responses=True)` and the matrix): what the widgets
  add. The details line also gives the time of one filter change (by centre).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(Path(__file__).resolve().parent)):
    if p not in sys.path:
        sys.path.insert(0, p)

_PREPARED: set[int] = set()
_REVIEW_APP: dict[int, tuple[float, float]] = {}  # id(store) -> (app seconds, ratio)


def _prepare(ctx: Any) -> None:
    """Auto-mark and add decisions once per store (timed as a detail only)."""
    if id(ctx.store) in _PREPARED:
        return
    import sqlalchemy as sa

    from ilcs.assessment import review
    from ilcs.assessment import review_tables as rt
    from ilcs.assessment.questions import load_bank, load_keys
    from ilcs.assessment.store import now_iso
    from ilcs.assessment.unit import load_unit

    t0 = time.perf_counter()
    bank = load_bank()
    marked = review.mark_imported(ctx.store, bank=bank, keys=load_keys(bank=bank))
    t1 = time.perf_counter()
    criteria = load_unit().criterion_ids()
    stamp = now_iso()
    rows = [{"candidate_id": cid, "criterion_id": crit,
             "outcome": "met" if ctx.rng.random() < 0.7 else "not_yet_met",
             "proposed": "met", "assessor": f"Assessor {n % 12}",
             "feedback": "Bench feedback.", "decided_at": stamp}
            for n, cid in enumerate(ctx.candidates) for crit in criteria
            if ctx.rng.random() < 0.5]
    with ctx.store.transaction() as conn:
        conn.execute(sa.insert(rt.decisions), rows)
    ctx.details.append(f"review prepare: auto-marked {marked} answers in {t1 - t0:.2f} s; "
                       f"{len(rows)} decisions added")
    _PREPARED.add(id(ctx.store))


def _best(func: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


def measure_cohort_matrix(ctx: Any) -> float:
    from ilcs.assessment import review
    from ilcs.assessment.questions import load_bank

    _prepare(ctx)
    bank = load_bank()

    def run() -> Any:
        return review.load_review_data(ctx.store, bank=bank).matrix()

    seconds, matrix = _best(run)
    data = review.load_review_data(ctx.store, bank=bank)
    pure, _ = _best(data.matrix)
    ctx.details.append(f"cohort matrix: {matrix.shape[0]} candidates x {matrix.shape[1]} "
                       f"criteria from {len(data.answers)} latest assessed answers in "
                       f"{seconds:.3f} s (store read included; matrix alone {pure:.3f} s)")
    return round(seconds, 3)


def measure_export(ctx: Any) -> float:
    from ilcs.assessment import review
    from ilcs.assessment.questions import load_bank
    from ilcs.assessment.reports import cohort_export_frame, export_cohort

    _prepare(ctx)
    bank = load_bank()
    csv, xlsx = ctx.workdir / "cohort.csv", ctx.workdir / "cohort.xlsx"

    def run() -> None:
        data = review.load_review_data(ctx.store, bank=bank)
        table = cohort_export_frame(data.matrix(), data.candidates)
        export_cohort(table, csv)
        export_cohort(table, xlsx)

    seconds, _ = _best(run)
    ctx.details.append(f"cohort export: CSV ({csv.stat().st_size // 1024} KiB) and XLSX "
                       f"({xlsx.stat().st_size // 1024} KiB) in {seconds:.3f} s "
                       "(store read included)")
    return round(seconds, 3)


def _review_app(ctx: Any) -> tuple[float, float]:
    """(seconds to open the review app, those over the store read alone), once a store."""
    if id(ctx.store) in _REVIEW_APP:
        return _REVIEW_APP[id(ctx.store)]
    from ilcs.assessment import review
    from ilcs.assessment.questions import load_bank, load_keys
    from ilcs.assessment.views.review import ReviewView

    _prepare(ctx)
    bank = load_bank()
    keys = load_keys(bank=bank)

    def read() -> Any:
        return review.load_review_data(ctx.store, bank=bank, with_responses=True,
                                       keys=keys).matrix()

    def open_app() -> ReviewView:
        return ReviewView(ctx.store, "Bench Assessor", bank=bank, keys=keys)

    peer, _ = _best(read)
    seconds, view = _best(open_app)
    shown = len(view.visible)
    centres = [c for c in view.f_centre.options if c != "(all)"]

    def change_filter() -> None:
        view.f_centre.value = centres[0] if view.f_centre.value != centres[0] else "(all)"

    filtering, _ = _best(change_filter) if centres else (0.0, None)
    ctx.details.append(f"review app: opened in {seconds:.3f} s for {shown} candidates;"
                       f" the store read alone {peer:.3f} s "
                       f"(x{seconds / peer:.2f}); one filter change {filtering:.3f} s")
    _REVIEW_APP[id(ctx.store)] = (round(seconds, 3), round(seconds / peer, 2))
    return _REVIEW_APP[id(ctx.store)]


def measure_review_app(ctx: Any) -> float:
    return _review_app(ctx)[0]


def measure_review_app_over_read(ctx: Any) -> float:
    return _review_app(ctx)[1]


MEASUREMENTS: list[tuple[str, Callable[[Any], float]]] = [
    ("cohort_matrix_s", measure_cohort_matrix),
    ("export_s", measure_export),
    ("review_app_s", measure_review_app),
    ("review_app_over_read", measure_review_app_over_read),
]


def main(argv: list[str] | None = None) -> int:
    import bench_store

    names = {name for name, _ in bench_store.MEASUREMENTS}
    bench_store.MEASUREMENTS.extend(m for m in MEASUREMENTS if m[0] not in names)
    return bench_store.main(argv)


if __name__ == "__main__":
    sys.exit(main())
