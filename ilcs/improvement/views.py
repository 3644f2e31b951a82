"""Views of the improvement topic: the improvement board (an app), the record editor and the
small chart cells of notebook 08. Every figure comes from the topic's core; charts are inline
SVG (`ilcs.ui.charts`) with a link to download each one as an .svg file for a report or as
evidence; the improvement board and the notebook's chart cells (`ChartCell`) also make PNG
copies, on request (drawing a PNG takes a moment, so it is not done for every chart shown).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from ilcs.errors import IlcsError
from ilcs.improvement.control import ControlChart, run_chart
from ilcs.improvement.measures import (
    MEASURES,
    BoardData,
    WeeklySeries,
    before_after_text,
    complaint_causes,
    complaints_per_100_requests,
    late_requests,
    week_of,
    weekly_chart,
)
from ilcs.improvement.pareto import pareto
from ilcs.improvement.record import STATUSES, STEP_NAMES, ImprovementRecord, load_record
from ilcs.improvement.rootcause import Fishbone, FiveWhys
from ilcs.ui.charts import control_chart_svg, fishbone_svg, pareto_svg, svg_file_text, svg_to_png
from ilcs.ui.common import error_html, status_html, table_html
from ilcs.ui.view import LABEL_STYLE, View, button, labelled_dropdown, message_line

if TYPE_CHECKING:
    from ilcs.assessment.store import AnswerStore

ALL_TEAMS = "All teams"


# ---------------------------------------------------------------- HTML pieces

def download_link(svg: str, filename: str) -> str:
    """A link that saves the chart as an .svg file (works offline: the file is in the link)."""
    data = base64.b64encode(svg_file_text(svg).encode("utf-8")).decode("ascii")
    return (f'<p><a download="{html.escape(filename)}" href="data:image/svg+xml;base64,{data}">'
            f"⬇ Save this chart as SVG ({html.escape(filename)})</a></p>")


def png_link(svg: str, filename: str) -> str:
    """A link that saves the chart as a .png picture (drawn now, offline; the file is in the
    link). ExportError if it cannot be drawn (e.g. no font on the computer)."""
    data = base64.b64encode(svg_to_png(svg)).decode("ascii")
    return (f'<p><a download="{html.escape(filename)}" href="data:image/png;base64,{data}">'
            f"⬇ Save this chart as PNG ({html.escape(filename)})</a></p>")


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def pareto_html(causes: pd.Series, title: str, *, large_type: bool = False,
                charts: dict[str, str] | None = None) -> str:
    """The Pareto chart, its table (counts beside every %) and a save link. The chart is also
    put in `charts` (file name without suffix: SVG), if given, to be saved later."""
    table = pareto(causes)
    svg = pareto_svg(list(table["cause"]), list(table["count"]), list(table["cumulative_pct"]),
                     list(table["vital_few"]), title=title, large_type=large_type)
    shown = table.assign(vital_few=table["vital_few"].map({True: "yes", False: "no"}))
    few = list(table.loc[table["vital_few"], "cause"])
    words = (f"<p>{len(few)} of {len(table)} causes make up at least 80 % of the "
             f"{int(table['count'].sum()):,} problems: {html.escape(', '.join(few))}.</p>")
    return svg + words + table_html(shown, title, {
        "cause": "Cause", "count": "Number", "pct": "% of all", "cumulative_pct": "Cumulative %",
        "vital_few": "One of the vital few"}) + _save_link(svg, f"pareto-{_slug(title)}", charts)


def control_html(series: WeeklySeries, chart: ControlChart, *, large_type: bool = False,
                 charts: dict[str, str] | None = None) -> str:
    """A team's weekly control chart, its signals in words and a save link (see pareto_html
    for `charts`)."""
    is_p = chart.kind == "p"
    return chart_html(chart, f"{series.title} ({chart.title})",
                      "% within target" if is_p else "Median working hours",
                      unit=" %" if is_p else " working hours", periods="weeks",
                      left_out=series.left_out, large_type=large_type, charts=charts)


def chart_html(chart: ControlChart, title: str, y_label: str, *, unit: str = "",
               periods: str = "periods", x_label: str = "Week beginning",
               left_out: Sequence[str] = (), large_type: bool = False,
               charts: dict[str, str] | None = None) -> str:
    """Any control chart with its centre and limits, signals and run-chart rules in words, and
    a save link (see pareto_html for `charts`). A p-chart is shown in per cent."""
    is_p = chart.kind == "p"
    k = 100 if is_p else 1
    flagged = sorted({i for s in chart.signals for i in range(s.first, s.last + 1)})
    svg = control_chart_svg(chart.labels, chart.values, chart.centre, chart.upper, chart.lower,
                            flagged, title=title, y_label=y_label, x_label=x_label,
                            scale=k, y_max=100.0 if is_p else None, large_type=large_type)
    phases = sorted(set(chart.phase))
    lines = []
    for p in phases:
        i = chart.phase.index(p)
        where = f"Phase {p + 1} (from {chart.labels[i]}): " if len(phases) > 1 else ""
        low = (f"{chart.lower[i] * k:.1f}" if chart.lower[i] >= 0 or is_p else
               f"0 (the calculated {chart.lower[i]:.1f} is below zero)")
        widths = {(round(u - c, 12), round(c - lo, 12))
                  for u, c, lo in zip(chart.upper, chart.centre, chart.lower)}
        varying = len(widths) > len(phases)
        lines.append(f"{where}centre line {chart.centre[i] * k:.1f}{unit}; limits "
                     f"{low} to {chart.upper[i] * k:.1f}{unit}"
                     + (f" (they widen in {periods} with fewer cases)" if varying else ""))
    signals = chart.describe() or [f"No signal: the {periods} vary only as much as the process "
                                   "always does (common-cause variation)."]
    left = ("<p>Left out: " + html.escape("; ".join(left_out)) + ".</p>" if left_out else "")
    run = run_chart(chart.values, chart.labels)
    anhoj = (f"Run-chart rules (Anhøj), around the median of {run.median * k:.1f}{unit}: the "
             f"longest run on one side is {run.longest_run} points (more than "
             f"{run.longest_run_limit} is a signal) and the line crosses the median "
             f"{run.crossings} times (fewer than {run.crossings_limit} is a signal): "
             + ("a signal that the process changed." if run.signal else "no signal."))
    items = "".join(f"<li>{html.escape(s)}</li>" for s in signals)
    return (svg + "<p>" + html.escape("; ".join(lines)) + f".</p><p><strong>Signals</strong></p>"
            f"<ul>{items}</ul><p>{html.escape(anhoj)}</p>{left}"
            + _save_link(svg, f"control-{_slug(title)}", charts))


def _save_link(svg: str, stem: str, charts: dict[str, str] | None) -> str:
    if charts is not None:
        charts[stem] = svg
    return download_link(svg, f"{stem}.svg")


def png_links_html(charts: dict[str, str]) -> str:
    """A PNG save link for each chart (file name without suffix: SVG); ExportError if they
    cannot be drawn."""
    return "".join(png_link(svg, f"{stem}.png") for stem, svg in charts.items())


class ChartCell(View):
    """A notebook cell's chart with its words and SVG save link, and a button that makes a
    PNG copy on request (drawing a PNG takes a moment, so it is not done for every chart).
    `value` is the chart's HTML, as for a plain HTML widget."""

    def __init__(self, markup: str, charts: dict[str, str]) -> None:
        super().__init__()
        self.charts = dict(charts)
        self.chart_view = widgets.HTML(markup)
        self.png_button = button("Make a PNG copy of this chart")
        self.png_button.on_click(lambda _b: self.make_pngs())
        self.png_view = widgets.HTML()
        self.children = [self.chart_view, self.png_button, self.png_view]

    @property
    def value(self) -> str:
        return str(self.chart_view.value)

    def make_pngs(self) -> None:
        try:
            self.png_view.value = png_links_html(self.charts)
        except IlcsError as exc:
            self.png_view.value = error_html(exc)


