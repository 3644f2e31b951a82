"""The one widget pattern every ilcs view follows.

A view is a class that *is* its widget (an `ipywidgets.VBox`):

- its **state** is typed traitlets declared on the class (observable: `view.observe(fn,
  "team")`), never attributes bolted onto a box afterwards;
- its **controls and outputs** are named widget attributes created in `__init__`, each with a
  visible label, so a test (or a trainer's script) can set `view.team_picker.value = "HR"` and
  read `view.table.value`;
- its **callbacks** are methods: they call the topic's core, then `render()` the result; a
  view computes no figure itself and reads no file;
- a domain error is shown in words beside the control that caused it (`self.say(...)`), never
  as a traceback.

    class ComplaintsExplorer(View):
        team = traitlets.Unicode(ALL_TEAMS)

        def __init__(self, report: ComplaintsReport) -> None:
            super().__init__()
            self.report = report
            self.team_picker = labelled_dropdown("Team", [ALL_TEAMS, *report.teams])
            self.table = widgets.HTML()
            self.message = message_line()
            widgets.link((self.team_picker, "value"), (self, "team"))
            self.observe(lambda _: self.render(), "team")
            self.children = [self.team_picker, self.message, self.table]
            self.render()

        def render(self) -> None:
            self.table.value = table_html(core.by_team(self.report, self.team), ...)

`app()` frames a view as a Voila app page (`AppPage`: stylesheet, heading, large-type
switch). See docs/widgets.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import traitlets

from ilcs.ui.common import error_html, status_html
from ilcs.ui.style import (
    APP_CLASS,
    LARGE_TYPE_LABEL,
    heading_html,
    set_large_type,
    stylesheet,
)

LABEL_STYLE = {"description_width": "initial"}


class View(widgets.VBox):
    """Base of every view: a VBox with typed state, named children and a message line."""

    large_type = traitlets.Bool(False)

    def render(self) -> None:
        """Redraw the outputs from the current state (subclasses override)."""

    def say(self, line: widgets.HTML, text: str, tone: str = "neutral") -> None:
        """Show a status in words (and a symbol) on `line`, beside the control it is about."""
        line.value = status_html(text, tone)

    def fail(self, line: widgets.HTML, exc: BaseException) -> None:
        """Show a domain error in words on `line`."""
        line.value = error_html(exc)

    def app(self, name: str, *, large_type: bool = False, title: str | None = None,
            subtitle: str | None = None) -> AppPage:
        """This view framed as the registered app `name` (title from `ilcs.apps`, unless
        `title` is given); the page's large-type switch drives this view's `large_type`."""
        from ilcs.apps import get_app

        page = AppPage(self, title if title is not None else get_app(name).title, name=name,
                       subtitle=subtitle, large_type=large_type)
        widgets.link((page, "large_type"), (self, "large_type"))
        return page


class ProblemView(View):
    """What an app shows instead of itself when it cannot be built: the problem in words
    (e.g. a question bank that is not valid YAML), never a traceback."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__()
        self.message = widgets.HTML(error_html(exc))
        self.children = [self.message]

    @property
    def value(self) -> str:
        """The problem as shown (HTML)."""
        return str(self.message.value)


class AppPage(View):
    """A view framed as an app page: the stylesheet, a heading, the large-type switch, then
    the view itself (`body`).

    The page carries the CSS classes `ilcs-app` and `ilcs-app-<name>` (the browser tests and
    the benchmark wait for these) and `ilcs-large-type` while large type is on.
    """

    def __init__(self, body: widgets.Widget, title: str, *, name: str,
                 subtitle: str | None = None, large_type: bool = False) -> None:
        super().__init__()
        self.body = body
        self.heading = widgets.HTML(heading_html(title, 1, subtitle))
        self.large_type_toggle = widgets.Checkbox(value=large_type,
                                                  description=LARGE_TYPE_LABEL, indent=False)
        self.large_type_toggle.layout.width = "auto"
        self.add_class(APP_CLASS)
        self.add_class(f"{APP_CLASS}-{name}")
        widgets.link((self.large_type_toggle, "value"), (self, "large_type"))
        self.observe(lambda _change: self.render(), "large_type")
        self.children = [stylesheet(), self.heading, self.large_type_toggle, body]
        self.render()

    def render(self) -> None:
        set_large_type(self, self.large_type)

def message_line() -> widgets.HTML:
    """An empty status line (role="status" once filled) to place beside a button."""
    return widgets.HTML("")


def labelled_dropdown(label: str, options: Sequence[str], value: str | None = None
                      ) -> widgets.Dropdown:
    """A dropdown with a visible label that is also its accessible name."""
    picker = widgets.Dropdown(options=list(options), value=value if value is not None else
                              (options[0] if options else None), description=label,
                              style=LABEL_STYLE)
    picker.layout.width = "auto"
    return picker


def button(label: str, *, tooltip: str | None = None) -> widgets.Button:
    """A button whose label is never cut off (its width follows its text)."""
    b = widgets.Button(description=label, tooltip=tooltip or label)
    b.layout.width = "auto"
    return b
