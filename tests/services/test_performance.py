"""Outcome 7: the candidate's record and the witness statement, checked, saved and carried
in the evidence pack to the assessor, who decides 7.1-7.3 from them."""

from __future__ import annotations

import datetime as dt

import pytest

from ilcs.assessment.decisions import AWAITING_MARKING, MET
from ilcs.assessment.packs import import_packs, write_pack
from ilcs.assessment.profile import save_profile
from ilcs.assessment.review import decide, load_review_data
from ilcs.assessment.store import AnswerStore
from ilcs.errors import DataError
from ilcs.services import performance as pf
from ilcs.services import practices

TODAY = dt.date(2026, 12, 2)
RECORD = {
    "customer_name": "Priya Shah",
    "customer_role": "Team leader, Operations North",
    "products_services": "Monthly overtime reports for her team and answers to pay queries",
    "standards_timescales": "Report by the 3rd working day of each month; pay queries answered "
                            "within 1 working day",
    "needs_not_met": "I tell her the same day, explain why and agree a new date with her",
    "how_confirmed": "at our monthly review meeting, then by email",
    "confirmed_on": "14/11/2026",
}
WITNESS = {
    "witness_name": "Priya Shah",
    "witness_role": "Team leader, Operations North",
    "relationship": "I receive the candidate's reports every month",
    "statement": "She agreed the report dates with me and has met them since, and told me "
                 "early the one time a report was late.",
    "signed_on": "01/12/2026",
    "declaration": True,
}


def test_a_complete_record_and_statement_are_accepted() -> None:
    record = pf.make_record(RECORD, today=TODAY)
    assert record.confirmed_on == dt.date(2026, 11, 14)  # day first
    witness = pf.make_witness_statement(WITNESS, today=TODAY)
    assert witness.declaration == pf.DECLARATION
    assert pf.record_from_response(record.to_response()) == record
    assert pf.witness_from_response(witness.to_response()) == witness


def test_every_problem_in_a_record_is_named() -> None:
    bad = {**RECORD, "customer_name": " ", "needs_not_met": "tell her",
           "confirmed_on": "11/31/2026"}
    with pytest.raises(DataError) as err:
        pf.make_record(bad, today=TODAY)
    text = str(err.value)
    assert "3 problems found" in text
    assert "column 'customer_name': Your internal customer's name is required" in text
    assert ("column 'needs_not_met': What you do when a need cannot be met: write at least 5 "
            "words, so the assessor can see what was agreed") in text
    assert ("column 'confirmed_on': The date you confirmed them: '11/31/2026' is not a date; "
            "write DD/MM/YYYY, e.g. 03/04/2026") in text


def test_a_statement_needs_the_declaration_and_a_past_date() -> None:
    with pytest.raises(DataError) as err:
        pf.make_witness_statement({**WITNESS, "declaration": False, "signed_on": "03/12/2026"},
                                  today=TODAY)
    text = str(err.value)
    assert "column 'signed_on': Date (03/12/2026) is in the future" in text
    assert ("column 'declaration': the witness must agree to the declaration before the "
            "statement can be saved") in text


def test_evidence_items_split_the_record_by_criterion() -> None:
    record = pf.make_record(RECORD, today=TODAY)
    witness = pf.make_witness_statement(WITNESS, today=TODAY)
    items = pf.evidence_items(record, witness, ("7.1", "7.2", "7.3", "7.4"))
    assert [(c, k) for c, k, _d, _w in items] == [
        (c, k) for c in ("7.1", "7.2", "7.3", "7.4")
        for k in ("personal statement", "witness testimony")]
    by = {(c, k): d for c, k, d, _w in items}
    assert "Priya Shah" in by[("7.1", "personal statement")]
    assert "overtime reports" not in by[("7.1", "personal statement")]
    assert "overtime reports" in by[("7.2", "personal statement")]
    assert "3rd working day" in by[("7.3", "personal statement")]
    assert "agree a new date" in by[("7.3", "personal statement")]
    assert "signed 01/12/2026" in by[("7.2", "witness testimony")]


