"""A real JupyterHub on loopback, for tests/hub/test_real_hub.py and benchmarks/bench_hub.py.

The hub runs DummyAuthenticator and SimpleLocalProcessSpawner (for tests only: never for a
real centre), configurable-http-proxy from npm (installed into tests/hub/node_modules), its
own state in SQLite, and each trainee's server with the trainee's own PostgreSQL login, as
docs/jupyterhub_config.py does. No pytest here: a missing prerequisite raises
`HubUnavailable`, which the tests turn into a skip and the benchmark into a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HUB_TESTS = ROOT / "tests" / "hub"
SECRET = "hub-test-secret-" + "s" * 20
GROUPS = ("trainees", "assessors", "iqa")


class HubUnavailable(Exception):
    """Something a real hub needs (npm, configurable-http-proxy) is not on this machine."""


def proxy_command() -> Path:
    """configurable-http-proxy, installed from npm into tests/hub/node_modules if missing."""
    chp = HUB_TESTS / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists():
        if shutil.which("npm") is None:
            raise HubUnavailable("npm is not installed, so configurable-http-proxy cannot be")
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"],
                              cwd=HUB_TESTS, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not chp.exists():
            raise HubUnavailable("npm could not install configurable-http-proxy: "
                                 f"{done.stderr[-200:]}")
    return chp


def free_port() -> int:
    from ilcs.present import free_port as _free_port

    return _free_port()


def api(base: str, path: str, token: str, method: str = "GET",
        body: dict[str, Any] | None = None, timeout: float = 60) -> tuple[int, Any]:
    """Call the hub (or a server through it): (status, JSON or text); status 0 if nobody
    is listening yet."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                     headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
            if "json" in response.headers.get("Content-Type", ""):
                return response.status, json.loads(text)
            return response.status, text
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except (urllib.error.URLError, OSError) as exc:  # not listening yet
        return 0, str(exc)


def wait_for(what: str, check: Callable[[], Any], timeout: float = 120.0) -> Any:
    """Poll `check` every half second until it returns something true; that value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what}")


def add_trainee_logins(admin_url: str, trainees: list[str], secret: str = SECRET) -> None:
    """Each trainee's own database login, as `ilcs hub add-trainee` makes it."""
    from ilcs.assessment.store import AnswerStore, add_trainee_login
    from ilcs.hub import trainee_db_role, trainee_password

    with AnswerStore.open(admin_url) as admin:
        for user in trainees:
            add_trainee_login(admin, user, trainee_db_role(user),
                              trainee_password(secret, user), by="centre.admin")


@dataclass(frozen=True)
class Hub:
    """A running hub: its address, the admin service's token and where its files are."""

    base: str
    admin_token: str
    admin_url: str
    users: dict[str, list[str]]
    workdir: Path
    log: Path
    pid: int

    def api(self, path: str, token: str | None = None, method: str = "GET",
            body: dict[str, Any] | None = None) -> tuple[int, Any]:
        return api(self.base, path, token or self.admin_token, method, body)

    def token(self, user: str) -> str:
        """A new API token for `user` (an hour)."""
        code, body = self.api(f"/hub/api/users/{user}/tokens", method="POST",
                              body={"note": "test", "expires_in": 3600})
        if code != 201:
            raise AssertionError(f"no token for {user}: {code} {body}")
        return str(body["token"])

    def request_server(self, user: str) -> None:
        code, body = self.api(f"/hub/api/users/{user}/server", method="POST", body={})
        if code not in (201, 202):
            raise AssertionError(f"{user}'s server was refused: {code} {body}")

    def server_ready(self, user: str) -> bool:
        _code, model = self.api(f"/hub/api/users/{user}")
        return bool(isinstance(model, dict) and model.get("servers", {}).get("", {}).get(
            "ready"))

    def start_server(self, user: str, timeout: float = 180) -> None:
        """Start the user's server through the REST API and wait until it is ready."""
        self.request_server(user)
        wait_for(f"{user}'s server", lambda: self.server_ready(user), timeout=timeout)

    def start_kernel(self, user: str, token: str) -> str:
        status, kernel = self.api(f"/user/{user}/api/kernels", token, "POST", {})
        if status != 201:
            raise AssertionError(f"no kernel for {user}: {status} {kernel}")
        return str(kernel["id"])

    def run_in_kernel(self, user: str, token: str, code: str) -> str:
        """Start a kernel on the user's server, run `code`, return what it printed."""

        async def run() -> str:
            kernel = KernelClient(self, user, token, self.start_kernel(user, token))
            await kernel.connect()
            try:
                return await kernel.execute(code)
            finally:
                kernel.close()

        return asyncio.run(run())


