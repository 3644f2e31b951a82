"""The services topic's data tasks: found by the registry, answering every bank question,
and agreeing with figures recounted straight from the CSV files."""

from __future__ import annotations

import csv

import pytest

from ilcs.assessment.data_tasks import compute, registry
from ilcs.assessment.questions import load_bank
from ilcs.paths import sample_dir


def _rows(kind: str) -> list[dict[str, str]]:
    with open(sample_dir() / f"{kind}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_registry_finds_the_services_tasks() -> None:
    names = {n for n in registry() if n.startswith("services_")}
    assert {"services_map_requests", "services_chain_late_link", "services_pct_satisfied",
            "services_least_agreed"} <= names


def test_every_services_question_gets_an_answer_of_its_type() -> None:
    bank = load_bank()
    mine = [q for q in bank.questions if q.type == "data_task"
            and str(getattr(q, "task", "")).startswith("services_")]
    assert len(mine) == 10  # 8, and the parallel forms of the two assessed ones
    for q in mine:
        answer = compute(q.task, q.params)
        if q.answer_type == "single_choice":
            assert answer in {o.id for o in q.options}, q.id
        else:
            assert isinstance(answer, float) and answer == answer, q.id


def test_request_count_recounted_from_the_csv() -> None:
    rows = _rows("requests")
    expected = sum(1 for r in rows if r["provider_team"] == "IT Service Desk"
                   and r["requester_department"] == "Operations")
    assert compute("services_map_requests",
                   {"team": "IT Service Desk", "department": "Operations"}) == expected


def test_satisfaction_and_agreement_recounted_from_the_csv() -> None:
    rows = [r for r in _rows("survey_responses")
            if r["about_team"] == "IT Service Desk" and r["wave"] == "2"]
    overall = [int(r["q_overall"]) for r in rows if r["q_overall"].strip()]
    expected = sum(v >= 4 for v in overall) / len(overall) * 100
    assert compute("services_pct_satisfied", {"team": "IT Service Desk", "wave": 2}) == \
        pytest.approx(expected)
    hr = [r for r in _rows("survey_responses")
          if r["about_team"] == "HR Advisory" and r["wave"] == "2"]
    informed = [int(r["q_informed"]) for r in hr if r["q_informed"].strip()]
    assert compute("services_pct_agreed", {"team": "HR Advisory", "wave": 2,
                                           "statement": "q_informed"}) == \
        pytest.approx(sum(v >= 4 for v in informed) / len(informed) * 100)
