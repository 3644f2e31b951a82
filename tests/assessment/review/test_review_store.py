"""Assessment II on a real answer store (SQLite, and PostgreSQL when available)."""

import pandas as pd
import pytest
import sqlalchemy as sa

from ilcs.assessment import review
from ilcs.assessment import review_tables as rt
from ilcs.assessment.sampling import SamplingPlan
from ilcs.errors import DataError

V = "a2test.1"


def fill(store):
    store.save_candidate("c1", name="Ada Jones", centre="North", assessor="A. Khan")
    store.save_candidate("c2", name="Ben Ola", centre="South", assessor="B. Roe")
    save = store.save_answer
    save("c1", "a1.1-single", "b", "assessed", V)
    save("c1", "a1.1-multi", ["a", "c"], "assessed", V)
    save("c1", "a4.1-single", "b", "assessed", V)
    save("c1", "a4.1-written", "We reply to IT requests within 2 working days.", "assessed", V)
    save("c1", "p1.1-practice", "b", "practice", V)
    save("c2", "a1.1-single", "a", "assessed", V, saved_at="2026-11-01T09:00:00.000000Z")
    save("c2", "a1.1-multi", ["a"], "assessed", V, saved_at="2026-11-01T09:00:00.000000Z")
    save("c2", "a1.1-multi", ["c", "a"], "assessed", V, saved_at="2026-11-01T10:00:00.000000Z")


def proposals(data):
    return {(r.candidate_id, r.criterion_id): r.proposal for r in data.proposals.itertuples()}


def test_auto_marking_once_and_proposals(store, bank, keys):
    fill(store)
    assert review.mark_imported(store, bank=bank, keys=keys) == 5  # written + practice left
    assert review.mark_imported(store, bank=bank, keys=keys) == 0  # never marked twice
    data = review.load_review_data(store, bank=bank)
    status = {(r.candidate_id, r.question_id): r.status for r in data.answers.itertuples()}
    assert status[("c2", "a1.1-multi")] == "correct"  # the latest answer counts
    assert status[("c1", "a4.1-written")] == "awaiting_assessor"
    assert ("c1", "p1.1-practice") not in status
    got = proposals(data)
    assert got[("c1", "1.1")] == "met"
    # 4.1 has a written question: its answer is the main evidence and waits for marking,
    # whatever the closed item says; 4.2 has none, so its closed item decides the proposal
    assert got[("c1", "4.1")] == "awaiting_marking" and got[("c1", "4.2")] == "not_yet_met"
    assert got[("c2", "1.1")] == "not_yet_met"
    trail = store.audit_trail(action="auto_marked")
    assert {(e.actor, e.subject, e.details["marks"]) for e in trail} == {
        ("auto-marker", "c1", 3), ("auto-marker", "c2", 2)}


def test_marking_decisions_evidence_signoff_and_matrix(store, bank, keys):
    fill(store)
    review.mark_imported(store, "c1", bank=bank, keys=keys)
    result = review.mark_written(store, "c1", "a4.1-written",
                                 ["names the standard", "says how it is measured"],
                                 assessor="A. Khan", bank=bank, keys=keys)
    assert (result.status, result.score) == ("correct", pytest.approx(2 / 3))
    review.decide(store, "c1", "1.1", "met", assessor="A. Khan", bank=bank)
    reason = review.load_review_data(store, bank=bank).proposals.set_index(
        ["candidate_id", "criterion_id"]).loc[("c1", "4.1"), "reason"]
    assert "covers every required part" in reason and "0 of 1 right" in reason
    assert "check the written answer is the learner's own" in reason
    with pytest.raises(DataError, match="overriding"):
        review.decide(store, "c1", "4.1", "not_yet_met", assessor="A. Khan", bank=bank,
                      feedback="")
    d = review.decide(store, "c1", "4.1", "met", assessor="A. Khan", bank=bank,
                      feedback="The written answer shows a measurable standard.")
    assert not d.overridden and d.proposed == "met"
    with pytest.raises(DataError, match="record the evidence"):
        review.decide(store, "c1", "7.1", "met", assessor="A. Khan", bank=bank,
                      feedback="seen")
    review.record_evidence(store, "c1", "7.1", "observation", "Listed the four teams served",
                           "02/11/2026", recorded_by="A. Khan")
    review.decide(store, "c1", "7.1", "met", assessor="A. Khan", bank=bank)
    review.add_action_point(store, "c2", "1.1", "Re-read section 1 and retry", "31/12/2099",
                            set_by="B. Roe")
    review.sign_off(store, "c1", "assessor", "A. Khan")
    review.sign_off(store, "c1", "learner", "Ada Jones", recorded_by="A. Khan")

    data = review.load_review_data(store, bank=bank)
    m = data.matrix()
    assert m.loc["c1", ["1.1", "4.1", "4.2", "7.1", "7.2"]].tolist() == [
        "met", "met", "awaiting_marking", "met", "no_evidence"]
    assert m.loc["c2", "1.1"] == "awaiting_marking" and m.loc["c2", "2.1"] == "no_evidence"
    rec = data.record("c1")
    assert rec.criterion("4.1").decision.feedback.startswith("The written answer")
    assert [s.role for s in rec.signoffs] == ["assessor", "learner"]
    assert data.record("c2").criterion("1.1").action_points[0].due.year == 2099
    made = store.audit_trail(action="decision_made")
    assert [(e.actor, e.subject) for e in made] == [
        ("A. Khan", "c1/1.1"), ("A. Khan", "c1/4.1"), ("A. Khan", "c1/7.1")]
    assert made[1].details["overridden"] is False
    assert store.audit_trail(action="learner_signed_off")[0].actor == "A. Khan"
    assert store.audit_trail(action="written_marked")[0].subject == "c1/a4.1-written"
    assert store.verify().problems == []  # every row is tied to the hash-chained trail


