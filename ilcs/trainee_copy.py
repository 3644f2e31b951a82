"""A trainee's copy of ilcs: everything a trainee needs, and no assessor files.

Keys, rubrics and per-option feedback of assessed questions live in `datasets/assessor/`.
A trainee's kernel never reads them, but a file on a trainee's own disk can always be
opened, so a centre gives trainees a copy without that folder (README, threat model).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ilcs.errors import ConfigError
from ilcs.paths import PROJECT_DIR

# Left out of a trainee's copy: assessor-only files; what only developers need (the tests and
# docs hold worked answers and marking points of assessed questions); what is built locally.
ASSESSOR_ONLY = ("datasets/assessor",)
DEVELOPERS_ONLY = ("tests", "docs", "benchmarks", "scripts", ".ci")
LEFT_OUT = ASSESSOR_ONLY + DEVELOPERS_ONLY
LOCAL_ONLY = (".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
              ".ipynb_checkpoints", ".hypothesis", "build", "dist")


def make_trainee_copy(out: str | Path, source: Path = PROJECT_DIR) -> Path:
    """Copy the project to `out` (which must not exist yet) without assessor-only files."""
    out = Path(out).resolve()
    if out.exists():
        raise ConfigError(f"{out} already exists: choose a new folder for the trainee copy")
    if source.resolve() in out.parents:
        raise ConfigError(f"{out} is inside the project: choose a folder outside {source}")
    left_out = {(source / p).resolve() for p in LEFT_OUT}

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in LOCAL_ONLY or n.endswith(".egg-info")
                or (Path(folder) / n).resolve() in left_out}

    shutil.copytree(source, out, ignore=ignore)
    return out
