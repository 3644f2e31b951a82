"""The unit specification (outcomes and assessment criteria), loaded from a YAML file.

The default is `datasets/units/A-601-2550.yaml`; `ILCS_UNIT_FILE` or an explicit path
selects another unit file of the same schema (e.g. a centre's copy with 7.4 onward added).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ilcs.errors import DataError, NotFoundError, Problem
from ilcs.paths import datasets_dir

SCHEMA_VERSION = 1
KINDS = ("knowledge", "performance")
_CRITERION_ID = re.compile(r"^\d+\.\d+$")


@dataclass(frozen=True)
class Criterion:
    id: str
    text: str
    outcome_id: str
    kind: str  # "knowledge" (assessed by questions) or "performance" (assessed from evidence)
    # True when the criterion is about the learner's OWN organisation or work (e.g. 2.1, 4.1):
    # a fictional organisation is no evidence for it.
    own_organisation: bool = False

    @property
    def verb(self) -> str:
        """The criterion's command verb, lower case ("explain", "describe", "identify")."""
        words = self.text.split()
        return words[0].lower() if words else ""


@dataclass(frozen=True)
class Outcome:
    id: str
    kind: str
    title: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Unit:
    code: str
    title: str
    level: int
    credits: int | None
    outcomes: tuple[Outcome, ...]
    source: str
    sister_unit: str | None = None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for o in self.outcomes for c in o.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise NotFoundError(f"Unit {self.code} has no criterion {criterion_id!r}")

    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)


def default_unit_file() -> Path:
    return Path(os.environ.get("ILCS_UNIT_FILE", datasets_dir() / "units" / "A-601-2550.yaml"))


def load_unit(path: str | Path | None = None) -> Unit:
    """Load and validate a unit file; every problem is reported at once."""
    path = Path(path) if path else default_unit_file()
    return _load_unit_cached(str(path.resolve()))


@lru_cache(maxsize=8)
def _load_unit_cached(path_str: str) -> Unit:
    path = Path(path_str)
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(Problem("unit file not found", file=str(path))) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem(f"not valid YAML ({exc})", file=name)) from None
    problems: list[Problem] = []

    def bad(msg: str, where: str | None = None) -> None:
        problems.append(Problem(msg, file=name, column=where))

    if not isinstance(raw, dict):
        raise DataError(Problem("expected a mapping with 'unit' and 'outcomes'", file=name))
    if raw.get("schema_version") != SCHEMA_VERSION:
        bad(f"schema_version must be {SCHEMA_VERSION}, found {raw.get('schema_version')!r}",
            "schema_version")
    head = raw.get("unit") or {}
    for key in ("code", "title", "level"):
        if not head.get(key):
            bad("missing", f"unit.{key}")
    outcomes: list[Outcome] = []
    seen: set[str] = set()
    for i, o in enumerate(raw.get("outcomes") or []):
        where = f"outcomes[{i}]"
        oid, kind, title = str(o.get("id", "")), o.get("kind"), o.get("title")
        if not oid or not title:
            bad("each outcome needs an id and a title", where)
        if kind not in KINDS:
            bad(f"kind must be one of {', '.join(KINDS)}, found {kind!r}", where)
        crits: list[Criterion] = []
        for j, c in enumerate(o.get("criteria") or []):
            cid, text = str(c.get("id", "")), c.get("text")
            cwhere = f"{where}.criteria[{j}]"
            if not _CRITERION_ID.match(cid):
                bad(f"criterion id must look like '4.2', found {cid!r}", cwhere)
            elif not cid.startswith(oid + "."):
                bad(f"criterion {cid} does not belong to outcome {oid}", cwhere)
            if cid in seen:
                bad(f"criterion {cid} appears twice", cwhere)
            seen.add(cid)
            if not text:
                bad(f"criterion {cid} has no text", cwhere)
            own = c.get("own_organisation", False)
            if not isinstance(own, bool):
                bad(f"criterion {cid}: own_organisation must be true or false, found {own!r}",
                    cwhere)
                own = False
            crits.append(Criterion(cid, str(text or ""), oid, str(kind), own))
        if not crits:
            bad(f"outcome {oid} has no criteria", where)
        outcomes.append(Outcome(oid, str(kind), str(title or ""), tuple(crits)))
    if not outcomes:
        bad("the unit has no outcomes", "outcomes")
    if problems:
        raise DataError(problems)
    return Unit(
        code=str(head["code"]),
        title=str(head["title"]),
        level=int(head["level"]),
        credits=head.get("credits"),
        outcomes=tuple(outcomes),
        source=str(path),
        sister_unit=head.get("sister_unit"),
    )


def criteria_frame(unit: Unit | None = None):
    """The unit's criteria as a table: outcome, kind, criterion, text (one row per criterion)."""
    import pandas as pd

    unit = unit or load_unit()
    rows = [
        {"outcome": o.id, "assessed by": "questions" if o.kind == "knowledge" else "evidence of practice",
         "criterion": c.id, "what you must do": c.text}
        for o in unit.outcomes
        for c in o.criteria
    ]
    return pd.DataFrame(rows)
