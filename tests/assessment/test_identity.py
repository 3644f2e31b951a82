"""Names typed as identities are compared normalised: "a. khan" is A. Khan everywhere, so
nobody quality-assures their own decisions under a variant spelling."""

from __future__ import annotations

import pandas as pd
import pytest

from ilcs.assessment import review
from ilcs.assessment.cohort import filter_candidates
from ilcs.assessment.decisions import make_decision
from ilcs.assessment.identity import person_key, same_person
from ilcs.assessment.questions import load_bank
from ilcs.assessment.sampling import SamplingPlan, draw_sample, make_verdict
from ilcs.assessment.store import AuditRecord
from ilcs.errors import DataError

VARIANTS = ("A. Khan", "a. khan", "A Khan", "A.Khan", "  a  KHAN ", "A. Khán")


@pytest.mark.parametrize("variant", VARIANTS)
def test_variant_spellings_are_one_person(variant):
    assert same_person(variant, "A. Khan") and same_person("A. Khan", variant)
    assert person_key(variant) == "akhan"


def test_different_people_and_no_name_are_not_the_same():
    assert not same_person("A. Khan", "B. Khan")
    assert not same_person("A. Khan", "A. Khanna")
    assert not same_person("", "") and not same_person(None, " . ")
    assert same_person("Siobhán O'Brien-Smith", "siobhan obrien smith")


def _decisions() -> pd.DataFrame:
    rows = [(f"c{i}", crit, "met", "A. Khan") for i in range(6) for crit in ("1.1", "2.1")]
    rows += [(f"d{i}", "1.1", "met", "a khan") for i in range(2)]  # the same person
    rows += [(f"e{i}", "1.1", "met", "B. Roe") for i in range(4)]
    return pd.DataFrame(rows, columns=["candidate_id", "criterion_id", "outcome", "assessor"])


@pytest.mark.parametrize("iqa", ["a. khan", "A KHAN", "A.Khan"])
def test_the_iqa_never_samples_their_own_decisions_under_a_variant(iqa):
    sample = draw_sample(_decisions(), pd.DataFrame(columns=["assessor", "risk", "new"]),
                         SamplingPlan(iqa=iqa, seed=1, shares={"low": 1.0, "medium": 1.0,
                                                               "high": 1.0}))
    assert set(sample["assessor"]) == {"B. Roe"}


def test_an_assessors_spellings_share_one_profile_and_one_share():
    profiles = pd.DataFrame({"assessor": ["a. khan"], "risk": ["high"], "new": [False]})
    sample = draw_sample(_decisions(), profiles, SamplingPlan(iqa="I. Qa", seed=2))
    khan = sample.loc[sample["assessor"].map(person_key) == "akhan"]
    assert len(khan) == 7  # 50% (high risk) of the 14 decisions of one person, not two
    assert set(khan["reason"]) == {"50% of A. Khan's decisions (high risk)"}


@pytest.mark.parametrize("iqa", VARIANTS[1:])
def test_a_verdict_on_your_own_decision_is_refused_under_a_variant(iqa):
    with pytest.raises(DataError, match="cannot quality-assure"):
        make_verdict("c1", "1.1", "A. Khan", iqa, "accepted", "")
    assert make_verdict("c1", "1.1", "A. Khan", "B. Roe", "accepted", "").iqa == "B. Roe"


def test_queue_and_filters_find_a_person_under_a_variant():
    candidates = pd.DataFrame({"candidate_id": ["c1", "c2", "c3"], "centre": ["N", "N", "S"],
                               "assessor": ["A. Khan", "a khan", "B. Roe"]})
    matrix = pd.DataFrame({"1.1": ["met", "met", "met"]}, index=["c1", "c2", "c3"])
    assert filter_candidates(candidates, matrix, assessor="A.KHAN") == ["c1", "c2"]
    samples = pd.DataFrame({"id": [1, 2], "iqa": ["I. Qa", "B. Roe"]})
    data = review.ReviewData(
        unit=None, candidates=candidates, answers=pd.DataFrame(), results=pd.DataFrame(),
        proposals=pd.DataFrame(), decisions=pd.DataFrame(), actions=pd.DataFrame(),
        signoffs=pd.DataFrame(), evidence=pd.DataFrame(), samples=samples,
        verdicts=pd.DataFrame(columns=["sample_id"]), assessors=pd.DataFrame())
    assert list(review.iqa_queue(data, "i qa")["id"]) == [1]


def test_one_assessor_profile_per_person_in_the_store(store):
    review.set_assessor_profile(store, "A. Khan", risk="low", new=True, by="I. Qa")
    review.set_assessor_profile(store, "a khan", risk="high", new=False, by="I. Qa")
    rows = store.review_rows().assessor_profiles
    profiles = [dict(zip(rows.columns, r)) for r in rows.rows]
    assert [(p["assessor"], p["risk"], bool(p["new"])) for p in profiles] == [
        ("A. Khan", "high", False)]


def test_the_iqa_cannot_verify_their_own_decision_in_the_store(store):
    store.save_candidate("c1", name="Asha Patel", candidate_number="A1", centre="North",
                         assessor="A. Khan")
    decision = make_decision("c1", "1.1", "met", proposed="met", assessor="A. Khan",
                             feedback="")
    store.add_decision(decision, AuditRecord("A. Khan", "decision_made", "c1/1.1"))
    sample = review.draw_iqa_sample(store, SamplingPlan(iqa="a. khan"), bank=load_bank())
    assert len(sample) == 0  # A. Khan's only decision is theirs under another spelling
