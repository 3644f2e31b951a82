"""Practice that teaches: short answers matched on words (not substrings), words of the
question ignored, a model answer after the attempt; a first wrong "Check my answer" gives a
hint and a second try, the explanation comes after the second try or on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ilcs.assessment.marking import keyword_groups_found, mark, words_of
from ilcs.assessment.questions import check_bank, load_bank

ROOT = Path(__file__).resolve().parents[2]
BANK_DIR = ROOT / "datasets" / "questions"


@pytest.fixture(scope="module")
def bank() -> Any:
    return load_bank(BANK_DIR)


def _mark(bank: Any, qid: str, text: str) -> str:
    q = bank.get(qid)
    return mark(q, text, q.key).status


def test_words_not_substrings(bank: Any) -> None:
    # the example: "disagree" contains "agree" but is the opposite idea
    assert _mark(bank, "q3.1-value-short", "I disagree with this") == "incorrect"
    assert _mark(bank, "q3.1-value-short", "We agree clear expectations with them") \
        == "partly_correct"
    # a keyword is matched from the start of a word: "dissatisfied" is not "satisf..."
    q = bank.get("q3.1-value-short")
    assert sum(keyword_groups_found("They would be dissatisfied", q.key, q.prompt)) == 0
    assert sum(keyword_groups_found("They would be more satisfied", q.key, q.prompt)) == 1


def test_word_forms_and_small_misspellings_still_count(bank: Any) -> None:
    assert _mark(bank, "q3.2-effects-on-staff", "Productivity falls and people resign") \
        == "correct"
    assert _mark(bank, "q3.2-effects-on-staff", "Productivty falls and moral drops") \
        == "correct"
    assert _mark(bank, "q4.2-smart-letters",
                 "Specific, Measurable, Achievable, Realistic, Time-bound") == "correct"


def test_words_taken_from_the_question_do_not_count(bank: Any) -> None:
    q = bank.get("q1.1-in-your-words")
    assert {"internal", "customer", "team"} <= set(words_of(q.prompt))
    # repeating the question is not an answer ("internal" and "team" are keywords)
    assert _mark(bank, "q1.1-in-your-words", "An internal customer of my team.") \
        == "incorrect"
    assert _mark(bank, "q1.1-in-your-words",
                 "A colleague in another department who relies on my work.") == "correct"


def test_every_model_answer_is_marked_right_and_every_short_text_has_one(bank: Any) -> None:
    short = [q for q in bank.questions if q.type == "short_text" and q.is_practice]
    assert len(short) == 8
    for q in short:
        assert q.model_answer, q.id
        assert mark(q, q.model_answer, q.key).status == "correct", q.id


def _edit(tmp_path: Path, qid: str, change: Any) -> Path:
    import shutil

    folder = tmp_path / "questions"
    shutil.copytree(BANK_DIR, folder)
    for path in folder.glob("outcome-*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in data["questions"]:
            if q["id"] == qid:
                change(q)
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                encoding="utf-8")
                return folder
    raise AssertionError(qid)


def test_check_refuses_a_short_text_without_model_answer(tmp_path: Path) -> None:
    folder = _edit(tmp_path, "q5.1-examples", lambda q: q.pop("model_answer"))
    problems = [str(p) for p in check_bank(folder, coverage_rule=False)]
    assert any("q5.1-examples" in p and "needs a model_answer" in p for p in problems)


def test_check_refuses_a_keyword_group_the_question_already_gives(tmp_path: Path) -> None:
    folder = _edit(tmp_path, "q1.1-in-your-words",
                   lambda q: q["key"]["keywords"].append(["internal", "team"]))
    problems = [str(p) for p in check_bank(folder, coverage_rule=False)]
    assert any("uses only words of the question" in p for p in problems), problems


# ------------------------------------------------------------------ the two tries


def _view(bank: Any, store: Any, qid: str, candidate: str = "cand-1") -> Any:
    from ilcs.assessment.views.quiz import show_questions

    quiz = show_questions(ids=[qid], store=store, candidate=candidate, bank=bank)
    (view,) = quiz.views.values()  # an assessed item shows as the learner's parallel form
    return view


@pytest.fixture()
def store(tmp_path: Path) -> Any:
    from ilcs.assessment.store import AnswerStore

    s = AnswerStore.open(f"sqlite:///{tmp_path / 'a.sqlite'}")
    yield s
    s.close()


def test_first_wrong_check_gives_a_hint_and_a_second_try(bank: Any, store: Any) -> None:
    q = bank.get("q3.4-acknowledge-email")  # key b
    view = _view(bank, store, q.id)
    wrong = next(o for o in q.options if o.id != q.key)
    view.input.controls[0].value = wrong.id
    assert view.explain_button.layout.display == "none"
    view.save_button.click()
    text = view.feedback.value
    assert "✘ Not yet right" in text and "Have another go" in text
    assert f"Hint:</strong> {q.hint}".replace("'", "&#x27;") in text
    assert "Why:" not in text and wrong.feedback.split(".")[0] not in text
    assert view.explain_button.layout.display is None  # the explanation is on request
    view.save_button.click()  # second try, still wrong: now the explanation
    text = view.feedback.value
    assert "✘ Not yet right" in text and "Why:" in text
    assert view.explain_button.layout.display == "none"


def test_explanation_on_request_after_the_first_try(bank: Any, store: Any) -> None:
    q = bank.get("q5.2-why-act-soon")
    view = _view(bank, store, q.id)
    view.input.controls[0].value = "Because it is polite."
    view.save_button.click()
    assert "A model answer" not in view.feedback.value
    view.explain_button.click()
    text = view.feedback.value
    assert "A model answer:</strong> Because small problems left alone pile up" in text
    assert "Why:" in text


def test_right_first_time_gets_the_explanation_at_once(bank: Any, store: Any) -> None:
    q = bank.get("q4.2-smart-letters")
    view = _view(bank, store, q.id)
    view.input.controls[0].value = "specific measurable achievable realistic time-bound"
    view.save_button.click()
    text = view.feedback.value
    assert "✔ Correct" in text and "Why:" in text
    assert "Compare with a model answer" in text


def test_assessed_questions_still_get_no_feedback(bank: Any, store: Any) -> None:
    view = _view(bank, store, "q3.4-build-trust")
    assert view.explain_button is None
    view.input.controls[0].value = "a"
    view.save_button.click()
    assert view.feedback.value == ""
