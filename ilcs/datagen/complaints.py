"""Complaints from internal customers and the stage-by-stage log of how each was handled.

Stages follow a simple complaints procedure: received -> acknowledged -> assessed ->
investigating -> (escalated) -> responded -> closed, with some complaints reopened after
the response and closed again. Complaints still being handled at the year end stop part way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ilcs.datagen.calendar import WorkingMinutes
from ilcs.datagen.organisation import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_CATEGORY_WEIGHTS,
    DEPARTMENTS,
    REMEDIES,
    TEAMS,
)
from ilcs.datagen.text import stamps

COMPLAINTS_PER_SCALE = 150
OUTCOMES = ("upheld", "partly-upheld", "not-upheld", "withdrawn")
OUTCOME_WEIGHTS = (0.32, 0.28, 0.34, 0.06)
SEVERITIES = ("low", "medium", "high")
SEVERITY_WEIGHTS = (0.45, 0.4, 0.15)
# Delays before each stage, median working minutes (acknowledge, assess, investigate, respond)
STAGE_MEDIANS = (240.0, 480.0, 480.0, 2400.0)

NOTES = {
    "received": ("Logged from email", "Logged from the portal form", "Raised by phone",
                 "Passed on by a team manager"),
    "acknowledged": ("Acknowledgement sent with a named contact",
                     "Acknowledged and timescale explained",
                     "Acknowledged by phone and in writing"),
    "assessed": ("Severity confirmed", "Assessed and passed to the team manager",
                 "Assessed: needs records from another team"),
    "investigating": ("Records and emails reviewed", "Spoke to the staff involved",
                      "Checking the system logs", "Waiting for information from the supplier"),
    "escalated": ("Escalated to the head of department", "Complainant asked for a review"),
    "responded": ("Written response sent", "Met the complainant to explain the outcome",
                  "Response sent with the actions agreed"),
    "closed": ("Closed: actions complete", "Closed after confirming the complainant is content",
               "Closed: lessons shared with the team"),
    "reopened": ("Complainant unhappy with the response", "New information received"),
}


def generate_complaints(rng: np.random.Generator, cal: WorkingMinutes, year_end: int,
                        scale: float, actors: dict[str, list[str]], officer: str
                        ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About 150 x `scale` complaints and their event logs. `actors` maps a team to the
    names of people who handle its complaints (first is the manager); `officer` logs and
    acknowledges every complaint."""
    n = int(round(COMPLAINTS_PER_SCALE * scale))
    received = np.sort(rng.integers(0, year_end, size=n))
    team_share = np.array([t.share for t in TEAMS])
    team = rng.choice(len(TEAMS), size=n, p=team_share / team_share.sum())
    depts = list(DEPARTMENTS)
    dept_w = np.array(list(DEPARTMENTS.values()), dtype=float)
    dept = rng.choice(len(depts), size=n, p=dept_w / dept_w.sum())
    severity = rng.choice(3, size=n, p=SEVERITY_WEIGHTS)
    category = rng.choice(len(COMPLAINT_CATEGORIES), size=n, p=COMPLAINT_CATEGORY_WEIGHTS)
    outcome = rng.choice(len(OUTCOMES), size=n, p=OUTCOME_WEIGHTS)
    remedy = rng.choice(len(REMEDIES), size=n)
    escalate = rng.random(n) < np.where(severity == 2, 0.3, 0.06)
    reopen = rng.random(n) < 0.08
    delays = np.maximum(10, np.rint(np.asarray(STAGE_MEDIANS)[None, :] * np.exp(
        0.7 * rng.standard_normal((n, 4))))).astype(np.int64)
    late = rng.random(n) < 0.15  # some acknowledgements slip badly
    delays[:, 0] = np.where(late, delays[:, 0] * 4, delays[:, 0])
    close_gap = np.maximum(30, np.rint(rng.exponential(900, n))).astype(np.int64)
    satisfied_p = np.where(delays.sum(axis=1) > 6000, 0.35, 0.8)
    satisfied_p = np.where(OUTCOMES_ARR[outcome] == "not-upheld", satisfied_p - 0.2, satisfied_p)
    satisfied = rng.random(n) < satisfied_p
    asked = rng.random(n) < 0.8

    events: list[tuple[int, int, str, str, str]] = []  # (complaint, at, stage, actor, note)
    finished = np.zeros(n, dtype=bool)
    note_draw = rng.integers(0, 1000, size=(n, 10))
    actor_draw = rng.integers(0, 1000, size=(n, 10))
    for i in range(n):  # ~7 events per complaint; 30,000 complaints at scale 200 take <1 s
        names = actors[TEAMS[team[i]].name]
        t = int(received[i])
        stages = ["received", "acknowledged", "assessed", "investigating"]
        times = [t]
        for d in delays[i, :3]:
            t += int(d)
            times.append(t)
        if escalate[i]:
            stages.append("escalated")
            t += int(delays[i, 3] // 3)
            times.append(t)
        stages.append("responded")
        t += int(delays[i, 3])
        times.append(t)
        if reopen[i]:
            stages += ["reopened", "responded"]
            t += int(close_gap[i])
            times.append(t)
            t += int(delays[i, 3] // 2)
            times.append(t)
        stages.append("closed")
        t += int(close_gap[i])
        times.append(t)
        for k, (stage, at) in enumerate(zip(stages, times)):
            if at >= year_end:
                break
            pool = NOTES[stage]
            actor = (officer if stage in ("received", "acknowledged")
                     else names[0] if stage in ("escalated", "closed", "reopened")
                     else names[actor_draw[i, k] % len(names)])
            events.append((i, at, stage, actor, pool[note_draw[i, k] % len(pool)]))
        finished[i] = times[-1] < year_end

    width = max(4, len(str(n)))
    ids = np.array([f"CMP-{k + 1:0{width}d}" for k in range(n)], dtype=object)
    ev = pd.DataFrame(events, columns=["c", "at", "stage", "actor", "note"])
    complaints = pd.DataFrame({
        "complaint_id": ids,
        "received_at": stamps(cal, received),
        "department": np.asarray(depts, dtype=object)[dept],
        "about_team": np.array([t.name for t in TEAMS], dtype=object)[team],
        "category": np.asarray(COMPLAINT_CATEGORIES, dtype=object)[category],
        "severity": np.asarray(SEVERITIES, dtype=object)[severity],
        "remedy_sought": np.asarray(REMEDIES, dtype=object)[remedy],
        "outcome": np.where(finished, OUTCOMES_ARR[outcome], ""),
        "satisfied_with_handling": np.where(finished & asked,
                                            np.where(satisfied, "yes", "no"), ""),
    })
    events_table = pd.DataFrame({
        "complaint_id": ids[ev["c"].to_numpy()],
        "stage": ev["stage"].to_numpy(dtype=object),
        "at": stamps(cal, ev["at"].to_numpy()),
        "actor": ev["actor"].to_numpy(dtype=object),
        "note": ev["note"].to_numpy(dtype=object),
    })
    return complaints, events_table


OUTCOMES_ARR = np.asarray(OUTCOMES, dtype=object)
