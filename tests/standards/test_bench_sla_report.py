"""The large-file benchmark runs end to end and ends with its summary line (a small scale:
not a timing test)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_sla_report.py"


def test_benchmark_last_line(tmp_path: Path, capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_sla_report", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--scale", "0.5", "--repeat", "1", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2,500 requests" in out
    figures = re.fullmatch(r"load_ratio=([\d.]+) report_ratio=([\d.]+) rss_per_file=([\d.]+) "
                           r"xlsx_over_csv=([\d.]+)", out.strip().splitlines()[-1])
    assert figures is not None and all(float(x) > 0 for x in figures.groups())
