from datetime import date, datetime, timezone

import pandas as pd
import pytest

from ilcs.assessment import decisions as d
from ilcs.errors import DataError

AT = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)


def results(rows):
    return pd.DataFrame(rows, columns=["candidate_id", "question_id", "criterion_id", "status",
                                       "score"])


def as_dict(proposals):
    return {(r.candidate_id, r.criterion_id): (r.proposal, r.reason)
            for r in proposals.itertuples()}


# The proposal rules, one worked case each: tests/assessment/test_decision_policy.py


def test_performance_criteria_come_from_evidence_not_questions():
    res = results([("c1", "q9", "7.1", "correct", 1.0)])
    evidence = pd.DataFrame({"candidate_id": ["c2", "c2"], "criterion_id": ["7.1", "7.1"]})
    got = as_dict(d.propose_decisions(res, evidence=evidence, performance_criteria=["7.1"]))
    assert ("c1", "7.1") not in got  # a quiz answer is no evidence of performance
    assert got[("c2", "7.1")] == (d.AWAITING_MARKING, "2 evidence record(s) to judge")


def test_empty_results_give_empty_proposals():
    got = d.propose_decisions(results([]))
    assert list(got.columns) == ["candidate_id", "criterion_id", "proposal", "reason"]
    assert got.empty
    assert d.proposal_for(got, "c1", "1.1") == d.NO_EVIDENCE


def test_decision_rules():
    ok = d.make_decision("c1", "4.1", d.MET, proposed=d.MET, assessor="A. Khan", feedback="",
                         at=AT)
    assert not ok.overridden and ok.decided_at == AT
    with pytest.raises(DataError, match="write feedback"):
        d.make_decision("c1", "4.1", d.NOT_YET_MET, proposed=d.NOT_YET_MET, assessor="A",
                        feedback=" ")
    with pytest.raises(DataError, match="overriding"):
        d.make_decision("c1", "4.1", d.MET, proposed=d.NOT_YET_MET, assessor="A", feedback="")
    with pytest.raises(DataError, match="no evidence"):
        d.make_decision("c1", "4.1", d.MET, proposed=d.NO_EVIDENCE, assessor="A",
                        feedback="x")
    with pytest.raises(DataError, match="assessor"):
        d.make_decision("c1", "4.1", d.MET, proposed=d.MET, assessor="", feedback="")
    over = d.make_decision("c1", "4.1", d.MET, proposed=d.NOT_YET_MET, assessor="A",
                           feedback="Q4 was ambiguous; the written answer shows it.")
    assert over.overridden


def test_due_dates_are_day_first():
    assert d.parse_due_date("03/04/2027") == date(2027, 4, 3)
    assert d.parse_due_date("2027-04-03") == date(2027, 4, 3)
    for bad in ("04/31/2027", "3 April", "2027/04/03", ""):
        with pytest.raises(DataError, match="DD/MM/YYYY"):
            d.parse_due_date(bad)


def test_action_point_due_not_in_past():
    ap = d.make_action_point("c1", "4.2", "Explain SMART", "10/11/2026", set_by="A", at=AT)
    assert ap.due == date(2026, 11, 10)
    with pytest.raises(DataError, match="before today"):
        d.make_action_point("c1", "4.2", "Explain SMART", "01/11/2026", set_by="A", at=AT)
    with pytest.raises(DataError) as err:
        d.make_action_point("c1", "4.2", "", "nonsense", set_by="A", at=AT)
    assert len(err.value.problems) == 2


def test_signoff_and_evidence_record():
    s = d.make_signoff("c1", "learner", "Sam Lee", at=AT)
    assert s.statement.startswith("I confirm") and s.signed_at == AT
    with pytest.raises(DataError, match="role"):
        d.make_signoff("c1", "iqa", "Sam")
    e = d.make_evidence_record("c1", "7.1", "observation", "Met the finance team", "02/11/2026",
                               recorded_by="A")
    assert e.evidence_date == date(2026, 11, 2)
    with pytest.raises(DataError, match="kind"):
        d.make_evidence_record("c1", "7.1", "rumour", "x", "02/11/2026", recorded_by="A")


def _rubric():
    from ilcs.assessment.questions import MarkingPoint, Rubric, RubricPart

    return Rubric(
        parts=(RubricPart("standard", "identifies the standard"),
               RubricPart("timescale", "and its timescale"),
               RubricPart("extra", "optional extra", required=False)),
        points=(MarkingPoint("names the customer", "standard"),
                MarkingPoint("states the standard", "standard"),
                MarkingPoint("gives a timescale", "timescale"),
                MarkingPoint("adds an example", "extra")),
        what_good_looks_like="A standard with a timescale.")


def test_written_mark_needs_every_required_part():
    rubric = _rubric()
    points = list(rubric.marking_points)
    # two points, both on one part: not met, and the missing part is named
    got = d.written_mark(points[:2], rubric)
    assert (got.status, got.missing) == ("partly_correct", ("and its timescale",))
    assert got.score == pytest.approx(2 / 4)
    # one point per required part meets it, whatever the count; the optional part is not needed
    got = d.written_mark([points[1], points[2]], rubric)
    assert (got.status, got.missing) == ("correct", ())
    assert d.written_mark([], rubric).status == "incorrect"
    assert d.written_mark([points[3]], rubric).missing == ("identifies the standard",
                                                            "and its timescale")
    with pytest.raises(DataError, match="not a marking point"):
        d.written_mark(["made up"], rubric)


def test_complete_needs_all_met_and_both_signatures_after_last_decision():
    latest = pd.DataFrame({
        "candidate_id": ["c1", "c1"], "criterion_id": ["1.1", "2.1"], "outcome": ["met", "met"],
        "decided_at": ["2026-11-01T10:00:00+00:00", "2026-11-02T10:00:00+00:00"]})
    signs = pd.DataFrame({"candidate_id": ["c1", "c1"], "role": ["learner", "assessor"],
                          "signed_at": ["2026-11-02T11:00:00+00:00",
                                        "2026-11-01T11:00:00+00:00"]})
    assert not d.is_complete(latest, signs, ["1.1", "2.1"], "c1")  # assessor signed too early
    assert d.completed_candidates(latest, signs, ["1.1", "2.1"]) == []
    signs.loc[1, "signed_at"] = "2026-11-03T09:00:00+00:00"
    assert d.is_complete(latest, signs, ["1.1", "2.1"], "c1")
    assert d.completed_candidates(latest, signs, ["1.1", "2.1"]) == ["c1"]
    assert not d.is_complete(latest, signs, ["1.1", "2.1", "3.1"], "c1")
    assert d.completed_candidates(latest, signs, ["1.1", "2.1", "3.1"]) == []
    only_learner = signs.loc[signs["role"] == "learner"]
    assert d.completed_candidates(latest, only_learner, ["1.1", "2.1"]) == []
