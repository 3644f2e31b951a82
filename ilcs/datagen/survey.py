"""The internal customer satisfaction survey: two waves (March and October) of responses,
each about the provider team the respondent used most recently, and the invitations sent.

Scores come from a simple model: each team has a baseline, some teams improved between the
waves (IT Service Desk and Facilities Helpdesk after their improvement plans), departments
differ a little, and each person differs from the average.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ilcs.datagen.calendar import WorkingMinutes
from ilcs.datagen.organisation import DEPARTMENTS, TEAMS
from ilcs.datagen.text import ints, stamps
from ilcs.io.kinds import LIKERT_ITEMS

WAVES = {1: ("2025-03-03", "2025-03-22"), 2: ("2025-10-06", "2025-10-25")}
BASELINE = {"IT Service Desk": 3.15, "Facilities Helpdesk": 3.25, "HR Advisory": 3.6,
            "Payroll Services": 3.85, "Finance Operations": 3.35, "Purchasing": 3.05}
WAVE_2_CHANGE = {"IT Service Desk": 0.55, "Facilities Helpdesk": 0.4, "HR Advisory": -0.15,
                 "Payroll Services": 0.0, "Finance Operations": 0.1, "Purchasing": 0.2}
DEPARTMENT_EFFECT = {"Operations": -0.2, "Communications": 0.1, "Finance": 0.05, "IT": 0.1,
                     "HR": 0.0, "Facilities": -0.05, "Procurement": 0.0, "Payroll": 0.1}
RESPONSE_RATE = {"Operations": 0.42, "Facilities": 0.5, "IT": 0.62, "Finance": 0.6, "HR": 0.7,
                 "Communications": 0.66, "Procurement": 0.6, "Payroll": 0.64}
WAVE_2_HEADCOUNT = {"Operations": 0.97, "IT": 1.04, "HR": 1.05, "Facilities": 0.98}
ITEM_BIAS = {"q_timely": -0.15, "q_helpful": 0.25, "q_informed": -0.2, "q_quality": 0.05,
             "q_overall": 0.0}
SKIP_RATE = 0.03
COMMENT_RATE = 0.45

COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "IT Service Desk": {
        "good": ("Sorted my laptop the same morning, thank you.",
                 "The new portal makes it easy to see where my request is up to.",
                 "Really patient when talking me through the new system.",
                 "Password reset done in minutes."),
        "mixed": ("Got there in the end but I had to chase twice.",
                  "Helpful once you get through, but the phone queue is long.",
                  "Fixed, but nobody told me it was done."),
        "poor": ("Waited over a week for software I needed for a deadline.",
                 "Ticket closed without the problem being fixed.",
                 "Our equipment is out of date and slows the whole team down.",
                 "No idea who was dealing with it or when it would be done."),
    },
    "Facilities Helpdesk": {
        "good": ("Room set up exactly as asked, with time to spare.",
                 "Quick to make the broken stair rail safe.",
                 "Friendly and kept me updated about the repair."),
        "mixed": ("The heating was fixed eventually but it took three visits.",
                  "Good work once booked, but booking is a faff."),
        "poor": ("Reported the lighting in our office twice and heard nothing.",
                 "The desk move was missed and we lost a morning.",
                 "Health and safety issue left for days, which worried the team."),
    },
    "HR Advisory": {
        "good": ("Clear advice on the absence policy, exactly what I needed.",
                 "The adviser took the time to understand the situation.",
                 "Recruitment paperwork turned round quickly."),
        "mixed": ("Helpful advice but it took a while to get a reply.",
                  "Answers can depend on which adviser you get."),
        "poor": ("Still waiting for my new job description after two months.",
                 "Felt my concern about being treated unfairly was brushed aside.",
                 "No training offered when our system changed."),
    },
    "Payroll Services": {
        "good": ("Overtime error spotted and corrected before payday.",
                 "Always quick to explain my payslip.",
                 "Changed my bank details with no fuss."),
        "mixed": ("Sorted my tax code query, but the forms are confusing.",
                  "Fine for simple things, slower for anything unusual."),
        "poor": ("My expenses were paid a month late.",
                 "Had to explain the same pension query to three people."),
    },
    "Finance Operations": {
        "good": ("Budget report arrived in good time for our meeting.",
                 "Very helpful sorting out the cost codes."),
        "mixed": ("Useful reports, but the format changes every month.",
                  "Good people, slow process."),
        "poor": ("Suppliers chasing us because invoices were not paid.",
                 "Hard to find out who to ask about journals.",
                 "We were not told about the new purchase card rules."),
    },
    "Purchasing": {
        "good": ("Good advice on getting quotes for the event.",
                 "Purchase order raised the same day."),
        "mixed": ("Helpful, but setting up a new supplier takes far too long.",
                  "The process is thorough but nobody explains it."),
        "poor": ("Our order sat waiting for approval for weeks.",
                 "Forms bounced back for small mistakes without anyone ringing us.",
                 "No clear timescales for tenders."),
    },
}


def invitations(scale: float) -> pd.DataFrame:
    """Invitations sent per wave and department (headcount x scale)."""
    rows = []
    for wave in WAVES:
        for dept, headcount in DEPARTMENTS.items():
            factor = WAVE_2_HEADCOUNT.get(dept, 1.0) if wave == 2 else 1.0
            rows.append((str(wave), dept, str(int(round(headcount * factor * scale)))))
    return pd.DataFrame(rows, columns=["wave", "department", "invited"], dtype=object)


def generate_survey(rng: np.random.Generator, cal: WorkingMinutes, scale: float
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Responses (about 400 per wave x `scale`) and invitations."""
    invited = invitations(scale)
    team_names = [t.name for t in TEAMS]
    team_share = np.array([t.share for t in TEAMS])
    parts = []
    for wave, (start, end) in WAVES.items():
        sent = invited[invited["wave"] == str(wave)]
        counts = rng.binomial(sent["invited"].astype(int).to_numpy(),
                              [RESPONSE_RATE[d] for d in sent["department"]])
        dept = np.repeat(sent["department"].to_numpy(), counts)
        n = len(dept)
        first, last = cal.index_of_day(start), cal.index_of_day(end)
        submitted = np.sort(rng.integers(first, last, size=n))
        team = rng.choice(len(TEAMS), size=n, p=team_share / team_share.sum())
        latent = (np.array([BASELINE[t] for t in team_names])[team]
                  + (np.array([WAVE_2_CHANGE[t] for t in team_names])[team] if wave == 2 else 0)
                  + np.array([DEPARTMENT_EFFECT[d] for d in dept])
                  + 0.75 * rng.standard_normal(n))
        order = rng.permutation(n)  # who answered when is unrelated to department
        parts.append(_responses(rng, cal, wave, dept[order], team[order], latent[order],
                                submitted, team_names))
    return pd.concat(parts, ignore_index=True), invited


