"""The quiz widget, driven from Python: set values, press the buttons, read the labels."""

from __future__ import annotations

import pytest

from ilcs.assessment import questions as questions_module
from ilcs.assessment.store import AnswerStore
from ilcs.assessment.views.quiz import show_questions
from ilcs.ui.view import View


@pytest.fixture()
def sqlite_store(tmp_path):
    s = AnswerStore.open(f"sqlite:///{tmp_path / 'answers.sqlite'}")
    yield s
    s.close()


def _quiz(bank_dir, store, **kw):
    return show_questions(bank_dir=bank_dir, store=store, candidate="cand-1", **kw)


def _all_text(widget) -> str:
    """Every label and HTML value in a widget tree (what a screen reader could read)."""
    parts = []
    for attr in ("value", "description", "options"):
        v = getattr(widget, attr, None)
        if isinstance(v, str):
            parts.append(v)
        elif isinstance(v, tuple):
            parts.extend(str(o) for o in v)
    for child in getattr(widget, "children", ()):
        parts.append(_all_text(child))
    return "\n".join(parts)


def test_practice_single_choice_saves_and_gives_feedback_in_words(bank_dir, sqlite_store):
    quiz = _quiz(bank_dir, sqlite_store, criterion="1.1")
    assert list(quiz.views) == ["t1.1-single", "t1.1-multi"]
    view = quiz.views["t1.1-single"]
    assert "Not saved yet" in view.status.value
    view.input.controls[0].value = "a"  # saved the moment it is chosen, no feedback yet
    assert "✔ Saved" in view.status.value
    assert view.feedback.value == ""
    assert [a.response for a in sqlite_store.answer_history("cand-1", "t1.1-single")] == ["a"]
    view.save_button.click()  # "Check my answer": a hint and a second try, no second copy
    assert "✘ Not yet right" in view.feedback.value
    assert "Have another go" in view.feedback.value and "Hint:" in view.feedback.value
    assert "That is an external customer." not in view.feedback.value  # not given away
    view.input.controls[0].value = "b"
    assert view.feedback.value == ""  # old feedback does not stay beside a new answer
    view.save_button.click()
    assert "✔ Correct" in view.feedback.value
    history = sqlite_store.answer_history("cand-1", "t1.1-single")
    assert [a.response for a in history] == ["a", "b"]
    assert {a.bank_version for a in history} == {"test.1"}
    assert {a.mode for a in history} == {"practice"}


def test_partial_composite_answers_save_only_when_complete(bank_dir, sqlite_store):
    view = _quiz(bank_dir, sqlite_store).views["t6.2-match"]
    view.input.controls[0].value = "r1"
    assert sqlite_store.count_answers() == 0
    view.input.controls[1].value = "r2"
    assert "✔ Saved" in view.status.value
    view.input.controls[1].value = None
    assert "is kept" in view.status.value
    history = sqlite_store.answer_history("cand-1", "t6.2-match")
    assert [a.response for a in history] == [{"l1": "r1", "l2": "r2"}]


def _tick(view, option_ids):
    """Tick the boxes of these options (the learner sees them shuffled, labelled A, B...)."""
    texts = {o.text: o.id for o in view.question.options}
    for box in view.input.controls:
        box.value = texts[box.description.split(") ", 1)[1]] in option_ids


def test_hint_is_shown_on_request(bank_dir, sqlite_store):
    view = _quiz(bank_dir, sqlite_store, ids=["t1.1-single"]).views["t1.1-single"]
    assert view.hint.value == ""
    view.hint_button.click()
    assert "Think about who you serve" in view.hint.value
    assert view.hint_button.description == "Hide hint"


def test_the_quiz_is_a_view_with_observable_state(bank_dir, sqlite_store):
    quiz = _quiz(bank_dir, sqlite_store, ids=["t1.1-single"])
    view = quiz.views["t1.1-single"]
    assert isinstance(quiz, View) and isinstance(view, View) and view in quiz.children
    seen = []
    view.observe(lambda change: seen.append(change["new"].response), "saved")
    view.input.controls[0].value = "b"
    assert seen == ["b"]  # the saved answer is state a script can watch
    view.hint_shown = True  # what the "Show hint" button does
    assert "Think about who you serve" in view.hint.value
    assert view.hint_button.description == "Hide hint"
    view.hint_shown = False
    assert view.hint.value == "" and view.hint_button.description == "Show hint"


