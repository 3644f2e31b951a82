#!/usr/bin/env python3
"""Set up ilcs in a virtual environment of its own, then start it or test it.

    python3 bootstrap.py start   # JupyterLab on notebooks/, at 00_start_here.ipynb
    python3 bootstrap.py start --port 8890 --ServerApp.ip=0.0.0.0   # other options go to JupyterLab
    python3 bootstrap.py present # the trainer's apps, served by Voila
    python3 bootstrap.py test    # lint + the whole test suite (notebooks and browser tests included)

Needs only Python 3.10 or newer. Everything is installed into ./.venv, nothing system-wide.
The installer is uv (installed into .venv from the package index, much faster than pip);
pip is used instead whenever uv cannot be installed or fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import venv
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ILCS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
UV = BIN / ("uv.exe" if os.name == "nt" else "uv")

NOTEBOOKS = ROOT / "notebooks"
START_NOTEBOOK = "00_start_here.ipynb"
DEFAULT_PORT = 8888
START_TIMEOUT_S = 180.0

# JupyterLab settings for an offline classroom, written to the environment's
# share/jupyter/lab/settings/overrides.json (JupyterLab reads it at start). "fetchNews":
# "false" is what stops the "get notified about official Jupyter news?" question: JupyterLab
# asks it whenever the setting is still "none", whatever the server's news feed is.
LAB_OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def run(*args: object, **kw: object) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kw)  # type: ignore[call-overload]


# ----------------------------------------------------------------------------- set-up


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
    target = f".[{extras}]" if extras else "."
    install(target)
    write_lab_settings(VENV)
    stamp.write_text(digest)


def uv_environment() -> dict[str, str]:
    """uv reads its own settings, not pip's: pass on a mirror set for pip (PIP_INDEX_URL)."""
    env = dict(os.environ)
    if env.get("PIP_INDEX_URL") and not env.get("UV_INDEX_URL"):
        env["UV_INDEX_URL"] = env["PIP_INDEX_URL"]
    if env.get("PIP_EXTRA_INDEX_URL") and not env.get("UV_EXTRA_INDEX_URL"):
        env["UV_EXTRA_INDEX_URL"] = env["PIP_EXTRA_INDEX_URL"]
    env.setdefault("UV_LINK_MODE", "copy")  # no warning when the cache is on another disk
    return env


def install(target: str) -> None:
    """Install `target` (e.g. ".[test]") editable into .venv: with uv if possible, else pip."""
    if not UV.exists():
        try:
            run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv")
        except subprocess.CalledProcessError:
            print("Note: the faster installer uv could not be installed; using pip.", flush=True)
    if UV.exists():
        try:
            run(UV, "pip", "install", "--quiet", "--python", PY, "-e", target, env=uv_environment())
            return
        except subprocess.CalledProcessError:
            print("Note: uv could not install ilcs; trying again with pip.", flush=True)
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)


def write_lab_settings(prefix: Path) -> Path:
    """Merge LAB_OVERRIDES into `prefix`/share/jupyter/lab/settings/overrides.json."""
    path = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    current: dict[str, dict[str, object]] = {}
    if path.is_file():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            current = {}
    for plugin, values in LAB_OVERRIDES.items():
        current.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- start


def split_start_options(options: Sequence[str]) -> tuple[int | None, str, list[str]]:
    """`--port N` / `--port=N` and `--ip X` out of the options; the rest go to JupyterLab."""
    port: int | None = None
    ip = "127.0.0.1"
    rest: list[str] = []
    items = list(options)
    i = 0
    while i < len(items):
        item = items[i]
        name, sep, value = item.partition("=")
        if name in ("--port", "--ServerApp.port", "--ip", "--ServerApp.ip"):
            if not sep:
                if i + 1 >= len(items):
                    sys.exit(f"{name} needs a value, e.g. {name}=8890")
                value = items[i + 1]
                i += 1
            if name.endswith("port"):
                if not value.isdigit() or not 0 < int(value) < 65536:
                    sys.exit(f"--port must be a port number such as 8890, not '{value}'")
                port = int(value)
            else:
                ip = value
        else:
            rest.append(item)
        i += 1
    return port, ip, rest


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on `port` (a port just closed, in TIME_WAIT, is free: the
    server reuses it, as JupyterLab does)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if os.name != "nt":  # on Windows this option would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def choose_port(asked: int | None) -> int:
    if asked is not None:
        if not port_is_free(asked):
            sys.exit(f"Port {asked} is already in use (is JupyterLab already running?). "
                     "Choose another with --port, or leave --port out.")
        return asked
    for port in range(DEFAULT_PORT, DEFAULT_PORT + 100):
        if port_is_free(port):
            return port
    sys.exit(f"No free port between {DEFAULT_PORT} and {DEFAULT_PORT + 99}: use --port.")


