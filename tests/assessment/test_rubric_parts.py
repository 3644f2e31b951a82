"""Rubrics cover the whole criterion: parts, tagged marking points, verb guidance, exemplars
and the learner's own organisation, enforced by `ilcs questions check` for every assessed
written question of the real bank."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from ilcs.assessment.decisions import written_mark
from ilcs.assessment.questions import check_bank, load_bank, load_keys
from ilcs.assessment.unit import load_unit

ROOT = Path(__file__).resolve().parents[2]
BANK_DIR = ROOT / "datasets" / "questions"
KEYS_DIR = ROOT / "datasets" / "assessor" / "keys"


@pytest.fixture(scope="module")
def real() -> tuple[Any, Any]:
    bank = load_bank(BANK_DIR)
    return bank, load_keys(KEYS_DIR, bank=bank)


def _assessed_written(bank: Any) -> list[Any]:
    return [q for q in bank.questions if q.mode == "assessed" and q.type == "written"]


def test_every_assessed_written_question_has_a_full_rubric(real: tuple[Any, Any]) -> None:
    bank, keys = real
    unit = load_unit()
    written = _assessed_written(bank)
    assert len(written) == 15  # one per knowledge criterion 1.1-6.3
    for q in written:
        rubric = keys.keys[q.id].rubric
        assert rubric.required_parts, q.id
        for part in rubric.parts:
            assert rubric.points_of(part.id), (q.id, part.id)
        verb = unit.criterion(q.criteria[0]).verb
        assert verb in {"describe", "explain", "identify"}, q.id
        assert verb in rubric.verb_guidance.lower(), q.id
        assert rubric.exemplar_met and rubric.exemplar_not_met, q.id


def test_parts_named_in_the_issue_exist(real: tuple[Any, Any]) -> None:
    _, keys = real
    parts = {qid: [p.id for p in k.rubric.required_parts]
             for qid, k in keys.keys.items() if k.rubric is not None}
    assert parts["q6.3-written-benefits"] == ["describes-cycle", "explains-benefits"]
    assert parts["q4.3-written-set-and-meet"] == ["setting", "meeting"]
    assert parts["q3.4-written-relationships"] == ["purpose", "value"]
    assert parts["q6.1-written-monitoring"] == ["purpose", "benefits", "how"]
    assert "evaluating" in parts["q6.2-written-techniques"]
    assert "own-work" in parts["q4.1-written-own-standards"]


def test_own_organisation_criteria_need_an_own_organisation_part(real: tuple[Any, Any]
                                                                 ) -> None:
    bank, keys = real
    unit = load_unit()
    own = [c.id for c in unit.criteria if c.own_organisation]
    assert own == ["2.1", "4.1"]
    for q in _assessed_written(bank):
        rubric = keys.keys[q.id].rubric
        has_own = any(p.own_organisation and p.required for p in rubric.parts)
        assert has_own == (q.criteria[0] in own), q.id
        if has_own:
            # the learner is not offered a fictional organisation instead of their own
            assert "If you cannot use your own organisation" not in q.prompt
            assert "your own" in q.prompt


def _six_three(keys: Any) -> Any:
    return keys.keys["q6.3-written-benefits"].rubric


def test_q6_3_answer_with_only_the_cycle_is_not_met(real: tuple[Any, Any]) -> None:
    """The issue's example: definition + steps + measure, and no benefit at all."""
    _, keys = real
    rubric = _six_three(keys)
    cycle = [p.text for p in rubric.points_of("describes-cycle")]
    benefit = [p.text for p in rubric.points_of("explains-benefits")]
    assert len(cycle) == 3
    got = written_mark(cycle, rubric)
    assert got.status == "partly_correct"
    assert got.missing == ("explains the benefits of continuous improvement",)
    assert written_mark(cycle[:1] + benefit[:1], rubric).status == "correct"


