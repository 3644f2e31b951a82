"""Fixtures for Assessment II: a small bank with assessed questions, its keys, and stores
on SQLite and PostgreSQL (a fresh schema per test)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture()
def bank():
    from ilcs.assessment.questions import load_bank

    return load_bank(FIXTURES / "bank")


@pytest.fixture()
def keys(bank):
    from ilcs.assessment.questions import load_keys

    return load_keys(FIXTURES / "keys", bank=bank)
