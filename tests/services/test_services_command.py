"""`ilcs services`: figures on the sample data, every problem of a bad file, exit codes."""

from __future__ import annotations

import pandas as pd

from ilcs.cli import main
from ilcs.services import practices


def test_chain_names_the_late_link(capsys) -> None:
    assert main(["services", "chain"]) == 0
    out = capsys.readouterr().out
    assert "Late link: 1. Advert (Purchasing)" in out
    assert "Payroll set-up" in out


def test_map_shows_counts_beside_shares(capsys) -> None:
    assert main(["services", "map"]) == 0
    out = capsys.readouterr().out
    assert "55.4 % (552 of 997)" in out  # Operations' share of Facilities Helpdesk's requests


def test_a_missing_data_folder_lists_every_file_and_exits_2(tmp_path, capsys) -> None:
    assert main(["services", "expectations", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    for name in ("requests.csv", "standards.csv", "survey_responses.csv"):
        assert f"{tmp_path / name}: file not found" in err
    assert "Traceback" not in err


def test_practices_file_with_a_small_team(tmp_path, capsys) -> None:
    rows = [{"team": "Payroll", **{c: 4 for c in practices.COLUMNS}} for _ in range(5)]
    for row in rows:
        row["p13"] = 1
    rows += [{"team": "IT", **{c: 1 for c in practices.COLUMNS}} for _ in range(2)]
    path = tmp_path / "ratings.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    assert main(["services", "practices", str(path), "--owner", "Sam Lee",
                 "--start", "01/12/2026"]) == 0
    out = capsys.readouterr().out
    assert "     IT fewer than 5" in out
    assert "Payroll: draft action plan" in out and "IT: draft" not in out
    assert "Prompt replies" in out and "Sam Lee" in out and "29/12/2026" in out


def test_practices_bad_file_lists_every_problem_and_exits_2(tmp_path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("team,p01\nHR,7\n", encoding="utf-8")
    assert main(["services", "practices", str(path)]) == 2
    err = capsys.readouterr().err
    assert "17 problems found" in err
    assert "bad.csv, column 'p02': the column is missing" in err
    path.write_text("team," + ",".join(practices.COLUMNS) + "\nHR," + "6," * 17 + "x\n",
                    encoding="utf-8")
    assert main(["services", "practices", str(path)]) == 2
    err = capsys.readouterr().err
    assert "18 problems found" in err
    assert "bad.csv, row 2, column 'p18': a rating must be a whole number from 1 to 5 or " \
           "blank, found 'x'" in err
