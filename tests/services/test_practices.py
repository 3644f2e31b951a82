"""The 18-practice self-assessment: a small team worked out by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

import numpy as np
import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.services import practices as pr


def _team(team: str, people: int, overrides: dict[str, list[int | None]]) -> pd.DataFrame:
    rows = []
    for i in range(people):
        row: dict[str, object] = {"team": team}
        for column in pr.COLUMNS:
            row[column] = overrides[column][i] if column in overrides else 4
        rows.append(row)
    return pd.DataFrame(rows)


PAYROLL = _team("Payroll", 5, {
    "p01": [5, 5, 5, 5, 5],      # mean 5
    "p02": [1, 2, 3, 4, 5],      # mean 3; 2 of 5 rated 4-5 = 40 %
    "p03": [1, 1, 1, 1, 2],      # mean 1.2: weakest
    "p04": [2, 2, 2, 2, 2],      # mean 2
    "p05": [2, 2, 2, 2, 2],      # mean 2 (tie with p04: p04 comes first)
    "p06": [1, 1, 1, 1, None],   # only 4 ratings: no mean shown
})


def test_the_content_map_practices_are_all_there_in_order() -> None:
    assert [p.number for p in pr.PRACTICES] == list(range(1, 19))
    assert pr.COLUMNS[0] == "p01" and pr.COLUMNS[-1] == "p18"
    assert len({p.name for p in pr.PRACTICES}) == 18


def test_summary_weakest_and_plan_by_hand() -> None:
    ratings = pr.read_ratings(PAYROLL)
    summary = pr.practice_summary(ratings).set_index("number")
    assert summary.loc[1, "mean"] == pytest.approx(5.0)
    assert summary.loc[2, "mean"] == pytest.approx(3.0)
    assert (summary.loc[2, "strong"], summary.loc[2, "pct_strong"]) == (2, pytest.approx(40.0))
    assert summary.loc[3, "mean"] == pytest.approx(1.2)
    assert summary.loc[6, "ratings"] == 4 and np.isnan(summary.loc[6, "mean"])
    weak = pr.weakest(pr.practice_summary(ratings))
    assert weak["number"].tolist() == [3, 4, 5]
    plan = pr.action_plan(weak, {3: "Sam Lee"}, start=dt.date(2026, 12, 1))
    # 1 December 2026 + 4, 8 and 12 weeks
    assert plan["by"].tolist() == ["29/12/2026", "26/01/2027", "23/02/2027"]
    assert plan["owner"].tolist() == ["Sam Lee", "to agree at the team meeting",
                                      "to agree at the team meeting"]
    assert plan["practice"].tolist() == ["Communication schedule", "Several ways to reach us",
                                         "Know the structure"]


def test_team_comparison_suppresses_teams_under_five() -> None:
    it = _team("IT", 4, {"p01": [1, 1, 1, 1]})
    ratings = pr.read_ratings(pd.concat([PAYROLL, it], ignore_index=True))
    table = pr.compare_teams(ratings).set_index("number")
    assert set(table["IT"]) == {"fewer than 5"}
    assert table.loc[3, "Payroll"] == pytest.approx(1.2)
    assert pr.team_sizes(ratings)["people"].tolist() == ["fewer than 5", "5"]
    html_free = " ".join(str(v) for v in table["IT"])
    assert "1.0" not in html_free  # IT's ratings never appear


def test_a_practice_everyone_rated_5_is_never_weak() -> None:
    ratings = pr.read_ratings(_team("HR", 5, {c: [5] * 5 for c in pr.COLUMNS[1:]}
                                   | {"p01": [4, 4, 4, 4, 5]}))
    weak = pr.weakest(pr.practice_summary(ratings))
    assert weak["number"].tolist() == [1]  # only practice 1 (mean 4.2) is below 5
    top = pr.read_ratings(_team("HR", 5, {c: [5] * 5 for c in pr.COLUMNS}))
    with pytest.raises(DataError, match="no practice stands out as weak"):
        pr.weakest(pr.practice_summary(top))


def test_weakest_needs_five_ratings() -> None:
    ratings = pr.read_ratings(_team("IT", 4, {}))
    with pytest.raises(DataError, match="no practice has ratings from at least 5 people"):
        pr.weakest(pr.practice_summary(ratings))


def test_bad_ratings_are_all_named_with_row_and_column() -> None:
    bad = PAYROLL.copy().astype(object)
    bad.loc[1, "p02"] = 6
    bad.loc[2, "p07"] = "four"
    bad.loc[3, "team"] = " "
    bad.loc[4, list(pr.COLUMNS)] = None
    with pytest.raises(DataError) as err:
        pr.read_ratings(bad, file="team.csv")
    text = str(err.value)
    assert ("team.csv, row 3, column 'p02': a rating must be a whole number from 1 to 5 or "
            "blank, found '6'") in text
    assert "team.csv, row 4, column 'p07': a rating must be a whole number from 1 to 5 or blank, found 'four'" in text
    assert "team.csv, row 5, column 'team': the team is required" in text
    assert "team.csv, row 6: this row rates no practice" in text
    with pytest.raises(DataError, match="team.csv, column 'p18': the column is missing"):
        pr.read_ratings(PAYROLL.drop(columns=["p18"]), file="team.csv")


def test_save_is_atomic_and_reads_back(tmp_path, monkeypatch) -> None:
    ratings = pr.read_ratings(PAYROLL)
    path, digest = pr.save_ratings(ratings, tmp_path / "payroll.csv")
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    back = pr.load_ratings(path)
    pd.testing.assert_frame_equal(back, ratings)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        pr.save_ratings(pr.read_ratings(_team("Payroll", 5, {})), path)
    assert path.read_bytes() == before  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["payroll.csv"]  # no temporary file left


def test_ratings_frame_from_answers() -> None:
    answers = [{n: 3 for n in range(1, 19)} for _ in range(5)]
    answers[0][1] = 5
    ratings = pr.ratings_frame("HR", answers)
    # practice 1: 5 + 3 + 3 + 3 + 3 = 17; 17 / 5 = 3.4
    assert pr.practice_summary(ratings).set_index("number").loc[1, "mean"] == pytest.approx(3.4)
