"""Small accessible charts as inline SVG: no plotting library to import.

Why not matplotlib: importing it costs about half a second, a third of the budget for an app
to open on a classroom machine, for charts of a dozen points. SVG is also crisp at any
projector size and carries its own title and description for screen readers.

Every series has its own marker shape and dash pattern as well as a colour (from the
Okabe-Ito palette, safe for colour-blind viewers), and is named in the legend: a chart is
never read by colour alone. Missing values (None / NaN) leave a gap in the line.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ilcs.errors import ExportError

# Okabe-Ito colours, dark enough for 3:1 contrast on white.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")


def _marker(kind: str, x: float, y: float, r: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'
    if kind == "square":
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
                f'fill="{colour}"/>')
    if kind == "triangle":
        pts = f"{x:.1f},{y - r * 1.2:.1f} {x - r * 1.1:.1f},{y + r:.1f} {x + r * 1.1:.1f},{y + r:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    if kind == "diamond":
        pts = f"{x:.1f},{y - r * 1.3:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r * 1.3:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}"/>'
    return (f'<path d="M{x - r:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}M{x - r:.1f} {y + r:.1f}'
            f'L{x + r:.1f} {y - r:.1f}" stroke="{colour}" stroke-width="2.5"/>')


def _num(value: float | None) -> float:
    """A value already checked with `_missing`, as a float."""
    assert value is not None  # callers check `_missing` first
    return float(value)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class Axes(NamedTuple):
    """Where the plot area of a chart with axes sits in its picture (in SVG units)."""

    left: float
    top: float
    plot_w: float
    plot_h: float
    height: float  # of the whole picture: the x-axis title sits near its foot
    font: int


def _axes_frame(axes: Axes, x_labels: Sequence[str], px: Callable[[int], float],
                py: Callable[[float], float], *, y_max: float, x_label: str, y_label: str,
                grid: str, every: int = 1) -> list[str]:
    """The frame shared by the line chart and the control chart: horizontal grid lines with
    the y values at 0, 1/5, ... y_max, every `every`-th x label, the plot's border and both
    axis titles (the y title turned on its side)."""
    left, top, plot_w, plot_h, height, font = axes
    parts = []
    for k in range(6):
        tick = y_max * k / 5
        y = py(tick)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{grid}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + font / 3:.1f}" text-anchor="end" '
                     f'font-size="{font - 1}" fill="#222">{tick:g}</text>')
    for i, label in enumerate(x_labels):
        if i % every == 0:
            parts.append(f'<text x="{px(i):.1f}" y="{top + plot_h + font * 1.4:.1f}" '
                         f'text-anchor="middle" font-size="{font - 1}" fill="#222">'
                         f"{html.escape(label)}</text>")
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
                 f'stroke="#444"/>')
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - font * 0.8:.0f}" '
                 f'text-anchor="middle" font-size="{font}" fill="#111">{html.escape(x_label)}</text>')
    parts.append(f'<text transform="translate({font * 1.2:.0f},{top + plot_h / 2:.0f}) rotate(-90)" '
                 f'text-anchor="middle" font-size="{font}" fill="#111">{html.escape(y_label)}</text>')
    return parts


def line_chart_svg(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    y_label: str,
    x_label: str,
    y_max: float = 100.0,
    legend_title: str = "",
    large_type: bool = False,
    description: str = "",
) -> str:
    """A line chart (one line per series over the same x labels) as an inline <svg> element."""
    font = 18 if large_type else 13
    width, height = (1000, 440) if large_type else (820, 340)
    legend_w = 190 if large_type else 150
    left, right, top, bottom = font * 4, legend_w + 20, font * 2.6, font * 4
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(x_labels), 1)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), y_max) / y_max)

    desc = description or (f"{title}: a line chart of {y_label} by {x_label.lower()} for "
                           f"{', '.join(series) or 'no series'}.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%;height:auto;font-family:sans-serif" aria-labelledby="t d">',
        f'<title id="t">{html.escape(title)}</title><desc id="d">{html.escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left + plot_w / 2:.0f}" y="{font * 1.5:.0f}" text-anchor="middle" '
        f'font-size="{font + 2}" font-weight="bold" fill="#111">{html.escape(title)}</text>',
    ]
    parts += _axes_frame(Axes(left, top, plot_w, plot_h, height, font), x_labels, px, py,
                         y_max=y_max, x_label=x_label, y_label=y_label, grid="#d0d0d0")
    legend_x, legend_y = left + plot_w + 16, top + font
    if legend_title:
        parts.append(f'<text x="{legend_x}" y="{legend_y}" font-size="{font}" font-weight="bold" '
                     f'fill="#111">{html.escape(legend_title)}</text>')
    radius = 5 if large_type else 4
    for s, (name, values) in enumerate(series.items()):
        colour, dash = COLOURS[s % len(COLOURS)], DASHES[s % len(DASHES)]
        marker = MARKERS[s % len(MARKERS)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if _missing(v):
                runs.append([])
            else:
                runs[-1].append(f"{px(i):.1f},{py(_num(v)):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                             f'stroke-width="2.5"{dash_attr}/>')
        parts += [_marker(marker, px(i), py(_num(v)), radius, colour)
                  for i, v in enumerate(values) if not _missing(v)]
        ly = legend_y + font * 1.6 * (s + 1)
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 34}" y1="{ly - font / 3:.1f}" '
                     f'y2="{ly - font / 3:.1f}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        parts.append(_marker(marker, legend_x + 17, ly - font / 3, radius, colour))
        parts.append(f'<text x="{legend_x + 42}" y="{ly:.1f}" font-size="{font - 1}" fill="#111">'
                     f"{html.escape(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%;height:auto;font-family:sans-serif" aria-labelledby="t d">',
        f'<title id="t">{html.escape(title)}</title><desc id="d">{html.escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    x_label: str,
    x_max: float,
    value_texts: Sequence[str] | None = None,
    highlight: Sequence[bool] | None = None,
    large_type: bool = False,
    description: str = "",
) -> str:
    """Horizontal bars, one per label, each with its value written at its end.

    A highlighted bar (e.g. the weakest practices) is drawn hatched and darker and its value
    text carries "◀", so it is found without colour. A missing value draws no bar and says
    why in its text (e.g. "fewer than 5").
    """
    font = 18 if large_type else 13
    row = font * 2.0
    label_w = font * 17
    width = 1000 if large_type else 820
    top, bottom = font * 2.6, font * 3.2
    plot_w = width - label_w - font * 9
    height = int(top + bottom + row * max(len(labels), 1))
    texts = list(value_texts) if value_texts is not None else [
        "-" if _missing(v) else f"{_num(v):.1f}" for v in values]
    marks = list(highlight) if highlight is not None else [False] * len(labels)
    desc = description or (f"{title}: a bar chart of {x_label} for " + "; ".join(
        f"{lab} {txt}" for lab, txt in zip(labels, texts)) + ".")
    parts = _svg_open(width, height, title, desc)
    parts.append('<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
                 'patternTransform="rotate(45)"><rect width="8" height="8" fill="#D55E00"/>'
                 '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/>'
                 '</pattern></defs>')
    parts.append(f'<text x="{width / 2:.0f}" y="{font * 1.5:.0f}" text-anchor="middle" '
                 f'font-size="{font + 2}" font-weight="bold" fill="#111">{html.escape(title)}</text>')
    left = label_w
    for k in range(6):
        v = x_max * k / 5
        x = left + plot_w * k / 5
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" '
                     f'y2="{top + row * len(labels):.1f}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{x:.1f}" y="{top + row * len(labels) + font * 1.3:.1f}" '
                     f'text-anchor="middle" font-size="{font - 1}" fill="#222">{v:g}</text>')
    for i, (label, value) in enumerate(zip(labels, values)):
        y = top + row * i
        parts.append(f'<text x="{left - 8}" y="{y + row * 0.62:.1f}" text-anchor="end" '
                     f'font-size="{font - 1}" fill="#111">{html.escape(label)}</text>')
        text = texts[i] + (" ◀" if marks[i] else "")
        end = float(left)
        if not _missing(value):
            w = plot_w * min(max(_num(value), 0.0), x_max) / x_max
            fill = "url(#hatch)" if marks[i] else COLOURS[0]
            parts.append(f'<rect x="{left}" y="{y + row * 0.18:.1f}" width="{w:.1f}" '
                         f'height="{row * 0.64:.1f}" fill="{fill}" stroke="#111" '
                         f'stroke-width="0.5"/>')
            end = left + w
        parts.append(f'<text x="{end + 6:.1f}" y="{y + row * 0.62:.1f}" font-size="{font - 1}" '
                     f'fill="#111" font-weight="{"bold" if marks[i] else "normal"}">'
                     f"{html.escape(text)}</text>")
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - font * 0.6:.0f}" '
                 f'text-anchor="middle" font-size="{font}" fill="#111">{html.escape(x_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grid_chart_svg(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    row_title: str,
    col_title: str,
    cell_texts: Sequence[Sequence[str]] | None = None,
    large_type: bool = False,
    description: str = "",
) -> str:
    """A grid (rows x columns) whose every cell states its value in words or numbers; the
    shade (light to dark blue) only repeats the number, so it is never read by colour alone."""
    font = 18 if large_type else 13
    cell_w, cell_h = font * 7.2, font * 2.4
    label_w = font * 12
    top = font * 5.4
    width = int(label_w + cell_w * max(len(col_labels), 1) + font)
    height = int(top + cell_h * max(len(row_labels), 1) + font * 2)
    flat = [_num(v) for r in values for v in r if not _missing(v)]
    high = max(flat) if flat else 1.0
    texts = cell_texts or [["-" if _missing(v) else f"{_num(v):,.0f}" for v in r]
                           for r in values]
    desc = description or (f"{title}: a grid of {row_title.lower()} by {col_title.lower()}; "
                           "each cell gives its value.")
    parts = _svg_open(width, height, title, desc)
    parts.append(f'<text x="{width / 2:.0f}" y="{font * 1.5:.0f}" text-anchor="middle" '
                 f'font-size="{font + 2}" font-weight="bold" fill="#111">{html.escape(title)}</text>')
    parts.append(f'<text x="{label_w + cell_w * len(col_labels) / 2:.0f}" y="{font * 3:.0f}" '
                 f'text-anchor="middle" font-size="{font}" font-style="italic" fill="#111">'
                 f"{html.escape(col_title)}</text>")
    parts.append(f'<text x="{font * 0.5:.0f}" y="{top - font * 0.5:.0f}" font-size="{font}" '
                 f'font-style="italic" fill="#111">{html.escape(row_title)}</text>')
    for j, col in enumerate(col_labels):
        parts.append(f'<text x="{label_w + cell_w * (j + 0.5):.1f}" y="{top - font * 0.5:.1f}" '
                     f'text-anchor="middle" font-size="{font - 1}" fill="#111">'
                     f"{html.escape(col)}</text>")
    for i, row_label in enumerate(row_labels):
        y = top + cell_h * i
        parts.append(f'<text x="{label_w - 8}" y="{y + cell_h * 0.62:.1f}" text-anchor="end" '
                     f'font-size="{font - 1}" fill="#111">{html.escape(row_label)}</text>')
        for j in range(len(col_labels)):
            v = values[i][j]
            share = 0.0 if _missing(v) or high <= 0 else _num(v) / high
            light = int(245 - 125 * share)  # darkest rgb(120,128,255): black text >= 6:1
            fill = f"rgb({light},{min(light + 8, 250)},255)"
            ink = "#111111"
            x = label_w + cell_w * j
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" '
                         f'height="{cell_h:.1f}" fill="{fill}" stroke="#666"/>')
            parts.append(f'<text x="{x + cell_w / 2:.1f}" y="{y + cell_h * 0.62:.1f}" '
                         f'text-anchor="middle" font-size="{font - 1}" fill="{ink}">'
                         f"{html.escape(texts[i][j])}</text>")
    parts.append("</svg>")
    return "".join(parts)


class Svg:
    """An SVG chart shown as a notebook cell's result (`str()` gives the markup)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


