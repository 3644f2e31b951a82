"""The one widget pattern: typed, observable state; named, labelled children; errors in words."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import traitlets

from ilcs.errors import DataError
from ilcs.ui.common import Table
from ilcs.ui.view import View, button, labelled_dropdown, message_line


class Counter(View):
    team = traitlets.Unicode("All teams")

    def __init__(self) -> None:
        super().__init__()
        self.team_picker = labelled_dropdown("Team", ["All teams", "HR", "IT"])
        self.go = button("Count the requests")
        self.message = message_line()
        self.out = widgets.HTML()
        widgets.link((self.team_picker, "value"), (self, "team"))
        self.observe(lambda _change: self.render(), "team")
        self.go.on_click(lambda _b: self.fail(self.message, DataError("file.csv: no rows")))
        self.children = [self.team_picker, self.go, self.message, self.out]
        self.render()

    def render(self) -> None:
        self.out.value = f"<p>{self.team}</p>"


def test_state_follows_the_control_and_the_view_rerenders() -> None:
    view = Counter()
    seen: list[str] = []
    view.observe(lambda change: seen.append(change["new"]), "team")
    view.team_picker.value = "HR"
    assert view.team == "HR" and seen == ["HR"] and view.out.value == "<p>HR</p>"


def test_controls_have_visible_labels_and_buttons_are_never_cut() -> None:
    view = Counter()
    assert view.team_picker.description == "Team"
    assert view.go.layout.width == "auto"


def test_an_error_is_shown_in_words_beside_the_button() -> None:
    view = Counter()
    view.go.click()
    assert 'role="alert"' in view.message.value and "no rows" in view.message.value


def test_app_frame_links_large_type() -> None:
    view = Counter()
    page = view.app("sla_dashboard")
    page.large_type_toggle.value = True
    assert view.large_type is True and "ilcs-large-type" in page._dom_classes


def test_table_has_word_headings_a_caption_and_escapes_text() -> None:
    frame = pd.DataFrame({"standard_id": ["STD-1"], "description": ["<b>reply</b> in 4 h"]})
    html = Table(frame, "Standards", {"standard_id": "Standard"})._repr_html_()
    assert "<caption" in html and ">Standards<" in html
    assert ">Standard<" in html and ">Description<" in html  # words, capitalised
    assert "&lt;b&gt;reply&lt;/b&gt;" in html
