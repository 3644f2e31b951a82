"""The declarative description of a dataset kind: its columns and the rules between them.

A schema says *what* a valid table looks like; `ilcs.io.validate` is the one engine that
checks any table against any schema. Adding a kind means writing a `Schema`, not a loader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ilcs.errors import NotFoundError

if TYPE_CHECKING:
    import pandas as pd

    from ilcs.io.problems import ProblemLog

ColumnType = Literal["text", "datetime", "integer", "number", "time"]


@dataclass(frozen=True)
class Column:
    """One canonical column.

    - `required`: every row must have a value (otherwise blanks are allowed).
    - `may_be_absent`: the column may be missing from the file altogether; it is then
      added, filled with `default` (or left blank).
    - `allowed`: the only values accepted (matched case-insensitively, returned as written here).
    - `minimum` / `maximum`: inclusive range for numbers; `above` is an exclusive lower bound.
    - `default`: what a blank becomes (e.g. 0 times reopened, opening time 09:00).
    """

    name: str
    type: ColumnType = "text"
    required: bool = False
    may_be_absent: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None
    default: object = None
    description: str = ""


@dataclass(frozen=True)
class NotBefore:
    """Where both are given, `later` must not be before `earlier` (`strict`: must be after)."""

    later: str
    earlier: str
    strict: bool = False


@dataclass(frozen=True)
class Together:
    """Columns that are either all given or all blank in a row."""

    columns: tuple[str, ...]


# A table check gets the typed table and a problem log, and adds whatever it finds.
TableCheck = Callable[["pd.DataFrame", "ProblemLog"], None]


@dataclass(frozen=True)
class Schema:
    """Everything that makes a table of one kind valid."""

    kind: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    order: tuple[NotBefore, ...] = ()
    together: tuple[Together, ...] = ()
    checks: tuple[TableCheck, ...] = field(default=())
    min_rows: int = 1
    description: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise NotFoundError(f"no column {name!r} in this kind of file")
