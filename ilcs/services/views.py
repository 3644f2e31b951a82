"""The services topic's views: tables and charts for notebooks 01 and 03, the sorting
activity, the 18-practice self-assessment (also the `self_assessment` app), the trainee's
own services map and the outcome-7 forms (record and witness statement).

Every figure comes from the topic's core (`service_map`, `chain`, `expectations`,
`practices`, `performance`); these views only lay them out, in words.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from ilcs.errors import IlcsError
from ilcs.services import customers, practices
from ilcs.ui.charts import Svg, bar_chart_svg, grid_chart_svg
from ilcs.ui.common import Table, table_html
from ilcs.ui.view import LABEL_STYLE, View, button, labelled_dropdown, message_line

if TYPE_CHECKING:
    from ilcs.assessment.store import AnswerStore

NOT_RATED = "Not rated"


def _pct_text(count: Any, total: Any, pct: Any) -> str:
    """'75.0 % (3 of 4)'; 'fewer than 5' when the percentage was suppressed."""
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return f"fewer than {practices.MIN_GROUP}" if int(total) < practices.MIN_GROUP \
            else "-"
    return f"{float(pct):.1f} % ({int(count)} of {int(total)})"


# ------------------------------------------------------------------ service map (1.1, 2.1)

MAP_HEADERS = {"provider_team": "Provider team", "requester_department":
               "Department (internal customer)", "requests": "Requests",
               "resolved": "Resolved", "median_hours": "Typical working hours to resolve",
               "share": "Share of the team's requests"}


def service_map_table(table: pd.DataFrame, limit: int | None = None) -> Table:
    """The service map as a table: counts beside every percentage."""
    shown = table.assign(share=[f"{p:.1f} % ({n} of {t})" for p, n, t in zip(
        table["share_pct"], table["requests"],
        table.groupby("provider_team")["requests"].transform("sum"))])
    shown = shown[["provider_team", "requester_department", "requests", "resolved",
                   "median_hours", "share"]]
    return Table(shown, "Who serves whom: requests by provider team and department",
                 MAP_HEADERS, limit)


def service_map_chart(table: pd.DataFrame, value: str = "requests",
                      large_type: bool = False) -> Svg:
    """The service map as a grid chart: one row per provider team, one column per
    department; each cell states the number of requests (or the typical hours)."""
    from ilcs.services.service_map import map_grid

    grid = map_grid(table, value)
    rows, cols = list(grid.index), list(grid.columns)
    values = [[None if pd.isna(v) else float(v) for v in grid.loc[r]] for r in rows]
    if value == "median_hours":
        texts = [["none" if v is None else f"{v:.1f} h" for v in row] for row in values]
        title = "Typical working hours to resolve a request"
    else:
        texts = [["none" if not v else f"{v:,.0f}" for v in row] for row in values]
        title = "Requests from each department to each provider team"
    return Svg(grid_chart_svg(rows, cols, values, title=title, row_title="Provider team",
                              col_title="Department asking (internal customer)",
                              cell_texts=texts, large_type=large_type))


class ServiceMapView(View):
    """The service map with a choice of what the grid shows (how much or how fast)."""

    shown = traitlets.Unicode("requests")
    CHOICES = (("How much: number of requests", "requests"),
               ("How fast: typical working hours to resolve", "median_hours"))

    def __init__(self, table: pd.DataFrame) -> None:
        super().__init__()
        self.table_data = table
        self.picker = widgets.Dropdown(options=list(self.CHOICES), value="requests",
                                       description="Show", style=LABEL_STYLE)
        self.picker.layout.width = "auto"
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        widgets.link((self.picker, "value"), (self, "shown"))
        self.observe(lambda _change: self.render(), ["shown", "large_type"])
        self.children = [self.picker, self.chart, self.table]
        self.render()

    def render(self) -> None:
        self.chart.value = str(service_map_chart(self.table_data, self.shown, self.large_type))
        self.table.value = str(service_map_table(self.table_data))


# ------------------------------------------------------------------------ the chain (2.1)

def chain_view_table(table: pd.DataFrame) -> Table:
    shown = pd.DataFrame({
        "order": table["order"], "step": table["step"], "team": table["provider_team"],
        "category": table["category"], "requests": table["requests"],
        "within": [_pct_text(w, m, p) for w, m, p in zip(table["within"], table["measured"],
                                                         table["pct_within"])],
        "median_hours": table["median_hours"], "hand_off": table["hand_off"]})
    return Table(shown, "The recruitment chain, link by link", {
        "order": "Link", "step": "Step", "team": "Done by", "category": "Requests of type",
        "requests": "Requests", "within": "Within the resolution standard",
        "median_hours": "Typical working hours", "hand_off": "Passes on"})


def chain_chart(table: pd.DataFrame, large_type: bool = False) -> Svg:
    labels = [f"{o}. {s}" for o, s in zip(table["order"], table["step"])]
    texts = [_pct_text(w, m, p) for w, m, p in zip(table["within"], table["measured"],
                                                   table["pct_within"])]
    return Svg(bar_chart_svg(labels, list(table["pct_within"]),
                             title="How often each link met its standard",
                             x_label="% of measured requests within the resolution standard",
                             x_max=100, value_texts=texts, large_type=large_type))


# ---------------------------------------------------------------- expectations (3.1-3.3)

def expectations_table(table: pd.DataFrame) -> Table:
    """Standards kept against satisfaction, per wave and team, counts beside percentages."""
    shown = pd.DataFrame({
        "wave": table["wave"], "team": table["provider_team"], "window": table["window"],
        "kept": [_pct_text(w, m, p) for w, m, p in zip(table["within"], table["measured"],
                                                       table["pct_within"])],
        "satisfied": [_pct_text(s, n, p) for s, n, p in zip(
            table["satisfied"], table["responses"], table["pct_satisfied"])]})
    return Table(shown, "Standards kept before each survey wave, and satisfied customers in it",
                 {"wave": "Wave", "team": "Team", "window": "Requests received",
                  "kept": "Standards kept", "satisfied": "Satisfied overall (4 or 5)"})


def change_table(table: pd.DataFrame) -> Table:
    from ilcs.services import expectations

    change = expectations.wave_change(table)

    def points(v: float) -> str:
        return "-" if pd.isna(v) else f"{v:+.1f} points"

    shown = pd.DataFrame({
        "team": change["provider_team"],
        "kept": [f"{a:.1f} % → {b:.1f} % ({points(b - a)})" for a, b in zip(
            change["pct_within_before"], change["pct_within_after"])],
        "satisfied": [f"{a:.1f} % → {b:.1f} % ({points(b - a)})" for a, b in zip(
            change["pct_satisfied_before"], change["pct_satisfied_after"])]})
    return Table(shown, "From wave 1 to wave 2", {
        "team": "Team", "kept": "Standards kept", "satisfied": "Satisfied overall"})


class AgreementExplorer(View):
    """What a team's customers agreed with, per survey statement, in one wave."""

    team = traitlets.Unicode()
    wave = traitlets.Int(1)

    def __init__(self, responses: pd.DataFrame) -> None:
        super().__init__()
        self.responses = responses
        teams = sorted(str(t) for t in responses["about_team"].dropna().unique())
        waves = sorted(int(w) for w in responses["wave"].dropna().unique())
        self.team_picker = labelled_dropdown("Team", teams)
        self.wave_picker = widgets.Dropdown(options=[(f"Wave {w}", w) for w in waves],
                                            value=waves[0], description="Survey wave",
                                            style=LABEL_STYLE)
        self.wave_picker.layout.width = "auto"
        self.message = message_line()
        self.table = widgets.HTML()
        self.team = teams[0]
        self.wave = waves[0]
        widgets.link((self.team_picker, "value"), (self, "team"))
        widgets.link((self.wave_picker, "value"), (self, "wave"))
        self.observe(lambda _change: self.render(), ["team", "wave"])
        self.children = [widgets.HBox([self.team_picker, self.wave_picker]), self.message,
                         self.table]
        self.render()

    def render(self) -> None:
        from ilcs.services import expectations

        try:
            rows = expectations.statement_agreement(self.responses, self.team, self.wave)
        except IlcsError as exc:
            self.fail(self.message, exc)
            self.table.value = ""
            return
        self.message.value = ""
        shown = pd.DataFrame({"words": rows["words"], "agreed": [
            _pct_text(a, n, p) for a, n, p in zip(rows["agreed"], rows["answered"],
                                                  rows["pct_agreed"])]})
        self.table.value = table_html(
            shown, f"What customers agreed with: {self.team}, wave {self.wave}",
            {"words": "Survey statement", "agreed": "Agreed (4 or 5)"})


