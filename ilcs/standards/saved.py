"""The trainee's own written standards, kept between sessions in their data directory.

`my-standards.txt` in `ilcs.paths.user_data_dir()`: one standard per line, written with the
one safe writer each time the trainee presses Check, read back when the notebook is opened
again. The standards writer view calls these; it reads and writes no file itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ilcs.io.write import write_text

SAVE_FILE = "my-standards.txt"


def saved_standards_path() -> Path:
    from ilcs.paths import user_data_dir

    return user_data_dir() / SAVE_FILE


def load_saved_standards() -> str | None:
    """What the trainee saved last time, or None if they have not saved yet."""
    path = saved_standards_path()
    return path.read_text(encoding="utf-8") if path.exists() else None


def save_standards(lines: Sequence[str]) -> Path:
    """Keep these standards (one per line) for next time; returns the file written."""
    return write_text(saved_standards_path(), "\n".join(lines) + "\n")
