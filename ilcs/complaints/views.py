"""Complaints views (the one widget pattern, docs/widgets.md): every figure comes from the core.

- `ComplaintsExplorer`: timeliness against the procedure, rates, the Pareto of categories and
  open complaints by age, with a team picker (also the `complaints_explorer` app);
- `ClassifyActivity`: classify a scenario as a problem type (5.1);
- `RoutingView`: who handles a problem and where it goes next, from the org chart;
- `StepsActivity`: put the steps of handling an upset colleague in order (5.2);
- `ReplyChecker`: formative feedback on a written reply (5.2);
- `ProcedureWriter`: write your own procedure; the log is checked against it (5.3).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import traitlets

from ilcs.complaints import lifecycle, measures, problems, replies, routing
from ilcs.errors import DataError, IlcsError, Problem
from ilcs.ui.common import table_html
from ilcs.ui.view import View, button, labelled_dropdown, message_line

ALL_TEAMS = measures.ALL_TEAMS
TIMELINESS_COLUMNS = ["about_team", "complaints", "ack_within", "pct_ack_within",
                      "respond_within", "pct_respond_within", "open"]
RATES_COLUMNS = ["about_team", "complaints", "escalated", "pct_escalated", "reopened",
                 "pct_reopened", "satisfied", "satisfaction_asked", "pct_satisfied",
                 "per_100_requests"]


def pareto_svg(table: pd.DataFrame, *, large_type: bool = False) -> str:
    """A horizontal bar chart of the Pareto table: each bar labelled with its count (or
    "fewer than 5") and the cumulative %, so nothing is read from colour or length alone."""
    font = 20 if large_type else 14
    bar_h = font * 2
    label_w = font * 11
    width = 900 if large_type else 760
    plot_w = width - label_w - font * 16
    height = int(font * 3 + bar_h * 1.4 * len(table) + font)
    counts = [c for c in table["complaints"] if not isinstance(c, str)]
    top = max(counts) if counts else 1
    desc = "; ".join(f"{r.category}: {r.complaints} complaints, cumulative {r.cumulative_pct}%"
                     for r in table.itertuples())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             'style="max-width:100%;height:auto;font-family:sans-serif" '
             'aria-labelledby="pareto-t pareto-d">',
             '<title id="pareto-t">Complaints by category, most common first (Pareto)</title>',
             f'<desc id="pareto-d">{html.escape(desc)}</desc>',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="{font}" y="{font * 1.5}" font-size="{font + 2}" font-weight="bold" '
             'fill="#111">Complaints by category, most common first</text>']
    for i, r in enumerate(table.to_dict("records")):
        y = font * 2.6 + i * bar_h * 1.4
        small = isinstance(r["complaints"], str)  # "fewer than 5": words, no bar
        length = 0.0 if small else max(plot_w * r["complaints"] / top, 2.0)
        label = r["complaints"] if small else f"{r['complaints']} ({r['pct']:.1f}%)"
        cumulative = "" if isinstance(r["cumulative_pct"], str) else f"{r['cumulative_pct']:.1f}%"
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h * 0.65:.0f}" text-anchor="end" '
                     f'font-size="{font}" fill="#111">{html.escape(str(r["category"]))}</text>')
        if length:
            parts.append(f'<rect x="{label_w}" y="{y:.0f}" width="{length:.0f}" '
                         f'height="{bar_h}" fill="#0072B2"/>')
        parts.append(f'<text x="{label_w + length + 8:.0f}" y="{y + bar_h * 0.65:.0f}" '
                     f'font-size="{font}" fill="#111">{html.escape(str(label))}'
                     f'{" · cumulative " + cumulative if cumulative else ""}</text>')
    parts.append("</svg>")
    return "".join(parts)


class ComplaintsExplorer(View):
    """Complaints by team: timeliness against the procedure, rates, Pareto and open by age."""

    team = traitlets.Unicode(ALL_TEAMS)

    def __init__(self, report: measures.ComplaintsReport | None = None) -> None:
        super().__init__()
        self.report = report if report is not None else measures.sample_report()
        self.add_class("ilcs-complaints-explorer")
        self.team_picker = labelled_dropdown("Team complained about",
                                             [ALL_TEAMS, *self.report.team_names])
        self.message = message_line()
        self.summary = widgets.HTML()
        self.summary.add_class("ilcs-complaints-summary")
        self.timeliness = widgets.HTML()
        self.rates = widgets.HTML()
        self.pareto = widgets.HTML()
        self.open_by_age = widgets.HTML()
        widgets.link((self.team_picker, "value"), (self, "team"))
        self.observe(lambda _change: self.render(), ["team", "large_type"])
        self.children = [self.team_picker, self.message, self.summary, self.timeliness,
                         self.rates, self.pareto, self.open_by_age]
        self.render()

    def render(self) -> None:
        team = None if self.team == ALL_TEAMS else self.team
        tables = self.report.tables(team=team)
        p = self.report.procedure
        teams = tables["teams"]
        row = teams.iloc[-1] if team is None else teams.iloc[0]
        self.summary.value = (
            f"<p>{html.escape(p.name)}: acknowledge within {p.timescales['acknowledge']}, "
            f"respond within {p.timescales['respond']} (working time). Period ending "
            f"{self.report.as_of:%d/%m/%Y %H:%M}. {html.escape(self.team)}: "
            f"{row['complaints']} complaints, {row['pct_ack_within']}% acknowledged on time "
            f"({row['ack_within']} of {row['ack_measured']}), {row['pct_respond_within']}% "
            f"answered on time ({row['respond_within']} of {row['respond_measured']}).</p>")
        self.timeliness.value = table_html(
            teams[TIMELINESS_COLUMNS],
            "Complaints handled within the procedure's timescales, by team", measures.HEADINGS)
        self.rates.value = table_html(
            teams[RATES_COLUMNS], "Escalations, reopenings, satisfaction with handling and "
            "complaints per 100 requests, by team", measures.HEADINGS)
        self.pareto.value = pareto_svg(self.report.tables(team=team)["pareto"] if team is None
                                       else _team_pareto(self.report, team),
                                       large_type=self.large_type)
        self.open_by_age.value = table_html(
            _team_open(self.report, team), "Open complaints by age (working days)",
            measures.HEADINGS)


def _team_pareto(report: measures.ComplaintsReport, team: str) -> pd.DataFrame:
    rows = report.timeline[report.timeline["about_team"] == team]
    return measures.suppress(measures.pareto(rows), "complaints",
                             ["complaints", "pct", "cumulative_pct"])


def _team_open(report: measures.ComplaintsReport, team: str | None) -> pd.DataFrame:
    if team is None:
        return report.tables()["open_by_age"]
    rows = report.timeline[report.timeline["about_team"] == team]
    return measures.suppress(measures._open_by_age(rows), "open_complaints", ["open_complaints"])


class ClassifyActivity(View):
    """Pick a scenario, choose its problem type, get feedback (5.1)."""

    scenario_id = traitlets.Unicode("S01")

    def __init__(self) -> None:
        super().__init__()
        self.scenarios = problems.load_scenarios()
        self.types = problems.load_problem_types()
        self.scenario_picker = labelled_dropdown(
            "Scenario", [(f"{s.id} ({s.department})", s.id) for s in self.scenarios],  # type: ignore[misc]
            value=self.scenarios[0].id)
        self.scenario_text = widgets.HTML()
        self.type_picker = labelled_dropdown(
            "Type of problem", [(f"{problems.KIND_NAMES[t.kind]}: {t.name}", t.id)  # type: ignore[misc]
                                for t in self.types.values()], value=next(iter(self.types)))
        self.check_button = button("Check my answer")
        self.feedback = message_line()
        widgets.link((self.scenario_picker, "value"), (self, "scenario_id"))
        self.observe(lambda _change: self.render(), "scenario_id")
        self.check_button.on_click(lambda _b: self.check())
        self.children = [self.scenario_picker, self.scenario_text, self.type_picker,
                         self.check_button, self.feedback]
        self.render()

    def render(self) -> None:
        s = problems.scenario(self.scenario_id)
        self.scenario_text.value = f"<blockquote>{html.escape(s.text)}</blockquote>"
        self.feedback.value = ""

    def check(self) -> None:
        result = problems.classify(self.scenario_id, str(self.type_picker.value))
        tone = {"correct": "good", "also fair": "warn", "not yet": "bad"}[result.verdict]
        mark = {"correct": "✔", "also fair": "◐", "not yet": "✘"}[result.verdict]
        self.say(self.feedback, f"{mark} {result.text}", tone)


class RoutingView(View):
    """Who handles a problem, and the escalation path, from the org chart."""

    def __init__(self, org_chart: pd.DataFrame) -> None:
        super().__init__()
        self.org_chart = org_chart
        types = problems.load_problem_types()
        self.type_picker = labelled_dropdown(
            "Type of problem", [(t.name, t.id) for t in types.values()],  # type: ignore[misc]
            value=next(iter(types)))
        self.department_picker = labelled_dropdown(
            "Department", sorted(org_chart["department"].dropna().unique()))
        self.about_picker = labelled_dropdown(
            "The complaint is about", ["nobody in particular",
                                       *sorted(org_chart["person"].dropna().unique())])
        self.result = widgets.HTML()
        self.message = message_line()
        for picker in (self.type_picker, self.department_picker, self.about_picker):
            picker.observe(lambda _change: self.render(), "value")
        self.children = [self.type_picker, self.department_picker, self.about_picker,
                         self.message, self.result]
        self.render()

    def render(self) -> None:
        about = self.about_picker.value
        try:
            found = routing.route(str(self.type_picker.value), str(self.department_picker.value),
                                  self.org_chart,
                                  about=None if about == "nobody in particular" else str(about))
        except IlcsError as exc:
            self.fail(self.message, exc)
            return
        self.message.value = ""
        framing = problems.load_problem_types()[found.problem_type].framing
        lines = found.lines() + ([f"UK framing: {framing}"] if framing else [])
        self.result.value = "".join(f"<p>{html.escape(line)}</p>" for line in lines)


class StepsActivity(View):
    """Put the steps of handling an upset colleague in order (5.2)."""

    def __init__(self) -> None:
        super().__init__()
        options = [("choose a step", "")] + [(s.text, s.id) for s in replies.STEPS]
        self.pickers = [labelled_dropdown(f"Step {i + 1}", options, value="")  # type: ignore[arg-type]
                        for i in range(len(replies.STEPS))]
        self.check_button = button("Check my order")
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _b: self.check())
        self.children = [*self.pickers, self.check_button, self.feedback]

    def check(self) -> None:
        order = [str(p.value) for p in self.pickers]
        try:
            result = replies.check_order(order)
        except IlcsError as exc:
            self.fail(self.feedback, exc)
            return
        self.say(self.feedback, " ".join(result.lines), "good" if result.right else "bad")


class ReplyChecker(View):
    """Write a reply to an upset colleague; see which elements it contains (formative)."""

    def __init__(self, situation: str = "") -> None:
        super().__init__()
        self.situation = widgets.HTML(f"<blockquote>{html.escape(situation)}</blockquote>"
                                      if situation else "")
        self.reply = widgets.Textarea(description="Your reply", placeholder="Dear ...",
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="95%", height="12em"))
        self.check_button = button("Check my reply")
        self.feedback = widgets.HTML()
        self.check_button.on_click(lambda _b: self.check())
        self.children = [self.situation, self.reply, self.check_button, self.feedback]

    def check(self) -> None:
        lines = replies.reply_feedback(str(self.reply.value))
        self.feedback.value = "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"


class ProcedureWriter(View):
    """Write your organisation's procedure (YAML); the log is checked and measured against it.

    The log is the sample's, or your own anonymised export: choose its complaints file and
    its events file and press "Use my files" (read by the same loaders as every other file).
    """

    source = traitlets.Unicode("the sample organisation's log")

    def __init__(self, complaints: pd.DataFrame, events: pd.DataFrame,
                 requests: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.complaints, self.events, self.requests = complaints, events, requests
        self.complaints_upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False,
                                                    description="Complaints file")
        self.events_upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False,
                                                description="Events file")
        self.use_button = button("Use my files")
        self.file_message = message_line()
        self.use_button.on_click(lambda _b: self.use_uploads())
        self.text = widgets.Textarea(value=lifecycle.default_procedure().to_yaml(),
                                     description="Your procedure",
                                     style={"description_width": "initial"},
                                     layout=widgets.Layout(width="95%", height="22em"))
        self.check_button = button("Check the log against my procedure")
        self.message = message_line()
        self.findings = widgets.HTML()
        self.cost = widgets.HTML()
        self.check_button.on_click(lambda _b: self.check())
        self.children = [
            widgets.HTML("<p>Your own log (optional, anonymised): choose both files.</p>"),
            widgets.HBox([self.complaints_upload, self.events_upload, self.use_button]),
            self.file_message, self.text, self.check_button, self.message, self.findings,
            self.cost]
        self.say(self.file_message, f"Checking {self.source}.")

    def use_files(self, complaints: tuple[str, bytes], events: tuple[str, bytes]) -> None:
        """Use your own complaints and events files (name, content) instead of the sample."""
        from ilcs.complaints.files import load_log_bytes

        try:
            self.complaints, self.events = load_log_bytes(complaints, events)
        except IlcsError as exc:
            self.fail(self.file_message, exc)
            return
        self.requests = None
        self.source = f"your files {complaints[0]} and {events[0]}"
        self.say(self.file_message, f"✔ Checking {self.source}: {len(self.complaints):,} "
                                    f"complaints, {len(self.events):,} events.", "good")

    def use_uploads(self) -> None:
        picked = [u.value for u in (self.complaints_upload, self.events_upload)]
        if not all(picked):
            self.say(self.file_message, "Choose both files first: complaints and events.",
                     "warn")
            return
        c, e = (files[0] for files in picked)
        self.use_files((str(c["name"]), bytes(c["content"])),
                       (str(e["name"]), bytes(e["content"])))

    def check(self) -> None:
        import yaml

        try:
            try:
                data = yaml.safe_load(str(self.text.value))
            except yaml.YAMLError as exc:
                raise DataError(Problem(f"is not valid YAML: {exc}",
                                        file="your procedure")) from None
            procedure = lifecycle.procedure_from_dict(data, file="your procedure")
        except IlcsError as exc:
            self.fail(self.message, exc)
            self.findings.value = self.cost.value = ""
            return
        found = lifecycle.check_log(self.events, procedure)
        report = measures.complaints_report(self.complaints, self.events, self.requests,
                                            procedure)
        self.say(self.message, f"{len(found)} places where the log does not follow "
                               f"{procedure.name}.", "good" if not found else "warn")
        self.findings.value = table_html(
            lifecycle.findings_table(found)[["row", "complaint_id", "problem"]],
            "Where the procedure was not followed", {"row": "Row", "complaint_id": "Complaint",
                                                     "problem": "What happened"}, limit=30)
        self.cost.value = "".join(f"<p>{html.escape(line)}</p>"
                                  for line in measures.lateness_summary(report))
