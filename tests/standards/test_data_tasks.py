"""Standards data tasks: registered, computable on the sample data, and equal to slow recomputation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ilcs.assessment.data_tasks import compute, registry
from ilcs.io import load_sample
from tests.support.slow_sla import slow_percentile, slow_rows

BANK = Path(__file__).resolve().parents[2] / "datasets" / "questions" / "outcome-4-data-tasks.yaml"
QUESTIONS = yaml.safe_load(BANK.read_text())["questions"]


def test_bank_has_practice_and_assessed_tasks() -> None:
    modes = [q["mode"] for q in QUESTIONS]
    assert len(QUESTIONS) >= 4  # practice, assessed and their parallel forms
    assert "practice" in modes and "assessed" in modes
    assert all(q["type"] == "data_task" and q["task"] in registry() for q in QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q["id"])
def test_every_task_computes_on_the_sample(question: dict) -> None:
    answer = compute(question["task"], question.get("params"))
    if question["answer_type"] == "single_choice":
        assert answer in {o["id"] for o in question["options"]}
    else:
        assert isinstance(answer, float) and answer >= 0


@pytest.fixture(scope="module")
def sample_rows() -> list[dict]:
    requests = load_sample("requests")
    standards = load_sample("standards")
    as_of = max(requests[c].max() for c in ("received_at", "first_response_at", "resolved_at",
                                             "on_hold_from", "on_hold_until"))
    keep = standards["standard_id"].isin(["STD-IT-01", "STD-PAY-02", "STD-HR-01"])
    return slow_rows(requests, standards[keep].astype(object).where(standards[keep].notna(), None),
                     as_of.to_pydatetime())


def test_answers_match_slow_recomputation(sample_rows: list[dict]) -> None:
    march = [r for r in sample_rows if r["standard_id"] == "STD-IT-01" and r["month"] == "2025-03"]
    met = sum(r["status"] == "met" for r in march)
    measured = sum(r["status"] in ("met", "breached", "open_breached") for r in march)
    assert compute("sla_pct_within", {"standard_id": "STD-IT-01", "month": "2025-03"}) == (
        pytest.approx(100 * met / measured))
    pay = [r for r in sample_rows if r["standard_id"] == "STD-PAY-02"]
    assert compute("sla_breaches", {"standard_id": "STD-PAY-02"}) == sum(
        r["status"] in ("breached", "open_breached") for r in pay)
    hr = [r["hours"] for r in sample_rows
          if r["standard_id"] == "STD-HR-01" and r["status"] in ("met", "breached")]
    assert compute("sla_median_hours", {"standard_id": "STD-HR-01"}) == pytest.approx(
        slow_percentile(hr, 0.5), abs=1e-6)
    it = [r["hours"] for r in sample_rows
          if r["standard_id"] == "STD-IT-01" and r["status"] in ("met", "breached")]
    assert compute("sla_target_share", {"standard_id": "STD-IT-01", "target_hours": 4}) == (
        pytest.approx(100 * sum(h <= 4 + 1e-9 for h in it) / len(it)))


def test_sla_report_command_on_the_sample_matches_slow_code(sample_rows: list[dict], tmp_path: Path,
                                                            capsys) -> None:
    """`ilcs sla report datasets/sample/requests.csv --standards ...`: printed and written
    figures for three standards, every month, against the slow per-row recomputation."""
    import pandas as pd

    from ilcs.cli import main
    from ilcs.paths import sample_dir

    out = tmp_path / "sla.csv"
    assert main(["sla", "report", str(sample_dir() / "requests.csv"), "--standards",
                 str(sample_dir() / "standards.csv"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    by_month = pd.read_csv(out.with_name("sla-by_team_month.csv"))
    compared = 0
    for sid in ("STD-IT-01", "STD-PAY-02", "STD-HR-01"):
        grid = printed.split("% within target by standard and month")[1].split("== Backlog")[0]
        grid_line = next(line for line in grid.splitlines() if line.strip().startswith(sid + " "))
        for month in sorted({r["month"] for r in sample_rows if r["standard_id"] == sid}):
            rows = [r for r in sample_rows if r["standard_id"] == sid and r["month"] == month]
            met = sum(r["status"] == "met" for r in rows)
            breached = sum(r["status"] in ("breached", "open_breached") for r in rows)
            got = by_month[(by_month["standard_id"] == sid) & (by_month["month"] == month)].iloc[0]
            assert (got["requests"], got["met"], got["breached"]) == (len(rows), met, breached)
            pct = 100 * met / (met + breached)
            assert got["pct_within"] == pytest.approx(pct)
            assert f" {pct:.1f}" in grid_line  # the printed month-by-month grid
            compared += 1
    assert compared == 36
