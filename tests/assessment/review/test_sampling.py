import pandas as pd
import pytest

from ilcs.assessment.sampling import SamplingPlan, draw_sample, make_verdict
from ilcs.errors import DataError


def decisions():
    rows = []
    for i in range(10):  # Ann: 19 decisions on 1.1/2.1 and one on 5.1 -> 20
        for crit in ("1.1", "2.1"):
            rows.append((f"a{i}", crit, "met", "Ann"))
    rows[-1] = ("a9", "5.1", "met", "Ann")
    rows += [(c, k, "met", "Ben") for c in ("b1", "b2") for k in ("1.1", "2.1")]
    rows += [(c, k, "not_yet_met", "Cat") for c in ("k1", "k2") for k in ("3.1", "3.2")]
    rows += [("i1", "4.1", "met", "Ivy")]
    return pd.DataFrame(rows, columns=["candidate_id", "criterion_id", "outcome", "assessor"])


ASSESSORS = pd.DataFrame({"assessor": ["Ann", "Ben", "Cat"], "risk": ["low", "high", "low"],
                          "new": [False, False, True]})


def test_interim_shares_coverage_and_no_self_sampling():
    sample = draw_sample(decisions(), ASSESSORS, SamplingPlan(iqa="Ivy", seed=7))
    share_rows = sample.loc[~sample["reason"].str.startswith("covers")]
    per = share_rows.groupby("assessor").size()
    assert per["Ben"] == 2  # high risk: 50% of 4
    assert per["Cat"] == 2  # new: at least 50% of 4
    assert per["Ann"] == 2  # low risk: 10% of 20
    assert set(sample.loc[sample.assessor == "Cat", "reason"]) >= {
        "50% of Cat's decisions (new, low risk)"}
    assert "Ivy" not in set(sample["assessor"])  # the IQA's own decision is never sampled
    assert set(sample["criterion_id"]) == {"1.1", "2.1", "3.1", "3.2", "5.1"}
    assert not sample.duplicated(["candidate_id", "criterion_id"]).any()
    five = sample.loc[sample.criterion_id == "5.1", "reason"].iloc[0]
    assert five in ("covers criterion 5.1", "10% of Ann's decisions (low risk)")


def test_same_seed_same_sample():
    a = draw_sample(decisions(), ASSESSORS, SamplingPlan(iqa="Ivy", seed=3))
    b = draw_sample(decisions().sample(frac=1, random_state=1), ASSESSORS,
                    SamplingPlan(iqa="Ivy", seed=3))
    assert a[["candidate_id", "criterion_id"]].equals(b[["candidate_id", "criterion_id"]])


def test_summative_samples_whole_completed_candidates():
    plan = SamplingPlan(iqa="Ivy", stage="summative", seed=1)
    sample = draw_sample(decisions(), ASSESSORS, plan, completed=["b1", "i1"])
    assert sorted(zip(sample.candidate_id, sample.criterion_id)) == [("b1", "1.1"),
                                                                      ("b1", "2.1")]
    interim = draw_sample(decisions(), ASSESSORS, SamplingPlan(iqa="Ivy"), completed=["b1"])
    assert "b1" not in set(interim["candidate_id"])


def test_bad_plans_are_reported():
    with pytest.raises(DataError) as err:
        draw_sample(decisions(), ASSESSORS.assign(risk=["low", "extreme", "low"]),
                    SamplingPlan(iqa="", stage="final"))
    text = str(err.value)
    assert "stage" in text and "IQA's name" in text and "row 3" in text


def test_verdict_rules():
    assert make_verdict("c1", "1.1", "Ann", "Ivy", "accepted", "").verdict == "accepted"
    with pytest.raises(DataError, match="cannot quality-assure"):
        make_verdict("c1", "1.1", "Ivy", "Ivy", "accepted", "")
    with pytest.raises(DataError, match="needs a comment"):
        make_verdict("c1", "1.1", "Ann", "Ivy", "rejected", " ")
