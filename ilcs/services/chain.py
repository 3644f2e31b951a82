"""A service chain: hand-offs between teams, each one an internal customer of the last.

The recruitment example of the content map runs advert -> screening and interviews ->
onboarding -> payroll set-up -> IT equipment. The sample request log does not follow one
new starter through every team, so each link is read from the request category that does
that link's work (see `RECRUITMENT_CHAIN` and datasets/README.md, "The recruitment chain"):
how many requests of that kind there were, how many met the provider team's resolution
standard, and how long they typically took. The late link is the one that kept its
standard least often: the place where the whole chain waits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.standards.measures import measure


@dataclass(frozen=True)
class ChainLink:
    """One link: a step of the chain, done by `provider_team` as requests of `category`."""

    step: str
    provider_team: str
    category: str
    hand_off: str  # what this link passes on to the next one


RECRUITMENT_CHAIN: tuple[ChainLink, ...] = (
    ChainLink("Advert", "Purchasing", "Purchase order",
              "the advert is bought on a purchase order and goes live"),
    ChainLink("Screening and interviews", "HR Advisory", "Recruitment",
              "the chosen candidate is offered the job"),
    ChainLink("Onboarding", "HR Advisory", "Contract or job description",
              "the contract is signed and the start date set"),
    ChainLink("Payroll set-up", "Payroll Services", "Bank details change",
              "the new starter is set up to be paid"),
    ChainLink("IT equipment", "IT Service Desk", "System access request",
              "the new starter has a log-in and the systems they need"),
)

CHAIN_COLUMNS = ("order", "step", "provider_team", "category", "requests", "measured",
                 "within", "pct_within", "median_hours", "hand_off")


def chain_table(requests: pd.DataFrame, standards: pd.DataFrame,
                links: tuple[ChainLink, ...] = RECRUITMENT_CHAIN,
                as_of: object = None) -> pd.DataFrame:
    """One row per link, in chain order.

    - requests: requests of the link's team and category;
    - measured: those a resolution standard of the team applies to and that are resolved or
      already past their target (met + breached + open and breached);
    - within: met; pct_within = within / measured x 100 (NaN when nothing was measured);
    - median_hours: median working hours to resolution of the measured, resolved requests.
    """
    if "category" not in requests.columns:
        raise DataError(Problem("the request log has no 'category' column", column="category"))
    resolution = standards[standards["measure"] == "resolution"]
    measured = measure(requests, resolution, as_of)
    measured = measured.merge(requests[["request_id", "category"]], on="request_id",
                              how="left")
    rows = []
    for order, link in enumerate(links, start=1):
        asked = int(((requests["provider_team"] == link.provider_team)
                     & (requests["category"] == link.category)).sum())
        mine = measured[(measured["provider_team"] == link.provider_team)
                        & (measured["category"] == link.category)
                        & measured["status"].isin(["met", "breached", "open_breached"])]
        within = int((mine["status"] == "met").sum())
        done = mine[mine["status"].isin(["met", "breached"])]
        rows.append({
            "order": order, "step": link.step, "provider_team": link.provider_team,
            "category": link.category, "requests": asked, "measured": int(len(mine)),
            "within": within,
            "pct_within": within / len(mine) * 100 if len(mine) else np.nan,
            "median_hours": float(done["working_hours"].median()) if len(done) else np.nan,
            "hand_off": link.hand_off,
        })
    return pd.DataFrame(rows, columns=list(CHAIN_COLUMNS))


def late_link(table: pd.DataFrame) -> pd.Series:
    """The link that met its standard least often (earliest in the chain on a tie)."""
    scored = table[table["pct_within"].notna()]
    if scored.empty:
        raise DataError(Problem("no link of the chain has any measured requests, so none "
                                "can be called late"))
    low = scored["pct_within"].min()
    return scored[scored["pct_within"] == low].sort_values("order").iloc[0]
