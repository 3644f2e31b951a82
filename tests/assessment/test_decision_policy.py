"""The decision policy (docs/decision-policy.md): one worked case per rule, then the other
evidence routes (professional discussion, oral questioning) and the "new evidence since
decision" flag on a real answer store."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from ilcs.assessment import decisions as d
from ilcs.assessment import review
from ilcs.errors import DataError

ROOT = Path(__file__).resolve().parents[2]

# The bank as the proposal sees it: 6.3 and 3.2 have a written question and closed items;
# "1.1" here has closed items only (as in a centre's own bank).
QUESTIONS = pd.DataFrame([
    ("w6.3", "6.3", "written", "assessed"),
    ("c6.3a", "6.3", "single_choice", "assessed"),
    ("c6.3b", "6.3", "numeric", "assessed"),
    ("c6.3c", "6.3", "ordering", "assessed"),
    ("w3.2", "3.2", "written", "assessed"),
    ("c3.2", "3.2", "multiple_choice", "assessed"),
    ("w4.2", "4.2", "written", "assessed"),
    ("c4.2a", "4.2", "single_choice", "assessed"),
    ("c4.2b", "4.2", "data_task", "assessed"),
    ("c1.1a", "1.1", "single_choice", "assessed"),
    ("c1.1b", "1.1", "multiple_choice", "assessed"),
    ("p1.1", "1.1", "single_choice", "practice"),
], columns=["question_id", "criterion_id", "type", "mode"])
TYPES = dict(zip(QUESTIONS["question_id"], QUESTIONS["type"]))


def _results(rows: list[tuple]) -> pd.DataFrame:
    out = []
    for row in rows:
        cand, qid, status = row[:3]
        missing = row[3] if len(row) > 3 else []
        crit = QUESTIONS.loc[QUESTIONS["question_id"] == qid, "criterion_id"].iloc[0]
        out.append({"candidate_id": cand, "question_id": qid, "criterion_id": crit,
                    "status": status, "score": 1.0 if status == "correct" else 0.0,
                    "type": TYPES[qid], "parts_missing": json.dumps(missing)})
    return pd.DataFrame(out)


def _propose(rows: list[tuple], evidence: pd.DataFrame | None = None,
             performance: tuple[str, ...] = ()) -> dict[tuple[str, str], tuple[str, str]]:
    got = d.propose_decisions(_results(rows) if rows else pd.DataFrame(
        columns=["candidate_id", "question_id", "criterion_id", "status", "score"]),
        questions=QUESTIONS, evidence=evidence, performance_criteria=performance)
    return {(r.candidate_id, r.criterion_id): (r.proposal, r.reason)
            for r in got.itertuples()}


def test_rule_1_an_unmarked_written_answer_waits_for_the_assessor() -> None:
    got = _propose([("c1", "w6.3", "awaiting_assessor"), ("c1", "c6.3a", "correct"),
                    ("c1", "c6.3b", "correct"), ("c1", "c6.3c", "correct")])
    proposal, reason = got[("c1", "6.3")]
    assert proposal == d.AWAITING_MARKING
    assert reason == ("written answer w6.3 to mark against its rubric; closed items: 3 of 3 "
                      "right (supporting evidence)")


def test_rule_2_a_written_answer_covering_every_part_is_met_despite_a_wrong_item() -> None:
    got = _propose([("c1", "w3.2", "correct"), ("c1", "c3.2", "partly_correct")])
    assert got[("c1", "3.2")] == (
        d.MET, "written answer w3.2 covers every required part of the criterion; closed "
               "items: 0 of 1 right (supporting evidence); most closed items are wrong: check "
               "the written answer is the learner's own (e.g. a short oral question) before "
               "confirming")
    # with the supporting evidence mostly right there is no caution
    got = _propose([("c2", "w6.3", "correct"), ("c2", "c6.3a", "correct"),
                    ("c2", "c6.3b", "incorrect")])
    assert got[("c2", "6.3")] == (
        d.MET, "written answer w6.3 covers every required part of the criterion; closed "
               "items: 1 of 2 right, 1 not answered (supporting evidence)")


def test_rule_3_a_professional_discussion_is_weighed_by_the_assessor() -> None:
    evidence = pd.DataFrame({"candidate_id": ["c1"], "criterion_id": ["3.2"]})
    got = _propose([], evidence=evidence)
    assert got[("c1", "3.2")] == (
        d.AWAITING_MARKING, "1 professional discussion / oral questioning record(s) to judge; no "
                    "answers yet")
    # with a written answer that misses a part, the discussion is still weighed
    got = _propose([("c1", "w3.2", "partly_correct", ["explains why: what falling short "
                                                       "costs"])], evidence=evidence)
    assert got[("c1", "3.2")][0] == d.AWAITING_MARKING
    assert "to judge with the other evidence" in got[("c1", "3.2")][1]


def test_rule_4_a_written_answer_missing_a_part_is_not_yet_met_whatever_the_items() -> None:
    """The issue's example: 6.3 with the cycle described and no benefit at all."""
    got = _propose([("c1", "w6.3", "partly_correct",
                     ["explains the benefits of continuous improvement"]),
                    ("c1", "c6.3a", "correct"), ("c1", "c6.3b", "correct"),
                    ("c1", "c6.3c", "correct")])
    assert got[("c1", "6.3")] == (
        d.NOT_YET_MET, "written answer w6.3 does not yet cover: explains the benefits of "
                       "continuous improvement; closed items: 3 of 3 right, which cannot make "
                       "up for a missing part")


