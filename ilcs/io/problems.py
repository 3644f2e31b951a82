"""Collecting problems while validating a table, cheaply even for a million rows.

Rows are reported in spreadsheet numbering (header = row 1, first data row = 2). When one
rule fails on very many rows, the first few are listed one by one and the rest are counted
in one closing line, so a huge bad file still gives a readable, complete account.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ilcs.errors import DataError, Problem

FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1
PER_RULE_LIMIT = 20


def sheet_row(position: int) -> int:
    """Spreadsheet row number of the data row at 0-based `position`."""
    return int(position) + FIRST_DATA_ROW


class ProblemLog:
    """Problems found in one file, in the order found."""

    def __init__(self, file: str | None, rows: np.ndarray | None = None) -> None:
        """`rows`: each data position's 0-based place in the file, when blank lines were
        left out (so row numbers still match the file); by default the position itself."""
        self.file = file
        self.rows = rows
        self.problems: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        """One problem; `row` is a 0-based data position (converted to spreadsheet numbering)."""
        if row is not None and self.rows is not None:
            row = int(self.rows[row])
        self.problems.append(
            Problem(message, file=self.file, row=None if row is None else sheet_row(row),
                    column=column)
        )

    def add_rows(
        self,
        positions: Iterable[int] | np.ndarray,
        column: str | None,
        messages: Sequence[str] | str,
    ) -> None:
        """The same rule broken on several rows; `messages` is one text or one per row."""
        positions = np.asarray(list(positions) if not isinstance(positions, np.ndarray)
                               else positions)
        n = len(positions)
        if n == 0:
            return
        shown = min(n, PER_RULE_LIMIT)
        for i in range(shown):
            text = messages if isinstance(messages, str) else messages[i]
            self.add(text, row=int(positions[i]), column=column)
        if n > shown:
            self.problems.append(Problem(
                f"... and {n - shown} more rows with the same kind of problem",
                file=self.file, column=column))

    def sheet_row(self, position: int) -> int:
        """Spreadsheet row of data `position` in this file."""
        return sheet_row(int(self.rows[position]) if self.rows is not None else position)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)
