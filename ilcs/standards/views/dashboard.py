"""The service standards (SLA) dashboard, and the column-mapping step for a trainee's own export.

    build_sla_dashboard()                       # the sample organisation
    build_sla_dashboard(requests, standards)    # any canonical tables (e.g. your own export)
    build_export_mapper()                       # upload a Jira/Zendesk/spreadsheet export

The dashboard shows, for the team chosen: its standards and how often each was met, a chart
and table of % within target by month, a target slider ("what share of past requests would
this target have met?"), the worst breaches and the backlog at each month end. Every figure
comes from `ilcs.standards`; this module only lays out widgets (the one widget pattern,
docs/widgets.md: `SlaDashboard`, `ExportMapper`, `OwnDataDashboard`). pandas and the
standards core are imported when first used, so an app that imports it opens fast.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from ilcs.errors import IlcsError
from ilcs.ui.common import error_html, name_sliders, status_html, table_html
from ilcs.ui.view import LABEL_STYLE, AppPage, View, button, labelled_dropdown, message_line

if TYPE_CHECKING:
    import pandas as pd

    from ilcs.standards import SlaReport

ALL_TEAMS = "All teams"
TITLE = "Service standards dashboard"
SUBTITLE = "How often each team kept the promises it made to its internal customers."
NOT_IN_FILE = "(not in my file)"


# ----------------------------------------------------------------------------- HTML helpers


def compliance_chart_html(grid: pd.DataFrame, title: str, large_type: bool = False) -> str:
    """A line chart of % within target by month (one line per standard) as inline SVG.

    Each line has its own marker and dash pattern as well as colour, and is named in the
    legend; the same figures are in the table below the chart.
    """
    from ilcs.ui.charts import line_chart_svg

    months = [c for c in grid.columns if c not in ("standard_id", "provider_team")]
    series = {str(row["standard_id"]): [float(row[m]) for m in months]
              for _, row in grid.iterrows()}
    return line_chart_svg(
        [m[5:] + "/" + m[2:4] for m in months], series, title=title,
        y_label="% within target", x_label="Month received", legend_title="Standard",
        large_type=large_type,
        description=(f"{title}: line chart of the percentage of requests within target for "
                     "each month; the same figures are in the table below."))


# ----------------------------------------------------------------------------- dashboard


class SlaDashboard(View):
    """The dashboard for one measured request log (`ilcs.standards.sla_report`).

    State: the team shown (`team`), the standard the target slider is about (`standard`)
    and the target tried on it (`target_hours`), each linked to its labelled control.
    """

    team = traitlets.Unicode(ALL_TEAMS)
    standard = traitlets.Unicode(None, allow_none=True)
    target_hours = traitlets.Float(4.0)

    def __init__(self, report: SlaReport) -> None:
        super().__init__()
        from ilcs.standards import compliance_grid

        self.report = report
        self.by_team_grid = compliance_grid(report.by_team_month)
        self.by_team_labels = compliance_grid(report.by_team_month, "label")
        teams = sorted(report.standards["provider_team"].dropna().unique().tolist())
        self.team_picker = labelled_dropdown("Team", [ALL_TEAMS, *teams],
                                             value=teams[0] if teams else ALL_TEAMS)
        self.intro = widgets.HTML(
            f"<p>Period measured: up to {report.as_of:%d/%m/%Y %H:%M}. Times are in working "
            "hours on each standard's calendar (weekends, bank holidays and time on hold do "
            "not count). Open requests already past their target count as breaches.</p>"
            + ("<p>How it was measured:</p><ul>"
               + "".join(f"<li>{html.escape(n)}</li>" for n in report.notes) + "</ul>"
               if report.notes else ""))
        self.standards_view = widgets.HTML()
        self.chart_view = widgets.HTML()
        self.grid_view = widgets.HTML()
        self.breaches_view = widgets.HTML()
        self.backlog_view = widgets.HTML()
        self.standard_picker = widgets.Dropdown(description="Standard", style=LABEL_STYLE,
                                                layout=widgets.Layout(width="auto"))
        self.target_slider = widgets.FloatSlider(
            description="Target (working hours)", min=0.5, max=40, step=0.5, value=4,
            style=LABEL_STYLE, continuous_update=True, readout_format=".1f",
            layout=widgets.Layout(width="640px"))
        self.target_status = widgets.HTML()
        widgets.link((self.team_picker, "value"), (self, "team"))
        widgets.link((self.standard_picker, "value"), (self, "standard"))
        widgets.link((self.target_slider, "value"), (self, "target_hours"))
        self.observe(lambda _change: self.show_team(), "team")
        self.observe(lambda _change: self.render(), "large_type")
        self.observe(lambda _change: self.choose_standard(), "standard")
        self.observe(lambda _change: self.show_target(), "target_hours")
        self.children = [
            self.intro, self.team_picker,
            _h2("Standards and how often they were met"), self.standards_view,
            _h2("Compliance by month"), self.chart_view, self.grid_view,
            _h2("Setting a target: what would history say?"),
            widgets.HTML("<p>Move the slider to try a different target. The figure shows what "
                         "share of the team's finished requests would have met it.</p>"),
            self.standard_picker, self.target_slider, self.target_status,
            _h2("Breaches"), self.breaches_view,
            _h2("Backlog"), self.backlog_view,
        ]
        self.show_team()
        self.choose_standard()

    @property
    def team_label(self) -> str:
        return "every team" if self.team == ALL_TEAMS else self.team

    def _team_rows(self, table: pd.DataFrame) -> pd.DataFrame:
        return table if self.team == ALL_TEAMS else table[table["provider_team"] == self.team]

    def render(self) -> None:
        """Redraw the team's tables, chart, breaches and backlog."""
        label = self.team_label
        std = self._team_rows(self.report.standards)[
            ["standard_id", "description", "measure", "target_hours", "measured", "met",
             "breached", "pct_within", "median_hours", "p90_hours", "open_not_due"]]
        self.standards_view.value = table_html(
            std, f"Standards of {label}: how often each was met",
            {"standard_id": "Standard", "target_hours": "Target (working hours)",
             "measured": "Requests measured", "met": "Within target",
             "breached": "Breaches (open and late included)", "pct_within": "% within target",
             "median_hours": "Median (h)", "p90_hours": "90th percentile (h)",
             "open_not_due": "Open, not yet due"})
        grid = self._team_rows(self.by_team_grid)
        self.chart_view.value = compliance_chart_html(grid, f"% within target by month: {label}",
                                                      self.large_type)
        self.grid_view.value = table_html(
            self._team_rows(self.by_team_labels),
            f"% within target by month (of the requests measured): {label}")
        breaches = self._team_rows(self.report.breaches)
        self.breaches_view.value = (
            f"<p>{len(breaches):,} breaches for {html.escape(label)}; the worst first.</p>"
            + table_html(breaches[["standard_id", "request_id", "requester_department",
                                   "received_at", "due_at", "completed_at", "hours_over"]],
                         f"Breaches: {label}",
                         {"hours_over": "Working hours over target", "due_at": "Due",
                          "completed_at": "Done (- = still open)"}, limit=10))
        self.backlog_view.value = table_html(
            self._team_rows(self.report.backlog),
            f"Backlog at each month end (age in working days): {label}")

    def show_team(self) -> None:
        """The team changed: redraw, and offer the team's standards for the target slider."""
        self.render()
        ids = self._team_rows(self.report.standards)["standard_id"].tolist()
        descriptions = self.report.standards.set_index("standard_id").loc[ids, "description"]
        self.standard_picker.options = [(f"{sid}: {desc}", sid)
                                        for sid, desc in descriptions.items()]
        if ids:
            self.standard_picker.value = ids[0]

    def _agreed(self, standard_id: str) -> tuple[float, str]:
        """The agreed target (working hours) and the measure of one standard."""
        standards = self.report.standards
        row = standards[standards["standard_id"] == standard_id].iloc[0]
        return float(row["target_hours"]), str(row["measure"])

    def choose_standard(self) -> None:
        """The standard changed: put the slider on its agreed target."""
        if self.standard is None:
            return
        agreed, _measure = self._agreed(self.standard)
        hours = _history(self.report, self.standard)
        top = max(agreed * 3, float(hours.quantile(0.95)) if len(hours) else 8)
        self.target_slider.max = max(1.0, round(top * 2) / 2)
        self.target_slider.value = agreed
        self.show_target()

    def show_target(self) -> None:
        """What share of the standard's finished requests the target tried would have met."""
        from ilcs.standards import share_within

        if self.standard is None:
            self.say(self.target_status, "Choose a standard first.")
            return
        agreed, measure = self._agreed(self.standard)
        hours = _history(self.report, self.standard)
        share = share_within(hours, self.target_hours)
        clock = "a first response" if measure == "first_response" else "resolution"
        self.say(self.target_status,
                 f"A target of {self.target_hours:g} working hours would have been met by "
                 f"{share:.1f}% of {len(hours):,} finished requests ({clock}). "
                 f"The agreed target is {agreed:g} working hours.")


