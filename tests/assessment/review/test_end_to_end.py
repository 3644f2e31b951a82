"""End to end: a trainee answers -> `ilcs submit` -> the assessor imports, marks, decides,
records evidence and signs off -> the IQA samples and gives a verdict -> report and feedback
pack -> the trainee sees their feedback in the notebook panel."""

from pathlib import Path

import pytest

from ilcs.cli import main

from .conftest import FIXTURES

BANK = str(FIXTURES / "bank")
KEYS = str(FIXTURES / "keys")
V = "a2test.1"


@pytest.fixture()
def homes(tmp_path, monkeypatch):
    trainee, assessor = tmp_path / "trainee", tmp_path / "assessor"
    trainee.mkdir()
    assessor.mkdir()
    return trainee, assessor


def test_trainee_to_assessor_to_iqa_and_back(homes, tmp_path, monkeypatch, capsys):
    from ilcs.assessment.profile import save_profile
    from ilcs.assessment.store import AnswerStore

    trainee_home, assessor_home = homes
    trainee_db = f"sqlite:///{trainee_home / 'answers.sqlite'}"
    centre_db = f"sqlite:///{assessor_home / 'centre.sqlite'}"

    # 1. The trainee, on their own laptop, sets a profile and answers assessed questions.
    monkeypatch.setenv("ILCS_HOME", str(trainee_home))
    with AnswerStore.open(trainee_db) as store:
        profile = save_profile("Ada Jones", "NVQ-0042", "North College", "A. Khan",
                               store=store)
        store.save_answer(profile.candidate_id, "a1.1-single", "a", "assessed", V)  # wrong
        store.save_answer(profile.candidate_id, "a1.1-single", "b", "assessed", V)  # changed
        store.save_answer(profile.candidate_id, "a1.1-multi", ["a", "c"], "assessed", V)
        store.save_answer(profile.candidate_id, "a4.1-single", "b", "assessed", V)
        store.save_answer(profile.candidate_id, "a4.1-written",
                          "Our IT desk answers within two working days, measured monthly.",
                          "assessed", V)
    pack = tmp_path / "ada.ilcspack"
    assert main(["submit", "--out", str(pack), "--database", trainee_db, "--bank", BANK]) == 0
    cid = profile.candidate_id

    # 2. The assessor imports the pack and marks it.
    monkeypatch.setenv("ILCS_HOME", str(assessor_home))
    monkeypatch.setenv("ILCS_ASSESSOR", "A. Khan")
    common = ["--database", centre_db, "--bank", BANK]
    capsys.readouterr()
    assert main(["import", str(pack), "--database", centre_db, "--as", "A. Khan",
                 "--bank", BANK, "--keys", KEYS]) == 0
    assert "Auto-marked 3 objective answer(s)" in capsys.readouterr().out
    assert main(["mark", *common, "--keys", KEYS]) == 0  # nothing is marked twice
    assert "Marked 0 objective answer(s)" in capsys.readouterr().out
    assert main(["mark", "--candidate", cid, "--question", "a4.1-written",
                 "--point", "names the standard", "--point", "says how it is measured",
                 *common, "--keys", KEYS]) == 0
    assert main(["decide", "--candidate", cid, "--criterion", "1.1", "--decision", "met",
                 *common]) == 0
    assert main(["decide", "--candidate", cid, "--criterion", "4.2", "--decision",
                 "not_yet_met", "--feedback", "Say what agreeing a timescale gives both sides.",
                 "--action", "Rewrite your 4.2 answer with an example", "--due", "31/12/2099",
                 *common]) == 0
    assert main(["record-evidence", "--candidate", cid, "--criterion", "7.1", "--kind",
                 "observation", "--description", "Named the three teams she serves",
                 "--date", "02/11/2026", *common]) == 0
    assert main(["decide", "--candidate", cid, "--criterion", "7.1", "--decision", "met",
                 *common]) == 0
    assert main(["signoff", "--candidate", cid, "--role", "assessor", "--name", "A. Khan",
                 *common]) == 0
    assert main(["signoff", "--candidate", cid, "--role", "learner", "--name", "Ada Jones",
                 *common]) == 0

    # 3. The IQA samples (never their own decisions) and accepts one.
    assert main(["iqa", "sample", "--iqa", "I. Qa", "--seed", "2", *common]) == 0
    capsys.readouterr()
    assert main(["iqa", "queue", "--iqa", "I. Qa", *common]) == 0
    first_item = capsys.readouterr().out.split("item ")[1].split(":")[0]
    assert main(["iqa", "verdict", "--item", first_item, "--verdict", "accepted",
                 "--iqa", "I. Qa", *common]) == 0

    # 4. Report and feedback pack.
    report = tmp_path / "out" / "ada.html"
    assert main(["report", cid, "--out", str(report), *common]) == 0
    page = report.read_text(encoding="utf-8")
    assert "Ada Jones" in page and "Named the three teams she serves" in page
    assert "Accepted by I. Qa" in page and "31/12/2099" in page
    assert main(["feedback", "--candidate", cid, "--out", str(tmp_path / "fb"), *common]) == 0
    feedback_file = tmp_path / "fb" / f"feedback-{cid}.json"

    # The audit trail names the actor of every step.
    with AnswerStore.open(centre_db) as store:
        actions = [(e.actor, e.action) for e in store.audit_trail()]
    for expected in [("A. Khan", "pack_imported"), ("auto-marker", "auto_marked"),
                     ("A. Khan", "written_marked"), ("A. Khan", "decision_made"),
                     ("A. Khan", "evidence_recorded"), ("A. Khan", "action_point_set"),
                     ("A. Khan", "assessor_signed_off"), ("A. Khan", "learner_signed_off"),
                     ("I. Qa", "iqa_sample_drawn"), ("I. Qa", "iqa_accepted")]:
        assert expected in actions

    # 5. Back on the laptop the trainee installs the pack and sees their feedback.
    monkeypatch.setenv("ILCS_HOME", str(trainee_home))
    from ilcs.assessment.views.feedback import show_feedback

    assert main(["feedback", "--install", str(feedback_file)]) == 0
    assert (Path(trainee_home) / "feedback" / feedback_file.name).is_file()
    shown = show_feedback(criteria=["4.2"]).value
    assert "✘ Not yet met" in shown and "Say what agreeing a timescale gives both sides." in shown
    assert "Rewrite your 4.2 answer with an example (by 31/12/2099)" in shown
    assert "✔ Met" in show_feedback(criteria=["1.1", "7.1"]).value
