"""Comment themes from an editable, transparent lexicon (`datasets/surveys/themes.yaml`).

A comment belongs to a theme when it contains one of the theme's words or phrases as whole
words, ignoring case (a word ending in `*` matches any ending). A learner can read every
rule, change it and see the counts change: nothing is hidden in a model. Comments are quoted
only after redaction (done when they are loaded) and only from groups of at least
`MIN_GROUP` respondents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ilcs.errors import DataError, Problem
from ilcs.paths import datasets_dir
from ilcs.surveys.privacy import MIN_GROUP, smaller_groups, suppress

OTHER = "Other (no theme matched)"


@dataclass(frozen=True)
class Lexicon:
    """Theme name -> the words and phrases that mark it."""

    themes: dict[str, tuple[str, ...]]

    def patterns(self) -> dict[str, re.Pattern[str]]:
        out = {}
        for theme, words in self.themes.items():
            parts = []
            for word in words:
                word = word.strip().lower()
                if word.endswith("*"):
                    parts.append(re.escape(word[:-1]) + r"\w*")
                else:
                    parts.append(re.escape(word))
            out[theme] = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
        return out

    def themes_of(self, comment: str) -> list[str]:
        """The themes a comment belongs to ([] if none)."""
        return [t for t, p in self.patterns().items() if p.search(comment)]

    def matched_words(self, comment: str) -> dict[str, list[str]]:
        """Which words of each theme a comment contains (to show why it was themed)."""
        return {t: sorted({m.group(0).lower() for m in p.finditer(comment)})
                for t, p in self.patterns().items() if p.search(comment)}


def lexicon_from_dict(data: Any, *, file: str = "themes") -> Lexicon:
    if not isinstance(data, dict) or not isinstance(data.get("themes"), dict) \
            or not data["themes"]:
        raise DataError(Problem("a lexicon needs 'themes:' mapping each theme to a list of "
                                "words", file=file))
    themes: dict[str, tuple[str, ...]] = {}
    problems = []
    for name, words in data["themes"].items():
        if not isinstance(words, list) or not words or \
                not all(isinstance(w, str) and w.strip().strip("*") for w in words):
            problems.append(Problem(f"theme '{name}' needs a list of words or phrases",
                                    file=file))
            continue
        themes[str(name)] = tuple(words)
    if problems:
        raise DataError(problems)
    return Lexicon(themes)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    path = Path(path) if path is not None else datasets_dir() / "surveys" / "themes.yaml"
    if not path.exists():
        raise DataError(Problem("file not found", file=str(path)))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(Problem(f"cannot be read as YAML ({str(exc).splitlines()[0]})",
                                file=path.name)) from None
    return lexicon_from_dict(data, file=path.name)


def themed_comments(responses: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """One row per (comment, theme): response_id, wave, about_team, department, theme,
    comment. Comments with no theme are listed under OTHER."""
    rows = []
    patterns = lexicon.patterns()
    has = responses[responses["comment"].notna() & (responses["comment"] != "")]
    themes_of: dict[str, list[str]] = {}  # each different comment is themed once
    for row in has[["response_id", "wave", "about_team", "department", "comment"]].itertuples(
            index=False):
        comment = str(row.comment)
        if comment not in themes_of:
            themes_of[comment] = [t for t, p in patterns.items() if p.search(comment)] or [OTHER]
        for theme in themes_of[comment]:
            rows.append({"response_id": row.response_id, "wave": row.wave,
                         "about_team": row.about_team, "department": row.department,
                         "theme": theme, "comment": comment})
    return pd.DataFrame(rows, columns=["response_id", "wave", "about_team", "department",
                                       "theme", "comment"])


def theme_counts(responses: pd.DataFrame, lexicon: Lexicon, *, by: str = "about_team",
                 min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Comments per theme (rows) and group of `by` (columns), with a total of the columns
    shown. Groups with fewer than `min_group` respondents are pooled into one column
    (`smaller_groups`); if even the pool is below `min_group`, it says "fewer than 5
    respondents" and its comments are counted nowhere, so no total can give them away."""
    themed = themed_comments(responses, lexicon)
    sizes = responses.groupby(by).size()
    small = {str(g) for g in sizes.index[sizes.to_numpy() < min_group]}
    order = [*lexicon.themes, OTHER]
    table = pd.DataFrame({"theme": order})
    total = pd.Series(0, index=order)
    columns = [(str(g), [str(g)]) for g in sizes.index if str(g) not in small]
    if small:
        columns.append((smaller_groups(min_group), sorted(small)))
    for name, members in columns:
        respondents = int(sizes[sizes.index.astype(str).isin(members)].sum())
        if respondents < min_group:
            table[name] = f"fewer than {min_group} respondents"
            continue
        counts = themed[themed[by].astype(str).isin(members)].groupby("theme").size()
        table[name] = [int(counts.get(t, 0)) for t in order]
        total += table[name].to_numpy()
    table["total"] = total.to_numpy()
    return table


def theme_examples(responses: pd.DataFrame, lexicon: Lexicon, theme: str, *,
                   by: str = "about_team", limit: int = 3,
                   min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Up to `limit` different (already redacted) comments of a theme, never from a group of
    `by` with fewer than `min_group` respondents."""
    themed = themed_comments(responses, lexicon)
    sizes = responses.groupby(by).size()
    safe = {str(g) for g in sizes.index[sizes >= min_group]}
    part = themed[(themed["theme"] == theme) & themed[by].astype(str).isin(safe)]
    part = part.drop_duplicates("comment").head(limit)
    return part[[by, "comment"]].reset_index(drop=True)


def small_groups_note(responses: pd.DataFrame, by: str = "about_team",
                      min_group: int = MIN_GROUP) -> str:
    """Which groups are too small to show, in words ("" if none)."""
    sizes = responses.groupby(by).size()
    small = sizes[sizes < min_group]
    if small.empty:
        return ""
    return (f"Not shown on their own (fewer than {min_group} respondents): "
            f"{len(small)} group{'s' if len(small) != 1 else ''}.")


__all__ = ["OTHER", "Lexicon", "lexicon_from_dict", "load_lexicon", "suppress",
           "theme_counts", "theme_examples", "themed_comments"]