# ------------------------------------------------------------------ sorting activity (1.1)

class SortingActivity(View):
    """Sort people into internal customers, external customers, or the wider view."""

    right = traitlets.Int(0)
    CHOOSE = "Choose..."

    def __init__(self) -> None:
        super().__init__()
        self.pickers = []
        for i, item in enumerate(customers.ITEMS, start=1):
            picker = widgets.Dropdown(options=[self.CHOOSE, *customers.CHOICES],
                                      value=self.CHOOSE, description=f"{i}. {item.who}",
                                      style=LABEL_STYLE)
            picker.layout.width = "auto"
            self.pickers.append(picker)
        self.check_button = button("Check my sorting")
        self.message = message_line()
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _b: self.check())
        self.children = [*self.pickers, self.check_button, self.message, self.feedback]

    def check(self) -> None:
        given = {i: (None if p.value == self.CHOOSE else str(p.value))
                 for i, p in enumerate(self.pickers)}
        results = customers.check_sort(given)
        self.right, total = customers.score(results)
        items = "".join(
            f"<li>{'✔' if r.correct else '✘'} <strong>{html.escape(r.item.who)}</strong>: "
            f"{html.escape(r.item.answer)}. {html.escape(r.item.why)}"
            + ("" if r.correct or r.given is None else
               f" (you chose: {html.escape(r.given)})") + "</li>" for r in results)
        self.feedback.value = f"<ul>{items}</ul>"
        tone = "good" if self.right == total else "warn"
        self.say(self.message, f"{self.right} of {total} sorted as most organisations would.",
                 tone)


