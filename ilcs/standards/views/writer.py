"""Write your own service standards and get SMART feedback on each one.

    build_standards_writer()                  # a learner's own standards: wording only
    build_standards_writer(requests)          # also judges Achievable / Realistic on history

A learner's own standards are checked without requests: Achievable and Realistic are then
"? not judged", since the sample organisation's history says nothing about the learner's team.

One standard per line. Each gets a line per SMART letter: ✔ met, ✘ missing or ? not judged,
with the reason in words (never colour alone). The checking is `ilcs.standards.smart.check_smart`.

What the trainee writes is kept in their data directory (`my-standards.txt` in
`ilcs.paths.user_data_dir()`, by `ilcs.standards.saved`) each time they press Check, and
comes back when the notebook is opened again.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from ilcs.standards.saved import load_saved_standards, save_standards
from ilcs.ui.common import SAVED, status_html
from ilcs.ui.view import LABEL_STYLE, View, button

if TYPE_CHECKING:
    import pandas as pd

    from ilcs.standards.smart import SmartReport

NO_TEAM = "(find the team in the text)"
OWN_RECORDS_HINT = ("check it with your team's own export of requests, from a terminal "
                    "(ilcs sla smart \"YOUR STANDARD\" --requests YOUR-EXPORT.csv)")
PLACEHOLDER = ("One standard per line, e.g.\n"
               "We will acknowledge every IT request from staff within 4 working hours.")


def report_html(report: SmartReport) -> str:
    """One written standard's SMART feedback as HTML: a list with words and symbols."""
    items = "".join(
        f"<li><strong>{html.escape(c.letter)} {html.escape(c.name)}: {html.escape(c.label)}</strong>"
        f" - {html.escape(c.reason)}</li>"
        for c in report.checks
    )
    met = sum(1 for c in report.checks if c.met)
    summary = f"{met} of 5 letters met" + (" - a SMART standard." if report.all_met else ".")
    return (f'<div class="ilcs-card"><p><em>“{html.escape(report.text)}”</em></p>'
            f"<ul>{items}</ul><p>{html.escape(summary)}</p></div>")


class StandardsWriter(View):
    """A text box for the trainee's standards, a team choice and a Check button.

    The box starts with what the trainee saved last time, else with `initial`. After Check,
    `reports` holds one `SmartReport` per line (observable). `standards` gives each team's
    working day (opening hours, lunch) for "working days" and "48 hours".
    """

    reports: traitlets.List[Any] = traitlets.List()

    def __init__(self, requests: pd.DataFrame | None = None, *, initial: str = "",
                 save: bool = True, standards: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.requests = requests
        self.standards = standards
        self.save = save
        if save:
            initial = load_saved_standards() or initial
        teams: list[str] = []
        if requests is not None and len(requests):
            teams = sorted(str(t) for t in requests["provider_team"].dropna().unique())
        self.text = widgets.Textarea(value=initial, placeholder=PLACEHOLDER,
                                     description="Your standards", style=LABEL_STYLE,
                                     layout=widgets.Layout(width="100%", height="8em"))
        self.team = widgets.Dropdown(options=[NO_TEAM, *teams], value=NO_TEAM,
                                     description="Team's history", style=LABEL_STYLE,
                                     disabled=not teams)
        self.button = button("Check my standards")
        self.button.icon = "check"
        self.results = widgets.HTML(status_html(
            "Write your standards above, then press 'Check my standards'."))
        self.button.on_click(lambda _button: self.check())
        self.children = [self.text, self.team, self.button, self.results]

    def check(self) -> None:
        """Check each line written (SMART), keep the text for next time, show the feedback."""
        from ilcs.standards.smart import check_smart

        lines = [line.strip() for line in self.text.value.splitlines() if line.strip()]
        if not lines:
            self.say(self.results, "✘ Nothing to check yet: write at least one standard.", "bad")
            self.reports = []
            return
        chosen = None if self.team.value == NO_TEAM else self.team.value
        self.reports = [check_smart(line, requests=self.requests, team=chosen,
                                    standards=self.standards, records_hint=OWN_RECORDS_HINT)
                        for line in lines]
        saved = ""
        if self.save:
            save_standards(lines)
            saved = f" {SAVED} (kept for next time)."
        smart = sum(1 for r in self.reports if r.all_met)
        self.results.value = (status_html(f"{len(self.reports)} standard(s) checked; {smart} "
                                          "fully SMART." + saved)
                              + "".join(report_html(r) for r in self.reports))


def build_standards_writer(requests: pd.DataFrame | None = None, *,
                           initial: str = "", save: bool = True,
                           standards: pd.DataFrame | None = None) -> StandardsWriter:
    """The standards writer (see `StandardsWriter`)."""
    return StandardsWriter(requests, initial=initial, save=save, standards=standards)
