"""The trainee's feedback inbox: install the feedback pack the assessor sends, then show it.

A trainee who has never used a terminal should not need `ilcs feedback --install`. (The other
hand-over, writing an evidence pack, is `build_submit_panel()` in `ilcs.widgets.profile`.)
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ilcs.errors import IlcsError
from ilcs.widgets.common import error_html, status_html


def build_feedback_inbox() -> Any:
    """A labelled file chooser for the feedback pack from the assessor, then the feedback."""
    import ipywidgets as w

    from ilcs.assessment.feedback import install_feedback_pack
    from ilcs.widgets.feedback import show_feedback

    label = w.Label("Feedback file from your assessor (.json):")
    upload = w.FileUpload(accept=".json", multiple=False, description="Choose file")
    status = w.HTML()
    shown = w.Box([show_feedback()])

    def install(name: str, content: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(name).name
            path.write_bytes(content)
            try:
                install_feedback_pack(path)
            except IlcsError as exc:
                status.value = error_html(exc)
                return
        status.value = status_html(f"✔ Feedback from {name} saved; it is shown below.", "good")
        shown.children = [show_feedback()]

    def _changed(change: dict[str, Any]) -> None:
        for item in change["new"]:
            install(item["name"], bytes(item["content"]))

    upload.observe(_changed, names="value")
    inbox = w.VBox([w.HBox([label, upload]), status, shown])
    inbox.install = install  # type: ignore[attr-defined]  # for tests
    inbox.status = status  # type: ignore[attr-defined]
    inbox.shown = shown  # type: ignore[attr-defined]
    return inbox