def has_desktop_browser() -> bool:
    """A graphical browser JupyterLab can open (none on a server, container or SSH session)."""
    if sys.platform in ("win32", "darwin"):
        return True
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    import webbrowser

    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def start_url(host: str, port: int, token: str, path: str = f"lab/tree/{START_NOTEBOOK}") -> str:
    """The one address to open: the start notebook in JupyterLab, with the login token."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::", "localhost") else host
    return f"http://{shown}:{port}/{path}?token={token}"


def token_config(token: str) -> Path:
    """A config file, readable only by this user, that gives JupyterLab its login token (on
    the command line, every user of the computer could read it)."""
    folder = Path(tempfile.mkdtemp(prefix="ilcs-lab-"))  # mode 0700
    path = folder / "jupyter_server_config.json"
    path.write_text(json.dumps({"IdentityProvider": {"token": token}}), encoding="utf-8")
    return path


def lab_command(port: int, ip: str, options: Sequence[str], open_browser: bool, config: Path,
                bin_dir: Path = BIN, notebooks: Path = NOTEBOOKS) -> list[str]:
    """The `jupyter lab` command line `start` runs (options given by the user come last, so
    they win). `config` is the file from `token_config`."""
    command = [
        str(bin_dir / "jupyter"), "lab", f"--config={config}", f"--notebook-dir={notebooks}",
        f"--ServerApp.ip={ip}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.open_browser={open_browser}",
        # Offline classroom: no update checks, no news feed, no extension search on PyPI.
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
        # Quiet: the address to open is printed once, by this script, when it works.
        "--Application.log_level=WARN",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Note: running as root (as in many containers and classroom machines), so "
              "JupyterLab is started with --allow-root.", flush=True)
        command.append("--allow-root")
    return [*command, *options, str(notebooks / START_NOTEBOOK)]


def wait_until_answers(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Block until `url` answers 200 (exit if JupyterLab stops or takes too long)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"JupyterLab stopped (exit code {proc.returncode}); see the messages above.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    sys.exit(f"JupyterLab did not answer within {timeout:.0f} s.")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop JupyterLab cleanly (its kernels shut down), firmly if it does not."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def start(options: Sequence[str]) -> int:
    asked_port, ip, rest = split_start_options(options)
    ensure_venv("postgres")
    port = choose_port(asked_port)
    token = secrets.token_hex(24)
    open_browser = has_desktop_browser() and "--no-browser" not in rest
    config = token_config(token)
    command = lab_command(port, ip, rest, open_browser, config)
    print(f"Starting JupyterLab on {NOTEBOOKS} ...", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    # A session of its own: Ctrl-C reaches this script, which stops JupyterLab once, cleanly.
    proc = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        # Ready when the server serves the start notebook itself, and the page that shows it.
        notebook = start_url(ip, port, token, f"api/contents/{START_NOTEBOOK}")
        wait_until_answers(notebook + "&content=0", proc, START_TIMEOUT_S)
        url = start_url(ip, port, token)
        wait_until_answers(url, proc, START_TIMEOUT_S)
        print(f"\nJupyterLab is ready. Open this address in your web browser:\n\n    {url}\n\n"
              "Press Ctrl-C to stop.", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        print("\nStopping JupyterLab ...", flush=True)
        return 0
    finally:
        stop(proc)
        config.unlink(missing_ok=True)
        config.parent.rmdir()


# ----------------------------------------------------------------------------- other commands


def present() -> None:
    ensure_venv("postgres")
    run(BIN / "ilcs", "present")


def test(pytest_args: list[str]) -> None:
    ensure_venv("test")
    run(BIN / "ruff", "check", "ilcs", "tests", "benchmarks", "scripts", "bootstrap.py",
        "conftest.py", "setup.py")
    if os.environ.get("ILCS_SKIP_MYPY") != "1":  # CI's second, older-Python run skips it
        run(PY, "-m", "mypy")
    run(PY, "-m", "pytest", *pytest_args)


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "start"
    try:
        if command == "start":
            sys.exit(start(argv[1:]))
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
