"""The assessor's command line on a SQLite store, with the test bank."""

import json

import openpyxl
import pandas as pd
import pytest

from ilcs.cli import main

from .conftest import FIXTURES

V = "a2test.1"


@pytest.fixture()
def db(tmp_path):
    from ilcs.assessment.store import AnswerStore

    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    with AnswerStore.open(url) as store:
        store.save_candidate("c1", name="Ada Jones", centre="North", assessor="A. Khan")
        store.save_answer("c1", "a1.1-single", "b", "assessed", V)
        store.save_answer("c1", "a1.1-multi", ["a"], "assessed", V)
        store.save_answer("c1", "a4.1-written", "Two working days for IT.", "assessed", V)
    return url


def run(*argv, db):
    common = ["--database", db, "--bank", str(FIXTURES / "bank")]
    keys = ["--keys", str(FIXTURES / "keys")] if argv[0] == "mark" else []
    return main([*argv, *common, *keys])


def test_mark_decide_signoff_report_export_feedback(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ILCS_ASSESSOR", "A. Khan")
    assert run("mark", db=db) == 0
    assert "Marked 2 objective answer(s)" in capsys.readouterr().out
    assert run("mark", "--candidate", "c1", "--question", "a4.1-written",
               "--point", "names the standard", db=db) == 0
    assert "partly correct (33% of marking points)" in capsys.readouterr().out
    # 1.1 is proposed "not yet met" (a1.1-multi is partly right): met needs a reason
    assert run("decide", "--candidate", "c1", "--criterion", "1.1", "--decision", "met",
               db=db) == 2
    assert "overriding the proposed decision needs feedback" in capsys.readouterr().err
    assert run("decide", "--candidate", "c1", "--criterion", "1.1", "--decision",
               "not_yet_met", "--feedback", "Payroll and your manager both count.",
               "--action", "Redo the multiple-choice question", "--due", "31/12/2099",
               db=db) == 0
    assert "✘ Not yet met" in capsys.readouterr().out
    assert run("signoff", "--candidate", "c1", "--role", "learner", "--name", "Ada Jones",
               db=db) == 0
    report = tmp_path / "out" / "c1.html"
    assert run("report", "c1", "--out", str(report), db=db) == 0
    page = report.read_text(encoding="utf-8")
    assert "Payroll and your manager both count." in page and "31/12/2099" in page
    assert run("export", "--out", str(tmp_path / "c.csv"), "--out", str(tmp_path / "c.xlsx"),
               db=db) == 0
    sheet = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", dtype=str)
    assert sheet.loc[0, "1.1"] == "Not yet met" and sheet.loc[0, "4.1"] == "Awaiting marking"
    assert openpyxl.load_workbook(tmp_path / "c.xlsx")["Cohort"].max_row == 2
    assert run("export", "--items", "--out", str(tmp_path / "items.csv"), db=db) == 0
    items = pd.read_csv(tmp_path / "items.csv").set_index("question_id")
    assert items.loc["a1.1-multi", "facility"] == 0.0
    assert items.loc["a1.1-multi", "common_wrong"] == "a ×1"
    assert run("feedback", "--candidate", "c1", "--out", str(tmp_path / "fb"), db=db) == 0
    pack = json.loads((tmp_path / "fb" / "feedback-c1.json").read_text(encoding="utf-8"))
    (c11,) = [c for c in pack["criteria"] if c["criterion_id"] == "1.1"]
    assert c11["status"] == "not_yet_met" and c11["action_points"][0]["due"] == "2099-12-31"


def test_iqa_commands_and_identity(db, capsys, monkeypatch):
    monkeypatch.delenv("ILCS_ASSESSOR", raising=False)
    assert run("decide", "--candidate", "c1", "--criterion", "1.1", "--decision", "met",
               db=db) == 2
    assert "--assessor NAME" in capsys.readouterr().err
    run("mark", db=db)
    assert run("decide", "--candidate", "c1", "--criterion", "1.1", "--decision",
               "not_yet_met", "--feedback", "Retry", "--assessor", "A. Khan", db=db) == 0
    assert run("iqa", "assessor", "A. Khan", "--risk", "high", "--new", "--iqa", "I. Qa",
               db=db) == 0
    assert run("iqa", "sample", "--iqa", "I. Qa", "--seed", "4", db=db) == 0
    assert "Ada Jones 1.1 by A. Khan: 50% of A. Khan's decisions (new, high risk)" in (
        capsys.readouterr().out)
    assert run("iqa", "queue", "--iqa", "I. Qa", db=db) == 0
    out = capsys.readouterr().out
    item = out.split("item ")[1].split(":")[0]
    assert run("iqa", "verdict", "--item", item, "--verdict", "accepted", "--iqa", "I. Qa",
               db=db) == 0
    assert run("iqa", "queue", "--iqa", "I. Qa", db=db) == 0
    assert "queue is empty" in capsys.readouterr().out
    assert run("report", "nobody", "--out", "x.html", db=db) == 2
    assert "no candidate 'nobody'" in capsys.readouterr().err
