"""On a hub, the review app records the logged-in hub user, not a typed name."""

from __future__ import annotations

from ilcs.assessment.views.review import build_review_view

V = "a2test.1"


def test_on_a_hub_decisions_are_recorded_under_the_login(sqlite_store, bank, keys,
                                                         monkeypatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "pat.assessor")
    s = sqlite_store
    s.save_candidate("c1", name="Ada Jones", centre="North", assessor="A. Khan")
    s.save_answer("c1", "a1.1-single", "b", "assessed", V)
    v = build_review_view(s, "A. Khan", bank=bank, keys=keys)
    assert (v.who.value, v.who.disabled) == ("pat.assessor", True)
    v.who.value = "Someone Else"  # even if the box were changed, the login is recorded
    v.candidate.value = "c1"
    v.criterion.value = "1.1"
    v.outcome.value = "met"
    v.feedback.value = "Clear and complete."
    v.decide_button.click()
    assert "Decision saved" in v.decide_message.value  # beside its button
    actors = {e.actor for e in s.audit_trail(subject_prefix="c1") if "decision" in e.action}
    assert actors == {"pat.assessor"}


def test_off_the_hub_the_typed_name_is_recorded(sqlite_store, bank, keys, monkeypatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    v = build_review_view(sqlite_store, "A. Khan", bank=bank, keys=keys)
    assert v.who.disabled is False