def _chart_cell(make: Callable[[dict[str, str]], str]) -> ChartCell | widgets.HTML:
    """`make(charts)` shown with a PNG button for the charts it puts in `charts`; a domain
    error in words instead."""
    charts: dict[str, str] = {}
    try:
        markup = make(charts)
    except IlcsError as exc:
        return widgets.HTML(error_html(exc))
    return ChartCell(markup, charts)


def show_complaint_rate(data: BoardData, team: str | None = None) -> ChartCell | widgets.HTML:
    """A u-chart of complaints per 100 requests, month by month (one team, or all)."""
    who = team or "all teams"
    return _chart_cell(lambda charts: chart_html(
        complaints_per_100_requests(data.complaints, data.requests, team),
        f"Complaints per 100 requests, {who} (u-chart)", "Complaints per 100 requests",
        periods="months", x_label="Month", charts=charts))


# ---------------------------------------------------------------- notebook cells

def show_pareto(data: BoardData, team: str | None = None) -> ChartCell | widgets.HTML:
    """Pareto of complaint categories (about one team, or all)."""
    title = f"Complaints about {team} by category" if team else "Complaints by category"
    return _chart_cell(lambda charts: pareto_html(complaint_causes(data.complaints, team), title,
                                                  charts=charts))


def show_late_pareto(data: BoardData, team: str, measure: str, by: str = "channel",
                     before: str | None = None) -> ChartCell | widgets.HTML:
    """Pareto of a team's requests that missed their target, by a column of the log."""
    when = f" received before {before}" if before else ""
    title = f"{team}: late {MEASURES[measure][0].replace('_', ' ')}s{when} by {by}"
    return _chart_cell(lambda charts: pareto_html(
        late_requests(data.measured, data.requests, team, measure, by, before), title,
        charts=charts))


