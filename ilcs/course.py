"""Course folders: `ilcs init DIR` lays out notebooks, datasets and Voila settings from the
installed package (or the checkout), so JupyterLab and `ilcs present` work from DIR.

A trainee's folder never holds the assessor's keys and rubrics; an assessor's folder gets them
only by asking (`--assessor`), from the checkout or from a folder the centre gives
(`--keys`): the wheel itself does not carry them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ilcs.errors import ConfigError
from ilcs.paths import COURSE_MARKER, PACKAGED_COURSE, PROJECT_DIR

COURSE_ITEMS = ("notebooks", "datasets", "voila.json")
ASSESSOR_FOLDER = Path("datasets") / "assessor"
SKIPPED = (".ipynb_checkpoints", "__pycache__")


def course_source() -> Path:
    """Where `ilcs init` copies from: the checkout if ilcs runs from one, else the package."""
    if (PROJECT_DIR / "datasets" / "units").is_dir() and (PROJECT_DIR / "pyproject.toml").is_file():
        return PROJECT_DIR
    if (PACKAGED_COURSE / "datasets").is_dir():
        return PACKAGED_COURSE
    raise ConfigError("this installation of ilcs has no course files: reinstall it from a wheel "
                      "built with `python -m build`, or run it from a checkout")


def _copy_missing(source: Path, target: Path, *, skip_assessor: bool) -> list[Path]:
    """Copy files under `source` to `target` that do not exist there yet; never overwrite."""
    written = []
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    for path in files:
        rel = path.relative_to(source.parent if source.is_file() else source)
        if any(part in SKIPPED for part in rel.parts):
            continue
        if skip_assessor and source.name == "datasets" and rel.parts[:1] == ("assessor",):
            continue
        dest = target / rel
        if dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        written.append(dest)
    return written


def init_course(out: str | Path, *, assessor: bool = False, keys: str | Path | None = None,
                update: bool = False, source: Path | None = None) -> list[Path]:
    """Lay out a course folder at `out`; returns the files written.

    - A new or empty folder is filled; an existing course folder is refused unless `update`,
      which adds files that are missing and never overwrites a trainee's work.
    - `assessor=True` also copies the assessor's keys and rubrics (from `keys`, a folder laid
      out like `datasets/assessor`, or from the checkout).
    """
    out = Path(out).resolve()
    src = (source or course_source()).resolve()
    if out == src or src in out.parents:
        raise ConfigError(f"{out} is inside the course source {src}: choose another folder")
    if out.exists() and any(out.iterdir()) and not update:
        raise ConfigError(f"{out} is not empty: choose a new folder, or add --update to add "
                          "missing files without overwriting anything")
    written: list[Path] = []
    for item in COURSE_ITEMS:
        item_source = src / item
        if not item_source.exists():
            raise ConfigError(f"{item_source}: missing from the course source")
        target = out if item_source.is_file() else out / item
        written += _copy_missing(item_source, target, skip_assessor=True)
    if assessor:
        keys_source = Path(keys) if keys is not None else src / ASSESSOR_FOLDER
        if not (keys_source / "keys").is_dir():
            raise ConfigError(f"{keys_source}: no assessor keys here (expected a keys/ folder); "
                              "give the centre's copy of datasets/assessor with --keys")
        written += _copy_missing(keys_source, out / ASSESSOR_FOLDER, skip_assessor=False)
    marker = out / COURSE_MARKER
    if not marker.exists():
        from ilcs.io.write import write_text

        write_text(marker, "This folder is an ilcs course (made by `ilcs init`).\n")
        written.append(marker)
    return written
