"""Text columns, the same on pandas 2 and 3."""

from __future__ import annotations

import numpy as np
import pandas as pd


def as_text(values: pd.Series) -> pd.Series:
    """Values as text with missing ones kept missing (NaN).

    pandas 2's `astype(str)` turns a missing value into the text 'nan' or 'None' (which a
    check would then report as a bad value); pandas 3's text dtype keeps it missing. Every
    conversion to text in the loaders goes through here.
    """
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values.astype(str)  # text only (as read from a file): nothing is missing
    return values.astype(str).where(values.notna(), np.nan)
