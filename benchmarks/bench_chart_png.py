"""Benchmark: saving a chart as PNG against saving the same chart as SVG, and what importing
the PNG renderer would add to opening an app.

    python benchmarks/bench_chart_png.py [--repeats 10]

Draws the improvement board's kind of control chart (52 weeks) once, then times (median of
the repeats, in this process, after one warm-up save of each):
- `save_chart(svg, "x.svg")` and `save_chart(svg, "x.png")` (resvg, 2 pixels per unit);
- in a fresh interpreter each: `import ilcs.ui.charts` alone, and with `import resvg_py`
  (what a top-level import would add to every app's start).
Last line:

    png_ms=<x> svg_ms=<y> png_to_svg_ratio=<x/y> charts_import_ms=<a> renderer_import_ms=<b>
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ilcs.ui.charts import control_chart_svg, save_chart


def _median_ms(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _import_ms(code: str, repeats: int) -> float:
    """Median wall time of a fresh interpreter running `code`, less an empty one's."""
    def run(text: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", text], check=True)
        return (time.perf_counter() - start) * 1000

    return statistics.median(run(code) - run("pass") for _ in range(repeats))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    weeks = [f"w{i}" for i in range(52)]
    values = [0.5 + 0.3 * ((i * 7) % 11) / 11 for i in range(52)]
    svg = control_chart_svg(weeks, values, [0.65] * 52, [0.95] * 52, [0.35] * 52, [40, 41],
                            title="Finance Operations: % within target", y_label="%",
                            scale=100, y_max=100.0)
    with tempfile.TemporaryDirectory() as folder:
        png_path, svg_path = Path(folder, "chart.png"), Path(folder, "chart.svg")
        save_chart(svg, png_path)  # warm-up: the font check and the fonts' first read
        save_chart(svg, svg_path)
        png = _median_ms(lambda: save_chart(svg, png_path), args.repeats)
        plain = _median_ms(lambda: save_chart(svg, svg_path), args.repeats)
        size = png_path.stat().st_size
    charts = _import_ms("import ilcs.ui.charts", max(3, args.repeats // 2))
    renderer = _import_ms("import resvg_py", max(3, args.repeats // 2))
    print(f"PNG {png:.1f} ms ({size:,} bytes), SVG {plain:.1f} ms; importing the charts "
          f"module {charts:.1f} ms, the renderer {renderer:.1f} ms")
    print(f"png_ms={png:.1f} svg_ms={plain:.1f} png_to_svg_ratio={png / plain:.1f} "
          f"charts_import_ms={charts:.1f} renderer_import_ms={renderer:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
