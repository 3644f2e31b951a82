"""The trainee's submit button and feedback inbox (notebook 00)."""

import json

from ilcs.assessment.feedback import write_feedback_pack
from ilcs.assessment.profile import save_profile
from ilcs.assessment.store import default_store
from ilcs.widgets.evidence import build_feedback_inbox, build_submit_panel
from tests.assessment2.test_reports_feedback import record


def test_submit_asks_for_a_profile_first(ilcs_home):
    panel = build_submit_panel()
    panel.submit()
    assert "fill in your profile first" in panel.status.value
    assert not list(ilcs_home.glob("packs/*"))


def test_submit_writes_a_pack_with_every_saved_answer(ilcs_home):
    store = default_store()
    profile = save_profile("Ada Jones", "NVQ-0042", "North College", "", store=store)
    bank_version = json.dumps("x")  # any version string is recorded as given
    store.save_answer(profile.candidate_id, "q1.1-define-internal-customer", "b", "practice",
                      bank_version)
    store.save_answer(profile.candidate_id, "q4.2-why-agree", "a", "practice", bank_version)
    panel = build_submit_panel()
    panel.submit()
    packs = list((ilcs_home / "packs").glob("*"))
    assert len(packs) == 1
    assert "✔ Evidence pack written" in panel.status.value and "2 saved answers" in panel.status.value
    assert len(json.loads(packs[0].read_text(encoding="utf-8"))["answers"]) == 2


def test_feedback_inbox_rejects_a_damaged_file_and_installs_a_good_one(ilcs_home, tmp_path):
    inbox = build_feedback_inbox()
    assert "No feedback from your assessor yet" in inbox.shown.children[0].value
    inbox.install("broken.json", b'{"not": "a pack"')
    assert "Problem" in inbox.status.value
    assert not list((ilcs_home / "feedback").glob("*.json")) if (ilcs_home / "feedback").exists() else True
    good = write_feedback_pack(record(), tmp_path)
    inbox.install(good.name, good.read_bytes())
    assert "✔ Feedback from" in inbox.status.value
    assert "Explain what SMART gives both sides." in inbox.shown.children[0].value
