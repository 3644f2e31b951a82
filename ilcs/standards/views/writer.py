"""Write your own service standards and get SMART feedback on each one.

    build_standards_writer()                  # checks wording only
    build_standards_writer(requests)          # also judges Achievable / Realistic on history

One standard per line. Each gets a line per SMART letter: ✔ met, ✘ missing or ? not judged,
with the reason in words (never colour alone). The checking is `ilcs.standards.smart.check_smart`.

What the trainee writes is kept in their data directory (`my-standards.txt` in
`ilcs.paths.user_data_dir()`) each time they press Check, and comes back when the notebook
is opened again.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ilcs.io.write import write_text
from ilcs.ui.common import SAVED, status_html

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd

    from ilcs.standards.smart import SmartReport

NO_TEAM = "(find the team in the text)"
SAVE_FILE = "my-standards.txt"
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


def saved_standards_path() -> Path:
    from ilcs.paths import user_data_dir

    return user_data_dir() / SAVE_FILE


def build_standards_writer(requests: pd.DataFrame | None = None, *,
                           initial: str = "", save: bool = True) -> ipywidgets.VBox:
    """A text box for the trainee's standards, a team choice and a Check button.

    The box starts with what the trainee saved last time, else with `initial`.
    """
    import ipywidgets as w

    path = saved_standards_path() if save else None
    if path is not None and path.exists():
        initial = path.read_text(encoding="utf-8")

    teams: list[str] = []
    if requests is not None and len(requests):
        teams = sorted(str(t) for t in requests["provider_team"].dropna().unique())
    text = w.Textarea(value=initial, placeholder=PLACEHOLDER, description="Your standards",
                      style={"description_width": "initial"},
                      layout=w.Layout(width="100%", height="8em"))
    team = w.Dropdown(options=[NO_TEAM, *teams], value=NO_TEAM, description="Team's history",
                      style={"description_width": "initial"}, disabled=not teams)
    button = w.Button(layout=w.Layout(width="auto"), description="Check my standards", icon="check")
    results = w.HTML(status_html("Write your standards above, then press 'Check my standards'."))
    box = w.VBox([text, team, button, results])
    box.reports = []  # type: ignore[attr-defined]

    def check(_button: Any = None) -> None:
        from ilcs.standards.smart import check_smart

        lines = [line.strip() for line in text.value.splitlines() if line.strip()]
        if not lines:
            results.value = status_html("✘ Nothing to check yet: write at least one standard.", "bad")
            box.reports = []  # type: ignore[attr-defined]
            return
        chosen = None if team.value == NO_TEAM else team.value
        reports = [check_smart(line, requests=requests, team=chosen) for line in lines]
        box.reports = reports  # type: ignore[attr-defined]
        smart = sum(1 for r in reports if r.all_met)
        saved = ""
        if path is not None:
            write_text(path, "\n".join(lines) + "\n")
            saved = f" {SAVED} (kept for next time)."
        results.value = (status_html(f"{len(reports)} standard(s) checked; {smart} fully SMART."
                                     + saved)
                         + "".join(report_html(r) for r in reports))

    button.on_click(check)
    box.text = text  # type: ignore[attr-defined]
    box.team = team  # type: ignore[attr-defined]
    box.button = button  # type: ignore[attr-defined]
    box.results = results  # type: ignore[attr-defined]
    box.check = check  # type: ignore[attr-defined]
    return box
