#!/usr/bin/env python3
"""Benchmark: time from a fresh clone to a working start notebook, against plain pip.

    python3 benchmarks/bench_setup.py [--timeout 1200]

In one run, with every installer's cache empty (a new, empty PIP_CACHE_DIR and UV_CACHE_DIR
for each measurement), on fresh clones of this repository's current commit:

1. setup: `python3 bootstrap.py start` (the README's first command: virtual environment, uv,
   ilcs and its packages, JupyterLab) until the start notebook answers over HTTP;
2. pip: a plain `python3 -m venv` + `pip install -e .[postgres]` (the same packages, nothing
   started).

Last line: `setup_s=<x> pip_s=<y> setup_ratio=<x/y>`; target ratio <= 0.5. Only the standard
library: run it with the system's python3. Downloads come from the package index, so the
figure moves with the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from fresh_start import clone, run_start  # noqa: E402 - a script folder, not a package


def empty_caches(folder: Path, name: str) -> dict[str, str]:
    """The environment with fresh, empty cache folders for pip and uv."""
    env = dict(os.environ)
    env.pop("ILCS_VENV", None)
    for variable in ("PIP_CACHE_DIR", "UV_CACHE_DIR"):
        cache = folder / f"{name}-{variable.lower()}"
        cache.mkdir()
        env[variable] = str(cache)
    return env


def time_setup(work: Path, timeout: float) -> float:
    checkout = clone(work / "setup")
    seconds, _url, _output = run_start(checkout, empty_caches(work, "setup"), timeout=timeout)
    return seconds


def time_plain_pip(work: Path, timeout: float) -> float:
    checkout = clone(work / "pip")
    env = empty_caches(work, "pip")
    python = checkout / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(checkout / ".venv")], check=True, env=env,
                   timeout=timeout)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", ".[postgres]"],
                   cwd=checkout, check=True, env=env, timeout=timeout, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=1200)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ilcs-bench-setup-"))
    try:
        setup_s = time_setup(work, args.timeout)
        print(f"setup (bootstrap.py start until the start notebook answers): {setup_s:.1f} s",
              flush=True)
        pip_s = time_plain_pip(work, args.timeout)
        print(f"plain venv + pip install -e .[postgres]: {pip_s:.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"setup_s={setup_s:.1f} pip_s={pip_s:.1f} setup_ratio={setup_s / pip_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