def _h2(text: str) -> widgets.HTML:
    return widgets.HTML(f"<h2>{html.escape(text)}</h2>")


def _load_defaults(requests: Any, standards: Any) -> tuple[Any, Any]:
    from ilcs.io import load_sample

    if requests is None:
        requests = load_sample("requests")
    if standards is None:
        standards = load_sample("standards")
    return requests, standards


def build_sla_dashboard(requests: pd.DataFrame | None = None,
                        standards: pd.DataFrame | None = None, *,
                        large_type: bool = False, as_of: Any = None) -> AppPage:
    """The SLA dashboard app page for a request log and its standards (default: the sample
    organisation). The dashboard itself is the page's `body` (an `SlaDashboard`); data that
    cannot be measured gives the page a problem in words instead."""
    from ilcs.standards import sla_report

    try:
        requests, standards = _load_defaults(requests, standards)
        report = sla_report(requests, standards, as_of)
    except IlcsError as exc:
        problem = message_line()
        problem.value = error_html(exc)
        return AppPage(problem, TITLE, name="sla_dashboard", large_type=large_type)
    name_sliders()  # in JupyterLab; the Voila template does the same for the apps
    return SlaDashboard(report).app("sla_dashboard", title=TITLE, subtitle=SUBTITLE,
                                    large_type=large_type)


