"""`ilcs sla report` and `ilcs sla smart` through the real command line entry point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.cli import main
from tests.support.requestlog import make_requests, make_standards

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tickets"


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    requests = make_requests(120, seed=11)
    for column in ("received_at", "first_response_at", "resolved_at", "on_hold_from", "on_hold_until"):
        requests[column] = requests[column].dt.strftime("%d/%m/%Y %H:%M")  # UK day-first on input
    req_path = tmp_path / "requests.csv"
    std_path = tmp_path / "standards.csv"
    requests.to_csv(req_path, index=False)
    make_standards().to_csv(std_path, index=False)
    return req_path, std_path


def test_report_prints_tables_and_writes_csv(files, tmp_path: Path, capsys) -> None:
    req_path, std_path = files
    out = tmp_path / "out" / "sla.csv"
    code = main(["sla", "report", str(req_path), "--standards", str(std_path), "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    for title in ("Each standard over the whole period", "% within target by standard and month",
                  "Backlog", "Breaches, worst first"):
        assert title in text
    # The written tables hold the same figures as the printed ones.
    standards = pd.read_csv(out.with_name("sla-standards.csv"))
    assert list(standards["standard_id"]) == ["S1", "S2", "S3", "S4"]
    for row in standards.itertuples():
        assert f"{row.pct_within:.1f}" in text
    compliance = pd.read_csv(out)
    assert compliance["requests"].sum() == standards["requests"].sum()
    breaches = pd.read_csv(out.with_name("sla-breaches.csv"))
    assert len(breaches) == standards["breached"].sum()


def test_report_writes_xlsx_sheets(files, tmp_path: Path, capsys) -> None:
    req_path, std_path = files
    out = tmp_path / "sla.xlsx"
    assert main(["sla", "report", str(req_path), "--standards", str(std_path), "--out", str(out),
                 "--as-of", "2025-03-15 12:00"]) == 0
    assert "period ending 2025-03-15 12:00" in capsys.readouterr().out
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"standards", "compliance", "by_team_month", "backlog", "breaches"}
    assert pd.to_datetime(sheets["breaches"]["received_at"]).max() <= pd.Timestamp("2025-03-15 12:00")


def test_report_on_a_jira_export(tmp_path: Path, capsys) -> None:
    std = make_standards()
    std_path = tmp_path / "standards.csv"
    std.to_csv(std_path, index=False)
    code = main(["sla", "report", str(FIXTURES / "jira_export.csv"), "--format", "jira",
                 "--standards", str(std_path), "--full"])
    text = capsys.readouterr().out
    assert code == 0
    assert "4 requests" in text and "S1 IT Service Desk" in " ".join(text.split())


def test_bad_input_exits_2_without_traceback(files, tmp_path: Path, capsys) -> None:
    req_path, std_path = files
    assert main(["sla", "report", str(req_path), "--standards", str(std_path),
                 "--map", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert "SOURCE=column" in err and "Traceback" not in err
    assert main(["sla", "report", str(tmp_path / "missing.csv"), "--standards", str(std_path)]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["sla", "report", str(req_path), "--standards", str(std_path),
                 "--out", str(tmp_path / "x.txt")]) == 2


def test_smart_command(files, capsys) -> None:
    req_path, _ = files
    assert main(["sla", "smart", "We will reply to staff IT requests within 4 working hours",
                 "--requests", str(req_path)]) == 0
    text = capsys.readouterr().out
    assert "S Specific: ✔ met" in text
    assert "IT Service Desk" in text  # history used for Achievable