def test_a_written_answer_shows_its_word_count(bank_dir, sqlite_store):
    qid = "t3.4-written-practice"
    view = _quiz(bank_dir, sqlite_store, ids=[qid]).views[qid]
    assert view.input.counter.value.startswith("<p>0 words")
    view.input.controls[0].value = "Trust makes work smoother."
    assert view.input.counter.value.startswith("<p>4 words")
    assert view.input.response() == "Trust makes work smoother."


def test_every_type_saves_the_documented_response(bank_dir, sqlite_store):
    quiz = _quiz(bank_dir, sqlite_store)
    v = quiz.views
    v["t1.1-single"].input.controls[0].value = "b"
    _tick(v["t1.1-multi"], ["a", "c"])
    v["t4.3-numeric"].input.controls[0].value = "82.7"
    order = v["t5.2-order"].input.controls
    for d, item in zip(order, ["x", "z", "y"]):
        d.value = item
    match = v["t6.2-match"].input.controls
    match[0].value, match[1].value = "r1", "r2"
    v["t4.2-short"].input.controls[0].value = "Sets expectations and builds trust"
    v["t3.4-written-practice"].input.controls[0].value = "Trust makes work smoother."
    v["t4.1-assessed-single"].input.controls[0].value = "b"
    v["t3.4-written-assessed"].input.controls[0].value = "A long story."
    for view in v.values():
        view.save_button.click()
        assert "✔ Saved" in view.status.value, view.question.id
    latest = {k: a.response for k, a in sqlite_store.latest_answers("cand-1").items()}
    assert latest["t1.1-multi"] == ["a", "c"]
    assert latest["t4.3-numeric"] == 82.7
    assert latest["t5.2-order"] == ["x", "z", "y"]
    assert latest["t6.2-match"] == {"l1": "r1", "l2": "r2"}
    assert latest["t3.4-written-assessed"] == "A long story."
    assert "✔ Correct" in v["t4.3-numeric"].feedback.value  # within the 0.5 tolerance
    assert "◐ Partly right" in v["t5.2-order"].feedback.value
    assert "trust" in v["t3.4-written-practice"].feedback.value  # rubric as a self-check
    assert "assessor will mark it" in v["t4.1-assessed-single"].status.value


def test_invalid_or_missing_answers_are_not_saved(bank_dir, sqlite_store):
    v = _quiz(bank_dir, sqlite_store).views
    v["t4.3-numeric"].input.controls[0].value = "lots"
    v["t4.3-numeric"].save_button.click()
    assert "✘ Not saved" in v["t4.3-numeric"].status.value
    assert "&#x27;lots&#x27; is not a number" in v["t4.3-numeric"].status.value
    order = v["t5.2-order"].input.controls
    order[0].value = "x"
    assert "Not saved yet: choose an item for every position" in v["t5.2-order"].status.value
    order[1].value = order[2].value = "x"
    assert "each item can be used only once" in v["t5.2-order"].status.value
    v["t5.2-order"].save_button.click()
    assert "✘ Not saved: each item can be used only once" in v["t5.2-order"].status.value
    v["t1.1-single"].save_button.click()
    assert "choose one option first" in v["t1.1-single"].status.value
    assert sqlite_store.count_answers() == 0


def test_answers_come_back_when_the_quiz_is_shown_again(bank_dir, sqlite_store):
    first = _quiz(bank_dir, sqlite_store).views
    first["t1.1-single"].input.controls[0].value = "b"
    first["t1.1-single"].save_button.click()
    first["t6.2-match"].input.controls[0].value = "r1"
    first["t6.2-match"].input.controls[1].value = "r3"
    first["t6.2-match"].save_button.click()
    again = _quiz(bank_dir, sqlite_store).views  # a re-run cell or a restarted kernel
    assert again["t1.1-single"].input.controls[0].value == "b"
    assert "✔ Saved" in again["t1.1-single"].status.value
    assert "your earlier answer" in again["t1.1-single"].status.value
    assert again["t1.1-single"].feedback.value == ""  # feedback only when asked again
    assert [d.value for d in again["t6.2-match"].input.controls] == ["r1", "r3"]
    assert "Not saved yet" in again["t1.1-multi"].status.value


