"""Benchmark: the answer store at the scale of a centre.

    python benchmarks/bench_store.py --candidates 500 --questions 100 [--saves 1000]
                                     [--database URL] [--seed 1]

Fills a fresh store (a temporary SQLite file unless --database is given) with every
candidate's answers to every question (some answered twice: history), then runs each
measurement in MEASUREMENTS. Prints one line per detail and, on its LAST line, every
measurement as `name=value` separated by spaces, e.g. `autosave_p99_ms=3.1`.
Target: autosave p99 <= 20 ms on SQLite.

Adding a measurement (e.g. Assessment II's cohort matrix and export): write a function
`f(ctx: BenchContext) -> float` and append `("cohort_matrix_s", f)` to MEASUREMENTS.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ilcs.assessment.store import AnswerStore  # noqa: E402

WORDS = ("service standard colleague team request response time agreed quality feedback "
         "survey improve internal customer needs expectations trust communication problem "
         "complaint resolve monitor review target measure deliver").split()


@dataclass
class BenchContext:
    """What a measurement can use: the filled store and what is in it."""

    store: AnswerStore
    url: str
    workdir: Path
    candidates: list[str]
    questions: list[dict[str, Any]]  # {"id", "type", "mode", ...} of each question used
    bank_version: str
    rng: random.Random
    args: argparse.Namespace
    details: list[str] = field(default_factory=list)  # printed before the last line


def _question_list(n: int) -> tuple[list[dict[str, Any]], str]:
    """Up to n questions of the real bank, padded with synthetic ones to exactly n."""
    out: list[dict[str, Any]] = []
    version = "bench"
    try:
        from ilcs.assessment.questions import load_bank

        bank = load_bank()
        version = bank.version
        for q in bank.questions[:n]:
            out.append({"id": q.id, "type": q.type, "mode": q.mode, "criteria": q.criteria,
                        "options": [o.id for o in q.options], "items": [i.id for i in q.items],
                        "left": [i.id for i in q.left], "right": [i.id for i in q.right],
                        "answer_type": q.answer_type})
    except Exception as exc:  # noqa: BLE001 - a bank problem must not stop the benchmark
        print(f"(question bank not used: {type(exc).__name__})")
    for i in range(len(out), n):
        kind = ("single_choice", "numeric", "written")[i % 3]
        out.append({"id": f"bench-extra-{i:03d}", "type": kind, "mode": "assessed",
                    "criteria": (), "options": ["a", "b", "c", "d"], "items": [], "left": [],
                    "right": [], "answer_type": None})
    return out, version


def fake_response(q: dict[str, Any], rng: random.Random) -> Any:
    """A plausible response of the right shape for the question's type."""
    kind = q["type"]
    if kind == "data_task":
        kind = "single_choice" if q["answer_type"] == "single_choice" else "numeric"
    if kind == "single_choice":
        return rng.choice(q["options"] or ["a"])
    if kind == "multiple_choice":
        return sorted(rng.sample(q["options"], k=rng.randint(1, len(q["options"]))))
    if kind == "numeric":
        return round(rng.uniform(0, 100), 1)
    if kind == "ordering":
        items = list(q["items"])
        rng.shuffle(items)
        return items
    if kind == "matching":
        rights = list(q["right"])
        rng.shuffle(rights)
        return dict(zip(q["left"], rights))
    length = rng.randint(120, 250) if kind == "written" else rng.randint(5, 15)
    return " ".join(rng.choice(WORDS) for _ in range(length))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def fill(ctx: BenchContext, repeat_share: float = 0.3) -> int:
    """Every candidate answers every question; a share are answered twice (history)."""
    start = datetime(2026, 9, 1, 9, 0, tzinfo=timezone.utc)
    rows: list[dict[str, Any]] = []
    total = 0
    for n, cid in enumerate(ctx.candidates):
        ctx.store.save_candidate(cid, name=f"Candidate {n:04d}", candidate_number=f"C{n:04d}",
                                 centre=f"Centre {n % 5}", assessor=f"Assessor {n % 12}",
                                 actor="bench")
        moment = start + timedelta(days=n % 60)
        for q in ctx.questions:
            times = 2 if ctx.rng.random() < repeat_share else 1
            for _ in range(times):
                moment += timedelta(seconds=ctx.rng.randint(20, 600))
                rows.append({
                    "answer_uid": uuid.uuid4().hex, "candidate_id": cid, "question_id": q["id"],
                    "response": _json(fake_response(q, ctx.rng)), "mode": q["mode"],
                    "bank_version": ctx.bank_version, "saved_at": _stamp(moment),
                    "origin": "pack", "pack_sha256": None,
                })
        if len(rows) >= 5000:
            total += _flush(ctx, rows)
    total += _flush(ctx, rows)
    return total


