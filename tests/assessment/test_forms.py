"""Parallel forms and per-learner shuffling: every assessed closed item has at least two
forms, a resubmitting learner gets another form, and the order a learner sees is stable
(so marking, by option id, is too)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from ilcs.assessment.forms import (
    Attempt,
    assigned_form,
    form_order,
    shuffled,
)
from ilcs.assessment.questions import check_bank, load_bank, load_keys

ROOT = Path(__file__).resolve().parents[2]
BANK_DIR = ROOT / "datasets" / "questions"
KEYS_DIR = ROOT / "datasets" / "assessor" / "keys"


@pytest.fixture(scope="module")
def bank() -> Any:
    return load_bank(BANK_DIR)


# ------------------------------------------------------------------ the bank's forms


def test_every_assessed_closed_item_has_two_interchangeable_forms(bank: Any) -> None:
    closed = [q for q in bank.questions if q.mode == "assessed" and q.type != "written"]
    groups = {q.group for q in closed}
    assert len(groups) == 23
    for group in groups:
        forms = bank.forms(group)
        assert len(forms) >= 2, group
        assert len({q.type for q in forms}) == 1, group
        assert len({q.criteria for q in forms}) == 1, group
        versions = {(q.prompt, tuple(o.text for o in q.options), repr(q.params)) for q in forms}
        assert len(versions) == len(forms), group  # really different questions
    keys = load_keys(KEYS_DIR, bank=bank)
    for q in closed:
        if q.type != "data_task":
            assert keys.keys[q.id].key is not None, q.id


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(BANK_DIR, tmp_path / "questions")
    shutil.copytree(KEYS_DIR, tmp_path / "keys")
    return tmp_path / "questions", tmp_path / "keys"


def _edit(bank_dir: Path, qid: str, change: Any) -> None:
    for path in bank_dir.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "questions" not in data:
            continue
        for i, q in enumerate(data["questions"]):
            if q["id"] == qid:
                if change(q) == "drop":
                    del data["questions"][i]
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                encoding="utf-8")
                return
    raise AssertionError(qid)


def _drop_key(keys_dir: Path, qid: str) -> None:
    for path in keys_dir.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if qid in data["keys"]:
            del data["keys"][qid]
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")


@pytest.mark.parametrize(("qid", "change", "expected"), [
    ("q2.1-handoff-gap-f2", lambda q: "drop", "form_group q2.1-handoff-gap has 1 form"),
    ("q6.2-nps", lambda q: q.pop("form_group"), "has no parallel form"),
    ("q6.2-nps-f2", lambda q: q.update(criteria=["6.1"]), "must assess the same criteria"),
    ("q3.4-build-trust-f2", lambda q: q.update(type="multiple_choice"),
     "must be of the same type"),
    ("q1.1-definition", lambda q: q.update(form_group="q1.1-definition"),
     "form_group is for assessed questions"),
])
def test_check_refuses_missing_or_mismatched_forms(tmp_path: Path, qid: str, change: Any,
                                                   expected: str) -> None:
    bank_dir, keys_dir = _copy(tmp_path)
    _edit(bank_dir, qid, change)
    if qid.endswith("-f2") and expected.endswith("1 form"):
        _drop_key(keys_dir, qid)
    problems = [str(p) for p in check_bank(bank_dir, keys_dir)]
    assert any(expected in p for p in problems), problems


# ------------------------------------------------------------------ which form a learner gets


FORMS = ["q-a", "q-b", "q-c"]


def test_first_form_is_seeded_per_learner_and_stable() -> None:
    firsts = Counter(form_order(f"cand-{i}", "g", FORMS)[0] for i in range(300))
    assert set(firsts) == set(FORMS)  # learners do not all start on one form
    assert min(firsts.values()) > 60
    assert form_order("cand-7", "g", FORMS) == form_order("cand-7", "g", FORMS)
    order = form_order("cand-7", "g", FORMS)
    assert sorted(order) == sorted(FORMS)
    assert assigned_form("cand-7", "g", FORMS, []) == order[0]


def test_a_resubmitting_learner_gets_the_next_form_and_only_then() -> None:
    order = form_order("cand-7", "g", FORMS)
    first = Attempt(order[0], "2026-11-02T09:00:00.000000Z", submitted=True)
    working = Attempt(order[0], "2026-11-02T09:00:00.000000Z", submitted=False)
    # still answering: the same form, whatever feedback says
    assert assigned_form("cand-7", "g", FORMS, [working],
                         "2026-11-05T10:00:00+00:00") == order[0]
    # sent, no decision yet (or met): the same form, with the answer given
    assert assigned_form("cand-7", "g", FORMS, [first]) == order[0]
    # sent, then decided "not yet met": the next form
    assert assigned_form("cand-7", "g", FORMS, [first],
                         "2026-11-05T10:00:00+00:00") == order[1]
    # a "not yet met" older than the answer was about an earlier attempt: no change
    assert assigned_form("cand-7", "g", FORMS, [first],
                         "2026-11-01T10:00:00+00:00") == order[0]
    # a third attempt after a second "not yet met" goes on, and wraps round
    second = Attempt(order[1], "2026-11-06T09:00:00.000000Z", submitted=True)
    assert assigned_form("cand-7", "g", FORMS, [first, second],
                         "2026-11-08T10:00:00+00:00") == order[2]
    third = Attempt(order[2], "2026-11-09T09:00:00.000000Z", submitted=True)
    assert assigned_form("cand-7", "g", FORMS, [first, second, third],
                         "2026-11-10T10:00:00+00:00") == order[0]


# ------------------------------------------------------------------ shuffling


def test_options_are_shuffled_per_learner_and_stable() -> None:
    ids = ["a", "b", "c", "d"]
    mine = shuffled("cand-1", "q3.4-build-trust", ids)
    assert mine == shuffled("cand-1", "q3.4-build-trust", ids)  # same learner, same order
    assert sorted(mine) == ids
    orders = {tuple(shuffled(f"cand-{i}", "q3.4-build-trust", ids)) for i in range(50)}
    assert len(orders) > 10  # other learners see other orders
    # the key is shown in every position across a class, not always first or last
    where = Counter(shuffled(f"cand-{i}", "q3.4-build-trust", ids).index("d")
                    for i in range(400))
    assert set(where) == {0, 1, 2, 3} and min(where.values()) > 60


def test_practice_keys_are_no_longer_never_shown_first(bank: Any) -> None:
    """The bank's practice single-choice keys are never option a; the learner sees them
    in every position once shuffled."""
    practice = [q for q in bank.questions if q.is_practice and q.type == "single_choice"]
    assert practice and all(q.key != "a" for q in practice)
    shown_first = sum(shuffled("cand-1", q.id, [o.id for o in q.options])[0] == q.key
                      for q in practice)
    positions = Counter(shuffled(f"cand-{i}", q.id, [o.id for o in q.options]).index(q.key)
                        for q in practice for i in range(20))
    assert shown_first >= 1 and len(positions) == 4


def test_the_quiz_shows_the_learner_order_and_marking_is_stable(bank: Any, ilcs_home: Path
                                                                 ) -> None:
    from ilcs.assessment.marking import mark
    from ilcs.assessment.store import AnswerStore
    from ilcs.assessment.views.quiz import show_questions

    keys = load_keys(KEYS_DIR, bank=bank)
    with AnswerStore.open(f"sqlite:///{ilcs_home / 'a.sqlite'}") as store:
        def view_for(candidate: str, qid: str) -> Any:
            quiz = show_questions(ids=[qid], store=store, candidate=candidate, bank=bank)
            (view,) = quiz.views.values()
            return view

        def labels(candidate: str, qid: str) -> list[str]:
            return [label for label, _oid in view_for(candidate, qid).input.controls[0].options]

        practice = bank.get("q3.4-acknowledge-email")
        first = labels("cand-1", practice.id)
        assert first == labels("cand-1", practice.id)  # re-opening: the same order
        assert [label[:3] for label in first] == ["A) ", "B) ", "C) ", "D) "]
        order = shuffled("cand-1", practice.id, [o.id for o in practice.options])
        texts = {o.id: o.text for o in practice.options}
        assert [label[3:] for label in first] == [texts[i] for i in order]
        others = {tuple(labels(f"cand-{i}", practice.id)) for i in range(2, 12)}
        assert len(others) > 1
        # an assessed item: the learner picks the keyed option wherever it was shown; it is
        # saved as its id and marked right
        view = view_for("cand-1", "q3.4-build-trust")
        q = view.question
        key = keys.keys[q.id].key
        shown = [oid for _label, oid in view.input.controls[0].options]
        assert shown == shuffled("cand-1", q.id, [o.id for o in q.options])
        view.input.controls[0].value = key
        view.save_button.click()
        saved = store.latest_answers("cand-1")[q.id].response
        assert saved == key
        assert mark(q, saved, key).is_correct
        assert view_for("cand-1", "q3.4-build-trust").input.controls[0].value == key


def test_a_learner_sees_one_form_of_each_item_and_another_after_not_yet_met(
        bank: Any, ilcs_home: Path, tmp_path: Path) -> None:
    """End to end: answer, submit a pack, the assessor decides 'not yet met', the feedback
    pack is installed, and the quiz now shows the other form."""
    from ilcs.assessment import review
    from ilcs.assessment.feedback import install_feedback_pack, write_feedback_pack
    from ilcs.assessment.packs import import_packs, write_pack
    from ilcs.assessment.profile import save_profile
    from ilcs.assessment.store import AnswerStore
    from ilcs.assessment.views.quiz import show_questions

    keys = load_keys(KEYS_DIR, bank=bank)
    trainee = AnswerStore.open(f"sqlite:///{ilcs_home / 'answers.sqlite'}")
    centre = AnswerStore.open(f"sqlite:///{tmp_path / 'centre.sqlite'}")
    try:
        profile = save_profile("Ada Jones", "NVQ-0042", "North College", "A. Khan",
                               store=trainee)
        cid = profile.candidate_id
        quiz = show_questions("3.4", mode="assessed", store=trainee, candidate=profile,
                              bank=bank)
        shown = [v for v in quiz.views if v.startswith("q3.4-build-trust")]
        assert len(shown) == 1  # one form of the item, never both
        first = shown[0]
        assert first == form_order(cid, "q3.4-build-trust",
                                   [q.id for q in bank.forms("q3.4-build-trust")])[0]
        view = quiz.views[first]
        wrong = next(o.id for o in bank.get(first).options if o.id != keys.keys[first].key)
        view.input.controls[0].value = wrong
        # re-opened before submitting: the same form, with the answer
        again = show_questions("3.4", mode="assessed", store=trainee, candidate=profile,
                               bank=bank)
        assert first in again.views
        path, _data = write_pack(tmp_path / "ada.ilcs-pack.json", store=trainee,
                                 bank_dir=BANK_DIR)
        import_packs([path], centre, actor="A. Khan")
        review.mark_imported(centre, bank=bank, keys=keys)
        review.decide(centre, cid, "3.4", "not_yet_met", assessor="A. Khan", bank=bank,
                      feedback="Trust in ability comes from keeping promises: try again.")
        out = write_feedback_pack(review.candidate_record(centre, cid, bank=bank),
                                  tmp_path / "fb")
        install_feedback_pack(out)
        after = show_questions("3.4", mode="assessed", store=trainee, candidate=profile,
                               bank=bank)
        now = [v for v in after.views if v.startswith("q3.4-build-trust")]
        assert now != [first] and len(now) == 1
        assert bank.get(now[0]).group == "q3.4-build-trust"
        # the assessor's proposal counts the latest form answered, not both
        centre.save_answer(cid, now[0], keys.keys[now[0]].key, "assessed", bank.version)
        review.mark_imported(centre, bank=bank, keys=keys)
        data = review.load_review_data(centre, bank=bank)
        mine = data.results.loc[(data.results["candidate_id"] == cid)
                                & (data.results["criterion_id"] == "3.4")]
        assert list(mine["question_id"]) == [now[0]]
    finally:
        trainee.close()
        centre.close()
