"""The surveys views: built without a browser, driven through their named controls."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import pytest

from ilcs.surveys.questionnaire import sample_questionnaire
from ilcs.surveys.responses import LoadedSurvey
from ilcs.surveys.views import OwnSurvey, QuestionChecker, SurveyExplorer, TechniqueChooser

ITEMS = ["q_timely", "q_helpful", "q_informed", "q_quality", "q_overall", "recommend", "effort"]


def _loaded(rows: list[dict]) -> LoadedSurvey:
    frame = pd.DataFrame(rows)
    for column in ["wave", *ITEMS]:
        frame[column] = frame[column].astype("Int64")
    return LoadedSurvey(frame, sample_questionnaire(), "test.csv", 0, 0)


@pytest.fixture()
def small_and_large() -> LoadedSurvey:
    """Payroll: 12 responses (6 per wave); HR: 3 responses with a comment each."""
    rows = []
    for k in range(15):
        team = "Payroll Services" if k < 12 else "HR Advisory"
        rows.append({"response_id": f"S{k}", "wave": 1 + k % 2, "department": "Finance",
                     "about_team": team, **dict.fromkeys(ITEMS, 4), "recommend": 9,
                     "effort": 2,
                     "comment": "HR secret: waited ages" if team == "HR Advisory" else
                     "Quick and helpful."})
    return _loaded(rows)


def test_explorer_on_the_sample_shows_the_payroll_fall() -> None:
    view = SurveyExplorer()
    assert "820 responses" in view.message.value
    view.team_picker.value = "Payroll Services"
    assert view.team == "Payroll Services"
    assert "fell from 75% (of 44) to 57% (of 44)" in view.changes.value
    view.wave_picker.value = "Wave 2"
    assert "Scores by statement (Payroll Services, wave 2)" in view.scores.value
    assert ".0 scored" not in view.recommend.value and "of 44)" in view.recommend.value
    view.item_picker.value = "q_timely"
    assert "The team dealt with my request in good time" in view.chart.value
    view.theme_picker.value = "Keeping people informed"
    assert "Example comments: Keeping people informed" in view.quotes.value


def test_explorer_never_shows_a_small_group(small_and_large: LoadedSurvey) -> None:
    view = SurveyExplorer(small_and_large)
    assert "HR Advisory" not in view.team_picker.options
    page = "".join(w.value for w in (view.scores, view.chart, view.changes, view.themes,
                                     view.quotes, view.recommend))
    assert "HR secret" not in page
    assert "fewer than 5 respondents" in view.themes.value
    assert "1 group" in view.message.value
    # Payroll has 6 per wave: shown; the whole survey split by wave 1 is 8 responses
    view.team_picker.value = "Payroll Services"
    view.wave_picker.value = "Wave 1"
    assert "fewer than 5" not in view.scores.value


def test_explorer_suppresses_a_selection_below_five(small_and_large: LoadedSurvey) -> None:
    rows = small_and_large.responses[small_and_large.responses["response_id"].isin(
        ["S0", "S1", "S2", "S3", "S4", "S5", "S6"])]
    view = SurveyExplorer(LoadedSurvey(rows, sample_questionnaire(), "t.csv", 0, 0))
    view.wave_picker.value = "Wave 2"  # S1, S3, S5: three responses
    assert "fewer than 5" in view.scores.value
    assert "fewer than 5" in view.chart.value
    assert "Recommend score: not shown (fewer than 5 answers)." in view.recommend.value


def test_large_type_redraws_the_chart() -> None:
    view = SurveyExplorer()
    view.large_type = True
    assert 'viewBox="0 0 1000' in view.chart.value


def test_technique_chooser() -> None:
    view = TechniqueChooser()
    assert "Tick one or more" in view.message.value
    view.boxes["questionnaire_intranet"].value = True
    assert "needs a computer" in view.table.value
    assert "Suggestion box, Questionnaire by post or on paper" in view.message.value
    view.scenario_picker.value = "why"
    assert "Why payroll scores fell" in view.table.value


def test_question_checker() -> None:
    view = QuestionChecker()
    view.check_button.click()
    assert "Type a question first." in view.message.value
    view.draft.value = "Was the IT desk quick and helpful?\nYes / No"
    view.check_button.click()
    assert "3 things to improve" in view.message.value
    assert "double-barrelled" in view.table.value
    view.draft.value = ("How satisfied were you with the time taken?\nVery dissatisfied / "
                        "Dissatisfied / Neither / Satisfied / Very satisfied / Not applicable")
    view.check_button.click()
    assert "No rule broken" in view.message.value


def test_own_survey_upload_loads_and_redacts(tmp_path) -> None:
    view = OwnSurvey()
    view.load_button.click()
    assert "Choose a file first." in view.message.value
    content = ("q_overall,comment,department,about_team\n" +
               "".join(f"Agree,Mail me at me{k}@example.org,Finance,Payroll\n"
                       for k in range(6))).encode()
    view.upload.value = ({"name": "mine.csv", "type": "text/csv", "size": len(content),
                          "content": memoryview(content), "last_modified": dt.datetime(2025, 10, 1)},)
    view.wave_box.value = 3
    view.load_button.click()
    assert "6 responses read from mine.csv." in view.message.value
    explorer = view.result.children[0]
    assert "@" not in explorer.quotes.value and "example.org" not in explorer.themes.value


def test_own_survey_shows_problems_in_words() -> None:
    view = OwnSurvey()
    content = b"q_overall\nSometimes\n"
    view.upload.value = ({"name": "bad.csv", "type": "text/csv", "size": len(content),
                          "content": memoryview(content), "last_modified": dt.datetime(2025, 10, 1)},)
    view.load_button.click()
    assert "Problem:" in view.message.value and "row 2" in view.message.value
    assert "Traceback" not in view.message.value


def _file(name: str, content: bytes) -> tuple[dict, ...]:
    return ({"name": name, "type": "", "size": len(content), "content": memoryview(content),
             "last_modified": dt.datetime(2025, 10, 1)},)


def test_own_survey_with_its_own_questionnaire() -> None:
    view = OwnSurvey()
    view.questionnaire_upload.value = _file("mine.yaml", (
        b"name: Canteen survey\nitems:\n"
        b"  - {id: food, wording: The food was good, scale: [1, 4], "
        b"labels: [Poor, Fair, Good, Very good]}\n"))
    view.upload.value = _file("canteen.csv", ("The food was good,department\n" +
                                              "Very good,Finance\n" * 5 +
                                              "poor,Finance\n").encode())
    view.load_button.click()
    assert "6 responses read from canteen.csv." in view.message.value
    explorer = view.result.children[0]
    # 5 of 6 answered Very good or Good (top two of Poor..Very good)
    assert "5 (83.3%)" in explorer.scores.value


def test_own_survey_names_a_bad_questionnaire() -> None:
    view = OwnSurvey()
    view.questionnaire_upload.value = _file("bad.yaml", b"items: []\n")
    view.upload.value = _file("x.csv", b"q_overall\nAgree\n")
    view.load_button.click()
    assert "Problem:" in view.message.value
    assert html.escape("bad.yaml: 'items' must be a list of at least one item") in \
        view.message.value