def test_rule_5_closed_items_alone_do_not_meet_a_criterion_with_a_written_question() -> None:
    got = _propose([("c1", "c4.2a", "correct"), ("c1", "c4.2b", "correct")])
    assert got[("c1", "4.2")] == (
        d.NOT_YET_MET, "no written answer or professional discussion yet; closed items: 2 of "
                       "2 right, which are supporting evidence only")


def test_rule_6_without_a_written_question_the_closed_items_decide() -> None:
    got = _propose([("c1", "c1.1a", "correct"), ("c1", "c1.1b", "correct"),
                    ("c2", "c1.1a", "correct"), ("c3", "c1.1a", "correct"),
                    ("c3", "c1.1b", "incorrect")])
    assert got[("c1", "1.1")] == (
        d.MET, "every assessed closed item is right (2 of 2); the bank has no written "
               "question for this criterion")
    assert got[("c2", "1.1")] == (
        d.NOT_YET_MET, "closed items: 1 of 1 right, 1 not answered; every assessed closed "
                       "item must be answered and right (the bank has no written question for "
                       "this criterion)")
    assert got[("c3", "1.1")][0] == d.NOT_YET_MET


def test_rule_7_performance_comes_from_evidence_records_only() -> None:
    evidence = pd.DataFrame({"candidate_id": ["c2", "c2"], "criterion_id": ["7.1", "7.1"]})
    rows = _results([("c1", "c1.1a", "correct")]).assign(criterion_id="7.1")
    got = d.propose_decisions(rows, questions=QUESTIONS, evidence=evidence,
                              performance_criteria=["7.1"])
    got = {(r.candidate_id, r.criterion_id): (r.proposal, r.reason) for r in got.itertuples()}
    assert ("c1", "7.1") not in got
    assert got[("c2", "7.1")] == (d.AWAITING_MARKING, "2 evidence record(s) to judge")


def test_rule_8_no_evidence_cannot_be_met() -> None:
    assert _propose([]) == {}
    assert d.proposal_for(pd.DataFrame(columns=["candidate_id", "criterion_id", "proposal"]),
                          "c1", "6.3") == d.NO_EVIDENCE
    with pytest.raises(DataError, match="no evidence yet"):
        d.make_decision("c1", "6.3", d.MET, proposed=d.NO_EVIDENCE, assessor="A",
                        feedback="x")


def test_the_policy_is_written_down_and_shown_in_the_review_app() -> None:
    from ilcs.assessment.views.review import policy_html

    doc = (ROOT / "docs" / "decision-policy.md").read_text(encoding="utf-8")
    assert "supporting evidence" in doc and "professional discussion" in doc.lower()
    assert "new evidence since decision" in doc
    shown = policy_html()
    assert len(d.POLICY) == 9
    for rule in d.POLICY:
        assert rule.replace("'", "&#x27;") in shown


# ----------------------------------------------------------- the store: other evidence


V = "a2test.1"
# The small assessed bank of the review tests (its 1.1 has closed items only; 4.1 a
# written question whose rubric has an own-organisation part).
A2_FIXTURES = ROOT / "tests" / "assessment" / "review" / "fixtures"


@pytest.fixture()
def bank():
    from ilcs.assessment.questions import load_bank

    return load_bank(A2_FIXTURES / "bank")


@pytest.fixture()
def keys(bank):
    from ilcs.assessment.questions import load_keys

    return load_keys(A2_FIXTURES / "keys", bank=bank)


def _fill(store) -> None:
    store.save_candidate("c1", name="Ada Jones", candidate_number="NVQ-0001",
                         centre="North", assessor="A. Khan")
    store.save_answer("c1", "a1.1-single", "b", "assessed", V)
    store.save_answer("c1", "a1.1-multi", ["a", "c"], "assessed", V)


def test_a_professional_discussion_for_3_4_can_be_decided_met(store, bank) -> None:
    """Refused before ("has no evidence yet"); now the discussion is the evidence."""
    _fill(store)
    review.record_evidence(store, "c1", "3.4", "professional discussion",
                           "Explained that trust lets teams raise problems early, and that "
                           "good relationships cut conflict and lift morale.", "01/12/2026",
                           recorded_by="A. Khan",
                           asked="What is the purpose and value of positive working "
                                 "relationships with other teams?",
                           recording_ref="Audio 0001-02")
    data = review.load_review_data(store, bank=bank)
    assert data.proposals.set_index(["candidate_id", "criterion_id"]).loc[
        ("c1", "3.4"), "proposal"] == d.AWAITING_MARKING
    decision = review.decide(store, "c1", "3.4", "met", assessor="A. Khan", bank=bank)
    assert decision.outcome == d.MET and decision.proposed == d.AWAITING_MARKING
    record = review.candidate_record(store, "c1", bank=bank).criterion("3.4")
    (item,) = record.evidence
    assert item.kind == "professional discussion"
    assert item.summary.startswith("Asked: What is the purpose and value")
    assert "Answer (summary): Explained that trust" in item.summary
    assert item.summary.endswith("Recording: Audio 0001-02")
    trail = store.audit_trail(action="evidence_recorded")
    assert trail[0].details["kind"] == "professional discussion"
    assert trail[0].details["recording_ref"] == "Audio 0001-02"