def _json(value: Any) -> str:
    from ilcs.assessment.store import canonical_json

    return canonical_json(value)


def _flush(ctx: BenchContext, rows: list[dict[str, Any]]) -> int:
    with ctx.store.transaction() as conn:
        n = ctx.store.insert_answers(conn, rows, actor="bench")
    rows.clear()
    return n


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1)."""
    ordered = sorted(values)
    rank = max(1, int(round(share * len(ordered) + 0.5 - 1e-9)))
    return ordered[min(rank, len(ordered)) - 1]


def measure_autosave(ctx: BenchContext) -> float:
    """A trainee saving one answer at a time: latency of single save_answer calls (ms)."""
    timings: list[float] = []
    for _ in range(ctx.args.saves):
        cid = ctx.rng.choice(ctx.candidates)
        q = ctx.rng.choice(ctx.questions)
        response = fake_response(q, ctx.rng)
        t0 = time.perf_counter()
        ctx.store.save_answer(cid, q["id"], response, q["mode"], ctx.bank_version)
        timings.append((time.perf_counter() - t0) * 1000)
    p50, p99 = percentile(timings, 0.50), percentile(timings, 0.99)
    ctx.details.append(f"autosave: {len(timings)} single saves, p50 {p50:.2f} ms, p99 "
                       f"{p99:.2f} ms, max {max(timings):.2f} ms, mean "
                       f"{statistics.fmean(timings):.2f} ms")
    return round(p99, 2)


# (name, function) pairs; the last line prints `name=value` for each, in this order.
MEASUREMENTS: list[tuple[str, Callable[[BenchContext], float]]] = [
    ("autosave_p99_ms", measure_autosave),
]
# Sibling benchmark modules whose own MEASUREMENTS are appended when this script runs
# (Assessment II: benchmarks/bench_review.py adds cohort_matrix_s and export_s).
EXTENSIONS: tuple[str, ...] = ("bench_review",)


def _add_extensions() -> None:
    import importlib

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    names = {name for name, _ in MEASUREMENTS}
    for module_name in EXTENSIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        for name, func in getattr(module, "MEASUREMENTS", []):
            if name not in names:
                MEASUREMENTS.append((name, func))
                names.add(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--saves", type=int, default=1000, help="single saves to time")
    parser.add_argument("--database", default=None,
                        help="store URL (default: a fresh temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only-store", action="store_true",
                        help="skip the measurements added by EXTENSIONS")
    args = parser.parse_args(argv)
    if not args.only_store:
        _add_extensions()
    with tempfile.TemporaryDirectory(prefix="ilcs-bench-") as tmp:
        workdir = Path(tmp)
        url = args.database or f"sqlite:///{workdir / 'answers.sqlite'}"
        store = AnswerStore.open(url)
        questions, version = _question_list(args.questions)
        ctx = BenchContext(store=store, url=url, workdir=workdir,
                           candidates=[f"bench-{i:04d}" for i in range(args.candidates)],
                           questions=questions, bank_version=version,
                           rng=random.Random(args.seed), args=args)
        t0 = time.perf_counter()
        rows = fill(ctx)
        if store.dialect == "sqlite":  # fold the bulk fill into the database file first
            with store.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"store: {store.where}")
        print(f"filled: {args.candidates} candidates x {len(questions)} questions = {rows} "
              f"answers (with history) in {time.perf_counter() - t0:.1f} s")
        results = []
        for name, func in MEASUREMENTS:
            value = func(ctx)
            results.append(f"{name}={value}")
        for line in ctx.details:
            print(line)
        store.close()
    print(" ".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