# -------------------------------------------------------- the trainee's own services (2.1)

class OwnServicesMap(View):
    """The trainee lists their own organisation's products and services for colleagues."""

    OWN_QUESTION = "q2.1-own-services-map"
    rows: traitlets.List[Any] = traitlets.List()

    def __init__(self, store: AnswerStore | None = None, candidate: Any = None) -> None:
        super().__init__()
        self._store, self._candidate = store, candidate
        self.department = widgets.Text(description="Department or team", style=LABEL_STYLE)
        self.offers = widgets.Textarea(description="Products and services it provides",
                                       style=LABEL_STYLE)
        self.receivers = widgets.Text(description="Who receives them (internal customers)",
                                      style=LABEL_STYLE)
        for box in (self.department, self.offers, self.receivers):
            box.layout.width = "95%"
        self.add_button = button("Add to my map")
        self.save_button = button("Save my map")
        self.message = message_line()
        self.table = widgets.HTML()
        self.add_button.on_click(lambda _b: self.add())
        self.save_button.on_click(lambda _b: self.save())
        self.observe(lambda _change: self.render(), "rows")
        self.children = [self.department, self.offers, self.receivers,
                         widgets.HBox([self.add_button, self.save_button]), self.message,
                         self.table]
        self.render()

    def add(self) -> None:
        row = {"department": self.department.value.strip(), "offers": self.offers.value.strip(),
               "receivers": self.receivers.value.strip()}
        missing = [label for key, label in (("department", "the department"),
                                            ("offers", "its products and services"),
                                            ("receivers", "who receives them"))
                   if not row[key]]
        if missing:
            self.say(self.message, "✘ Please fill in " + ", ".join(missing) + ".", "bad")
            return
        self.rows = [*self.rows, row]
        self.department.value = self.offers.value = self.receivers.value = ""
        self.say(self.message, f"✔ Added {row['department']} ({len(self.rows)} in your map).",
                 "good")

    def save(self) -> None:
        if not self.rows:
            self.say(self.message, "✘ Add at least one department first.", "bad")
            return
        try:
            from ilcs.assessment.profile import resolve_candidate
            from ilcs.assessment.store import default_store
            from ilcs.services import performance

            store = self._store or default_store()
            candidate_id, _profile = resolve_candidate(self._candidate)
            store.save_answer(candidate_id, self.OWN_QUESTION, list(self.rows), "practice",
                              performance._bank_version(None))
        except IlcsError as exc:
            self.fail(self.message, exc)
            return
        self.say(self.message, f"✔ Saved your map ({len(self.rows)} departments). Use it to "
                 "answer the assessed question on your own organisation below.", "good")

    def render(self) -> None:
        self.table.value = table_html(pd.DataFrame(self.rows, columns=[
            "department", "offers", "receivers"]), "My organisation's services for colleagues",
            {"department": "Department or team", "offers": "Products and services",
             "receivers": "Internal customers"})


