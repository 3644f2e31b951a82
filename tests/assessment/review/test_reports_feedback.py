import json
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pytest

from ilcs.assessment.cohort import cohort_matrix
from ilcs.assessment.comment_bank import comments_for, load_comment_bank
from ilcs.assessment.feedback import (
    install_feedback_pack,
    latest_feedback_pack,
    load_feedback_pack,
    write_feedback_pack,
)
from ilcs.assessment.reports import (
    candidate_report_html,
    cohort_export_frame,
    export_cohort,
)
from ilcs.assessment.views.feedback import show_feedback
from ilcs.errors import DataError, PackError
from tests.support.records import record


def test_record_takes_latest_decision_and_keeps_history():
    rec = record()
    c = rec.criterion("4.2")
    assert c.status == "not_yet_met" and len(c.decisions) == 2 and c.decision.overridden
    assert c.action_points[0].due.isoformat() == "2026-12-03"
    assert rec.criterion("7.1").status == "no_evidence"  # evidence only in proposals counts
    assert rec.criterion("7.1").evidence[0].kind == "observation"
    assert rec.counts()["met"] == 1 and rec.counts()["not_yet_met"] == 1
    assert len(rec.criteria) == 18


def test_report_html_lists_every_criterion_escaped_and_printable():
    page = candidate_report_html(rec := record(),
                                 generated_at=datetime(2026, 11, 3, tzinfo=timezone.utc))
    assert page.count('<section class="criterion"') == len(rec.criteria)
    assert "Agreeing &lt;targets&gt; sets expectations" in page
    assert "Explain what SMART gives both sides." in page and "03/12/2026" in page
    assert "overrides proposal: ✔ Met" in page
    assert "@media print" in page and "03/11/2026 00:00 UTC" in page
    assert "Listed the teams served" in page


def test_cohort_export_csv_and_xlsx(tmp_path):
    matrix = cohort_matrix(["c1", "c2"], ["1.1", "4.2"],
                           pd.DataFrame({"candidate_id": ["c1"], "criterion_id": ["4.2"],
                                         "proposal": ["awaiting_marking"]}),
                           pd.DataFrame({"candidate_id": ["c2"], "criterion_id": ["1.1"],
                                         "outcome": ["met"], "decided_at": ["2026-11-01"]}))
    cands = pd.DataFrame({"candidate_id": ["c1", "c2"], "name": ["Ada", "Ben"],
                          "candidate_number": ["NVQ-0001", "NVQ-0002"],
                          "centre": ["N", "S"], "assessor": ["A", "B"]})
    table = cohort_export_frame(matrix, cands)
    csv = export_cohort(table, tmp_path / "cohort.csv")
    back = pd.read_csv(csv, encoding="utf-8-sig", dtype=str)
    assert back.loc[0, "4.2"] == "Awaiting marking" and back.loc[1, "1.1"] == "Met"
    assert back.loc[1, "criteria met"] == "1" and back.loc[0, "name"] == "Ada"
    xlsx = export_cohort(table, tmp_path / "cohort.xlsx")
    ws = openpyxl.load_workbook(xlsx)["Cohort"]
    assert [c.value for c in ws[1]][:5] == ["candidate_number", "name", "centre",
                                             "assessor", "candidate_id"]
    assert ws.cell(row=2, column=1).value == "NVQ-0001"
    assert ws.cell(row=2, column=5).value == "c1"
    with pytest.raises(Exception, match="csv or .xlsx"):
        export_cohort(table, tmp_path / "cohort.pdf")


