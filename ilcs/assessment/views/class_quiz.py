"""Class quiz: a trainer steps through one criterion's PRACTICE questions on the projector.

The trainer picks a criterion, moves with Previous / Next, and reveals each answer (with its
explanation) when the class is ready. Nothing is saved: this is a teaching aid, not an
assessment. Assessed questions never appear here (the bank holds no keys for them).

In the one widget pattern (docs/widgets.md): `ClassQuiz()` is the view (state in the
traitlets `criterion`, `index` and `revealed`; named controls `criterion_picker`,
`previous_button`, `next_button`, `reveal_button`; outputs `position`, `question`, `answer`);
`build_class_quiz()` frames it as the app page (the app notebook's one call).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from ilcs.errors import ConfigError, IlcsError
from ilcs.ui.common import markdown_html
from ilcs.ui.view import LABEL_STYLE, AppPage, View, button, message_line

if TYPE_CHECKING:
    from ilcs.assessment.questions import Bank, Question
    from ilcs.assessment.unit import Unit

ANSWER_MARK = "✔"
NO_QUESTIONS = "There are no practice questions for this criterion yet."
NO_BANK_QUESTIONS = "The question bank has no practice questions yet."
TITLE = "Class quiz: practice questions"
SUBTITLE = "Pick a criterion, then step through its questions. Nothing is saved."


def _number(value: float) -> str:
    return f"{value:g}"


def choices_html(question: Question) -> str:
    """What the class sees under the prompt: options, items to order or pairs to match."""
    if question.options:
        rows = "".join(
            f"<li><strong>{html.escape(o.id)})</strong> {html.escape(o.text)}</li>"
            for o in question.options
        )
        return f'<ul style="list-style:none;padding-left:0.5em">{rows}</ul>'
    if question.type == "ordering":
        rows = "".join(f"<li>{html.escape(i.text)}</li>" for i in question.items)
        return f"<p>Put these in order:</p><ul>{rows}</ul>"
    if question.type == "matching":
        left = "".join(f"<li>{html.escape(i.text)}</li>" for i in question.left)
        right = "".join(f"<li>{html.escape(i.text)}</li>" for i in question.right)
        return f"<p>Match each of these:</p><ul>{left}</ul><p>with one of these:</p><ul>{right}</ul>"
    if question.type == "written" and question.word_guidance:
        return f"<p>Aim for {html.escape(question.word_guidance)}.</p>"
    return ""


def answer_text(question: Question, key: Any) -> str:
    """The answer of a practice question in words (for the trainer to reveal)."""
    kind = question.type
    if kind == "written" or key is None:
        rubric = question.rubric
        if rubric is None:
            return "No model answer is given for this question."
        points = "; ".join(rubric.marking_points)
        return f"A good answer covers: {points}."
    answer_type = question.answer_type if kind == "data_task" else kind
    if answer_type in ("single_choice",):
        return _option_label(question, str(key))
    if kind == "multiple_choice":
        return "; ".join(_option_label(question, str(k)) for k in key)
    if answer_type == "numeric":
        unit = question.unit or ""
        unit = unit if unit.startswith("%") or not unit else f" {unit}"
        tolerance = f" (within {_number(question.tolerance)})" if question.tolerance else ""
        return f"{_number(float(key))}{unit}{tolerance}"
    if kind == "ordering":
        texts = {i.id: i.text for i in question.items}
        return " → ".join(texts.get(k, k) for k in key)
    if kind == "matching":
        left = {i.id: i.text for i in question.left}
        right = {i.id: i.text for i in question.right}
        return "; ".join(f"{left.get(a, a)} → {right.get(b, b)}" for a, b in key.items())
    if kind == "short_text":
        groups = [" / ".join(group) for group in key.keywords]
        return (
            f"An answer that mentions at least {key.min_keywords} of: " + "; ".join(groups)
        )
    return str(key)


def _option_label(question: Question, option_id: str) -> str:
    for option in question.options:
        if option.id == option_id:
            return f"{option.id}) {option.text}"
    return option_id


def answer_html(question: Question, key: Any) -> str:
    """The revealed answer: a symbol and the word "Answer", then the explanation."""
    body = (
        f'<div class="ilcs-answer"><p><strong>{ANSWER_MARK} Answer:</strong> '
        f"{html.escape(answer_text(question, key))}</p>"
    )
    if question.explanation:
        body += f"<p><strong>Why:</strong></p>{markdown_html(question.explanation)}"
    return body + "</div>"


def question_html(question: Question, number: int, total: int) -> str:
    """One question as the class sees it (never with its answer)."""
    return (
        f'<div class="ilcs-card"><h2>Question {number} of {total}</h2>'
        f"{markdown_html(question.prompt)}{choices_html(question)}</div>"
    )


def practice_by_criterion(bank: Bank, unit: Unit) -> dict[str, tuple[Question, ...]]:
    """The practice questions of each criterion (in the unit's order; criteria without any are
    left out)."""
    found: dict[str, tuple[Question, ...]] = {}
    for criterion in unit.criteria:
        questions = bank.select(criterion=criterion.id, mode="practice")
        if questions:
            found[criterion.id] = questions
    return found


def _criterion_label(unit: Unit, criterion_id: str, count: int) -> str:
    text = unit.criterion(criterion_id).text
    short = text if len(text) <= 70 else text[:67].rstrip() + "..."
    noun = "question" if count == 1 else "questions"
    return f"{criterion_id} {short} ({count} {noun})"


class ClassQuiz(View):
    """One criterion's practice questions, one at a time, each answer revealed on demand.

    `criterion` picks the first criterion shown (default: the first with practice
    questions); `bank` / `unit` default to the committed ones. A problem (an unknown
    criterion, a bank that cannot be read) is shown in words on `message`.
    """

    criterion = traitlets.Unicode(None, allow_none=True)  # None: no practice questions
    index = traitlets.Int(0)  # the question shown, from 0
    revealed = traitlets.Bool(False)  # is its answer showing?

    def __init__(self, criterion: str | None = None, *, bank: Bank | None = None,
                 unit: Unit | None = None) -> None:
        from ilcs.assessment.questions import load_bank
        from ilcs.assessment.unit import load_unit

        super().__init__()
        self.message = message_line()
        self.criterion_picker = widgets.Dropdown(options=[], description="Criterion",
                                                 style=LABEL_STYLE,
                                                 layout=widgets.Layout(width="95%"))
        self.previous_button = button("◀ Previous", tooltip="Previous question")
        self.next_button = button("Next ▶", tooltip="Next question")
        self.reveal_button = button("Reveal answer", tooltip="Show the answer and why")
        self.position = widgets.HTML()
        self.question = widgets.HTML()
        self.answer = widgets.HTML()
        self.questions: dict[str, tuple[Question, ...]] = {}
        self.children = [self.message]
        try:
            unit = unit or load_unit()
            bank = bank or load_bank()
            self.questions = practice_by_criterion(bank, unit)
            if criterion is not None and criterion not in unit.criterion_ids():
                raise ConfigError(f"There is no criterion {criterion!r} in unit {unit.code}.")
        except IlcsError as exc:
            self.fail(self.message, exc)
            return
        if criterion is not None:
            self.questions.setdefault(criterion, ())
        self.criterion_picker.options = [(_criterion_label(unit, cid, len(qs)), cid)
                                         for cid, qs in self.questions.items()]
        # (a dropdown given its options after it was made picks none of them by itself)
        self.criterion_picker.value = criterion if criterion is not None else next(
            iter(self.questions), None)
        widgets.link((self.criterion_picker, "value"), (self, "criterion"))
        self.observe(self._on_criterion, "criterion")
        self.observe(lambda _change: self.render(), ["index", "revealed"])
        self.previous_button.on_click(lambda _b: self.go_previous())
        self.next_button.on_click(lambda _b: self.go_next())
        self.reveal_button.on_click(lambda _b: self.toggle_answer())
        self.children = [
            self.message,
            self.criterion_picker,
            self.position,
            self.question,
            widgets.HBox([self.previous_button, self.next_button, self.reveal_button]),
            self.answer,
        ]
        self.render()

    def current(self) -> tuple[Question, ...]:
        """The practice questions of the criterion picked."""
        return self.questions.get(self.criterion, ()) if self.criterion else ()

    # ------------------------------------------------------------------ callbacks

    def _on_criterion(self, _change: Any) -> None:
        """Another criterion starts at its first question, answer hidden."""
        self.revealed = False
        self.index = 0
        self.render()

    def go_previous(self) -> None:
        self.revealed = False
        self.index = max(0, self.index - 1)

    def go_next(self) -> None:
        self.revealed = False
        self.index = max(0, min(len(self.current()) - 1, self.index + 1))

    def toggle_answer(self) -> None:
        self.revealed = not self.revealed

    def render(self) -> None:
        from ilcs.assessment.marking import key_for

        questions = self.current()
        buttons = (self.previous_button, self.next_button, self.reveal_button)
        if not questions:
            none = NO_QUESTIONS if self.criterion_picker.options else NO_BANK_QUESTIONS
            self.position.value = ""
            self.question.value = f"<p>{none}</p>"
            self.answer.value = ""
            for b in buttons:
                b.disabled = True
            return
        index = min(self.index, len(questions) - 1)
        question = questions[index]
        self.position.value = (
            f'<p role="status" aria-live="polite">Criterion '
            f"{html.escape(str(self.criterion))}: question {index + 1} of {len(questions)}</p>"
        )
        self.question.value = question_html(question, index + 1, len(questions))
        self.previous_button.disabled = index == 0
        self.next_button.disabled = index >= len(questions) - 1
        self.reveal_button.disabled = False
        self.reveal_button.description = "Hide answer" if self.revealed else "Reveal answer"
        if not self.revealed:
            self.answer.value = ""
            return
        try:
            self.answer.value = answer_html(question, key_for(question))
        except IlcsError as exc:
            self.fail(self.answer, exc)


def build_class_quiz(
    criterion: str | None = None,
    large_type: bool = True,
    *,
    bank: Bank | None = None,
    unit: Unit | None = None,
) -> AppPage:
    """The class quiz app page: a `ClassQuiz` under its heading, in large type by default
    (for a projector)."""
    return ClassQuiz(criterion, bank=bank, unit=unit).app(
        "class_quiz", title=TITLE, subtitle=SUBTITLE, large_type=large_type)