# ---------------------------------------------------------------- improvement charts

def _frame(width: int, height: int, title: str, desc: str, font: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%;height:auto;font-family:sans-serif" aria-labelledby="t d">',
        f'<title id="t">{html.escape(title)}</title><desc id="d">{html.escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:.0f}" y="{font * 1.5:.0f}" text-anchor="middle" '
        f'font-size="{font + 2}" font-weight="bold" fill="#111">{html.escape(title)}</text>',
    ]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    for k in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if k * step >= value:
            return k * step
    return 10 * step


def control_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    centre: Sequence[float],
    upper: Sequence[float],
    lower: Sequence[float],
    signal_points: Sequence[int] = (),
    *,
    title: str,
    y_label: str,
    x_label: str = "Week beginning",
    scale: float = 1.0,
    y_max: float | None = None,
    large_type: bool = False,
    description: str = "",
) -> str:
    """A control chart: the values joined by a line, the centre line (solid), the control
    limits (dashed), and points with a signal drawn as large diamonds labelled 'signal'.
    `scale` multiplies every number shown (100 turns proportions into percentages)."""
    font = 18 if large_type else 13
    width, height = (1100, 480) if large_type else (880, 360)
    legend_w = 200 if large_type else 160
    left, right, top, bottom = font * 4.5, legend_w + 20, font * 2.6, font * 4.2
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    vals = [v * scale for v in values]
    cen, upp, low = ([v * scale for v in s] for s in (centre, upper, lower))
    if y_max is None:
        y_max = _nice_max(max([*vals, *upp, 0.0]) * 1.05)

    def px(i: float) -> float:
        return left + plot_w * (i + 0.5) / n

    def py(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), y_max) / y_max)

    flagged = sorted(set(signal_points))
    desc = description or (
        f"{title}: a control chart of {y_label} over {n} periods; "
        + (f"{len(flagged)} points are part of a signal." if flagged else "no signals."))
    parts = _frame(width, height, title, desc, font)
    parts += _axes_frame(Axes(left, top, plot_w, plot_h, height, font), labels, px, py,
                         y_max=y_max, x_label=x_label, y_label=y_label, grid="#e0e0e0",
                         every=max(1, math.ceil(n / (12 if large_type else 14))))

    def steps(series: list[float]) -> str:
        pts = []
        for i, v in enumerate(series):
            pts += [f"{px(i - 0.5):.1f},{py(v):.1f}", f"{px(i + 0.5):.1f},{py(v):.1f}"]
        return " ".join(pts)

    parts.append(f'<polyline points="{steps(cen)}" fill="none" stroke="#000000" stroke-width="2"/>')
    for series in (upp, low):
        parts.append(f'<polyline points="{steps(series)}" fill="none" stroke="#D55E00" '
                     f'stroke-width="2" stroke-dasharray="8 4"/>')
    line = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(vals))
    parts.append(f'<polyline points="{line}" fill="none" stroke="#0072B2" stroke-width="2"/>')
    radius = 4.5 if large_type else 3.5
    for i, v in enumerate(vals):
        if i in flagged:
            parts.append(_marker("diamond", px(i), py(v), radius * 2, "#CC79A7"))
        else:
            parts.append(_marker("circle", px(i), py(v), radius, "#0072B2"))
    legend = [("Value", "circle", "#0072B2", ""), ("Centre line", None, "#000000", ""),
              ("Control limits", None, "#D55E00", "8 4"), ("Signal", "diamond", "#CC79A7", "")]
    lx, ly = left + plot_w + 16, top + font
    for k, (name, marker, colour, dash) in enumerate(legend):
        y = ly + font * 1.7 * k
        if marker is None or marker == "circle":
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<line x1="{lx}" x2="{lx + 34}" y1="{y - font / 3:.1f}" '
                         f'y2="{y - font / 3:.1f}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        if marker:
            size = radius * 2 if marker == "diamond" else radius
            parts.append(_marker(marker, lx + 17, y - font / 3, size, colour))
        parts.append(f'<text x="{lx + 42}" y="{y:.1f}" font-size="{font - 1}" fill="#111">'
                     f"{html.escape(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def pareto_svg(causes: Sequence[str], counts: Sequence[int], cumulative_pct: Sequence[float],
               vital_few: Sequence[bool], *, title: str, cut_off: float = 80.0,
               large_type: bool = False) -> str:
    """A Pareto chart: bars of counts (largest first, the vital few solid, the rest hatched
    and labelled), the cumulative % as a line on the right-hand scale and the cut-off line."""
    font = 18 if large_type else 13
    width, height = (1100, 520) if large_type else (880, 400)
    left, right, top, bottom = font * 4, font * 4, font * 2.6, font * 7
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(causes), 1)
    c_max = _nice_max(max([*counts, 1]))

    def px(i: float) -> float:
        return left + plot_w * (i + 0.5) / n

    def py_count(v: float) -> float:
        return top + plot_h * (1 - v / c_max)

    def py_pct(v: float) -> float:
        return top + plot_h * (1 - v / 100)

    few = [c for c, v in zip(causes, vital_few) if v]
    desc = (f"{title}: {len(causes)} causes sorted by count; the vital few reaching "
            f"{cut_off:g} % are {', '.join(few)}.")
    parts = _frame(width, height, title, desc, font)
    parts.append('<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
                 'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
                 '<line x1="0" y1="0" x2="0" y2="8" stroke="#0072B2" stroke-width="3"/>'
                 '</pattern></defs>')
    for k in range(6):
        v = c_max * k / 5
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{py_count(v):.1f}" '
                     f'y2="{py_count(v):.1f}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{left - 6}" y="{py_count(v) + font / 3:.1f}" text-anchor="end" '
                     f'font-size="{font - 1}" fill="#222">{v:g}</text>')
        parts.append(f'<text x="{left + plot_w + 6}" y="{py_pct(20 * k) + font / 3:.1f}" '
                     f'font-size="{font - 1}" fill="#222">{20 * k} %</text>')
    bar_w = plot_w / n * 0.7
    for i, (cause, count, vital) in enumerate(zip(causes, counts, vital_few)):
        fill = "#0072B2" if vital else "url(#hatch)"
        parts.append(f'<rect x="{px(i) - bar_w / 2:.1f}" y="{py_count(count):.1f}" '
                     f'width="{bar_w:.1f}" height="{top + plot_h - py_count(count):.1f}" '
                     f'fill="{fill}" stroke="#0072B2" stroke-width="1.5"/>')
        parts.append(f'<text x="{px(i):.1f}" y="{py_count(count) - 4:.1f}" text-anchor="middle" '
                     f'font-size="{font - 1}" fill="#111">{count}</text>')
        parts.append(f'<text transform="translate({px(i):.1f},{top + plot_h + font:.1f}) '
                     f'rotate(-25)" text-anchor="end" font-size="{font - 1}" fill="#111">'
                     f"{html.escape(cause)}</text>")
    y_cut = py_pct(cut_off)
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y_cut:.1f}" y2="{y_cut:.1f}" '
                 f'stroke="#D55E00" stroke-width="2" stroke-dasharray="8 4"/>')
    parts.append(f'<text x="{left + plot_w - 6}" y="{y_cut - 5:.1f}" text-anchor="end" '
                 f'font-size="{font - 1}" fill="#8a3b00">{cut_off:g} % line</text>')
    line = " ".join(f"{px(i):.1f},{py_pct(v):.1f}" for i, v in enumerate(cumulative_pct))
    parts.append(f'<polyline points="{line}" fill="none" stroke="#000000" stroke-width="2"/>')
    parts += [_marker("square", px(i), py_pct(v), 4, "#000000")
              for i, v in enumerate(cumulative_pct)]
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
                 f'stroke="#444"/>')
    parts.append(f'<text x="{left}" y="{height - font * 0.6:.0f}" font-size="{font - 1}" '
                 'fill="#111">Solid bars: the vital few. Hatched bars: the rest. Line with '
                 'squares: cumulative % (right-hand scale).</text>')
    parts.append("</svg>")
    return "".join(parts)


