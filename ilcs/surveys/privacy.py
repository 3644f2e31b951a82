"""Privacy first: redact comments when they are loaded, and never show a small group.

- `Redactor` removes e-mail addresses, phone numbers and the names of people in the org chart
  from free-text comments. The loaders apply it before anything is shown or saved, so an
  unredacted comment never reaches a table, a chart, an export or an app.
- `suppress` replaces every figure of a group with fewer than `MIN_GROUP` respondents by the
  words "fewer than 5": with so few answers, a reader could work out who said what.

Names are matched as whole words with their capital letter: a full name first, then a first
name or surname on its own. This errs on the side of privacy (a surname that is also an
ordinary capitalised word is redacted too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_GROUP = 5

EMAIL = "[e-mail removed]"
PHONE = "[phone number removed]"
NAME = "[name removed]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# UK numbers: +44 or 0 followed by 9-10 more digits, with spaces, dots, dashes or brackets
# between groups; also internal extensions written "ext 1234" / "x1234".
_PHONE = re.compile(
    r"(?:(?:\+44\s?\(?0?\)?|\(?0)\d(?:[\s\-.()]*\d){8,9})"
    r"|(?:\b(?:ext|extension|x)\.?\s?\d{3,5}\b)",
    re.IGNORECASE,
)


def fewer_than(threshold: int = MIN_GROUP) -> str:
    return f"fewer than {threshold}"


def smaller_groups(min_group: int = MIN_GROUP) -> str:
    """The name of the pool of groups too small to show on their own."""
    return f"Smaller groups together (each fewer than {min_group})"


@dataclass(frozen=True)
class Redactor:
    """Removes e-mails, phone numbers and the given people's names from text."""

    names: tuple[str, ...] = ()

    @classmethod
    def from_org_chart(cls, org_chart: pd.DataFrame | None) -> Redactor:
        """Every person in the org chart (column `person`), full names and their parts."""
        if org_chart is None or "person" not in org_chart:
            return cls()
        return cls(names=tuple(str(p) for p in org_chart["person"].dropna()))

    def _name_pattern(self) -> re.Pattern[str] | None:
        words: set[str] = set()
        for full in self.names:
            full = full.strip()
            if not full:
                continue
            words.add(full)
            words.update(part for part in re.split(r"\s+", full) if len(part) >= 2)
        if not words:
            return None
        # Longest first, so a full name is removed as one piece.
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w])")

    def redact(self, text: str) -> tuple[str, int]:
        """The text with personal details removed, and how many were removed."""
        total = 0
        text, n = _EMAIL.subn(EMAIL, text)
        total += n
        text, n = _PHONE.subn(PHONE, text)
        total += n
        pattern = self._name_pattern()
        if pattern is not None:
            text, n = pattern.subn(NAME, text)
            total += n
        return text, total

    def redact_column(self, values: pd.Series) -> tuple[pd.Series, int]:
        """Redact every comment of a column (missing stays missing); returns the count."""
        pattern = self._name_pattern()
        done: dict[str, tuple[str, int]] = {}  # each different comment is redacted once
        texts = values.to_numpy(dtype=object)
        out = texts.copy()
        total = 0
        for position, value in enumerate(texts):
            if not isinstance(value, str) or not value:
                continue
            if value not in done:
                text, n = _EMAIL.subn(EMAIL, value)
                text, m = _PHONE.subn(PHONE, text)
                k = 0
                if pattern is not None:
                    text, k = pattern.subn(NAME, text)
                done[value] = (text, n + m + k)
            text, found = done[value]
            if found:
                out[position] = text
                total += found
        return pd.Series(out, index=values.index, dtype=values.dtype), total


def suppress(table: pd.DataFrame, count_column: str = "n", *,
             threshold: int = MIN_GROUP, keep: Iterable[str] = ()) -> pd.DataFrame:
    """Rows whose `count_column` is below `threshold` show "fewer than 5" instead of every
    figure (the count included); the columns in `keep` (the group's name) stay as they are.

    The figure columns become text columns where anything was suppressed.
    """
    small = (table[count_column].astype("float64").to_numpy(na_value=0.0) < threshold)
    if not small.any():
        return table
    keep = set(keep)
    out = table.copy()
    words = fewer_than(threshold)
    for column in out.columns:
        if column in keep:
            continue
        values = out[column].astype(object)
        values[small] = words
        out[column] = values
    return out


def is_suppressed(value: object, threshold: int = MIN_GROUP) -> bool:
    return isinstance(value, str) and value == fewer_than(threshold)


def group_sizes(responses: pd.DataFrame, by: str) -> pd.Series:
    """Respondents per group of column `by`."""
    return responses.groupby(by, sort=True).size()


def large_groups(responses: pd.DataFrame, by: str, threshold: int = MIN_GROUP) -> list[str]:
    """Groups of `by` with at least `threshold` respondents (safe to show on their own)."""
    sizes = group_sizes(responses, by)
    return [str(g) for g in sizes.index[np.asarray(sizes >= threshold)]]