# ------------------------------------------------------- the 18-practice self-assessment

def practices_chart(summary: pd.DataFrame, weak_numbers: list[int],
                    large_type: bool = False) -> Svg:
    labels = [f"{n}. {name}" for n, name in zip(summary["number"], summary["name"])]
    texts = [f"fewer than {practices.MIN_GROUP} ratings" if pd.isna(m)
             else f"{m:.1f} ({int(n)} ratings)" for m, n in zip(summary["mean"],
                                                               summary["ratings"])]
    marks = [int(n) in weak_numbers for n in summary["number"]]
    return Svg(bar_chart_svg(labels, list(summary["mean"]), title="How well we do each practice",
                             x_label="Average rating (1 = not at all, 5 = every time); "
                                     "◀ marks the three weakest",
                             x_max=5, value_texts=texts, highlight=marks,
                             large_type=large_type))


def comparison_table(ratings: pd.DataFrame) -> Table:
    table = practices.compare_teams(ratings)
    teams = [c for c in table.columns if c not in ("number", "name")]
    shown = table.copy()
    for team in teams:
        shown[team] = [v if isinstance(v, str) else ("-" if pd.isna(v) else f"{v:.1f}")
                       for v in table[team]]
    sizes = practices.team_sizes(ratings).set_index("team")["people"]
    headers = {"number": "Practice", "name": "Name",
               **{t: f"{t} (people: {sizes[t]})" for t in teams}}
    return Table(shown, "Average rating of each practice, team by team", headers)


def plan_table(plan: pd.DataFrame) -> str:
    return table_html(plan, "Draft action plan for the weakest practices",
                      {"number": "Practice", "practice": "Name", "action": "First action",
                       "owner": "Owner", "by": "Review by"})