def _history(report: SlaReport, standard_id: str) -> pd.Series:
    """Working hours of the finished requests measured by one standard."""
    rows = report.measured[(report.measured["standard_id"] == standard_id)
                           & report.measured["status"].isin(["met", "breached"])]
    return rows["working_hours"]


# ----------------------------------------------------------------------------- column mapping


#: Each requests column in words a trainee understands (the field name is shown as a hint).
COLUMN_WORDS: dict[str, str] = {
    "request_id": "Request reference",
    "requester_department": "Department that asked",
    "provider_team": "Team that dealt with it",
    "channel": "How it came in",
    "category": "Type of request",
    "priority": "Priority",
    "received_at": "Date and time received",
    "first_response_at": "Date and time of first reply",
    "resolved_at": "Date and time resolved",
    "reopened": "Times reopened",
    "contacts": "Contacts until resolved",
    "on_hold_from": "On hold from",
    "on_hold_until": "On hold until",
}
MAPPER_LABEL_STYLE = {"description_width": "15em"}
MAPPER_WIDTH = "32em"


class ExportMapper(View):
    """Upload your own ticket export, map its columns to ours, and load it as requests.

    Each column is named in words, with its field name as a hint. A file's own values can be
    translated (one `COLUMN:THEIRS=OURS,...` per line, as `--values` on the command line) and
    an extra date format given. The choices are remembered for files of the same shape
    (`ilcs.io.remembered`). After a successful load the table is in `requests` (observable)
    and `on_loaded(table)` is called (e.g. to show the dashboard for it).
    """

    requests = traitlets.Instance("pandas.DataFrame", allow_none=True)
    file_name = traitlets.Unicode("")

    def __init__(self, on_loaded: Callable[[pd.DataFrame], None] | None = None) -> None:
        super().__init__()
        from ilcs.io.ticket_exports import FORMATS, REQUEST_COLUMNS

        self.on_loaded = on_loaded
        self.raw: pd.DataFrame | None = None
        self.upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False,
                                         description="Choose file",
                                         layout=widgets.Layout(width="auto"))
        self.format_picker = widgets.Dropdown(
            options=[(f.label, f.name) for f in FORMATS.values()], value="generic",
            description="Exported from", style=LABEL_STYLE)
        self.status = widgets.HTML(status_html("No file chosen yet."))
        self.pickers = {c: widgets.Dropdown(options=[NOT_IN_FILE], value=NOT_IN_FILE,
                                            description=COLUMN_WORDS.get(c, c),
                                            style=MAPPER_LABEL_STYLE,
                                            layout=widgets.Layout(width=MAPPER_WIDTH))
                        for c in REQUEST_COLUMNS}
        rows = [widgets.HBox([picker, widgets.HTML(
                    f'<span class="ilcs-muted">field <code>{column}</code></span>')])
                for column, picker in self.pickers.items()]
        self.values_box = widgets.Textarea(
            description="Translate values", style=MAPPER_LABEL_STYLE,
            placeholder="priority:normal=P3,high=P2\nreopened:false=0,true=1",
            layout=widgets.Layout(width=MAPPER_WIDTH, height="4.5em"))
        self.date_box = widgets.Text(
            description="Date format", style=MAPPER_LABEL_STYLE,
            placeholder="only if your dates are not read, e.g. %m/%d/%Y %I:%M %p",
            layout=widgets.Layout(width=MAPPER_WIDTH))
        self.load_button = button("Load my data",
                                  tooltip="Check the file with the columns chosen above")
        self.load_button.icon = "check"
        self.load_button.disabled = True
        self.upload.observe(self._uploaded, names="value")
        self.format_picker.observe(self._format_changed, names="value")
        self.load_button.on_click(lambda _button: self.load())
        self.children = [
            widgets.HTML("<p>Export your team's tickets as CSV or XLSX, choose the tool it came "
                         "from, then tell us which of your columns holds each piece of "
                         "information.</p>"),
            widgets.HBox([self.upload, self.format_picker]), self.status,
            widgets.HTML("<p><strong>Your columns</strong> (dates are read day first: "
                         "03/04/2025 is 3 April):</p>"),
            *rows,
            widgets.HTML("<p><strong>Your own values</strong> (optional): if your file says, "
                         "say, <em>normal</em> and <em>high</em> for priority, write "
                         "<code>priority:normal=P3,high=P2</code>, one column per line.</p>"),
            self.values_box, self.date_box, self.load_button,
        ]

    def _format_changed(self, _change: Any = None) -> None:
        self.refresh_pickers()

    def refresh_pickers(self, mapping: dict[str, str] | None = None) -> None:
        """Offer the file's columns in every picker, each on its best guess."""
        from ilcs.io.ticket_exports import suggest_mapping

        if self.raw is None:
            return
        headers = [str(h) for h in self.raw.columns]
        guess = suggest_mapping(list(self.raw.columns), self.format_picker.value, mapping)
        for column, picker in self.pickers.items():
            picker.options = [NOT_IN_FILE, *headers]
            picker.value = guess.get(column) or NOT_IN_FILE

    def _uploaded(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if files:
            item = files[0]
            self.use_file(str(item["name"]), bytes(item["content"]))

    def use_file(self, name: str, content: bytes) -> None:
        """Read an uploaded file and fill in the pickers (as remembered, else guessed)."""
        from ilcs.io.remembered import recall
        from ilcs.io.table import read_uploaded_table
        from ilcs.io.ticket_exports import FORMATS

        try:
            raw = read_uploaded_table(name, content)
        except IlcsError as exc:
            self.fail(self.status, exc)
            return
        self.raw, self.file_name = raw, name
        saved = recall(raw.columns)
        note = ""
        if saved is not None and saved.get("format") in FORMATS:
            self.format_picker.unobserve(self._format_changed, names="value")
            self.format_picker.value = saved["format"]
            self.format_picker.observe(self._format_changed, names="value")
            self.values_box.value = "\n".join(saved.get("values", []))
            self.date_box.value = str(saved.get("date_format", ""))
            self.refresh_pickers(mapping=saved.get("mapping", {}))
            note = " The columns you chose last time for a file like this are filled in."
        else:
            self.refresh_pickers()
        self.load_button.disabled = False
        self.say(self.status,
                 f"Read {name}: {len(raw):,} rows, {len(raw.columns)} columns. Check the "
                 f"columns below, then press 'Load my data'.{note}")

    def load(self) -> None:
        """Check the file with the columns chosen; on success it becomes `requests`."""
        from ilcs.io.remembered import remember
        from ilcs.io.ticket_exports import REQUEST_COLUMNS, from_table
        from ilcs.io.values import parse_value_flags

        if self.raw is None:
            self.say(self.status, "Choose your file first.")
            return
        mapping = {p.value: c for c, p in self.pickers.items() if p.value != NOT_IN_FILE}
        lines = [line.strip() for line in self.values_box.value.splitlines() if line.strip()]
        date_format = self.date_box.value.strip()
        try:
            values = parse_value_flags(lines, REQUEST_COLUMNS)
            table = from_table(self.raw, self.format_picker.value, mapping, file=self.file_name,
                               date_formats=[date_format] if date_format else [],
                               values=values)
        except IlcsError as exc:
            self.fail(self.status, exc)
            return
        remember(self.raw.columns, {"format": self.format_picker.value, "mapping": mapping,
                                    "values": lines, "date_format": date_format})
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in table.attrs.get("warnings", []))
        self.status.value = (status_html(f"✔ Loaded {len(table):,} requests from "
                                         f"{self.file_name}.", "good")
                             + (f"<ul>{notes}</ul>" if notes else ""))
        self.requests = table
        if self.on_loaded is not None:
            self.on_loaded(table)


