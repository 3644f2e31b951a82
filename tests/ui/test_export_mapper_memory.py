"""The notebook's column mapper: words with the field name as a hint, a file's own values
translated, and the choices remembered for the next file of the same shape."""

from __future__ import annotations

import json
from pathlib import Path

from ilcs.standards.views.dashboard import COLUMN_WORDS, NOT_IN_FILE, build_export_mapper

OWN = (b"Ticket No,Dept,Team,How,Type,Urgency,Logged,Closed\n"
       b"T1,Finance,IT,portal,Access,normal,03/04/2025 09:00,03/04/2025 12:00\n"
       b"T2,HR,IT,email,Access,high,03/04/2025 10:00,\n")
CHOICES = {"request_id": "Ticket No", "requester_department": "Dept", "provider_team": "Team",
           "channel": "How", "category": "Type", "priority": "Urgency",
           "received_at": "Logged", "resolved_at": "Closed"}


def test_columns_are_named_in_words_with_the_field_as_a_hint() -> None:
    mapper = build_export_mapper()
    assert mapper.pickers["received_at"].description == "Date and time received"
    assert mapper.pickers["requester_department"].description == "Department that asked"
    hints = [row.children[1].value for row in mapper.children if hasattr(row, "children")
             and len(row.children) == 2 and row.children[0] is mapper.pickers["received_at"]]
    assert hints == ['<span class="ilcs-muted">field <code>received_at</code></span>']
    assert set(COLUMN_WORDS) == set(mapper.pickers)


def test_values_are_translated_and_choices_remembered(ilcs_home: Path) -> None:
    mapper = build_export_mapper()
    mapper.use_file("march.csv", OWN)
    for column, header in CHOICES.items():
        mapper.pickers[column].value = header
    mapper.load_button.click()
    assert "normal&#x27; is not allowed" in mapper.status.value and mapper.requests is None
    mapper.values_box.value = "priority:normal=P3,high=P2"
    mapper.load_button.click()
    assert mapper.requests is not None, mapper.status.value
    assert mapper.requests["priority"].tolist() == ["P3", "P2"]
    saved = json.loads((ilcs_home / "column_mappings.json").read_text(encoding="utf-8"))
    assert list(saved.values())[0]["values"] == ["priority:normal=P3,high=P2"]

    # Next month's export: the same columns in another order; nothing to choose again.
    april = b"Logged,Ticket No,Dept,Team,How,Type,Urgency,Closed\n" \
            b"07/04/2025 09:00,T3,Finance,IT,phone,Access,high,\n"
    again = build_export_mapper()
    again.use_file("april.csv", april)
    assert "The columns you chose last time for a file like this are filled in." \
        in again.status.value
    assert {c: p.value for c, p in again.pickers.items() if p.value != NOT_IN_FILE} == CHOICES
    assert again.values_box.value == "priority:normal=P3,high=P2"
    again.load_button.click()
    assert again.requests["priority"].tolist() == ["P2"]
    # A file of another shape starts from the preset's guesses.
    other = build_export_mapper()
    other.use_file("other.csv", b"request_id,priority\nR1,P1\n")
    assert "last time" not in other.status.value and other.values_box.value == ""
