"""Class quiz: a trainer steps through one criterion's PRACTICE questions on the projector.

The trainer picks a criterion, moves with Previous / Next, and reveals each answer (with its
explanation) when the class is ready. Nothing is saved: this is a teaching aid, not an
assessment. Assessed questions never appear here (the bank holds no keys for them).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ilcs.errors import ConfigError, IlcsError
from ilcs.ui.common import markdown_html

if TYPE_CHECKING:
    import ipywidgets

    from ilcs.assessment.questions import Bank, Question
    from ilcs.assessment.unit import Unit

ANSWER_MARK = "✔"
NO_QUESTIONS = "There are no practice questions for this criterion yet."
NO_BANK_QUESTIONS = "The question bank has no practice questions yet."


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


@dataclass
class ClassQuizControls:
    """The parts of the class quiz a test (or a caller) needs to reach."""

    criterion: ipywidgets.Dropdown
    previous: ipywidgets.Button
    next: ipywidgets.Button
    reveal: ipywidgets.Button
    position: ipywidgets.HTML
    question: ipywidgets.HTML
    answer: ipywidgets.HTML
    questions: dict[str, tuple[Question, ...]]


def _criterion_label(unit: Unit, criterion_id: str, count: int) -> str:
    text = unit.criterion(criterion_id).text
    short = text if len(text) <= 70 else text[:67].rstrip() + "..."
    noun = "question" if count == 1 else "questions"
    return f"{criterion_id} {short} ({count} {noun})"


def build_class_quiz(
    criterion: str | None = None,
    large_type: bool = True,
    *,
    bank: Bank | None = None,
    unit: Unit | None = None,
) -> ipywidgets.VBox:
    """The class quiz page. `criterion` picks the first criterion shown (default: the first
    with practice questions); `bank` / `unit` default to the committed ones."""
    import ipywidgets as w

    from ilcs.ui.common import error_html
    from ilcs.ui.style import app_page

    title = "Class quiz: practice questions"
    subtitle = "Pick a criterion, then step through its questions. Nothing is saved."
    try:
        from ilcs.assessment.questions import load_bank
        from ilcs.assessment.unit import load_unit

        unit = unit or load_unit()
        bank = bank or load_bank()
        by_criterion = practice_by_criterion(bank, unit)
        if criterion is not None and criterion not in unit.criterion_ids():
            raise ConfigError(f"There is no criterion {criterion!r} in unit {unit.code}.")
    except IlcsError as exc:
        return app_page(w.HTML(error_html(exc)), title, name="class_quiz",
                        subtitle=subtitle, large_type=large_type)
    if criterion is not None and criterion not in by_criterion:
        by_criterion.setdefault(criterion, ())

    options = [(_criterion_label(unit, cid, len(qs)), cid) for cid, qs in by_criterion.items()]
    dropdown = w.Dropdown(options=options, description="Criterion")
    dropdown.layout.width = "95%"
    dropdown.style.description_width = "initial"
    previous = w.Button(description="◀ Previous", tooltip="Previous question")
    following = w.Button(description="Next ▶", tooltip="Next question")
    reveal = w.Button(description="Reveal answer", tooltip="Show the answer and why")
    for button in (previous, following, reveal):
        button.layout.width = "auto"
    position = w.HTML()
    question_box = w.HTML()
    answer_box = w.HTML()
    controls = ClassQuizControls(dropdown, previous, following, reveal, position,
                                 question_box, answer_box, by_criterion)
    state = {"index": 0, "revealed": False}

    def current() -> tuple[Question, ...]:
        return by_criterion.get(dropdown.value, ()) if dropdown.value else ()

    def show() -> None:
        questions = current()
        if not questions:
            position.value = ""
            question_box.value = f"<p>{NO_QUESTIONS if options else NO_BANK_QUESTIONS}</p>"
            answer_box.value = ""
            for button in (previous, following, reveal):
                button.disabled = True
            return
        index = state["index"]
        question = questions[index]
        position.value = (
            f'<p role="status" aria-live="polite">Criterion {html.escape(str(dropdown.value))}: '
            f"question {index + 1} of {len(questions)}</p>"
        )
        question_box.value = question_html(question, index + 1, len(questions))
        previous.disabled = index == 0
        following.disabled = index >= len(questions) - 1
        reveal.disabled = False
        if state["revealed"]:
            reveal.description = "Hide answer"
            try:
                from ilcs.assessment.marking import key_for

                answer_box.value = answer_html(question, key_for(question))
            except IlcsError as exc:
                answer_box.value = error_html(exc)
        else:
            reveal.description = "Reveal answer"
            answer_box.value = ""

    def on_criterion(_change: dict) -> None:
        state["index"] = 0
        state["revealed"] = False
        show()

    def on_previous(_button: ipywidgets.Button) -> None:
        state["index"] = max(0, state["index"] - 1)
        state["revealed"] = False
        show()

    def on_next(_button: ipywidgets.Button) -> None:
        state["index"] = min(len(current()) - 1, state["index"] + 1)
        state["revealed"] = False
        show()

    def on_reveal(_button: ipywidgets.Button) -> None:
        state["revealed"] = not state["revealed"]
        show()

    if criterion is not None:
        dropdown.value = criterion
    dropdown.observe(on_criterion, names="value")
    previous.on_click(on_previous)
    following.on_click(on_next)
    reveal.on_click(on_reveal)
    show()

    body = w.VBox([
        dropdown,
        position,
        question_box,
        w.HBox([previous, following, reveal]),
        answer_box,
    ])
    page = app_page(body, title, name="class_quiz", subtitle=subtitle, large_type=large_type)
    page.controls = controls  # type: ignore[attr-defined]
    return page
