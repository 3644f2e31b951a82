"""Redaction at load and small-group suppression on every core output path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.io import load_sample
from ilcs.surveys import evaluate as ev
from ilcs.surveys.privacy import Redactor, suppress
from ilcs.surveys.questionnaire import sample_questionnaire
from ilcs.surveys.responses import load_responses
from ilcs.surveys.themes import load_lexicon, theme_counts, theme_examples

FIXTURES = Path(__file__).parent / "fixtures"
FEWER = "fewer than 5"


def test_redactor_removes_emails_phones_and_org_chart_names() -> None:
    redactor = Redactor(names=("Olivia Cooper", "Nathan Walsh"))
    text, n = redactor.redact("Ask Olivia Cooper (olivia.cooper@example.org, 07700 900123) "
                              "or Walsh's team on +44 20 7946 0958, ext 4455.")
    assert text == ("Ask [name removed] ([e-mail removed], [phone number removed]) or "
                    "[name removed]'s team on [phone number removed], [phone number removed].")
    assert n == 6


def test_redactor_leaves_ordinary_text_alone() -> None:
    text, n = Redactor(names=("Jack Hall",)).redact(
        "Booked the hall for 12 people at 10:30 on 03/10/2025; order 123456.")
    assert (text, n) == ("Booked the hall for 12 people at 10:30 on 03/10/2025; order 123456.",
                         0)


@pytest.mark.parametrize("fixture, fmt, kwargs", [
    ("google_forms.csv", "google-forms",
     {"wave": 2, "mapping": {"Which department do you work in?": "department"}}),
    ("ms_forms.xlsx", "ms-forms", {"wave": 2}),
    ("surveymonkey.csv", "surveymonkey",
     {"wave": 2, "mapping": {"Which department do you work in?": "department"}}),
    ("generic.csv", "generic", {"wave": 1}),
])
def test_every_export_is_redacted_when_loaded(fixture: str, fmt: str, kwargs: dict) -> None:
    loaded = load_responses(FIXTURES / fixture, fmt=fmt, org_chart=load_sample("org_chart"),
                            **kwargs)
    comments = " ".join(loaded.responses["comment"].dropna())
    for secret in ("@", "07700", "01632", "7946", "Olivia", "Cooper", "Nathan", "Walsh",
                   "Wendy", "Patel"):
        assert secret not in comments
    assert loaded.redactions >= 1


def test_suppress_keeps_the_group_name_and_hides_every_figure() -> None:
    table = pd.DataFrame({"team": ["A", "B"], "n": [4, 5], "pct": [50.0, 60.0]})
    out = suppress(table, keep=("team",))
    assert out.to_dict("records") == [{"team": "A", "n": FEWER, "pct": FEWER},
                                      {"team": "B", "n": 5, "pct": 60.0}]


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    """Six responses about Payroll (a group of 6) and four about HR (a group of 4)."""
    rows = []
    for k in range(10):
        team = "Payroll Services" if k < 6 else "HR Advisory"
        rows.append({"response_id": f"S{k}", "wave": 1 if k % 2 else 2,
                     "department": "Finance" if k < 6 else "HR", "about_team": team,
                     "q_timely": 4, "q_helpful": 5, "q_informed": 3, "q_quality": 4,
                     "q_overall": 4, "recommend": 9, "effort": 2,
                     "comment": "Slow to reply." if team == "HR Advisory" else "Quick reply."})
    frame = pd.DataFrame(rows)
    for column in ("wave", "q_timely", "q_helpful", "q_informed", "q_quality", "q_overall",
                   "recommend", "effort"):
        frame[column] = frame[column].astype("Int64")
    return frame


POOL = "Smaller groups together (each fewer than 5)"


def test_item_summary_recommend_and_effort_suppress_small_groups(small: pd.DataFrame) -> None:
    q = sample_questionnaire()
    for table in (ev.item_summary(small, q, by="about_team"),
                  ev.recommend_table(small, q, by="about_team"),
                  ev.effort_table(small, q, by="about_team")):
        assert "HR Advisory" not in set(table["about_team"])  # never named on its own
        pool = table[table["about_team"] == POOL]
        payroll = table[table["about_team"] == "Payroll Services"]
        assert len(pool) >= 1 and (pool["n"] == FEWER).all()  # the pool is HR's 4 alone
        figures = pool.drop(columns=[c for c in ("about_team", "item", "wording") if c in pool])
        assert (figures == FEWER).all().all()
        assert (payroll["n"] == 6).all()


def test_small_groups_are_pooled_and_shown_together_once_the_pool_reaches_five() -> None:
    q = sample_questionnaire()
    frame = pd.DataFrame({"about_team": ["A"] * 3 + ["B"] * 3 + ["C"] * 6,
                          "q_overall": [5, 5, 5] + [1, 1, 1] + [4] * 6}).astype(
                              {"q_overall": "Int64"})
    for column in ("q_timely", "q_helpful", "q_informed", "q_quality"):
        frame[column] = frame["q_overall"]
    table = ev.item_summary(frame, q, by="about_team", items=["q_overall"]).set_index(
        "about_team")
    assert list(table.index) == ["C", POOL]
    # A and B together: 5 5 5 1 1 1 -> top two 3 of 6 = 50%
    assert table.loc[POOL, "n"] == 6 and table.loc[POOL, "top2_pct"] == 50.0


def test_distribution_of_a_small_group_is_suppressed(small: pd.DataFrame) -> None:
    table = ev.distribution(small[small["about_team"] == "HR Advisory"],
                            sample_questionnaire().item("q_overall"))
    assert (table["count"] == FEWER).all() and (table["pct"] == FEWER).all()


def test_wave_changes_suppress_groups_small_in_either_wave(small: pd.DataFrame) -> None:
    table = ev.wave_changes(small, sample_questionnaire(), "q_overall")
    row = table[table["group"] == "Payroll Services"].iloc[0]  # 3 in each wave
    assert row["top2_a"] == FEWER and row["change"] == FEWER
    assert row["in_words"] == ("Payroll Services: too few answers to compare (fewer than 5 "
                               "in a wave).")


def test_response_rates_suppress_small_departments(small: pd.DataFrame) -> None:
    invitations = pd.DataFrame({"wave": [1, 1], "department": ["Finance", "HR"],
                                "invited": [10, 10]})
    table = ev.response_rates(small, invitations, wave=1).set_index("department")
    # wave 1 = odd k: Finance 1, 3, 5 (3 responses), HR 7, 9 (2): both below 5
    assert table.loc["HR", "responses"] == FEWER and table.loc["HR", "rate_pct"] == FEWER
    assert table.loc["HR", "invited"] == 10


def test_comment_themes_never_quote_or_count_a_small_group(small: pd.DataFrame) -> None:
    lexicon = load_lexicon()
    counts = theme_counts(small, lexicon).set_index("theme")
    assert "HR Advisory" not in counts.columns
    assert (counts[POOL] == "fewer than 5 respondents").all()
    # the total counts only the columns shown: Payroll's six "Quick reply." comments,
    # never HR's four "Slow to reply." (which a total would otherwise give away)
    assert counts.loc["Speed and waiting", "total"] == 6
    examples = theme_examples(small, lexicon, "Speed and waiting")
    assert examples["comment"].tolist() == ["Quick reply."]  # never HR's "Slow to reply."


def test_reliability_of_too_few_complete_answers_is_suppressed(small: pd.DataFrame) -> None:
    table = ev.scale_reliability(small.head(4), sample_questionnaire())
    assert table.iloc[0]["alpha"] == FEWER and table.iloc[0]["reading"] == FEWER