def test_discussion_records_need_what_was_asked_and_suit_knowledge_criteria(store) -> None:
    _fill(store)
    with pytest.raises(DataError, match="needs what was asked"):
        review.record_evidence(store, "c1", "3.4", "oral questioning", "Said trust.",
                               "01/12/2026", recorded_by="A. Khan")
    with pytest.raises(DataError, match="knowledge criterion: record a professional"):
        review.record_evidence(store, "c1", "3.4", "observation", "Saw a meeting",
                               "01/12/2026", recorded_by="A. Khan")
    with pytest.raises(DataError, match="no criterion '9.9'"):
        review.record_evidence(store, "c1", "9.9", "oral questioning", "x", "01/12/2026",
                               recorded_by="A. Khan", asked="y")
    with pytest.raises(DataError, match="in the future"):
        review.record_evidence(store, "c1", "3.4", "oral questioning", "x", "01/12/2099",
                               recorded_by="A. Khan", asked="y")
    # oral questioning also counts for outcome 7, with what was asked
    review.record_evidence(store, "c1", "7.1", "oral questioning", "Named four teams",
                           "01/12/2026", recorded_by="A. Khan", asked="Who are yours?")


def test_command_line_records_a_discussion(tmp_path, bank, capsys) -> None:
    from ilcs.assessment.store import AnswerStore
    from ilcs.cli import main

    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    with AnswerStore.open(url) as store:
        _fill(store)
    common = ["--database", url, "--assessor", "A. Khan"]
    assert main(["record-evidence", "--candidate", "c1", "--criterion", "3.4", "--kind",
                 "oral questioning", "--asked", "Why build trust?", "--description",
                 "So problems are raised early.", "--date", "01/12/2026", *common]) == 0
    assert main(["record-evidence", "--candidate", "c1", "--criterion", "3.4", "--kind",
                 "oral questioning", "--description", "x", "--date", "01/12/2026",
                 *common]) == 2
    assert "needs what was asked" in capsys.readouterr().err


# ----------------------------------------------------------- new evidence since decision


def test_new_answers_after_a_decision_are_flagged_until_looked_at_again(store, bank, keys,
                                                                        tmp_path) -> None:
    from ilcs.assessment.reports import candidate_report_html, cohort_export_frame
    from ilcs.assessment.views.review import build_review_view

    _fill(store)
    review.mark_imported(store, bank=bank, keys=keys)
    review.decide(store, "c1", "1.1", "met", assessor="A. Khan", bank=bank)
    data = review.load_review_data(store, bank=bank)
    assert data.flagged() == set()
    time.sleep(0.01)
    # a newer pack brings a changed answer for a question of 1.1 (and nothing for 4.1)
    store.save_answer("c1", "a1.1-multi", ["a"], "assessed", V)
    data = review.load_review_data(store, bank=bank)
    assert data.flagged() == {("c1", "1.1")}
    row = data.new_evidence.iloc[0]
    assert (row.answers, row.records) == (1, 0)
    # the matrix, the candidate page, the report and the export all say so
    view = build_review_view(store, "A. Khan", bank=bank, keys=keys)
    assert "⚑ new" in view.matrix.value
    view.candidate.value = "c1"
    assert "⚑ New evidence since decision" in view.candidate_view.value
    view.criterion.value = "1.1"
    assert "⚑ New evidence since decision" in view.evidence.value
    record = data.record("c1")
    assert record.criterion("1.1").new_evidence and not record.criterion("4.1").new_evidence
    assert "⚑ New evidence since decision" in candidate_report_html(record)
    export = cohort_export_frame(data.matrix(), data.candidates, data.flagged())
    assert export.loc[0, "1.1"] == "Met (new evidence since decision)"
    # an evidence record made after the decision counts as well
    review.record_evidence(store, "c1", "1.1", "oral questioning", "Named three", "01/12/2026",
                           recorded_by="B. Roe", asked="Who relies on you?")
    row = review.load_review_data(store, bank=bank).new_evidence.iloc[0]
    assert (row.answers, row.records) == (1, 1)
    # looking again (a new decision, even the same one) clears the flag
    time.sleep(0.01)
    review.decide(store, "c1", "1.1", "not_yet_met", assessor="A. Khan", bank=bank,
                  feedback="Your new answer to the second question misses your line manager.")
    data = review.load_review_data(store, bank=bank)
    assert data.flagged() == set()
    assert "⚑" not in candidate_report_html(data.record("c1"))