def test_4_3_without_meeting_and_4_1_without_own_work_are_not_met(real: tuple[Any, Any]
                                                                  ) -> None:
    _, keys = real
    r43 = keys.keys["q4.3-written-set-and-meet"].rubric
    assert written_mark([p.text for p in r43.points_of("setting")], r43).missing == (
        "explains how to meet them",)
    r41 = keys.keys["q4.1-written-own-standards"].rubric
    ticked = [p.text for p in r41.points if p.part != "own-work"]
    assert written_mark(ticked, r41).missing == ("identifies quality standards for own work",)
    fictional = [p.text for p in r41.points if p.part != "own-organisation"]
    assert written_mark(fictional, r41).status == "partly_correct"


# ----------------------------------------------------------- the check refuses bad rubrics


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    bank = tmp_path / "questions"
    keys = tmp_path / "keys"
    shutil.copytree(BANK_DIR, bank)
    shutil.copytree(KEYS_DIR, keys)
    return bank, keys


def _edit_rubric(keys_dir: Path, qid: str, change: Any) -> None:
    for path in keys_dir.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if qid in data["keys"]:
            change(data["keys"][qid]["rubric"])
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
            return
    raise AssertionError(qid)


def _problems(bank: Path, keys: Path) -> list[str]:
    return [str(p) for p in check_bank(bank, keys)]


def test_the_real_bank_passes(tmp_path: Path) -> None:
    bank, keys = _copy(tmp_path)
    assert _problems(bank, keys) == []


def _drop_own_part(r: dict[str, Any]) -> None:
    r["parts"] = [p for p in r["parts"] if not p.get("own_organisation")]
    r["marking_points"] = [m for m in r["marking_points"] if m["part"] != "own-organisation"]


@pytest.mark.parametrize(("qid", "change", "expected"), [
    ("q6.3-written-benefits", lambda r: r.update(min_points=3),
     "min_points is no longer used"),
    ("q6.3-written-benefits", lambda r: r.pop("parts"), "rubric.parts must be a non-empty"),
    ("q6.3-written-benefits",
     lambda r: r["marking_points"].__setitem__(0, r["marking_points"][0]["text"]),
     "must say which part it evidences"),
    ("q6.3-written-benefits", lambda r: r["marking_points"][0].update(part="cycle"),
     "names part 'cycle', which is not one of"),
    ("q6.3-written-benefits",
     lambda r: r["parts"].append({"id": "costs", "text": "says what it costs"}),
     "rubric part 'costs' has no marking point"),
    ("q6.3-written-benefits", lambda r: r.pop("exemplar_not_met"),
     "rubric.exemplar_not_met is missing"),
    ("q6.3-written-benefits", lambda r: r.pop("verb_guidance"),
     "rubric.verb_guidance is missing"),
    ("q6.3-written-benefits", lambda r: r.update(verb_guidance="Say more."),
     "must say what 'explain' asks for"),
    ("q6.3-written-benefits",
     lambda r: [p.update(required=False) for p in r["parts"]],
     "at least one part must be required"),
    ("q2.1-written-own-organisation", _drop_own_part,
     "criterion 2.1 is about the learner's own organisation"),
    ("q4.1-written-own-standards",
     lambda r: [p.update(required=False) for p in r["parts"] if p.get("own_organisation")],
     "criterion 4.1 is about the learner's own organisation"),
])
def test_check_names_each_rubric_problem(tmp_path: Path, qid: str, change: Any,
                                         expected: str) -> None:
    bank, keys = _copy(tmp_path)
    _edit_rubric(keys, qid, change)
    problems = _problems(bank, keys)
    hits = [p for p in problems if expected in p]
    assert hits, problems
    assert all(qid in p for p in hits)


def test_command_line_check_exits_2_on_an_untagged_rubric(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    from ilcs.cli import main

    bank, keys = _copy(tmp_path)
    _edit_rubric(keys, "q4.3-written-set-and-meet", lambda r: r.update(min_points=3))
    assert main(["questions", "check", str(bank), "--keys", str(keys)]) == 2
    err = capsys.readouterr().err
    assert "q4.3-written-set-and-meet" in err and "min_points is no longer used" in err
