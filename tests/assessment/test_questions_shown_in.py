"""`shown_in` of a data task: where its figure is read; a figure read off a chart needs a
tolerance, and the standards data tasks all say where their figure is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ilcs.assessment.questions import check_bank, load_bank
from ilcs.paths import datasets_dir


def _add_data_task(bank: Path, **fields: object) -> None:
    path = bank / "small.yaml"
    data = yaml.safe_load(path.read_text())
    data["questions"].append({
        "id": "t4.2-data", "criteria": ["4.2"], "mode": "practice", "type": "data_task",
        "task": "sla_breaches", "params": {"standard_id": "STD-PAY-02"},
        "answer_type": "numeric", "unit": "requests", "prompt": "How many breaches?",
        **fields})
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(("fields", "expected"), [
    ({"shown_in": "chart", "tolerance": 0}, "a figure read off a chart needs a tolerance"),
    ({"shown_in": "chart"}, "a figure read off a chart needs a tolerance"),
    ({"shown_in": "poster", "tolerance": 0}, "shown_in must be one of table, chart, text"),
])
def test_a_bad_shown_in_is_reported(bank_copy: Path, fields: dict, expected: str) -> None:
    _add_data_task(bank_copy / "bank", **fields)
    problems = check_bank(bank_copy / "bank", coverage_rule=False)
    assert any(expected in p.message for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("fields", [
    {"shown_in": "chart", "tolerance": 0.5},
    {"shown_in": "table", "tolerance": 0},
    {"tolerance": 0},  # optional
])
def test_a_good_shown_in_loads(bank_copy: Path, fields: dict) -> None:
    _add_data_task(bank_copy / "bank", **fields)
    assert check_bank(bank_copy / "bank", coverage_rule=False) == []
    question = load_bank(bank_copy / "bank").get("t4.2-data")
    assert question.shown_in == fields.get("shown_in")


def test_every_standards_data_task_says_where_its_figure_is_shown() -> None:
    bank = load_bank(datasets_dir() / "questions")
    tasks = [q for q in bank.questions if q.type == "data_task" and str(q.task).startswith("sla_")]
    assert len(tasks) >= 9
    missing = [q.id for q in tasks if q.shown_in is None]
    assert not missing, missing
    breaches = [q for q in tasks if q.task == "sla_breaches"]
    assert breaches and all(q.shown_in == "table" and "Breaches of each standard" in q.prompt
                            for q in breaches)
