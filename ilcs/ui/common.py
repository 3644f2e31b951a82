"""Small shared pieces for every view: accessible status text, error messages, tables
and accessible names for sliders.

Right/wrong, good/bad and saved/not saved are always said in words and a symbol, never by
colour alone; colour only repeats what the text already says.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

CORRECT = "✔ Correct"
INCORRECT = "✘ Not yet right"
PARTLY = "◐ Partly right"
SAVED_FOR_ASSESSOR = "… Saved for your assessor"
SAVED = "✔ Saved"
NOT_SAVED = "○ Not saved yet"


def status_html(text: str, tone: str = "neutral") -> str:
    """HTML for a status line: the words carry the meaning, the tone only adds a border."""
    tones = {"good": "#1b5e20", "bad": "#8e0000", "neutral": "#333333", "warn": "#6d4c00"}
    colour = tones.get(tone, tones["neutral"])
    return (
        f'<div role="status" aria-live="polite" style="border-left:4px solid {colour};'
        f'padding:2px 8px;margin:4px 0;color:#111">{html.escape(text)}</div>'
    )


def error_html(exc: BaseException) -> str:
    """A domain error as a readable message (never a traceback)."""
    body = html.escape(str(exc)).replace("\n", "<br>")
    return (
        '<div role="alert" style="border-left:4px solid #8e0000;padding:4px 8px;color:#111">'
        f"<strong>Problem:</strong> {body}</div>"
    )


# ----------------------------------------------------------------------------- tables

#: Column headings in words, for tables a trainee reads (other columns: words from the name).
HEADINGS: dict[str, str] = {
    "standard_id": "Standard",
    "provider_team": "Team",
    "requester_department": "Requester's department",
    "request_id": "Request",
    "description": "Description",
    "measure": "Measure",
    "target_hours": "Target (working hours)",
    "promised_hours": "Promised hours",
    "typical_hours": "Typical hours (median)",
    "slowest_tenth_hours": "Slowest tenth took (hours)",
    "kept": "Requests kept",
    "pct_kept": "% kept",
    "pct_within": "% within target",
    "verdict": "Verdict",
    "measured": "Requests measured",
    "within": "Within target",
    "breaches": "Breaches (late, open ones included)",
    "open_breached": "Of which still open",
    "median_hours": "Median (h)",
    "p90_hours": "90th percentile (h)",
    "open_not_due": "Open, not yet due",
    "received_at": "Received",
    "due_at": "Due",
    "completed_at": "Done",
    "hours_over": "Working hours over target",
}

TABLE_CSS = ("border-collapse:collapse;margin:4px 0;table-layout:auto;width:auto;"
             "max-width:100%")
CELL_CSS = ("text-align:left;vertical-align:top;padding:3px 10px;border-bottom:1px solid #c8c8c8;"
            "word-break:normal;overflow-wrap:normal;hyphens:manual;white-space:normal")


def heading(column: str, headers: dict[str, str] | None = None) -> str:
    """A column's heading in words: `headers`, then HEADINGS, then its name in words."""
    if headers and column in headers:
        return headers[column]
    if column in HEADINGS:
        return HEADINGS[column]
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _cell(value: Any) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y %H:%M")
    return html.escape(f"{value:,}" if isinstance(value, int) else str(value))


def table_html(table: pd.DataFrame, caption: str, headers: dict[str, str] | None = None,
               limit: int | None = None) -> str:
    """A readable, accessible HTML table of a DataFrame: a caption, headings in words (with
    scope), numbers to 1 decimal place, UK dates, '-' for blanks, and lines that wrap only
    between words (never inside one)."""
    shown = table if limit is None else table.head(limit)
    cols = list(shown.columns)
    head = "".join(f'<th scope="col" style="{CELL_CSS};font-weight:bold">'
                   f"{html.escape(heading(c, headers))}</th>" for c in cols)
    rows = "".join(
        "<tr>" + "".join(f'<td style="{CELL_CSS}">{_cell(v)}</td>' for v in row) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    more = ""
    if limit is not None and len(table) > limit:
        more = f'<p class="ilcs-muted">Showing {limit} of {len(table):,}.</p>'
    if shown.empty:
        rows = f'<tr><td colspan="{max(len(cols), 1)}">None.</td></tr>'
    return (f'<table class="ilcs-table" style="{TABLE_CSS}"><caption style="text-align:left;'
            f'font-weight:bold;padding:2px 0">{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}")


class Table:
    """A DataFrame shown as a readable HTML table in a notebook (headings in words, see
    `table_html`), and as plain text with the same headings where HTML cannot be shown.

        Table(standards, "The sample organisation's standards",
              {"standard_id": "Standard", "provider_team": "Team"})

    Notebooks display it as the cell's result; `str()` gives the HTML.
    """

    def __init__(self, table: pd.DataFrame, caption: str,
                 headers: dict[str, str] | None = None, limit: int | None = None) -> None:
        self.html = table_html(table, caption, headers, limit)
        shown = table if limit is None else table.head(limit)
        named = shown.rename(columns={c: heading(c, headers) for c in shown.columns})
        self.text = f"{caption}\n{named.to_string(index=False)}"

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.html


def markdown_html(text: str | None) -> str:
    """Text from the bank as HTML, read as Markdown reads it: escaped; blank lines start new
    paragraphs, single line breaks are spaces; **bold** and
    *italic* (the only Markdown the bank's prompts use) become <strong> and <em>."""
    if not text:
        return ""
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    out = []
    for paragraph in paragraphs:
        escaped = html.escape(" ".join(paragraph.split()))
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
        escaped = re.sub(r"\*(.+?)\*", r"<em>\1</em>", escaped)
        out.append(f"<p>{escaped}</p>")
    return "".join(out)


# ----------------------------------------------------------------------------- sliders

#: ipywidgets' sliders draw a role="slider" handle with no accessible name: give each the
#: words of its widget's label (as the Voila template does), so a screen reader says
#: "Target (working hours), slider". Runs once per page; new sliders are named as they appear.
SLIDER_NAMES_JS = """
(function () {
  if (window.ilcsSliderNames) { return; }
  window.ilcsSliderNames = true;
  function name() {
    document.querySelectorAll('[role="slider"]:not([aria-label]):not([aria-labelledby])')
      .forEach(function (handle) {
        var box = handle.closest('.widget-slider, .widget-hslider, .widget-vslider');
        var label = box ? box.querySelector('.widget-label') : null;
        var text = label ? label.textContent.trim() : '';
        handle.setAttribute('aria-label', text || 'Slider');
      });
  }
  name();
  new MutationObserver(name).observe(document.body, {childList: true, subtree: true});
})();
"""


def name_sliders() -> None:
    """In a notebook, give the page's sliders their accessible names (see SLIDER_NAMES_JS)."""
    try:
        from IPython import get_ipython
        from IPython.display import Javascript, display
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return
    if get_ipython() is not None:
        display(Javascript(SLIDER_NAMES_JS))
