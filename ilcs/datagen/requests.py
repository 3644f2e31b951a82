"""Service requests: who asked which team for what, and when it was answered and resolved.

Arrivals fall in working hours (more in the morning, more on Mondays, peaks in January,
September and at the financial year-end), never on weekends or bank holidays. Response and
resolution delays are drawn in working minutes and added by index into the year's array of
working minutes, so every timestamp is itself a working minute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ilcs.datagen.calendar import WorkingMinutes
from ilcs.datagen.organisation import DEPARTMENTS, HEAVY_USERS, PRIORITY_WEIGHTS, TEAMS
from ilcs.io.kinds import CHANNELS, PRIORITIES

REQUESTS_PER_SCALE = 5000
HOUR_WEIGHTS = np.array([1.5, 1.45, 1.2, 0.75, 0.85, 1.0, 0.9, 0.6])  # 09:00 .. 16:00
WEEKDAY_WEIGHTS = np.array([1.25, 1.05, 1.0, 0.95, 0.8])  # Monday .. Friday
FIRST_CONTACT_CHANNELS = ("phone", "walk-in", "chat")
MAX_DELAY = 60 * 8 * 60  # 60 working days, in minutes


def _lognormal(rng: np.random.Generator, median: np.ndarray, sigma: float) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(len(median)))


#: The planted story (datasets/README.md): Finance Operations switches on an automatic
#: acknowledgement with a same-day triage rota on Tuesday 1 July 2025 (day 181 of the year,
#: counting 1 January as day 0), so first responses to portal and email requests take about
#: a third as long from then on.
STORY_CHANGE_TEAM, STORY_CHANGE_DAY, STORY_CHANGE_FACTOR = "Finance Operations", 181, 0.3
STORY_CHANGE_CHANNELS = ("portal", "email")
#: ... and one special-cause event: the HR system is offline from Monday 10 to Friday
#: 14 November 2025 (days 313-317), so HR Advisory's first responses to requests received
#: that week take about four times as long.
STORY_EVENT_TEAM, STORY_EVENT_DAYS, STORY_EVENT_FACTOR = "HR Advisory", (313, 317), 4.0


def improvement_factor(day_of_year: np.ndarray, improvement: np.ndarray) -> np.ndarray:
    """1.0 until June, then easing linearly to `improvement` by October."""
    ramp = np.clip((day_of_year - 152) / 120, 0.0, 1.0)
    return 1.0 - (1.0 - improvement) * ramp


def story_factor(team: np.ndarray, channel: np.ndarray, day_of_year: np.ndarray) -> np.ndarray:
    """The planted change and special-cause event as a multiplier of first response times."""
    change = ((team == STORY_CHANGE_TEAM) & (day_of_year >= STORY_CHANGE_DAY)
              & np.isin(channel, STORY_CHANGE_CHANNELS))
    first, last = STORY_EVENT_DAYS
    event = (team == STORY_EVENT_TEAM) & (day_of_year >= first) & (day_of_year <= last)
    return np.where(change, STORY_CHANGE_FACTOR, 1.0) * np.where(event, STORY_EVENT_FACTOR, 1.0)


def generate_requests(rng: np.random.Generator, cal: WorkingMinutes, year_end: int,
                      scale: float, story: bool = True) -> pd.DataFrame:
    """About 5,000 x `scale` requests received in the year (working-minute index < year_end).
    `story=False` leaves out every planted change (the improvement plans, Finance's
    automatic acknowledgement and the HR system outage): a process with no special cause."""
    total = int(round(REQUESTS_PER_SCALE * scale))
    in_year = cal.minutes[:year_end]
    month = in_year.astype("datetime64[M]").astype("int64") % 12
    days = in_year.astype("datetime64[D]")
    weekday = (days.astype("int64") - 4) % 7
    hour = (in_year - days).astype("int64") // 60 - 9
    base = WEEKDAY_WEIGHTS[weekday] * HOUR_WEIGHTS[hour]
    counts = rng.multinomial(total, [t.share for t in TEAMS])
    dept_names = list(DEPARTMENTS)
    parts = []
    for team, n in zip(TEAMS, counts):
        weights = base * np.asarray(team.season)[month]
        arrival = np.sort(rng.choice(len(in_year), size=n, p=weights / weights.sum()))
        dept_w = np.array([DEPARTMENTS[d] * HEAVY_USERS.get(team.name, {}).get(d, 1.0)
                           * (0.3 if d == team.department else 1.0) for d in dept_names])
        parts.append(pd.DataFrame({
            "team": np.full(n, team.name),
            "arrival": arrival,
            "dept": rng.choice(len(dept_names), size=n, p=dept_w / dept_w.sum()),
            "category": rng.choice(len(team.categories), size=n,
                                   p=np.asarray(team.category_weights)
                                   / sum(team.category_weights)),
            "priority": rng.choice(4, size=n, p=PRIORITY_WEIGHTS),
            "channel": rng.choice(len(CHANNELS), size=n,
                                  p=np.asarray(team.channels) / sum(team.channels)),
        }))
    frame = pd.concat(parts, ignore_index=True)
    return _timings(rng, frame, cal, year_end, dept_names, story)


def _timings(rng: np.random.Generator, frame: pd.DataFrame, cal: WorkingMinutes,
             year_end: int, dept_names: list[str], story: bool = True) -> pd.DataFrame:
    n = len(frame)
    team_ix = pd.Categorical(frame["team"], categories=[t.name for t in TEAMS]).codes
    pr = frame["priority"].to_numpy()
    arrival = frame["arrival"].to_numpy()
    fr_median = np.array([t.first_response_minutes for t in TEAMS])[team_ix, pr]
    res_median = np.array([t.resolve_minutes for t in TEAMS])[team_ix, pr]
    day_of_year = (cal.minutes[arrival].astype("datetime64[D]")
                   - cal.minutes[0].astype("datetime64[Y]").astype("datetime64[D]")).astype(int)
    better = np.array([t.improvement if story else 1.0 for t in TEAMS])[team_ix]
    factor = improvement_factor(day_of_year, better)
    channel = frame["channel"].to_numpy()
    first_factor = factor * (story_factor(frame["team"].to_numpy(), np.asarray(CHANNELS)[channel],
                                          day_of_year) if story else 1.0)
    first = np.maximum(1, np.rint(_lognormal(rng, fr_median * first_factor, 0.8))).astype(np.int64)
    work = np.maximum(5, np.rint(_lognormal(rng, res_median * factor, 0.85))).astype(np.int64)
    at_once = np.isin(np.asarray(CHANNELS)[channel], FIRST_CONTACT_CHANNELS) & (
        rng.random(n) < 0.45) & (pr >= 2)
    first = np.where(at_once, np.maximum(1, np.rint(rng.exponential(12, n))).astype(np.int64),
                     np.minimum(first, MAX_DELAY // 12))
    work = np.where(at_once, 0, np.minimum(work, MAX_DELAY))
    held = (~at_once) & (rng.random(n) < np.where(np.isin(team_ix, (2, 4)), 0.14, 0.07))
    hold = np.where(held, np.maximum(30, np.rint(_lognormal(rng, np.full(n, 600.0), 0.8))), 0)
    hold = np.minimum(hold, MAX_DELAY // 3).astype(np.int64)
    hold_start_off = np.floor(rng.random(n) * np.maximum(work, 1)).astype(np.int64)
    responded = arrival + first
    resolved = responded + work + hold
    hold_from = responded + hold_start_off
    hold_until = hold_from + hold
    reopen_draw = rng.random(n)
    reopened = np.where(reopen_draw < 0.006, 2, np.where(reopen_draw < 0.05, 1, 0))
    extra = rng.poisson(0.3 + work / 1500.0)
    contacts = np.where(at_once, 1, np.minimum(1 + extra + reopened, 15))

    is_open = resolved >= year_end
    no_response = responded >= year_end
    hold_shown = held & (hold_until < year_end) & ~is_open
    out = pd.DataFrame({
        "received_at": arrival,
        "first_response_at": np.where(no_response, -1, responded),
        "resolved_at": np.where(is_open, -1, resolved),
        "reopened": np.where(is_open, 0, reopened),
        "contacts": np.where(is_open, -1, contacts),
        "on_hold_from": np.where(hold_shown, hold_from, -1),
        "on_hold_until": np.where(hold_shown, hold_until, -1),
    })
    out.insert(0, "priority", np.asarray(PRIORITIES)[pr])
    out.insert(0, "category", _categories(team_ix, frame["category"].to_numpy()))
    out.insert(0, "channel", np.asarray(CHANNELS)[channel])
    out.insert(0, "provider_team", frame["team"].to_numpy())
    out.insert(0, "requester_department", np.asarray(dept_names)[frame["dept"].to_numpy()])
    out = out.sort_values(["received_at", "provider_team"], kind="stable").reset_index(drop=True)
    width = max(5, len(str(len(out))))
    numbers = np.char.zfill(np.arange(1, len(out) + 1).astype(str), width)
    out.insert(0, "request_id", np.char.add("REQ-", numbers))
    return out


def _categories(team_ix: np.ndarray, category_ix: np.ndarray) -> np.ndarray:
    width = max(len(t.categories) for t in TEAMS)
    table = np.array([list(t.categories) + [""] * (width - len(t.categories)) for t in TEAMS],
                     dtype=object)
    return table[team_ix, category_ix]
