import math

import pandas as pd
import pytest

from ilcs.assessment.item_stats import flag_items, item_statistics


def answers():
    # candidate: (q1, q2, q3) right? totals A=3 B=2 C=1 D=1
    rows = [
        ("A", "q1", "correct", "a"), ("A", "q2", "correct", "x"), ("A", "q3", "correct", "1"),
        ("B", "q1", "correct", "a"), ("B", "q2", "incorrect", "y"), ("B", "q3", "correct", "1"),
        ("C", "q1", "incorrect", "b"), ("C", "q2", "incorrect", "y"),
        ("C", "q3", "correct", "1"),
        ("D", "q1", "partly_correct", ["a", "c"]), ("D", "q2", "correct", "x"),
        ("D", "q3", "incorrect", "2"),
        ("D", "q4", "awaiting_assessor", "long text"),
    ]
    return pd.DataFrame(rows, columns=["candidate_id", "question_id", "status", "response"])


def test_facility_discrimination_and_wrong_answers_by_hand():
    stats = item_statistics(answers()).set_index("question_id")
    assert list(stats.index) == ["q1", "q2", "q3"]  # the written answer is left out
    assert stats.loc["q1", "facility"] == 0.5
    assert stats.loc["q3", "facility"] == 0.75
    # q1 item [1,1,0,0], rest [2,1,1,1]: cov 0.5, ss 1 and 0.75 -> 0.5/sqrt(0.75)
    assert stats.loc["q1", "discrimination"] == pytest.approx(1 / math.sqrt(3))
    # q2 item [1,0,0,1], rest [2,2,1,0]: dev item ±.5, rest dev [.75,.75,-.25,-1.25]
    # cov = .375-.375+.125-.625 = -.5; ss rest = .5625*2+.0625+1.5625 = 2.75
    assert stats.loc["q2", "discrimination"] == pytest.approx(-0.5 / math.sqrt(2.75))
    assert stats.loc["q1", "common_wrong"] == "a,c ×1; b ×1"
    assert stats.loc["q2", "common_wrong"] == "y ×2"
    assert stats.loc["q3", "answered"] == 4


def test_flags_in_words():
    stats = flag_items(item_statistics(answers())).set_index("question_id")
    assert "does not separate" in stats.loc["q2", "note"]
    assert stats.loc["q1", "note"] == ""


def test_no_marked_answers():
    empty = answers().iloc[0:0]
    assert item_statistics(empty).empty
