"""Problem types, scenarios, routing over the org chart, the handling steps and the reply checker."""

from __future__ import annotations

import pandas as pd
import pytest

from ilcs.complaints import (
    STEPS,
    check_order,
    check_reply,
    classify,
    load_problem_types,
    load_scenarios,
    route,
    routing_table,
)
from ilcs.complaints.replies import reply_feedback
from ilcs.errors import DataError
from ilcs.io import load_sample


@pytest.fixture(scope="module")
def org() -> pd.DataFrame:
    return load_sample("org_chart")


def test_every_content_map_type_is_there() -> None:
    types = load_problem_types()
    kinds = [t.kind for t in types.values()]
    # content map 5.1: 12 work-related and 8 personal points (racial and appearance remarks
    # together), plus the service complaint kept apart
    assert (kinds.count("work-related"), kinds.count("personal"), kinds.count("service")) == (
        12, 8, 1)
    for t in types.values():
        if t.kind == "personal":
            assert t.framing, t.id
    assert "Equality Act 2010" in types["discrimination"].framing
    assert "ACAS Code" in types["unfair-treatment"].framing
    assert "dignity-at-work" in types["remarks"].framing
    assert "alleged behaviour" in types["remarks"].framing


def test_scenarios_are_many_varied_and_labelled() -> None:
    scenarios = load_scenarios()
    assert len(scenarios) >= 30
    assert len({s.department for s in scenarios}) >= 8
    assert sum(bool(s.also) for s in scenarios) >= 8  # some are ambiguous
    used = {s.type for s in scenarios}
    assert used == set(load_problem_types())  # every type has at least one scenario


def test_classify_feedback() -> None:
    right = classify("S16", "discrimination")
    assert right.verdict == "correct" and "Equality Act 2010" in right.text
    fair = classify("S18", "discrimination")
    assert fair.verdict == "also fair" and fair.correct
    wrong = classify("S24", "health-and-safety")
    assert wrong.verdict == "not yet"
    assert wrong.text.startswith("Not the best fit. This is a complaint about another team's "
                                 "service (service complaint)")
    with pytest.raises(DataError, match="'nonsense' is not a problem type"):
        classify("S01", "nonsense")


def test_route_to_the_handler_with_escalation(org: pd.DataFrame) -> None:
    r = route("discrimination", "Finance", org)
    assert r.handler is not None and r.handler.person == "Sophie Morgan"
    assert [p.person for p in r.escalation] == ["Tom Kaur", "Olivia Cooper"]
    assert r.reason == ("'Discrimination' is handled as 'Discrimination'; Sophie Morgan handles "
                        "'Discrimination' elsewhere in the organisation.")


def test_department_first_and_service_complaints_by_department(org: pd.DataFrame) -> None:
    # "Workload and delegation" is handled by every head and the operations managers:
    # in Payroll it is the Head of Payroll, in Operations the Head of Operations (first).
    assert route("delegated-without-consent", "Payroll", org).handler.person == "Kieran Baker"
    assert route("delegated-without-consent", "Operations", org).handler.person == "Nathan Walsh"
    assert route("service-complaint", "IT", org).handler.person == "Chloe Davies"
    # HR has no "Complaints about ..." role: the central complaints handler takes it
    assert route("service-complaint", "HR", org).handler.person == "Ruby Shaw"


def test_a_complaint_about_a_person_never_goes_to_them(org: pd.DataFrame) -> None:
    r = route("discrimination", "HR", org, about="Sophie Morgan")
    assert r.handler.person == "Tom Kaur"
    assert "Sophie Morgan" not in [p.person for p in r.escalation]
    assert r.reason.endswith("so it goes to their manager, Tom Kaur.")
    # about the Head of HR: Sophie Morgan handles it, and he is left out of her escalation
    r = route("discrimination", "HR", org, about="R007")
    assert r.handler.person == "Sophie Morgan"
    assert [p.person for p in r.escalation] == ["Olivia Cooper"]
    # several handlers: the next one takes it
    r = route("delegated-without-consent", "Operations", org, about="Nathan Walsh")
    assert r.handler.person == "Laura Jones"
    assert "Nathan Walsh" not in [p.person for p in r.escalation]
    with pytest.raises(DataError, match="'Nobody' is not a role id or a person"):
        route("discrimination", "HR", org, about="Nobody")


def test_a_type_nobody_handles_is_a_gap_not_a_crash(org: pd.DataFrame) -> None:
    r = route("no-recognition", "Facilities", org)
    assert r.handler is None
    assert r.lines() == [
        "Gap: nobody in the org chart handles 'Recognition and thanks', so a problem of the "
        "type 'No encouragement, recognition or thanks' (Facilities) has no owner. Finding for "
        "the organisation: name a role to handle it (typically: The person's line manager)."]
    table = routing_table(org, "Facilities")
    assert (table["finding"] != "").sum() == 1


def test_handling_steps_allow_steps_that_happen_together() -> None:
    ids = [s.id for s in STEPS]
    assert check_order(ids).right
    together = ["listen", "apologise", "empathise", "repeat", "options", "act", "follow-up",
                "confirm"]
    assert check_order(together).right
    wrong = check_order(["options", "listen", "repeat", "empathise", "apologise", "act",
                         "confirm", "follow-up"])
    assert not wrong.right
    assert wrong.lines == (
        "✘ 'Listen without interrupting (and watch body language)' should come before 'Offer "
        "a solution, or a choice of solutions'. You cannot help until you have heard the whole "
        "problem.",
        "✘ 'Follow up while it is being put right' should come before 'Confirm with them that "
        "it is resolved'. Following up comes after you have acted.",
    )
    with pytest.raises(DataError, match="missing steps: confirm"):
        check_order(ids[:-1])


GOOD_REPLY = """Dear Sam,
Thank you for letting me know about the headsets. I'm sorry this has happened again.
It must be frustrating for your team not to be able to take calls.
We can either lend you six spare headsets today, or send an engineer to replace the
docking units. I will bring the spare headsets to your floor by 2pm.
I will call you on Friday to check the new ones are working."""


def test_reply_checker_finds_each_element_with_evidence() -> None:
    found = {r.element: r.evidence for r in check_reply(GOOD_REPLY)}
    assert found == {
        "acknowledgement": "thank you for letting",
        "empathy": "must be frustrating",
        "apology": "sorry",
        "options": "either",
        "next step with a timescale": "i will … by 2pm",
        "follow-up": "call you",
    }


def test_reply_checker_misses_what_is_not_there() -> None:
    bare = "Noted. The headsets are on order and we will look at it soon."
    results = {r.element: r.found for r in check_reply(bare)}
    assert results == {"acknowledgement": False, "empathy": False, "apology": False,
                       "options": False, "next step with a timescale": False,
                       "follow-up": False}
    # an action without a time is not a next step with a timescale
    assert not check_reply("I will look into it.")[4].found
    assert check_reply("We'll have it fixed within 2 working days.")[4].found
    lines = reply_feedback(bare)
    assert lines[2] == "○ apology: not found. Says sorry for the problem (yours or the organisation's)."
    assert lines[-1].startswith("This checker only looks for phrases; it does not mark")
