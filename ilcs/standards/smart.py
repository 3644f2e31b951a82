"""SMART check of a written service standard: Specific, Measurable, Achievable, Realistic, Time-bound.

The rules are deliberately simple and visible, so a trainee can see why a letter is met or
missing and fix the wording:

- **Specific**: says what will be done (an action such as "acknowledge", "resolve"), for which
  service (a thing such as "request", "pay query", "repair") and for whom (a customer such as
  "staff", "managers", or a department named in the request log as the one asking, never the
  team doing the work: "IT will ..."). A quality standard ("file all personnel records
  accurately") need not name a customer.
- **Measurable**: has a number with a unit ("4 working hours", "2 days"), a fixed deadline that
  each request can be checked against ("same day", "by close of play", "by 5pm"), or a share or
  "all" of a quality ("99% correct first time"). A percentage alone ("95% of enquiries") says
  nothing to check it against; more than 100% cannot be measured.
- **Time-bound**: has a timescale ("within 3 working days", "half a working day", "same day",
  "by 5pm") or a checking period ("each month"). "48 hours" on the clock is two working days.
- **Achievable**: with the team's request history (of the priority the standard names, if any),
  the share of past requests that would have met the target is at least the level promised
  (the percentage in the text, or 80%, said in the reason) less 10 points. Without history it
  cannot be judged (met = None): a learner's own standard is never judged on the sample
  organisation's history, only on the requests they give.
- **Realistic**: no absolute or impossible promises ("always", "immediately", "100%", "110%",
  "never") and, with history, the team already meets the target at least half of the time.

A working day ("2 working days", "48 hours", "half a working day", "same day") is the team's
working day when its calendar is known (its standards' opens, closes and lunch), otherwise
09:00-17:00 (8 hours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ilcs.working_time import Calendar

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "twenty-four": 24, "thirty": 30, "forty-eight": 48, "half a": 0.5, "half an": 0.5,
}
_NUMBER = r"(?P<n>\d+(?:\.\d+)?|" + "|".join(
    re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<working>working |business |office )?(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?)"
QUANTITY = re.compile(rf"\b{_NUMBER}[ -]{_UNIT}\b", re.IGNORECASE)
WITHIN = re.compile(
    rf"\b(?:within|in|under|inside|no later than|no more than|in less than|up to)\s+{_NUMBER}[ -]{_UNIT}\b",
    re.IGNORECASE,
)
PERCENT = re.compile(r"\b(?P<p>\d{1,3}(?:\.\d+)?)\s*(?:%|per ?cent)", re.IGNORECASE)
COUNT = re.compile(r"\b\d+\s+(?:rings?|calls?|visits?|updates?|times?)\b", re.IGNORECASE)
SAME_DAY = re.compile(r"\bsame (?:working |business )?day\b", re.IGNORECASE)
NEXT_DAY = re.compile(r"\bnext (?:working |business )day\b", re.IGNORECASE)
DEADLINE = re.compile(
    r"\bby (?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|noon|midday|the end of|close of|end of|"
    r"(?:monday|tuesday|wednesday|thursday|friday)|the \d{1,2}(?:st|nd|rd|th))|"
    r"\bby (?:\d{1,2}:\d{2})\b|\b(?:each|every) (?:working |business )?(?:day|week|month|quarter|year)\b|"
    r"\b(?:in|by) (?:that|the same|the next|each) (?:month|week)'?s?\b|"
    r"\b(?:daily|weekly|monthly|quarterly|annually)\b",
    re.IGNORECASE,
)
FIXED_DEADLINE = re.compile(
    r"\bby (?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday|the end of|close of|end of|"
    r"(?:monday|tuesday|wednesday|thursday|friday)|the \d{1,2}(?:st|nd|rd|th))",
    re.IGNORECASE,
)
FIRST_RESPONSE_VERBS = (
    "acknowledge", "acknowledged", "respond", "responded", "reply", "replied", "answer",
    "answered", "call back", "get back", "contact", "first response", "log", "logged",
)
RESOLUTION_VERBS = (
    "resolve", "resolved", "fix", "fixed", "complete", "completed", "close", "closed", "solve",
    "solved", "repair", "repaired", "place", "placed", "reset", "paid", "file", "filed",
    "code", "coded", "process", "processed", "deliver", "delivered",
    "install", "installed", "approve", "approved", "send", "sent", "arrange", "arranged",
    "book", "booked", "set up", "issued", "provide", "provided", "correct", "corrected",
    "put right", "sort out", "sorted",
)
#: Other actions: they make a standard specific but do not say which clock it is measured on.
OTHER_ACTIONS = (
    "update", "inform", "tell", "issue", "pay", "check", "visit", "review", "train", "keep",
    "agree", "explain", "return",
)
SERVICE_WORDS = (
    "request", "query", "queries", "enquiry", "enquiries", "fault", "ticket", "call", "email",
    "order", "invoice", "claim", "repair", "booking", "application", "access", "password",
    "complaint", "payslip", "expense", "account", "laptop", "equipment", "report", "contract",
    "purchase", "payment", "incident", "issue", "message", "form", "leave", "recruitment",
    "vacancy", "room", "delivery", "supplier", "budget", "record", "post", "payroll record",
    "overtime",
)
#: Words of a quality standard: it promises accuracy or completeness, not speed, so it names
#: what is done and to which records; the customer and a timescale are not what it is about.
QUALITY = re.compile(
    r"\b(?:accurate(?:ly)?|accuracy|correct(?:ly)?|without errors?|error[- ]free|first time|"
    r"complete(?:ly)?|in full)\b",
    re.IGNORECASE,
)
ALL_OF = re.compile(r"\b(?:all|every|each)\b", re.IGNORECASE)
#: "claims received by ..." names the service by who sends it: the senders are its customers.
RECEIVED = re.compile(r"\b(?:received|sent in|submitted)\b", re.IGNORECASE)
CUSTOMER_WORDS = (
    "staff", "colleague", "employee", "department", "manager", "customer", "user",
    "requester", "resident", "directorate", "school", "member", "starter", "everyone",
    "candidate", "budget holder", "we serve",
)
ABSOLUTES = re.compile(
    r"\b(?:always|immediately|instantly|instant|never|at once|every single|guarantee[ds]?|"
    r"zero|without exception|24/7)\b|\b100\s*(?:%|per ?cent)",
    re.IGNORECASE,
)
DEFAULT_LEVEL = 80.0
PRIORITY = re.compile(r"\bpriority\s*(?P<a>[1-5])\b|\bP(?P<b>[1-5])\b", re.IGNORECASE)


@dataclass(frozen=True)
class SmartCheck:
    """One SMART letter: met (True), missing (False) or cannot be judged (None), and why."""

    letter: str
    name: str
    met: bool | None
    reason: str

    @property
    def label(self) -> str:
        if self.met is None:
            return "? not judged"
        return "✔ met" if self.met else "✘ missing"


@dataclass(frozen=True)
class SmartReport:
    """The result of checking one written standard."""

    text: str
    checks: tuple[SmartCheck, ...]
    measure: str | None  # first_response | resolution | None
    target_hours: float | None
    level: float | None  # % promised in the text, if any
    team: str | None
    history_share: float | None  # % of the team's past requests that would have met it
    history_n: int = 0

    def check(self, letter: str) -> SmartCheck:
        return next(c for c in self.checks if c.letter == letter)

    @property
    def met_letters(self) -> str:
        return "".join(c.letter for c in self.checks if c.met)

    @property
    def all_met(self) -> bool:
        return all(c.met for c in self.checks)

    def lines(self) -> list[str]:
        """Plain-text feedback, one line per letter."""
        return [f"{c.letter} {c.name}: {c.label} - {c.reason}" for c in self.checks]


def _number(text: str) -> float:
    text = text.lower()
    return float(NUMBER_WORDS[text]) if text in NUMBER_WORDS else float(text)


def _hours(match: re.Match[str], calendar: Calendar) -> float:
    n = _number(match.group("n"))
    unit = match.group("unit").lower()
    if unit.startswith("min"):
        return n / 60
    if unit.startswith(("hour", "hr")):
        if not match.group("working") and n >= 24:
            return n / 24 * calendar.day_hours  # "48 hours" is two days on the clock, not 48 working hours
        return n
    if unit.startswith("day"):
        return n * calendar.day_hours
    return n * 5 * calendar.day_hours  # weeks: five working days


def _found(words: tuple[str, ...], text: str) -> list[str]:
    low = text.lower()
    return [w for w in words if re.search(rf"\b{re.escape(w)}(?:s|es)?\b", low)]


def parse_target(text: str, calendar: Calendar | None = None) -> tuple[float | None, str]:
    """The timescale of a standard in working hours, and how it was read (for the reason)."""
    calendar = calendar or Calendar()
    match = WITHIN.search(text)
    day = f"a working day of {calendar.day_hours:g} hours"
    if match:
        words = match.group(0)
        hours = _hours(match, calendar)
        unit = match.group("unit").lower()
        by_day = unit.startswith(("day", "week")) or (
            unit.startswith(("hour", "hr")) and not match.group("working") and hours != _number(match.group("n")))
        if by_day:
            note = f" (read as {hours:g} working hours: {day})"
        else:
            note = "" if match.group("working") else f" (read as {hours:g} working hours)"
        return hours, f"'{words}'{note}"
    if SAME_DAY.search(text):
        return calendar.day_hours, f"'same day' (read as 1 working day: {day})"
    if NEXT_DAY.search(text):
        return 2 * calendar.day_hours, f"'next working day' (read as 2 working days: {day} each)"
    return None, ""


#: Uses of "close" and "repair" that name a time or a service, not an action.
NOT_ACTIONS = re.compile(
    r"\bclose of (?:play|business|day)\b|\b(?:a|the|each|every|all|any|for|of|on|about)\s+repairs?\b|"
    r"\brepairs?\s+(?:requests?|jobs?|calls?|tickets?|orders?|will|are|is)\b",
    re.IGNORECASE,
)


def parse_measure(text: str) -> str | None:
    """Which clock a standard is about: first_response (acknowledge, reply...) or resolution."""
    text = NOT_ACTIONS.sub(" ", text)
    if _found(RESOLUTION_VERBS, text):
        return "resolution"
    if _found(FIRST_RESPONSE_VERBS, text):
        return "first_response"
    return None


def _find_team(text: str, teams: list[str]) -> str | None:
    low = text.lower()
    for team in teams:
        if team.lower() in low:
            return team
    for team in teams:  # "IT" for "IT Service Desk", "payroll" for "Payroll"
        first = team.split()[0].lower()
        if re.search(rf"\b{re.escape(first)}\b", low):
            return team
    return None


#: Why A and R are not judged when no request records are given (a learner's own standard).
NO_RECORDS = "cannot be judged without your own records"
RECORDS_HINT = "give your team's requests"


def check_smart(
    text: str,
    requests: Any = None,
    team: str | None = None,
    calendar: Calendar | None = None,
    standards: Any = None,
    records_hint: str = RECORDS_HINT,
) -> SmartReport:
    """Check a written standard against SMART, using the team's history if `requests` is given.

    `team` is the provider team whose history is used; if not given it is looked for in the
    text (e.g. "IT" finds "IT Service Desk"). `standards` (a standards table) gives the team's
    working calendar, so "2 working days" or "48 hours" is that team's working day; a
    `calendar` given overrides it. Without `requests`, Achievable and Realistic are not judged
    (unless the wording alone settles Realistic); their reason ends with `records_hint`, e.g.
    "give your team's requests with --requests FILE".
    """
    text = " ".join(str(text or "").split())
    actions = _found(FIRST_RESPONSE_VERBS + RESOLUTION_VERBS + OTHER_ACTIONS, NOT_ACTIONS.sub(" ", text))
    services = _found(SERVICE_WORDS, text)
    customers = _found(CUSTOMER_WORDS, text)
    departments: list[str] = []
    teams: list[str] = []
    if requests is not None and len(requests):
        departments = sorted({str(d) for d in requests["requester_department"].dropna().unique()})
        teams = sorted({str(t) for t in requests["provider_team"].dropna().unique()})
        # A department named as the one doing the work ("IT will ...") is the provider, not the customer.
        customers += [
            d for d in departments
            if re.search(rf"\b(?:from|for|to|in|of|across|with|by)\s+(?:the\s+)?{re.escape(d.lower())}\b",
                         text.lower())
        ]
    quality = QUALITY.search(text)
    if not customers and RECEIVED.search(text) and services:
        customers = [f"those who send the {services[0]}s in"]
    calendars: dict[str, Calendar] = {}
    if standards is not None and len(standards):
        from ilcs.standards.measures import team_calendars

        calendars = team_calendars(standards)
    if team is None and (teams or calendars):
        team = _find_team(text, teams or sorted(calendars))
    calendar = calendar or calendars.get(team or "") or Calendar()

    # S: Specific
    missing = []
    if not actions:
        missing.append("an action (what will you do? e.g. 'acknowledge', 'resolve')")
    if not services:
        missing.append("the service (which requests? e.g. 'pay queries', 'repair requests')")
    if not customers and not quality:
        missing.append("the customer (for whom? e.g. 'all staff', 'managers in Finance')")
    if missing:
        specific = SmartCheck("S", "Specific", False, "add " + "; ".join(missing))
    elif not customers:
        specific = SmartCheck(
            "S", "Specific", True,
            f"a quality standard: says what ('{actions[0]}') and for which service ('{services[0]}')",
        )
    else:
        specific = SmartCheck(
            "S", "Specific", True,
            f"says what ('{actions[0]}'), for which service ('{services[0]}') and for whom ('{customers[0]}')",
        )

    # T is read first: a deadline ("by 5pm", "the same day") is also something to measure against.
    target, how = parse_target(text, calendar)
    deadline = DEADLINE.search(text)

    # M: Measurable
    quantity = QUANTITY.search(text)
    percent = PERCENT.search(text)
    count = COUNT.search(text)
    # A fixed deadline can be checked request by request; a period ("every week") alone cannot.
    day_word = SAME_DAY.search(text) or NEXT_DAY.search(text) or FIXED_DEADLINE.search(text)
    if percent and float(percent.group("p")) > 100:
        measurable = SmartCheck(
            "M", "Measurable", False,
            f"'{percent.group(0)}' cannot be measured: no more than 100% of anything can be met",
        )
    elif quantity:
        measurable = SmartCheck("M", "Measurable", True, f"has a quantity with a unit: '{quantity.group(0)}'")
    elif day_word:
        found = day_word.group(0)
        measurable = SmartCheck("M", "Measurable", True, f"each request can be checked against '{found}'")
    elif count:
        measurable = SmartCheck("M", "Measurable", True, f"has a measure: '{count.group(0)}'")
    elif quality and (percent or ALL_OF.search(text)):
        found = (percent or ALL_OF.search(text)).group(0)  # type: ignore[union-attr]
        measurable = SmartCheck(
            "M", "Measurable", True,
            f"a quality standard: the share of work that is '{quality.group(0)}' can be counted "
            f"against '{found}'",
        )
    elif percent:
        measurable = SmartCheck(
            "M", "Measurable", False,
            f"'{percent.group(0)}' of what? say within what time (or to what quality), "
            "e.g. '95% within 3 working days'",
        )
    else:
        measurable = SmartCheck(
            "M", "Measurable", False,
            "no number with a unit: say how much or how fast, e.g. '4 working hours' or '95%'",
        )

    # T: Time-bound
    if target is not None:
        timebound = SmartCheck("T", "Time-bound", True, f"has a timescale: {how}")
    elif deadline:
        timebound = SmartCheck("T", "Time-bound", True, f"has a deadline: '{deadline.group(0)}'")
    else:
        timebound = SmartCheck(
            "T", "Time-bound", False,
            "no timescale: say by when, e.g. 'within 3 working days' or 'the same day'"
            + ("; a quality standard still needs a period it is checked over, e.g. 'each month'"
               if quality else ""),
        )

    # A and R: judged against the team's history when we can
    level = float(percent.group("p")) if percent else None
    measure_name = parse_measure(text)
    absolute = ABSOLUTES.search(text)
    share: float | None = None
    n_history = 0
    priority: str | None = None
    if requests is not None and team is not None and target is not None and measure_name:
        from ilcs.standards.measures import history_hours, share_within

        history_rows = requests
        priority_match = PRIORITY.search(text)
        if priority_match and "priority" in requests.columns:
            # "fix priority 1 faults ..." is judged on the team's P1 requests only.
            priority = "P" + (priority_match.group("a") or priority_match.group("b"))
            history_rows = requests[requests["priority"].astype(str).str.upper() == priority]
        hours = history_hours(history_rows, team, measure_name, calendar)
        n_history = int(hours.notna().sum())
        if n_history:
            share = share_within(hours, target)
    wanted = level if level is not None else DEFAULT_LEVEL
    clock = "first response" if measure_name == "first_response" else "resolution"
    if share is not None and team is not None:
        owner = f"{team}'" if team.endswith("s") else f"{team}'s"
        which = f"{priority} " if priority else ""
        history = (f"{share:.0f}% of {owner} last {n_history:,} {which}requests had a {clock} "
                   f"within {target:g} working hours")
        achievable = SmartCheck(
            "A", "Achievable", share >= wanted - 10,
            f"{history}; the standard asks for {wanted:g}%"
            + ("" if level is not None else " (no share is given, so 80% is assumed)")
            + ("" if share >= wanted - 10 else ": the team would need to change how it works first"),
        )
    else:
        why = _why_not_judged(requests, team, target, measure_name, records_hint)
        achievable = SmartCheck("A", "Achievable", None, why)
    if level is not None and level > 100:
        realistic = SmartCheck(
            "R", "Realistic", False, f"'{percent.group(0)}' is impossible: no team can meet more than 100%",  # type: ignore[union-attr]
        )
    elif absolute:
        realistic = SmartCheck(
            "R", "Realistic", False,
            f"'{absolute.group(0)}' is an absolute promise no team can keep every time; "
            "allow for exceptions or give a percentage",
        )
    elif share is not None:
        ok = share >= 50
        realistic = SmartCheck(
            "R", "Realistic", ok,
            f"the team meets it {share:.0f}% of the time today"
            + ("" if ok else ": less than half, so customers would be let down more often than not"),
        )
    else:
        realistic = SmartCheck(
            "R", "Realistic", None,
            "no absolute promises found; "
            + _why_not_judged(requests, team, target, measure_name, records_hint),
        )
    return SmartReport(
        text=text,
        checks=(specific, measurable, achievable, realistic, timebound),
        measure=measure_name,
        target_hours=target,
        level=level,
        team=team,
        history_share=share,
        history_n=n_history,
    )


def _why_not_judged(requests: Any, team: str | None, target: float | None,
                    measure_name: str | None, records_hint: str = RECORDS_HINT) -> str:
    if requests is None:
        return f"{NO_RECORDS}: {records_hint}"
    if target is None:
        return "no timescale to test against the history"
    if measure_name is None:
        return "say whether you will reply or resolve, so we know which clock to use"
    if team is None:
        return "name the team (or choose it) so its history can be used"
    return f"{team} has no finished requests in the history"