def _responses(rng: np.random.Generator, cal: WorkingMinutes, wave: int, dept: np.ndarray,
               team: np.ndarray, latent: np.ndarray, submitted: np.ndarray,
               team_names: list[str]) -> pd.DataFrame:
    n = len(dept)
    width = max(4, len(str(n)))
    out = pd.DataFrame({
        "response_id": [f"W{wave}-{k + 1:0{width}d}" for k in range(n)],
        "wave": np.full(n, str(wave), dtype=object),
        "submitted_at": stamps(cal, submitted),
        "department": dept.astype(object),
        "about_team": np.asarray(team_names, dtype=object)[team],
    })
    for item in LIKERT_ITEMS:
        score = np.clip(np.rint(latent + ITEM_BIAS[item] + 0.55 * rng.standard_normal(n)), 1, 5)
        out[item] = _skippable(rng, score)
    recommend = np.clip(np.rint((latent - 1) * 2.4 + 0.6 + 1.2 * rng.standard_normal(n)), 0, 10)
    out["recommend"] = _skippable(rng, recommend)
    effort = np.clip(np.rint(7.6 - 1.45 * latent + 0.9 * rng.standard_normal(n)), 1, 7)
    out["effort"] = _skippable(rng, effort)
    mood = np.where(latent >= 3.9, "good", np.where(latent >= 2.9, "mixed", "poor"))
    says = rng.random(n) < np.where(mood == "mixed", COMMENT_RATE * 0.7, COMMENT_RATE)
    pick = rng.integers(0, 1000, size=n)
    comments = np.full(n, "", dtype=object)
    for i in np.flatnonzero(says):
        pool = COMMENTS[team_names[team[i]]][mood[i]]
        comments[i] = pool[pick[i] % len(pool)]
    out["comment"] = comments
    return out


def _skippable(rng: np.random.Generator, score: np.ndarray) -> np.ndarray:
    return ints(np.where(rng.random(len(score)) < SKIP_RATE, -1, score), blank_below=0)
