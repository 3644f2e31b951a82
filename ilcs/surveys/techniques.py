"""Techniques for collecting feedback, as data with their trade-offs, and a questionnaire
checker with transparent rules.

Each technique is rated on the same points (anonymity, cost, speed, depth, typical response
rate, burden on colleagues) so they can be compared side by side. A scenario states what a
team needs; `assess_choice` shows, for the techniques a learner picks, where each one meets
the need and where it falls short. There is rarely one right answer: the point is to see
the trade-offs and to mix techniques.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ilcs.errors import NotFoundError
from ilcs.surveys.questionnaire import MISSING_WORDS, normalise_words

LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Technique:
    id: str
    name: str
    how: str
    anonymity: str          # "yes", "partly", "no"
    cost: str               # low / medium / high
    speed: str              # how quickly results come: low (slow) / medium / high (fast)
    depth: str              # low / medium / high: how much it says about why
    response_rate: str      # typical share of people who take part, in words
    burden: str             # low / medium / high: time and effort asked of colleagues
    needs_computer: bool
    strengths: str
    watch_out: str


TECHNIQUES: tuple[Technique, ...] = (
    Technique("suggestion_box", "Suggestion box",
              "A box (or an online form) where anyone can leave an idea or concern at any "
              "time; emptied regularly and discussed at team meetings.",
              "yes", "low", "medium", "medium", "a few people, when something matters to them",
              "low", False,
              "Anonymous, always open, costs almost nothing; people raise things they would not "
              "say face to face.",
              "Only the keen or the unhappy use it; it must be emptied and answered visibly, or "
              "people stop bothering."),
    Technique("comment_book", "Comment book",
              "A book at reception or a service counter where visitors write comments.",
              "partly", "low", "high", "low", "low: a handful of comments a month",
              "low", False,
              "Quick and easy to write in on the spot, while the experience is fresh.",
              "Others can read what is written, so not everyone likes it; comments are short."),
    Technique("feedback_sheet", "Feedback or evaluation sheet",
              "A short form sent out (or on the intranet) after a piece of work, a course or a "
              "meeting.",
              "partly", "low", "high", "medium", "medium: often 30-60% if handed out at once",
              "low", False,
              "Timely and specific to one piece of work.",
              "Says little about the service as a whole; too many forms cause fatigue."),
    Technique("questionnaire_intranet", "Questionnaire on the intranet or by e-mail",
              "A structured survey sent to every customer, e.g. once a year; can be anonymous "
              "by department.",
              "yes", "low", "medium", "medium", "medium: typically 20-50% of those invited",
              "medium", True,
              "Reaches many people cheaply; the same questions each wave allow comparison over "
              "time.",
              "Needs computer access; low response rates can bias results; questions must be "
              "well written."),
    Technique("questionnaire_paper", "Questionnaire by post or on paper",
              "The same questionnaire printed and handed out or posted internally.",
              "yes", "medium", "low", "medium", "medium: 20-40%, lower if posted",
              "medium", False,
              "Reaches people without a computer; can be anonymous.",
              "Printing, collecting and typing in answers takes time; slow to analyse."),
    Technique("questionnaire_phone", "Questionnaire by phone or face to face",
              "Someone asks the questions and notes the answers.",
              "no", "high", "medium", "high", "high among those reached, but many avoid it",
              "high", False,
              "Can ask follow-up questions and explain anything unclear.",
              "Not anonymous, so answers are kinder than the truth; many people avoid it; "
              "costly in staff time."),
    Technique("complaints", "Complaints procedure",
              "The formal route for an internal customer to say a service has gone wrong; "
              "each complaint is logged, answered and reviewed.",
              "no", "low", "high", "high", "only those who are unhappy enough to complain",
              "medium", False,
              "Shows exactly what went wrong and lets it be put right; trends point to causes.",
              "Hears only from the unhappy; many dissatisfied people never complain."),
    Technique("focus_group", "Focus group or participatory evaluation",
              "A small group of customers (or an annual event) discusses the service with a "
              "facilitator and helps decide what to improve.",
              "no", "high", "low", "high", "small: 6-10 people per group, by invitation",
              "high", False,
              "Depth: why people feel as they do, and ideas for improvement; customers take "
              "part in the solution.",
              "Takes time to organise; few people; some may not speak freely in front of "
              "others."),
)


def technique(technique_id: str) -> Technique:
    for t in TECHNIQUES:
        if t.id == technique_id:
            return t
    known = ", ".join(t.id for t in TECHNIQUES)
    raise NotFoundError(f"no feedback technique called '{technique_id}' (known: {known})")


def techniques_table() -> pd.DataFrame:
    """Every technique's trade-offs side by side."""
    return pd.DataFrame([{
        "technique": t.name, "anonymous": t.anonymity, "cost": t.cost,
        "speed": t.speed, "depth": t.depth, "response_rate": t.response_rate,
        "burden": t.burden, "needs_computer": "yes" if t.needs_computer else "no",
    } for t in TECHNIQUES])


