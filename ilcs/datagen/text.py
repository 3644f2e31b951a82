"""Turning generated numbers into the exact text written to the CSV files.

Everything is formatted here, by hand, so that the files are identical byte for byte on
every machine: times as `YYYY-MM-DD HH:MM`, integers without decimals, blanks as "".
"""

from __future__ import annotations

import numpy as np

from ilcs.datagen.calendar import WorkingMinutes


def stamps(cal: WorkingMinutes, index: np.ndarray) -> np.ndarray:
    """Text of working-minute `index` values; a negative index is a blank."""
    index = np.asarray(index, dtype=np.int64)
    out = np.where(index >= 0, cal.text[np.clip(index, 0, len(cal.text) - 1)], "")
    return out.astype(object)


def ints(values: np.ndarray, blank_below: int | None = None) -> np.ndarray:
    """Integers as text; values below `blank_below` become blanks."""
    values = np.asarray(values, dtype=np.int64)
    text = values.astype(str).astype(object)
    if blank_below is not None:
        text[values < blank_below] = ""
    return text


def number(value: float) -> str:
    """A target such as 4 or 2.5, written the same way everywhere."""
    return f"{value:g}"
