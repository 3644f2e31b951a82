"""Internal quality assurance (IQA): drawing a sample of assessor decisions to check.

A sampling plan takes a share of each assessor's decisions, larger for assessors who are
new or judged higher risk, then tops the sample up so that every unit and every criterion
decided in the period is looked at at least once. The IQA never samples their own
decisions, however their name was typed (`identity.same_person`). The same seed always
gives the same sample.

- **interim** sampling checks decisions while learners are still working (candidates not
  yet complete), one decision at a time;
- **summative** sampling checks completed candidates, whole portfolios at a time: a
  sampled candidate brings all of that assessor's decisions for them.

Frames:
- decisions: candidate_id, criterion_id, outcome, assessor (optionally unit; the latest
  decision per candidate and criterion, see `cohort.latest_decisions`)
- assessors: assessor, risk (low / medium / high), new (bool)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ilcs.assessment.identity import person_key, same_person
from ilcs.errors import DataError, Problem

STAGES = ("interim", "summative")
RISKS = ("low", "medium", "high")
DEFAULT_SHARES = {"low": 0.10, "medium": 0.25, "high": 0.50}
NEW_ASSESSOR_SHARE = 0.50


@dataclass(frozen=True)
class SamplingPlan:
    """What to sample: the stage, the share per risk level, and who the IQA is."""

    iqa: str
    stage: str = "interim"
    seed: int = 0
    shares: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SHARES))
    new_share: float = NEW_ASSESSOR_SHARE

    def share_for(self, risk: str, new: bool) -> float:
        share = self.shares.get(risk, self.shares["medium"])
        return max(share, self.new_share) if new else share


def _check(plan: SamplingPlan, decisions: pd.DataFrame, assessors: pd.DataFrame) -> None:
    problems: list[Problem] = []
    if not plan.iqa.strip():
        problems.append(Problem("the IQA's name is required", column="iqa"))
    if plan.stage not in STAGES:
        problems.append(Problem(f"stage must be interim or summative, found {plan.stage!r}",
                                column="stage"))
    for risk, share in {**plan.shares, "new": plan.new_share}.items():
        if not 0 <= share <= 1:
            problems.append(Problem(f"share for {risk} must be between 0 and 1", column="shares"))
    for col in ("candidate_id", "criterion_id", "outcome", "assessor"):
        if col not in decisions.columns:
            problems.append(Problem("missing column", file="decisions", column=col))
    bad = assessors.loc[~assessors["risk"].isin(RISKS)] if len(assessors) else assessors
    for i, risk in zip(bad.index.tolist(), bad["risk"].tolist()):
        problems.append(Problem(f"risk must be low, medium or high, found {risk!r}",
                                file="assessors", row=int(i) + 2, column="risk"))
    if problems:
        raise DataError(problems)


def draw_sample(
    decisions: pd.DataFrame,
    assessors: pd.DataFrame,
    plan: SamplingPlan,
    *,
    completed: Iterable[str] = (),
) -> pd.DataFrame:
    """Draw an IQA sample: the chosen decision rows plus a `reason` column.

    Assessors missing from `assessors` count as medium risk and not new.
    """
    _check(plan, decisions, assessors)
    done = set(completed)
    who = decisions["assessor"].map(person_key)  # one person, however the name was typed
    pool = decisions.loc[who != person_key(plan.iqa)].copy()
    in_done = pool["candidate_id"].isin(done)
    pool = pool.loc[in_done] if plan.stage == "summative" else pool.loc[~in_done]
    if "unit" not in pool.columns:
        pool["unit"] = ""
    pool = pool.sort_values(["assessor", "candidate_id", "unit", "criterion_id"], kind="stable")
    pool = pool.reset_index(drop=True)
    if not len(pool):
        return pool.assign(reason=pd.Series(dtype=object))
    info = (assessors.assign(key=assessors["assessor"].map(person_key))
            .drop_duplicates("key", keep="last").set_index("key")) if len(assessors) else \
        pd.DataFrame(columns=["risk", "new"])
    rng = np.random.default_rng(plan.seed)
    chosen: dict[int, str] = {}
    for key, rows in pool.groupby(pool["assessor"].map(person_key), sort=True):
        name = str(rows["assessor"].iloc[0])
        risk = str(info["risk"].get(key, "medium")) if "risk" in info else "medium"
        new = bool(info["new"].get(key, False)) if "new" in info else False
        share = plan.share_for(risk, new)
        why = f"{share:.0%} of {name}'s decisions ({'new, ' if new else ''}{risk} risk)"
        if plan.stage == "summative":
            people = sorted(rows["candidate_id"].unique())
            k = min(len(people), max(1, math.ceil(share * len(people)))) if share else 0
            picked = set(rng.choice(people, size=k, replace=False)) if k else set()
            for i in rows.index[rows["candidate_id"].isin(picked)]:
                chosen[int(i)] = why
        else:
            k = min(len(rows), max(1, math.ceil(share * len(rows)))) if share else 0
            for i in (rng.choice(rows.index.to_numpy(), size=k, replace=False) if k else []):
                chosen[int(i)] = why
    # Coverage: every unit and every criterion decided in the period is sampled at least once.
    for key in ("unit", "criterion_id"):
        covered = set(pool.loc[list(chosen), key])
        for value in sorted(set(pool[key]) - covered):
            options = pool.index[pool[key] == value].to_numpy()
            pick = int(rng.choice(options))
            chosen.setdefault(pick, f"covers {'unit' if key == 'unit' else 'criterion'} "
                                    f"{value}")
    sample = pool.loc[sorted(chosen)].copy()
    sample["reason"] = [chosen[i] for i in sorted(chosen)]
    if (decisions.get("unit") is None) and "unit" in sample:
        sample = sample.drop(columns="unit")
    return sample.reset_index(drop=True)


IQA_VERDICTS = ("accepted", "rejected")


@dataclass(frozen=True)
class IqaVerdict:
    """The IQA's judgement of one sampled decision."""

    candidate_id: str
    criterion_id: str
    assessor: str
    iqa: str
    verdict: str  # accepted | rejected
    comment: str


def make_verdict(candidate_id: str, criterion_id: str, assessor: str, iqa: str, verdict: str,
                 comment: str) -> IqaVerdict:
    """Validate an IQA verdict: the IQA cannot judge their own decision; a rejection needs a
    comment the assessor can act on."""
    problems: list[Problem] = []
    if not iqa.strip():
        problems.append(Problem("the IQA's name is required", column="iqa"))
    if same_person(iqa, assessor):
        problems.append(Problem(f"{iqa.strip()} made this decision (recorded as "
                                f"{assessor}), so cannot quality-assure it", column="iqa"))
    if verdict not in IQA_VERDICTS:
        problems.append(Problem(f"verdict must be accepted or rejected, found {verdict!r}",
                                column="verdict"))
    if verdict == "rejected" and not comment.strip():
        problems.append(Problem("a rejection needs a comment saying what to put right",
                                column="comment"))
    if problems:
        raise DataError(problems)
    return IqaVerdict(candidate_id, criterion_id, assessor, iqa.strip(), verdict,
                      comment.strip())
