"""A trainee's copy has the notebooks, data and question bank, and no assessor files."""

import os
import subprocess
import sys

import pytest

from ilcs.cli import main
from ilcs.trainee_copy import make_trainee_copy


def test_trainee_copy_leaves_out_the_assessor_folder_only(tmp_path, capsys):
    out = tmp_path / "for-trainees"
    assert main(["trainee-copy", str(out)]) == 0
    assert "left out: datasets/assessor" in capsys.readouterr().out
    assert not (out / "datasets" / "assessor").exists()
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