@dataclass(frozen=True)
class Scenario:
    """What a team needs from its feedback: each need is a technique attribute and the
    levels that satisfy it."""

    id: str
    title: str
    situation: str
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    no_computer: bool = False


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("warehouse", "Warehouse staff and the facilities team",
             "Facilities wants honest views from warehouse staff, who rarely use a computer "
             "at work and tend not to speak up in meetings.",
             needs={"anonymity": ("yes",), "burden": ("low", "medium")}, no_computer=True),
    Scenario("annual", "The IT service desk's yearly check",
             "IT wants to compare satisfaction across 8 departments this year and next, "
             "cheaply, without taking much of anyone's time.",
             needs={"cost": ("low",), "burden": ("low", "medium"), "anonymity": ("yes",)}),
    Scenario("why", "Why payroll scores fell",
             "Payroll's scores fell between two survey waves and the manager wants to "
             "understand why, and what customers would change.",
             needs={"depth": ("high",)}),
    Scenario("quick", "Feedback on a training day",
             "HR ran a training day on the new absence system and wants to know the same "
             "week what worked.",
             needs={"speed": ("high",), "burden": ("low",)}),
)

_NEED_WORDS = {"anonymity": "anonymous", "cost": "cost", "speed": "speed of results",
               "depth": "depth (why people feel as they do)", "burden": "burden on colleagues"}


def scenario(scenario_id: str) -> Scenario:
    for s in SCENARIOS:
        if s.id == scenario_id:
            return s
    known = ", ".join(s.id for s in SCENARIOS)
    raise NotFoundError(f"no scenario called '{scenario_id}' (known: {known})")


def assess_choice(chosen_scenario: Scenario, chosen: list[str]) -> pd.DataFrame:
    """For each chosen technique: which of the scenario's needs it meets, which it misses,
    and its main caution. Needs no single technique meets are a reason to combine two."""
    rows = []
    for technique_id in chosen:
        t = technique(technique_id)
        meets: list[str] = []
        misses: list[str] = []
        for attribute, ok in chosen_scenario.needs.items():
            value = getattr(t, attribute)
            words = f"{_NEED_WORDS[attribute]}: {value}"
            (meets if value in ok else misses).append(words)
        if chosen_scenario.no_computer:
            (misses if t.needs_computer else meets).append(
                "needs a computer" if t.needs_computer else "works without a computer")
        rows.append({"technique": t.name, "meets": "; ".join(meets) or "-",
                     "falls_short": "; ".join(misses) or "-",
                     "fit": "good fit" if not misses else
                            f"falls short on {len(misses)} need{'s' if len(misses) > 1 else ''}",
                     "watch_out": t.watch_out})
    return pd.DataFrame(rows, columns=["technique", "meets", "falls_short", "fit", "watch_out"])


def best_fits(chosen_scenario: Scenario) -> list[str]:
    """Technique ids that meet every need of the scenario."""
    table = assess_choice(chosen_scenario, [t.id for t in TECHNIQUES])
    return [t.id for t, fit in zip(TECHNIQUES, table["fit"]) if fit == "good fit"]


# ---------------------------------------------------------------- questionnaire checker

