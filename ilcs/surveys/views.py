"""Views of the surveys topic, in the one widget pattern (docs/widgets.md).

    SurveyExplorer()               # the sample survey: waves, items, teams, comment themes
    SurveyExplorer(loaded)         # any loaded survey (ilcs.surveys.responses.load_responses)
    OwnSurvey()                    # upload your own export, then explore it
    TechniqueChooser()             # choose feedback techniques for a scenario, see trade-offs
    QuestionChecker()              # check a drafted survey question

Every figure comes from the core (`ilcs.surveys.evaluate`, `themes`, `techniques`); groups
with fewer than 5 respondents are suppressed there, so no view can show one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import traitlets

from ilcs.errors import IlcsError
from ilcs.io.write import write_bytes
from ilcs.surveys import evaluate as ev
from ilcs.surveys import techniques as tq
from ilcs.surveys.privacy import MIN_GROUP, large_groups
from ilcs.surveys.questionnaire import load_questionnaire
from ilcs.surveys.report import changes_display, scores_display
from ilcs.surveys.responses import LoadedSurvey, load_responses, load_sample_survey
from ilcs.surveys.themes import (
    Lexicon,
    load_lexicon,
    small_groups_note,
    theme_counts,
    theme_examples,
)
from ilcs.ui.charts import bar_chart_svg
from ilcs.ui.common import status_html, table_html
from ilcs.ui.view import LABEL_STYLE, View, button, labelled_dropdown, message_line

BOTH = "Both waves"
ALL_TEAMS = "All teams"


class SurveyExplorer(View):
    """A survey by wave, team and item, with comment themes; small groups never shown."""

    wave = traitlets.Unicode(BOTH)
    team = traitlets.Unicode(ALL_TEAMS)
    item = traitlets.Unicode("")
    theme = traitlets.Unicode("")

    def __init__(self, loaded: LoadedSurvey | None = None, lexicon: Lexicon | None = None
                 ) -> None:
        super().__init__()
        loaded = loaded or load_sample_survey()
        self.responses = loaded.responses
        self.questionnaire = loaded.questionnaire
        self.lexicon = lexicon or load_lexicon()
        waves = sorted(int(w) for w in self.responses["wave"].dropna().unique())
        self.waves = waves
        teams = large_groups(self.responses, "about_team")
        rated = [i for i in self.questionnaire.items if i.kind != "recommend"]  # with effort
        self.item = rated[0].id if not any(i.id == "q_overall" for i in rated) else "q_overall"
        self.theme = next(iter(self.lexicon.themes))
        self.wave_picker = labelled_dropdown("Wave", [BOTH, *[f"Wave {w}" for w in waves]])
        self.team_picker = labelled_dropdown("Team", [ALL_TEAMS, *teams])
        self.item_picker = widgets.Dropdown(options=[(i.wording, i.id) for i in rated],
                                            value=self.item, description="Statement",
                                            style=LABEL_STYLE,
                                            layout=widgets.Layout(width="auto"))
        self.theme_picker = labelled_dropdown("Comment theme", list(self.lexicon.themes),
                                              self.theme)
        self.message = message_line()
        self.scores = widgets.HTML()
        self.recommend = widgets.HTML()
        self.chart = widgets.HTML()
        self.changes = widgets.HTML()
        self.themes = widgets.HTML()
        self.quotes = widgets.HTML()
        widgets.link((self.wave_picker, "value"), (self, "wave"))
        widgets.link((self.team_picker, "value"), (self, "team"))
        widgets.link((self.item_picker, "value"), (self, "item"))
        widgets.link((self.theme_picker, "value"), (self, "theme"))
        self.observe(lambda _change: self.render(), ["wave", "team", "item", "theme",
                                                     "large_type"])
        controls = widgets.HBox([self.wave_picker, self.team_picker],
                                layout=widgets.Layout(flex_flow="row wrap"))
        self.children = [
            controls, self.message, self.scores, self.recommend, self.item_picker, self.chart,
            self.changes, self.theme_picker, self.themes, self.quotes,
        ]
        self.render()

    def selection(self) -> pd.DataFrame:
        part = self.responses
        if self.wave != BOTH:
            part = part[part["wave"] == int(self.wave.split()[-1])]
        if self.team != ALL_TEAMS:
            part = part[part["about_team"] == self.team]
        return part

    def render(self) -> None:
        try:
            self._render()
        except IlcsError as exc:
            self.fail(self.message, exc)

    def _render(self) -> None:
        part = self.selection()
        where = f"{self.team}, {self.wave.lower()}"
        note = small_groups_note(self.responses, "about_team")
        self.say(self.message, f"{len(part):,} responses ({where}). Groups with fewer than "
                               f"{MIN_GROUP} respondents are never shown, so nobody can be "
                               f"picked out. {note}".strip())
        q = self.questionnaire
        self.scores.value = table_html(scores_display(ev.item_summary(part, q)),
                                       f"Scores by statement ({where})")
        if q.of_kind("recommend"):
            r = ev.recommend_table(part, q).iloc[0]
            if isinstance(r["score"], str):
                text = f"Recommend score: not shown ({r['score']} answers)."
            else:
                text = (f"Recommend score: {r['score']:+.0f} (95% range {r['low']:+.0f} to "
                        f"{r['high']:+.0f}; {int(r['promoters'])} scored 9-10, "
                        f"{int(r['detractors'])} scored 0-6, of {int(r['n'])}). Colleagues "
                        "cannot take their custom "
                        "elsewhere: read it as a rough sign of goodwill.")
            self.recommend.value = status_html(text)
        item = q.item(self.item)
        dist = ev.distribution(part, item)
        suppressed = isinstance(dist["count"].iloc[0], str)
        self.chart.value = bar_chart_svg(
            list(dist["answer"]),
            [None if suppressed else float(p) for p in dist["pct"]],
            value_texts=[str(c) if suppressed else f"{c} ({p:.0f}%)"
                         for c, p in zip(dist["count"], dist["pct"])],
            title=f"{item.wording} ({where})", x_label="% of those who answered", x_max=100.0,
            large_type=self.large_type)
        if len(self.waves) >= 2 and self.team == ALL_TEAMS:
            changes = ev.wave_changes(self.responses, q, item.id, wave_a=self.waves[0],
                                      wave_b=self.waves[-1])
            self.changes.value = table_html(changes_display(changes),
                                            f"Change from wave {self.waves[0]} to wave "
                                            f"{self.waves[-1]}: {item.wording}")
        elif len(self.waves) >= 2:
            c = ev.wave_change(self.responses[self.responses["about_team"] == self.team], item,
                               self.waves[0], self.waves[-1], self.team)
            self.changes.value = status_html(c.words())
        else:
            self.changes.value = status_html("Only one wave: nothing to compare yet.")
        wave_part = part if self.team == ALL_TEAMS else self.responses if self.wave == BOTH \
            else self.responses[self.responses["wave"] == int(self.wave.split()[-1])]
        counts = theme_counts(wave_part, self.lexicon)
        self.themes.value = table_html(counts, f"Comments by theme and team ({self.wave.lower()})"
                                       , {"theme": "Theme", "total": "All teams"})
        quotes = theme_examples(part, self.lexicon, self.theme)
        self.quotes.value = table_html(quotes, f"Example comments: {self.theme} ({where}; "
                                               "personal details removed)",
                                       {"about_team": "Team", "comment": "Comment"})


class OwnSurvey(View):
    """Upload a survey export (CSV or XLSX) and, if its questions are not the sample
    survey's, its questionnaire definition (YAML); say which tool made it; explore it."""

    def __init__(self) -> None:
        super().__init__()
        from ilcs.io.survey_exports import FORMATS

        self.upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False,
                                         description="Choose my export")
        self.questionnaire_upload = widgets.FileUpload(
            accept=".yaml,.yml", multiple=False,
            description="My questionnaire (optional)")
        self.questionnaire_upload.layout.width = "auto"
        self.format_picker = widgets.Dropdown(
            options=[(f.label, f.name) for f in FORMATS.values()], value="generic",
            description="Made by", style=LABEL_STYLE)
        self.wave_box = widgets.BoundedIntText(value=1, min=1, max=99, description="Wave",
                                               style=LABEL_STYLE)
        self.department_box = widgets.Text(description="Department (if not in the file)",
                                           style=LABEL_STYLE)
        self.team_box = widgets.Text(description="Team asked about (if not in the file)",
                                     style=LABEL_STYLE)
        self.load_button = button("Load my survey")
        self.message = message_line()
        self.result = widgets.VBox()
        self.load_button.on_click(lambda _b: self.load())
        self.children = [self.upload, self.questionnaire_upload, self.format_picker,
                         self.wave_box, self.department_box, self.team_box, self.load_button,
                         self.message, self.result]

    def load(self) -> None:
        if not self.upload.value:
            self.say(self.message, "Choose a file first.", "warn")
            return
        upload = self.upload.value[0]
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(str(upload["name"])).name
                write_bytes(path, bytes(upload["content"]))
                questionnaire = None
                if self.questionnaire_upload.value:
                    definition = self.questionnaire_upload.value[0]
                    q_path = Path(folder) / "questionnaire" / Path(str(definition["name"])).name
                    q_path.parent.mkdir()
                    write_bytes(q_path, bytes(definition["content"]))
                    questionnaire = load_questionnaire(q_path)
                loaded = load_responses(path, questionnaire, fmt=self.format_picker.value,
                                        wave=self.wave_box.value,
                                        department=self.department_box.value.strip() or None,
                                        team=self.team_box.value.strip() or None)
        except IlcsError as exc:
            self.fail(self.message, exc)
            self.result.children = []
            return
        self.say(self.message, " ".join(loaded.notes()), "good")
        self.result.children = [SurveyExplorer(loaded)]


