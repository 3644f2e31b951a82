"""The service standards (SLA) dashboard, and the column-mapping step for a trainee's own export.

    build_sla_dashboard()                       # the sample organisation
    build_sla_dashboard(requests, standards)    # any canonical tables (e.g. your own export)
    build_export_mapper()                       # upload a Jira/Zendesk/spreadsheet export

The dashboard shows, for the team chosen: its standards and how often each was met, a chart
and table of % within target by month, a target slider ("what share of past requests would
this target have met?"), the worst breaches and the backlog at each month end. Every figure
comes from `ilcs.standards`; this module only lays out widgets. Nothing heavy is imported at
module level, so an app that imports it opens fast.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ilcs.errors import IlcsError
from ilcs.ui.common import error_html, name_sliders, status_html, table_html

if TYPE_CHECKING:
    import ipywidgets
    import pandas as pd

    from ilcs.standards import SlaReport

ALL_TEAMS = "All teams"
TITLE = "Service standards dashboard"
SUBTITLE = "How often each team kept the promises it made to its internal customers."
LABEL_STYLE = {"description_width": "initial"}
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


def _load_defaults(requests: Any, standards: Any) -> tuple[Any, Any]:
    from ilcs.io import load_sample

    if requests is None:
        requests = load_sample("requests")
    if standards is None:
        standards = load_sample("standards")
    return requests, standards


def build_sla_dashboard(requests: pd.DataFrame | None = None,
                        standards: pd.DataFrame | None = None, *,
                        large_type: bool = False, as_of: Any = None) -> ipywidgets.Widget:
    """The SLA dashboard for a request log and its standards (default: the sample organisation)."""
    import ipywidgets as w

    from ilcs.ui.style import app_page

    try:
        from ilcs.standards import sla_report

        requests, standards = _load_defaults(requests, standards)
        report = sla_report(requests, standards, as_of)
    except IlcsError as exc:
        return app_page(w.HTML(error_html(exc)), TITLE, name="sla_dashboard", large_type=large_type)
    body = _dashboard_body(report, large_type)
    page = app_page(body, TITLE, name="sla_dashboard", subtitle=SUBTITLE, large_type=large_type)
    name_sliders()  # in JupyterLab; the Voila template does the same for the apps
    for name in ("team_picker", "standard_picker", "target_slider", "target_status", "report",
                 "standards_view", "chart_view", "breaches_view", "backlog_view"):
        setattr(page, name, getattr(body, name))
    return page


def _dashboard_body(report: SlaReport, large_type: bool) -> ipywidgets.VBox:
    import ipywidgets as w

    from ilcs.standards import compliance_grid

    teams = sorted(report.standards["provider_team"].dropna().unique().tolist())
    team_picker = w.Dropdown(options=[ALL_TEAMS, *teams], value=teams[0] if teams else ALL_TEAMS,
                             description="Team", style=LABEL_STYLE)
    intro = w.HTML(
        f"<p>Period measured: up to {report.as_of:%d/%m/%Y %H:%M}. Times are in working hours "
        "on each standard's calendar (weekends, bank holidays and time on hold do not count). "
        "Open requests already past their target count as breaches.</p>"
        + ("<p>How it was measured:</p><ul>"
           + "".join(f"<li>{html.escape(n)}</li>" for n in report.notes) + "</ul>"
           if report.notes else "")
    )
    standards_view = w.HTML()
    chart_view = w.HTML()
    grid_view = w.HTML()
    breaches_view = w.HTML()
    backlog_view = w.HTML()
    standard_picker = w.Dropdown(description="Standard", style=LABEL_STYLE,
                                 layout=w.Layout(width="auto"))
    target_slider = w.FloatSlider(description="Target (working hours)", min=0.5, max=40, step=0.5,
                                  value=4, style=LABEL_STYLE, continuous_update=True,
                                  readout_format=".1f", layout=w.Layout(width="640px"))
    target_status = w.HTML()
    by_team_grid = compliance_grid(report.by_team_month)

    def team_rows(table: pd.DataFrame) -> pd.DataFrame:
        team = team_picker.value
        return table if team == ALL_TEAMS else table[table["provider_team"] == team]

    def show_team(_change: Any = None) -> None:
        team = team_picker.value
        label = "every team" if team == ALL_TEAMS else team
        std = team_rows(report.standards)[
            ["standard_id", "description", "measure", "target_hours", "measured", "pct_within",
             "median_hours", "p90_hours", "open_not_due"]]
        standards_view.value = table_html(
            std, f"Standards of {label}: how often each was met",
            {"standard_id": "Standard", "target_hours": "Target (working hours)",
             "measured": "Requests measured", "pct_within": "% within target",
             "median_hours": "Median (h)", "p90_hours": "90th percentile (h)",
             "open_not_due": "Open, not yet due"})
        grid = team_rows(by_team_grid)
        chart_view.value = compliance_chart_html(grid, f"% within target by month: {label}",
                                                 large_type)
        grid_view.value = table_html(grid, f"% within target by month: {label}")
        breaches = team_rows(report.breaches)
        breaches_view.value = (
            f"<p>{len(breaches):,} breaches for {html.escape(label)}; the worst first.</p>"
            + table_html(breaches[["standard_id", "request_id", "requester_department",
                                   "received_at", "due_at", "completed_at", "hours_over"]],
                         f"Breaches: {label}",
                         {"hours_over": "Working hours over target", "due_at": "Due",
                          "completed_at": "Done (- = still open)"}, limit=10))
        backlog_view.value = table_html(team_rows(report.backlog),
                                        f"Backlog at each month end (age in working days): {label}")
        ids = team_rows(report.standards)["standard_id"].tolist()
        standard_picker.options = [
            (f"{sid}: {desc}", sid)
            for sid, desc in report.standards.set_index("standard_id").loc[ids, "description"].items()
        ]
        if ids:
            standard_picker.value = ids[0]

    def choose_standard(_change: Any = None) -> None:
        sid = standard_picker.value
        if sid is None:
            return
        row = report.standards.set_index("standard_id").loc[sid]
        hours = _history(report, sid)
        top = max(float(row["target_hours"]) * 3, float(hours.quantile(0.95)) if len(hours) else 8)
        target_slider.max = max(1.0, round(top * 2) / 2)
        target_slider.value = float(row["target_hours"])
        show_target()

    def show_target(_change: Any = None) -> None:
        from ilcs.standards import share_within

        sid = standard_picker.value
        if sid is None:
            target_status.value = status_html("Choose a standard first.")
            return
        row = report.standards.set_index("standard_id").loc[sid]
        hours = _history(report, sid)
        share = share_within(hours, target_slider.value)
        clock = "a first response" if row["measure"] == "first_response" else "resolution"
        target_status.value = status_html(
            f"A target of {target_slider.value:g} working hours would have been met by "
            f"{share:.1f}% of {len(hours):,} finished requests ({clock}). "
            f"The agreed target is {float(row['target_hours']):g} working hours.",
            "neutral")

    team_picker.observe(show_team, names="value")
    standard_picker.observe(choose_standard, names="value")
    target_slider.observe(show_target, names="value")
    show_team()
    choose_standard()

    def h2(text: str) -> ipywidgets.HTML:
        return w.HTML(f"<h2>{html.escape(text)}</h2>")

    body = w.VBox([
        intro, team_picker,
        h2("Standards and how often they were met"), standards_view,
        h2("Compliance by month"), chart_view, grid_view,
        h2("Setting a target: what would history say?"),
        w.HTML("<p>Move the slider to try a different target. The figure shows what share of "
               "the team's finished requests would have met it.</p>"),
        standard_picker, target_slider, target_status,
        h2("Breaches"), breaches_view,
        h2("Backlog"), backlog_view,
    ])
    body.team_picker = team_picker  # type: ignore[attr-defined]
    body.standard_picker = standard_picker  # type: ignore[attr-defined]
    body.target_slider = target_slider  # type: ignore[attr-defined]
    body.target_status = target_status  # type: ignore[attr-defined]
    body.report = report  # type: ignore[attr-defined]
    body.standards_view = standards_view  # type: ignore[attr-defined]
    body.chart_view = chart_view  # type: ignore[attr-defined]
    body.breaches_view = breaches_view  # type: ignore[attr-defined]
    body.backlog_view = backlog_view  # type: ignore[attr-defined]
    return body


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


def build_export_mapper(on_loaded: Callable[[pd.DataFrame], None] | None = None) -> ipywidgets.VBox:
    """Upload your own ticket export, map its columns to ours, and load it as requests.

    Each column is named in words, with its field name as a hint. A file's own values can be
    translated (one `COLUMN:THEIRS=OURS,...` per line, as `--values` on the command line) and
    an extra date format given. The choices are remembered for files of the same shape
    (`ilcs.io.remembered`). After a successful load the table is in `.requests` of the
    returned widget and `on_loaded(table)` is called (e.g. to show the dashboard for it).
    """
    import ipywidgets as w

    from ilcs.io.ticket_exports import FORMATS, REQUEST_COLUMNS

    upload = w.FileUpload(accept=".csv,.xlsx", multiple=False, description="Choose file",
                          layout=w.Layout(width="auto"))
    fmt = w.Dropdown(options=[(f.label, f.name) for f in FORMATS.values()], value="generic",
                     description="Exported from", style=LABEL_STYLE)
    status = w.HTML(status_html("No file chosen yet."))
    pickers = {c: w.Dropdown(options=[NOT_IN_FILE], value=NOT_IN_FILE,
                             description=COLUMN_WORDS.get(c, c), style=MAPPER_LABEL_STYLE,
                             layout=w.Layout(width=MAPPER_WIDTH))
               for c in REQUEST_COLUMNS}
    rows = [w.HBox([picker, w.HTML(f'<span class="ilcs-muted">field <code>{column}</code>'
                                   "</span>")])
            for column, picker in pickers.items()]
    values_box = w.Textarea(description="Translate values", style=MAPPER_LABEL_STYLE,
                            placeholder="priority:normal=P3,high=P2\nreopened:false=0,true=1",
                            layout=w.Layout(width=MAPPER_WIDTH, height="4.5em"))
    date_box = w.Text(description="Date format", style=MAPPER_LABEL_STYLE,
                      placeholder="only if your dates are not read, e.g. %m/%d/%Y %I:%M %p",
                      layout=w.Layout(width=MAPPER_WIDTH))
    load_button = w.Button(layout=w.Layout(width="auto"), description="Load my data",
                           icon="check", disabled=True,
                           tooltip="Check the file with the columns chosen above")
    box = w.VBox()
    state: dict[str, Any] = {"raw": None, "name": None}

    def refresh_pickers(_change: Any = None, mapping: dict[str, str] | None = None) -> None:
        from ilcs.io.ticket_exports import suggest_mapping

        raw = state["raw"]
        if raw is None:
            return
        guess = suggest_mapping(list(raw.columns), fmt.value, mapping)
        for column, picker in pickers.items():
            picker.options = [NOT_IN_FILE, *[str(h) for h in raw.columns]]
            picker.value = guess.get(column) or NOT_IN_FILE

    def use_file(name: str, content: bytes) -> None:
        import tempfile
        from pathlib import Path

        from ilcs.io import read_table
        from ilcs.io.remembered import recall
        from ilcs.io.write import write_bytes

        suffix = Path(name).suffix.lower() or ".csv"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            write_bytes(path, content)
            try:
                raw = read_table(path)
            except IlcsError as exc:
                status.value = error_html(exc)
                return
        state["raw"], state["name"] = raw, name
        saved = recall(raw.columns)
        note = ""
        if saved is not None and saved.get("format") in FORMATS:
            fmt.unobserve(refresh_pickers, names="value")
            fmt.value = saved["format"]
            fmt.observe(refresh_pickers, names="value")
            values_box.value = "\n".join(saved.get("values", []))
            date_box.value = str(saved.get("date_format", ""))
            refresh_pickers(mapping=saved.get("mapping", {}))
            note = " The columns you chose last time for a file like this are filled in."
        else:
            refresh_pickers()
        load_button.disabled = False
        status.value = status_html(
            f"Read {name}: {len(raw):,} rows, {len(raw.columns)} columns. Check the columns "
            f"below, then press 'Load my data'.{note}")

    def on_upload(change: dict) -> None:
        files = change["new"]
        if files:
            item = files[0]
            use_file(str(item["name"]), bytes(item["content"]))

    def on_load(_button: Any = None) -> None:
        from ilcs.io.remembered import remember
        from ilcs.io.ticket_exports import from_table
        from ilcs.io.values import parse_value_flags

        mapping = {p.value: c for c, p in pickers.items() if p.value != NOT_IN_FILE}
        lines = [line.strip() for line in values_box.value.splitlines() if line.strip()]
        date_format = date_box.value.strip()
        try:
            values = parse_value_flags(lines, REQUEST_COLUMNS)
            table = from_table(state["raw"], fmt.value, mapping, file=state["name"],
                               date_formats=[date_format] if date_format else [],
                               values=values)
        except IlcsError as exc:
            status.value = error_html(exc)
            return
        remember(state["raw"].columns, {"format": fmt.value, "mapping": mapping,
                                        "values": lines, "date_format": date_format})
        box.requests = table  # type: ignore[attr-defined]
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in table.attrs.get("warnings", []))
        status.value = status_html(f"✔ Loaded {len(table):,} requests from {state['name']}.",
                                   "good") + (f"<ul>{notes}</ul>" if notes else "")
        if on_loaded is not None:
            on_loaded(table)

    upload.observe(on_upload, names="value")
    fmt.observe(refresh_pickers, names="value")
    load_button.on_click(on_load)
    box.children = [
        w.HTML("<p>Export your team's tickets as CSV or XLSX, choose the tool it came from, "
               "then tell us which of your columns holds each piece of information.</p>"),
        w.HBox([upload, fmt]), status,
        w.HTML("<p><strong>Your columns</strong> (dates are read day first: 03/04/2025 is "
               "3 April):</p>"),
        *rows,
        w.HTML("<p><strong>Your own values</strong> (optional): if your file says, say, "
               "<em>normal</em> and <em>high</em> for priority, write "
               "<code>priority:normal=P3,high=P2</code>, one column per line.</p>"),
        values_box, date_box, load_button,
    ]
    box.requests = None  # type: ignore[attr-defined]
    box.use_file = use_file  # type: ignore[attr-defined]
    box.pickers = pickers  # type: ignore[attr-defined]
    box.format_picker = fmt  # type: ignore[attr-defined]
    box.values_box = values_box  # type: ignore[attr-defined]
    box.date_box = date_box  # type: ignore[attr-defined]
    box.load_button = load_button  # type: ignore[attr-defined]
    box.status = status  # type: ignore[attr-defined]
    return box


def build_own_data_dashboard() -> ipywidgets.VBox:
    """Your own export: map its columns, choose one simple standard, see the dashboard for it.

    The standard (first response or resolution within N working hours or days) is applied to
    every team in the file (`ilcs.standards.simple_standards`), since an export does not carry
    the standards the team agreed.
    """
    import ipywidgets as w

    measure_picker = w.Dropdown(options=[("First response", "first_response"),
                                         ("Resolution", "resolution")],
                                value="first_response", description="Standard measures",
                                style=LABEL_STYLE)
    target = w.BoundedFloatText(value=1, min=0.5, max=1000, step=0.5, description="Target",
                                style=LABEL_STYLE, layout=w.Layout(width="220px"))
    unit = w.Dropdown(options=[("working hours", "working_hours"), ("working days", "working_days")],
                      value="working_days", description="in", style=LABEL_STYLE,
                      layout=w.Layout(width="220px"))
    show_button = w.Button(layout=w.Layout(width="auto"), description="Show my dashboard", icon="bar-chart", disabled=True)
    result = w.VBox()
    box = w.VBox()

    def show(_button: Any = None) -> None:
        from ilcs.standards import simple_standards

        table = mapper.requests
        if table is None:
            result.children = [w.HTML(status_html("Load your file first."))]
            return
        try:
            standards = simple_standards(table["provider_team"].dropna().unique(),
                                         measure_picker.value, float(target.value), unit.value)
        except IlcsError as exc:
            result.children = [w.HTML(error_html(exc))]
            return
        result.children = [build_sla_dashboard(table, standards)]

    def loaded(_table: pd.DataFrame) -> None:
        show_button.disabled = False
        show()

    mapper = build_export_mapper(on_loaded=loaded)
    show_button.on_click(show)
    box.children = [
        mapper,
        w.HTML("<p><strong>Your standard</strong>, applied to every team in your file:</p>"),
        w.HBox([measure_picker, target, unit]), show_button, result,
    ]
    box.mapper = mapper  # type: ignore[attr-defined]
    box.result = result  # type: ignore[attr-defined]
    box.show_button = show_button  # type: ignore[attr-defined]
    box.target = target  # type: ignore[attr-defined]
    box.unit = unit  # type: ignore[attr-defined]
    box.measure_picker = measure_picker  # type: ignore[attr-defined]
    return box
