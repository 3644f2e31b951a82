"""`ilcs survey summary`: exit 0 with the tables, exit 2 with every problem listed; small
groups and personal details never reach the screen or an exported file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.cli import main
from ilcs.paths import sample_dir

FIXTURES = Path(__file__).parent / "fixtures"


def test_summary_of_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["survey", "summary", str(sample_dir() / "survey_responses.csv"),
                 "--invitations", str(sample_dir() / "survey_invitations.csv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "820 responses read from survey_responses.csv." in out
    assert "Response rates and mix, wave 2" in out
    assert "Payroll Services: agreement with" in out and "fell from 75% (of 44)" in out
    assert "under-represented" in out  # Operations in wave 1
    assert "0.88" in out  # Cronbach's alpha of the service scale, two decimals


def test_summary_of_a_small_export_suppresses_and_redacts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "summary.xlsx"
    code = main(["survey", "summary", str(FIXTURES / "google_forms.csv"),
                 "--format", "google-forms", "--wave", "2", "--team", "IT Service Desk",
                 "--map", "Which department do you work in?=department",
                 "--org-chart", str(sample_dir() / "org_chart.csv"), "--out", str(out_file)])
    out = capsys.readouterr().out
    assert code == 0
    assert "4 responses read from google_forms.csv." in out
    assert "1 blank rows skipped" in out and "4 personal details" in out
    assert "fewer than 5" in out
    assert "@" not in out and "07700" not in out and "Olivia" not in out
    sheets = pd.read_excel(out_file, sheet_name=None)
    assert set(sheets) >= {"scores", "scores_by_team", "recommend", "effort"}
    for name, sheet in sheets.items():
        text = sheet.astype(str).to_string()
        assert "@" not in text and "Olivia" not in text
        assert "fewer than 5" in text, name
        assert "Strongly agree" not in text


def test_bad_answers_exit_2_with_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["survey", "summary", str(FIXTURES / "out_of_range.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("ilcs survey: 4 problems found:")
    assert "out_of_range.csv, row 2, column 'q_timely': response B-1: 6 is out of range" in err
    assert "row 3, column 'recommend': response B-2: 11 is out of range" in err
    assert "Traceback" not in err


def test_a_file_without_a_wave_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["survey", "summary", str(FIXTURES / "generic.csv")])
    assert code == 2
    assert "give the wave for the whole file" in capsys.readouterr().err


def test_a_bad_map_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["survey", "summary", str(FIXTURES / "generic.csv"), "--wave", "1",
                 "--map", "nonsense"])
    assert code == 2
    assert "--map 'nonsense' is not SOURCE=COLUMN" in capsys.readouterr().err


def test_csv_out_writes_one_file_per_table(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "summary.csv"
    code = main(["survey", "summary", str(sample_dir() / "survey_responses.csv"),
                 "--out", str(out)])
    assert code == 0
    assert pd.read_csv(out).columns[0] == "Statement"  # the first table at the name given
    assert (tmp_path / "summary-change.csv").exists()
    assert "Written: " in capsys.readouterr().out


def test_out_with_another_suffix_exits_2(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["survey", "summary", str(sample_dir() / "survey_responses.csv"),
                 "--out", str(tmp_path / "summary.txt")])
    assert code == 2
    assert "--out must end in .csv or .xlsx, not '.txt'" in capsys.readouterr().err
