"""Where things are: the committed datasets, and the user's own data directory.

- Datasets: `ILCS_DATASETS` if set, else the `datasets/` folder beside the package.
- User data (profile, SQLite answer store, packs): `ILCS_HOME` if set, else the platform's
  user data directory (e.g. ~/.local/share/ilcs on Linux, %LOCALAPPDATA%\\ilcs on Windows).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def datasets_dir() -> Path:
    return Path(os.environ.get("ILCS_DATASETS", PROJECT_DIR / "datasets"))


def sample_dir() -> Path:
    """The committed fictional organisation's data (see datasets/README.md)."""
    return datasets_dir() / "sample"


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
