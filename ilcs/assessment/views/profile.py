"""The profile form: a trainee says who they are once; every answer is filed under it."""

from __future__ import annotations

import html
import os
from typing import TYPE_CHECKING, Any

from ilcs.errors import DataError, IlcsError
from ilcs.hub import hub_user
from ilcs.ui.common import SAVED, error_html, status_html

if TYPE_CHECKING:
    import ipywidgets

    from ilcs.assessment.store import AnswerStore

FIELDS = (
    ("name", "Full name"),
    ("candidate_number", "Candidate number"),
    ("centre", "Centre"),
    ("assessor", "Assessor (optional)"),
)


def build_profile_form(store: AnswerStore | None = None) -> ipywidgets.VBox:
    """A labelled form (name, candidate number, centre, optional assessor) and a Save button.

    On a JupyterHub the form says which login the answers are filed under (the hub user)
    and asks only for what the hub does not know.
    The returned box has `.fields` (name -> Text), `.save_button` and `.status` for tests.
    """
    import ipywidgets as w

    from ilcs.assessment.profile import load_profile, save_profile

    try:
        existing = load_profile()
    except DataError:
        existing = None
    style = {"description_width": "12em"}
    fields: dict[str, Any] = {}
    for key, label in FIELDS:
        value = getattr(existing, key, "") if existing else ""
        fields[key] = w.Text(value=value or "", description=label, style=style,
                             layout=w.Layout(width="32em"))
    button = w.Button(layout=w.Layout(width="auto"), description="Save my profile", button_style="primary",
                      tooltip="Save your name, candidate number and centre")
    status = w.HTML()
    if existing is not None and existing.is_complete:
        status.value = status_html(f"{SAVED}: {existing.name} ({existing.candidate_number}, "
                                   f"{existing.centre})", "good")
    else:
        status.value = status_html("○ Not saved yet: fill in the boxes and press "
                                   "'Save my profile'.")

    def _save(_button: Any = None) -> None:
        try:
            profile = save_profile(
                fields["name"].value, fields["candidate_number"].value, fields["centre"].value,
                fields["assessor"].value, store=store)
        except DataError as exc:
            lines = "; ".join(f"{p.column}: {p.message}" if p.column else p.message
                              for p in exc.problems)
            status.value = status_html(f"✘ Not saved. {lines}", "bad")
            return
        except IlcsError as exc:
            status.value = error_html(exc)
            return
        status.value = status_html(f"{SAVED}: {profile.name} ({profile.candidate_number}, "
                                   f"{profile.centre})", "good")

    button.on_click(_save)
    user = hub_user(os.environ)
    if user is None:
        intro = w.HTML("<p>Tell us who you are. Your answers are saved on this computer under "
                       "this profile and go to your assessor when you submit.</p>")
    else:
        intro = w.HTML(
            f"<p>You are signed in as <b>{html.escape(user)}</b>: your answers are saved "
            "under this login in your centre's answer store, where your assessor sees them. "
            "Tell us what the login does not say: your full name, candidate number and "
            "centre.</p>")
    box = w.VBox([intro, *fields.values(), button, status])
    box.add_class("ilcs-profile-form")
    box.fields = fields  # type: ignore[attr-defined]
    box.save_button = button  # type: ignore[attr-defined]
    box.status = status  # type: ignore[attr-defined]
    box.save = _save  # type: ignore[attr-defined]
    return box


def build_submit_panel(store: AnswerStore | None = None, bank_dir: Any = None,
                       out_dir: Any = None) -> ipywidgets.VBox:
    """A "Write my evidence pack" button: the notebook version of `ilcs submit`.

    The returned box has `.submit_button` and `.status` (for tests).
    """
    import html
    from pathlib import Path

    import ipywidgets as w

    from ilcs.assessment.packs import default_pack_path, write_pack

    button = w.Button(layout=w.Layout(width="auto"), description="Write my evidence pack", button_style="primary",
                      icon="file", tooltip="Write one file with your profile and answers "
                                           "for your assessor")
    status = w.HTML(status_html("○ No evidence pack written in this session yet."))

    def _submit(_button: Any = None) -> None:
        try:
            out = None
            if out_dir is not None:
                from ilcs.assessment.profile import load_profile

                profile = load_profile()
                number = profile.candidate_number if profile else "candidate"
                out = Path(out_dir) / default_pack_path(number).name
            path, data = write_pack(out, store=store, bank_dir=bank_dir)
        except IlcsError as exc:
            status.value = error_html(exc)
            return
        n = len(data["answers"])
        status.value = status_html(
            f"{SAVED}: evidence pack with {n} answer{'' if n == 1 else 's'} written to "
            f"{path}. Send this file to your assessor.", "good")
        status.value += f"<p><code>{html.escape(str(path))}</code></p>"

    button.on_click(_submit)
    intro = w.HTML("<p>When your assessor asks for your evidence, press the button. It writes "
                   "one file with your profile and every answer you have saved.</p>")
    box = w.VBox([intro, button, status])
    box.submit_button = button  # type: ignore[attr-defined]
    box.status = status  # type: ignore[attr-defined]
    return box