def test_review_tables_are_append_only(store, bank, keys):
    fill(store)
    review.decide(store, "c2", "1.1", "not_yet_met", assessor="B. Roe", feedback="Retry Q1",
                  bank=bank)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with store.engine.begin() as conn:
            conn.execute(sa.update(rt.decisions).values(outcome="met"))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with store.engine.begin() as conn:
            conn.execute(sa.delete(rt.decisions))


def test_iqa_sample_verdicts_and_queue(store, bank, keys):
    fill(store)
    review.mark_imported(store, bank=bank, keys=keys)
    review.decide(store, "c1", "1.1", "met", assessor="A. Khan", bank=bank)
    review.decide(store, "c2", "1.1", "not_yet_met", assessor="B. Roe", feedback="Retry Q1",
                  bank=bank)
    review.set_assessor_profile(store, "B. Roe", risk="high", new=True, by="I. Qa")
    sample = review.draw_iqa_sample(store, SamplingPlan(iqa="A. Khan", seed=1), bank=bank)
    assert set(sample["assessor"]) == {"B. Roe"}  # A. Khan cannot sample their own
    review.draw_iqa_sample(store, SamplingPlan(iqa="I. Qa", seed=1), bank=bank)
    data = review.load_review_data(store, bank=bank)
    queue = review.iqa_queue(data, "I. Qa")
    assert sorted(queue["candidate_id"]) == ["c1", "c2"]
    first = int(queue.loc[queue.candidate_id == "c2", "id"].iloc[0])
    with pytest.raises(DataError, match="needs a comment"):
        review.record_verdict(store, first, iqa="I. Qa", verdict="rejected")
    review.record_verdict(store, first, iqa="I. Qa", verdict="rejected",
                          comment="Feedback does not say which question to retry.")
    own = review.iqa_queue(review.load_review_data(store, bank=bank), "A. Khan")
    with pytest.raises(DataError, match="cannot quality-assure"):
        review.record_verdict(store, int(own["id"].iloc[0]), iqa="B. Roe",
                              verdict="accepted")
    data = review.load_review_data(store, bank=bank)
    assert list(review.iqa_queue(data, "I. Qa")["candidate_id"]) == ["c1"]
    assert data.record("c2").criterion("1.1").iqa[0].verdict == "rejected"
    trail = store.audit_trail(action="iqa_rejected")
    assert [(e.actor, e.subject) for e in trail] == [("I. Qa", "c2/1.1")]
    assert len(store.audit_trail(action="iqa_sample_drawn")) == 2
    assert store.verify().problems == []  # every row is tied to the hash-chained trail


def test_unknown_candidate_and_criterion(sqlite_store, bank):
    with pytest.raises(DataError, match="no candidate"):
        review.decide(sqlite_store, "nobody", "1.1", "met", assessor="A", bank=bank)
    with pytest.raises(DataError, match="no criterion"):
        review.decide(sqlite_store, "nobody", "9.9", "met", assessor="A", bank=bank)
    assert review.load_review_data(sqlite_store, bank=bank).matrix().empty
    assert isinstance(review.load_review_data(sqlite_store, bank=bank).answers, pd.DataFrame)


def test_summative_sample_takes_whole_completed_portfolio(store, bank):
    from ilcs.assessment.unit import load_unit

    fill(store)
    criteria = load_unit().criterion_ids()
    with store.transaction() as conn:
        conn.execute(sa.insert(rt.decisions), [
            {"candidate_id": "c1", "criterion_id": k, "outcome": "met", "proposed": "met",
             "assessor": "A. Khan", "feedback": "", "decided_at": "2026-11-02T09:00:00.000000Z"}
            for k in criteria])
    review.decide(store, "c2", "1.1", "not_yet_met", assessor="B. Roe", feedback="Retry",
                  bank=bank)
    assert review.load_review_data(store, bank=bank).completed() == []  # not signed yet
    review.sign_off(store, "c1", "assessor", "A. Khan")
    review.sign_off(store, "c1", "learner", "Ada Jones")
    assert review.load_review_data(store, bank=bank).completed() == ["c1"]
    sample = review.draw_iqa_sample(store, SamplingPlan(iqa="I. Qa", stage="summative"),
                                    bank=bank)
    assert sorted(sample["criterion_id"]) == sorted(criteria)
    assert set(sample["candidate_id"]) == {"c1"}  # c2 is still in progress
    interim = review.draw_iqa_sample(store, SamplingPlan(iqa="I. Qa"), bank=bank)
    assert set(interim["candidate_id"]) == {"c2"}