def test_end_to_end_record_witness_pack_import_and_decide(ilcs_home, tmp_path) -> None:
    # The trainee, on their own computer.
    trainee_store = AnswerStore.open(f"sqlite:///{tmp_path / 'trainee.sqlite'}")
    profile = save_profile("Asha Patel", "A-1234", "North College", "Pat Lee",
                           store=trainee_store)
    cid = profile.candidate_id
    pf.save_record(trainee_store, cid, pf.make_record(RECORD))
    pf.save_witness_statement(trainee_store, cid, pf.make_witness_statement(WITNESS))
    # ... and attaches her team's 18-practice self-assessment (5 people; practice 13 weakest)
    answers = [{n: 4 for n in range(1, 19)} for _ in range(5)]
    for person in answers:
        person[13] = 2
    ratings = practices.ratings_frame("Payroll Services", answers)
    path, digest = practices.save_ratings(ratings, tmp_path / "payroll.csv")
    pf.save_self_assessment(trainee_store, cid, ratings, path, digest)
    pack, data = write_pack(tmp_path / "asha.ilcs-pack.json", store=trainee_store)
    assert {a["question_id"] for a in data["answers"]} == set(pf.QUESTION_IDS)
    trainee_store.close()

    # The assessor, on theirs.
    store = AnswerStore.open(f"sqlite:///{tmp_path / 'assessor.sqlite'}")
    import_packs([pack], store, actor="Pat Lee")
    before = load_review_data(store)
    assert not (before.evidence["criterion_id"] == "7.1").any()
    with pytest.raises(DataError, match="7.1 is a performance criterion: record the evidence"):
        decide(store, cid, "7.1", MET, assessor="Pat Lee", data=before)

    assert pf.record_pack_evidence(store, recorded_by="Pat Lee") == 9  # 3 criteria x 3 pieces
    assert pf.record_pack_evidence(store, recorded_by="Pat Lee") == 0  # nothing twice
    data_after = load_review_data(store)
    proposals = data_after.proposals.set_index("criterion_id")
    for criterion in ("7.1", "7.2", "7.3"):
        assert proposals.loc[criterion, "proposal"] == AWAITING_MARKING  # never auto-marked
    record = data_after.record(cid)
    shown = {c.criterion_id: [e.summary for e in c.evidence] for c in record.criteria}
    assert any("overtime reports" in s for s in shown["7.2"])
    assert any("Witness statement by Priya Shah" in s for s in shown["7.3"])
    assert any("weakest: Prompt replies" in s and digest[:12] in s for s in shown["7.1"])

    for criterion in ("7.1", "7.2", "7.3"):
        decide(store, cid, criterion, MET, assessor="Pat Lee",
               feedback="Confirmed with the witness by phone.")
    latest = load_review_data(store).latest().set_index("criterion_id")
    assert [latest.loc[c, "outcome"] for c in ("7.1", "7.2", "7.3")] == [MET] * 3
    store.close()


def test_ilcs_import_files_the_outcome7_evidence(ilcs_home, tmp_path, capsys) -> None:
    from ilcs.cli import main

    trainee_store = AnswerStore.open(f"sqlite:///{tmp_path / 'trainee.sqlite'}")
    profile = save_profile("Asha Patel", "A-1234", "North College", store=trainee_store)
    pf.save_witness_statement(trainee_store, profile.candidate_id,
                              pf.make_witness_statement(WITNESS))
    pack, _ = write_pack(tmp_path / "asha.ilcs-pack.json", store=trainee_store)
    trainee_store.close()
    url = f"sqlite:///{tmp_path / 'assessor.sqlite'}"
    assert main(["import", str(pack), "--database", url, "--as", "Pat Lee"]) == 0
    assert "Filed 3 outcome-7 evidence record(s)" in capsys.readouterr().out
    with AnswerStore.open(url) as store:
        evidence = load_review_data(store).evidence
    assert sorted(evidence["criterion_id"]) == ["7.1", "7.2", "7.3"]
    assert set(evidence["kind"]) == {"witness testimony"}


def test_the_review_app_shows_the_whole_record_beside_the_criterion(ilcs_home, tmp_path) -> None:
    from ilcs.assessment.views.review import build_review_view

    store = AnswerStore.open(f"sqlite:///{tmp_path / 'assessor.sqlite'}")
    store.save_candidate("c1", name="Asha Patel", candidate_number="A-1", centre="North")
    pf.save_record(store, "c1", pf.make_record(RECORD))
    pf.record_pack_evidence(store, recorded_by="Pat Lee")
    view = build_review_view(store, "Pat Lee")
    view.candidate.value = "c1"
    view.criterion.value = "7.3"
    assert "7.3 Confirm internal customer needs in terms of quality standards" in \
        view.evidence.value
    # the end of a long record is not cut off
    assert "explain why and agree a new date with her" in view.evidence.value
    store.close()
