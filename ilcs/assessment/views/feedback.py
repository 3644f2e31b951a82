"""Show the trainee their assessor's decisions, feedback and action points.

`show_feedback(criteria=["4.1", "4.2"])` reads the newest feedback pack in the trainee's
data folder (`ilcs feedback` on the assessor's side writes it; copy it into the folder the
message names, or call `ilcs.assessment.feedback.install_feedback_pack(path)`).
`build_feedback_inbox()` (a `FeedbackInbox` view) does the same with a file chooser, for a
trainee who never uses a terminal (notebook 00).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from ilcs.assessment.feedback import (
    FeedbackPack,
    feedback_dir,
    feedback_packs,
    install_feedback_upload,
)
from ilcs.errors import IlcsError, PackError
from ilcs.ui.common import error_html, status_html
from ilcs.ui.view import View, message_line

_TONE = {"met": "good", "not_yet_met": "bad", "awaiting_marking": "warn"}


def feedback_pack_html(pack: FeedbackPack | None, criteria: Sequence[str] | None = None) -> str:
    """The feedback for the chosen criteria as accessible HTML (words and symbols)."""
    if pack is None:
        return status_html(
            "No feedback from your assessor yet. When they send you a feedback pack, save it "
            f"in {feedback_dir()} and run this cell again.")
    parts = [f"<p><strong>Feedback for {html.escape(pack.name or pack.candidate_id)}</strong>"
             f" (pack made {html.escape(pack.created_at[:16].replace('T', ' '))} UTC)</p>"]
    chosen = pack.for_criteria(list(criteria) if criteria else None)
    if not chosen:
        parts.append(status_html("Your assessor has not looked at these criteria yet."))
    for c in chosen:
        parts.append(f"<h4 style='margin:8px 0 2px'>{html.escape(c.criterion_id)} "
                     f"{html.escape(c.text)}</h4>")
        parts.append(status_html(c.label, _TONE.get(c.status, "neutral")))
        if c.feedback:
            who = f" — {html.escape(c.assessor)}" if c.assessor else ""
            parts.append(f"<p>{html.escape(c.feedback)}{who}</p>")
        if c.action_points:
            items = "".join(
                f"<li>{html.escape(a['action'])} (by {_uk(a['due'])})</li>"
                for a in c.action_points)
            parts.append(f"<p>Your action plan:</p><ul>{items}</ul>")
    return "".join(parts)


def _uk(iso_day: str) -> str:
    y, m, d = iso_day[:10].split("-")
    return f"{d}/{m}/{y}"


def show_feedback(criteria: Sequence[str] | None = None,
                  candidate_id: str | None = None) -> widgets.HTML:
    """A panel with the assessor's decisions and feedback for these criteria (the newest
    feedback pack in your data folder; a damaged pack is named, never shown)."""
    packs, problems = feedback_packs(candidate_id)
    pack = max(packs, key=lambda p: p.created_at) if packs else None
    warnings = "".join(error_html(PackError(p)) for p in problems)
    return widgets.HTML(warnings + feedback_pack_html(pack, criteria))


class FeedbackInbox(View):
    """A labelled file chooser for the feedback pack from the assessor, then the feedback.

    `installed` names the last file installed (empty until one is).
    """

    installed = traitlets.Unicode("")

    def __init__(self) -> None:
        super().__init__()
        self.label = widgets.Label("Feedback file from your assessor (.json):")
        self.upload = widgets.FileUpload(accept=".json", multiple=False,
                                         description="Choose file")
        self.status = message_line()
        self.shown = widgets.Box([show_feedback()])
        self.upload.observe(self._uploaded, names="value")
        self.children = [widgets.HBox([self.label, self.upload]), self.status, self.shown]

    def _uploaded(self, change: dict[str, Any]) -> None:
        for item in change["new"]:
            self.install(item["name"], bytes(item["content"]))

    def install(self, name: str, content: bytes) -> None:
        """Check and install a feedback pack given as bytes, then show the feedback."""
        try:
            install_feedback_upload(name, content)
        except IlcsError as exc:
            self.fail(self.status, exc)
            return
        self.installed = name
        self.say(self.status, f"✔ Feedback from {name} saved; it is shown below.", "good")
        self.render()

    def render(self) -> None:
        self.shown.children = [show_feedback()]


def build_feedback_inbox() -> FeedbackInbox:
    """The feedback inbox (see `FeedbackInbox`)."""
    return FeedbackInbox()
