"""A trainee's copy has the notebooks, data and question bank, and no assessor files."""

import os
import subprocess
import sys

import pytest

from ilcs.cli import main
from ilcs.trainee_copy import make_trainee_copy


def test_trainee_copy_leaves_out_the_assessor_and_developer_folders(tmp_path, capsys):
    out = tmp_path / "for-trainees"
    assert main(["trainee-copy", str(out)]) == 0
    assert "left out: datasets/assessor" in capsys.readouterr().out
    assert not (out / "datasets" / "assessor").exists()
    assert not (out / "tests").exists() and not (out / "docs").exists()
    for needed in ("bootstrap.py", "pyproject.toml", "notebooks/00_start_here.ipynb",
                   "datasets/questions/bank.yaml", "datasets/sample/requests.csv",
                   "ilcs/assessment/views/quiz.py"):
        assert (out / needed).is_file(), needed
    assert not (out / ".git").exists() and not (out / ".venv").exists()
    # In the copy, the bank loads and the keys are simply not there.
    code = ("from ilcs.assessment.questions import load_bank, load_keys\n"
            "from ilcs.errors import QuestionBankError\n"
            "print(len(load_bank().questions))\n"
            "try:\n    load_keys()\nexcept QuestionBankError as e:\n    print('no keys:', e)\n")
    env = {**os.environ, "ILCS_DATASETS": str(out / "datasets")}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    n = run.stdout.splitlines()[0]
    assert int(n) > 50 and "assessor keys folder not found" in run.stdout


def test_trainee_copy_refuses_an_existing_or_inner_folder(tmp_path):
    from ilcs.errors import ConfigError
    from ilcs.paths import PROJECT_DIR

    with pytest.raises(ConfigError, match="already exists"):
        make_trainee_copy(tmp_path)
    with pytest.raises(ConfigError, match="inside the project"):
        make_trainee_copy(PROJECT_DIR / "build" / "copy")


def _assessor_secrets() -> tuple[list[str], list[str]]:
    """Every marking point, model answer and per-option assessor feedback of every assessed
    question (long enough to be unmistakable), and the ids of the assessed questions."""
    from ilcs.assessment.questions import load_bank, load_keys

    bank = load_bank()
    keys = load_keys(bank=bank)
    texts: list[str] = []
    for key in keys.keys.values():
        if key.rubric is not None:
            texts += [str(p) for p in key.rubric.marking_points]
            texts.append(key.rubric.what_good_looks_like)
        texts += list(key.feedback.values())
    ids = [q.id for q in bank.questions if q.mode == "assessed"]
    return [t.strip() for t in texts if len(t.strip()) >= 25], ids


def test_nothing_assessed_leaks_into_a_trainee_copy(tmp_path):
    out = make_trainee_copy(tmp_path / "for-trainees")
    secrets, assessed_ids = _assessor_secrets()
    assert len(secrets) > 50 and len(assessed_ids) > 20  # the scan has something to find
    bank_files = {p.resolve() for p in (out / "datasets" / "questions").glob("*.yaml")}
    leaks = []
    for path in out.rglob("*"):
        if not path.is_file() or path.suffix not in {".py", ".md", ".yaml", ".yml", ".ipynb",
                                                      ".txt", ".json", ".csv", ".html", ".j2"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{path.relative_to(out)}: {s[:60]}" for s in secrets if s in text]
        if path.resolve() not in bank_files:  # only the trainee bank may name them
            leaks += [f"{path.relative_to(out)}: names {q}" for q in assessed_ids if q in text]
    assert leaks == []


def test_init_lays_out_a_course_without_keys_and_adds_them_only_when_asked(tmp_path, capsys):
    course = tmp_path / "course"
    assert main(["init", str(course)]) == 0
    for needed in ("notebooks/00_start_here.ipynb", "notebooks/apps/gallery.ipynb",
                   "datasets/sample/requests.csv", "datasets/questions/bank.yaml",
                   "datasets/units/A-601-2550.yaml", "voila.json", ".ilcs-course"):
        assert (course / needed).is_file(), needed
    assert not (course / "datasets" / "assessor").exists()
    assert main(["init", str(course)]) == 2  # not empty: refused
    assert "not empty" in capsys.readouterr().err
    mine = course / "notebooks" / "00_start_here.ipynb"
    mine.write_text("my own work")
    assert main(["init", str(course), "--update", "--assessor"]) == 0
    assert mine.read_text() == "my own work"  # never overwritten
    assert (course / "datasets" / "assessor" / "keys").is_dir()
