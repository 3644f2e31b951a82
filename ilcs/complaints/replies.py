"""Handling an upset colleague (criterion 5.2): the steps, and a written-reply checker.

The steps: listen without interrupting, repeat back, empathise, apologise where right,
offer options, act, follow up, confirm resolution. Some happen together, so they share a
**phase**: an order is right when the phases never go backwards, whatever the order of the
steps within one phase (repeating back, empathising and apologising belong together).

The reply checker is formative only: it says which elements a written reply contains, by
plain phrase rules anyone can read in `ELEMENTS` (and that the tests pin down). It never
marks: in assessed mode a reply is marked by the assessor against the rubric.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ilcs.errors import DataError, Problem


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    phase: int
    why: str


STEPS: tuple[Step, ...] = (
    Step("listen", "Listen without interrupting (and watch body language)", 1,
         "You cannot help until you have heard the whole problem."),
    Step("repeat", "Repeat back what you heard", 2,
         "Repeating back checks you have understood and shows you listened."),
    Step("empathise", "Empathise: show you understand how it affects them", 2,
         "Empathy goes with repeating back: both show you see it from their side."),
    Step("apologise", "Apologise where it is right (your mistake or the organisation's)", 2,
         "An apology belongs with acknowledging the concern, before you move to solutions."),
    Step("options", "Offer a solution, or a choice of solutions", 3,
         "Options come once the problem is understood and acknowledged."),
    Step("act", "Act, and tell them the steps you are taking", 4,
         "Act on the option agreed."),
    Step("follow-up", "Follow up while it is being put right", 5,
         "Following up comes after you have acted."),
    Step("confirm", "Confirm with them that it is resolved", 6,
         "Only once it is resolved can you confirm it."),
)
_BY_ID = {s.id: s for s in STEPS}


@dataclass(frozen=True)
class OrderFeedback:
    right: bool
    lines: tuple[str, ...]


def check_order(order: list[str]) -> OrderFeedback:
    """Feedback on an order of the step ids: right if the phases never go backwards."""
    empty = [str(i + 1) for i, s in enumerate(order) if not s]
    if empty:
        raise DataError(Problem(f"choose a step for every place (empty: step {', '.join(empty)})"))
    unknown = [s for s in order if s not in _BY_ID]
    missing = [s.id for s in STEPS if s.id not in order]
    if unknown or missing or len(order) != len(STEPS):
        parts = []
        if unknown:
            parts.append(f"unknown steps: {', '.join(unknown)}")
        if missing:
            parts.append(f"missing steps: {', '.join(missing)}")
        if len(set(order)) != len(order):
            parts.append("a step is used twice")
        raise DataError(Problem("the order must use each step once (" + "; ".join(parts) + ")"))
    lines: list[str] = []
    for earlier, later in zip(order, order[1:]):
        a, b = _BY_ID[earlier], _BY_ID[later]
        if b.phase < a.phase:
            lines.append(f"✘ '{b.text}' should come before '{a.text}'. {b.why}")
    if not lines:
        lines.append("✔ A good order. Repeating back, empathising and apologising can happen "
                     "together, in any order.")
    return OrderFeedback(right=len(lines) == 1 and lines[0].startswith("✔"), lines=tuple(lines))


# ----------------------------------------------------------------- the reply checker

_TIME = (r"\b(today|tomorrow|tonight|this (morning|afternoon|evening|week)|"
         r"end of (the )?(day|week)|(by|on|before) (monday|tuesday|wednesday|thursday|friday)|"
         r"within \w+ (working )?(hours?|days?|minutes?)|in (the next )?\w+ (working )?"
         r"(hours?|days?|minutes?)|by \d{1,2}(:\d{2})? ?(am|pm)?|by \d{1,2}(st|nd|rd|th)?\b|"
         r"by (noon|midday|lunchtime)|\d{1,2}(:\d{2})? ?(am|pm)\b)")
_ACTION = r"\b(i will|i'll|we will|we'll|i am going to|i'm going to|we are going to|i have arranged|we have arranged)\b"

#: element -> (what it means, phrase patterns: any one found means the element is there).
ELEMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "acknowledgement": (
        "Says what the problem is, so they know you have understood it",
        (r"\bthank you for (letting|telling|raising|your)", r"\bthanks for (letting|telling|raising)",
         r"\bi understand (that|the)\b", r"\bi can see (that|the)\b", r"\byou('ve| have) (told|let) ",
         r"\byou (are|were) right\b", r"\bi('ve| have) (read|received|heard)\b",
         r"\bas i understand it\b", r"\bso (that )?i('m| am) clear\b")),
    "empathy": (
        "Shows you understand how it affects them",
        (r"\bmust (be|have been) (frustrating|difficult|hard|stressful|annoying|worrying)",
         r"\bhow (frustrating|difficult|stressful|annoying|worrying)\b",
         r"\bi can (imagine|understand) (how|why|that)\b", r"\bi understand (how|why)\b",
         r"\bi appreciate (how|that|the)\b", r"\bunderstandably\b",
         r"\b(frustrating|stressful|worrying) for you\b")),
    "apology": (
        "Says sorry for the problem (yours or the organisation's)",
        (r"\bsorry\b", r"\bapologi[sz]e", r"\bapologies\b")),
    "options": (
        "Offers a solution, or better, a choice of solutions",
        (r"\b(either|alternatively|option|options|choice)\b", r"\bwould you (like|prefer)\b",
         r"\bif you (prefer|would rather)\b", r"\bwe (can|could) (also )?(send|lend|arrange|move|"
         r"replace|fix|offer|give)", r"\bi (can|could) (also )?(send|lend|arrange|move|replace|"
         r"fix|offer|give)")),
    "next step with a timescale": (
        "Says what will happen next and by when (an action and a time)",
        ()),  # an action phrase and a time phrase in the same sentence: see check_reply
    "follow-up": (
        "Promises to come back to them, or to check it is resolved",
        (r"\b(follow(ing)? up|come back to you|get back to you|check (in )?with you|"
         r"call you|ring you|update you|keep you (updated|informed|posted)|let you know|"
         r"confirm (with you|that it)|make sure (it|that it)('s| is) (fixed|resolved|working))",)),
}


@dataclass(frozen=True)
class ElementResult:
    element: str
    meaning: str
    found: bool
    evidence: str  # the words that matched, or "" when not found


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def check_reply(text: str) -> list[ElementResult]:
    """Which of the six elements a written reply contains, with the words that show each."""
    lowered = text.lower().replace("’", "'")
    results: list[ElementResult] = []
    for element, (meaning, patterns) in ELEMENTS.items():
        evidence = ""
        if element == "next step with a timescale":
            for sentence in _sentences(lowered):
                action = re.search(_ACTION, sentence)
                when = re.search(_TIME, sentence)
                if action and when:
                    evidence = f"{action.group(0)} … {when.group(0)}"
                    break
        else:
            for pattern in patterns:
                match = re.search(pattern, lowered)
                if match:
                    evidence = match.group(0)
                    break
        results.append(ElementResult(element, meaning, bool(evidence), evidence))
    return results


def reply_feedback(text: str) -> list[str]:
    """Formative feedback in words, one line per element (never a mark)."""
    if not text.strip():
        return ["Write a reply first."]
    lines = []
    for r in check_reply(text):
        if r.found:
            lines.append(f"✔ {r.element}: found (\"{r.evidence}\").")
        else:
            lines.append(f"○ {r.element}: not found. {r.meaning}.")
    lines.append("This checker only looks for phrases; it does not mark your reply. In the "
                 "assessed question your assessor marks it against the rubric.")
    return lines