def show_control_chart(data: BoardData, team: str, measure: str,
                       split_at: str | None = None) -> ChartCell | widgets.HTML:
    """A team's weekly control chart (a new phase from week `split_at`, e.g. '30/06')."""
    def make(charts: dict[str, str]) -> str:
        series, chart = weekly_chart(data.measured, team, measure, split_at)
        return control_html(series, chart, charts=charts)
    return _chart_cell(make)


def show_before_after(data: BoardData, team: str, measure: str, change_on: str) -> widgets.HTML:
    return _safe(lambda: status_html(before_after_text(data, team, measure, change_on)))


def show_five_whys(whys: FiveWhys) -> widgets.HTML:
    rows = "".join(f"<li><strong>{html.escape(q)}</strong><br>{html.escape(a)}</li>"
                   for q, a in whys.steps())
    missing = "".join(f"<li>{html.escape(p.message)}</li>" for p in whys.problems())
    extra = f"<p>Still to do:</p><ul>{missing}</ul>" if missing else ""
    return widgets.HTML(f"<p><strong>Problem:</strong> {html.escape(whys.problem)}</p><ol>{rows}"
                        f"</ol><p><strong>Root cause:</strong> {html.escape(whys.root_cause)}<br>"
                        f"<strong>Action:</strong> {html.escape(whys.action)}</p>{extra}")


def show_fishbone(bone: Fishbone) -> ChartCell:
    svg = fishbone_svg(bone.effect, bone.causes)
    table = pd.DataFrame(bone.rows(), columns=["category", "cause"])
    stem = f"fishbone-{_slug(bone.effect)}"
    return ChartCell(svg + table_html(table, f"Possible causes of: {bone.effect}",
                                         {"category": "Category (6M)", "cause": "Cause"})
                     + download_link(svg, f"{stem}.svg"), {stem: svg})


def _safe(make: Any) -> widgets.HTML:
    try:
        return widgets.HTML(make())
    except IlcsError as exc:
        return widgets.HTML(error_html(exc))


# ---------------------------------------------------------------- the improvement board

