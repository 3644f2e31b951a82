"""Small accessible charts as inline SVG: no plotting library to import.

Why not matplotlib: importing it costs about half a second, a third of the budget for an app
to open on a classroom machine, for charts of a dozen points. SVG is also crisp at any
projector size and carries its own title and description for screen readers.

Every series has its own marker shape and dash pattern as well as a colour (from the
Okabe-Ito palette, safe for colour-blind viewers), and is named in the legend: a chart is
never read by colour alone. Missing values (None / NaN) leave a gap in the line.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

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


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def line_chart_svg(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
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
    for k in range(6):  # horizontal grid and y tick labels at 0, 20, ... y_max
        v = y_max * k / 5
        y = py(v)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#d0d0d0"/>')
        parts.append(f'<text x="{left - 6}" y="{y + font / 3:.1f}" text-anchor="end" '
                     f'font-size="{font - 1}" fill="#222">{v:g}</text>')
    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{px(i):.1f}" y="{top + plot_h + font * 1.4:.1f}" '
                     f'text-anchor="middle" font-size="{font - 1}" fill="#222">'
                     f"{html.escape(label)}</text>")
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
                 f'stroke="#444"/>')
    parts.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - font * 0.8:.0f}" '
                 f'text-anchor="middle" font-size="{font}" fill="#111">{html.escape(x_label)}</text>')
    parts.append(f'<text transform="translate({font * 1.2:.0f},{top + plot_h / 2:.0f}) rotate(-90)" '
                 f'text-anchor="middle" font-size="{font}" fill="#111">{html.escape(y_label)}</text>')
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
                runs[-1].append(f"{px(i):.1f},{py(float(v)):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                             f'stroke-width="2.5"{dash_attr}/>')
        parts += [_marker(marker, px(i), py(float(v)), radius, colour)
                  for i, v in enumerate(values) if not _missing(v)]
        ly = legend_y + font * 1.6 * (s + 1)
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 34}" y1="{ly - font / 3:.1f}" '
                     f'y2="{ly - font / 3:.1f}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        parts.append(_marker(marker, legend_x + 17, ly - font / 3, radius, colour))
        parts.append(f'<text x="{legend_x + 42}" y="{ly:.1f}" font-size="{font - 1}" fill="#111">'
                     f"{html.escape(name)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    value_label: str,
    notes: Sequence[str] | None = None,
    x_max: float = 100.0,
    large_type: bool = False,
    description: str = "",
) -> str:
    """A horizontal bar chart (one bar per label) as an inline <svg>. Each bar carries its
    value (or its note, e.g. "fewer than 5") in text beside it, so nothing is read from the
    bar's length or colour alone. A missing value draws no bar."""
    font = 18 if large_type else 13
    label_w = int(font * 0.62 * max([len(s) for s in labels] + [8])) + 16
    width = 1000 if large_type else 820
    row_h = font * 2.2
    top = font * 2.8
    height = int(top + row_h * max(len(labels), 1) + font * 2.6)
    plot_w = width - label_w - font * 9
    desc = description or f"{title}: a bar chart of {value_label} for {', '.join(labels)}."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%;height:auto;font-family:sans-serif" aria-labelledby="bt bd">',
        f'<title id="bt">{html.escape(title)}</title><desc id="bd">{html.escape(desc)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:.0f}" y="{font * 1.5:.0f}" text-anchor="middle" '
        f'font-size="{font + 2}" font-weight="bold" fill="#111">{html.escape(title)}</text>',
    ]
    for i, label in enumerate(labels):
        y = top + row_h * i
        value = values[i] if i < len(values) else None
        note = notes[i] if notes and i < len(notes) and notes[i] else None
        parts.append(f'<text x="{label_w - 8}" y="{y + row_h * 0.62:.1f}" text-anchor="end" '
                     f'font-size="{font}" fill="#111">{html.escape(label)}</text>')
        length = 0.0
        if not _missing(value):
            length = plot_w * min(max(float(value), 0.0), x_max) / x_max  # type: ignore[arg-type]
            parts.append(f'<rect x="{label_w}" y="{y + row_h * 0.18:.1f}" width="{length:.1f}" '
                         f'height="{row_h * 0.64:.1f}" fill="{COLOURS[0]}"/>')
        text = note or ("-" if _missing(value) else f"{float(value):.0f}")  # type: ignore[arg-type]
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + row_h * 0.62:.1f}" '
                     f'font-size="{font}" fill="#111">{html.escape(text)}</text>')
    parts.append(f'<text x="{label_w + plot_w / 2:.0f}" y="{height - font * 0.8:.0f}" '
                 f'text-anchor="middle" font-size="{font}" fill="#111">'
                 f"{html.escape(value_label)}</text>")
    parts.append("</svg>")
    return "".join(parts)
