"""The SMART check against a set of standards labelled by hand: at least 95% agreement per letter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ilcs.standards.smart import check_smart

LABELLED = Path(__file__).with_name("smart_labelled.yaml")
LETTERS = ("S", "M", "A", "R", "T")


def _items() -> list[dict[str, Any]]:
    return list(yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["items"])


def test_the_labelled_set_is_large_and_complete() -> None:
    items = _items()
    assert len(items) >= 60
    for item in items:
        for letter in LETTERS:
            assert item[letter] in (True, False, None), (item["text"], letter)


def test_agreement_per_letter_and_every_disagreement_has_a_reason() -> None:
    items = _items()
    unexplained: list[str] = []
    agree = {letter: 0 for letter in LETTERS}
    for item in items:
        report = check_smart(item["text"])
        for letter in LETTERS:
            got = report.check(letter).met
            if got is item[letter]:
                agree[letter] += 1
                continue
            # A known disagreement must be listed with the checker's verdict and a reason.
            listed = item.get("checker", {}) or {}
            if letter not in listed or listed[letter] is not got or not item.get("reason"):
                unexplained.append(f"{letter} {item['text']!r}: expected {item[letter]}, got {got}"
                                   f" ({report.check(letter).reason})")
    assert not unexplained, "\n".join(unexplained)
    for letter in LETTERS:
        share = 100 * agree[letter] / len(items)
        assert share >= 95, f"{letter}: {share:.1f}% agreement"


def test_the_banks_model_standards_pass() -> None:
    promise = "Orders under £5,000 received by 12:00 will be placed with the supplier the same working day."
    overtime = ("Overtime claims approved by line managers and received on the standard form by the 10th "
                "are paid in that month's salary.")
    for text in (promise, overtime):
        report = check_smart(text)
        for letter in ("S", "M", "T"):
            assert report.check(letter).met is True, report.lines()


def test_the_json_command_agrees_with_the_labelled_set(capsys: Any) -> None:
    import json

    from ilcs.cli import main

    items = _items()
    sample = items[::6]  # every sixth item: good, British, quality, vague and flawed ones
    assert len(sample) >= 10
    for item in sample:
        assert main(["sla", "smart", item["text"], "--json"]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert set(printed["letters"]) == set(LETTERS)
        for letter in LETTERS:
            verdict = printed["letters"][letter]
            assert verdict["met"] is item[letter], (item["text"], letter, verdict)
            assert verdict["reason"]
