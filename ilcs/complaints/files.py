"""A trainee's own complaint log, given as uploaded files, read through the same loaders.

Headers are matched to ours ignoring case, spaces and underscores (`ilcs.io.load`); a
`mapping` renames other headers (e.g. {"Ref": "complaint_id"}). Every problem in either file
is listed at once in one `DataError`, with file, row and column.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from ilcs.errors import DataError, Problem


def load_log_bytes(
    complaints: tuple[str, bytes],
    events: tuple[str, bytes],
    mapping: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(complaints, events) from two uploaded files, each given as (file name, content)."""
    from ilcs.io import check_complaint_events, load
    from ilcs.io.write import write_bytes

    problems: list[Problem] = []
    tables: list[pd.DataFrame | None] = []
    with tempfile.TemporaryDirectory() as folder:
        for (name, content), kind in ((complaints, "complaints"), (events, "complaint_events")):
            path = Path(folder) / Path(name).name
            write_bytes(path, content)
            try:
                tables.append(load(path, kind, mapping=mapping))
            except DataError as exc:
                problems += exc.problems
                tables.append(None)
    complaints_table, events_table = tables
    if complaints_table is not None and events_table is not None:
        try:
            check_complaint_events(complaints_table, events_table)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    assert complaints_table is not None and events_table is not None
    return complaints_table, events_table
