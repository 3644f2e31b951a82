"""Meeting expectations: do teams that keep their standards have more satisfied customers?

Two measures per provider team, side by side:

- **standards kept**: of the requests measured against the team's service standards (met,
  breached, or open and already past the target), the % that met them (`ilcs.standards`);
- **satisfied customers**: of the survey responses about the team that answered the overall
  question ("Overall, I am satisfied with the service", 1-5), the % that agreed (4) or
  strongly agreed (5).

Per survey wave, standards are counted over the requests received in the three months
before the wave opened (what customers had just experienced when asked). A team with fewer
than `MIN_GROUP` responses has its satisfaction figure suppressed (shown "fewer than 5").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.standards.measures import measure

MIN_GROUP = 5
FEWER_THAN = f"fewer than {MIN_GROUP}"
SATISFIED = (4, 5)
COLUMNS = ("wave", "provider_team", "window", "measured", "within", "pct_within",
           "responses", "satisfied", "pct_satisfied")


def satisfaction(responses: pd.DataFrame) -> pd.DataFrame:
    """Per wave and team: responses answering q_overall, satisfied (4-5), % satisfied.

    % satisfied is NaN (suppressed) for fewer than MIN_GROUP responses.
    """
    for column in ("wave", "about_team", "q_overall"):
        if column not in responses.columns:
            raise DataError(Problem(f"the survey responses have no '{column}' column",
                                    column=column))
    answered = responses[responses["q_overall"].notna()]
    table = pd.DataFrame({
        "wave": answered["wave"].astype(int), "provider_team": answered["about_team"],
        "satisfied": answered["q_overall"].astype(int).isin(SATISFIED),
    })
    out = table.groupby(["wave", "provider_team"], sort=True).agg(
        responses=("satisfied", "size"), satisfied=("satisfied", "sum")).reset_index()
    out["responses"] = out["responses"].astype(int)
    out["satisfied"] = out["satisfied"].astype(int)
    out["pct_satisfied"] = np.where(out["responses"] >= MIN_GROUP,
                                    out["satisfied"] / out["responses"] * 100, np.nan)
    return out


def wave_windows(responses: pd.DataFrame, months: int = 3) -> dict[int, tuple[pd.Timestamp,
                                                                          pd.Timestamp]]:
    """wave -> (start, end): the `months` before each wave's first response (end excluded)."""
    windows = {}
    for wave, first in responses.groupby("wave")["submitted_at"].min().items():
        opened = pd.Timestamp(first).normalize()
        windows[int(str(wave))] = (opened - pd.DateOffset(months=months), opened)
    return windows


def standards_kept(measured: pd.DataFrame) -> pd.DataFrame:
    """Per provider team: measured, within (met), pct_within, from `measure()` rows."""
    counted = measured[measured["status"].isin(["met", "breached", "open_breached"])]
    out = counted.assign(met=counted["status"] == "met").groupby(
        "provider_team", sort=True).agg(measured=("met", "size"), within=("met", "sum"))
    out = out.reset_index()
    out["measured"] = out["measured"].astype(int)
    out["within"] = out["within"].astype(int)
    out["pct_within"] = out["within"] / out["measured"] * 100
    return out


def standards_vs_satisfaction(requests: pd.DataFrame, standards: pd.DataFrame,
                              responses: pd.DataFrame, months: int = 3) -> pd.DataFrame:
    """Per wave and provider team: standards kept before the wave, and satisfaction in it.

    Only teams with both standards and survey responses are listed. `window` says which
    requests were counted, as UK dates (from the first request in the log, if the three
    months start before it).
    """
    if "submitted_at" not in responses.columns:
        raise DataError(Problem("the survey responses have no 'submitted_at' column",
                                column="submitted_at"))
    measured = measure(requests, standards)
    sat = satisfaction(responses)
    frames = []
    for wave, (start, end) in wave_windows(responses, months).items():
        window = measured[(measured["received_at"] >= start) & (measured["received_at"] < end)]
        kept = standards_kept(window)
        kept.insert(0, "wave", wave)
        last = end - pd.Timedelta(days=1)
        first = max(start, measured["received_at"].min().normalize())  # the log's own start
        kept.insert(2, "window", f"{first:%d/%m/%Y} to {last:%d/%m/%Y}")
        frames.append(kept)
    if not frames:
        raise DataError(Problem("the survey responses have no waves"))
    kept_all = pd.concat(frames, ignore_index=True)
    out = kept_all.merge(sat, on=["wave", "provider_team"], how="inner")
    return out[list(COLUMNS)].sort_values(["wave", "provider_team"]).reset_index(drop=True)


def wave_change(table: pd.DataFrame) -> pd.DataFrame:
    """Per team, the change from the first wave to the last: points of % within and of %
    satisfied (NaN where either wave is suppressed)."""
    first, last = table["wave"].min(), table["wave"].max()
    a = table[table["wave"] == first].set_index("provider_team")
    b = table[table["wave"] == last].set_index("provider_team")
    teams = sorted(set(a.index) & set(b.index))
    return pd.DataFrame({
        "provider_team": teams,
        "pct_within_before": [a.at[t, "pct_within"] for t in teams],
        "pct_within_after": [b.at[t, "pct_within"] for t in teams],
        "within_change": [b.at[t, "pct_within"] - a.at[t, "pct_within"] for t in teams],
        "pct_satisfied_before": [a.at[t, "pct_satisfied"] for t in teams],
        "pct_satisfied_after": [b.at[t, "pct_satisfied"] for t in teams],
        "satisfied_change": [b.at[t, "pct_satisfied"] - a.at[t, "pct_satisfied"]
                             for t in teams],
    })


def rank_agreement(table: pd.DataFrame) -> float:
    """Spearman's rank correlation between % within and % satisfied over every row with
    both (1 = the teams that keep their standards best are always the most satisfied)."""
    both = table[table["pct_within"].notna() & table["pct_satisfied"].notna()]
    if len(both) < 3:
        raise DataError(Problem("fewer than 3 teams have both figures: no pattern to read"))
    x = both["pct_within"].rank()
    y = both["pct_satisfied"].rank()
    return float(np.corrcoef(x, y)[0, 1])


STATEMENTS = {
    "q_timely": "The team dealt with my request in good time",
    "q_helpful": "Staff were helpful and courteous",
    "q_informed": "I was kept informed of progress",
    "q_quality": "The outcome met my needs",
    "q_overall": "Overall, I am satisfied with the service",
}


def statement_agreement(responses: pd.DataFrame, team: str, wave: int) -> pd.DataFrame:
    """For one team and wave, per survey statement: answered, agreed (4-5), % agreed.

    What customers agree with least shows which of their expectations is met least: where to
    ask them what they need. % agreed is NaN for fewer than MIN_GROUP answers.
    """
    mine = responses[(responses["about_team"] == team) & (responses["wave"] == wave)]
    if mine.empty:
        raise DataError(Problem(f"no survey responses about {team} in wave {wave}",
                                column="about_team"))
    rows = []
    for column, words in STATEMENTS.items():
        answered = mine[column].dropna().astype(int)
        n = int(len(answered))
        agreed = int(answered.isin(SATISFIED).sum())
        rows.append({"statement": column, "words": words, "answered": n, "agreed": agreed,
                     "pct_agreed": agreed / n * 100 if n >= MIN_GROUP else np.nan})
    return pd.DataFrame(rows)
