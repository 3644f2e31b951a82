"""Large request logs: loading, the whole `ilcs sla report`, its memory and its XLSX export,
each against a plain `pandas.read_csv` of the same file measured in the same run.

    python benchmarks/bench_sla_report.py [--scale 200] [--data DIR] [--repeat 5]

Generates the sample organisation at `--scale` (200 = 1,000,000 requests, the default; use
e.g. `--scale 10` for a quick run) with `ilcs data generate`, unless `--data DIR` already
holds requests.csv and standards.csv. Then measures:

- load_ratio: `ilcs.io.load(requests.csv, "requests")` (read, map, type and check every
  row) over `pandas.read_csv(requests.csv)`;
- report_ratio: the whole `ilcs sla report requests.csv --standards standards.csv` command
  (loading both files, measuring every standard, printing the tables) over the same
  `pandas.read_csv`;
- rss_per_file: the peak resident memory of a fresh process running that command, over the
  size of requests.csv;
- xlsx_over_csv: writing the report's tables as one .xlsx over writing them as .csv files
  (both through `ilcs.io.write`, as `--out` does).

Times are CPU time of this process (best of `--repeat` runs), so other work on a shared
machine does not distort the ratios; wall-clock times are printed alongside. Targets (issue
10): load <= 1.5, report <= 2.5, rss <= 4, xlsx <= 3. The last line is
`load_ratio=<x> report_ratio=<y> rss_per_file=<z> xlsx_over_csv=<w>`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS = {"load_ratio": 1.5, "report_ratio": 2.5, "rss_per_file": 4.0, "xlsx_over_csv": 3.0}

# The peak is read from /proc/self/status (VmHWM) where there is one: the usual ru_maxrss
# also counts the moment before exec, when the new process still maps its parent's memory.
CHILD = """
import contextlib, io, resource, sys
from pathlib import Path
from ilcs.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["sla", "report", sys.argv[1], "--standards", sys.argv[2]])
status = Path("/proc/self/status")
if status.exists():
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
    peak = int(line.split()[1]) * 1024
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak *= 1 if sys.platform == "darwin" else 1024
print(code, peak)
"""


def cpu_time(work: Callable[[], Any]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of `work`."""
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return time.process_time() - cpu, time.perf_counter() - started


def best_of(repeat: int, works: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """The smallest CPU time of each work over `repeat` rounds; the works take turns within
    a round, so a busy moment on the machine does not fall on one of them only."""
    cpu: dict[str, list[float]] = {name: [] for name in works}
    wall: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(repeat):
        for name, work in works.items():
            c, w = cpu_time(work)
            cpu[name].append(c)
            wall[name].append(w)
    for name in works:
        print(f"  {name}: {min(cpu[name]):.2f} s CPU (wall {min(wall[name]):.2f} s)", flush=True)
    return {name: min(times) for name, times in cpu.items()}


def peak_rss(requests: Path, standards: Path) -> int:
    """Peak resident memory (bytes) of a fresh process running the whole report."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(requests), str(standards)],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    code, peak = done.stdout.split()
    if code != "0":
        raise SystemExit(f"ilcs sla report failed:\n{done.stderr}")
    return int(peak)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=200,
                        help="sample scale: 200 = 1,000,000 requests (default)")
    parser.add_argument("--data", help="folder holding requests.csv and standards.csv "
                        "(generated there if missing; default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each timing (best kept)")
    args = parser.parse_args(argv)

    import pandas as pd

    from ilcs.cli import main as ilcs
    from ilcs.datagen import generate_to
    from ilcs.io import load
    from ilcs.io.write import write_csv, write_xlsx
    from ilcs.standards.measures import sla_report

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.data or tmp)
        requests, standards = folder / "requests.csv", folder / "standards.csv"
        if not (requests.exists() and standards.exists()):
            print(f"generating the sample at scale {args.scale:g} into {folder} ...", flush=True)
            generate_to(folder, scale=args.scale)
        size = requests.stat().st_size
        print(f"{requests}: {size / 1e6:.1f} MB")

        def report() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                code = ilcs(["sla", "report", str(requests), "--standards", str(standards)])
            if code != 0:
                raise SystemExit("ilcs sla report failed")

        times = best_of(args.repeat, {
            "pandas.read_csv": lambda: pd.read_csv(requests),
            "ilcs.io.load (read, map, type, check)": lambda: load(requests, "requests"),
            "ilcs sla report (whole command)": report,
        })
        peer = times["pandas.read_csv"]
        loaded = times["ilcs.io.load (read, map, type, check)"]
        whole = times["ilcs sla report (whole command)"]
        rss = peak_rss(requests, standards)
        print(f"  peak memory of `ilcs sla report` in a fresh process: {rss / 1e6:.0f} MB")

        table = load(requests, "requests")
        tables = sla_report(table, load(standards, "standards")).tables()
        print(f"  {len(table):,} requests; report tables: "
              + ", ".join(f"{k} {len(v):,} rows" for k, v in tables.items()))
        del table
        out = Path(tmp)

        def as_csv() -> None:
            for name, table in tables.items():
                write_csv(table, out / f"sla-{name}.csv")

        written = best_of(args.repeat, {
            "tables to CSV": as_csv,
            "tables to XLSX": lambda: write_xlsx(tables, out / "sla.xlsx"),
        })
        csv_time, xlsx_time = written["tables to CSV"], written["tables to XLSX"]

    figures = {"load_ratio": loaded / peer, "report_ratio": whole / peer,
               "rss_per_file": rss / size, "xlsx_over_csv": xlsx_time / csv_time}
    for name, value in figures.items():
        verdict = "meets" if value <= TARGETS[name] else "MISSES"
        print(f"{name}: {value:.2f} ({verdict} the target <= {TARGETS[name]:g})")
    print(" ".join(f"{name}={value:.2f}" for name, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
