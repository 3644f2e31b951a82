"""The quiz: one call shows the questions for a criterion (or a list of ids).

    show_questions("4.2")                     # every question for criterion 4.2
    show_questions(ids=["q4.2-..."], mode="practice")

- Each complete answer is saved to the answer store the moment it is given (a choice
  when it is made, typed text when the trainee presses Enter or leaves the box), with a
  visible "✔ Saved" line; answers come back when the notebook is re-opened or re-run.
- Practice: "Check my answer" says at once whether the answer is right (words and a
  symbol, never colour alone). A first try that is not right gets a hint and a second try;
  after the second try (or on request, "Show the answer and explanation") come the
  feedback for the option chosen, a model answer for short text, and the explanation.
  Written answers get the rubric as a self-check.
- Assessed: saved with no feedback. The bank holds no key or rubric for them, and this
  module never reads the assessor's key files.

In the one widget pattern (docs/widgets.md): `show_questions(...)` returns a `Quiz` view
whose `views` maps each question id to a `QuestionView` (named `input`, `save_button`,
`status`, `feedback`, `hint_button`, `hint`, `explain_button`; state in the traitlets
`saved`, `checks`, `hint_shown`, `explain_offered`). One small class per question type
builds the input (`SingleChoiceInput`, `WrittenInput`...: `controls`, `response()`,
`show(value)`); this module only lays out widgets and calls core functions (bank, marking,
store).
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from ilcs.errors import IlcsError
from ilcs.ui.common import (
    CORRECT,
    INCORRECT,
    NOT_SAVED,
    PARTLY,
    SAVED,
    SAVED_FOR_ASSESSOR,
    markdown_html,
    status_html,
)
from ilcs.ui.view import LABEL_STYLE, View, message_line

if TYPE_CHECKING:
    from ilcs.assessment.marking import Mark
    from ilcs.assessment.profile import Profile
    from ilcs.assessment.questions import Bank, Question
    from ilcs.assessment.store import Answer, AnswerStore

CHOOSE = "— choose —"
_STATUS_WORDS = {
    "correct": (CORRECT, "good"),
    "incorrect": (INCORRECT, "bad"),
    "unanswered": (INCORRECT, "bad"),
    "partly_correct": (PARTLY, "warn"),
    "awaiting_assessor": (SAVED_FOR_ASSESSOR, "neutral"),
    "self_check": ("◇ Check your answer against these points", "neutral"),
}


class NotAnswered(IlcsError):
    """The input does not hold a usable answer yet (the message says why)."""


class AnswerInput(View):
    """The input of one question, a widget itself: `controls` are the widgets the learner
    sets (each labelled); `response()` reads the answer (or raises NotAnswered saying what is
    missing) and `show(value)` puts a saved answer back. One subclass per question type."""

    def __init__(self, controls: list[widgets.ValueWidget], children: list[widgets.Widget]
                 ) -> None:
        super().__init__(children)
        self.controls = controls

    def response(self) -> Any:
        """The answer given, or raise NotAnswered."""
        raise NotImplementedError

    def show(self, value: Any) -> None:
        """Show a saved answer."""
        raise NotImplementedError


# --------------------------------------------------------------------------- inputs


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _ordered(q: Question, entries: tuple[Any, ...], candidate_id: str, what: str
             ) -> list[Any]:
    """`entries` (options or items) in this learner's shuffled order (stable per learner:
    see ilcs.assessment.forms.shuffled); in bank order when there is no learner."""
    if not candidate_id:
        return list(entries)
    from ilcs.assessment.forms import shuffled

    by_id = {e.id: e for e in entries}
    return [by_id[i] for i in shuffled(candidate_id, q.id, [e.id for e in entries], what)]


def _labelled(options: list[Any]) -> list[tuple[str, str]]:
    """(label, option id): options are labelled by position (A, B, C...), not by their id,
    so the saved answer is the id whatever order the learner saw."""
    return [(f"{LETTERS[n]}) {o.text}", o.id) for n, o in enumerate(options)]


def _your_answer(text: str) -> widgets.HTML:
    return widgets.HTML(f"<p><strong>Your answer:</strong> {text}</p>")


class SingleChoiceInput(AnswerInput):
    """One option of several (radio buttons, in this learner's order)."""

    def __init__(self, q: Question, candidate_id: str = "") -> None:
        self.option_ids = [o.id for o in q.options]
        self.radio = widgets.RadioButtons(
            options=_labelled(_ordered(q, q.options, candidate_id, "options")), value=None,
            description="Your answer:", style=LABEL_STYLE, layout=widgets.Layout(width="auto"))
        super().__init__([self.radio], [self.radio])

    def response(self) -> Any:
        if self.radio.value is None:
            raise NotAnswered("choose one option first")
        return self.radio.value

    def show(self, value: Any) -> None:
        self.radio.value = value if value in self.option_ids else None


class MultipleChoiceInput(AnswerInput):
    """Every option that applies (tick boxes, in this learner's order)."""

    def __init__(self, q: Question, candidate_id: str = "") -> None:
        self.boxes = {oid: widgets.Checkbox(value=False, description=label, indent=False,
                                            layout=widgets.Layout(width="auto"))
                      for label, oid in _labelled(_ordered(q, q.options, candidate_id,
                                                           "options"))}
        for box in self.boxes.values():
            box.add_class("ilcs-wrap")
        boxes = list(self.boxes.values())
        super().__init__(boxes, [_your_answer("tick every option that applies."), *boxes])

    def response(self) -> Any:
        chosen = [oid for oid, box in self.boxes.items() if box.value]
        if not chosen:
            raise NotAnswered("tick at least one option first")
        return chosen

    def show(self, value: Any) -> None:
        picked = set(value) if isinstance(value, list) else set()
        for oid, box in self.boxes.items():
            box.value = oid in picked


class NumberInput(AnswerInput):
    """A number, typed (a unit such as % may follow it)."""

    def __init__(self, q: Question, candidate_id: str = "") -> None:
        unit = f" ({q.unit})" if q.unit else ""
        self.box = widgets.Text(value="", description=f"Your answer{unit}:",
                                placeholder="a number, e.g. 12.5", style=LABEL_STYLE,
                                continuous_update=False)
        super().__init__([self.box], [self.box])

    def response(self) -> Any:
        from ilcs.assessment.marking import parse_number

        if not self.box.value.strip():
            raise NotAnswered("type a number first")
        value = parse_number(self.box.value)
        if value is None:
            raise NotAnswered(f"'{self.box.value}' is not a number: type digits, e.g. 12.5")
        return value

    def show(self, value: Any) -> None:
        self.box.value = f"{value:g}" if isinstance(value, (int, float)) else str(value or "")


class OrderingInput(AnswerInput):
    """The items in order: one dropdown per position, first to last."""

    def __init__(self, q: Question, candidate_id: str = "") -> None:
        self.item_ids = {i.id for i in q.items}
        items = _ordered(q, q.items, candidate_id, "items")
        options = [(CHOOSE, None)] + [(i.text, i.id) for i in items]
        self.positions = [widgets.Dropdown(options=options, value=None,
                                           description=f"Position {n}:", style=LABEL_STYLE,
                                           layout=widgets.Layout(width="auto"))
                          for n in range(1, len(q.items) + 1)]
        super().__init__(list(self.positions), [
            _your_answer("choose what comes at each position, first to last. Use each item "
                         "once."), *self.positions])

    def response(self) -> Any:
        order = [d.value for d in self.positions]
        if None in order:
            raise NotAnswered("choose an item for every position first")
        if len(set(order)) != len(order):
            raise NotAnswered("each item can be used only once")
        return order

    def show(self, value: Any) -> None:
        for d, v in zip(self.positions, value if isinstance(value, list) else []):
            d.value = v if v in self.item_ids else None


class MatchingInput(AnswerInput):
    """A match for each item on the left: one dropdown per item."""

    def __init__(self, q: Question, candidate_id: str = "") -> None:
        self.right_ids = {r.id for r in q.right}
        right = _ordered(q, q.right, candidate_id, "right")
        options = [(CHOOSE, None)] + [(r.text, r.id) for r in right]
        self.pairs = {left.id: widgets.Dropdown(options=options, value=None,
                                                description=f"{left.text}:", style=LABEL_STYLE,
                                                layout=widgets.Layout(width="auto"))
                      for left in q.left}
        pairs = list(self.pairs.values())
        super().__init__(pairs, [_your_answer("choose the match for each item."), *pairs])

    def response(self) -> Any:
        if any(d.value is None for d in self.pairs.values()):
            raise NotAnswered("choose a match for every item first")
        return {lid: d.value for lid, d in self.pairs.items()}

    def show(self, value: Any) -> None:
        for lid, d in self.pairs.items():
            v = value.get(lid) if isinstance(value, dict) else None
            d.value = v if v in self.right_ids else None


class ShortTextInput(AnswerInput):
    """A short typed answer."""

    def __init__(self, q: Question, candidate_id: str = "") -> None:
        self.box = widgets.Text(value="", description="Your answer:",
                                placeholder="a short answer", style=LABEL_STYLE,
                                layout=widgets.Layout(width="90%"), continuous_update=False)
        super().__init__([self.box], [self.box])

    def response(self) -> Any:
        if not self.box.value.strip():
            raise NotAnswered("type your answer first")
        return self.box.value.strip()

    def show(self, value: Any) -> None:
        self.box.value = str(value or "")


def word_count(text: str) -> int:
    return len(text.split())


class WrittenInput(AnswerInput):
    """A written answer, with a word count under it."""

    def __init__(self, q: Question, candidate_id: str = "") -> None:
        # continuous_update=False: the answer is sent (and saved) when the trainee leaves
        # the box.
        self.box = widgets.Textarea(value="", description="Your answer:", style=LABEL_STYLE,
                                    rows=10, layout=widgets.Layout(width="95%"),
                                    continuous_update=False)
        self.guidance = f" (aim for {q.word_guidance})" if q.word_guidance else ""
        self.counter = widgets.HTML()
        super().__init__([self.box], [self.box, self.counter])
        self.box.observe(lambda _change: self.render(), names="value")
        self.render()

    def render(self) -> None:
        self.counter.value = (f"<p>{word_count(self.box.value)} words"
                              f"{html.escape(self.guidance)}</p>")

    def response(self) -> Any:
        if not self.box.value.strip():
            raise NotAnswered("write your answer first")
        return self.box.value

    def show(self, value: Any) -> None:
        self.box.value = str(value or "")


def _data_task_input(q: Question, candidate_id: str = "") -> AnswerInput:
    if q.answer_type == "single_choice":
        return SingleChoiceInput(q, candidate_id)
    return NumberInput(q, candidate_id)


INPUTS: dict[str, Callable[[Question, str], AnswerInput]] = {
    "single_choice": SingleChoiceInput,
    "multiple_choice": MultipleChoiceInput,
    "numeric": NumberInput,
    "ordering": OrderingInput,
    "matching": MatchingInput,
    "short_text": ShortTextInput,
    "written": WrittenInput,
    "data_task": _data_task_input,
}


# ------------------------------------------------------------------------- feedback


def _when(saved_at: str) -> str:
    stamp = datetime.fromisoformat(saved_at.replace("Z", "+00:00")).astimezone()
    return stamp.strftime("%H:%M on %d/%m/%Y")


def mark_html(question: Question, result: Mark, response: Any = None) -> str:
    """Practice feedback in words and symbols: status, option feedback, explanation, rubric.

    For a multiple choice answer, each option ticked is listed with its own feedback.
    """
    words, tone = _STATUS_WORDS.get(result.status, (result.status, "neutral"))
    parts = [status_html(words, tone)]
    if question.type == "multiple_choice" and isinstance(response, list):
        rows = []
        for option in question.options:
            if option.id in response and option.feedback:
                rows.append(f"<li><strong>{html.escape(option.text)}</strong>: "
                            f"{html.escape(option.feedback)}</li>")
        if rows:
            parts.append(f"<p>About the options you ticked:</p><ul>{''.join(rows)}</ul>")
    elif result.feedback:
        parts.append(f"<p>{html.escape(result.feedback)}</p>")
    if question.type == "written" and question.rubric is not None:
        rubric = question.rubric
        groups = []
        for part in rubric.parts:
            points = "".join(f"<li>{html.escape(p.text)}</li>" for p in rubric.points_of(part.id))
            need = "" if part.required else " (optional)"
            groups.append(f"<li><strong>{html.escape(part.text)}</strong>{need}"
                          f"<ul>{points}</ul></li>")
        parts.append(
            "<p>A good answer covers every part below, with at least one of its points:</p>"
            f"<ul>{''.join(groups)}</ul><p><em>What good looks like:</em> "
            f"{html.escape(rubric.what_good_looks_like)}</p>")
    if question.model_answer and result.status != "correct":
        parts.append(f"<p><strong>A model answer:</strong> "
                     f"{html.escape(question.model_answer)}</p>")
    elif question.model_answer:
        parts.append(f"<p><strong>Compare with a model answer:</strong> "
                     f"{html.escape(question.model_answer)}</p>")
    if question.explanation and result.status != "self_check":
        parts.append(f"<div><strong>Why:</strong> {markdown_html(question.explanation)}</div>")
    return "".join(parts)


RETRY = "Have another go: read the hint, change your answer and press Check my answer again."


def retry_html(question: Question, result: Mark) -> str:
    """The first "Check my answer" that is not right: the verdict in words, a hint and a
    second try, with no answer given away (the explanation comes after the second try, or
    on request)."""
    words, tone = _STATUS_WORDS.get(result.status, (result.status, "neutral"))
    parts = [status_html(words, tone), f"<p>{html.escape(RETRY)}</p>"]
    if question.type == "short_text" and result.feedback:
        parts.append(f"<p>{html.escape(result.feedback)}</p>")
    if question.hint:
        parts.append(f"<p><strong>Hint:</strong> {html.escape(question.hint)}</p>")
    return "".join(parts)


def needs_second_try(result: Mark, checks: int) -> bool:
    """True when this check should give a hint and a second try rather than the answer:
    the first check of a practice answer that is not right."""
    return checks == 1 and result.status in ("incorrect", "partly_correct", "unanswered")


def _practice_mark(question: Question, response: Any, keys: dict[str, Any]) -> Mark:
    """Mark a practice answer; `keys` caches the key (a data task's is computed once)."""
    from ilcs.assessment.marking import key_for, mark

    if question.id not in keys:
        keys[question.id] = key_for(question)
    return mark(question, response, keys[question.id])


# ------------------------------------------------------------------------ one question


class QuestionView(View):
    """One question on screen: its input, the check (or save) button, a status line and the
    feedback. A test sets `view.input.controls[0].value`, presses `view.save_button` and
    reads `view.status.value` and `view.feedback.value`."""

    checks = traitlets.Int(0)  # practice: how many times "Check my answer" was pressed
    saved = traitlets.Instance("ilcs.assessment.store.Answer", allow_none=True)
    hint_shown = traitlets.Bool(False)
    explain_offered = traitlets.Bool(False)  # after a first practice try that is not right

    def __init__(self, question: Question, *, store: AnswerStore | None, candidate_id: str,
                 bank_version: str, previous: Answer | None = None,
                 number: int | None = None) -> None:
        super().__init__(layout=widgets.Layout(border="1px solid #6b6b6b",
                                               padding="0.5em 1em", margin="0.5em 0"))
        self.add_class("ilcs-card")
        self.question = question
        self.store = store
        self.candidate_id = candidate_id
        self.bank_version = bank_version
        self.practice = question.is_practice
        self._keys: dict[str, Any] = {}  # the practice key, computed once (a data task's)
        self._restoring = False
        self.input = INPUTS[question.type](question, candidate_id)
        label = f"Question {number}" if number is not None else "Question"
        tag = "Practice" if self.practice else "Assessed"
        criteria = ", ".join(question.criteria)
        self.header = widgets.HTML(
            f"<h3>{label} <small>({tag}; criterion {html.escape(criteria)})</small></h3>"
            f"{markdown_html(question.prompt)}")
        self.save_button = widgets.Button(
            layout=widgets.Layout(width="auto"),
            description="Check my answer" if self.practice else "Save answer",
            button_style="primary", icon="check" if self.practice else "save",
            tooltip="See whether your answer is right" if self.practice
            else "Save this answer for your assessor")
        self.status = widgets.HTML(status_html(NOT_SAVED))
        self.feedback = widgets.HTML("")
        self.explain_button: widgets.Button | None = None
        if self.practice and question.type != "written":
            self.explain_button = widgets.Button(
                description="Show the answer and explanation", icon="question-circle",
                tooltip="Show the right answer and why, without a second try")
        self.hint_button: widgets.Button | None = None
        self.hint: widgets.HTML | None = None
        if self.practice and question.hint:
            self.hint = widgets.HTML("")
            self.hint_button = widgets.Button(layout=widgets.Layout(width="auto"),
                                              description="Show hint", icon="lightbulb-o",
                                              tooltip="Show a hint for this question")
        buttons = [b for b in (self.save_button, self.hint_button, self.explain_button)
                   if b is not None]
        self.children = [self.header, self.input,
                         widgets.HBox(buttons) if len(buttons) > 1 else self.save_button,
                         *([self.hint] if self.hint is not None else []),
                         self.status, self.feedback]
        for control in self.input.controls:
            control.observe(self._changed, names="value")
        self.save_button.on_click(lambda _b: self.save())
        if self.hint_button is not None:
            self.hint_button.on_click(lambda _b: self.toggle_hint())
        if self.explain_button is not None:
            self.explain_button.on_click(lambda _b: self.explain())
        self.observe(lambda _change: self.render(), ["hint_shown", "explain_offered"])
        if previous is not None:
            self.restore(previous)
        self.render()

    def render(self) -> None:
        """The hint (shown or not) and the "Show the answer" button (offered or not)."""
        if self.hint is not None and self.hint_button is not None:
            self.hint.value = (f"<p><strong>Hint:</strong> {html.escape(self.question.hint)}"
                               "</p>" if self.hint_shown and self.question.hint else "")
            self.hint_button.description = "Hide hint" if self.hint_shown else "Show hint"
        if self.explain_button is not None:
            self.explain_button.layout.display = None if self.explain_offered else "none"

    # ------------------------------------------------------------------ callbacks

    def toggle_hint(self) -> None:
        self.hint_shown = not self.hint_shown

    def restore(self, previous: Answer) -> None:
        """Show an answer saved earlier (a re-run cell or a re-opened notebook)."""
        self._restoring = True
        try:
            self.input.show(previous.response)
        finally:
            self._restoring = False
        self.saved = previous
        self._say_saved(previous, earlier=True)

    def save(self) -> None:
        """The button: save now (if not already saved) and, in practice, give feedback."""
        try:
            response = self.input.response()
        except NotAnswered as exc:
            self.say(self.status, f"✘ Not saved: {exc}.", "bad")
            return
        if not self._store(response) or not self.practice:
            return
        self.checks += 1
        try:
            result = _practice_mark(self.question, response, self._keys)
        except IlcsError as exc:
            self.fail(self.feedback, exc)
            return
        if needs_second_try(result, self.checks):
            self.feedback.value = retry_html(self.question, result)
            self.explain_offered = self.explain_button is not None
            return
        self._final(result, response)

    def explain(self) -> None:
        """On request: the answer and the explanation, without a second try."""
        try:
            response = self.input.response()
        except NotAnswered:
            response = self.saved.response if self.saved is not None else None
        try:
            result = _practice_mark(self.question, response, self._keys)
        except IlcsError as exc:
            self.fail(self.feedback, exc)
            return
        self.checks = max(self.checks, 2)
        self._final(result, response)

    def _final(self, result: Mark, response: Any) -> None:
        self.feedback.value = mark_html(self.question, result, response)
        self.explain_offered = False

    def _changed(self, _change: Any) -> None:
        """Every complete answer is saved the moment it is given (no feedback yet)."""
        if self._restoring:
            return
        self.feedback.value = ""
        try:
            response = self.input.response()
        except NotAnswered as exc:
            kept = (f" (your answer saved at {_when(self.saved.saved_at)} is kept)"
                    if self.saved is not None else "")
            self.say(self.status, f"{NOT_SAVED}: {exc}{kept}.", "warn")
            return
        self._store(response)

    def _store(self, response: Any) -> bool:
        """Save the response unless it is the one already saved; True if it is saved."""
        if self.saved is not None and self.saved.response == response:
            return True
        if self.store is None:
            self.say(self.status, "✘ Not saved: the answer store could not be opened "
                                  "(see the message above).", "bad")
            return False
        try:
            self.saved = self.store.save_answer(
                self.candidate_id, self.question.id, response, self.question.mode,
                self.bank_version, answer_uid=uuid.uuid4().hex)
        except IlcsError as exc:
            self.fail(self.status, exc)
            return False
        self._say_saved(self.saved, earlier=False)
        return True

    def _say_saved(self, answer: Answer, earlier: bool) -> None:
        when = _when(answer.saved_at)
        note = " (your earlier answer)" if earlier else ""
        after = "" if self.practice else ": your assessor will mark it"
        self.say(self.status, f"{SAVED} at {when}{note}{after}", "good")


def build_question(question: Question, *, store: AnswerStore | None, candidate_id: str,
                   bank_version: str, previous: Answer | None = None,
                   number: int | None = None) -> QuestionView:
    """One question on its own (kept for callers of the first slice): a `QuestionView`."""
    return QuestionView(question, store=store, candidate_id=candidate_id,
                        bank_version=bank_version, previous=previous, number=number)


# ----------------------------------------------------------------------------- the quiz


PROFILE_NOT_FILLED = ("ℹ Your profile is not filled in yet. Your answers are still saved on "
                      "this computer and will be filed under you when you fill it in.")


class Quiz(View):
    """The questions for a criterion and/or a list of ids, each answer saved as it is given.

    `views` maps question id -> QuestionView. A problem (bank, store, unknown id) is shown
    in words on `message`, never as a traceback.
    """

    candidate_id = traitlets.Unicode("")

    def __init__(
        self,
        criterion: str | None = None,
        ids: list[str] | tuple[str, ...] | None = None,
        *,
        mode: str | None = None,
        store: AnswerStore | None = None,
        candidate: str | Profile | None = None,
        bank_dir: Any = None,
        bank: Bank | None = None,
    ) -> None:
        from ilcs.assessment.feedback import forms_to_answer
        from ilcs.assessment.profile import resolve_candidate
        from ilcs.assessment.questions import load_bank
        from ilcs.assessment.store import default_store

        super().__init__()
        self.add_class("ilcs-quiz")
        self.message = message_line()
        self.profile_note = message_line()
        self.intro = widgets.HTML("")
        self.views: dict[str, QuestionView] = {}
        self.children = [self.message]
        try:
            bank = bank or load_bank(bank_dir)
            questions = bank.select(criterion=criterion, ids=ids, mode=mode)
            self.candidate_id, profile = resolve_candidate(candidate)
        except (IlcsError, KeyError) as exc:
            self.fail(self.message, exc)
            return
        try:
            store = store or default_store()
        except IlcsError as exc:
            store = None
            self.fail(self.message, exc)
        shown = forms_to_answer(bank, questions, self.candidate_id, store)
        if profile is not None and not profile.is_complete:
            self.say(self.profile_note, PROFILE_NOT_FILLED, "warn")
        previous: dict[str, Answer] = {}
        if store is not None:
            try:
                previous = store.latest_answers(self.candidate_id)
            except IlcsError as exc:
                store = None
                self.fail(self.message, exc)
        for n, q in enumerate(shown, start=1):
            self.views[q.id] = QuestionView(q, store=store, candidate_id=self.candidate_id,
                                            bank_version=bank.version,
                                            previous=previous.get(q.id), number=n)
        if shown:
            self.intro.value = f"<p>{html.escape(self._intro(shown))}</p>"
        else:
            what = f"criterion {criterion}" if criterion else "this selection"
            self.say(self.intro, f"There are no questions for {what} yet.")
        notices = [line for line in (self.message, self.profile_note) if line.value]
        self.children = [*notices, self.intro, *self.views.values()]

    @staticmethod
    def _intro(shown: list[Question]) -> str:
        modes = {q.mode for q in shown}
        intro = []
        if "practice" in modes:
            intro.append("Practice questions tell you straight away whether you are right.")
        if "assessed" in modes:
            intro.append("Assessed questions are saved for your assessor, with no feedback "
                         "here.")
        intro.append("Each answer is saved as soon as you give it (a typed answer when you "
                     "press Enter or leave the box); the line under each question says so.")
        return " ".join(intro)


def show_questions(
    criterion: str | None = None,
    ids: list[str] | tuple[str, ...] | None = None,
    *,
    mode: str | None = None,
    store: AnswerStore | None = None,
    candidate: str | Profile | None = None,
    bank_dir: Any = None,
    bank: Bank | None = None,
) -> Quiz:
    """Show the questions for a criterion and/or a list of ids, saving every answer (the
    call the lesson notebooks make): a `Quiz`."""
    return Quiz(criterion, ids, mode=mode, store=store, candidate=candidate,
                bank_dir=bank_dir, bank=bank)
