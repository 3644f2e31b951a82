"""The improvement record: the cycle's rules, the timeline, saving and loading."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ilcs.errors import DataError
from ilcs.improvement.record import STEP_NAMES, ImprovementRecord, load_record


def _finished() -> ImprovementRecord:
    rec = ImprovementRecord("Faster replies to pay queries", team="Payroll Services")
    rec.complete("Identify the problem", owner="Sam", done_on="02/06/2025",
                 note="Only 70 % of pay queries answered within a day")
    rec.complete("Define and analyse it", owner="Sam", done_on="2025-06-09")
    rec.skip("Explore ways to solve it", "the team had already tried the options last year")
    rec.complete("Choose the best", owner="Ade", done_on="16/06/2025")
    rec.complete("Implement it", owner="Ade", done_on="01/07/2025")
    rec.complete("Review the result", owner="Sam", done_on="06/10/2025")
    return rec


def test_a_finished_cycle_has_no_problems_and_a_timeline() -> None:
    rec = _finished()
    assert rec.problems() == [] and rec.finished
    line = rec.timeline()
    assert line["pdca"].tolist() == ["Plan", "Plan", "Plan", "Plan", "Do", "Check and Act"]
    assert line["done_on"].tolist()[:2] == ["02/06/2025", "09/06/2025"]
    assert line["status"].tolist()[2] == (
        "skipped (the team had already tried the options last year)")
    assert line["evidence"].tolist() == [1, 0, 0, 0, 0, 0]
    assert "1. Identify the problem [Plan]: done on 02/06/2025 by Sam" in rec.summary_text()


def test_every_broken_rule_is_named() -> None:
    rec = ImprovementRecord("")
    rec.skip("Identify the problem", "")
    rec.complete("Choose the best", owner="", done_on="01/07/2025")
    rec.step("Review the result").status = "skipped"
    assert [str(p) for p in rec.problems()] == [
        "column 'title': give the improvement a title",
        "column 'skip_reason': step 1 'Identify the problem' is skipped without a reason: say why",
        "column 'status': step 2 'Define and analyse it' is not done but a later step is: "
        "finish it, or mark it skipped with a reason",
        "column 'status': step 3 'Explore ways to solve it' is not done but a later step is: "
        "finish it, or mark it skipped with a reason",
        "column 'owner': step 4 'Choose the best' is done but has no owner",
        "column 'skip_reason': step 6 'Review the result' is skipped without a reason: say why",
        "column 'status': step 6 'Review the result' cannot be skipped: every change is reviewed",
    ]


def test_the_review_comes_after_the_implementation() -> None:
    rec = _finished()
    rec.complete("Review the result", owner="Sam", done_on="30/06/2025")
    assert [str(p) for p in rec.problems()] == [
        "column 'done_on': step 6 'Review the result' is dated 30/06/2025, before "
        "'Implement it' (01/07/2025): the steps follow each other"]
    rec.step("Implement it").status = "to do"
    rec.complete("Review the result", owner="Sam", done_on="06/10/2025")
    messages = [str(p) for p in rec.problems()]
    assert "column 'status': step 6 'Review the result' is done but nothing was implemented: " \
           "the review comes after the change" in messages


def test_dates_are_read_day_first_and_bad_ones_named() -> None:
    rec = ImprovementRecord("x")
    assert rec.complete("Identify the problem", owner="A", done_on="03/04/2025").done_on == \
        date(2025, 4, 3)
    with pytest.raises(DataError, match="'04/13/2025' is not a date; write it as DD/MM/YYYY"):
        rec.complete("Identify the problem", owner="A", done_on="04/13/2025")
    with pytest.raises(DataError, match="there is no step called 'Celebrate'"):
        rec.step("Celebrate")


def test_save_and_load_round_trip_leaves_no_temporary_file(tmp_path: Path) -> None:
    rec = _finished()
    rec.attach("Review the result", "chart", "Weekly first response", "<svg></svg>")
    rec.attach("Review the result", "figure", "Within target after", "93 %")
    path = rec.save(tmp_path / "records" / "payroll.json")
    assert sorted(p.name for p in path.parent.iterdir()) == ["payroll.json"]
    again = load_record(path)
    assert again == rec
    assert [s.name for s in again.steps] == list(STEP_NAMES)


def test_a_damaged_record_is_refused_with_file_step_and_field(tmp_path: Path) -> None:
    path = tmp_path / "rec.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="rec.json: this is not a saved improvement record"):
        load_record(path)
    data = _finished().to_dict()
    data["steps"][2]["status"] = "maybe"
    data["steps"][4]["done_on"] = "1st July"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_record(path)
    assert str(err.value) == (
        "2 problems found:\n"
        f"  - {path}, row 3, column 'status': step 3: status 'maybe' is not one of to do, done, "
        "skipped\n"
        f"  - {path}, row 5, column 'done_on': step 5: '1st July' is not a date (YYYY-MM-DD)")
    with pytest.raises(DataError, match="file not found"):
        load_record(tmp_path / "missing.json")