def test_assessed_mode_never_reads_assessor_keys(bank_dir, sqlite_store, monkeypatch):
    def forbidden(*_a, **_k):
        raise AssertionError("the trainee's kernel read the assessor's keys")

    monkeypatch.setattr(questions_module, "load_keys", forbidden)
    monkeypatch.setattr(questions_module, "_parse_keys", forbidden)
    quiz = _quiz(bank_dir, sqlite_store, mode="assessed")
    assert set(quiz.views) == {"t4.1-assessed-single", "t3.4-written-assessed"}
    view = quiz.views["t4.1-assessed-single"]
    view.input.controls[0].value = "b"
    view.save_button.click()
    text = _all_text(quiz)
    assert "✔ Saved" in view.status.value
    assert view.feedback.value == ""
    assert view.hint_button is None
    for secret in ("Not measurable", "Specific and measurable", "names the customer",
                   "A real example with a result"):
        assert secret not in text
    assert all(q.key is None and q.rubric is None
               for q in questions_module.load_bank(bank_dir).select(mode="assessed"))


def test_every_input_is_labelled(bank_dir, sqlite_store):
    quiz = _quiz(bank_dir, sqlite_store)
    for view in quiz.views.values():
        for control in view.input.controls:
            assert control.description.strip(), (view.question.id, type(control).__name__)
        expected = "Check my answer" if view.question.mode == "practice" else "Save answer"
        assert view.save_button.description == expected, view.question.id


def test_problems_are_messages_not_tracebacks(bank_dir, sqlite_store, tmp_path):
    missing = show_questions(bank_dir=tmp_path / "nowhere", store=sqlite_store,
                             candidate="c")
    assert "Problem:" in missing.message.value and missing.views == {}
    assert list(missing.children) == [missing.message]  # the message alone, in words
    unknown = _quiz(bank_dir, sqlite_store, ids=["no-such-question"])
    assert "no-such-question" in unknown.message.value and unknown.views == {}
    empty = _quiz(bank_dir, sqlite_store, criterion="2.1")
    assert "no questions for criterion 2.1" in _all_text(empty)


def test_default_candidate_and_store_come_from_the_user_data_dir(bank_dir, ilcs_home):
    from ilcs.assessment.profile import load_profile
    from ilcs.assessment.store import AnswerStore

    quiz = show_questions(ids=["t1.1-single"], bank_dir=bank_dir)
    assert "profile is not filled in yet" in _all_text(quiz)
    view = quiz.views["t1.1-single"]
    view.input.controls[0].value = "b"
    view.save_button.click()
    profile = load_profile()
    assert profile is not None
    with AnswerStore.open() as s:
        assert s.latest_answers(profile.candidate_id)["t1.1-single"].response == "b"


def test_practice_data_task_is_marked_against_the_computed_figure(sqlite_store, tmp_path,
                                                                  monkeypatch):
    from ilcs.assessment import data_tasks
    from ilcs.assessment.questions import Bank, Question

    calls = []

    def share_met(data_dir, threshold):
        calls.append(threshold)
        return 62.5

    monkeypatch.setitem(data_tasks.registry(), "share-met", share_met)
    q = Question(id="d-share", criteria=("6.1",), mode="practice", type="data_task",
                 prompt="What share met the standard?", task="share-met",
                 params={"threshold": 4}, answer_type="numeric", unit="%", tolerance=0.1)
    bank = Bank(version="t", unit="A/601/2550", questions=(q,), directory=str(tmp_path))
    view = show_questions(bank=bank, store=sqlite_store, candidate="c").views["d-share"]
    assert view.input.controls[0].description == "Your answer (%):"
    view.input.controls[0].value = "60"
    view.save_button.click()
    assert "✘ Not yet right" in view.feedback.value
    view.input.controls[0].value = "62.5%"
    view.save_button.click()
    assert "✔ Correct" in view.feedback.value
    assert calls == [4]  # computed once, then remembered
    assert [a.response for a in sqlite_store.answer_history("c", "d-share")] == [60.0, 62.5]


def test_multiple_choice_feedback_is_given_for_each_option_ticked(bank_dir, sqlite_store):
    view = _quiz(bank_dir, sqlite_store, ids=["t1.1-multi"]).views["t1.1-multi"]
    _tick(view, ["a", "b"])  # a) Payroll team, b) A supplier
    view.save_button.click()  # first try: a hint only
    assert "Payroll team" not in view.feedback.value
    view.save_button.click()  # second try with the same answer: the feedback
    text = view.feedback.value
    assert "✘ Not yet right" in text  # one right, one wrong: no credit
    assert "<strong>Payroll team</strong>: Yes: they use your work." in text
    assert "<strong>A supplier</strong>: No: a supplier is outside the organisation." in text
    assert "Your line manager" not in text