def test_feedback_pack_round_trip_and_tamper(tmp_path, ilcs_home):
    out = write_feedback_pack(record(), tmp_path)
    pack = load_feedback_pack(out)
    assert pack.candidate_id == "c1"
    (c42,) = pack.for_criteria(["4.2"])
    assert c42.label == "✘ Not yet met" and c42.action_points[0]["due"] == "2026-12-03"
    raw = json.loads(out.read_text(encoding="utf-8"))
    (target,) = [c for c in raw["criteria"] if c["criterion_id"] == "4.2"]
    target["status"] = "met"
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(PackError, match="changed after"):
        load_feedback_pack(bad)
    cut = tmp_path / "cut.json"
    cut.write_text(out.read_text(encoding="utf-8")[:200], encoding="utf-8")
    with pytest.raises(PackError, match="damaged or cut short"):
        load_feedback_pack(cut)
    raw = json.loads(out.read_text(encoding="utf-8"))
    raw["schema_version"] = 99
    old = tmp_path / "v99.json"
    old.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(PackError, match="version 99"):
        load_feedback_pack(old)
    # the trainee side: nothing yet, then the installed pack
    assert latest_feedback_pack() is None
    assert "No feedback from your assessor yet" in show_feedback(["4.2"]).value
    (ilcs_home / "profile.json").write_text(json.dumps(
        {"profile_version": 1, "candidate_id": "someone-else", "name": "Bo Lee",
         "candidate_number": "NVQ-0099", "centre": "North"}), encoding="utf-8")
    with pytest.raises(PackError, match="is for NVQ-0042 Ada Jones, not for NVQ-0099 Bo Lee"):
        install_feedback_pack(out)  # another candidate's feedback is never installed
    assert latest_feedback_pack() is None
    (ilcs_home / "profile.json").write_text(json.dumps(
        {"profile_version": 1, "candidate_id": record().candidate_id, "name": "Ada Jones",
         "candidate_number": "NVQ-0042", "centre": "North"}), encoding="utf-8")
    install_feedback_pack(out)
    shown = show_feedback(criteria=["4.2"]).value
    assert "✘ Not yet met" in shown and "Explain what SMART gives both sides." in shown
    assert "03/12/2026" in shown and "1.1 " not in shown
    (ilcs_home / "feedback" / "broken.json").write_text("{", encoding="utf-8")
    shown = show_feedback(criteria=["4.2"]).value
    assert "broken.json: not a complete feedback pack" in shown and "✘ Not yet met" in shown


def test_notebook_advice_only_where_a_notebook_exists(tmp_path):
    bank = load_comment_bank()
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cell = {"cell_type": "code", "source": ['show_questions("4.2")']}
    (folder / "04_quality_standards.ipynb").write_text(
        json.dumps({"cells": [cell]}), encoding="utf-8")
    (folder / "05_problems.ipynb").write_text(json.dumps(  # names 5.3 only in prose
        {"cells": [{"cell_type": "markdown", "source": ["criterion 5.3"]}]}), encoding="utf-8")
    fits = {c.id: c for c in comments_for(bank, "4.2", "not_yet_met", notebooks=folder)}
    assert "04_quality_standards.ipynb" in fits["nym-review-notebook"].text
    assert "{notebook}" not in fits["nym-review-notebook"].text
    # outcome 5 has no notebook in this folder: the advice would send the learner nowhere
    assert "nym-review-notebook" not in {
        c.id for c in comments_for(bank, "5.3", "not_yet_met", notebooks=folder)}
    assert "nym-review-notebook" not in {
        c.id for c in comments_for(bank, "7.1", "not_yet_met", notebooks=folder)}
    # the course's own notebooks: 2.1 is taught in notebook 01 (not 02, which does not
    # exist), 4.2 in 04; no notebook teaches a criterion the unit does not have
    from ilcs.assessment.comment_bank import notebook_for

    assert notebook_for("2.1") == "01_internal_customers.ipynb"
    assert notebook_for("4.2") == "04_quality_standards.ipynb"
    assert notebook_for("9.9") is None


def test_comment_bank(tmp_path):
    bank = load_comment_bank()
    fits = comments_for(bank, "4.2", "not_yet_met")
    assert fits[0].id == "nym-4.2-smart"  # criterion-specific comments first
    assert all(c.decision in ("not_yet_met", "any") for c in fits)
    assert "nym-5.3-procedure" not in {c.id for c in fits}
    bad = tmp_path / "bank.yaml"
    bad.write_text("schema_version: 1\ncomments:\n  - {id: a, text: x, decision: maybe}\n"
                   "  - {id: a, text: ''}\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_comment_bank(bad)
    assert len(err.value.problems) == 3