@dataclass(frozen=True)
class Flag:
    rule: str
    message: str


LEADING = ("don't you agree", "do you agree that", "wouldn't you", "isn't it", "surely",
           "everyone", "most people", "excellent", "outstanding", "wonderful", "amazing",
           "great", "how much did you enjoy", "how good", "how helpful was our")
LOADED = ("still", "why do you", "failed", "failure", "poor", "terrible", "awful", "useless",
          "incompetent", "as you know", "given that", "how often do you have to chase",
          "stop")
POSITIVE = ("agree", "satisfied", "good", "excellent", "likely", "easy", "helpful", "always",
            "often", "very good", "yes")
NEGATIVE = ("disagree", "dissatisfied", "poor", "bad", "unlikely", "difficult", "unhelpful",
            "never", "rarely", "very poor", "no", "unsatisfied", "hard")
NEUTRAL = ("neither", "neutral", "not sure", "undecided", "no opinion", "average",
           "neither agree nor disagree", "ok")


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text) is not None


def _side(label: str) -> str:
    words = normalise_words(label)
    if words in {normalise_words(w) for w in MISSING_WORDS}:
        return "n/a"
    if any(_contains(words, n) for n in NEUTRAL):
        return "neutral"
    if any(_contains(words, n) for n in NEGATIVE):
        return "negative"
    if any(_contains(words, p) for p in POSITIVE):
        return "positive"
    return "unknown"


def check_question(wording: str, labels: list[str] | tuple[str, ...] = ()) -> list[Flag]:
    """Every rule a question (and its answer options) breaks; [] if none.

    Rules: double-barrelled ("and"/"or" joining two things to rate at once); leading (words
    that push towards an answer, e.g. "excellent", "don't you agree"); loaded (an assumption
    or emotive word, e.g. "still", "failed"); for the answer options: unbalanced (more
    positive than negative options, or the other way), no neutral middle, no "not
    applicable" option.
    """
    text = normalise_words(wording)
    flags: list[Flag] = []
    joins = [w for w in (" and ", " or ", " as well as ") if w in f" {text} "]
    if joins:
        flags.append(Flag("double-barrelled",
                          f"asks about two things at once (joined by '{joins[0].strip()}'): "
                          "someone who agrees with one and not the other cannot answer. "
                          "Split it into two questions."))
    leading = [w for w in LEADING if _contains(text, w)]
    if leading:
        flags.append(Flag("leading", f"'{leading[0]}' pushes people towards an answer. Ask "
                                     "neutrally, e.g. 'How would you rate ...'."))
    loaded = [w for w in LOADED if _contains(text, w)]
    if loaded:
        flags.append(Flag("loaded", f"'{loaded[0]}' assumes something or carries feeling. "
                                    "Remove the assumption."))
    if labels:
        sides = [_side(label) for label in labels]
        positive, negative = sides.count("positive"), sides.count("negative")
        if positive != negative and positive + negative > 0:
            flags.append(Flag("unbalanced scale",
                              f"{positive} positive and {negative} negative answer options: "
                              "give as many of each."))
        if "neutral" not in sides:
            flags.append(Flag("no neutral option",
                              "no middle answer (e.g. 'Neither agree nor disagree'): people "
                              "with no strong view are pushed to one side."))
        if "n/a" not in sides:
            flags.append(Flag("no not-applicable option",
                              "no 'Not applicable' answer: someone who has not used this part "
                              "of the service has to guess."))
    return flags


def parse_draft(text: str) -> tuple[str, list[str]]:
    """A drafted question as typed: the question on the first line, then its answer options
    one per line (or separated by '/')."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return "", []
    options: list[str] = []
    for line in lines[1:]:
        options.extend(part.strip() for part in line.split("/") if part.strip())
    return lines[0], options


def check_draft(text: str) -> pd.DataFrame:
    """The checker's findings for a drafted question, as a table (rule, advice)."""
    wording, options = parse_draft(text)
    flags = check_question(wording, options) if wording else []
    return pd.DataFrame([{"rule": f.rule, "advice": f.message} for f in flags],
                        columns=["rule", "advice"])
