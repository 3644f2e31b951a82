"""Where things are: the course files (notebooks, datasets, Voila settings) and the user's data.

The course files are found in this order:

1. `ILCS_COURSE`, if set: a course folder;
2. the nearest folder at or above the current one that `ilcs init` laid out (it holds
   `.ilcs-course`), so notebooks and `ilcs present` run from a course folder use its files;
3. the source checkout this package was installed from (it has `datasets/units/`);
4. the copy inside the installed package (`ilcs/_course/`, put there when the wheel is built).

`ILCS_DATASETS` still overrides the datasets folder alone. User data (profile, SQLite answer
store, packs): `ILCS_HOME` if set, else the platform's user data directory (e.g.
~/.local/share/ilcs on Linux, %LOCALAPPDATA%\\ilcs on Windows).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
PACKAGED_COURSE = PACKAGE_DIR / "_course"
COURSE_MARKER = ".ilcs-course"


def _is_checkout(folder: Path) -> bool:
    return (folder / "datasets" / "units").is_dir() and (folder / "pyproject.toml").is_file()


def course_dir() -> Path:
    """The folder holding `notebooks/`, `datasets/` and `voila.json` (see the module doc)."""
    env = os.environ.get("ILCS_COURSE")
    if env:
        return Path(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / COURSE_MARKER).is_file():
            return folder
    if _is_checkout(PROJECT_DIR):
        return PROJECT_DIR
    return PACKAGED_COURSE


def datasets_dir() -> Path:
    return Path(os.environ.get("ILCS_DATASETS", course_dir() / "datasets"))


def sample_dir() -> Path:
    """The committed fictional organisation's data (see datasets/README.md)."""
    return datasets_dir() / "sample"


def notebooks_dir() -> Path:
    return course_dir() / "notebooks"


def apps_dir() -> Path:
    """The thin app notebooks Voila serves."""
    return notebooks_dir() / "apps"


def voila_config_dir() -> Path:
    """The folder holding `voila.json`, the safe Voila settings."""
    return course_dir()


def user_data_dir() -> Path:
    """The trainee's or assessor's own data directory; created on first use."""
    home = os.environ.get("ILCS_HOME")
    if home:
        path = Path(home)
    else:
        from platformdirs import user_data_dir as _udd

        path = Path(_udd("ilcs", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_json(path: Path, data: object) -> None:
    """Write JSON to `path` atomically (a temporary file, then a rename): a file in the user
    data directory is never left half-written. Goes through the one safe writer."""
    from ilcs.io.write import write_json as write_whole

    write_whole(path, data, indent=2)
