"""On a hub the trainee's candidate id is the hub user; the form says so."""

from __future__ import annotations

import pytest

from ilcs.assessment.profile import current_profile, load_profile, save_profile
from ilcs.assessment.store import AnswerStore
from ilcs.assessment.views.profile import build_profile_form


@pytest.fixture()
def home_store(ilcs_home):
    s = AnswerStore.open()
    yield s
    s.close()


def test_on_a_hub_answers_are_filed_under_the_hub_user(home_store, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "akhan")
    assert current_profile().candidate_id == "akhan"
    saved = save_profile("Asha Khan", "A-1", "North College", store=home_store)
    assert saved.candidate_id == "akhan"
    assert home_store.candidate("akhan").name == "Asha Khan"
    assert [e.actor for e in home_store.audit_trail(action="profile_saved")] == ["akhan"]


def test_a_profile_brought_from_a_laptop_is_refiled_under_the_hub_user(home_store,
                                                                        monkeypatch) -> None:
    laptop = save_profile("Asha Khan", "A-1", "North College", store=home_store)
    assert laptop.candidate_id != "akhan"
    monkeypatch.setenv("JUPYTERHUB_USER", "akhan")
    profile = current_profile()
    assert (profile.candidate_id, profile.name, profile.centre) == ("akhan", "Asha Khan",
                                                                    "North College")
    assert load_profile().candidate_id == "akhan"


def test_off_the_hub_the_id_is_the_random_one_made_on_this_computer(home_store,
                                                                    monkeypatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    first = current_profile().candidate_id
    assert len(first) == 32 and current_profile().candidate_id == first


def test_the_form_shows_the_login_and_asks_for_what_the_hub_does_not_know(
        home_store, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "a.khan@college")
    form = build_profile_form(store=home_store)
    intro = form.children[0].value
    assert "signed in as <b>a.khan@college</b>" in intro
    assert "full name, candidate number and centre" in intro
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert "signed in" not in build_profile_form(store=home_store).children[0].value
