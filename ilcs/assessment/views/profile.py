"""The profile form: a trainee says who they are once; every answer is filed under it.

Two views (the one widget pattern, docs/widgets.md): `ProfileForm` (name, candidate number,
centre, optional assessor) and `SubmitPanel` ("Write my evidence pack").
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from ilcs.errors import DataError, IlcsError
from ilcs.hub import hub_user
from ilcs.ui.common import SAVED, status_html
from ilcs.ui.view import View, button

if TYPE_CHECKING:
    from ilcs.assessment.profile import Profile
    from ilcs.assessment.store import AnswerStore

FIELDS = (
    ("name", "Full name"),
    ("candidate_number", "Candidate number"),
    ("centre", "Centre"),
    ("assessor", "Assessor (optional)"),
)
FIELD_STYLE = {"description_width": "12em"}


class ProfileForm(View):
    """A labelled form (name, candidate number, centre, optional assessor) and a Save button.

    On a JupyterHub the form says which login the answers are filed under (the hub user)
    and asks only for what the hub does not know. `candidate_number` is that of the profile
    saved (empty until one is).
    """

    candidate_number = traitlets.Unicode("")

    def __init__(self, store: AnswerStore | None = None) -> None:
        super().__init__()
        from ilcs.assessment.profile import load_profile

        self.store = store
        try:
            existing = load_profile()
        except DataError:
            existing = None
        self.fields: dict[str, widgets.Text] = {
            key: widgets.Text(value=(getattr(existing, key, "") or "") if existing else "",
                              description=label, style=FIELD_STYLE,
                              layout=widgets.Layout(width="32em"))
            for key, label in FIELDS}
        self.save_button = button("Save my profile",
                                  tooltip="Save your name, candidate number and centre")
        self.save_button.button_style = "primary"
        self.status = widgets.HTML()
        user = hub_user(os.environ)
        if user is None:
            self.intro = widgets.HTML(
                "<p>Tell us who you are. Your answers are saved on this computer under this "
                "profile and go to your assessor when you submit.</p>")
        else:
            self.intro = widgets.HTML(
                f"<p>You are signed in as <b>{html.escape(user)}</b>: your answers are saved "
                "under this login in your centre's answer store, where your assessor sees "
                "them. Tell us what the login does not say: your full name, candidate number "
                "and centre.</p>")
        self.save_button.on_click(lambda _button: self.save())
        self.add_class("ilcs-profile-form")
        self.children = [self.intro, *self.fields.values(), self.save_button, self.status]
        if existing is not None and existing.is_complete:
            self._saved(existing)
        else:
            self.say(self.status, "○ Not saved yet: fill in the boxes and press "
                                  "'Save my profile'.")

    def _saved(self, profile: Profile) -> None:
        self.candidate_number = profile.candidate_number
        self.say(self.status, f"{SAVED}: {profile.name} ({profile.candidate_number}, "
                              f"{profile.centre})", "good")

    def save(self) -> None:
        """Save the profile (and file it in the answer store), or say what is missing."""
        from ilcs.assessment.profile import save_profile

        try:
            profile = save_profile(
                self.fields["name"].value, self.fields["candidate_number"].value,
                self.fields["centre"].value, self.fields["assessor"].value, store=self.store)
        except DataError as exc:
            lines = "; ".join(f"{p.column}: {p.message}" if p.column else p.message
                              for p in exc.problems)
            self.say(self.status, f"✘ Not saved. {lines}", "bad")
            return
        except IlcsError as exc:
            self.fail(self.status, exc)
            return
        self._saved(profile)


def build_profile_form(store: AnswerStore | None = None) -> ProfileForm:
    """The profile form (see `ProfileForm`)."""
    return ProfileForm(store)


class SubmitPanel(View):
    """A "Write my evidence pack" button: the notebook version of `ilcs submit`.

    `pack_path` is the file written last (empty until one is).
    """

    pack_path = traitlets.Unicode("")

    def __init__(self, store: AnswerStore | None = None, bank_dir: Any = None,
                 out_dir: Any = None) -> None:
        super().__init__()
        self.store = store
        self.bank_dir = bank_dir
        self.out_dir = out_dir
        self.submit_button = button("Write my evidence pack",
                                    tooltip="Write one file with your profile and answers "
                                            "for your assessor")
        self.submit_button.button_style = "primary"
        self.submit_button.icon = "file"
        self.status = widgets.HTML(status_html("○ No evidence pack written in this session "
                                               "yet."))
        self.intro = widgets.HTML(
            "<p>When your assessor asks for your evidence, press the button. It writes one "
            "file with your profile and every answer you have saved.</p>")
        self.submit_button.on_click(lambda _button: self.submit())
        self.children = [self.intro, self.submit_button, self.status]

    def submit(self) -> None:
        """Write the evidence pack, or say what is missing."""
        from ilcs.assessment.packs import default_pack_path, write_pack

        try:
            out = None
            if self.out_dir is not None:
                from ilcs.assessment.profile import load_profile

                profile = load_profile()
                number = profile.candidate_number if profile else "candidate"
                out = Path(self.out_dir) / default_pack_path(number).name
            path, data = write_pack(out, store=self.store, bank_dir=self.bank_dir)
        except IlcsError as exc:
            self.fail(self.status, exc)
            return
        self.pack_path = str(path)
        n = len(data["answers"])
        self.status.value = (
            status_html(f"{SAVED}: evidence pack with {n} answer{'' if n == 1 else 's'} "
                        f"written to {path}. Send this file to your assessor.", "good")
            + f"<p><code>{html.escape(str(path))}</code></p>")


def build_submit_panel(store: AnswerStore | None = None, bank_dir: Any = None,
                       out_dir: Any = None) -> SubmitPanel:
    """The evidence pack button (see `SubmitPanel`)."""
    return SubmitPanel(store, bank_dir, out_dir)
