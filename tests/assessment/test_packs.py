"""Evidence packs: written by the trainee, verified and imported by the assessor."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from ilcs.assessment import schema
from ilcs.assessment.packs import (
    HASH_FIELD,
    content_hash,
    current_packs,
    import_packs,
    read_pack,
    write_pack,
)
from ilcs.assessment.profile import save_profile
from ilcs.assessment.store import AnswerStore
from ilcs.cli import main
from ilcs.errors import ConfigError, PackError


@pytest.fixture()
def trainee(ilcs_home, bank_dir):
    """A trainee's own store with a profile and three answers (one changed once)."""
    store = AnswerStore.open()
    profile = save_profile("Asha Patel", "A-1234", "North College", "Pat Lee", store=store)
    cid = profile.candidate_id
    store.save_answer(cid, "t1.1-single", "a", "practice", "test.1")
    store.save_answer(cid, "t1.1-single", "b", "practice", "test.1")
    store.save_answer(cid, "t3.4-written-assessed", "My example...", "assessed", "test.1")
    yield store, profile
    store.close()


def _counts(store: AnswerStore) -> tuple[int, int, int, int]:
    with store.transaction(write=False) as conn:
        return tuple(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                     for t in (schema.answers, schema.audit_log, schema.packs,
                               schema.candidates))


def _rewrite(path: Path, change, *, rehash: bool) -> Path:
    data = json.loads(path.read_text())
    change(data)
    if rehash:
        data[HASH_FIELD] = content_hash(data)
    out = path.with_name("changed-" + path.name)
    out.write_text(json.dumps(data))
    return out


def test_pack_holds_profile_history_bank_version_and_hash(trainee, bank_dir, tmp_path):
    store, profile = trainee
    path, data = write_pack(tmp_path / "p.ilcs-pack.json", store=store, bank_dir=bank_dir)
    assert data["format"] == "ilcs-evidence-pack" and data["format_version"] == 1
    assert data["candidate"]["candidate_number"] == "A-1234"
    assert data["bank_version"] == "test.1"
    assert [a["response"] for a in data["answers"]] == ["a", "b", "My example..."]
    pack = read_pack(path)
    assert pack.sha256 == data[HASH_FIELD] == content_hash(json.loads(path.read_text()))
    assert store.audit_trail(action="pack_written")[0].details["sha256"] == pack.sha256


def test_import_then_reimport_changes_nothing(trainee, bank_dir, tmp_path, store):
    trainee_store, profile = trainee
    path, _ = write_pack(tmp_path / "p.ilcs-pack.json", store=trainee_store, bank_dir=bank_dir)
    [first] = import_packs([path], store, actor="assessor-1")
    assert (first.status, first.new_answers) == ("imported", 3)
    latest = store.latest_answers(profile.candidate_id)
    assert latest["t1.1-single"].response == "b"
    assert len(store.answer_history(profile.candidate_id, "t1.1-single")) == 2
    assert store.candidate(profile.candidate_id).name == "Asha Patel"
    assert store.audit_trail(action="pack_imported")[0].actor == "assessor-1"
    before = _counts(store)
    [again] = import_packs([path], store, actor="assessor-1")
    assert again.status == "duplicate" and "nothing changed" in again.message()
    assert _counts(store) == before


def test_newer_pack_supersedes_and_history_is_kept(trainee, bank_dir, tmp_path, store):
    trainee_store, profile = trainee
    old_path, old = write_pack(tmp_path / "old.ilcs-pack.json", store=trainee_store,
                               bank_dir=bank_dir)
    trainee_store.save_answer(profile.candidate_id, "t1.1-single", "a", "practice", "test.1")
    save_profile("Asha Patel", "A-1234", "South College", store=trainee_store)
    new_path, new = write_pack(tmp_path / "new.ilcs-pack.json", store=trainee_store,
                               bank_dir=bank_dir)
    import_packs([old_path], store)
    [result] = import_packs([new_path], store)
    assert result.status == "imported" and result.new_answers == 1
    assert result.supersedes == old[HASH_FIELD]
    assert current_packs(store) == {profile.candidate_id: new[HASH_FIELD]}
    history = store.answer_history(profile.candidate_id, "t1.1-single")
    assert [a.response for a in history] == ["a", "b", "a"]
    assert store.latest_answers(profile.candidate_id)["t1.1-single"].response == "a"
    assert store.candidate(profile.candidate_id).centre == "South College"


def test_older_pack_after_newer_is_kept_but_not_current(trainee, bank_dir, tmp_path, store):
    trainee_store, profile = trainee
    old_path, _ = write_pack(tmp_path / "old.ilcs-pack.json", store=trainee_store,
                             bank_dir=bank_dir)
    trainee_store.save_answer(profile.candidate_id, "t1.1-multi", ["a"], "practice", "test.1")
    new_path, new = write_pack(tmp_path / "new.ilcs-pack.json", store=trainee_store,
                               bank_dir=bank_dir)
    import_packs([new_path], store)
    [result] = import_packs([old_path], store)
    assert result.status == "older" and result.new_answers == 0
    assert current_packs(store)[profile.candidate_id] == new[HASH_FIELD]


