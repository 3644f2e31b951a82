"""The store benchmark runs and ends with the figures line others extend."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_store.py"


def _load():
    spec = importlib.util.spec_from_file_location("bench_store", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_store"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def test_small_run_prints_autosave_p99_on_the_last_line(capsys):
    bench = _load()
    assert bench.main(["--candidates", "3", "--questions", "5", "--saves", "20",
                       "--only-store"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "3 candidates x 5 questions" in "\n".join(lines)
    last = dict(part.split("=") for part in lines[-1].split())
    assert re.fullmatch(r"\d+(\.\d+)?", last["autosave_p99_ms"])
    assert [name for name, _ in bench.MEASUREMENTS][0] == "autosave_p99_ms"


def test_percentile_is_nearest_rank():
    bench = _load()
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 0.99) == 99.0
    assert bench.percentile(values, 0.50) == 50.0
    assert bench.percentile([5.0], 0.99) == 5.0
