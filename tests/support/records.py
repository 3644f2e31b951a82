"""A small, complete candidate record (two criteria decided, an action point, a sign-off)."""

from __future__ import annotations

import pandas as pd

from ilcs.assessment.reports import build_candidate_record
from ilcs.assessment.unit import load_unit


def record():
    unit = load_unit()
    results = pd.DataFrame({
        "candidate_id": ["c1", "c1"], "question_id": ["q1.1-a", "q4.2-w"],
        "criterion_id": ["1.1", "4.2"], "status": ["correct", "awaiting_assessor"],
        "response": ['"b"', '"Agreeing <targets> sets expectations"'],
        "saved_at": ["2026-11-01T09:00:00+00:00"] * 2})
    proposals = pd.DataFrame({"candidate_id": ["c1", "c1"], "criterion_id": ["1.1", "4.2"],
                              "proposal": ["met", "awaiting_marking"],
                              "reason": ["all correct", "1 written answer(s) to mark"]})
    decisions = pd.DataFrame({
        "candidate_id": ["c1", "c1", "c1"], "criterion_id": ["1.1", "4.2", "4.2"],
        "outcome": ["met", "met", "not_yet_met"], "proposed": ["met", "met", "met"],
        "assessor": ["A. Khan"] * 3,
        "feedback": ["", "first look", "Explain what SMART gives both sides."],
        "decided_at": ["2026-11-02T09:00:00+00:00", "2026-11-02T09:30:00+00:00",
                       "2026-11-02T10:00:00+00:00"]})
    actions = pd.DataFrame({"candidate_id": ["c1"], "criterion_id": ["4.2"],
                            "action": ["Rewrite answer 4.2 with a SMART example"],
                            "due": ["2026-12-03"], "set_by": ["A. Khan"],
                            "set_at": ["2026-11-02T10:00:00+00:00"]})
    signoffs = pd.DataFrame({"candidate_id": ["c1"], "role": ["assessor"], "name": ["A. Khan"],
                             "signed_at": ["2026-11-02T10:05:00+00:00"], "statement": ["ok"]})
    evidence = pd.DataFrame({"candidate_id": ["c1"], "criterion_id": ["7.1"],
                             "kind": ["observation"], "description": ["Listed the teams served"],
                             "evidence_date": ["2026-10-30"], "recorded_by": ["A. Khan"]})
    return build_candidate_record(
        {"candidate_id": "c1", "name": "Ada Jones", "candidate_number": "NVQ-0042",
         "centre": "North", "assessor": "A. Khan"},
        unit, results=results, proposals=proposals, decisions=decisions, actions=actions,
        signoffs=signoffs, evidence=evidence)
