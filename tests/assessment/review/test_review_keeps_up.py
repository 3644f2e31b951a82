"""The review app keeps up with the assessor: every view refreshes from the store after
every save, candidates are known by number and name everywhere (app, report, CSV, every
command), a search box finds one among 500, rubric points are whole, messages sit beside
their buttons, the IQA sees evidence and feedback, never re-samples a judged decision, and
a changed verdict needs a reason; a trainee cannot install someone else's feedback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from ilcs.assessment import review
from ilcs.assessment.views.review import build_review_view
from ilcs.cli import main
from ilcs.errors import DataError

from .conftest import FIXTURES

V = "a2test.1"
LONG_ID = "5f0c2a9e4b7d4c1f8e6a3b2d1c0f9e8a"  # a real candidate id is a 32-character hex


@pytest.fixture()
def filled(sqlite_store, bank, keys):
    s = sqlite_store
    s.save_candidate(LONG_ID, name="Ada Jones", candidate_number="NVQ-0042", centre="North",
                     assessor="A. Khan")
    s.save_candidate("6a1d" * 8, name="Ben Ola", candidate_number="NVQ-0043", centre="South",
                     assessor="B. Roe")
    s.save_answer(LONG_ID, "a1.1-single", "b", "assessed", V)
    s.save_answer(LONG_ID, "a1.1-multi", ["a", "c"], "assessed", V)
    s.save_answer(LONG_ID, "a4.1-written", "Our IT desk replies within two working days, "
                  "as our service level agreement says.", "assessed", V)
    review.mark_imported(s, bank=bank, keys=keys)
    return s


def view_of(store, bank, keys, who="A. Khan", **kw):
    return build_review_view(store, who, bank=bank, keys=keys, **kw)


# ------------------------------------------------------------------ refresh after each save


def test_every_view_refreshes_from_the_store_after_every_save(filled, bank, keys):
    v = view_of(filled, bank, keys)
    v.candidate.value = LONG_ID
    v.criterion.value = "4.1"
    assert "… Awaiting marking" in v.candidate_view.value
    assert "Sign-offs: none yet" in v.candidate_view.value
    for box, _text in v.point_boxes:
        box.value = True
    v.mark_button.click()
    # the candidate page, the criterion panel and the matrix show the new mark at once
    assert "written answer a4.1-written covers every required part" in v.candidate_view.value
    assert "correct" in v.evidence.value and "awaiting assessor" not in v.evidence.value
    assert "Saved mark: correct, by A. Khan (3 point(s) ticked below)" in v.answer.value
    assert all(box.value for box, _text in v.point_boxes)  # what was saved, not a blank form
    v.outcome.value = "met"
    v.decide_button.click()
    assert "Decision saved" in v.decide_message.value
    row_41 = v.candidate_view.value.split("<th scope='row'>4.1</th>")[1].split("</tr>")[0]
    assert "✔ Met" in row_41
    assert v.matrix_frame.loc[LONG_ID, "4.1"] == "met"
    v.sign_name.value = "A. Khan"
    v.sign_button.click()
    assert "Sign-offs: assessor A. Khan" in v.candidate_view.value
    # a change made elsewhere (another assessor, the command line) shows after any save
    review.decide(filled, LONG_ID, "1.1", "met", assessor="B. Roe", bank=bank)
    v.sign_role.value = "learner"
    v.sign_name.value = "Ada Jones"
    v.sign_button.click()
    row_11 = v.candidate_view.value.split("<th scope='row'>1.1</th>")[1].split("</tr>")[0]
    assert "✔ Met" in row_11


def test_messages_sit_beside_their_buttons(filled, bank, keys):
    v = view_of(filled, bank, keys, who="")
    v.candidate.value = LONG_ID
    v.criterion.value = "1.1"
    v.outcome.value = "met"
    v.decide_button.click()
    assert "Your name" in v.decide_message.value
    assert v.mark_message.value == "" and v.message.value == ""

    def holder(button):
        found = []

        def walk(w):
            for child in getattr(w, "children", ()):
                if child is button:
                    found.append(w)
                walk(child)
        walk(v)
        return found[0]

    for button, line in ((v.mark_button, v.mark_message), (v.decide_button, v.decide_message),
                         (v.sign_button, v.sign_message)):
        assert list(holder(button).children) == [button, line]


def test_rubric_points_are_shown_whole(filled, bank, keys):
    from ilcs.ui.style import APP_CSS

    v = view_of(filled, bank, keys)
    v.candidate.value = LONG_ID
    v.criterion.value = "4.1"
    rubric = keys.keys["a4.1-written"].rubric
    assert [box.description for box, _t in v.point_boxes] == list(rubric.marking_points)
    assert all("ilcs-wrap" in box._dom_classes for box, _t in v.point_boxes)
    assert ".ilcs-wrap .widget-label-basic" in APP_CSS and "white-space: normal" in APP_CSS


# ------------------------------------------------------------------ number and name everywhere


def test_number_and_name_instead_of_the_long_id(filled, bank, keys, tmp_path):
    from ilcs.assessment.reports import candidate_report_html, cohort_export_frame

    v = view_of(filled, bank, keys)
    assert ">NVQ-0042 Ada Jones</th>" in v.matrix.value
    assert LONG_ID not in v.matrix.value
    labels = [label for label, _cid in v.candidate.options]
    assert "NVQ-0042 Ada Jones (North)" in labels
    v.candidate.value = LONG_ID
    assert "candidate number NVQ-0042" in v.candidate_view.value
    data = review.load_review_data(filled, bank=bank)
    page = candidate_report_html(data.record(LONG_ID))
    assert "NVQ-0042 Ada Jones" in page and "<dd>NVQ-0042</dd>" in page
    table = cohort_export_frame(data.matrix(), data.candidates)
    assert list(table.columns[:2]) == ["candidate_number", "name"]
    assert table.loc[table["candidate_id"] == LONG_ID, "candidate_number"].item() == "NVQ-0042"


def test_find_candidate_by_number_name_or_id(filled):
    assert review.find_candidate(filled, "NVQ-0042") == LONG_ID
    assert review.find_candidate(filled, "nvq-0042") == LONG_ID
    assert review.find_candidate(filled, "Ada Jones") == LONG_ID
    assert review.find_candidate(filled, LONG_ID) == LONG_ID
    with pytest.raises(DataError, match="no candidate 'NVQ-9999'"):
        review.find_candidate(filled, "NVQ-9999")
    filled.save_candidate("c-twin", name="Ada Jones", candidate_number="NVQ-0042B")
    with pytest.raises(DataError, match="matches 2 candidates"):
        review.find_candidate(filled, "Ada Jones")


def test_every_command_accepts_the_candidate_number(filled, tmp_path, capsys, monkeypatch):
    url = str(filled.engine.url)
    common = ["--database", url, "--bank", str(FIXTURES / "bank")]
    keys = ["--keys", str(FIXTURES / "keys")]
    monkeypatch.setenv("ILCS_ASSESSOR", "A. Khan")
    assert main(["candidates", *common]) == 0
    out = capsys.readouterr().out
    assert "NVQ-0042" in out and "Ada Jones" in out and "NVQ-0043" in out
    assert main(["candidates", "--search", "ben", *common]) == 0
    out = capsys.readouterr().out
    assert "Ben Ola" in out and "Ada Jones" not in out
    assert main(["mark", "--candidate", "NVQ-0042", "--question", "a4.1-written",
                 "--point", "names the standard", *common, *keys]) == 0
    assert "NVQ-0042 Ada Jones a4.1-written: partly correct" in capsys.readouterr().out
    assert main(["decide", "--candidate", "NVQ-0042", "--criterion", "1.1",
                 "--decision", "met", *common]) == 0
    assert "NVQ-0042 Ada Jones 1.1: ✔ Met" in capsys.readouterr().out
    assert main(["record-evidence", "--candidate", "nvq-0042", "--criterion", "7.1",
                 "--kind", "observation", "--description", "Named her teams",
                 "--date", "01/12/2026", *common]) == 0
    assert main(["signoff", "--candidate", "NVQ-0042", "--role", "assessor", "--name",
                 "A. Khan", *common]) == 0
    assert main(["report", "NVQ-0042", "--out", str(tmp_path / "r.html"), *common]) == 0
    assert "NVQ-0042" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert main(["feedback", "--candidate", "NVQ-0042", "--out", str(tmp_path / "fb"),
                 *common]) == 0
    capsys.readouterr()
    assert main(["decide", "--candidate", "NVQ-9999", "--criterion", "1.1",
                 "--decision", "met", *common]) == 2
    assert "no candidate 'NVQ-9999'" in capsys.readouterr().err
    assert main(["export", "--out", str(tmp_path / "c.csv"), *common]) == 0
    csv = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", dtype=str)
    assert set(csv["candidate_number"]) == {"NVQ-0042", "NVQ-0043"}


def test_a_search_box_finds_one_candidate_among_500(sqlite_store, bank, keys):
    s = sqlite_store
    with s.transaction() as conn:
        for i in range(500):
            s.upsert_candidate(conn, f"{i:032x}", {
                "name": f"Learner {i} {'Okafor' if i == 342 else 'Smith'}",
                "candidate_number": f"NVQ-{i:04d}", "centre": "North",
                "assessor": "A. Khan", "updated_at": "2026-11-01"}, actor="test")
        s.insert_answers(conn, [
            {"answer_uid": f"u{i}", "candidate_id": f"{i:032x}", "question_id": "a1.1-single",
             "response": '"b"', "mode": "assessed", "bank_version": V,
             "saved_at": "2026-11-01T09:00:00.000000Z", "origin": "pack", "pack_sha256": None}
            for i in range(500)], actor="test")
    v = view_of(s, bank, keys)
    assert "of 500</span>" in v.page_label.value
    v.search.value = "NVQ-0342"
    assert v.visible == [f"{342:032x}"] and "of 1</span>" in v.page_label.value
    assert v.candidate.value == f"{342:032x}"  # the one found is opened
    assert "Okafor" in v.candidate_view.value
    v.search.value = "okafor"
    assert v.visible == [f"{342:032x}"]
    v.search.value = "learner 34"  # every word must match the number or the name
    assert v.visible == [f"{i:032x}" for i in range(500) if "34" in str(i)]
    v.search.value = ""
    assert "of 500</span>" in v.page_label.value


# ------------------------------------------------------------------ IQA


def _decided(store, bank, keys):
    store.save_candidate("c3", name="Cy Day", candidate_number="NVQ-0044", centre="North",
                         assessor="B. Roe")
    store.save_answer("c3", "a1.1-single", "a", "assessed", V)
    review.mark_imported(store, bank=bank, keys=keys)
    review.decide(store, LONG_ID, "1.1", "met", assessor="B. Roe", bank=bank)
    review.decide(store, "c3", "1.1", "not_yet_met", assessor="B. Roe", bank=bank,
                  feedback="Say who relies on your work.")


def test_iqa_queue_shows_evidence_and_feedback(filled, bank, keys):
    from ilcs.assessment.sampling import SamplingPlan

    _decided(filled, bank, keys)
    plan = SamplingPlan(iqa="I. Qa", shares={"low": 1.0, "medium": 1.0, "high": 1.0})
    review.draw_iqa_sample(filled, plan, bank=bank)
    v = view_of(filled, bank, keys, who="I. Qa", role="iqa")
    assert len(v.queue.options) == 2
    (item_c3,) = [value for label, value in v.queue.options if "NVQ-0044 Cy Day" in label]
    v.queue.value = item_c3
    shown = v.queue_item.value
    assert "NVQ-0044 Cy Day: 1.1" in shown
    assert "✘ Not yet met by B. Roe" in shown
    assert "Say who relies on your work." in shown  # the feedback the learner was given
    assert "a1.1-single: a — incorrect" in shown  # the evidence behind the decision


def test_a_new_sample_never_repeats_a_judged_decision(filled, bank, keys):
    from ilcs.assessment.sampling import SamplingPlan

    _decided(filled, bank, keys)
    plan = SamplingPlan(iqa="I. Qa", shares={"low": 1.0, "medium": 1.0, "high": 1.0})
    first = review.draw_iqa_sample(filled, plan, bank=bank)
    assert len(first) == 2
    data = review.load_review_data(filled, bank=bank)
    for item in review.iqa_queue(data, "I. Qa").itertuples():
        review.record_verdict(filled, int(item.id), iqa="I. Qa", verdict="accepted")
    again = review.draw_iqa_sample(filled, plan, bank=bank)
    assert len(again) == 0  # both decisions were judged: nothing is drawn twice
    # a new decision on the same criterion is a new decision, and can be sampled
    review.decide(filled, "c3", "1.1", "met", assessor="B. Roe", bank=bank,
                  feedback="Now names three internal customers.")
    third = review.draw_iqa_sample(filled, plan, bank=bank)
    assert list(third["candidate_id"]) == ["c3"]
    data = review.load_review_data(filled, bank=bank)
    assert data.samples["decision_id"].is_unique


def test_changing_a_verdict_needs_a_reason_and_keeps_the_earlier_one(filled, bank, keys):
    _decided(filled, bank, keys)
    v = view_of(filled, bank, keys, who="I. Qa", role="iqa")
    v.draw_button.click()
    item = v.queue.options[0][1]
    v.queue.value = item
    v.verdict.value = "rejected"
    v.verdict_comment.value = "The feedback does not say what the learner should add."
    v.verdict_button.click()
    assert "Verdict saved" in v.verdict_message.value
    assert item not in [value for _label, value in v.queue.options]
    v.show_judged.value = True  # the IQA re-opens a judged item to change their mind
    assert any("judged: rejected" in label for label, _value in v.queue.options)
    v.queue.value = item
    v.verdict.value = "accepted"
    v.verdict_comment.value = ""
    v.verdict_button.click()
    assert "Problem" in v.verdict_message.value
    assert "changing or repeating a verdict needs a comment" in v.verdict_message.value
    v.verdict.value = "accepted"
    v.verdict_comment.value = "The assessor has since added the missing feedback."
    v.verdict_button.click()
    assert "Verdict saved" in v.verdict_message.value
    data = review.load_review_data(filled, bank=bank)
    verdicts = data.verdicts.loc[data.verdicts["sample_id"] == item].sort_values("id")
    assert list(verdicts["verdict"]) == ["rejected", "accepted"]  # the earlier one is kept
    trail = filled.audit_trail(action="iqa_accepted")
    assert trail[-1].details["replaces"] == "rejected"
    v.queue.value = item
    assert "Earlier verdicts" in v.queue_item.value and "rejected by I. Qa" in v.queue_item.value


# ------------------------------------------------------------------ the trainee's feedback


def test_feedback_install_refuses_a_pack_for_another_candidate(filled, bank, tmp_path,
                                                               monkeypatch, capsys):
    from ilcs.assessment.feedback import write_feedback_pack

    review.decide(filled, LONG_ID, "1.1", "met", assessor="A. Khan", bank=bank)
    pack = write_feedback_pack(review.candidate_record(filled, LONG_ID, bank=bank),
                               tmp_path / "fb.json")
    home = tmp_path / "ben-home"
    home.mkdir()
    monkeypatch.setenv("ILCS_HOME", str(home))
    (home / "profile.json").write_text(json.dumps(
        {"profile_version": 1, "candidate_id": "6a1d" * 8, "name": "Ben Ola",
         "candidate_number": "NVQ-0043", "centre": "South"}), encoding="utf-8")
    assert main(["feedback", "--install", str(pack)]) == 2
    err = capsys.readouterr().err
    assert "is for NVQ-0042 Ada Jones, not for NVQ-0043 Ben Ola" in err
    assert not (home / "feedback").exists() or not list((home / "feedback").glob("*.json"))
    (home / "profile.json").write_text(json.dumps(
        {"profile_version": 1, "candidate_id": LONG_ID, "name": "Ada Jones",
         "candidate_number": "NVQ-0042", "centre": "North"}), encoding="utf-8")
    assert main(["feedback", "--install", str(pack)]) == 0
    assert list(Path(home / "feedback").glob("*.json"))
