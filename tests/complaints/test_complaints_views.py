"""Complaints views driven from Python: labelled controls, figures from the core, no names."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from ilcs.complaints.lifecycle import default_procedure
from ilcs.complaints.measures import sample_report
from ilcs.complaints.views import (
    ClassifyActivity,
    ComplaintsExplorer,
    ProcedureWriter,
    ReplyChecker,
    RoutingView,
    StepsActivity,
)
from ilcs.io import load_sample


@pytest.fixture(scope="module")
def explorer() -> ComplaintsExplorer:
    return ComplaintsExplorer(sample_report())


def _html(view: ComplaintsExplorer) -> str:
    return (view.summary.value + view.timeliness.value + view.rates.value + view.pareto.value
            + view.open_by_age.value)


def test_explorer_app_is_framed_with_a_labelled_team_picker(explorer: ComplaintsExplorer) -> None:
    page = ComplaintsExplorer(explorer.report).app("complaints_explorer")
    assert "ilcs-app-complaints_explorer" in page._dom_classes
    assert explorer.team_picker.description == "Team complained about"
    assert explorer.team_picker.options[0] == "All teams"
    # 111 of 150 acknowledged within 1 working day (test_complaints_tasks.py)
    assert "All teams: 150 complaints, 74.0% acknowledged on time (111 of 150)" in \
        explorer.summary.value
    assert explorer.pareto.value.startswith("<svg") and "<desc" in explorer.pareto.value


def test_team_picker_redraws_for_one_team(explorer: ComplaintsExplorer) -> None:
    explorer.team_picker.value = "Purchasing"
    try:
        assert "Purchasing: 12 complaints" in explorer.summary.value
        # Purchasing's 12 complaints (complaints.csv): Delay 4, Quality of work 4, Wrong
        # information 2, Policy or process 1, Staff attitude 1: every category is a small
        # group, so the chart has five "fewer than 5" labels and no bars (only the background)
        assert explorer.pareto.value.count(">fewer than 5<") == 5
        assert explorer.pareto.value.count("<rect") == 1
        assert ">Facilities Helpdesk<" not in explorer.timeliness.value
    finally:
        explorer.team_picker.value = "All teams"


def test_large_type_redraws_the_chart_larger(explorer: ComplaintsExplorer) -> None:
    normal = explorer.pareto.value
    explorer.large_type = True
    try:
        assert 'font-size="20"' in explorer.pareto.value and normal != explorer.pareto.value
    finally:
        explorer.large_type = False


def test_no_person_from_the_org_chart_is_named(explorer: ComplaintsExplorer) -> None:
    people = load_sample("org_chart")["person"]
    for team in explorer.team_picker.options:
        explorer.team_picker.value = team
        text = _html(explorer)
        assert [p for p in people if p in text] == [], team
    explorer.team_picker.value = "All teams"


def test_classify_activity_gives_feedback_in_words() -> None:
    view = ClassifyActivity()
    view.scenario_picker.value = "S19"
    view.type_picker.value = "remarks"
    view.check_button.click()
    assert "✔ Yes: racial remarks or remarks about appearance" in view.feedback.value
    assert "dignity-at-work" in view.feedback.value
    view.type_picker.value = "outdated-technology"
    view.check_button.click()
    assert "✘ Not the best fit" in view.feedback.value


def test_routing_view_never_routes_to_the_person_complained_about() -> None:
    view = RoutingView(load_sample("org_chart"))
    view.type_picker.value = "discrimination"
    view.department_picker.value = "HR"
    assert "Handled by Sophie Morgan" in view.result.value
    assert "Equality Act 2010" in view.result.value
    view.about_picker.value = "Sophie Morgan"
    assert "Handled by Tom Kaur" in view.result.value
    view.type_picker.value = "no-recognition"
    assert "Gap: nobody in the org chart handles" in view.result.value


def test_steps_activity_accepts_steps_that_happen_together() -> None:
    view = StepsActivity()
    order = ["listen", "empathise", "apologise", "repeat", "options", "act", "follow-up",
             "confirm"]
    for picker, step in zip(view.pickers, order):
        picker.value = step
    view.check_button.click()
    assert "✔ A good order" in view.feedback.value
    view.pickers[0].value = ""
    view.check_button.click()
    assert "choose a step for every place (empty: step 1)" in view.feedback.value


def test_reply_checker_lists_found_and_missing_elements() -> None:
    view = ReplyChecker("My headsets are broken again.")
    view.reply.value = "I'm sorry about the headsets. I will replace them by 3pm today."
    view.check_button.click()
    assert "✔ apology: found (&quot;sorry&quot;)" in view.feedback.value
    assert "○ empathy: not found" in view.feedback.value
    assert "it does not mark your reply" in view.feedback.value


def test_procedure_writer_checks_the_log_against_your_procedure() -> None:
    complaints, events = load_sample("complaints"), load_sample("complaint_events")
    view = ProcedureWriter(complaints, events)
    view.check_button.click()
    assert "0 places where the log does not follow" in view.message.value
    # a procedure without escalation: each of the sample's 18 'escalated' events is a stage
    # it does not have (the step after it is then checked from the stage before it)
    own = default_procedure().to_dict()
    own["stages"].remove("escalated")
    own["transitions"] = {k: [s for s in v if s != "escalated"]
                          for k, v in own["transitions"].items() if k != "escalated"}
    view.text.value = yaml.safe_dump(own)
    view.check_button.click()
    assert "18 places where the log does not follow" in view.message.value
    assert "is not a stage of Sample organisation complaints procedure" in view.findings.value
    assert "working hours" in view.cost.value
    view.text.value = "stages: [received\n"
    view.check_button.click()
    assert "your procedure: is not valid YAML" in view.message.value
    assert view.findings.value == ""


def test_views_never_fail_on_an_empty_frame_of_requests() -> None:
    view = ProcedureWriter(load_sample("complaints"), load_sample("complaint_events"),
                           pd.DataFrame({"provider_team": []}))
    view.check_button.click()
    assert "0 places" in view.message.value


def test_procedure_writer_uses_your_own_files(tmp_path) -> None:
    from tests.support.complaints_example import COMPLAINTS, EVENTS

    view = ProcedureWriter(load_sample("complaints"), load_sample("complaint_events"))
    view.use_button.click()
    assert "Choose both files first" in view.file_message.value
    # headers in another case and spacing are matched to ours
    own = COMPLAINTS.replace("complaint_id,received_at", "Complaint ID,Received At")
    view.use_files(("ours.csv", own.encode()), ("log.csv", EVENTS.encode()))
    assert "✔ Checking your files ours.csv and log.csv: 10 complaints, 38 events." in \
        view.file_message.value
    view.check_button.click()
    # against the sample's procedure, which has no step from acknowledged straight to
    # responded: C01, C02, C04, C07, C08 and C09 take that step
    assert "6 places where the log does not follow" in view.message.value
    broken = EVENTS.replace("C01,acknowledged,2025-03-03 10:00", "C01,acknowledged,2025-13-03 10:00")
    view.use_files(("ours.csv", own.encode()), ("log.csv", broken.encode()))
    assert "log.csv, row 3, column &#x27;at&#x27;" in view.file_message.value
    assert len(view.events) == 38  # the good log is kept
