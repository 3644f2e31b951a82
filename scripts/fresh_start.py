#!/usr/bin/env python3
"""A new user's first command, tried for real: clone this repository afresh into a temporary
folder, run the README's start command there (`python3 bootstrap.py start`) until the start
notebook answers over HTTP, then stop it.

    python3 scripts/fresh_start.py [--timeout 900] [--keep]

CI runs it (as root, reusing the installer caches of the machine); benchmarks/bench_setup.py
uses the same functions with empty caches. Only the standard library: it runs before any
virtual environment exists. Exit 0 when the notebook answered, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_COMMAND = ("bootstrap.py", "start")  # after `python3`, exactly as in the README
START_NOTEBOOK = "00_start_here.ipynb"
URL = re.compile(r"http://\S+/lab/tree/" + re.escape(START_NOTEBOOK) + r"\?token=\w+")


def clone(dest: Path, source: Path = ROOT) -> Path:
    """A fresh clone of `source`'s current commit (committed files only, as a user gets them)."""
    commit = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", str(source), str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", commit], check=True)
    return dest


def notebook_answers(url: str) -> bool:
    """The start page loads and the server serves the start notebook itself."""
    parts = urllib.parse.urlsplit(url)
    contents = urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, f"/api/contents/{START_NOTEBOOK}", parts.query, ""))
    try:
        with urllib.request.urlopen(url, timeout=30) as page:
            if page.status != 200 or b"JupyterLab" not in page.read():
                return False
        with urllib.request.urlopen(contents, timeout=30) as answer:
            model = json.loads(answer.read())
    except (OSError, ValueError):
        return False
    return model.get("type") == "notebook" and model.get("name") == START_NOTEBOOK \
        and bool(model.get("content", {}).get("cells"))


def stop_group(proc: subprocess.Popen[str], timeout: float = 60) -> None:
    """Stop the start command as a user's Ctrl-C would (it stops JupyterLab), firmly if needed."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_start(folder: Path, env: dict[str, str] | None = None,
              timeout: float = 900) -> tuple[float, str, str]:
    """Run the start command in `folder` until the start notebook answers; stop it.

    Returns (seconds from launch to the notebook answering, the URL printed, the output).
    Raises RuntimeError (with the output) when it fails or takes longer than `timeout`."""
    environment = dict(os.environ if env is None else env)
    environment.pop("ILCS_VENV", None)  # the clone's own .venv, as for a new user
    environment["PYTHONUNBUFFERED"] = "1"
    lines: list[str] = []
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, *START_COMMAND], cwd=folder, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    found: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            match = URL.search(line)
            if match and not found:
                found.append(match.group(0))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while not found:
            if proc.poll() is not None or time.monotonic() - started > timeout:
                reader.join(timeout=5)
                raise RuntimeError("the start command stopped or timed out before printing "
                                   "the start notebook's address:\n" + "".join(lines[-40:]))
            time.sleep(0.1)
        url = found[0]
        while not notebook_answers(url):
            if proc.poll() is not None or time.monotonic() - started > timeout:
                raise RuntimeError(f"{url} did not answer:\n" + "".join(lines[-40:]))
            time.sleep(0.2)
        seconds = time.monotonic() - started
    finally:
        stop_group(proc)
        reader.join(timeout=10)
    urls = [u for line in lines for u in re.findall(r"https?://\S+", line)]
    if len(set(urls)) != 1:
        raise RuntimeError(f"expected one address in the output, found {urls}")
    return seconds, url, "".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ilcs-fresh-"))
    try:
        clone(folder / "ilcs")
        print(f"Fresh clone in {folder / 'ilcs'}; running `python3 {' '.join(START_COMMAND)}` "
              "as a new user would ...", flush=True)
        seconds, url, output = run_start(folder / "ilcs", timeout=args.timeout)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(output.rstrip())
    print(f"OK: the start notebook answered at {url.split('?')[0]} {seconds:.1f} s after "
          "the start command was run; stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
