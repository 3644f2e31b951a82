"""The survey's tables in words and figures, for notebooks, the command line and exports.

Every table here is built from the engine's suppressed tables (`ilcs.surveys.evaluate`),
so a group with fewer than 5 respondents shows "fewer than 5" on every output path.
Percentages are given with their counts.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ilcs.surveys import evaluate as ev
from ilcs.surveys.questionnaire import Questionnaire
from ilcs.surveys.themes import Lexicon, theme_counts


def pct(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{float(value):.1f}%"


def count(value: Any) -> str:
    return value if isinstance(value, str) else f"{int(value):,}"


def _with_count(k: Any, p: Any) -> str:
    return p if isinstance(p, str) else f"{count(k)} ({pct(p)})"


def _points(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:+.0f}"


def scores_display(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Item scores (from `evaluate.item_summary`) for a reader."""
    out = pd.DataFrame({
        "Statement": table["wording"],
        "Answered": [count(v) for v in table["n"]],
        "Middle answer (median)": table["median_answer"],
        "Top two (favourable)": [_with_count(k, p) for k, p in zip(table["top2"], table["top2_pct"])],
        "95% range of top two": [lo if isinstance(lo, str) else f"{lo:.0f}-{hi:.0f}%"
                                 for lo, hi in zip(table["top2_low"], table["top2_high"])],
        "Bottom two (unfavourable)": [_with_count(k, p) for k, p in
                                  zip(table["bottom2"], table["bottom2_pct"])],
        "Net (points)": [_points(v) for v in table["net"]],
    })
    if by:
        out.insert(0, by.replace("_", " ").capitalize(), table[by].to_numpy())
    return out


def recommend_display(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    out = pd.DataFrame({
        "Answered": [count(v) for v in table["n"]],
        "Scored 9-10": [count(v) for v in table["promoters"]],
        "Scored 7-8": [count(v) for v in table["passives"]],
        "Scored 0-6": [count(v) for v in table["detractors"]],
        "Recommend score": [_points(v) for v in table["score"]],
        "95% range": [lo if isinstance(lo, str) else f"{lo:+.0f} to {hi:+.0f}"
                      for lo, hi in zip(table["low"], table["high"])],
    })
    if by:
        out.insert(0, by.replace("_", " ").capitalize(), table[by].to_numpy())
    return out


def effort_display(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    out = pd.DataFrame({
        "Answered": [count(v) for v in table["n"]],
        "Middle answer (median)": table["median_answer"],
        "Found it easy": [_with_count(k, p) for k, p in zip(table["easy"], table["easy_pct"])],
        "Found it difficult": [_with_count(k, p) for k, p in
                               zip(table["difficult"], table["difficult_pct"])],
        "Net easy (points)": [_points(v) for v in table["net_easy"]],
    })
    if by:
        out.insert(0, by.replace("_", " ").capitalize(), table[by].to_numpy())
    return out


def rates_display(table: pd.DataFrame) -> pd.DataFrame:
    """Response rates and mix (from `evaluate.response_rates`) for a reader."""
    return pd.DataFrame({
        "Department": table["department"],
        "Invited": [count(v) for v in table["invited"]],
        "Responses": [count(v) for v in table["responses"]],
        "Response rate": [pct(v) for v in table["rate_pct"]],
        "95% range": [lo if isinstance(lo, str) else f"{lo:.0f}-{hi:.0f}%"
                      for lo, hi in zip(table["rate_low"], table["rate_high"])],
        "Share of invitations": [pct(v) for v in table["invited_share"]],
        "Share of responses": [pct(v) for v in table["response_share"]],
        "Mix": table["mix"],
    })


def changes_display(table: pd.DataFrame) -> pd.DataFrame:
    """Wave-on-wave changes (from `evaluate.wave_changes`) for a reader."""
    return pd.DataFrame({
        "Team": table["group"],
        "Earlier top two": [pct(v) for v in table["top2_a"]],
        "Later top two": [pct(v) for v in table["top2_b"]],
        "Change (points)": [_points(v) for v in table["change"]],
        "Chance alone (p)": [v if isinstance(v, str) else f"{v:.3f}" for v in table["p"]],
        "Effect size": table["effect_size"],
        "In words": table["in_words"],
    })


def summary_tables(responses: pd.DataFrame, questionnaire: Questionnaire, *,
                   invitations: pd.DataFrame | None = None, lexicon: Lexicon | None = None,
                   by: str = "about_team") -> dict[str, pd.DataFrame]:
    """Every table of a survey summary, by name, ready to print or export."""
    tables: dict[str, pd.DataFrame] = {
        "scores": scores_display(ev.item_summary(responses, questionnaire)),
        "scores_by_team": scores_display(ev.item_summary(responses, questionnaire, by=by), by),
    }
    if questionnaire.of_kind("recommend"):
        tables["recommend"] = recommend_display(
            ev.recommend_table(responses, questionnaire, by=by), by)
    if questionnaire.of_kind("effort"):
        tables["effort"] = effort_display(ev.effort_table(responses, questionnaire, by=by), by)
    if questionnaire.scales:
        reliability = ev.scale_reliability(responses, questionnaire)
        reliability["alpha"] = [a if isinstance(a, str) else f"{a:.2f}"
                                for a in reliability["alpha"]]
        tables["reliability"] = reliability.rename(
            columns={"scale": "Scale", "items": "Items", "n": "Complete answers",
                     "alpha": "Cronbach's alpha", "reading": "Reading"})
    waves = sorted(int(w) for w in responses["wave"].dropna().unique())
    if invitations is not None:
        for wave in waves:
            tables[f"response_rates_wave_{wave}"] = rates_display(
                ev.response_rates(responses, invitations, wave=wave))
    if len(waves) >= 2:
        overall = [i for i in questionnaire.items if i.kind == "rating"]
        if overall:
            item = next((i for i in overall if i.id == "q_overall"), overall[-1])
            tables["change"] = changes_display(ev.wave_changes(
                responses, questionnaire, item.id, wave_a=waves[0], wave_b=waves[-1], by=by))
    if lexicon is not None and "comment" in responses and responses["comment"].notna().any():
        tables["comment_themes"] = theme_counts(responses, lexicon, by=by)
    return tables


TITLES: dict[str, str] = {
    "scores": "Scores by statement (all respondents)",
    "scores_by_team": "Scores by statement and team",
    "recommend": "Recommend score by team (colleagues cannot go elsewhere: a rough sign only)",
    "effort": "Effort by team",
    "reliability": "Do the service statements measure one thing? (Cronbach's alpha)",
    "change": "Change between the first and last wave (overall satisfaction)",
    "comment_themes": "Comments by theme and team",
}


def title_of(name: str) -> str:
    if name.startswith("response_rates_wave_"):
        return f"Response rates and mix, wave {name.rsplit('_', 1)[-1]}"
    return TITLES.get(name, name)
