"""The column mapper's choices, remembered per file shape in the user data directory.

A trainee who exports from the same tool each month should not map the same columns again:
the choices (tool, columns, value translations, date format) are kept under a key made of
the file's sorted header names, in `column_mappings.json` (written by `ilcs.paths.write_json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FILE_NAME = "column_mappings.json"


def shape_key(headers: Iterable[object]) -> str:
    """The key of a file's shape: its header names, sorted (order and case as written)."""
    return "\n".join(sorted(str(h).strip() for h in headers))


def _path() -> Path:
    from ilcs.paths import user_data_dir

    return user_data_dir() / FILE_NAME


def _all() -> dict[str, Any]:
    path = _path()
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged file only means the trainee maps the columns again
    return data if isinstance(data, dict) else {}


def recall(headers: Iterable[object]) -> dict[str, Any] | None:
    """The choices saved for a file of this shape, or None."""
    choice = _all().get(shape_key(headers))
    return choice if isinstance(choice, dict) else None


def remember(headers: Iterable[object], choice: dict[str, Any]) -> None:
    """Save the choices for files of this shape (replacing earlier ones)."""
    from ilcs.paths import write_json

    data = _all()
    data[shape_key(headers)] = choice
    write_json(_path(), data)