class SelfAssessment(View):
    """A team rates itself on the 18 practices, one person at a time, anonymously.

    Results (chart, three weakest, draft action plan) appear once at least 5 people have
    answered. The ratings can be saved as a file (and, in a trainee's notebook, attached to
    their outcome-7 evidence).
    """

    people = traitlets.Int(0)

    def __init__(self, team: str = "Our team", *, ratings: pd.DataFrame | None = None,
                 store: AnswerStore | None = None, candidate: Any = None, allow_attach: bool = True,
                 save_dir: str | Path | None = None) -> None:
        super().__init__()
        self._store, self._candidate = store, candidate
        self.save_dir = Path(save_dir) if save_dir else None
        self.answers: list[dict[int, int | None]] = []
        self.last_saved: tuple[Path, str] | None = None
        self.team_box = widgets.Text(value=team, description="Team name", style=LABEL_STYLE)
        options = [(NOT_RATED, 0)] + [(f"{n} - {w}", n) for n, w in
                                      practices.RATING_WORDS.items()]
        self.pickers = []
        for p in practices.PRACTICES:
            picker = widgets.Dropdown(options=options, value=0,
                                      description=f"{p.number}. {p.text}", style=LABEL_STYLE)
            picker.layout.width = "auto"
            self.pickers.append(picker)
        self.add_button = button("Add my ratings (anonymous)")
        self.entry_message = message_line()
        self.results_heading = widgets.HTML("<h2>Results</h2>")
        self.results_message = message_line()
        self.chart = widgets.HTML()
        self.weakest_table = widgets.HTML()
        self.owners = widgets.Textarea(description="Owners of the three actions, one per line",
                                       style=LABEL_STYLE)
        self.owners.layout.width = "60%"
        self.start = widgets.Text(value=dt.date.today().strftime("%d/%m/%Y"),
                                  description="Plan starts on (DD/MM/YYYY)", style=LABEL_STYLE)
        self.plan = widgets.HTML()
        self.file_box = widgets.Text(value="", description="Save as file", style=LABEL_STYLE)
        self.file_box.layout.width = "60%"
        self.save_button = button("Save the ratings")
        self.attach_button = button("Attach to my outcome-7 evidence")
        self.save_message = message_line()
        self.compare_button = button("Compare the teams saved so far")
        self.comparison = widgets.HTML()
        self.compare_button.on_click(lambda _b: self.compare())
        self.add_button.on_click(lambda _b: self.add_person())
        self.save_button.on_click(lambda _b: self.save())
        self.attach_button.on_click(lambda _b: self.attach())
        self.owners.observe(lambda _c: self.render(), "value")
        self.start.observe(lambda _c: self.render(), "value")
        self.observe(lambda _change: self.render(), ["people", "large_type"])
        entry = widgets.VBox([widgets.HTML(
            "<p>Each person in turn: choose how well the team does each practice, then press "
            "<strong>Add my ratings</strong>. No names are recorded.</p>"),
            *self.pickers, self.add_button, self.entry_message],
            layout=widgets.Layout(border="1px solid #666", padding="6px"))
        save_row = [self.save_button, self.compare_button] + (
            [self.attach_button] if allow_attach else [])
        self.children = [self.team_box, entry, self.results_heading, self.results_message,
                         self.chart, self.weakest_table, self.owners, self.start, self.plan,
                         self.file_box, widgets.HBox(save_row), self.save_message,
                         self.comparison]
        if ratings is not None:
            for row in ratings.to_dict("records"):
                self.answers.append({p.number: (None if pd.isna(row[p.column])
                                                else int(row[p.column]))
                                     for p in practices.PRACTICES})
            self.team_box.value = str(ratings["team"].iloc[0]) if len(ratings) else team
        self.people = len(self.answers)
        self.render()

    def add_person(self) -> None:
        given = {p.number: (int(w.value) or None) for p, w in zip(practices.PRACTICES,
                                                                  self.pickers)}
        if not any(given.values()):
            self.say(self.entry_message, "✘ Rate at least one practice before adding.", "bad")
            return
        self.answers.append(given)
        for picker in self.pickers:
            picker.value = 0
        self.people = len(self.answers)
        self.say(self.entry_message, f"✔ Thank you: {self.people} "
                 f"{'person has' if self.people == 1 else 'people have'} answered.", "good")

    def ratings(self) -> pd.DataFrame:
        return practices.ratings_frame(self.team_box.value.strip() or "Our team", self.answers)

    def render(self) -> None:
        if self.people < practices.MIN_GROUP:
            self.say(self.results_message, f"Results are shown once at least "
                     f"{practices.MIN_GROUP} people have answered ({self.people} so far), so "
                     "no one's ratings can be picked out.")
            self.chart.value = self.weakest_table.value = self.plan.value = ""
            return
        ratings = self.ratings()
        summary = practices.practice_summary(ratings)
        self.say(self.results_message, f"{self.people} people have answered.")
        try:
            weak = practices.weakest(summary)
        except IlcsError as exc:
            self.fail(self.results_message, exc)
            return
        numbers = [int(n) for n in weak["number"]]
        self.chart.value = str(practices_chart(summary, numbers, self.large_type))
        self.weakest_table.value = table_html(pd.DataFrame({
            "number": weak["number"], "name": weak["name"],
            "mean": [f"{m:.1f} (from {int(n)} ratings)" for m, n in zip(weak["mean"],
                                                                      weak["ratings"])]}),
            "The weakest practices (up to three)", {"number": "Practice", "name": "Name",
                                            "mean": "Average rating"})
        names = [line.strip() for line in self.owners.value.splitlines()]
        owners = {n: names[i] for i, n in enumerate(numbers) if i < len(names)}
        try:
            from ilcs.assessment.decisions import parse_due_date

            start = parse_due_date(self.start.value)
        except IlcsError:
            self.plan.value = ("<p>✘ Write the start date as DD/MM/YYYY, e.g. 01/12/2026, "
                               "to see the plan's dates.</p>")
            return
        self.plan.value = plan_table(practices.action_plan(weak, owners, start=start))

    def _target(self) -> Path:
        from ilcs.paths import user_data_dir

        name = self.file_box.value.strip()
        if not name:
            safe = "".join(c if c.isalnum() else "-" for c in self.team_box.value.strip())
            name = f"self-assessment-{safe.strip('-').lower() or 'team'}.csv"
        path = Path(name)
        if not path.is_absolute():
            path = (self.save_dir or user_data_dir() / "self-assessments") / path
        return path

    def compare(self) -> None:
        """Every team saved in the same folder, side by side (teams under 5 not shown)."""
        folder = self._target().parent
        try:
            ratings = practices.load_folder(folder)
        except IlcsError as exc:
            self.fail(self.save_message, exc)
            self.comparison.value = ""
            return
        self.comparison.value = str(comparison_table(ratings))
        self.say(self.save_message, f"Compared {ratings['team'].nunique()} team(s) saved in "
                 f"{folder}.")

    def save(self) -> None:
        if not self.answers:
            self.say(self.save_message, "✘ Nobody has answered yet: nothing to save.", "bad")
            return
        try:
            self.last_saved = practices.save_ratings(self.ratings(), self._target())
        except (IlcsError, OSError) as exc:
            self.fail(self.save_message, exc)
            return
        path, digest = self.last_saved
        self.say(self.save_message, f"✔ Saved {self.people} people's ratings to {path} "
                 f"(fingerprint {digest[:12]}).", "good")

    def attach(self) -> None:
        if self.last_saved is None:
            self.save()
            if self.last_saved is None:
                return
        path, digest = self.last_saved
        if self.people < practices.MIN_GROUP:
            self.say(self.save_message, f"✘ Attach the results once at least "
                     f"{practices.MIN_GROUP} people have answered.", "bad")
            return
        try:
            from ilcs.assessment.profile import resolve_candidate
            from ilcs.assessment.store import default_store
            from ilcs.services import performance

            store = self._store or default_store()
            candidate_id, _profile = resolve_candidate(self._candidate)
            performance.save_self_assessment(store, candidate_id, self.ratings(), path,
                                             digest)
        except IlcsError as exc:
            self.fail(self.save_message, exc)
            return
        self.say(self.save_message, f"✔ Attached {path.name} to your outcome-7 evidence: it "
                 "goes to your assessor in your next evidence pack.", "good")


