"""Domain errors: every problem names the file, row and column and says what was expected.

Widgets show these as messages and the command line prints them and exits 2: a learner
or assessor never sees a traceback for bad input.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first data row is 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, precise enough to find and fix it."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class IlcsError(Exception):
    """Base of every error ilcs raises on purpose. Its text is meant for the user."""


class DataError(IlcsError):
    """An input (CSV, XLSX, YAML, pack) has one or more problems; all are listed at once."""

    def __init__(self, problems: list[Problem] | Problem | str, *, limit: int = 50) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.limit = limit
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        shown = [f"  - {p}" for p in self.problems[: self.limit]]
        if n > self.limit:
            shown.append(f"  ... and {n - self.limit} more problems of the same kinds")
        head = "1 problem found:" if n == 1 else f"{n} problems found:"
        return "\n".join([head, *shown])


class QuestionBankError(DataError):
    """The question bank (or an assessor key file) does not follow its schema."""


class PackError(IlcsError):
    """An evidence or feedback pack is tampered, truncated, malformed or of the wrong version."""


class StoreError(IlcsError):
    """The answer store cannot be opened, migrated or written."""


class StoreConflictError(StoreError):
    """The answer store already holds a row with the same key (e.g. an answer id)."""


class ConfigError(IlcsError):
    """A setting (environment variable, profile, calendar) is missing or invalid."""


class NotFoundError(IlcsError, KeyError):
    """A thing asked for by name (question, criterion, app, column) does not exist.

    Also a KeyError, so a caller that looks names up may catch either."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""


class UsageError(IlcsError, ValueError):
    """A function or command was given a value it does not accept (a mode, a role, a scale)."""


class ExportError(IlcsError):
    """A file cannot be written as asked (e.g. more rows than an Excel sheet holds); nothing
    was written."""


class FileWriteError(ExportError, OSError):
    """The disk or folder refused a file (full, read-only, not a folder); the previous file,
    if any, is unchanged. Also an OSError, so a caller that handles those may catch either."""
