"""One-line helpers for notebooks 06 and 07: the sample survey's tables, ready to show.

Each returns an `ilcs.ui.common.Table` (a readable HTML table with word headings) built from
the tested core; nothing here computes a figure of its own.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ilcs.surveys import evaluate as ev
from ilcs.surveys import report
from ilcs.surveys import techniques as tq
from ilcs.surveys.responses import LoadedSurvey, load_sample_survey
from ilcs.surveys.themes import load_lexicon, theme_counts, theme_examples
from ilcs.ui.common import Table


@lru_cache(maxsize=1)
def _sample() -> LoadedSurvey:
    return load_sample_survey()


def sample() -> LoadedSurvey:
    """The sample survey (both waves), loaded and redacted as any export would be."""
    return _sample()


def _wave(wave: int | None) -> pd.DataFrame:
    r = sample().responses
    return r if wave is None else r[r["wave"] == wave]


def indicators_table() -> Table:
    """The satisfaction dashboard of the sample organisation (6.1 indicators per team)."""
    from ilcs.complaints.measures import sample_report
    from ilcs.io import load_sample
    from ilcs.standards import sla_report
    from ilcs.surveys.indicators import HEADINGS, satisfaction_indicators

    sla = sla_report(load_sample("requests"), load_sample("standards"))
    teams = sample_report().teams
    still_open = {str(t): int(n) for t, n in zip(teams["about_team"], teams["open"])}
    table = satisfaction_indicators(sample().responses, sample().questionnaire, sla.standards,
                                    load_sample("complaints"),
                                    staff=load_sample("staff_movement"),
                                    org_chart=load_sample("org_chart"),
                                    still_open=still_open)
    return Table(table, "Satisfaction indicators by team (sample organisation, 2025)",
                 HEADINGS)


def rates_table(wave: int) -> Table:
    """Response rates and the respondents' mix in one wave."""
    from ilcs.io import load_sample

    table = ev.response_rates(sample().responses, load_sample("survey_invitations"), wave=wave)
    return Table(report.rates_display(table), f"Who answered in wave {wave}")


def scores_table(wave: int | None = None, team: str | None = None) -> Table:
    """Scores by statement for a wave and/or team (small groups suppressed)."""
    part = _wave(wave)
    if team is not None:
        part = part[part["about_team"] == team]
    where = ", ".join([team or "all teams", f"wave {wave}" if wave else "both waves"])
    return Table(report.scores_display(ev.item_summary(part, sample().questionnaire)),
                 f"Scores by statement ({where})")


def distribution_table(item: str = "q_overall", wave: int | None = None) -> Table:
    q = sample().questionnaire
    table = ev.distribution(_wave(wave), q.item(item)).drop(columns="code")
    return Table(table, f"Every answer to: {q.item(item).wording}",
                 {"answer": "Answer", "count": "Responses", "pct": "% of those answering"})


def recommend_table(wave: int | None = None) -> Table:
    q = sample().questionnaire
    table = ev.recommend_table(_wave(wave), q, by="about_team")
    return Table(report.recommend_display(table, "about_team"),
                 "Recommend score by team (a rough sign only: see its limits)")


def effort_table(wave: int | None = None) -> Table:
    q = sample().questionnaire
    return Table(report.effort_display(ev.effort_table(_wave(wave), q, by="about_team"),
                                       "about_team"), "How easy it was to get help, by team")


def reliability_table() -> Table:
    table = ev.scale_reliability(sample().responses, sample().questionnaire)
    table["alpha"] = [a if isinstance(a, str) else round(a, 2) for a in table["alpha"]]
    return Table(table, "Do the four service statements measure one thing?",
                 {"scale": "Scale", "items": "Statements", "n": "Complete answers",
                  "alpha": "Cronbach's alpha", "reading": "Reading"})


def changes_table(item: str = "q_overall") -> Table:
    q = sample().questionnaire
    table = ev.wave_changes(sample().responses, q, item)
    return Table(report.changes_display(table),
                 f"From wave 1 (March) to wave 2 (October): {q.item(item).wording}")


def techniques_table() -> Table:
    return Table(tq.techniques_table(), "Feedback techniques and their trade-offs",
                 {"technique": "Technique", "anonymous": "Anonymous?", "cost": "Cost",
                  "speed": "Speed of results", "depth": "Depth", "response_rate":
                  "Typical response", "burden": "Burden on colleagues",
                  "needs_computer": "Needs a computer?"})


def questionnaire_check_table() -> Table:
    """The questionnaire checker run on every item of the sample survey."""
    rows = []
    for item in sample().questionnaire.items:
        for flag in tq.check_question(item.wording, item.labels):
            rows.append({"item": item.wording, "rule": flag.rule, "advice": flag.message})
    return Table(pd.DataFrame(rows, columns=["item", "rule", "advice"]),
                 "The checker on the sample survey's questions",
                 {"item": "Question", "rule": "Rule", "advice": "Advice"})


def lexicon_table() -> Table:
    lexicon = load_lexicon()
    rows = [{"theme": t, "words": ", ".join(w)} for t, w in lexicon.themes.items()]
    return Table(pd.DataFrame(rows), "The comment themes and the words that mark them",
                 {"theme": "Theme", "words": "Words and phrases (* = any ending)"})


def themes_table(wave: int | None = None) -> Table:
    table = theme_counts(_wave(wave), load_lexicon())
    which = f"wave {wave}" if wave else "both waves"
    return Table(table, f"Comments by theme and team ({which})",
                 {"theme": "Theme", "total": "All teams"})


def examples_table(theme: str, team: str | None = None) -> Table:
    part = sample().responses
    if team is not None:
        part = part[part["about_team"] == team]
    table = theme_examples(part, load_lexicon(), theme)
    return Table(table, f"Example comments: {theme} (personal details removed)",
                 {"about_team": "Team", "comment": "Comment"})


def payroll_story() -> str:
    """The change in Payroll Services' overall satisfaction, in words."""
    q = sample().questionnaire
    part = sample().responses
    change = ev.wave_change(part[part["about_team"] == "Payroll Services"],
                            q.item("q_overall"), 1, 2, "Payroll Services")
    return change.words()
