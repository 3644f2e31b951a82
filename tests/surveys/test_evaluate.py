"""The evaluation engine against a 10-response worked example checked by hand.

tests/surveys/fixtures/worked_example.csv (one wave, 10 responses):

    overall: 5 4 4 3 5 2 4 1 4 3      recommend: 10 9 9 8 7 6 5 10 3 8
    effort (1 very easy .. 7 very difficult): 1 2 2 3 4 5 6 2 3 7
    q1: 4 5 3 2 4 5 3 4 2 3   q2: 4 4 3 2 5 5 2 4 3 3   q3: 5 5 2 1 4 4 3 4 2 3

Every expected figure below is worked out by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.surveys import evaluate as ev
from ilcs.surveys.questionnaire import questionnaire_from_dict
from ilcs.surveys.responses import load_responses

HERE = Path(__file__).parent
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
EASY = ["Very easy", "Easy", "Fairly easy", "Neither easy nor difficult", "Fairly difficult",
        "Difficult", "Very difficult"]
DEFINITION = {
    "name": "Worked example",
    "items": [
        {"id": "q1", "wording": "Answered in good time", "scale": [1, 5], "labels": AGREE},
        {"id": "q2", "wording": "Kept me informed", "scale": [1, 5], "labels": AGREE},
        {"id": "q3", "wording": "Got it right", "scale": [1, 5], "labels": AGREE},
        {"id": "overall", "wording": "Overall satisfied", "scale": [1, 5], "labels": AGREE},
        {"id": "recommend", "wording": "Recommend", "scale": [0, 10], "kind": "recommend"},
        {"id": "effort", "wording": "Easy to get help", "scale": [1, 7], "labels": EASY,
         "reverse": True, "kind": "effort"},
    ],
    "scales": {"service": ["q1", "q2", "q3"]},
}
Q = questionnaire_from_dict(DEFINITION, file="test")


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    return load_responses(HERE / "fixtures" / "worked_example.csv", Q).responses


def test_distribution_counts_every_answer(responses: pd.DataFrame) -> None:
    table = ev.distribution(responses, Q.item("overall"))
    # overall 5 4 4 3 5 2 4 1 4 3: one 1, one 2, two 3s, four 4s, two 5s
    assert table["answer"].tolist() == AGREE
    assert table["count"].tolist() == [1, 1, 2, 4, 2]
    assert table["pct"].tolist() == [10.0, 10.0, 20.0, 40.0, 20.0]


def test_item_figures_of_the_overall_item(responses: pd.DataFrame) -> None:
    row = ev.item_summary(responses, Q, items=["overall"]).iloc[0]
    # sorted 1 2 3 3 4 4 4 4 5 5: the middle two are 4 and 4, median 4 = Agree
    assert row["median"] == 4 and row["median_answer"] == "Agree"
    # top two (4, 5): 4 + 2 = 6 of 10 = 60%; bottom two (1, 2): 2 of 10 = 20%; net 40
    assert (row["top2"], row["top2_pct"]) == (6, 60.0)
    assert row["bottom2_pct"] == 20.0 and row["net"] == 40.0
    # Wilson 6/10, z = 1.959964: centre = (0.6 + z^2/20) / (1 + z^2/10) = 0.79207 / 1.38415
    # = 0.57225; half = z / 1.38415 x sqrt(0.024 + z^2/400) = 1.41601 x 0.18331 = 0.25957
    assert row["top2_low"] == pytest.approx(31.27, abs=0.01)
    assert row["top2_high"] == pytest.approx(83.18, abs=0.01)
    assert "mean" not in " ".join(ev.item_summary(responses, Q).columns)


def test_median_between_two_answers_is_said_in_words() -> None:
    item = Q.item("overall")
    # 3 3 4 4: middle values 3 and 4
    assert ev.median_answer(np.array([3, 3, 4, 4]), item) == (
        3.5, "between Neither agree nor disagree and Agree")


def test_recommend_score_and_interval(responses: pd.DataFrame) -> None:
    table = ev.recommend_table(responses, Q)
    row = table.iloc[0]
    # 10 9 9 8 7 6 5 10 3 8: promoters (9-10) 4, passives (7-8) 3, detractors (0-6) 3
    assert (row["promoters"], row["passives"], row["detractors"]) == (4, 3, 3)
    # score = 40% - 30% = +10
    assert row["score"] == pytest.approx(10.0)
    # variance = 0.4 + 0.3 - 0.1^2 = 0.69; se = sqrt(0.069) = 0.262679;
    # half-width = 1.959964 x 0.262679 x 100 = 51.48
    assert row["low"] == pytest.approx(10 - 51.48, abs=0.01)
    assert row["high"] == pytest.approx(10 + 51.48, abs=0.01)


def test_effort_score(responses: pd.DataFrame) -> None:
    row = ev.effort_table(responses, Q).iloc[0]
    # 1 2 2 3 4 5 6 2 3 7: easy (1-3) six, middle (4) one, difficult (5-7) three
    assert (row["easy"], row["difficult"]) == (6, 3)
    assert row["net_easy"] == pytest.approx(30.0)
    # sorted 1 2 2 2 3 3 4 5 6 7: middle two 3 and 3 = Fairly easy
    assert row["median_answer"] == "Fairly easy"


def test_effort_top_two_box_counts_the_easy_end(responses: pd.DataFrame) -> None:
    row = ev.item_summary(responses, Q, items=["effort"]).iloc[0]
    # reverse-coded: the favourable two are 1 (very easy) and 2 (easy): 1, 2, 2, 2 = 4 of 10
    assert row["top2"] == 4
    # the unfavourable two are 7 and 6: 6, 7 = 2 of 10
    assert row["bottom2"] == 2


def test_cronbach_alpha_of_the_scale(responses: pd.DataFrame) -> None:
    table = ev.scale_reliability(responses, Q)
    # q1 sum 35, squared deviations 10.5; q2 sum 35, 10.5; q3 sum 33 (mean 3.3), 16.1
    # totals 13 14 8 5 13 14 8 12 7 9 (mean 10.3), squared deviations 96.1
    # alpha = 3/2 x (1 - (10.5 + 10.5 + 16.1) / 96.1) = 1.5 x 59 / 96.1 = 0.92092
    assert table["alpha"].iloc[0] == pytest.approx(0.92092, abs=1e-5)
    assert table["n"].iloc[0] == 10
    assert table["reading"].iloc[0].startswith("very high")


def test_alpha_turns_reverse_coded_items_round() -> None:
    definition = {**DEFINITION, "items": [
        *DEFINITION["items"][:2],
        {"id": "q3", "wording": "Got it wrong", "scale": [1, 5], "labels": AGREE,
         "reverse": True},
        *DEFINITION["items"][3:]]}
    q = questionnaire_from_dict(definition)
    table = pd.DataFrame({"q1": [4, 5, 3, 2, 4, 5, 3, 4, 2, 3],
                          "q2": [4, 4, 3, 2, 5, 5, 2, 4, 3, 3],
                          "q3": [6 - v for v in [5, 5, 2, 1, 4, 4, 3, 4, 2, 3]]},
                         dtype="Int64")
    alpha, _ = ev.cronbach_alpha(table, [q.item("q1"), q.item("q2"), q.item("q3")])
    assert alpha == pytest.approx(0.92092, abs=1e-5)  # the same answers, written reversed


def test_mann_whitney_small_example() -> None:
    # a = 1 2 3, b = 2 3 4 5; ranks: 1->1, 2s->2.5, 3s->4.5, 4->6, 5->7; R_b = 20;
    # U_b = 20 - 4 x 5 / 2 = 10; superiority = 10 / 12
    u, p, sup = ev.mann_whitney(np.array([1, 2, 3]), np.array([2, 3, 4, 5]))
    assert u == 10 and sup == pytest.approx(10 / 12)
    # ties: two pairs -> sum(t^3 - t) = 12; sigma^2 = 12/12 x (8 - 12/42) = 7.714286;
    # z = (|10 - 6| - 0.5) / 2.777460 = 1.26014; p = 2 x (1 - Phi(1.26014)) = 0.2076
    assert p == pytest.approx(0.2076, abs=0.001)


def test_two_proportion_test() -> None:
    # 30/50 against 40/50: pooled 0.7, se = sqrt(0.21 x 0.04) = 0.091652, z = 2.18218,
    # p = 2 x 0.014548 = 0.0291
    assert ev.two_proportion_test(30, 50, 40, 50) == pytest.approx(0.0291, abs=0.0002)


def test_response_rates_and_mix() -> None:
    responses = pd.DataFrame({"wave": [1] * 30, "department": ["A"] * 10 + ["B"] * 20})
    invitations = pd.DataFrame({"wave": [1, 1], "department": ["A", "B"], "invited": [20, 80]})
    table = ev.response_rates(responses, invitations, wave=1).set_index("department")
    # A: 10 of 20 = 50%; B: 20 of 80 = 25%
    assert table.loc["A", "rate_pct"] == 50.0 and table.loc["B", "rate_pct"] == 25.0
    # A is 20% of those invited but 10/30 = 33.3% of responses: +13.3 points
    assert table.loc["A", "gap"] == pytest.approx(13.333, abs=0.001)
    assert table.loc["A", "mix"] == "over-represented"
    assert table.loc["B", "mix"] == "under-represented"


def test_response_rates_refuse_departments_never_invited() -> None:
    responses = pd.DataFrame({"wave": [1] * 5, "department": ["Z"] * 5})
    invitations = pd.DataFrame({"wave": [1], "department": ["A"], "invited": [20]})
    with pytest.raises(DataError, match="departments with no invitations: Z"):
        ev.response_rates(responses, invitations)


def test_wave_change_in_words() -> None:
    item = Q.item("overall")
    responses = pd.DataFrame({"wave": [1] * 10 + [2] * 10,
                              "overall": [5, 5, 5, 4, 4, 4, 4, 3, 3, 2] +
                                         [3, 3, 2, 2, 4, 3, 2, 1, 3, 4]}, dtype="Int64")
    change = ev.wave_change(responses, item, 1, 2, "Payroll")
    # top two: wave 1 has 7 of 10 (70%), wave 2 has 2 of 10 (20%): -50 points
    assert (change.top2_a, change.top2_b, change.change) == (70.0, 20.0, -50.0)
    assert change.effect < 0
    words = change.words()
    assert words.startswith('Payroll: agreement with "Overall satisfied" (top two answers) '
                            "fell from 70% (of 10) to 20% (of 10), -50 points.")
    assert "probably a real change" in words


def test_wave_change_says_when_groups_are_too_small() -> None:
    responses = pd.DataFrame({"wave": [1, 1, 2, 2], "overall": [5, 4, 1, 2]}, dtype="Int64")
    change = ev.wave_change(responses, Q.item("overall"), 1, 2, "Tiny team")
    assert change.words() == "Tiny team: too few answers to compare (fewer than 5)."
