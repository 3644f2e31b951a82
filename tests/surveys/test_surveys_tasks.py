"""The surveys data tasks, checked against a slow recomputation from the raw sample CSV
(plain csv module and counting, no pandas, none of the engine)."""

from __future__ import annotations

import csv

import pytest

from ilcs.assessment.data_tasks import registry
from ilcs.errors import DataError
from ilcs.paths import sample_dir
from ilcs.surveys import tasks


def _rows(name: str) -> list[dict[str, str]]:
    with open(sample_dir() / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_tasks_are_registered() -> None:
    assert {"survey_top_two_box", "survey_response_rate", "survey_biggest_fall"} <= set(
        registry())


def test_top_two_box_by_counting() -> None:
    rows = [r for r in _rows("survey_responses.csv")
            if r["wave"] == "2" and r["about_team"] == "Payroll Services" and r["q_overall"]]
    agree = sum(r["q_overall"] in ("4", "5") for r in rows)
    expected = 100 * agree / len(rows)
    assert tasks.task_top_two_box(sample_dir(), "q_overall", 2, "Payroll Services") == \
        pytest.approx(expected)


def test_recommend_score_by_counting() -> None:
    rows = [int(r["recommend"]) for r in _rows("survey_responses.csv")
            if r["wave"] == "1" and r["about_team"] == "IT Service Desk" and r["recommend"]]
    expected = 100 * (sum(v >= 9 for v in rows) - sum(v <= 6 for v in rows)) / len(rows)
    assert tasks.task_recommend_score(sample_dir(), 1, "IT Service Desk") == \
        pytest.approx(expected)


def test_response_rate_by_counting() -> None:
    answered = sum(r["wave"] == "1" and r["department"] == "Operations"
                   for r in _rows("survey_responses.csv"))
    invited = next(int(r["invited"]) for r in _rows("survey_invitations.csv")
                   if r["wave"] == "1" and r["department"] == "Operations")
    assert tasks.task_response_rate(sample_dir(), "Operations", 1) == \
        pytest.approx(100 * answered / invited)


def test_biggest_fall_by_counting() -> None:
    rows = _rows("survey_responses.csv")

    def top2(team: str, wave: str) -> float:
        given = [r for r in rows if r["about_team"] == team and r["wave"] == wave
                 and r["q_overall"]]
        return sum(r["q_overall"] in ("4", "5") for r in given) / len(given)

    choices = {"a": "HR Advisory", "b": "Payroll Services", "c": "Purchasing",
               "d": "IT Service Desk"}
    change = {k: top2(t, "2") - top2(t, "1") for k, t in choices.items()}
    assert tasks.task_biggest_fall(sample_dir(), "q_overall", choices) == min(
        change, key=change.__getitem__)


def test_an_unknown_team_is_a_clear_error() -> None:
    with pytest.raises(DataError, match="no responses about team 'Canteen'"):
        tasks.task_top_two_box(sample_dir(), "q_overall", 1, "Canteen")


def test_the_second_wave_tells_the_story_the_data_dictionary_documents() -> None:
    """datasets/README.md: Payroll falls (probably real), IT Service Desk and Facilities
    Helpdesk rise (probably real), HR Advisory slips (may be chance)."""
    from ilcs.surveys import evaluate as ev
    from ilcs.surveys.responses import load_sample_survey

    loaded = load_sample_survey()
    table = ev.wave_changes(loaded.responses, loaded.questionnaire, "q_overall")
    rows = table.set_index("group")
    assert table["group"].iloc[1] == "Payroll Services"  # the largest fall, listed first
    assert rows.loc["Payroll Services", "change"] < -15 and rows.loc["Payroll Services", "p"] < 0.05
    for team in ("IT Service Desk", "Facilities Helpdesk"):
        assert rows.loc[team, "change"] > 5 and rows.loc[team, "p"] < 0.05
    assert rows.loc["HR Advisory", "change"] < 0 and rows.loc["HR Advisory", "p"] > 0.05