class TechniqueChooser(View):
    """Pick a scenario and some techniques: see where each meets the need and falls short."""

    scenario = traitlets.Unicode(tq.SCENARIOS[0].id)

    def __init__(self) -> None:
        super().__init__()
        self.scenario_picker = widgets.Dropdown(
            options=[(s.title, s.id) for s in tq.SCENARIOS], value=self.scenario,
            description="Scenario", style=LABEL_STYLE)
        self.situation = widgets.HTML()
        self.boxes = {t.id: widgets.Checkbox(value=False, description=t.name, indent=False)
                      for t in tq.TECHNIQUES}
        self.message = message_line()
        self.table = widgets.HTML()
        widgets.link((self.scenario_picker, "value"), (self, "scenario"))
        self.observe(lambda _change: self.render(), "scenario")
        for box in self.boxes.values():
            box.observe(lambda _change: self.render(), "value")
        self.children = [self.scenario_picker, self.situation,
                         widgets.HTML("<strong>Techniques I would use:</strong>"),
                         widgets.VBox(list(self.boxes.values())), self.message, self.table]
        self.render()

    def chosen(self) -> list[str]:
        return [k for k, box in self.boxes.items() if box.value]

    def render(self) -> None:
        scenario = tq.scenario(self.scenario)
        self.situation.value = f"<p>{scenario.situation}</p>"
        chosen = self.chosen()
        if not chosen:
            self.say(self.message, "Tick one or more techniques to see their trade-offs.")
            self.table.value = ""
            return
        table = tq.assess_choice(scenario, chosen)
        fits = [tq.technique(t).name for t in tq.best_fits(scenario)]
        self.say(self.message, "Techniques that meet every need of this scenario: "
                               f"{', '.join(fits) or 'none on its own: combine two'}.")
        self.table.value = table_html(table, f"Your choice for: {scenario.title}",
                                      {"technique": "Technique", "meets": "Meets",
                                       "falls_short": "Falls short on", "fit": "Fit",
                                       "watch_out": "Watch out for"})


class QuestionChecker(View):
    """Type a survey question and its answer options; see which rules it breaks."""

    def __init__(self, example: str = "") -> None:
        super().__init__()
        self.draft = widgets.Textarea(
            value=example, description="My question (first line), then its answer options",
            placeholder="Was the IT desk quick and helpful?\nYes / No",
            style=LABEL_STYLE, layout=widgets.Layout(width="95%", height="8em"))
        self.check_button = button("Check my question")
        self.message = message_line()
        self.table = widgets.HTML()
        self.check_button.on_click(lambda _b: self.render())
        self.children = [self.draft, self.check_button, self.message, self.table]
        if example:
            self.render()

    def render(self) -> None:
        if not self.draft.value.strip():
            self.say(self.message, "Type a question first.", "warn")
            self.table.value = ""
            return
        flags = tq.check_draft(self.draft.value)
        if flags.empty:
            self.say(self.message, "✔ No rule broken: the question is clear and the answer "
                                   "options are balanced.", "good")
            self.table.value = ""
            return
        self.say(self.message, f"✘ {len(flags)} thing{'s' if len(flags) > 1 else ''} to "
                               "improve.", "bad")
        self.table.value = table_html(flags, "What the checker found",
                                      {"rule": "Rule", "advice": "Advice"})