def build_export_mapper(on_loaded: Callable[[pd.DataFrame], None] | None = None) -> ExportMapper:
    """The column-mapping step for a trainee's own export (see `ExportMapper`)."""
    return ExportMapper(on_loaded)


class OwnDataDashboard(View):
    """Your own export: map its columns, choose one simple standard, see the dashboard for it.

    The standard (first response or resolution within N working hours or days) is applied to
    every team in the file (`ilcs.standards.simple_standards`), since an export does not carry
    the standards the team agreed. The dashboard shown is `dashboard` (None until shown).
    """

    def __init__(self) -> None:
        super().__init__()
        self.dashboard: SlaDashboard | None = None
        self.measure_picker = widgets.Dropdown(
            options=[("First response", "first_response"), ("Resolution", "resolution")],
            value="first_response", description="Standard measures", style=LABEL_STYLE)
        self.target = widgets.BoundedFloatText(value=1, min=0.5, max=1000, step=0.5,
                                               description="Target", style=LABEL_STYLE,
                                               layout=widgets.Layout(width="220px"))
        self.unit = widgets.Dropdown(
            options=[("working hours", "working_hours"), ("working days", "working_days")],
            value="working_days", description="in", style=LABEL_STYLE,
            layout=widgets.Layout(width="220px"))
        self.show_button = button("Show my dashboard")
        self.show_button.icon = "bar-chart"
        self.show_button.disabled = True
        self.message = message_line()
        self.result = widgets.VBox()
        self.mapper = ExportMapper()
        self.mapper.observe(self._loaded, "requests")
        self.show_button.on_click(lambda _button: self.show())
        self.children = [
            self.mapper,
            widgets.HTML("<p><strong>Your standard</strong>, applied to every team in your "
                         "file:</p>"),
            widgets.HBox([self.measure_picker, self.target, self.unit]), self.show_button,
            self.message, self.result,
        ]

    def _loaded(self, _change: Any = None) -> None:
        self.show_button.disabled = False
        self.show()

    def show(self) -> None:
        """Measure the loaded file against the standard chosen and show its dashboard."""
        from ilcs.standards import simple_standards, sla_report

        table = self.mapper.requests
        self.message.value = ""
        if table is None:
            self.say(self.message, "Load your file first.")
            return
        try:
            standards = simple_standards(table["provider_team"].dropna().unique(),
                                         self.measure_picker.value, float(self.target.value),
                                         self.unit.value)
            report = sla_report(table, standards)
        except IlcsError as exc:
            self.fail(self.message, exc)
            self.dashboard = None
            self.result.children = []
            return
        self.dashboard = SlaDashboard(report)
        self.result.children = [self.dashboard.app("sla_dashboard", title=TITLE,
                                                   subtitle=SUBTITLE)]


def build_own_data_dashboard() -> OwnDataDashboard:
    """Your own export and one simple standard, then the dashboard (see `OwnDataDashboard`)."""
    return OwnDataDashboard()
