"""The candidate profile and its form."""

from __future__ import annotations

import json

import pytest

from ilcs.assessment.profile import current_profile, load_profile, save_profile
from ilcs.assessment.store import AnswerStore
from ilcs.assessment.views.profile import build_profile_form
from ilcs.errors import DataError


@pytest.fixture()
def home_store(ilcs_home):
    s = AnswerStore.open()
    yield s
    s.close()


def test_profile_is_saved_to_json_and_store_keeping_the_candidate_id(home_store, ilcs_home):
    first = current_profile()
    assert not first.is_complete
    saved = save_profile(" Asha Patel ", "A-1234", "North College", "", store=home_store)
    assert saved.candidate_id == first.candidate_id
    assert (saved.name, saved.assessor) == ("Asha Patel", None)
    raw = json.loads((ilcs_home / "profile.json").read_text())
    assert raw["name"] == "Asha Patel" and raw["profile_version"] == 1
    assert load_profile() == saved
    row = home_store.candidate(saved.candidate_id)
    assert (row.name, row.candidate_number, row.centre) == ("Asha Patel", "A-1234",
                                                            "North College")


def test_invalid_profile_lists_every_problem(home_store):
    with pytest.raises(DataError) as info:
        save_profile("", "A#1", "", store=home_store)
    columns = [p.column for p in info.value.problems]
    assert columns == ["name", "candidate number", "centre"]
    assert load_profile() is None or not load_profile().is_complete


def test_damaged_profile_file_gives_a_clear_error(ilcs_home):
    (ilcs_home / "profile.json").write_text("{not json")
    with pytest.raises(DataError, match="profile cannot be read"):
        load_profile()


def test_profile_form_saves_and_reports_in_words(home_store):
    form = build_profile_form(store=home_store)
    assert [f.description for f in form.fields.values()] == [
        "Full name", "Candidate number", "Centre", "Assessor (optional)"]
    form.save_button.click()
    assert "✘ Not saved" in form.status.value and "full name" in form.status.value
    form.fields["name"].value = "Sam Jones"
    form.fields["candidate_number"].value = "C77"
    form.fields["centre"].value = "Riverside"
    form.fields["assessor"].value = "Pat Lee"
    assert form.candidate_number == ""  # nothing saved yet
    form.save_button.click()
    assert "✔ Saved" in form.status.value and "Sam Jones" in form.status.value
    assert form.candidate_number == "C77"
    profile = load_profile()
    assert profile.assessor == "Pat Lee"
    assert home_store.candidate(profile.candidate_id).assessor == "Pat Lee"
    again = build_profile_form(store=home_store)  # re-opened: filled in from the file
    assert again.fields["centre"].value == "Riverside"


def test_submit_panel_writes_a_pack_or_says_what_is_missing(home_store, bank_dir, tmp_path):
    from ilcs.assessment.packs import read_pack
    from ilcs.assessment.views.profile import build_submit_panel

    panel = build_submit_panel(store=home_store, bank_dir=bank_dir, out_dir=tmp_path)
    panel.submit_button.click()
    assert "fill in your profile first" in panel.status.value
    profile = save_profile("Sam Jones", "C77", "Riverside", store=home_store)
    panel.submit_button.click()
    assert "no saved answers" in panel.status.value
    home_store.save_answer(profile.candidate_id, "t1.1-single", "b", "practice", "test.1")
    panel.submit_button.click()
    assert "✔ Saved" in panel.status.value and "with 1 answer written" in panel.status.value
    [written] = list(tmp_path.glob("*.ilcs-pack.json"))
    assert panel.pack_path == str(written)
    assert read_pack(written).candidate["name"] == "Sam Jones"
