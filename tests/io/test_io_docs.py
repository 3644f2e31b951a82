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


def test_sample_facts_in_the_readme_are_true():
    from ilcs.io import load_sample

    r = load_sample("requests")
    c = load_sample("complaints")
    e = load_sample("complaint_events")
    s = load_sample("survey_responses")
    facts = [
        f"{len(r):,} requests",
        f"{int(r['resolved_at'].isna().sum())} requests are still open",
        (f"{int(r['first_response_at'].isna().sum())} of them "
         f"{'has' if int(r['first_response_at'].isna().sum()) == 1 else 'have'} no first"),
        f"{int((r['reopened'] > 0).sum())} were reopened",
        f"{int(r['on_hold_from'].notna().sum())} had the clock stopped",
        f"{len(c)} complaints (CMP-0001 …) with {len(e)} events",
        f"{int(c['outcome'].isna().sum())} still open at the year end",
        f"{int((s['wave'] == 1).sum())} responses) and wave 2",
        f"{int((s['wave'] == 2).sum())} responses):",
    ]
    for words in facts:
        assert words in README, words