# --------------------------------------------------------------------- outcome 7 forms

def _performance() -> Any:
    from ilcs.services import performance

    return performance


class _Form(View):
    """A form of labelled text fields saved as one answer (never auto-marked)."""

    saved = traitlets.Bool(False)
    LONG: tuple[str, ...] = ()

    def _fields(self, labels: dict[str, str]) -> dict[str, widgets.Widget]:
        fields: dict[str, widgets.Widget] = {}
        for name, label in labels.items():
            kind = widgets.Textarea if name in self.LONG else widgets.Text
            box = kind(description=label, style=LABEL_STYLE)
            box.layout.width = "95%"
            fields[name] = box
        return fields

    def _store_and_candidate(self) -> tuple[Any, str]:
        from ilcs.assessment.profile import resolve_candidate
        from ilcs.assessment.store import default_store

        store = self._store or default_store()
        candidate_id, _profile = resolve_candidate(self._candidate)
        return store, candidate_id


class PerformanceRecordForm(_Form):
    """The candidate's real internal customer: who, what they need, what was agreed."""

    LONG = ("products_services", "standards_timescales", "needs_not_met")

    def __init__(self, store: AnswerStore | None = None, candidate: Any = None) -> None:
        super().__init__()
        self._store, self._candidate = store, candidate
        performance = _performance()
        labels = {k: v for k, v in performance.RECORD_FIELDS.items()}
        labels["confirmed_on"] = "The date you confirmed them (DD/MM/YYYY)"
        self.fields = self._fields(labels)
        self.save_button = button("Save my outcome-7 record")
        self.message = message_line()
        self.save_button.on_click(lambda _b: self.save())
        self.children = [*self.fields.values(), self.save_button, self.message]
        self._restore()

    def _restore(self) -> None:
        try:
            store, candidate_id = self._store_and_candidate()
            record, _witness = _performance().latest_evidence(store, candidate_id)
        except IlcsError:
            return
        if record is None:
            return
        for name, value in record.to_response().items():
            self.fields[name].value = (record.confirmed_on.strftime("%d/%m/%Y")
                                       if name == "confirmed_on" else str(value))
        self.saved = True
        self.say(self.message, "✔ Your saved record is shown. Change it and save again if "
                 "anything has changed.", "good")

    def save(self) -> None:
        try:
            performance = _performance()
            record = performance.make_record({k: w.value for k, w in self.fields.items()})
            store, candidate_id = self._store_and_candidate()
            performance.save_record(store, candidate_id, record)
        except IlcsError as exc:
            self.fail(self.message, exc)
            return
        self.saved = True
        self.say(self.message, "✔ Saved for your assessor. Outcome 7 is judged by your "
                 "assessor from this record and the witness statement, not marked "
                 "automatically.", "good")


