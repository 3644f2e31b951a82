"""The working-time benchmark runs and ends with its summary line (small sizes: not a timing test)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_working_time.py"


def test_benchmark_last_line(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_working_time", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--rows", "20000", "--sample", "150"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("engine: 20,000 rows in ")
    assert "businesstimedelta: 150 rows" in lines[1]
    match = re.fullmatch(r"speedup=(\d+) mismatches=(\d+)", lines[-1])
    assert match is not None and int(match.group(2)) == 0  # speed is the script's to print, not a test's
