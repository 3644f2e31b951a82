"""Marking: decide whether a response is right. Pure functions, no I/O, no widgets.

`mark(question, response, key)` returns a `Mark`; a view turns it into words and symbols.
`key` is what the question's type needs (see docs/question-bank.md): a practice question's
own key, an assessed question's key from the assessor's files, or for a data task the
value computed by `ilcs.assessment.data_tasks.compute` (see `key_for`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ilcs.assessment.questions import AssessorKey, Question, Rubric, ShortTextKey
from ilcs.errors import UsageError

STATUSES = ("correct", "incorrect", "partly_correct", "awaiting_assessor", "self_check",
            "unanswered")
SHORT_TEXT_THRESHOLD = 85  # rapidfuzz partial_ratio, 0-100


@dataclass(frozen=True)
class Mark:
    """The outcome of marking one response.

    status: correct | incorrect | partly_correct | unanswered (score 0),
    awaiting_assessor (assessed written answer: an assessor judges it; score None),
    self_check (practice written answer: the trainee compares it with the rubric; score None).
    """

    question_id: str
    status: str
    score: float | None
    feedback: str = ""

    @property
    def is_correct(self) -> bool:
        return self.status == "correct"


def _status(score: float) -> str:
    if score >= 1.0 - 1e-9:
        return "correct"
    if score <= 0.0:
        return "incorrect"
    return "partly_correct"


def _to_number(response: Any) -> float | None:
    if isinstance(response, bool) or response is None:
        return None
    if isinstance(response, (int, float)):
        return float(response) if math.isfinite(float(response)) else None
    if isinstance(response, str):
        text = response.strip().replace(",", "").rstrip("%").strip()
        if text.startswith("£"):
            text = text[1:]
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None


def parse_number(text: str) -> float | None:
    """A number typed by a trainee: '12.5', '1,250', '£30', '85%'. None if not a number."""
    return _to_number(text)


def is_blank(response: Any) -> bool:
    return response is None or response == "" or response == [] or response == {} or (
        isinstance(response, str) and not response.strip())


def _single(question: Question, response: Any, key: Any,
            feedback: dict[str, str]) -> Mark:
    chosen = str(response)
    score = 1.0 if chosen == str(key) else 0.0
    text = feedback.get(chosen) or question.option_feedback(chosen) or ""
    return Mark(question.id, _status(score), score, text)


def _multiple(question: Question, response: Any, key: Any,
              feedback: dict[str, str]) -> Mark:
    if not isinstance(response, (list, tuple, set)):
        return Mark(question.id, "incorrect", 0.0, "")
    chosen = {str(r) for r in response}
    right = {str(k) for k in key}
    hits = len(chosen & right)
    wrong = len(chosen - right)
    score = max(0.0, (hits - wrong) / len(right))
    notes = [feedback.get(o) or question.option_feedback(o) or "" for o in sorted(chosen)]
    return Mark(question.id, _status(score), score, " ".join(n for n in notes if n))


def _numeric(question: Question, response: Any, key: Any) -> Mark:
    value = _to_number(response)
    if value is None:
        return Mark(question.id, "incorrect", 0.0, "That is not a number.")
    target = float(key)
    score = 1.0 if abs(value - target) <= question.tolerance + 1e-9 else 0.0
    return Mark(question.id, _status(score), score, "")


def _ordering(question: Question, response: Any, key: Any) -> Mark:
    if not isinstance(response, (list, tuple)):
        return Mark(question.id, "incorrect", 0.0, "")
    order = [str(r) for r in response]
    expected = [str(k) for k in key]
    in_place = sum(1 for a, b in zip(order, expected) if a == b)
    score = in_place / len(expected) if len(order) == len(expected) else 0.0
    return Mark(question.id, _status(score), score,
                f"{in_place} of {len(expected)} in the right place.")


def _matching(question: Question, response: Any, key: Any) -> Mark:
    if not isinstance(response, dict):
        return Mark(question.id, "incorrect", 0.0, "")
    pairs = {str(k): str(v) for k, v in key.items()}
    right = sum(1 for left, target in pairs.items() if str(response.get(left)) == target)
    score = right / len(pairs)
    return Mark(question.id, _status(score), score,
                f"{right} of {len(pairs)} matched correctly.")


_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


def words_of(text: str) -> list[str]:
    """The words of a text, lower case ("Time-bound" is one word, "don't" one word)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def _word_matches(word: str, keyword: str) -> bool:
    """A word of the answer matches a keyword word: the same word, a longer form of it
    ("productiv" -> "productivity", "agree" -> "agreed"), or the same word misspelt by a
    letter or two. "disagree" does not match "agree": a keyword is matched from the start
    of a word, never inside it."""
    from rapidfuzz import fuzz

    if word == keyword or word.startswith(keyword):
        return True
    return len(keyword) >= 5 and fuzz.ratio(word, keyword) >= SHORT_TEXT_THRESHOLD


