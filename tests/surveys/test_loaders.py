"""Every export shape loads from its fixture onto the canonical responses, with no hand
editing; answer words map to codes; bad answers are named with response id, row, column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.io import load_sample
from ilcs.surveys.questionnaire import (
    load_questionnaire,
    questionnaire_from_dict,
    sample_questionnaire,
)
from ilcs.surveys.responses import load_responses, load_sample_survey

FIXTURES = Path(__file__).parent / "fixtures"
ITEMS = ["q_timely", "q_helpful", "q_informed", "q_quality", "q_overall", "recommend", "effort"]
DEPARTMENT = {"Which department do you work in?": "department"}


@pytest.fixture(scope="module")
def org_chart() -> pd.DataFrame:
    return load_sample("org_chart")


def _answers(frame: pd.DataFrame) -> list[list[object]]:
    return [[None if pd.isna(v) else int(v) for v in row]
            for row in frame[ITEMS].itertuples(index=False)]


def test_google_forms_csv(org_chart: pd.DataFrame) -> None:
    loaded = load_responses(FIXTURES / "google_forms.csv", fmt="google-forms", wave=2,
                            team="IT Service Desk", mapping=DEPARTMENT, org_chart=org_chart)
    r = loaded.responses
    # 5 data rows, one of them blank: 4 responses, 1 skipped and counted
    assert len(r) == 4 and loaded.blank_rows == 1
    # UK timestamps, day first: 13/10/2025 is 13 October
    assert r["submitted_at"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == [
        "2025-10-03 09:02:11", "2025-10-03 10:15:40", "2025-10-13 14:30:05",
        "2025-10-14 16:45:00"]
    # "Strongly agree"=5, "  strongly AGREE "=5, Agree=4, Neither=3, Disagree=2, N/A and
    # "Not applicable" missing; Very easy=1, Easy=2, Difficult=6, Fairly easy=3
    assert _answers(r) == [[5, 4, 4, 4, 5, 9, 1], [5, 4, 3, 4, 4, 8, 2],
                           [2, None, 2, None, 2, 4, 6], [3, 4, 2, 4, 3, 7, 3]]
    assert r["department"].tolist() == ["Finance", "Finance", "HR", "HR"]
    assert set(r["about_team"]) == {"IT Service Desk"} and set(r["wave"]) == {2}
    # response ids from the spreadsheet rows (the blank line is row 4)
    assert r["response_id"].tolist() == ["google_forms-2", "google_forms-3", "google_forms-5",
                                         "google_forms-6"]
    assert "Email address" not in r.columns and "email" not in " ".join(r.columns).lower()


def test_microsoft_forms_xlsx(org_chart: pd.DataFrame) -> None:
    loaded = load_responses(FIXTURES / "ms_forms.xlsx", fmt="ms-forms", wave=2,
                            team="HR Advisory", department="Finance", org_chart=org_chart)
    r = loaded.responses
    assert len(r) == 3 and loaded.blank_rows == 1
    assert r["response_id"].tolist() == ["1", "2", "3"]
    # Excel date-times, the completion time is the time submitted
    assert r["submitted_at"].dt.strftime("%d/%m/%Y %H:%M:%S").tolist() == [
        "07/10/2025 09:04:30", "07/10/2025 11:02:45", "08/10/2025 15:33:00"]
    assert _answers(r) == [[4, 5, 4, 4, 4, 9, 2], [2, 3, 1, 2, 2, 3, 6],
                           [5, 5, 4, 5, 5, 10, 1]]
    assert set(r["department"]) == {"Finance"}


def test_surveymonkey_csv_with_two_header_rows(org_chart: pd.DataFrame) -> None:
    loaded = load_responses(FIXTURES / "surveymonkey.csv", fmt="surveymonkey", wave=2,
                            team="IT Service Desk", mapping=DEPARTMENT, org_chart=org_chart)
    r = loaded.responses
    assert r["response_id"].tolist() == ["114227308401", "114227308402", "114227308403"]
    # US dates, month first with AM/PM: 10/13/2025 01:14:30 PM is 13 October, 13:14
    assert r["submitted_at"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2025-10-13 09:02", "2025-10-13 13:14", "2025-10-14 10:03"]
    assert _answers(r) == [[4, 5, 4, 4, 4, 10, 1], [1, 2, 1, 2, 1, 2, 7],
                           [3, 4, None, 4, 4, 7, 3]]
    assert r["department"].tolist() == ["IT", "Operations", "IT"]


def test_generic_csv_with_the_wave_for_the_whole_file() -> None:
    loaded = load_responses(FIXTURES / "generic.csv", wave=1)
    assert loaded.responses["response_id"].tolist() == ["G-1", "G-2", "G-3"]
    assert set(loaded.responses["wave"]) == {1} and loaded.blank_rows == 1
    assert loaded.notes()[:2] == ["3 responses read from generic.csv.",
                                  "1 blank rows skipped (no answer and no comment)."]


def test_the_sample_survey_loads_through_the_same_loader() -> None:
    loaded = load_sample_survey()
    assert len(loaded.responses) == 820  # 407 + 413 (datasets/README.md)
    assert loaded.responses.groupby("wave").size().tolist() == [407, 413]


def test_bad_answers_are_named_with_response_row_and_column() -> None:
    with pytest.raises(DataError) as caught:
        load_responses(FIXTURES / "out_of_range.csv")
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        "out_of_range.csv, row 2, column 'q_timely': response B-1: 6 is out of range for "
        "q_timely (must be 1-5)",
        "out_of_range.csv, row 3, column 'q_helpful': response B-2: 'Sometimes' is not an "
        "answer to q_helpful (expected one of: Strongly disagree, Disagree, Neither agree nor "
        "disagree, Agree, Strongly agree, or a code 1-5, or N/A)",
        "out_of_range.csv, row 4, column 'q_overall': response B-3: '4.5' is not a whole "
        "number (the q_overall scale is 1-5)",
        "out_of_range.csv, row 3, column 'recommend': response B-2: 11 is out of range for "
        "recommend (must be 0-10)",
    ]


def test_a_file_without_a_wave_asks_for_one() -> None:
    with pytest.raises(DataError, match="give the wave for the whole file"):
        load_responses(FIXTURES / "generic.csv")


def test_a_file_that_matches_no_question(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,score\nA,3\n", encoding="utf-8")
    with pytest.raises(DataError, match="no column matches a question"):
        load_responses(path, wave=1)


def test_answer_words_with_a_leading_code(tmp_path: Path) -> None:
    path = tmp_path / "coded.csv"
    path.write_text("q_overall,effort\n5 - Strongly agree,2 - Easy\n Agree ,DON'T KNOW\n",
                    encoding="utf-8")
    loaded = load_responses(path, wave=1)
    r = loaded.responses
    assert r["q_overall"].tolist() == [5, 4]
    assert loaded.notes()[1] == ("Not in the file (left blank): q_timely, q_helpful, "
                                 "q_informed, q_quality, recommend.")
    assert r["q_timely"].isna().all()
    assert r["effort"].iloc[0] == 2 and pd.isna(r["effort"].iloc[1])


def test_sample_questionnaire_definition() -> None:
    q = sample_questionnaire()
    assert q.ids == ITEMS
    assert q.item("effort").reverse and q.item("recommend").kind == "recommend"
    assert q.scales == {"service": ("q_timely", "q_helpful", "q_informed", "q_quality")}


def test_questionnaire_problems_are_all_listed() -> None:
    with pytest.raises(DataError) as caught:
        questionnaire_from_dict({"items": [
            {"id": "a", "scale": [5, 1]},
            {"id": "b", "scale": [1, 5], "labels": ["Yes", "No"]},
            {"id": "c", "scale": [1, 5], "kind": "recommend"},
            {"id": "d", "scale": [1, 5]}], "scales": {"s": ["d", "zz"]}}, file="q.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "q.yaml: item 'a': scale must be [low, high], two whole numbers with low below high "
        "(e.g. [1, 5])",
        "q.yaml: item 'b': 2 answer words for a 1-5 scale (need 5)",
        "q.yaml: item 'c': a recommend question is scored 0-10",
        "q.yaml: scale 's' names items that do not exist: zz",
    ]


def test_questionnaire_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        load_questionnaire(tmp_path / "missing.yaml")


def test_surveymonkey_without_its_second_header_row(tmp_path: Path) -> None:
    path = tmp_path / "monkey.csv"
    path.write_text("Respondent ID,The outcome met my needs\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_responses(path, fmt="surveymonkey", wave=1)
    assert str(caught.value.problems[0]) == (
        "monkey.csv, row 2: the second header row (Response / the statements) is missing: is "
        "this SurveyMonkey's expanded CSV export?")


def test_two_columns_for_one_question_are_named(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("q_overall,\"Overall, I am satisfied with the service\"\n4,5\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match="two columns both give 'q_overall': 'q_overall' and "
                                        "'Overall, I am satisfied with the service'"):
        load_responses(path, wave=1)


def test_unknown_export_format_is_named() -> None:
    with pytest.raises(DataError, match="unknown survey export format 'typeform': use one of "
                                        "generic, google-forms, ms-forms, surveymonkey"):
        load_responses(FIXTURES / "generic.csv", fmt="typeform", wave=1)


def test_a_wave_given_for_the_file_replaces_its_wave_column(tmp_path: Path) -> None:
    path = tmp_path / "waves.csv"
    path.write_text("wave,q_overall,department\n1,Agree,HR\n3,Disagree,HR\n", encoding="utf-8")
    assert load_responses(path).responses["wave"].tolist() == [1, 3]
    assert load_responses(path, wave=2, department="IT").responses[
        ["wave", "department"]].values.tolist() == [[2, "IT"], [2, "IT"]]
