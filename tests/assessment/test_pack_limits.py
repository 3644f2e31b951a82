"""Evidence packs are bounded before they are trusted: size, number of answers, length of an
answer and nesting depth, each refused by `ilcs import` with a clear message and exit 2,
nothing imported (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from ilcs.assessment.limits import MB, PackLimits
from ilcs.assessment.packs import FORMAT, FORMAT_VERSION, HASH_FIELD, content_hash, read_pack
from ilcs.assessment.store import AnswerStore
from ilcs.cli import main
from ilcs.errors import PackError

STAMP = "2026-11-01T09:00:00.000000Z"


def answer(i: int, response: Any = "b") -> dict[str, Any]:
    return {"answer_uid": f"u{i}", "question_id": "t1.1-single", "response": response,
            "mode": "practice", "bank_version": "test.1", "saved_at": STAMP}


def pack_file(folder: Path, answers: list[dict[str, Any]], name: str = "p.ilcs-pack.json",
              *, indent: int | None = 1) -> Path:
    """A pack that is valid in every other way (format, version, hash, schema)."""
    data: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": STAMP,
        "ilcs_version": "0.1.0", "unit": "A/601/2550", "bank_version": "test.1",
        "candidate": {"candidate_id": "cand-1", "name": "Asha Patel", "candidate_number": "A-1",
                      "centre": "North", "assessor": None},
        "answers": answers,
    }
    data[HASH_FIELD] = content_hash(data)
    path = folder / name
    path.write_text(json.dumps(data, indent=indent), encoding="utf-8")
    return path


def run_import(path: Path, url: str, *extra: str) -> int:
    return main(["import", str(path), "--database", url, "--as", "A. Khan", "--no-mark",
                 *extra])


def imported(url: str) -> int:
    with AnswerStore.open(url) as store:
        return len(store.answer_history("cand-1"))


def refused(capsys: pytest.CaptureFixture[str], message: str) -> None:
    err = capsys.readouterr().err
    assert err == f"ilcs import: nothing was imported:\n  - {message}\n"


@pytest.fixture()
def no_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ILCS_PACK_MAX_MB", raising=False)


def test_a_pack_over_the_size_limit_is_refused_unless_the_centre_raises_it(
        tmp_path, store_url, capsys, monkeypatch, no_setting):
    answers = [answer(i, "x" * 500) for i in range(9_000)]
    path = pack_file(tmp_path, answers, "big.ilcs-pack.json")
    size = path.stat().st_size
    assert 5 * MB < size < 6 * MB
    assert run_import(path, store_url) == 2
    refused(capsys, f"big.ilcs-pack.json: the pack is {size / MB:.1f} MB, more than the 5 MB "
                    "allowed (a trainee's pack is normally well under 1 MB); if it is genuine, "
                    "raise the limit with --max-pack-mb or ILCS_PACK_MAX_MB")
    assert imported(store_url) == 0
    monkeypatch.setenv("ILCS_PACK_MAX_MB", "2")
    assert run_import(path, store_url) == 2
    assert "more than the 2 MB allowed" in capsys.readouterr().err
    assert run_import(path, store_url, "--max-pack-mb", "6") == 0  # the option wins
    assert imported(store_url) == 9_000  # only the size had stopped it


def test_a_bad_size_setting_is_a_clear_error(tmp_path, store_url, capsys, monkeypatch):
    path = pack_file(tmp_path, [answer(1)])
    monkeypatch.setenv("ILCS_PACK_MAX_MB", "five")
    assert run_import(path, store_url) == 2
    assert capsys.readouterr().err == ("ilcs import: ILCS_PACK_MAX_MB must be a number of "
                                       "megabytes above 0 (e.g. 5), not 'five'\n")
    monkeypatch.delenv("ILCS_PACK_MAX_MB")
    assert run_import(path, store_url, "--max-pack-mb", "0") == 2
    assert "--max-pack-mb must be a number of megabytes above 0" in capsys.readouterr().err
    assert imported(store_url) == 0


def test_too_many_answers(tmp_path, store_url, capsys, no_setting):
    path = pack_file(tmp_path, [answer(i) for i in range(10_001)], indent=None)
    assert run_import(path, store_url) == 2
    refused(capsys, "p.ilcs-pack.json: the pack holds 10,001 answers, more than the 10,000 "
                    "allowed in one pack; it was not read")
    assert imported(store_url) == 0


def test_an_answer_too_long(tmp_path, store_url, capsys, no_setting):
    path = pack_file(tmp_path, [answer(1), answer(2, "x" * 20_001)])
    assert run_import(path, store_url) == 2
    refused(capsys, "p.ilcs-pack.json: answer 2 (question t1.1-single) is 20,001 characters "
                    "long, more than the 20,000 allowed for one answer; it was not read")
    assert imported(store_url) == 0
    listed = pack_file(tmp_path, [answer(1, ["ab"] * 5_000)], "list.ilcs-pack.json")
    assert run_import(listed, store_url) == 2  # a list answer is measured as its JSON text:
    # ["ab","ab",...] = 2 brackets + 5,000 x 4 characters + 4,999 commas = 25,001
    assert "answer 1 (question t1.1-single) is 25,001 characters long" in capsys.readouterr().err



def test_an_attachment_has_its_own_larger_bound(tmp_path, store_url, capsys, no_setting):
    """The improvement record (notes and charts as SVG) may be longer than a typed answer,
    up to the attachment limit; over it, the pack is refused like any other."""
    def attached(i: int, chars: int) -> dict[str, Any]:
        return {**answer(i, "x" * chars), "question_id": "q6.3-improvement-record",
                "mode": "assessed"}

    fits = pack_file(tmp_path, [answer(1), attached(2, 30_000)], "fits.ilcs-pack.json")
    assert read_pack(fits).answers[1]["question_id"] == "q6.3-improvement-record"
    path = pack_file(tmp_path, [answer(1), attached(2, 400_001)])
    assert run_import(path, store_url) == 2
    refused(capsys, "p.ilcs-pack.json: the attachment in answer 2 (question "
                    "q6.3-improvement-record) is 400,001 characters long, more than the "
                    "400,000 allowed for one attachment; it was not read")
    assert imported(store_url) == 0


def _nested(depth: int) -> Any:
    value: Any = "b"
    for _ in range(depth):
        value = [value]
    return value


def test_nesting_deeper_than_the_limit_is_refused_without_a_traceback(
        tmp_path, store_url, capsys, no_setting):
    # root mapping (1) > answers list (2) > answer (3) > 14 nested lists: 17 levels
    path = pack_file(tmp_path, [answer(1, _nested(14))])
    assert run_import(path, store_url) == 2
    refused(capsys, "p.ilcs-pack.json: the pack is nested more than 16 levels deep (lists "
                    "within lists); no evidence pack is, so it was not read")
    bomb = tmp_path / "bomb.ilcs-pack.json"
    bomb.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert run_import(bomb, store_url) == 2
    err = capsys.readouterr().err
    assert "bomb.ilcs-pack.json: the pack is nested more than 16 levels deep" in err
    assert "Traceback" not in err and "RecursionError" not in err
    assert imported(store_url) == 0


def test_brackets_inside_text_do_not_count_as_nesting(tmp_path, store_url, capsys,
                                                      no_setting):
    text = 'my answer: [[[[[[[[[[[[[[[[[[[[ "quoted \\" [[[[ {{{{" ]]]] \\\\'
    path = pack_file(tmp_path, [answer(1, _nested(13)), answer(2, text)])  # 16 levels: allowed
    assert run_import(path, store_url) == 0
    assert imported(store_url) == 2


def test_read_pack_memory_is_a_small_multiple_of_the_pack(tmp_path, no_setting):
    path = pack_file(tmp_path, [answer(i, "x" * 450) for i in range(8_000)], indent=None)
    size = path.stat().st_size
    assert 4 * MB < size < 5 * MB
    tracemalloc.start()
    try:
        read_pack(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6 * size  # measured: about 4.5 times the file (see docs/safe-files.md)


def test_limits_are_read_from_the_setting(monkeypatch):
    monkeypatch.setenv("ILCS_PACK_MAX_MB", "12.5")
    assert PackLimits.configured().max_bytes == int(12.5 * MB)
    assert PackLimits.configured(3).max_mb == 3
    monkeypatch.setenv("ILCS_PACK_MAX_MB", "-1")
    with pytest.raises(Exception, match="ILCS_PACK_MAX_MB must be a number"):
        PackLimits.configured()


def test_a_feedback_pack_is_bounded_too(tmp_path):
    from ilcs.assessment.feedback import load_feedback_pack

    deep = tmp_path / "feedback-c1.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(PackError, match="nested more than 16 levels deep"):
        load_feedback_pack(deep)
    big = tmp_path / "feedback-c2.json"
    big.write_bytes(b" " * (5 * MB + 1))
    with pytest.raises(PackError, match="more than the 5 MB allowed"):
        load_feedback_pack(big)