class ImprovementBoard(View):
    """Pareto, a weekly control chart with a team and measure picker, and before/after."""

    team = traitlets.Unicode()
    measure = traitlets.Unicode("first_response_within")
    change_on = traitlets.Unicode("")

    def __init__(self, data: BoardData, team: str = "Finance Operations",
                 change_on: str = "01/07/2025") -> None:
        super().__init__()
        self.data = data
        self.add_class("ilcs-improvement-board")
        teams = data.teams
        self.team_picker = labelled_dropdown("Team", teams, team if team in teams else teams[0])
        self.measure_picker = widgets.Dropdown(description="Measure", style=LABEL_STYLE)
        self.measure_picker.layout.width = "auto"
        self.change_box = widgets.Text(value=change_on, description="Change made on (DD/MM/YYYY)",
                                       style=LABEL_STYLE, continuous_update=False)
        self.message = message_line()
        self.pareto_view = widgets.HTML()
        self.chart_view = widgets.HTML()
        self.before_after_view = widgets.HTML()
        self.charts: dict[str, str] = {}  # the charts shown now, by file name: for PNG copies
        self.png_button = button("Make PNG copies of these charts")
        self.png_button.on_click(lambda _b: self.make_pngs())
        self.png_view = widgets.HTML()
        self.team = self.team_picker.value
        self._measure_options()
        self.change_on = change_on
        widgets.link((self.team_picker, "value"), (self, "team"))
        widgets.link((self.measure_picker, "value"), (self, "measure"))
        widgets.link((self.change_box, "value"), (self, "change_on"))
        self.observe(self._on_team_picked, "team")
        self.observe(lambda _c: self.render(), ["measure", "change_on", "large_type"])
        self.children = [
            widgets.HBox([self.team_picker, self.measure_picker, self.change_box],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.message,
            widgets.HTML("<h3>Control chart: week by week</h3>"), self.chart_view,
            widgets.HTML("<h3>Before and after the change</h3>"), self.before_after_view,
            widgets.HTML("<h3>Pareto: what complaints about this team are about</h3>"),
            self.pareto_view, self.png_button, self.png_view,
        ]
        self.render()

    def _measure_options(self) -> None:
        keys = self.data.measures_of(self.team)
        self.measure_picker.options = [(MEASURES[k][1], k) for k in keys]
        if self.measure not in keys:
            self.measure = keys[0]
        self.measure_picker.value = self.measure

    def _on_team_picked(self, _change: Any) -> None:
        with self.hold_trait_notifications():
            self._measure_options()
        self.render()

    def render(self) -> None:
        large = self.large_type
        self.message.value = ""
        change = self.change_on.strip()
        self.charts = {}
        self.png_view.value = ""
        try:
            split = week_of(change) if change else None
            series, chart = weekly_chart(self.data.measured, self.team, self.measure)
            if split is not None and split in chart.labels:
                series, chart = weekly_chart(self.data.measured, self.team, self.measure, split)
            self.chart_view.value = control_html(series, chart, large_type=large,
                                                 charts=self.charts)
            self.before_after_view.value = (
                status_html(before_after_text(self.data, self.team, self.measure, change))
                if change else status_html("Type the date a change was made to compare before "
                                           "and after it."))
        except IlcsError as exc:
            self.fail(self.message, exc)
        try:
            self.pareto_view.value = pareto_html(
                complaint_causes(self.data.complaints, self.team),
                f"Complaints about {self.team} by category", large_type=large,
                charts=self.charts)
        except IlcsError as exc:
            self.pareto_view.value = error_html(exc)


    def make_pngs(self) -> None:
        """Links to save each chart shown as a PNG picture (for a report or as evidence)."""
        try:
            self.png_view.value = png_links_html(self.charts)
        except IlcsError as exc:
            self.png_view.value = error_html(exc)


# ---------------------------------------------------------------- the record editor

class RecordEditor(View):
    """The trainee's own improvement record: fill in each step, see the timeline and what is
    still missing, save it as a file, and attach it to their evidence for 6.3 (it then goes
    to the assessor with the next evidence pack; `store` and `candidate` default to the
    trainee's own)."""

    step_name = traitlets.Unicode(STEP_NAMES[0])

    def __init__(self, record: ImprovementRecord | None = None, path: Any = None, *,
                 store: AnswerStore | None = None, candidate: Any = None) -> None:
        super().__init__()
        self._store, self._candidate = store, candidate
        from pathlib import Path

        from ilcs.paths import user_data_dir

        self.path = Path(path) if path is not None else user_data_dir() / "improvement-record.json"
        self.message = message_line()
        if record is None and self.path.exists():
            try:
                record = load_record(self.path)
            except IlcsError as exc:
                self.fail(self.message, exc)
        self.record = record or ImprovementRecord("")
        self.title_box = widgets.Text(value=self.record.title, description="Improvement title",
                                      style=LABEL_STYLE, layout=widgets.Layout(width="600px"))
        self.team_box = widgets.Text(value=self.record.team, description="Team",
                                     style=LABEL_STYLE)
        self.step_picker = labelled_dropdown("Step", list(STEP_NAMES))
        self.status_picker = labelled_dropdown("Status", list(STATUSES))
        self.owner_box = widgets.Text(description="Owner", style=LABEL_STYLE)
        self.date_box = widgets.Text(description="Date done (DD/MM/YYYY)", style=LABEL_STYLE)
        self.note_box = widgets.Textarea(description="Evidence note, or why it was skipped",
                                         style=LABEL_STYLE, layout=widgets.Layout(width="600px"))
        self.update_button = button("Update this step")
        self.save_button = button("Save my record")
        self.attach_button = button("Attach it to my evidence (6.3)")
        self.timeline_view = widgets.HTML()
        self.problems_view = widgets.HTML()
        self.summary_box = widgets.Textarea(
            description="Summary to paste into your written answer", style=LABEL_STYLE,
            layout=widgets.Layout(width="100%", height="12em"))
        widgets.link((self.step_picker, "value"), (self, "step_name"))
        self.update_button.on_click(lambda _b: self.update_step())
        self.save_button.on_click(lambda _b: self.save())
        self.attach_button.on_click(lambda _b: self.attach())
        self.children = [self.title_box, self.team_box, self.step_picker, self.status_picker,
                         self.owner_box, self.date_box, self.note_box,
                         widgets.HBox([self.update_button, self.save_button,
                                       self.attach_button]), self.message,
                         self.timeline_view, self.problems_view, self.summary_box]
        self.render()

    def update_step(self) -> None:
        self.record.title, self.record.team = self.title_box.value, self.team_box.value
        try:
            if self.status_picker.value == "done":
                self.record.complete(self.step_name, owner=self.owner_box.value,
                                     done_on=self.date_box.value, note=self.note_box.value)
            elif self.status_picker.value == "skipped":
                self.record.skip(self.step_name, self.note_box.value)
            else:
                step = self.record.step(self.step_name)
                step.status, step.done_on = "to do", None
            self.say(self.message, f"✔ Step '{self.step_name}' updated (not saved yet).", "good")
        except IlcsError as exc:
            self.fail(self.message, exc)
        self.render()

    def save(self) -> bool:
        """Save the record to its file; False (and the reason shown) if it cannot be."""
        self.record.title, self.record.team = self.title_box.value, self.team_box.value
        try:
            path = self.record.save(self.path)
        except OSError as exc:
            self.say(self.message, f"✘ Could not save to {self.path}: {exc}", "bad")
            return False
        self.say(self.message, f"✔ Saved to {path}.", "good")
        self.render()
        return True

    def attach(self) -> None:
        """Save the record, then attach it to the trainee's evidence for criterion 6.3."""
        from ilcs.assessment.profile import resolve_candidate
        from ilcs.assessment.store import default_store
        from ilcs.improvement.evidence import attach_record

        if not self.save():
            return  # the message says why
        try:
            candidate_id, _profile = resolve_candidate(self._candidate)
            attach_record(self._store or default_store(), candidate_id, self.record,
                          source=self.path.name)
        except IlcsError as exc:
            self.fail(self.message, exc)
            return
        self.say(self.message, "✔ Saved and attached to your evidence for 6.3: it goes to your "
                 "assessor with your next evidence pack. Attach it again after any change.",
                 "good")

    def render(self) -> None:
        self.timeline_view.value = table_html(self.record.timeline(), "Your improvement so far", {
            "step": "Step", "pdca": "Plan-Do-Check-Act", "status": "Status",
            "done_on": "Done on", "owner": "Owner", "evidence": "Pieces of evidence"})
        self.summary_box.value = self.record.summary_text()
        problems = self.record.problems()
        if problems:
            items = "".join(f"<li>{html.escape(p.message)}</li>" for p in problems)
            self.problems_view.value = f"<p><strong>Still to put right:</strong></p><ul>{items}</ul>"
        else:
            self.problems_view.value = status_html("✔ The record follows the cycle.", "good")


def improvement_board(data_dir: Any = None) -> ImprovementBoard:
    """The improvement board on the sample organisation (or another data folder)."""
    from ilcs.improvement.measures import load_board_data

    return ImprovementBoard(load_board_data(data_dir))


def show_timeline(record: ImprovementRecord) -> widgets.HTML:
    """An improvement record's steps as a table (PDCA, status, date, owner, evidence)."""
    return widgets.HTML(table_html(record.timeline(), f"{record.title}: step by step", {
        "step": "Step", "pdca": "Plan-Do-Check-Act", "status": "Status", "done_on": "Done on",
        "owner": "Owner", "evidence": "Pieces of evidence"}))


def show_options(options: pd.DataFrame) -> widgets.HTML:
    """The options explored in step 3, with their cost and effect, and the one chosen."""
    return widgets.HTML(table_html(options, "Options explored", {
        "option": "Option", "cost": "Cost", "effect_on_customers": "What customers would notice",
        "chosen": "Chosen"}))


def attached_record_html(record: ImprovementRecord, attached_at: str = "") -> str:
    """The record for the assessor: status in words, the timeline table, each step's notes
    and figures, and its charts as pictures (`<img>`, in which a browser runs no script).
    Every text is escaped: no HTML from the pack is ever shown."""
    problems = record.problems()
    try:
        when = f" on {date.fromisoformat(attached_at[:10]):%d/%m/%Y}" if attached_at else ""
    except ValueError:  # a timestamp the store did not write: leave the date out
        when = ""
    head = (f"<p><strong>Improvement record (attached by the candidate{when}): "
            f"{html.escape(record.title)}</strong>"
            + (f" ({html.escape(record.team)})" if record.team else "") + ". "
            + ("It follows the improvement cycle." if not problems else
               "Still to put right: " + html.escape("; ".join(p.message for p in problems)) + ".")
            + "</p>")
    timeline = table_html(record.timeline(), "The improvement, step by step", {
        "step": "Step", "pdca": "Plan-Do-Check-Act", "status": "Status", "done_on": "Done on",
        "owner": "Owner", "evidence": "Pieces of evidence"})
    notes, charts = [], []
    for number, step in enumerate(record.steps, start=1):
        for item in step.evidence:
            where = f"Step {number}, {step.name}: {item.title}"
            if item.kind == "chart":
                data = base64.b64encode(item.content.encode("utf-8")).decode("ascii")
                charts.append(f'<figure><img alt="{html.escape(where)}" style="max-width:100%" '
                              f'src="data:image/svg+xml;base64,{data}">'
                              f"<figcaption>{html.escape(where)}</figcaption></figure>")
            else:
                notes.append(f"<li>{html.escape(where)}: {html.escape(item.content)}</li>")
    return (f'<section class="ilcs-attachment" aria-label="Improvement record">{head}{timeline}'
            + (f"<p><strong>Evidence in the record</strong></p><ul>{''.join(notes)}</ul>"
               if notes else "")
            + "".join(charts) + "</section>")
