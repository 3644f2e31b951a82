"""The chart PNG benchmark runs and ends with its summary line (one repeat: not a timing test)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_chart_png.py"


def test_benchmark_last_line(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_chart_png", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--repeats", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.match(r"PNG [\d.]+ ms \([\d,]+ bytes\), SVG [\d.]+ ms", lines[0])
    number = r"-?[\d.]+"
    assert re.fullmatch(rf"png_ms={number} svg_ms={number} png_to_svg_ratio={number} "
                        rf"charts_import_ms={number} renderer_import_ms={number}", lines[-1])
