import pandas as pd

from ilcs.assessment.cohort import (
    candidate_progress,
    cohort_matrix,
    filter_candidates,
    latest_decisions,
    matrix_html,
    status_counts,
)

CRITERIA = ["1.1", "2.1", "7.1"]


def frames():
    candidates = pd.DataFrame({
        "candidate_id": ["c1", "c2", "c3"],
        "name": ["Ada Jones", "Ben Ola", "Cy Park"],
        "centre": ["North", "North", "South"],
        "assessor": ["A. Khan", "B. Roe", "A. Khan"],
    })
    proposals = pd.DataFrame({
        "candidate_id": ["c1", "c1", "c2", "c9"],
        "criterion_id": ["1.1", "2.1", "1.1", "1.1"],
        "proposal": ["met", "awaiting_marking", "not_yet_met", "met"],
    })
    decisions = pd.DataFrame({
        "candidate_id": ["c1", "c1", "c2"],
        "criterion_id": ["1.1", "1.1", "7.1"],
        "outcome": ["not_yet_met", "met", "met"],
        "decided_at": ["2026-11-01T09:00:00+00:00", "2026-11-02T09:00:00+00:00",
                       "2026-11-01T09:00:00+00:00"],
    })
    return candidates, proposals, decisions


def test_matrix_cells_by_hand():
    candidates, proposals, decisions = frames()
    m = cohort_matrix(["c1", "c2", "c3"], CRITERIA, proposals, decisions)
    assert m.loc["c1"].tolist() == ["met", "awaiting_marking", "no_evidence"]
    assert m.loc["c2"].tolist() == ["awaiting_marking", "no_evidence", "met"]
    assert m.loc["c3"].tolist() == ["no_evidence"] * 3
    assert list(m.columns) == CRITERIA and "c9" not in m.index


def test_latest_decision_wins_even_when_listed_first():
    _, _, decisions = frames()
    latest = latest_decisions(decisions.iloc[::-1])
    row = latest.loc[(latest.candidate_id == "c1") & (latest.criterion_id == "1.1")]
    assert row["outcome"].tolist() == ["met"]


def test_counts_progress_and_filters():
    candidates, proposals, decisions = frames()
    m = cohort_matrix(["c1", "c2", "c3"], CRITERIA, proposals, decisions)
    counts = status_counts(m)
    assert counts.loc["1.1"].tolist() == [1, 0, 1, 1]  # met, not yet, awaiting, none
    assert candidate_progress(m).loc["c3", "no_evidence"] == 3
    assert filter_candidates(candidates, m, assessor="A. Khan") == ["c1", "c3"]
    assert filter_candidates(candidates, m, centre="North", status="met") == ["c1", "c2"]
    assert filter_candidates(candidates, m, status="met", criterion="7.1") == ["c2"]
    assert filter_candidates(candidates, m, status="not_yet_met") == []


def test_html_says_status_in_words_and_escapes():
    candidates, proposals, decisions = frames()
    candidates.loc[0, "name"] = "<b>Ada</b>"
    m = cohort_matrix(["c1", "c2"], CRITERIA, proposals, decisions)
    page = matrix_html(m, candidates)
    assert page.count(">✔ Met</td>") == 2 and page.count(">○ None</td>") == 2
    assert "Key: ✔ Met = met · ✘ Not yet = not yet met" in page
    assert "&lt;b&gt;Ada&lt;/b&gt;" in page and "<b>Ada" not in page
    assert page.count('<th scope="row"') == 2 and page.count('<th scope="col">') == 4
