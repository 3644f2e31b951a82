"""The question bank loader and checker."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ilcs.assessment.questions import (
    ShortTextKey,
    check_bank,
    load_bank,
    load_keys,
)
from ilcs.cli import main
from ilcs.errors import QuestionBankError


def _edit(path: Path, qid: str, **changes) -> None:
    data = yaml.safe_load(path.read_text())
    for q in data["questions"]:
        if q["id"] == qid:
            for k, v in changes.items():
                if v is None:
                    q.pop(k, None)
                else:
                    q[k] = v
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_fixture_bank_loads_with_typed_questions(bank_dir):
    bank = load_bank(bank_dir)
    assert bank.version == "test.1"
    assert len(bank.questions) == 9
    multi = bank.get("t1.1-multi")
    assert multi.key == ("a", "c")
    short = bank.get("t4.2-short")
    assert isinstance(short.key, ShortTextKey) and short.key.min_keywords == 2
    assessed = bank.get("t4.1-assessed-single")
    assert assessed.key is None and assessed.hint is None
    practice_rubric = bank.get("t3.4-written-practice").rubric
    assert [p.id for p in practice_rubric.required_parts] == ["value"]
    assert practice_rubric.marking_points == ("trust", "smoother work")
    assert [q.id for q in bank.select(criterion="1.1")] == ["t1.1-single", "t1.1-multi"]
    assert [q.id for q in bank.select(ids=["t4.3-numeric", "t1.1-single"])] == [
        "t4.3-numeric", "t1.1-single"]
    assert {q.id for q in bank.select(mode="assessed")} == {
        "t4.1-assessed-single", "t3.4-written-assessed"}


def test_fixture_bank_is_clean_without_coverage(bank_dir, keys_dir):
    assert check_bank(bank_dir, keys_dir, coverage_rule=False) == []


def test_coverage_rule_names_each_short_criterion(bank_dir):
    problems = _messages(check_bank(bank_dir, coverage_rule=True))
    assert any("criterion 2.1 has 0 questions" in p for p in problems)
    assert any("criterion 1.1 has no written question" in p for p in problems)
    assert not any("criterion 3.4 has no written" in p for p in problems)


def test_keys_load_and_normalise(bank_dir, keys_dir):
    bank = load_bank(bank_dir)
    keys = load_keys(keys_dir, bank=bank)
    assert keys.keys["t4.1-assessed-single"].key == "a"
    assert keys.keys["t4.1-assessed-single"].feedback["b"] == "Not measurable."
    rubric = keys.keys["t3.4-written-assessed"].rubric
    assert [p.id for p in rubric.parts] == ["purpose", "value"]
    assert [m.part for m in rubric.points] == ["purpose", "purpose", "value"]
    assert rubric.verb_guidance.startswith("Explain") and rubric.exemplar_met


@pytest.mark.parametrize(
    ("qid", "changes", "expected"),
    [
        ("t1.1-single", {"key": "z"}, "key 'z' is not one of the option ids"),
        ("t1.1-single", {"criteria": ["9.9"]}, "criterion '9.9' is not in unit"),
        ("t1.1-single", {"type": "essay"}, "type must be one of"),
        ("t1.1-single", {"key": None}, "missing key"),
        ("t1.1-multi", {"key": ["a", "a"]}, "key lists an option twice"),
        ("t4.3-numeric", {"tolerance": -1}, "tolerance must be a number >= 0"),
        ("t4.3-numeric", {"key": "lots"}, "key must be a number"),
        ("t5.2-order", {"key": ["x", "y"]}, "a permutation of"),
        ("t6.2-match", {"key": {"l1": "r1", "l2": "r1"}}, "not one-to-one"),
        ("t6.2-match", {"key": {"l1": "r1"}}, "must pair every left id"),
        ("t4.2-short", {"key": {"keywords": [["a"]], "min_keywords": 3}},
         "min_keywords must be between 1 and 1"),
        ("t3.4-written-practice", {"rubric": None}, "needs a rubric"),
        ("t4.1-assessed-single", {"key": "a"}, "an assessed question must not carry key"),
        ("t4.1-assessed-single", {"hint": "psst"}, "must not carry hint"),
        ("t1.1-single", {"id": "Bad Id!"}, "id must use only"),
    ],
)
def test_each_broken_field_is_reported_with_file_and_id(bank_copy, qid, changes, expected):
    _edit(bank_copy / "bank" / "small.yaml", qid, **changes)
    problems = check_bank(bank_copy / "bank", coverage_rule=False)
    assert any(expected in p.message for p in problems), _messages(problems)
    hit = next(p for p in problems if expected in p.message)
    assert hit.file == "small.yaml"
    with pytest.raises(QuestionBankError):
        load_bank(bank_copy / "bank")


def test_duplicate_ids_across_files_are_reported(bank_copy):
    data = yaml.safe_load((bank_copy / "bank" / "small.yaml").read_text())
    extra = {"schema_version": 1, "questions": [data["questions"][0]]}
    (bank_copy / "bank" / "extra.yaml").write_text(yaml.safe_dump(extra))
    problems = check_bank(bank_copy / "bank", coverage_rule=False)
    assert any("id used 2 times" in p.message and p.column == "t1.1-single" for p in problems)


def test_keys_problems_are_reported(bank_copy):
    keys_file = bank_copy / "keys" / "keys.yaml"
    data = yaml.safe_load(keys_file.read_text())
    data["bank_version"] = "old"
    data["keys"]["t4.1-assessed-single"]["key"] = "q"
    data["keys"]["t1.1-single"] = {"key": "a"}
    del data["keys"]["t3.4-written-assessed"]
    keys_file.write_text(yaml.safe_dump(data))
    problems = _messages(check_bank(bank_copy / "bank", bank_copy / "keys", coverage_rule=False))
    assert any("bank_version 'old' does not match" in p for p in problems)
    assert any("t4.1-assessed-single" in p and "key 'q' is not one of" in p for p in problems)
    assert any("t1.1-single" in p and "practice question" in p for p in problems)
    assert any("t3.4-written-assessed" in p and "no entry in the assessor" in p for p in problems)


def test_bad_yaml_and_missing_head_are_reported(bank_copy):
    (bank_copy / "bank" / "broken.yaml").write_text("questions: [unclosed\n")
    (bank_copy / "bank" / "bank.yaml").unlink()
    problems = check_bank(bank_copy / "bank", coverage_rule=False)
    assert any(p.file == "broken.yaml" and "not valid YAML" in p.message for p in problems)
    assert any("bank.yaml is missing" in p.message for p in problems)


def test_cli_check_exit_codes(bank_dir, keys_dir, bank_copy, capsys):
    assert main(["questions", "check", str(bank_dir), "--keys", str(keys_dir),
                 "--no-coverage"]) == 0
    out = capsys.readouterr().out
    assert "9 questions, no problems" in out and "3.4" in out
    _edit(bank_copy / "bank" / "small.yaml", "t1.1-single", key="z")
    assert main(["questions", "check", str(bank_copy / "bank"), "--no-coverage"]) == 2
    err = capsys.readouterr().err
    assert "small.yaml, column 't1.1-single': key 'z'" in err
    assert main(["questions", "check", str(bank_dir)]) == 2
    assert "criterion 2.1 has 0 questions" in capsys.readouterr().err


def test_a_changed_bank_is_reloaded(bank_copy):
    first = load_bank(bank_copy / "bank")
    assert load_bank(bank_copy / "bank") is first  # unchanged files: loaded once
    path = bank_copy / "bank" / "small.yaml"
    _edit(path, "t1.1-single", prompt="A new prompt, longer than before.")
    second = load_bank(bank_copy / "bank")
    assert second.get("t1.1-single").prompt == "A new prompt, longer than before."
