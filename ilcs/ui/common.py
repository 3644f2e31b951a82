"""Small shared pieces for every view: accessible status text and error messages.

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
    """An accessible HTML table (caption, column headers with scope) of a DataFrame."""
    headers = headers or {}
    shown = table if limit is None else table.head(limit)
    cols = list(shown.columns)
    head = "".join(f'<th scope="col" style="text-align:left;padding:2px 8px">'
                   f"{html.escape(headers.get(c, c.replace('_', ' ')))}</th>" for c in cols)
    rows = "".join(
        "<tr>" + "".join(f'<td style="padding:2px 8px">{_cell(v)}</td>' for v in row) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    more = ""
    if limit is not None and len(table) > limit:
        more = f'<p class="ilcs-muted">Showing {limit} of {len(table):,}.</p>'
    if shown.empty:
        rows = f'<tr><td colspan="{max(len(cols), 1)}">None.</td></tr>'
    return (f'<table style="border-collapse:collapse;margin:4px 0"><caption style="text-align:left;'
            f'font-weight:bold">{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>{more}")


class Table:
    """A DataFrame shown as a readable HTML table in a notebook (words for headings).

        Table(standards, "The sample organisation's standards",
              {"standard_id": "Standard", "provider_team": "Team"})

    Notebooks display it as the cell's result; `str()` gives the HTML.
    """

    def __init__(self, table: pd.DataFrame, caption: str,
                 headers: dict[str, str] | None = None, limit: int | None = None) -> None:
        self.html = table_html(table, caption, headers, limit)

    def _repr_html_(self) -> str:
        return self.html

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