@pytest.mark.parametrize(("change", "rehash", "expected"), [
    (lambda d: d["answers"][1].update(response="a"), False, "content hash does not match"),
    (lambda d: d["candidate"].update(name="Someone Else"), False, "content hash does not match"),
    (lambda d: d.update(format_version=2), True, "written by a newer ilcs"),
    (lambda d: d.update(format_version=0), True, "format version 0 is not supported"),
    (lambda d: d.pop("answers"), True, "malformed pack: 'answers' must be a list"),
    (lambda d: d["answers"][0].pop("saved_at"), True, "answers[0] lacks saved_at"),
    (lambda d: d["answers"][0].update(mode="exam"), True, "mode must be practice or assessed"),
    (lambda d: d["candidate"].update(candidate_id=""), True, "candidate.candidate_id is missing"),
    (lambda d: d.update(format="something-else"), True, "not an ilcs evidence pack"),
    (lambda d: d.pop(HASH_FIELD), False, "no content hash"),
])
def test_bad_packs_are_rejected_with_a_specific_message(trainee, bank_dir, tmp_path, store,
                                                        change, rehash, expected):
    path, _ = write_pack(tmp_path / "p.ilcs-pack.json", store=trainee[0], bank_dir=bank_dir)
    bad = _rewrite(path, change, rehash=rehash)
    before = _counts(store)
    with pytest.raises(PackError, match=re.escape(expected)):
        import_packs([bad], store)
    assert _counts(store) == before


def test_truncated_empty_and_binary_files_are_rejected(trainee, bank_dir, tmp_path):
    path, _ = write_pack(tmp_path / "p.ilcs-pack.json", store=trainee[0], bank_dir=bank_dir)
    text = path.read_text()
    cut = tmp_path / "cut.ilcs-pack.json"
    cut.write_text(text[: len(text) // 2])
    with pytest.raises(PackError, match="truncated"):
        read_pack(cut)
    empty = tmp_path / "empty.ilcs-pack.json"
    empty.write_text("")
    with pytest.raises(PackError, match="empty"):
        read_pack(empty)
    binary = tmp_path / "bin.ilcs-pack.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PackError, match="not UTF-8"):
        read_pack(binary)
    with pytest.raises(PackError, match="file not found"):
        read_pack(tmp_path / "missing.json")


def test_one_bad_pack_means_nothing_is_imported(trainee, bank_dir, tmp_path, store):
    good, _ = write_pack(tmp_path / "good.ilcs-pack.json", store=trainee[0], bank_dir=bank_dir)
    bad = _rewrite(good, lambda d: d["answers"][0].update(response="z"), rehash=False)
    with pytest.raises(PackError) as info:
        import_packs([good, bad], store)
    assert "nothing was imported" in str(info.value) and "changed-good" in str(info.value)
    assert _counts(store) == (0, 0, 0, 0)


def test_conflicting_answer_content_rolls_back_everything(trainee, bank_dir, tmp_path, store):
    good, data = write_pack(tmp_path / "good.ilcs-pack.json", store=trainee[0],
                            bank_dir=bank_dir)
    import_packs([good], store)
    before = _counts(store)

    def forge(d):  # same answer id, different words, a later pack: hash recomputed
        d["answers"][2]["response"] = "rewritten after the event"
        d["created_at"] = "2099-01-01T00:00:00.000000Z"

    forged = _rewrite(good, forge, rehash=True)
    with pytest.raises(PackError, match="already in the store with different content"):
        import_packs([forged], store)
    assert _counts(store) == before


def test_submit_and_import_commands(trainee, bank_dir, tmp_path, capsys):
    out = tmp_path / "mine.ilcs-pack.json"
    assert main(["submit", "--out", str(out), "--bank", str(bank_dir)]) == 0
    printed = capsys.readouterr().out
    assert "Evidence pack written" in printed and "3 saved answers to 2 questions" in printed
    db = f"sqlite:///{tmp_path / 'assessor.sqlite'}"
    assert main(["import", str(out), "--database", db, "--as", "pat"]) == 0
    assert "imported 3 new answers" in capsys.readouterr().out
    assert main(["import", str(out), "--database", db]) == 0
    assert "already imported" in capsys.readouterr().out
    cut = tmp_path / "cut.ilcs-pack.json"
    cut.write_text(out.read_text()[:100])
    assert main(["import", str(cut), "--database", db]) == 2
    assert "truncated" in capsys.readouterr().err


def test_submit_without_a_profile_says_what_to_do(ilcs_home, bank_dir, capsys):
    with AnswerStore.open() as s, pytest.raises(ConfigError, match="fill in your profile"):
        write_pack(store=s, bank_dir=bank_dir)
    assert main(["submit", "--bank", str(bank_dir)]) == 2
    assert "fill in your profile first" in capsys.readouterr().err


def test_same_candidate_number_from_another_computer_is_flagged(trainee, bank_dir, tmp_path,
                                                               store):
    path, _ = write_pack(tmp_path / "p.ilcs-pack.json", store=trainee[0], bank_dir=bank_dir)
    store.save_candidate("someone-else-id", name="Asha Patel", candidate_number="A-1234",
                         centre="North College")
    [result] = import_packs([path], store)
    assert result.status == "imported"
    assert "also used by 1 other profile" in result.message()
