"""The worked example of notebook 08: one full improvement cycle on the sample organisation.

Finance Operations' late first replies (datasets/README.md, "The improvement story") taken
through the cycle: the five whys, the fishbone, the options and the finished improvement
record. The figures quoted in the record come from the core at run time, never typed in.
"""

from __future__ import annotations

import pandas as pd

from ilcs.improvement.compare import compare_proportions
from ilcs.improvement.measures import BoardData, late_requests, within_counts
from ilcs.improvement.pareto import pareto
from ilcs.improvement.record import ImprovementRecord
from ilcs.improvement.rootcause import Fishbone, FiveWhys

TEAM = "Finance Operations"
CHANGE_ON = "01/07/2025"


def five_whys() -> FiveWhys:
    return FiveWhys(
        "Finance queries sent by email or the portal wait too long for a first reply",
        [
            "They sit in the shared Finance inbox until someone opens it",
            "The inbox is only read properly once a day, after the morning's payment run",
            "Nobody is named to look after the inbox in the morning",
            "The team has never agreed a rota, and staff assume someone else has it",
            "Nobody has measured how long replies take, so the gap was never noticed",
        ],
        "Agree a same-day triage rota for the inbox, switch on an automatic acknowledgement "
        "that names the person dealing with the query, and report first response times weekly",
    )


def fishbone() -> Fishbone:
    bone = Fishbone("Finance queries wait too long for a first reply")
    for category, cause in (
        ("People", "No cover when the finance officer is out"),
        ("Methods", "Shared inbox read once a day"),
        ("Methods", "No rota for who triages new queries"),
        ("Machines", "No automatic acknowledgement"),
        ("Materials", "Queries arrive without a cost code"),
        ("Measurement", "First response times never reported"),
        ("Environment", "Month-end close takes everyone's time"),
    ):
        bone.add(category, cause)
    return bone


def options() -> pd.DataFrame:
    """The options the team explored, with what each would cost and change."""
    return pd.DataFrame({
        "option": ["Recruit another finance officer",
                   "Change the standard to 4 working days",
                   "Triage rota + automatic acknowledgement",
                   "Ask staff to phone instead of emailing"],
        "cost": ["high", "none", "low", "none"],
        "effect_on_customers": ["faster replies, after months of recruiting",
                                "nothing gets faster: only the promise is weaker",
                                "every query acknowledged by name the same day",
                                "more interruptions; phone queries were already quick"],
        "chosen": ["no", "no", "yes", "no"],
    })


def worked_record(data: BoardData) -> ImprovementRecord:
    """The finished improvement record of the Finance story, figures from the data."""
    within_before, n_before, within_after, n_after = within_counts(
        data.measured, TEAM, "first_response_within", CHANGE_ON)
    late = pareto(late_requests(data.measured, data.requests, TEAM, "first_response_within",
                                "channel", CHANGE_ON))
    written = late[late["cause"].isin(["email", "portal"])]
    change = compare_proportions(within_before, n_before, within_after, n_after)
    rec = ImprovementRecord("Faster first replies to finance queries", team=TEAM)
    rec.complete("Identify the problem", owner="Finance manager", done_on="02/06/2025")
    rec.attach("Identify the problem", "figure", "First replies within 2 working days, "
               "requests received before 1 July", f"{within_before:,} of {n_before:,} "
               f"({100 * within_before / n_before:.1f} %)")
    rec.complete("Define and analyse it", owner="Finance manager", done_on="09/06/2025")
    rec.attach("Define and analyse it", "figure", "Late first replies that came by email or "
               "the portal", f"{int(written['count'].sum())} of {int(late['count'].sum())}")
    rec.attach("Define and analyse it", "note", "Root cause (five whys)", five_whys().root_cause)
    rec.complete("Explore ways to solve it", owner="Finance team", done_on="16/06/2025",
                 note="Four options listed with their cost and effect on customers")
    rec.complete("Choose the best", owner="Finance manager", done_on="18/06/2025",
                 note="Triage rota and automatic acknowledgement: low cost, helps every "
                      "customer at once")
    rec.complete("Implement it", owner="Finance team", done_on=CHANGE_ON,
                 note="Rota agreed; acknowledgement switched on from Tuesday 1 July")
    rec.complete("Review the result", owner="Finance manager", done_on="06/10/2025")
    rec.attach("Review the result", "note", "Before and after", change.statement())
    return rec