def fishbone_svg(effect: str, causes: Mapping[str, Sequence[str]], *, title: str = "",
                 large_type: bool = False) -> str:
    """A fishbone (cause-and-effect) diagram: the effect at the head, one bone per category
    (three above the spine, three below), each cause written along its bone."""
    font = 17 if large_type else 12
    width, height = (1400, 560) if large_type else (1150, 460)
    title = title or f"Fishbone: {effect}"
    cats = list(causes)
    desc = f"{title}. " + " ".join(
        f"{c}: {', '.join(causes[c]) if causes[c] else 'nothing noted'}." for c in cats)
    parts = _frame(width, height, title, desc, font)
    spine_y = height / 2 + font
    head_x = width - 200
    parts.append(f'<line x1="30" x2="{head_x}" y1="{spine_y:.0f}" y2="{spine_y:.0f}" '
                 f'stroke="#111" stroke-width="3"/>')
    parts.append(f'<rect x="{head_x}" y="{spine_y - 40:.0f}" width="180" height="80" rx="8" '
                 f'fill="#f2f2f2" stroke="#111" stroke-width="2"/>')
    words = effect.split()
    lines, current = [], ""
    for w in words:
        if len(current) + len(w) + 1 > 20 and current:
            lines.append(current)
            current = w
        else:
            current = (current + " " + w).strip()
    lines.append(current)
    for k, text in enumerate(lines[:4]):
        parts.append(f'<text x="{head_x + 90}" y="{spine_y - 18 + k * (font + 3):.0f}" '
                     f'text-anchor="middle" font-size="{font}" fill="#111">{html.escape(text)}'
                     "</text>")
    per_row = max(1, math.ceil(len(cats) / 2))
    margin = 300 if large_type else 250
    gap = (head_x - margin) / per_row
    for k, cat in enumerate(cats):
        above = k < per_row
        col = k % per_row
        x_end = margin + gap * (col + 1) - 20
        x_start = x_end - gap * 0.45
        y_start = spine_y - 170 if above else spine_y + 170
        parts.append(f'<line x1="{x_start:.0f}" y1="{y_start:.0f}" x2="{x_end:.0f}" '
                     f'y2="{spine_y:.0f}" stroke="#0072B2" stroke-width="2.5"/>')
        label_y = y_start - 8 if above else y_start + font + 6
        parts.append(f'<text x="{x_start:.0f}" y="{label_y:.0f}" text-anchor="middle" '
                     f'font-size="{font + 1}" font-weight="bold" fill="#111">{html.escape(cat)}'
                     "</text>")
        for j, cause in enumerate(list(causes[cat])[:5]):
            t = (j + 1) / 6
            y = y_start + (spine_y - y_start) * t
            x = x_start + (x_end - x_start) * t
            parts.append(f'<text x="{x - 6:.0f}" y="{y + font / 3:.0f}" text-anchor="end" '
                         f'font-size="{font - 1}" fill="#222">{html.escape(_clip(cause, 34))}'
                         "</text>")
    parts.append("</svg>")
    return "".join(parts)


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def svg_file_text(svg: str) -> str:
    """An inline chart as a stand-alone .svg file (XML declaration first)."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"


# ---------------------------------------------------------------- saving a chart as a file

#: The kinds of file a chart can be saved as, by the file name's suffix.
CHART_SUFFIXES = (".svg", ".png")
#: A PNG has this many pixels for each unit of the chart's viewBox: twice the size shown on
#: screen, sharp enough for a printed report.
PNG_SCALE = 2

_FONT_PROBE = ('<svg xmlns="http://www.w3.org/2000/svg" width="48" height="24">'
               '<rect width="48" height="24" fill="#ffffff"/>{text}</svg>')
_FONT_PROBE_TEXT = ('<text x="4" y="18" font-size="16" font-family="sans-serif" '
                    'fill="#000000">Ag</text>')


def _renderer() -> Any:
    """The SVG-to-PNG renderer (resvg, through the resvg-py package).

    Imported here, only when a PNG is asked for, not at the top of this module: every app and
    notebook imports this module to draw its charts, and none of them needs the native
    renderer until someone saves a PNG. A computer where it cannot be loaded can still show
    and save every chart as SVG, and is told plainly why PNG is not available.
    """
    try:
        import resvg_py
    except ImportError as exc:  # a broken or missing install: say what to do, not a traceback
        raise ExportError("saving a chart as PNG needs the resvg-py package, which is not "
                          f"installed ({exc}); install it (pip install resvg-py) or save the "
                          "chart as .svg instead") from None
    return resvg_py


@functools.cache
def _fonts_found() -> bool:
    """True once resvg has been seen to draw text with the computer's own fonts.

    resvg draws text with the fonts installed on the computer (it brings none of its own).
    Windows and macOS always have some; a bare Linux server may have none, and then every
    label would silently be missing from the PNG. So a tiny picture is drawn with and without
    a word: if they come out the same, no font was found. An error is not cached, so a font
    installed later is found on the next try.
    """
    render = _renderer().svg_to_bytes
    with_text = render(svg_string=_FONT_PROBE.format(text=_FONT_PROBE_TEXT))
    without = render(svg_string=_FONT_PROBE.format(text=""), skip_system_fonts=True)
    if bytes(with_text) == bytes(without):
        raise ExportError("no font was found to write the chart's text in a PNG; install one "
                          "(on Debian or Ubuntu: apt-get install fonts-dejavu-core) or save the "
                          "chart as .svg instead")
    return True


def svg_to_png(svg: str, *, scale: int = PNG_SCALE) -> bytes:
    """A chart (inline SVG markup) drawn as PNG bytes, `scale` pixels per viewBox unit.

    Drawn offline by resvg with the computer's fonts; ExportError if it cannot be (no font,
    renderer missing, markup it cannot read).
    """
    _fonts_found()
    try:
        return bytes(_renderer().svg_to_bytes(svg_string=svg_file_text(svg), zoom=float(scale)))
    except ValueError as exc:
        raise ExportError(f"the chart could not be drawn as PNG ({exc})") from None


def save_chart(svg: str, path: str | Path, *, scale: int = PNG_SCALE) -> Path:
    """Save a chart as an .svg or a .png file, by the suffix of `path`, whole or not at all.

    Any other suffix is an ExportError naming the file; nothing is written then.
    """
    # The safe writer is imported here: `ilcs.io` brings pandas, which drawing a chart never needs.
    from ilcs.io.write import write_bytes, write_text

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".svg":
        return write_text(target, svg_file_text(svg))
    if suffix == ".png":
        try:
            data = svg_to_png(svg, scale=scale)
        except ExportError as exc:
            raise ExportError(f"{target.name}: {exc}; nothing was written") from None
        return write_bytes(target, data)
    raise ExportError(f"{target.name}: a chart can be saved as .svg or .png; choose a file "
                      f"name ending in one of them (not '{target.suffix or 'no suffix'}')")
