#!/usr/bin/env python3
"""Set up ilcs in a virtual environment of its own, then start it or test it.

    python3 bootstrap.py start   # JupyterLab on notebooks/ (the trainee's and assessor's view)
    python3 bootstrap.py present # the trainer's apps, served by Voila
    python3 bootstrap.py test    # lint + the whole test suite (notebooks and browser tests included)

Needs only Python 3.10 or newer. Everything is installed into ./.venv, nothing system-wide.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ILCS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: object, **kw) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kw)


def ensure_venv(extras: str) -> None:
    """Create .venv and install ilcs (editable) with the given extras, once per pyproject change."""
    if sys.version_info < (3, 10):  # noqa: UP036 - bootstrap may run on any python3
        sys.exit(f"ilcs needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if not PY.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".ilcs-installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PY, "-m", "pip", "install", "--quiet", "-e", target)
    stamp.write_text(digest)


def start() -> None:
    ensure_venv("postgres")
    # Offline classroom: no update checks, no news feed, no extension search on PyPI.
    run(BIN / "jupyter", "lab", "--notebook-dir", ROOT / "notebooks",
        "--ServerApp.open_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
        "notebooks/00_start_here.ipynb")


def present() -> None:
    ensure_venv("postgres")
    run(BIN / "ilcs", "present")


def test(pytest_args: list[str]) -> None:
    ensure_venv("test")
    run(BIN / "ruff", "check", "ilcs", "tests", "benchmarks", "scripts", "bootstrap.py", "conftest.py")
    run(PY, "-m", "pytest", *pytest_args)


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "start"
    try:
        if command == "start":
            start()
        elif command == "present":
            present()
        elif command == "test":
            test(argv[1:])
        else:
            sys.exit(f"Unknown command {command!r}: use start, present or test.")
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        print("\nStopped.")


if __name__ == "__main__":
    main(sys.argv[1:])