class KernelClient:
    """One kernel on a user's server, reached through the hub's proxy with the kernels
    API's WebSocket, as JupyterLab reaches it."""

    def __init__(self, hub: Hub, user: str, token: str, kernel_id: str) -> None:
        self.hub, self.user, self.token, self.kernel_id = hub, user, token, kernel_id
        self.session = uuid.uuid4().hex
        self._conn: Any = None

    async def connect(self) -> None:
        from tornado import httpclient, websocket

        url = (self.hub.base.replace("http", "ws", 1)
               + f"/user/{self.user}/api/kernels/{self.kernel_id}/channels")
        self._conn = await websocket.websocket_connect(httpclient.HTTPRequest(
            url, headers={"Authorization": f"token {self.token}"}, connect_timeout=120,
            request_timeout=120))

    async def execute(self, code: str, timeout: float = 120) -> str:
        """Run `code`; what it printed (an error as `ERROR name: value`), once the kernel
        has replied and gone idle (all its output sent)."""
        msg_id = uuid.uuid4().hex
        await self._conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.user,
                       "session": self.session, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False,
                        "stop_on_error": True}}))
        out: list[str] = []
        replied = idle = False  # the reply (shell) may come before the output (iopub)
        while not (replied and idle):
            raw = await asyncio.wait_for(self._conn.read_message(), timeout=timeout)
            if raw is None:
                raise AssertionError(f"{self.user}'s kernel socket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                out.append("ERROR " + msg["content"]["ename"] + ": " + msg["content"]["evalue"])
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
        return "".join(out)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _config(workdir: Path, admin_url: str, users: dict[str, list[str]], chp: Path,
            ports: dict[str, int], admin_token: str, review_service: bool) -> str:
    service = f"""
    {{"name": "ilcs-review", "url": "http://127.0.0.1:{ports['review']}",
      "command": [sys.executable, "-m", "ilcs.voila.hub_service"],
      "environment": {{"ILCS_DATABASE_URL": {admin_url!r}, "ILCS_HOME": "{workdir / 'review'}"}},
      "oauth_no_confirm": True}},""" if review_service else ""
    return f"""
import os, sys
from ilcs.hub import GROUP_ENV, TRAINEE, group_names, role_for_groups, trainee_database_url
c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:{ports['hub']}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{ports['api']}"
c.JupyterHub.db_url = "sqlite:///{workdir / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{workdir / 'cookie_secret'}"
c.ConfigurableHTTPProxy.command = ["{chp}"]
c.ConfigurableHTTPProxy.pid_file = "{workdir / 'proxy.pid'}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports['proxy_api']}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "test-only"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{workdir}/home/{{username}}"
c.Spawner.cmd = ["{Path(sys.executable).parent / 'jupyterhub-singleuser'}"]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 "read:users:name!user", "read:users:groups!user"]
c.JupyterHub.load_groups = {{g: {{"users": u}} for g, u in {users!r}.items()}}
c.JupyterHub.load_roles = [
    {{"name": "user", "scopes": ["self", "access:services!service=ilcs-review"]}},
    {{"name": "test-admin", "scopes": ["admin:users", "admin:servers", "tokens",
                                       "admin:groups", "list:users"],
      "services": ["test-admin"]}},
]
def ilcs_environment(spawner):
    role = role_for_groups([g.name for g in spawner.user.groups], os.environ)
    if role == TRAINEE:
        url = trainee_database_url({admin_url!r}, spawner.user.name, {SECRET!r})
    else:
        url = {admin_url!r}
    spawner.environment["ILCS_DATABASE_URL"] = url
    spawner.environment["ILCS_HOME"] = spawner.home_dir
c.Spawner.pre_spawn_hook = ilcs_environment
c.JupyterHub.services = [
    {{"name": "test-admin", "api_token": "{admin_token}"}},{service}
]
"""


def _end_hub(proc: subprocess.Popen[bytes], workdir: Path) -> None:
    """Stop the hub (it stops the servers it started), then anything of it still left:
    its process group, every process it started (servers, kernels, the proxy)."""
    import psutil

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    pid_file = workdir / "proxy.pid"  # the proxy runs in a session of its own
    if pid_file.exists():
        with contextlib.suppress(ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
    for member in family:  # servers and kernels in sessions of their own
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            if member.is_running():
                member.terminate()
    _gone, alive = psutil.wait_procs(family, timeout=15)
    for member in alive:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            member.kill()
    psutil.wait_procs(alive, timeout=10)


@contextlib.contextmanager
def running_hub(admin_url: str, users: dict[str, list[str]], workdir: Path, *,
                review_service: bool = True) -> Iterator[Hub]:
    """Start a hub in `workdir` with `users` in their groups ({"trainees": [...], ...});
    stop it and everything it started on leaving, also on an error or Ctrl-C.

    The trainees' database logins must exist (`add_trainee_logins`).
    """
    chp = proxy_command()
    admin_token = uuid.uuid4().hex
    ports = {name: free_port() for name in ("hub", "api", "review", "proxy_api")}
    config = workdir / "jupyterhub_config.py"
    config.write_text(_config(workdir, admin_url, users, chp, ports, admin_token,
                              review_service))
    for user in [u for group in users.values() for u in group]:
        (workdir / "home" / user).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH":
           f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    log_path = workdir / "hub.log"
    base = f"http://127.0.0.1:{ports['hub']}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            wait_for("the hub", lambda: proc.poll() is not None or api(
                base, "/hub/api/", admin_token)[0] == 200)
            if proc.poll() is not None:
                text = log_path.read_text()
                raise AssertionError(f"the hub stopped:\n{text[:3000]}\n...\n{text[-3000:]}")
            yield Hub(base=base, admin_token=admin_token, admin_url=admin_url, users=users,
                      workdir=workdir, log=log_path, pid=proc.pid)
        finally:
            _end_hub(proc, workdir)
