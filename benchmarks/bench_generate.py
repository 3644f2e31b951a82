"""How long the generator takes at scale 200 (~1,000,000 requests), and loading the result.

    python benchmarks/bench_generate.py [--scale 200] [--out DIR] [--no-load]

Prints the time to generate and write every file, the number of requests, and the time to
load and validate the requests file with `ilcs.io.load`. The issue asks for under a minute
to generate.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=200)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", help="folder for the files (default: a temporary folder)")
    parser.add_argument("--no-load", action="store_true", help="skip the loading benchmark")
    args = parser.parse_args(argv)

    from ilcs.datagen import DEFAULT_SEED, generate, write_tables
    from ilcs.io import load

    seed = DEFAULT_SEED if args.seed is None else args.seed
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        started, cpu = time.perf_counter(), time.process_time()
        tables = generate(seed=seed, scale=args.scale)
        made = time.perf_counter()
        write_tables(tables, out)
        written = time.perf_counter()
        n = len(tables["requests"])
        print(f"scale {args.scale:g}, seed {seed}: {n:,} requests, "
              f"{len(tables['complaints']):,} complaints, "
              f"{len(tables['survey_responses']):,} survey responses")
        print(f"generate: {made - started:.1f} s, write: {written - made:.1f} s, "
              f"total: {written - started:.1f} s (target: under 60 s); "
              f"CPU time {time.process_time() - cpu:.1f} s")
        if not args.no_load:
            started, cpu = time.perf_counter(), time.process_time()
            table = load(out / "requests.csv", "requests")
            took = time.perf_counter() - started
            print(f"load + validate requests.csv: {took:.1f} s "
                  f"({len(table) / took:,.0f} rows/s); CPU time "
                  f"{time.process_time() - cpu:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
