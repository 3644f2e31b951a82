"""Comment themes from the editable lexicon; feedback techniques; the questionnaire checker."""

from __future__ import annotations

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.surveys import techniques as tq
from ilcs.surveys.questionnaire import sample_questionnaire
from ilcs.surveys.themes import OTHER, Lexicon, lexicon_from_dict, load_lexicon, theme_counts

LEXICON = Lexicon({"Speed": ("slow*", "wait*", "same day"), "Staff": ("helpful", "rude")})


def test_a_comment_belongs_to_every_theme_whose_words_it_contains() -> None:
    assert LEXICON.themes_of("Helpful, but I had to WAIT ages.") == ["Speed", "Staff"]
    assert LEXICON.themes_of("Unhelpful reply") == []  # whole words only
    assert LEXICON.matched_words("Slower than waiting for a bus") == {
        "Speed": ["slower", "waiting"]}


def test_theme_counts_by_team() -> None:
    responses = pd.DataFrame({
        "response_id": [f"R{i}" for i in range(10)], "wave": [1] * 10,
        "department": ["X"] * 10, "about_team": ["A"] * 5 + ["B"] * 5,
        "comment": ["slow", "rude and slow", None, "fine", "done same day",
                    "helpful", "helpful", "waited", "", "ok"]})
    counts = theme_counts(responses, LEXICON).set_index("theme")
    # A: Speed = slow, rude and slow, same day = 3; Staff = rude = 1; Other = fine = 1
    assert counts.loc["Speed", "A"] == 3 and counts.loc["Staff", "A"] == 1
    assert counts.loc[OTHER, "A"] == 1
    # B: Speed = waited = 1; Staff = helpful x2 = 2; Other = ok = 1
    assert counts.loc["Speed", "B"] == 1 and counts.loc["Staff", "B"] == 2
    assert counts.loc["Speed", "total"] == 4


def test_the_sample_lexicon_themes_every_sample_comment() -> None:
    from ilcs.surveys.responses import load_sample_survey
    from ilcs.surveys.themes import themed_comments

    themed = themed_comments(load_sample_survey().responses, load_lexicon())
    assert (themed["theme"] != OTHER).all()


def test_a_broken_lexicon_is_refused() -> None:
    with pytest.raises(DataError, match="theme 'Speed' needs a list of words"):
        lexicon_from_dict({"themes": {"Speed": "slow"}}, file="themes.yaml")


def test_every_technique_is_rated_on_every_point() -> None:
    table = tq.techniques_table()
    assert len(table) == 8 and not table.isna().any().any()
    for t in tq.TECHNIQUES:
        assert t.anonymity in ("yes", "partly", "no")
        assert {t.cost, t.speed, t.depth, t.burden} <= set(tq.LEVELS)


def test_scenario_trade_offs() -> None:
    warehouse = tq.scenario("warehouse")
    table = tq.assess_choice(warehouse, ["suggestion_box", "questionnaire_intranet"])
    box, intranet = table.iloc[0], table.iloc[1]
    assert box["fit"] == "good fit"
    # the intranet survey is anonymous and of medium burden, but needs a computer
    assert intranet["fit"] == "falls short on 1 need"
    assert intranet["falls_short"] == "needs a computer"
    assert tq.best_fits(warehouse) == ["suggestion_box", "questionnaire_paper"]
    assert tq.best_fits(tq.scenario("why")) == ["questionnaire_phone", "complaints",
                                                "focus_group"]


@pytest.mark.parametrize("wording, rules", [
    ("Were staff helpful and courteous?", ["double-barrelled"]),
    ("Don't you agree that our excellent team answers quickly?", ["leading"]),
    ("Why do you still have to chase the IT desk?", ["loaded"]),
    ("How satisfied were you with the time taken to answer?", []),
])
def test_checker_rules_on_the_wording(wording: str, rules: list[str]) -> None:
    assert [f.rule for f in tq.check_question(wording)] == rules


def test_checker_rules_on_the_answer_options() -> None:
    flags = tq.check_question("How would you rate the service?",
                              ["Excellent", "Very good", "Good", "Poor"])
    assert [f.rule for f in flags] == ["unbalanced scale", "no neutral option",
                                       "no not-applicable option"]
    assert flags[0].message.startswith("3 positive and 1 negative answer options")
    balanced = tq.check_question("The team kept me informed",
                                 ["Strongly disagree", "Disagree", "Neither agree nor disagree",
                                  "Agree", "Strongly agree", "Not applicable"])
    assert balanced == []


def test_checker_finds_the_double_barrelled_item_of_the_sample_survey() -> None:
    flagged = {i.id: [f.rule for f in tq.check_question(i.wording, i.labels)]
               for i in sample_questionnaire().items}
    assert flagged["q_helpful"][0] == "double-barrelled"
    assert "no not-applicable option" in flagged["q_timely"]


def test_check_draft_reads_the_question_and_its_options() -> None:
    table = tq.check_draft("Was the advice clear and quick?\nYes / No\n")
    assert table["rule"].tolist() == ["double-barrelled", "no neutral option",
                                      "no not-applicable option"]
    assert tq.check_draft("   ").empty



def test_unknown_technique_and_scenario_are_named() -> None:
    from ilcs.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no feedback technique called 'carrier pigeon'"):
        tq.technique("carrier pigeon")
    with pytest.raises(NotFoundError, match="no scenario called 'x'"):
        tq.scenario("x")
