"""The trainee's feedback inbox (notebook 00)."""

from ilcs.assessment.feedback import write_feedback_pack
from ilcs.assessment.views.feedback import build_feedback_inbox
from tests.support.records import record


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
