"""Fixtures for the assessment tests: a small bank, its keys, and a copy helper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture()
def bank_dir() -> Path:
    return FIXTURES / "bank"


@pytest.fixture()
def keys_dir() -> Path:
    return FIXTURES / "keys"


@pytest.fixture()
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture bank (bank/ and keys/ side by side)."""
    shutil.copytree(FIXTURES / "bank", tmp_path / "bank")
    shutil.copytree(FIXTURES / "keys", tmp_path / "keys")
    return tmp_path
