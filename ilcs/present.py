"""`ilcs present`: serve the class apps (notebooks/apps/) with Voila, offline.

The committed `voila.json` (top of the project) holds the safe settings: our own offline
template (`ilcs`, in ilcs/voila/), no template or theme override from the URL, no tracebacks
shown to viewers, code cells stripped, a cell time limit, idle-kernel culling and a kernel
manager that keeps warm kernels. This module adds what comes from the app registry
(`ilcs.apps`): one warm kernel for each preheated app, none for the others; and, through
`ilcs.voila.server`, the cap on kernels per app and the token. `ilcs present` always sets a
token: the class apps stay open on this computer (loopback), the review app (personal data,
it writes decisions) and everything else needs the token; on any other address every page
needs it.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from ilcs import paths
from ilcs.apps import APPS, GALLERY, kernel_pools_config
from ilcs.errors import ConfigError
from ilcs.paths import PACKAGE_DIR, voila_config_dir
from ilcs.voila import DEFAULT_MAX_KERNELS_PER_APP, KERNEL_MIB, TOKEN_ENV

TEMPLATE_ROOT = PACKAGE_DIR / "voila" / "data"
TEMPLATE_NAME = "ilcs"
HOST = "127.0.0.1"
def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def open_notebooks(host: str) -> tuple[str, ...]:
    """Notebooks served without the token: the class apps on loopback, nothing elsewhere.

    The review app (audience "assessor": personal data, it writes decisions) is never open."""
    if not is_loopback(host):
        return ()
    return tuple(app.notebook for app in APPS if app.audience != "assessor")


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


def app_url(
    port: int, notebook: str = GALLERY.notebook, host: str = HOST, token: str = ""
) -> str:
    """The address of one app (by default the gallery) on a running server.

    With a token, the address carries it: the browser then keeps a login cookie, so the
    gallery's links (the review app included) open without asking again."""
    url = f"http://{_url_host(host)}:{port}/voila/render/{notebook}"
    return f"{url}?token={quote(token)}" if token else url


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def _connect_host(host: str) -> str:
    return HOST if host in ("0.0.0.0", "::", "") else host


def voila_command(
    port: int,
    *,
    preheat: bool = True,
    apps_dir: Path | None = None,
    python: str = sys.executable,
    pools: dict[str, dict[str, int]] | None = None,
    host: str = HOST,
    open_to_all: tuple[str, ...] = (),
    max_kernels: int = DEFAULT_MAX_KERNELS_PER_APP,
    cull_idle_timeout: int | None = None,
    cull_interval: int | None = None,
) -> list[str]:
    """The Voila command line `ilcs present` runs (settings beyond voila.json's).

    `pools` defaults to the registry's; `preheat=False` gives every notebook a cold kernel
    (the benchmark compares the two). `open_to_all`: notebooks that need no token when a
    token is set (see `open_notebooks`). The cull settings default to voila.json's (tests
    shorten them). The token itself is not on the command line (others could read it
    there): `start_server` passes it in the environment."""
    if max_kernels < 1:
        raise ConfigError(f"--max-kernels must be 1 or more, not {max_kernels}.")
    pools = dict(pools if pools is not None else kernel_pools_config())
    if not preheat:
        pools = {name: {"pool_size": 0} for name in pools}
    command = [
        python,
        "-m",
        "ilcs.voila.server",
        str(apps_dir if apps_dir is not None else paths.apps_dir()),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--no-browser",
        "--Voila.port_retries=0",
        f"--Voila.config_file_paths={json.dumps([str(voila_config_dir())])}",
        f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
        f"--ClassroomKernelManager.max_kernels_per_app={max_kernels}",
    ]
    # One option per notebook (traitlets reads a list given as one JSON text as one item).
    command += [f"--ClassroomIdentityProvider.open_notebooks={name}" for name in open_to_all]
    if cull_idle_timeout is not None:
        command.append(f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}")
    if cull_interval is not None:
        command.append(f"--MappingKernelManager.cull_interval={cull_interval}")
    return command


