"""Small shared pieces for every view: accessible status text and error messages.

Right/wrong, good/bad and saved/not saved are always said in words and a symbol, never by
colour alone; colour only repeats what the text already says.
"""

from __future__ import annotations

import html

CORRECT = "✔ Correct"
INCORRECT = "✘ Not yet right"
PARTLY = "◐ Partly right"
AWAITING = "… Saved for your assessor"
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
