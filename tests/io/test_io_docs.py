"""datasets/README.md documents every column of every kind and every flawed file."""

from __future__ import annotations

import re

import pytest

from ilcs.io import KINDS, SCHEMAS
from ilcs.paths import datasets_dir

README = (datasets_dir() / "README.md").read_text(encoding="utf-8")


def section(kind: str) -> str:
    match = re.search(rf"^### {kind}\.csv.*?(?=^### |^## )", README, flags=re.M | re.S)
    assert match, f"no section for {kind}.csv"
    return match.group(0)


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_is_in_the_data_dictionary(kind):
    documented = re.findall(r"^\| (\w+) \|", section(kind), flags=re.M)
    assert [c for c in documented if c != "column"] == SCHEMAS[kind].names


def test_every_messy_file_is_explained():
    for path in (datasets_dir() / "messy").glob("*.csv"):
        assert f"| {path.name} |" in README, path.name


def test_time_zone_is_stated():
    assert "Europe/London" in README and "day first" in README