def voila_environment(base: dict[str, str] | None = None, token: str = "") -> dict[str, str]:
    """The environment for Voila: our template directory first on JUPYTER_PATH, the token."""
    env = dict(os.environ if base is None else base)
    env.pop(TOKEN_ENV, None)
    if token:
        env[TOKEN_ENV] = token
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
    token: str = "",
    host: str = HOST,
    open_to_all: tuple[str, ...] = (),
    max_kernels: int = DEFAULT_MAX_KERNELS_PER_APP,
    cull_idle_timeout: int | None = None,
    cull_interval: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start Voila in the background; the caller stops it with `stop_server`.

    Without a token every page is open to anyone who can reach the port (tests and
    benchmarks on loopback); `present()` always sets one. The other settings: `voila_command`.
    Voila runs in a session of its own, so a Ctrl-C in the terminal reaches only `ilcs
    present`, which then stops Voila once, cleanly (kernels shut down)."""
    check_setup(apps_dir)
    command = voila_command(
        port, preheat=preheat, apps_dir=apps_dir, pools=pools, host=host,
        open_to_all=open_to_all, max_kernels=max_kernels,
        cull_idle_timeout=cull_idle_timeout, cull_interval=cull_interval,
    )
    out = open(log_file, "wb") if log_file else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(
        command,
        cwd=voila_config_dir(),
        env=voila_environment(token=token),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_listening(
    port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0, host: str = HOST
) -> None:
    """Block until the server accepts connections (ConfigError if it dies or times out)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ConfigError(f"Voila stopped straight away (exit code {proc.returncode}).")
        try:
            with socket.create_connection((_connect_host(host), port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise ConfigError(f"Voila did not start listening on port {port} within {timeout:.0f} s.")


def _proc_stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a process from /proc (None if gone or not Linux)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (name) "
    return int(fields[1]), int(fields[19])


def process_tree(pid: int) -> dict[int, int]:
    """`pid` and all its descendants, each with its start time (empty where there is no
    /proc). The start time tells a process from a later one given the same number."""
    parents: dict[int, list[tuple[int, int]]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        stat = _proc_stat(int(entry.name))
        if stat is not None:
            parents.setdefault(stat[0], []).append((int(entry.name), stat[1]))
    root = _proc_stat(pid)
    if root is None:
        return {}
    tree = {pid: root[1]}
    todo = [pid]
    while todo:
        for child, started in parents.get(todo.pop(), []):
            if child not in tree:
                tree[child] = started
                todo.append(child)
    return tree


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Stop a server started by `start_server` (politely first, then firmly).

    SIGTERM makes Voila leave its event loop and shut every kernel down; unlike SIGINT it
    cannot land in the middle of a kernel start-up as a KeyboardInterrupt. Kernels run in
    process groups of their own: any still alive once Voila has gone (it was killed, or a
    kernel did not answer) are ended with their group."""
    tree = process_tree(proc.pid)
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
    for pid, started in tree.items():
        stat = _proc_stat(pid)
        if pid != proc.pid and stat is not None and stat[1] == started:
            try:
                group = os.getpgid(pid)
                if group != os.getpgrp():  # never our own group
                    os.killpg(group, signal.SIGKILL)
            except OSError:
                pass  # ended in the meantime


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


def present(
    port: int | None = None,
    open_browser: bool = True,
    host: str = HOST,
    max_kernels: int = DEFAULT_MAX_KERNELS_PER_APP,
) -> int:
    """Serve the apps until Ctrl-C; returns the exit code. Prints the address to open.

    A fresh token protects the review app (and, off loopback, every app); the printed
    address carries it. Voila's own log goes to `present.log` in the user data directory."""
    from ilcs.paths import user_data_dir

    check_setup()
    if max_kernels < 1:
        raise ConfigError(f"--max-kernels must be 1 or more, not {max_kernels}.")
    if port is not None and not port_is_free(port, host):
        raise ConfigError(
            f"Port {port} is already in use (are the apps already running?). "
            "Choose another with --port, or leave --port out to use any free port."
        )
    port = port or free_port(host)
    token = secrets.token_urlsafe(24)
    log_file = user_data_dir() / "present.log"
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the apps as cleanly as Ctrl-C
    proc = start_server(port, log_file=log_file, token=token, host=host,
                        open_to_all=open_notebooks(host), max_kernels=max_kernels)
    try:
        wait_until_listening(port, proc, host=host)
        url = app_url(port, host=host, token=token)
        print(f"The class apps are ready. Open {url}", flush=True)
        if is_loopback(host):
            print("The class apps are open to this computer only. The assessor review app "
                  "needs the address above (it holds a private key): do not share it.",
                  flush=True)
        else:
            print(f"Served on {host}: every app needs the address above, key included. "
                  "Give it only to the people who should see the apps.", flush=True)
        print(f"Up to {max_kernels} copies of each app can be open at once; each open "
              f"copy needs about {KERNEL_MIB} MB of memory.", flush=True)
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
