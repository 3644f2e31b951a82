"""Reading, mapping and validating data files: the only code that knows about files.

Public API::

    KINDS                                   # the dataset kinds, see docs/data-contracts.md
    load(path, kind, *, mapping=None, date_formats=None) -> DataFrame
    load_sample(kind) -> DataFrame          # the committed sample organisation
    read_table(path) -> DataFrame of str    # any CSV/XLSX, as text
    check_complaint_events(complaints, events)   # cross-file check, raises DataError
    load_complaints(complaints_path, events_path) -> (complaints, events)

Every problem with an input is reported in one `ilcs.errors.DataError` that names the file,
spreadsheet row (header = row 1) and column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ilcs.io.columns import Column, Schema
from ilcs.io.crossfile import check_complaint_events
from ilcs.io.kinds import KINDS, SCHEMAS
from ilcs.io.loaders import load, load_sample, sample_path
from ilcs.io.table import read_table


def load_complaints(
    complaints_path: str | Path, events_path: str | Path
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load complaints and their events together and check that they agree."""
    complaints = load(complaints_path, "complaints")
    events = load(events_path, "complaint_events")
    check_complaint_events(complaints, events)
    return complaints, events


__all__ = [
    "KINDS",
    "SCHEMAS",
    "Column",
    "Schema",
    "check_complaint_events",
    "load",
    "load_complaints",
    "load_sample",
    "read_table",
    "sample_path",
]
