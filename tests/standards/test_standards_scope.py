"""Standards scoped by request category: the engine, the warning for an unknown category,
and the sample's scoped standards."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.errors import DataError
from ilcs.io import load, load_sample
from ilcs.io.crossfile import split_categories, standard_category_warnings
from ilcs.standards import sla_report
from ilcs.standards.measures import applies_to, measure


def _requests() -> pd.DataFrame:
    rows = [
        ("R1", "Pay query", "P3"), ("R2", "Pension query", "P3"),
        ("R3", "bank details change ", "P2"), ("R4", "Pay query", "P2"),
    ]
    return pd.DataFrame({
        "request_id": [r[0] for r in rows],
        "requester_department": "Operations",
        "provider_team": "Payroll Services",
        "category": [r[1] for r in rows],
        "priority": [r[2] for r in rows],
        "received_at": pd.to_datetime(["2025-03-03 09:00"] * 4),
        "first_response_at": pd.to_datetime(["2025-03-03 10:00"] * 4),
        "resolved_at": pd.to_datetime(["2025-03-03 10:00", "2025-03-10 10:00",
                                       "2025-03-03 11:00", "2025-03-12 10:00"]),
    })


def _standard(**changes: object) -> dict:
    base = {"standard_id": "S1", "provider_team": "Payroll Services",
            "description": "Pay errors put right within 3 working days.",
            "measure": "resolution", "priority": None, "categories": None, "target": 3.0,
            "unit": "working_days", "nation": "england-and-wales", "opens": "09:00",
            "closes": "17:00", "lunch": None}
    return {**base, **changes}


def test_split_categories() -> None:
    assert split_categories(" Pay query ; Overtime;;Pay query ") == ("Pay query", "Overtime")
    assert split_categories(None) == () and split_categories(float("nan")) == ()
    assert split_categories("  ") == ()


def test_blank_categories_mean_every_request_of_the_team() -> None:
    measured = measure(_requests(), pd.DataFrame([_standard()]))
    assert sorted(measured["request_id"]) == ["R1", "R2", "R3", "R4"]


def test_categories_choose_requests_ignoring_case_and_spaces() -> None:
    standards = pd.DataFrame([_standard(categories="pay query;Bank details change")])
    measured = measure(_requests(), standards)
    assert sorted(measured["request_id"]) == ["R1", "R3", "R4"]
    assert list(applies_to(standards.iloc[0], _requests())) == [True, False, True, True]


def test_categories_and_priority_together() -> None:
    standards = pd.DataFrame([_standard(categories="Pay query", priority="P2")])
    assert list(measure(_requests(), standards)["request_id"]) == ["R4"]


def test_breaches_count_only_the_scoped_requests() -> None:
    # R2 (pension, 5 working days) and R4 (pay query, 7 working days) take longer than 3 days
    everything = sla_report(_requests(), pd.DataFrame([_standard()])).standards.iloc[0]
    pay_only = sla_report(_requests(), pd.DataFrame([_standard(categories="Pay query")]))
    row = pay_only.standards.iloc[0]
    assert (everything["measured"], everything["breached"]) == (4, 2)
    assert (row["measured"], row["met"], row["breached"]) == (2, 1, 1)


def test_a_standard_naming_categories_needs_a_category_column() -> None:
    requests = _requests().drop(columns=["category"])
    with pytest.raises(DataError, match="S1 names request categories"):
        measure(requests, pd.DataFrame([_standard(categories="Pay query")]))
    # without categories, a log with no category column still measures
    assert len(measure(requests, pd.DataFrame([_standard()]))) == 4


def test_an_unknown_category_is_a_warning_naming_file_row_and_column(tmp_path: Path) -> None:
    standards = pd.DataFrame([_standard(), _standard(standard_id="S2",
                                                     categories="Pay querys;Pension query")])
    path = tmp_path / "ours.csv"
    standards.to_csv(path, index=False)
    loaded = load(path, "standards")  # loads: the loader alone cannot know the requests
    problems = standard_category_warnings(loaded, _requests())
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.row, problem.column) == ("ours.csv", 3, "categories")
    assert "'Pay querys'" in problem.message and "did you mean 'Pay query'?" in problem.message
    report = sla_report(_requests(), loaded)
    assert any("ours.csv, row 3, column 'categories'" in note for note in report.notes)
    assert report.standards.set_index("standard_id").loc["S2", "measured"] == 1  # the pension query


def test_an_own_standards_file_without_the_column_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    pd.DataFrame([_standard()]).drop(columns=["categories"]).to_csv(path, index=False)
    loaded = load(path, "standards")
    assert loaded["categories"].isna().all()
    assert standard_category_warnings(loaded, _requests()) == []
    assert sla_report(_requests(), loaded).standards.iloc[0]["measured"] == 4


def test_sample_standards_measure_what_their_words_describe() -> None:
    requests = load_sample("requests")
    standards = load_sample("standards")
    report = sla_report(requests, standards)
    assert not [n for n in report.notes if "categories" in n]  # every category is used
    measured = report.measured.merge(requests[["request_id", "category"]], on="request_id")
    pay = set(measured.loc[measured["standard_id"] == "STD-PAY-02", "category"])
    assert pay == {"Pay query", "Overtime or expenses", "Tax code or deductions"}
    assert set(measured.loc[measured["standard_id"] == "STD-PUR-01", "category"]) == {
        "Purchase order"}
    assert set(measured.loc[measured["standard_id"] == "STD-FIN-02", "category"]) == {
        "Budget report", "Cost code query"}
    assert "Pension query" not in set(
        measured.loc[measured["standard_id"].isin(["STD-PAY-02", "STD-PAY-03"]), "category"])


def test_pct_label_shows_the_count_and_marks_few_requests() -> None:
    from ilcs.standards import FEW_REQUESTS, pct_label

    assert pct_label(1363, 1740) == "78.3 % (1,363 of 1,740)"
    assert pct_label(0, 1) == "0.0 % (0 of 1, few requests)"
    assert "few" not in pct_label(FEW_REQUESTS, FEW_REQUESTS)
    assert "few requests" in pct_label(FEW_REQUESTS - 1, FEW_REQUESTS - 1)
    assert pct_label(0, 0) == "-" and pct_label(float("nan"), float("nan")) == "-"


def test_monthly_grid_labels_and_breaches_table_agree_with_the_report() -> None:
    from ilcs.standards import breaches_by_standard, compliance_grid

    report = sla_report(load_sample("requests"), load_sample("standards"))
    labels = compliance_grid(report.by_team_month, "label").set_index("standard_id")
    numbers = report.by_team_month.set_index(["standard_id", "month"])
    for (sid, month), row in numbers.iterrows():
        cell = labels.loc[sid, month]
        if row["measured"] == 0:
            assert cell == "-"
            continue
        assert cell.startswith(f"{row['pct_within']:.1f} % ({int(row['met']):,} of "
                               f"{int(row['measured']):,}")
        assert ("few requests" in cell) == (row["measured"] < 5)
    table = breaches_by_standard(report.standards).set_index("standard_id")
    pay = table.loc["STD-PAY-02"]
    measured = report.measured[report.measured["standard_id"] == "STD-PAY-02"]
    late = measured["status"].isin(["breached", "open_breached"])
    assert pay["breaches"] == late.sum() and pay["open_breached"] == (
        measured["status"] == "open_breached").sum()
    assert pay["within"] + pay["breaches"] == pay["measured"]
    assert pay["pct_within"].endswith(f"({pay['within']:,} of {pay['measured']:,})")


def test_the_dashboard_shows_breaches_and_counts_beside_percentages() -> None:
    from ilcs.standards.views.dashboard import build_sla_dashboard

    dashboard = build_sla_dashboard(load_sample("requests"), load_sample("standards")).body
    dashboard.team_picker.value = "Payroll Services"
    assert "Breaches (open and late included)" in dashboard.standards_view.value
    grid = dashboard.grid_view.value
    assert "% within target by month (of the requests measured)" in grid
    october = dashboard.report.by_team_month.set_index(["standard_id", "month"]).loc[
        ("STD-PAY-02", "2025-10")]
    assert f"({int(october['met'])} of {int(october['measured'])})" in grid


def test_data_check_and_sla_report_warn_of_a_misspelt_category(tmp_path: Path, capsys) -> None:
    from ilcs.cli import main
    from ilcs.paths import sample_dir

    text = (sample_dir() / "standards.csv").read_text(encoding="utf-8")
    assert "Pay query;Overtime" in text
    path = tmp_path / "ours.csv"
    path.write_text(text.replace("Pay query;Overtime", "Pay querys;Overtime"), encoding="utf-8")
    requests = str(sample_dir() / "requests.csv")
    assert main(["data", "check", str(path), "--kind", "standards", "--requests", requests]) == 0
    printed = capsys.readouterr().out
    assert "ours.csv, row 12, column 'categories': STD-PAY-02 names the category 'Pay querys'" in printed
    assert main(["sla", "report", requests, "--standards", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "Note: ours.csv, row 12, column 'categories'" in printed
    assert main(["data", "check", requests, "--requests", requests]) == 2  # standards only
