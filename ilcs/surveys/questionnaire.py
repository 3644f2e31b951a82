"""A questionnaire definition: the items of a survey, their scales and answer words.

A survey is not limited to fixed columns: each item has an id (its column in the canonical
responses), the wording respondents saw, a scale (1-5, 1-7, 0-10 ...), the words of its
answers from the lowest code up, whether it is reverse-coded (a LOW code is the favourable
answer), and its kind (a rating, a 0-10 recommend question or an effort question). Items that
together measure one thing form a named scale. The sample survey is one definition file,
`datasets/surveys/questionnaire.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ilcs.errors import DataError, Problem
from ilcs.paths import datasets_dir

ItemKind = Literal["rating", "recommend", "effort"]
KINDS: tuple[str, ...] = ("rating", "recommend", "effort")

#: Answers read as "no answer" (missing), matched ignoring case, spaces and full stops.
MISSING_WORDS: tuple[str, ...] = ("n/a", "na", "not applicable", "don't know", "dont know")


def normalise_words(text: str) -> str:
    """Answer or heading text for matching: lower case, one space between words, no
    surrounding punctuation or spaces, curly apostrophes straightened."""
    text = str(text).replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .?!:;*")


@dataclass(frozen=True)
class Item:
    """One question with a scale of whole-number codes."""

    id: str
    wording: str
    low: int
    high: int
    labels: tuple[str, ...] = ()
    reverse: bool = False
    kind: ItemKind = "rating"

    @property
    def points(self) -> int:
        return self.high - self.low + 1

    def favourable(self, code: int) -> int:
        """The code turned so that a higher number is always the better answer."""
        return self.low + self.high - code if self.reverse else code

    def label(self, code: int) -> str:
        """The words of answer `code` (the code itself when the item has no words)."""
        if self.labels:
            return self.labels[code - self.low]
        return str(code)

    def codes(self) -> list[int]:
        return list(range(self.low, self.high + 1))

    def lookup(self) -> dict[str, int]:
        """Answer words (normalised) -> code."""
        return {normalise_words(text): self.low + i for i, text in enumerate(self.labels)}


@dataclass(frozen=True)
class Questionnaire:
    """The items of one survey and the scales they form."""

    name: str
    items: tuple[Item, ...]
    scales: dict[str, tuple[str, ...]] = field(default_factory=dict)
    comment: str = ""
    source: str = ""

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.items]

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise DataError(Problem(f"'{item_id}' is not an item of this questionnaire (its items "
                                f"are: {', '.join(self.ids)})", file=self.source or None))

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


def _problem(message: str, file: str) -> Problem:
    return Problem(message, file=file)


def questionnaire_from_dict(data: Any, *, file: str = "questionnaire") -> Questionnaire:
    """Build a questionnaire from its YAML form; every problem is listed in one DataError."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise DataError(_problem("a questionnaire must be a mapping with 'name' and 'items'",
                                 file))
    label_sets = data.get("labels") or {}
    if not isinstance(label_sets, dict):
        problems.append(_problem("'labels' must map a name to a list of answer words", file))
        label_sets = {}
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise DataError(_problem("'items' must be a list of at least one item", file))
    items: list[Item] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_items, start=1):
        where = f"item {n}"
        if not isinstance(raw, dict):
            problems.append(_problem(f"{where} must be a mapping (id, wording, scale)", file))
            continue
        item_id = str(raw.get("id", "")).strip()
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", item_id):
            problems.append(_problem(f"{where}: id '{item_id}' must start with a letter and use "
                                     "only letters, digits and underscores", file))
            continue
        where = f"item '{item_id}'"
        if item_id in seen:
            problems.append(_problem(f"{where} is defined twice", file))
            continue
        seen.add(item_id)
        scale = raw.get("scale")
        if (not isinstance(scale, list) or len(scale) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in scale)
                or scale[0] >= scale[1]):
            problems.append(_problem(f"{where}: scale must be [low, high], two whole numbers "
                                     "with low below high (e.g. [1, 5])", file))
            continue
        labels = raw.get("labels", ())
        if isinstance(labels, str):
            if labels not in label_sets:
                problems.append(_problem(f"{where}: labels '{labels}' are not defined under "
                                         "'labels'", file))
                continue
            labels = label_sets[labels]
        labels = tuple(str(v) for v in (labels or ()))
        if labels and len(labels) != scale[1] - scale[0] + 1:
            problems.append(_problem(f"{where}: {len(labels)} answer words for a "
                                     f"{scale[0]}-{scale[1]} scale (need "
                                     f"{scale[1] - scale[0] + 1})", file))
            continue
        kind = raw.get("kind", "rating")
        if kind not in KINDS:
            problems.append(_problem(f"{where}: kind '{kind}' is not one of "
                                     f"{', '.join(KINDS)}", file))
            continue
        if kind == "recommend" and (scale[0], scale[1]) != (0, 10):
            problems.append(_problem(f"{where}: a recommend question is scored 0-10", file))
            continue
        items.append(Item(id=item_id, wording=str(raw.get("wording", item_id)).strip(),
                          low=scale[0], high=scale[1], labels=labels,
                          reverse=bool(raw.get("reverse", False)), kind=kind))
    scales: dict[str, tuple[str, ...]] = {}
    for name, members in (data.get("scales") or {}).items():
        members = tuple(str(m) for m in (members or ()))
        unknown = [m for m in members if m not in seen]
        if unknown:
            problems.append(_problem(f"scale '{name}' names items that do not exist: "
                                     f"{', '.join(unknown)}", file))
        elif len(members) < 2:
            problems.append(_problem(f"scale '{name}' needs at least two items", file))
        else:
            scales[str(name)] = members
    if problems:
        raise DataError(problems)
    return Questionnaire(name=str(data.get("name", "Survey")), items=tuple(items),
                         scales=scales, comment=str(data.get("comment", "") or ""), source=file)


def load_questionnaire(path: str | Path | None = None) -> Questionnaire:
    """Read a questionnaire definition (YAML); by default the sample organisation's survey."""
    path = Path(path) if path is not None else sample_questionnaire_path()
    if not path.exists():
        raise DataError(Problem("file not found", file=str(path)))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(Problem(f"cannot be read as YAML ({str(exc).splitlines()[0]})",
                                file=path.name)) from None
    return questionnaire_from_dict(data, file=path.name)


def sample_questionnaire_path() -> Path:
    return datasets_dir() / "surveys" / "questionnaire.yaml"


def sample_questionnaire() -> Questionnaire:
    """The sample organisation's survey definition."""
    return load_questionnaire(sample_questionnaire_path())
