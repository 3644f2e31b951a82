"""SLA dashboard and export mapper, driven from Python (no browser)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ilcs.standards import breach_list, measure, share_within
from ilcs.standards.views.dashboard import (
    ALL_TEAMS,
    NOT_IN_FILE,
    ExportMapper,
    SlaDashboard,
    build_export_mapper,
    build_sla_dashboard,
)
from ilcs.ui.view import AppPage
from tests.support.requestlog import make_requests, make_standards

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tickets"


@pytest.fixture(scope="module")
def page() -> AppPage:
    return build_sla_dashboard(make_requests(), make_standards(), as_of="2025-03-31 12:00")


@pytest.fixture(scope="module")
def dashboard(page: AppPage) -> SlaDashboard:
    assert isinstance(page.body, SlaDashboard)
    return page.body


def test_dashboard_builds_with_labelled_controls(page: AppPage, dashboard: SlaDashboard) -> None:
    assert isinstance(page, AppPage) and "ilcs-app-sla_dashboard" in page._dom_classes
    assert page.heading.value.startswith("<h1>Service standards dashboard</h1>")
    assert dashboard.team_picker.description == "Team"
    assert dashboard.target_slider.description.startswith("Target")
    assert dashboard.standard_picker.description == "Standard"
    chart = dashboard.chart_view.value
    assert chart.startswith("<svg") and 'role="img"' in chart and "<desc" in chart
    standards = dashboard.report.standards
    shown = standards.loc[standards["provider_team"] == dashboard.team_picker.value, "standard_id"]
    assert len(shown) > 0 and all(f">{sid}</text>" in chart for sid in shown)
    assert "<caption" in dashboard.standards_view.value


def test_slider_shows_the_share_of_history_from_the_core(dashboard) -> None:
    dashboard.team_picker.value = "IT Service Desk"
    dashboard.standard_picker.value = "S1"
    measured = measure(make_requests(), make_standards(), "2025-03-31 12:00")
    done = measured[(measured["standard_id"] == "S1") & measured["status"].isin(["met", "breached"])]
    for target in (1.0, 4.0, 9.5):
        dashboard.target_slider.value = target
        expected = share_within(done["working_hours"], target)
        assert f"met by {expected:.1f}% of {len(done):,} finished requests" in dashboard.target_status.value
    # Choosing a standard puts the slider back on its agreed target.
    dashboard.standard_picker.value = "S2"
    assert dashboard.target_slider.value == 8.0  # 1 working day of 09:00-17:00
    assert (dashboard.standard, dashboard.target_hours) == ("S2", 8.0)  # the view's state


def test_team_picker_filters_every_view(dashboard) -> None:
    dashboard.team_picker.value = "Payroll"
    assert [v for _, v in dashboard.standard_picker.options] == ["S3"]
    assert "S1" not in dashboard.standards_view.value and "S3" in dashboard.standards_view.value
    breaches = breach_list(measure(make_requests(), make_standards(), "2025-03-31 12:00"))
    expected = int((breaches["provider_team"] == "Payroll").sum())
    assert f"{expected:,} breaches for Payroll" in dashboard.breaches_view.value
    dashboard.team_picker.value = ALL_TEAMS
    assert f"{len(breaches):,} breaches for every team" in dashboard.breaches_view.value
    dashboard.team = "Payroll"  # the state drives the control too
    assert dashboard.team_picker.value == "Payroll"
    assert f"{expected:,} breaches for Payroll" in dashboard.breaches_view.value


def test_large_type_and_bad_data_message() -> None:
    page = build_sla_dashboard(make_requests(60), make_standards(), large_type=True)
    assert "ilcs-large-type" in page._dom_classes
    assert isinstance(page.body, SlaDashboard) and page.body.large_type
    normal_chart = build_sla_dashboard(make_requests(60), make_standards()).body.chart_view.value
    assert page.body.chart_view.value != normal_chart  # the chart is drawn in large type
    page.large_type_toggle.value = False
    assert not page.body.large_type and page.body.chart_view.value == normal_chart
    broken = make_standards().drop(columns=["measure"])
    page = build_sla_dashboard(make_requests(60), broken)
    text = " ".join(c.value for c in page.children if isinstance(getattr(c, "value", None), str))
    assert 'role="alert"' in text and "measure" in text


def test_export_mapper_loads_a_jira_file() -> None:
    loaded: list[pd.DataFrame] = []
    mapper = build_export_mapper(on_loaded=loaded.append)
    assert isinstance(mapper, ExportMapper)
    seen: list[pd.DataFrame] = []
    mapper.observe(lambda change: seen.append(change["new"]), "requests")
    assert mapper.load_button.disabled
    mapper.format_picker.value = "jira"
    mapper.use_file("jira_export.csv", (FIXTURES / "jira_export.csv").read_bytes())
    assert mapper.pickers["request_id"].value == "Issue key"
    assert mapper.pickers["received_at"].value == "Created"
    assert mapper.pickers["on_hold_from"].value == NOT_IN_FILE
    mapper.load_button.click()
    assert "✔ Loaded 4 requests" in mapper.status.value
    assert len(loaded) == 1 and loaded[0].loc[2, "priority"] == "P1"
    assert mapper.requests is loaded[0] and seen == [loaded[0]]


def test_export_mapper_upload_and_mapping_by_dropdowns() -> None:
    mapper = build_export_mapper()
    content = (FIXTURES / "generic_export.csv").read_bytes()
    mapper.upload.value = (
        {"name": "generic_export.csv", "type": "text/csv", "size": len(content),
         "content": memoryview(content), "last_modified": dt.datetime(2025, 4, 1)},
    )
    assert "2 rows" in mapper.status.value
    mapper.load_button.click()  # nothing mapped yet: a clear problem, not a traceback
    assert 'role="alert"' in mapper.status.value and "request_id" in mapper.status.value
    choices = {"request_id": "Ticket No", "received_at": "Logged", "requester_department": "Customer dept",
               "provider_team": "Handled by", "channel": "How received", "category": "Type",
               "priority": "Urgency", "first_response_at": "Replied", "resolved_at": "Closed"}
    for column, header in choices.items():
        mapper.pickers[column].value = header
    mapper.load_button.click()
    assert "✔ Loaded 2 requests" in mapper.status.value
    assert mapper.requests.loc[0, "received_at"] == pd.Timestamp("2025-04-03 09:00")


def test_standards_writer_checks_each_line(ilcs_home: Path) -> None:
    from ilcs.standards.smart import check_smart
    from ilcs.standards.views.writer import build_standards_writer

    requests = make_requests()
    writer = build_standards_writer(requests)
    writer.button.click()
    assert "Nothing to check yet" in writer.results.value
    lines = ["We will acknowledge every IT request from staff within 4 working hours.",
             "Good service always."]
    writer.text.value = "\n".join(lines) + "\n\n"
    writer.team.value = "IT Service Desk"
    writer.button.click()
    assert len(writer.reports) == 2
    assert "2 standard(s) checked" in writer.results.value
    expected = check_smart(lines[0], requests=requests, team="IT Service Desk")
    assert writer.reports[0] == expected
    assert f"{expected.history_share:.0f}%" in writer.results.value
    assert "✘ missing" in writer.results.value and "✔ met" in writer.results.value


def test_own_data_dashboard_from_a_zendesk_export() -> None:
    from ilcs.standards.views.dashboard import build_own_data_dashboard

    own = build_own_data_dashboard()
    assert own.show_button.disabled
    own.mapper.format_picker.value = "zendesk"
    own.mapper.use_file("zendesk_export.csv", (FIXTURES / "zendesk_export.csv").read_bytes())
    own.unit.value = "working_hours"
    own.target.value = 1.0
    own.mapper.load_button.click()
    page = own.result.children[0]
    dashboard = own.dashboard
    assert isinstance(page, AppPage) and page.body is dashboard
    assert list(dashboard.report.standards["provider_team"]) == ["Payroll"]
    # First replies: 09:15 -> 10:05 is 50 working minutes; 16:20 -> 18:00 is 40 (the desk
    # closes at 17:00). Both are within 1 working hour; only the second within 45 minutes.
    assert dashboard.report.standards["met"].iloc[0] == 2
    own.target.value = 0.75
    own.show_button.click()
    assert own.result.children[0].body is own.dashboard
    assert own.dashboard.report.standards["met"].iloc[0] == 1


def test_standards_writer_keeps_the_text_for_next_time(ilcs_home: Path) -> None:
    from ilcs.standards.views.writer import build_standards_writer

    first = build_standards_writer(initial="An example.")
    assert first.text.value == "An example."
    first.text.value = "We will reply to staff emails within 1 working day."
    first.button.click()
    assert "✔ Saved" in first.results.value
    assert (ilcs_home / "my-standards.txt").read_text().startswith("We will reply")
    again = build_standards_writer(initial="An example.")
    assert again.text.value.strip() == "We will reply to staff emails within 1 working day."
    unsaved = build_standards_writer(initial="Other.", save=False)
    assert unsaved.text.value == "Other."