class WitnessStatementForm(_Form):
    """The witness (the customer, or their manager) fills this in and agrees the declaration."""

    LONG = ("statement",)

    def __init__(self, store: AnswerStore | None = None, candidate: Any = None) -> None:
        super().__init__()
        self._store, self._candidate = store, candidate
        performance = _performance()
        labels = {k: v for k, v in performance.WITNESS_FIELDS.items() if k != "declaration"}
        labels["signed_on"] = "Date (DD/MM/YYYY)"
        self.fields = self._fields(labels)
        self.declaration_text = widgets.HTML(
            f"<p><strong>Declaration:</strong> {html.escape(performance.DECLARATION)}</p>")
        self.declaration = widgets.Checkbox(value=False, description="I agree to the "
                                            "declaration above", indent=False)
        self.save_button = button("Save the witness statement")
        self.message = message_line()
        self.save_button.on_click(lambda _b: self.save())
        self.children = [widgets.HTML("<p>To be filled in by the witness: the internal "
                                      "customer named in the record, or their manager.</p>"),
                         *self.fields.values(), self.declaration_text, self.declaration,
                         self.save_button, self.message]

    def save(self) -> None:
        values: dict[str, Any] = {k: w.value for k, w in self.fields.items()}
        values["declaration"] = bool(self.declaration.value)
        try:
            performance = _performance()
            statement = performance.make_witness_statement(values)
            store, candidate_id = self._store_and_candidate()
            performance.save_witness_statement(store, candidate_id, statement)
        except IlcsError as exc:
            self.fail(self.message, exc)
            return
        self.saved = True
        self.say(self.message, f"✔ Witness statement by {statement.witness_name} saved for "
                 "the assessor.", "good")
