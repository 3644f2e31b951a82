"""The services views, driven as a trainer or trainee would (no browser)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ilcs.assessment.store import AnswerStore
from ilcs.io import load_sample
from ilcs.services import customers, performance, practices
from ilcs.services.service_map import service_map
from ilcs.services.views import (
    AgreementExplorer,
    OwnServicesMap,
    PerformanceRecordForm,
    SelfAssessment,
    ServiceMapView,
    SortingActivity,
    WitnessStatementForm,
    comparison_table,
)


@pytest.fixture()
def store(ilcs_home, tmp_path):
    with AnswerStore.open(f"sqlite:///{tmp_path / 's.sqlite'}") as s:
        yield s


def test_self_assessment_shows_results_only_from_five_people(tmp_path) -> None:
    view = SelfAssessment("Payroll", allow_attach=False, save_dir=tmp_path)
    for person in range(5):
        for picker in view.pickers:
            picker.value = 4
        view.pickers[2].value = 1 if person < 4 else 2  # practice 3: (1+1+1+1+2)/5 = 1.2
        view.add_button.click()
        assert all(p.value == 0 for p in view.pickers)  # cleared for the next person
        if person < 4:
            assert "Results are shown once at least 5 people have answered" in \
                view.results_message.value
            assert view.chart.value == ""
    assert view.people == 5
    assert "1.2 (5 ratings) ◀" in view.chart.value
    assert "Communication schedule" in view.weakest_table.value
    view.owners.value = "Sam Lee"
    view.start.value = "01/12/2026"
    assert "Sam Lee" in view.plan.value and "29/12/2026" in view.plan.value
    view.save_button.click()
    saved = practices.load_ratings(tmp_path / "self-assessment-payroll.csv")
    assert len(saved) == 5 and "Saved 5 people&#x27;s ratings" in view.save_message.value


def test_an_empty_form_is_not_counted() -> None:
    view = SelfAssessment("HR", allow_attach=False)
    view.add_button.click()
    assert view.people == 0 and "Rate at least one practice" in view.entry_message.value


def test_attach_saves_the_summary_for_the_assessor(store, tmp_path) -> None:
    ratings = practices.example_ratings()
    payroll = ratings[ratings["team"] == "Payroll Services"].reset_index(drop=True)
    view = SelfAssessment(ratings=payroll, store=store, candidate="c1", save_dir=tmp_path)
    view.attach_button.click()
    assert "Attached self-assessment-payroll-services.csv" in view.save_message.value
    summary = performance.latest_attachment(store, "c1")
    assert summary["people"] == 7 and len(summary["weakest"]) == 3


def test_team_comparison_table_hides_small_teams() -> None:
    html = str(comparison_table(practices.example_ratings()))
    assert "Purchasing (people: fewer than 5)" in html
    assert "IT Service Desk (people: 9)" in html


def test_sorting_activity_marks_each_item_in_words() -> None:
    view = SortingActivity()
    for picker, item in zip(view.pickers, customers.ITEMS):
        picker.value = item.answer
    view.pickers[0].value = customers.EXTERNAL  # one wrong
    view.check_button.click()
    assert view.right == len(customers.ITEMS) - 1
    assert "✘" in view.feedback.value and "(you chose: External customer)" in view.feedback.value


def test_service_map_view_switches_between_how_much_and_how_fast() -> None:
    view = ServiceMapView(service_map(load_sample("requests"), load_sample("standards")))
    assert "934" in view.chart.value  # Operations -> IT Service Desk requests
    view.picker.value = "median_hours"
    assert "Typical working hours" in view.chart.value and " h<" in view.chart.value


def test_agreement_explorer_follows_its_pickers() -> None:
    view = AgreementExplorer(load_sample("survey_responses"))
    view.team_picker.value = "HR Advisory"
    view.wave_picker.value = 2
    assert "HR Advisory, wave 2" in view.table.value and "I was kept informed" in view.table.value


def test_outcome7_forms_save_and_refuse_in_words(store) -> None:
    form = PerformanceRecordForm(store=store, candidate="c1")
    form.save_button.click()
    assert "Your internal customer&#x27;s name is required" in form.message.value
    values = {"customer_name": "Priya Shah", "customer_role": "Team leader",
              "products_services": "Monthly overtime reports for her whole team",
              "standards_timescales": "By the third working day of every month",
              "needs_not_met": "I tell her the same day and agree a new date",
              "how_confirmed": "at a meeting", "confirmed_on": "14/11/2026"}
    for name, value in values.items():
        form.fields[name].value = value
    form.save_button.click()
    assert form.saved and "Saved for your assessor" in form.message.value
    again = PerformanceRecordForm(store=store, candidate="c1")  # comes back when reopened
    assert again.fields["confirmed_on"].value == "14/11/2026"

    witness = WitnessStatementForm(store=store, candidate="c1")
    for name, value in {"witness_name": "Priya Shah", "witness_role": "Team leader",
                        "relationship": "I receive her reports",
                        "statement": "She agreed the dates with me and kept them",
                        "signed_on": dt.date.today().strftime("%d/%m/%Y")}.items():
        witness.fields[name].value = value
    witness.save_button.click()
    assert not witness.saved and "must agree to the declaration" in witness.message.value
    witness.declaration.value = True
    witness.save_button.click()
    assert witness.saved
    record, statement = performance.latest_evidence(store, "c1")
    assert record.customer_name == "Priya Shah" and statement.witness_role == "Team leader"


def test_own_services_map_needs_every_field_then_saves(store) -> None:
    view = OwnServicesMap(store=store, candidate="c1")
    view.department.value = "Payroll"
    view.add_button.click()
    assert "Please fill in its products and services, who receives them" in view.message.value
    view.offers.value = "Pay, payslips, expenses"
    view.receivers.value = "Every member of staff"
    view.add_button.click()
    assert "Every member of staff" in view.table.value
    view.save_button.click()
    saved = store.latest_answers("c1")[OwnServicesMap.OWN_QUESTION].response
    assert saved == [{"department": "Payroll", "offers": "Pay, payslips, expenses",
                      "receivers": "Every member of staff"}]
    assert isinstance(pd.DataFrame(saved), pd.DataFrame)


def test_the_app_frames_the_self_assessment() -> None:
    from ilcs.apps import get_app

    view = SelfAssessment("Our team", allow_attach=False)
    page = view.app("self_assessment")
    assert get_app("self_assessment").title in page.children[1].value  # the heading
    assert "ilcs-app-self_assessment" in page._dom_classes
    rows = [c for c in view.children if view.save_button in getattr(c, "children", ())]
    assert len(rows) == 1 and view.attach_button not in rows[0].children  # none in class
    page.children[2].value = True  # the large-type switch redraws the chart larger
    assert view.large_type


def test_compare_the_teams_saved_in_the_folder(tmp_path) -> None:
    ratings = practices.example_ratings()
    for team, part in ratings.groupby("team"):
        practices.save_ratings(part, tmp_path / f"{team}.csv")
    view = SelfAssessment("Payroll Services", allow_attach=False, save_dir=tmp_path)
    view.compare_button.click()
    assert "Compared 3 team(s)" in view.save_message.value
    assert "Purchasing (people: fewer than 5)" in view.comparison.value
    assert "IT Service Desk (people: 9)" in view.comparison.value
    (tmp_path / "broken.csv").write_text("team,p01\nHR,9\n", encoding="utf-8")
    view.compare_button.click()
    assert "broken.csv, column &#x27;p02&#x27;: the column is missing" in view.save_message.value
    assert view.comparison.value == ""


def test_compare_with_nothing_saved_says_so(tmp_path) -> None:
    view = SelfAssessment("HR", allow_attach=False, save_dir=tmp_path / "none")
    view.compare_button.click()
    assert "no saved self-assessments yet" in view.save_message.value
