"""Marking every question type."""

from __future__ import annotations

import pytest

from ilcs.assessment import data_tasks
from ilcs.assessment.marking import key_for, mark, parse_number
from ilcs.assessment.questions import Question, load_bank, load_keys


@pytest.fixture()
def bank(bank_dir):
    return load_bank(bank_dir)


def test_single_choice_with_option_feedback(bank):
    q = bank.get("t1.1-single")
    right = mark(q, "b", q.key)
    wrong = mark(q, "a", q.key)
    assert (right.status, right.score) == ("correct", 1.0)
    assert right.feedback == "Yes: they rely on your work."
    assert (wrong.status, wrong.score) == ("incorrect", 0.0)
    assert wrong.feedback == "That is an external customer."


def test_multiple_choice_partial_credit(bank):
    q = bank.get("t1.1-multi")
    assert mark(q, ["c", "a"], q.key).status == "correct"
    half = mark(q, ["a"], q.key)
    assert (half.status, half.score) == ("partly_correct", 0.5)
    assert mark(q, ["a", "b"], q.key).score == 0.0  # a right pick cancelled by a wrong one
    assert mark(q, "a", q.key).status == "incorrect"  # malformed response


@pytest.mark.parametrize(("response", "status"), [
    (82.5, "correct"), ("83", "correct"), ("82.0%", "correct"), (83.1, "incorrect"),
    ("eighty", "incorrect"), ("", "unanswered"), (None, "unanswered"),
])
def test_numeric_with_tolerance(bank, response, status):
    q = bank.get("t4.3-numeric")
    assert mark(q, response, q.key).status == status


def test_parse_number_accepts_common_forms():
    assert parse_number("1,250") == 1250.0
    assert parse_number("£30") == 30.0
    assert parse_number(" 12.5 % ") == 12.5
    assert parse_number("nan") is None
    assert parse_number("twelve") is None


def test_ordering_scores_items_in_place(bank):
    q = bank.get("t5.2-order")
    assert mark(q, ["x", "y", "z"], q.key).status == "correct"
    one = mark(q, ["x", "z", "y"], q.key)
    assert one.status == "partly_correct" and one.score == pytest.approx(1 / 3)
    assert mark(q, ["z", "x", "y"], q.key).status == "incorrect"


def test_matching(bank):
    q = bank.get("t6.2-match")
    assert mark(q, {"l1": "r1", "l2": "r2"}, q.key).status == "correct"
    half = mark(q, {"l1": "r1", "l2": "r3"}, q.key)
    assert half.score == 0.5 and half.feedback == "1 of 2 matched correctly."


@pytest.mark.parametrize(("text", "status"), [
    ("It sets EXPECTATIONS and builds trust.", "correct"),
    ("People know what to expect and we can monitor it", "correct"),
    ("It sets clear expectatons for everyone", "partly_correct"),  # a typo still counts
    ("No idea.", "incorrect"),
])
def test_short_text_keywords(bank, text, status):
    q = bank.get("t4.2-short")
    assert mark(q, text, q.key).status == status


def test_written_is_never_auto_marked(bank):
    practice = bank.get("t3.4-written-practice")
    assessed = bank.get("t3.4-written-assessed")
    assert mark(practice, "Some text", practice.rubric).status == "self_check"
    m = mark(assessed, "Some text")
    assert (m.status, m.score) == ("awaiting_assessor", None)


def test_assessed_marking_uses_the_assessor_key(bank, keys_dir):
    keys = load_keys(keys_dir, bank=bank)
    q = bank.get("t4.1-assessed-single")
    ak = keys.keys[q.id]
    m = mark(q, "b", key_for(q, ak), ak.feedback)
    assert m.status == "incorrect" and m.feedback == "Not measurable."
    assert key_for(q) is None  # without the assessor's files there is no key


def test_data_task_key_is_computed(tmp_path, monkeypatch):
    def rows_over(data_dir, threshold):
        values = [int(x) for x in (data_dir / "v.txt").read_text().split()]
        return sum(v > threshold for v in values)

    (tmp_path / "v.txt").write_text("1 5 9 12")
    monkeypatch.setitem(data_tasks.registry(), "rows-over", rows_over)
    q = Question(id="d1", criteria=("6.1",), mode="practice", type="data_task", prompt="?",
                 task="rows-over", params={"threshold": 4}, answer_type="numeric",
                 tolerance=0)
    key = key_for(q, data_dir=tmp_path)
    assert key == 3.0
    assert mark(q, "3", key).status == "correct"
    assert mark(q, 4, key).status == "incorrect"
