"""`ilcs complaints check` and `ilcs complaints report` through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.cli import main
from ilcs.io import sample_path
from tests.support.complaints_example import AS_OF, HANDLER_NAMES, write_example


@pytest.fixture()
def example(tmp_path: Path) -> dict[str, Path]:
    return write_example(tmp_path / "data")


def test_check_passes_on_the_sample(capsys) -> None:
    code = main(["complaints", "check", str(sample_path("complaint_events")),
                 "--complaints", str(sample_path("complaints"))])
    assert code == 0
    assert capsys.readouterr().out == (
        "complaint_events.csv: 932 events of 150 complaints follow Sample organisation "
        "complaints procedure and agree with complaints.csv.\n")


def test_check_lists_every_problem_and_exits_2(tmp_path: Path, capsys) -> None:
    events = tmp_path / "log.csv"
    events.write_text("complaint_id,stage,at\n"
                      "K1,received,2025-03-03 09:00\n"
                      "K1,responded,2025-03-04 09:00\n"
                      "K1,closed,2025-03-04 10:00\n"
                      "K1,closed,2025-03-04 10:00\n"
                      "K1,assessed,2025-03-05 10:00\n", encoding="utf-8")
    code = main(["complaints", "check", str(events)])
    assert code == 2
    assert capsys.readouterr().err == (
        "ilcs complaints: 5 problems found:\n"
        "  - log.csv, row 3, column 'stage': complaint K1: responded to at 04/03/2025 09:00 "
        "without an acknowledgement before it\n"
        "  - log.csv, row 3, column 'stage': complaint K1: goes from 'received' to "
        "'responded', which the procedure does not allow (after 'received' it allows: "
        "acknowledged)\n"
        "  - log.csv, row 4, column 'stage': complaint K1: closed at 04/03/2025 10:00 without "
        "an acknowledgement before it\n"
        "  - log.csv, row 5, column 'stage': complaint K1: this 'closed' event at 04/03/2025 "
        "10:00 repeats row 4 exactly\n"
        "  - log.csv, row 6, column 'stage': complaint K1: 'assessed' at 05/03/2025 10:00 comes "
        "after the complaint was closed; only 'reopened' may follow a close\n")


def test_check_lists_problems_of_every_file_at_once(tmp_path: Path, capsys) -> None:
    events = tmp_path / "log.csv"
    events.write_text("complaint_id,stage,at\nK1,acknowledged,2025-03-03 09:00\n",
                      encoding="utf-8")
    procedure = tmp_path / "ours.yaml"
    procedure.write_text("stages: [received]\n", encoding="utf-8")
    code = main(["complaints", "check", str(events), "--procedure", str(procedure),
                 "--complaints", str(tmp_path / "missing.csv")])
    err = capsys.readouterr().err
    assert code == 2
    assert "ours.yaml, column 'stages': the stages must include 'acknowledged'" in err
    assert ("log.csv, row 2, column 'stage': the first event of complaint K1 is "
            "'acknowledged'; it must be 'received'") in err
    assert "missing.csv" in err
    assert "Traceback" not in err


def test_report_figures_match_the_worked_example(example: dict[str, Path], tmp_path: Path,
                                                 capsys) -> None:
    out = tmp_path / "out" / "complaints.csv"
    code = main(["complaints", "report", str(example["events"]), "--complaints",
                 str(example["complaints"]), "--requests", str(example["requests"]),
                 "--procedure", str(example["procedure"]), "--as-of", AS_OF, "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "acknowledge within 4 working hours, respond within 2 working days" in text
    teams = pd.read_csv(out, dtype=str).set_index("Team complained about")
    # by hand (tests/complaints/test_complaints_measures.py): IT 4 of 5 = 80.0 %, 3 of 5 = 60.0 %
    assert teams.loc["IT Service Desk", "% acknowledged on time"] == "80.0"
    assert teams.loc["IT Service Desk", "% answered on time"] == "60.0"
    assert teams.loc["All teams", "% answered on time"] == "55.6"  # 5 of 9
    assert teams.loc["All teams", "Complaints per 100 requests"] == "2.9"  # 10 / 350
    # HR Advisory (3) and Payroll Services (2) are small groups, on every column
    assert set(teams.loc["HR Advisory"]) == {"fewer than 5"}
    pareto = pd.read_csv(out.with_name("complaints-pareto.csv"), dtype=str)
    assert list(pareto["Complaints"]) == ["6", "fewer than 5", "fewer than 5", "fewer than 5"]
    pareto_lines = text.split("== Categories, most common first (Pareto) ==\n")[1].splitlines()
    assert pareto_lines[1].split() == ["Delay", "6", "60.0", "60.0"]
    assert ("Fewer than 5 complaints were acknowledged later than 4 working hours: 34.5 working "
            "hours (4.3 working days) beyond the timescale in total.") in text


def test_no_names_on_any_output_path_unless_asked(example: dict[str, Path], tmp_path: Path,
                                                  capsys) -> None:
    base = ["complaints", "report", str(example["events"]), "--complaints",
            str(example["complaints"]), "--procedure", str(example["procedure"])]
    for out in (tmp_path / "plain.csv", tmp_path / "plain.xlsx"):
        assert main([*base, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    written = [p for p in tmp_path.iterdir() if p.name.startswith("plain")]
    assert len(written) == 6  # five CSV files and one workbook
    contents = [text]
    for path in written:
        if path.suffix == ".csv":
            contents.append(path.read_text(encoding="utf-8"))
        else:
            sheets = pd.read_excel(path, sheet_name=None)
            assert set(sheets) == {"teams", "pareto", "outcome_by_category", "open_by_age",
                                   "complaints"}
            contents += [s.to_csv() for s in sheets.values()]
    assert [n for n in HANDLER_NAMES if any(n in c for c in contents)] == []
    assert main([*base, "--names", "--out", str(tmp_path / "named.csv")]) == 0
    named = pd.read_csv(tmp_path / "named-complaints.csv").set_index("Complaint")
    assert named.loc["C07", "Handled by"] == "Ruby Shaw; Farah Nowak; Sophie Morgan"


def test_report_bad_out_and_as_of_are_messages(example: dict[str, Path], capsys) -> None:
    base = ["complaints", "report", str(example["events"]), "--complaints",
            str(example["complaints"])]
    assert main([*base, "--out", "report.txt"]) == 2
    assert main([*base, "--as-of", "yesterday"]) == 2
    err = capsys.readouterr().err
    assert "--out must end in .csv or .xlsx, not '.txt'" in err
    assert "--as-of 'yesterday' is not a date and time" in err
