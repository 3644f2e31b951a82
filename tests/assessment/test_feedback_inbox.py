"""The trainee's feedback inbox (notebook 00)."""

import json

from ilcs.assessment.feedback import write_feedback_pack
from ilcs.assessment.views.feedback import build_feedback_inbox
from tests.support.records import record


def test_feedback_inbox_rejects_a_damaged_file_and_installs_a_good_one(ilcs_home, tmp_path):
    inbox = build_feedback_inbox()
    assert "No feedback from your assessor yet" in inbox.shown.children[0].value
    inbox.install("broken.json", b'{"not": "a pack"')
    assert "Problem" in inbox.status.value
    assert sorted((ilcs_home / "feedback").glob("*.json")) == []  # glob of a missing folder is empty
    good = write_feedback_pack(record(), tmp_path)
    (ilcs_home / "profile.json").write_text(json.dumps(
        {"profile_version": 1, "candidate_id": "someone-else", "name": "Bo Lee",
         "candidate_number": "NVQ-0099", "centre": "North"}), encoding="utf-8")
    inbox.install(good.name, good.read_bytes())  # another candidate's pack is refused
    assert "Problem" in inbox.status.value and "not for NVQ-0099 Bo Lee" in inbox.status.value
    (ilcs_home / "profile.json").write_text(json.dumps(
        {"profile_version": 1, "candidate_id": "c1", "name": "Ada Jones",
         "candidate_number": "NVQ-0042", "centre": "North"}), encoding="utf-8")
    assert inbox.installed == ""
    inbox.install(good.name, good.read_bytes())
    assert "✔ Feedback from" in inbox.status.value and inbox.installed == good.name
    assert "Explain what SMART gives both sides." in inbox.shown.children[0].value
