"""SMART A and R for a learner's own standard: never judged on the sample organisation's
history; judged on the requests the learner gives; working days from the team's calendar."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ilcs.cli import main
from ilcs.standards.smart import NO_RECORDS, check_smart

OWN = "Payroll will reply to pay queries from staff within 1 working day."


def _own_requests(path: Path, minutes: list[int]) -> Path:
    """A small request log of the learner's own Payroll team: first responses after `minutes`."""
    received = pd.Timestamp("2025-03-03 09:00")
    rows = [{"request_id": f"OWN-{i}", "requester_department": "Operations",
             "provider_team": "Payroll", "channel": "email", "category": "Pay query",
             "priority": "P3", "received_at": received + pd.Timedelta(days=7 * i),
             "first_response_at": received + pd.Timedelta(days=7 * i, minutes=m),
             "resolved_at": received + pd.Timedelta(days=7 * i, minutes=m + 30)}
            for i, m in enumerate(minutes)]
    pd.DataFrame(rows).to_csv(path, index=False, date_format="%Y-%m-%d %H:%M")
    return path


def test_without_requests_a_and_r_are_not_judged_and_the_reason_says_why() -> None:
    report = check_smart(OWN)
    for letter in ("A", "R"):
        check = report.check(letter)
        assert check.met is None
        assert NO_RECORDS in check.reason and "give your team's requests" in check.reason
    # S, M and T are judged on the wording alone
    assert [report.check(letter).met for letter in ("S", "M", "T")] == [True, True, True]


def test_an_absolute_promise_is_still_unrealistic_without_records() -> None:
    report = check_smart("Payroll will always reply to pay queries from staff within 1 hour.")
    assert report.check("R").met is False and report.check("A").met is None


def test_cli_without_requests_prints_null_for_a_and_r(capsys: Any) -> None:
    assert main(["sla", "smart", OWN, "--json"]) == 0
    letters = json.loads(capsys.readouterr().out)["letters"]
    assert letters["A"]["met"] is None and letters["R"]["met"] is None
    assert "--requests FILE" in letters["A"]["reason"]


def test_cli_with_own_requests_judges_a_and_r_on_that_file(tmp_path: Path, capsys: Any) -> None:
    quick = _own_requests(tmp_path / "quick.csv", [30, 45, 60, 90, 120])  # all within a day
    assert main(["sla", "smart", OWN, "--requests", str(quick), "--json"]) == 0
    letters = json.loads(capsys.readouterr().out)["letters"]
    assert letters["A"]["met"] is True and letters["R"]["met"] is True
    assert "5 requests" in letters["A"]["reason"]
    # the same words on a slow team's file: now neither achievable nor realistic
    slow = _own_requests(tmp_path / "slow.csv", [30, 60 * 24 * 2, 60 * 24 * 3, 60 * 24 * 2, 60 * 24])
    assert main(["sla", "smart", OWN, "--requests", str(slow), "--json"]) == 0
    letters = json.loads(capsys.readouterr().out)["letters"]
    assert letters["A"]["met"] is False and letters["R"]["met"] is False


def _standards(lunch: str | None, closes: str = "17:00") -> pd.DataFrame:
    return pd.DataFrame([{"standard_id": "OWN-01", "provider_team": "HR Advisory",
                          "description": "x", "measure": "first_response", "priority": None,
                          "categories": None, "target": 1.0, "unit": "working_days",
                          "nation": "england-and-wales", "opens": "09:00", "closes": closes,
                          "lunch": lunch}])


def test_working_days_come_from_the_teams_calendar() -> None:
    text = "HR will answer policy questions from managers within 2 working days."
    assert check_smart(text).target_hours == 16  # 09:00-17:00 by default
    assert check_smart(text, standards=_standards("13:00-14:00")).target_hours == 14
    assert check_smart(text, standards=_standards(None, closes="16:00")).target_hours == 14
    clock = "HR will answer policy questions from managers within 48 hours."
    report = check_smart(clock, standards=_standards("13:00-14:00"))
    assert report.target_hours == 14
    assert "a working day of 7 hours" in report.check("T").reason
    half = "HR will reply to enquiries from staff within half a working day."
    assert check_smart(half, standards=_standards("13:00-14:00")).target_hours == 3.5


def test_cli_reads_the_working_day_from_a_standards_file(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "ours.csv"
    _standards("13:00-14:00").to_csv(path, index=False)
    text = "HR will answer policy questions from managers within 48 hours."
    assert main(["sla", "smart", text, "--standards", str(path), "--json"]) == 0
    letters = json.loads(capsys.readouterr().out)["letters"]
    assert "read as 14 working hours" in letters["T"]["reason"]


def test_the_own_standards_writer_does_not_use_the_sample_history() -> None:
    from ilcs.standards.views import build_standards_writer

    box = build_standards_writer(initial=OWN, save=False)
    box.check()
    (report,) = box.reports
    assert report.check("A").met is None and report.check("R").met is None
    assert "--requests" in report.check("A").reason
    assert "not judged" in box.results.value
