"""`ilcs present`: serve the class apps (notebooks/apps/) with Voila, offline.

The committed `voila.json` (top of the project) holds the safe settings: our own offline
template (`ilcs`, in ilcs/voila/), no template or theme override from the URL, no tracebacks
shown to viewers, code cells stripped, a cell time limit, idle-kernel culling and a kernel
manager that keeps warm kernels. This module adds what comes from the app registry
(`ilcs.apps`): one warm kernel for each preheated app, none for the others.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ilcs import paths
from ilcs.apps import GALLERY, kernel_pools_config
from ilcs.errors import ConfigError
from ilcs.paths import PACKAGE_DIR, voila_config_dir

TEMPLATE_ROOT = PACKAGE_DIR / "voila" / "data"
TEMPLATE_NAME = "ilcs"
HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int, host: str = HOST) -> bool:
    """True when nothing is listening on `port` (so Voila can take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def app_url(port: int, notebook: str = GALLERY.notebook, host: str = HOST) -> str:
    """The address of one app (by default the gallery) on a running server."""
    return f"http://{host}:{port}/voila/render/{notebook}"


def voila_command(
    port: int,
    *,
    preheat: bool = True,
    apps_dir: Path | None = None,
    python: str = sys.executable,
    pools: dict[str, dict[str, int]] | None = None,
) -> list[str]:
    """The Voila command line `ilcs present` runs (settings beyond voila.json's).

    `pools` defaults to the registry's; `preheat=False` gives every notebook a cold kernel
    (the benchmark compares the two)."""
    pools = dict(pools if pools is not None else kernel_pools_config())
    if not preheat:
        pools = {name: {"pool_size": 0} for name in pools}
    return [
        python,
        "-m",
        "voila",
        str(apps_dir if apps_dir is not None else paths.apps_dir()),
        f"--port={port}",
        f"--Voila.ip={HOST}",
        "--no-browser",
        "--Voila.port_retries=0",
        f"--Voila.config_file_paths={json.dumps([str(voila_config_dir())])}",
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
    ]


def voila_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for Voila: our template directory first on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    paths = [str(TEMPLATE_ROOT)]
    if env.get("JUPYTER_PATH"):
        paths.append(env["JUPYTER_PATH"])
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def check_setup(apps_dir: Path | None = None) -> None:
    """Fail early, in words, if something `ilcs present` needs is missing."""
    apps_dir = apps_dir if apps_dir is not None else paths.apps_dir()
    config = voila_config_dir() / "voila.json"
    if not config.is_file():
        raise ConfigError(f"{config}: the Voila settings file is missing.")
    if not (TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE_NAME).is_dir():
        raise ConfigError(f"{TEMPLATE_ROOT}: the offline page template is missing.")
    if not (apps_dir / GALLERY.notebook).is_file():
        raise ConfigError(f"{apps_dir}: no {GALLERY.notebook} here, so there is nothing to serve.")


def start_server(
    port: int,
    *,
    preheat: bool = True,
    log_file: Path | None = None,
    apps_dir: Path | None = None,
    pools: dict[str, dict[str, int]] | None = None,
) -> subprocess.Popen[bytes]:
    """Start Voila in the background; the caller stops it with `stop_server`.

    Voila runs in a session of its own, so a Ctrl-C in the terminal reaches only `ilcs
    present`, which then stops Voila once, cleanly (kernels shut down)."""
    check_setup(apps_dir)
    out = open(log_file, "wb") if log_file else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(
        voila_command(port, preheat=preheat, apps_dir=apps_dir, pools=pools),
        cwd=voila_config_dir(),
        env=voila_environment(),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_listening(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Block until the server accepts connections (ConfigError if it dies or times out)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ConfigError(f"Voila stopped straight away (exit code {proc.returncode}).")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise ConfigError(f"Voila did not start listening on port {port} within {timeout:.0f} s.")


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Stop a server started by `start_server` (politely first, then firmly).

    SIGTERM makes Voila leave its event loop and shut every kernel down; unlike SIGINT it
    cannot land in the middle of a kernel start-up as a KeyboardInterrupt."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                proc.wait()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group `start_server` gave Voila (its kernels, in sessions of their
    own, stop by themselves when Voila is gone)."""
    if hasattr(os, "killpg"):
        try:
            if os.getpgid(proc.pid) == proc.pid:
                os.killpg(proc.pid, signal.SIGKILL)
                return
        except ProcessLookupError:
            return
    proc.kill()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def present(port: int | None = None, open_browser: bool = True) -> int:
    """Serve the apps until Ctrl-C; returns the exit code. Prints the address to open.

    Voila's own log goes to `present.log` in the user data directory."""
    from ilcs.paths import user_data_dir

    check_setup()
    if port is not None and not port_is_free(port):
        raise ConfigError(
            f"Port {port} is already in use (are the apps already running?). "
            "Choose another with --port, or leave --port out to use any free port."
        )
    port = port or free_port()
    log_file = user_data_dir() / "present.log"
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the apps as cleanly as Ctrl-C
    proc = start_server(port, log_file=log_file)
    try:
        wait_until_listening(port, proc)
        url = app_url(port)
        print(f"The class apps are ready. Open {url}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        proc.wait()
    except KeyboardInterrupt:
        print("\nStopping the apps ...", flush=True)
    finally:
        stop_server(proc)
    if proc.returncode not in (0, -signal.SIGINT, -signal.SIGTERM, 130):
        print(f"Voila stopped with an error: see {log_file}", file=sys.stderr)
        return 1
    print("Stopped.", flush=True)
    return 0