def keyword_groups_found(text: str, key: ShortTextKey, question_text: str = "") -> list[bool]:
    """For each keyword group: is one of its synonyms among the words of the text?

    Matching is on whole words (see `_word_matches`), a synonym of several words matching
    the same words in a row. Words that appear in `question_text` (the prompt) do not count:
    repeating the question is not an answer.
    """
    ignore = set(words_of(question_text))
    answer = words_of(text)
    usable = [w if w not in ignore else None for w in answer]
    found = []
    for group in key.keywords:
        hit = False
        for synonym in group:
            phrase = words_of(synonym)
            if not phrase:
                continue
            n = len(phrase)
            for start in range(len(usable) - n + 1):
                window = usable[start:start + n]
                if all(w is not None and _word_matches(w, k) for w, k in zip(window, phrase)):
                    hit = True
                    break
            if hit:
                break
        found.append(hit)
    return found


def _short_text(question: Question, response: Any, key: ShortTextKey) -> Mark:
    found = keyword_groups_found(str(response), key, question.prompt)
    n = sum(found)
    score = min(1.0, n / key.min_keywords)
    return Mark(question.id, _status(score), score,
                f"{n} of the {key.min_keywords} key ideas needed were found.")


def mark(question: Question, response: Any, key: Any = None,
         feedback: dict[str, str] | None = None) -> Mark:
    """Mark one response to one question.

    key: the question type's key (see module docstring); for a written question a Rubric
    or None. feedback: per-option feedback from the assessor's files (assessed questions).
    """
    if question.type == "written":
        status = "self_check" if question.is_practice else "awaiting_assessor"
        return Mark(question.id, status, None, "")
    if is_blank(response):
        return Mark(question.id, "unanswered", 0.0, "No answer given.")
    if key is None:
        raise UsageError(f"question {question.id}: no key to mark against")
    feedback = feedback or {}
    kind = question.type
    if kind == "data_task":
        kind = "numeric" if question.answer_type == "numeric" else "single_choice"
    if kind == "single_choice":
        return _single(question, response, key, feedback)
    if kind == "multiple_choice":
        return _multiple(question, response, key, feedback)
    if kind == "numeric":
        return _numeric(question, response, key)
    if kind == "ordering":
        return _ordering(question, response, key)
    if kind == "matching":
        return _matching(question, response, key)
    if kind == "short_text":
        return _short_text(question, response, key)
    raise UsageError(f"question {question.id}: unknown type {question.type!r}")


def key_for(question: Question, assessor_key: AssessorKey | None = None,
            data_dir: Any = None) -> Any:
    """The key to mark `question` against.

    Practice: the bank's own key (or rubric). Assessed: the assessor's key (or rubric).
    Data task: computed now from the sample data (never stored).
    """
    if question.type == "data_task":
        from ilcs.assessment.data_tasks import compute

        return compute(question.task or "", question.params, data_dir)
    if question.is_practice:
        return question.rubric if question.type == "written" else question.key
    if assessor_key is None:
        return None
    return assessor_key.rubric if question.type == "written" else assessor_key.key


def rubric_of(question: Question, assessor_key: AssessorKey | None = None) -> Rubric | None:
    if question.is_practice:
        return question.rubric
    return assessor_key.rubric if assessor_key else None
