"""SMART check: a table of written standards with the letters each should get."""

from __future__ import annotations

import pandas as pd
import pytest

from ilcs.standards.smart import check_smart, parse_measure, parse_target
from ilcs.working_time import Calendar

# text, Specific, Measurable, Time-bound, Realistic (without history: False only for absolutes)
EXAMPLES = [
    ("We will acknowledge every IT request from staff within 4 working hours.", True, True, True, None),
    ("We aim to resolve 95% of pay queries from managers within 3 working days.", True, True, True, None),
    ("Good customer service.", False, False, False, None),
    ("We will always answer the phone immediately.", False, False, False, False),
    ("Repairs will be done quickly.", False, False, False, None),
    ("We reply to emails from colleagues within 2 hours.", True, True, True, None),
    ("Facilities will fix reported faults for all staff by the end of the next working day.", True, True, True, None),
    ("We will process expense claims for employees within ten working days.", True, True, True, None),
    ("We guarantee 100% of laptop requests are delivered to new starters within 1 day.", True, True, True, False),
    ("Payroll will respond to queries.", False, False, False, None),
    ("We will answer calls from users within 3 rings.", True, True, False, None),
    ("We will send payslips to every employee by 5pm on the 25th.", True, True, True, None),
    ("Staff requests for access will be set up within 30 minutes.", True, True, True, None),
    ("We will update customers on open incidents every week.", True, False, True, None),
    ("HR will issue contracts to managers within five working days of an offer.", True, True, True, None),
    ("We will book meeting rooms for any department the same day.", True, True, True, None),
    ("We never lose a form.", False, False, False, False),
    ("Our team will get back to every requester about an order within 1 week.", True, True, True, None),
]


@pytest.mark.parametrize(("text", "specific", "measurable", "timebound", "realistic"), EXAMPLES)
def test_letters_without_history(text: str, specific: bool, measurable: bool, timebound: bool,
                                 realistic: bool | None) -> None:
    report = check_smart(text)
    assert report.check("S").met is specific, report.lines()
    assert report.check("M").met is measurable, report.lines()
    assert report.check("T").met is timebound, report.lines()
    assert report.check("R").met is realistic, report.lines()
    assert report.check("A").met is None  # no history given: not judged
    for check in report.checks:
        assert check.reason  # every letter says why


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("within 4 working hours", 4),
        ("within 3 working days", 24),
        ("in under two days", 16),
        ("in two days", 16),
        ("no later than 45 minutes", 0.75),
        ("within 1 week", 40),
        ("the same day", 8),
        ("by the next working day", 16),
        ("soon", None),
    ],
)
def test_parse_target(text: str, hours: float | None) -> None:
    assert parse_target(text, Calendar())[0] == hours


def test_parse_measure() -> None:
    assert parse_measure("We will acknowledge requests") == "first_response"
    assert parse_measure("We will reply to and resolve queries") == "resolution"
    assert parse_measure("Service with a smile") is None
    # 'pay' here names the service, not an action: replying is a first response.
    assert parse_measure("Payroll will reply to pay queries within 1 working day") == "first_response"


def _history() -> pd.DataFrame:
    # IT Service Desk: 10 requests received Monday 09:00, first responses after 1..10 hours.
    received = pd.Timestamp("2025-03-10 09:00")
    first = [received + pd.Timedelta(hours=h) for h in range(1, 9)]  # 1..8 hours on Monday
    first += [pd.Timestamp("2025-03-11 10:00"), pd.Timestamp("2025-03-11 11:00")]  # 9 and 10 hours
    return pd.DataFrame(
        {
            "request_id": [f"R{i}" for i in range(10)],
            "requester_department": ["Finance"] * 10,
            "provider_team": ["IT Service Desk"] * 10,
            "received_at": [received] * 10,
            "first_response_at": first,
            "resolved_at": [pd.Timestamp("2025-03-12 09:00")] * 10,
        }
    )


@pytest.mark.parametrize(
    ("text", "share", "achievable", "realistic"),
    [
        # 8 of 10 replied within 8 working hours: 80% meets the default level of 80%.
        ("We will reply to IT requests from Finance within 8 working hours.", 80, True, True),
        # 4 of 10 within 4 hours: 40% < 50% is unrealistic and far below 80%.
        ("We will reply to IT requests from Finance within 4 working hours.", 40, False, False),
        # 6 of 10 within 6 hours, but only 60% is promised: achievable and realistic.
        ("We will reply to 60% of IT requests from Finance within 6 working hours.", 60, True, True),
        # 9 of 10 within 9 working hours (Tuesday 10:00), but 100% is promised: absolute.
        ("We will reply to 100% of IT requests from Finance within 9 working hours.", 90, True, False),
    ],
)
def test_achievable_and_realistic_from_history(text: str, share: float, achievable: bool,
                                               realistic: bool) -> None:
    report = check_smart(text, requests=_history())
    assert report.team == "IT Service Desk"  # found from 'IT' in the text
    assert report.measure == "first_response"
    assert report.history_share == pytest.approx(share)
    assert report.check("A").met is achievable, report.lines()
    assert report.check("R").met is realistic, report.lines()
    assert f"{share}%" in report.check("A").reason
    # The requester department from the log counts as a named customer.
    assert report.check("S").met is True


def test_history_cannot_be_used_without_a_team() -> None:
    report = check_smart("We will reply to staff requests within 4 working hours.",
                         requests=_history().assign(provider_team="Payroll"))
    assert report.team is None
    assert report.check("A").met is None
    assert "name the team" in report.check("A").reason


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("within half a working day", 4),  # half of an 8-hour working day
        ("within 48 hours", 16),  # two days on the clock is two working days, not 48 working hours
        ("within 24 hours", 8),
        ("within 48 working hours", 48),  # said in working hours: taken as written
        ("within 2 hours", 2),
    ],
)
def test_parse_target_british_phrasings(text: str, hours: float) -> None:
    assert parse_target(text, Calendar())[0] == hours


def test_close_and_repair_as_words_do_not_pick_the_clock() -> None:
    # 'close of play' is a time and 'repair requests' a service: replying is a first response.
    assert parse_measure("We will reply to all staff emails by close of play") == "first_response"
    assert parse_measure("We will acknowledge repair requests from staff within 2 hours") == "first_response"
    assert parse_measure("We will repair broken chairs within 5 working days") == "resolution"


def test_the_provider_named_in_the_text_is_not_the_customer() -> None:
    log = _history().assign(requester_department=["IT", "Finance"] * 5)
    provider_only = check_smart("IT will fix faults within 4 working hours.", requests=log)
    assert provider_only.check("S").met is False, provider_only.lines()
    assert "the customer" in provider_only.check("S").reason
    for_finance = check_smart("IT will fix faults for Finance within 4 working hours.", requests=log)
    assert for_finance.check("S").met is True, for_finance.lines()


def test_achievable_is_judged_on_the_priority_named() -> None:
    # Two P1 requests answered within 2 hours, eight P3 ones after 3..10 hours.
    log = _history().assign(priority=["P1", "P1"] + ["P3"] * 8)
    p1 = check_smart("We will reply to priority 1 IT requests from Finance within 2 working hours.", requests=log)
    assert p1.history_share == pytest.approx(100)  # both P1 requests: hours 1 and 2
    assert p1.history_n == 2
    assert "P1 requests" in p1.check("A").reason
    everyone = check_smart("We will reply to IT requests from Finance within 2 working hours.", requests=log)
    assert everyone.history_share == pytest.approx(20)  # 2 of all 10
    assert "80% is assumed" in everyone.check("A").reason  # the level used is said
