"""The review app as a JupyterHub service, behind the hub's OAuth, for assessors and IQAs.

Run by the hub (see docs/deploy-jupyterhub.md):

    c.JupyterHub.services = [{"name": "ilcs-review", "url": "http://127.0.0.1:10101",
                              "command": ["python", "-m", "ilcs.voila.hub_service"],
                              "environment": {"ILCS_DATABASE_URL": "..."}}]

How it works:
- every request goes through `jupyterhub.services.auth.HubOAuth`: a visitor who is not
  logged in to the hub is sent to the hub's login and back;
- the visitor's hub groups decide (`ilcs.hub.role_for_groups`): `assessors` and `iqa` go on
  to the review app; anyone else (a trainee) gets a 403 page that says why, in words;
- the review app itself is Voila, started by this service on a loopback port with a random
  token that only this service knows, so it cannot be opened around the hub's login. This
  service forwards each allowed request (and the widgets' WebSocket) with that token and with
  the visitor's login and role in two headers it always sets itself (`X-Ilcs-Hub-User`,
  `X-Ilcs-Hub-Role`): the kernel reads them (`ilcs.hub.hub_user`), so every mark, decision,
  sign-off and verdict is recorded under the visitor's hub login.
"""

from __future__ import annotations

import html
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ilcs.hub import (
    ASSESSOR,
    IQA,
    SERVICE_ENV,
    SERVICE_ROLE_HEADER,
    SERVICE_USER_HEADER,
    group_names,
    role_for_groups,
)

SERVICE_NAME = "ilcs-review"
REVIEW_NOTEBOOK = "review.ipynb"
# Request headers a visitor may not pass on to Voila (set by this service only, or hop-by-hop).
_DROP = {"host", "authorization", "cookie", "connection", "upgrade", "keep-alive",
         "transfer-encoding", "content-length", "x-ilcs-hub-user", "x-ilcs-hub-role", "origin",
         "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions"}


def staff_role(user_model: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """'assessor' or 'iqa' if the hub user may open the review app, else None."""
    groups = user_model.get("groups") or []
    role = role_for_groups([str(g) for g in groups], env)
    return role if role in (ASSESSOR, IQA) else None


def forbidden_page(user: str, env: Mapping[str, str]) -> str:
    """The 403 page a trainee (or anyone not in the assessor or IQA group) sees."""
    names = group_names(env)
    return (
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        "<title>Not available: assessor review</title></head><body>"
        "<main style=\"font-family: sans-serif; max-width: 40em; margin: 3em auto\">"
        "<h1>✘ You cannot open the assessor review</h1>"
        f"<p>You are signed in as <b>{html.escape(user)}</b>. The review app is only for "
        f"assessors (hub group <code>{html.escape(names[ASSESSOR])}</code>) and internal "
        f"quality assurers (hub group <code>{html.escape(names[IQA])}</code>).</p>"
        "<p>If you are a trainee, your answers are saved in your own notebooks and your "
        "assessor sees them here. If you should have access, ask your centre to add you to "
        "the right group.</p><p><a href=\"/hub/home\">Back to the hub home page</a></p>"
        "</main></body></html>")


def voila_service_command(port: int, base_url: str, apps_dir: str,
                          python: str = sys.executable) -> list[str]:
    """Voila for the review app only: loopback, the visitor's headers to the kernel.

    The token is not on the command line (other users could read it there): `main` passes
    it in the environment (`ilcs.present.voila_environment`).
    """
    from ilcs.present import voila_command

    command = voila_command(port, preheat=False, apps_dir=None, python=python)
    command[3] = os.path.join(apps_dir, REVIEW_NOTEBOOK)  # one notebook, nothing else served
    return [*command, f"--Voila.base_url={base_url}",
            f"--VoilaConfiguration.http_header_envs={SERVICE_USER_HEADER}",
            f"--VoilaConfiguration.http_header_envs={SERVICE_ROLE_HEADER}"]


def make_app(voila_port: int, voila_token: str, prefix: str, hub_auth: Any = None) -> Any:
    """The Tornado application: OAuth callback, the gate and the forwarding to Voila.

    `hub_auth` defaults to a `HubOAuth` configured from the hub's environment.
    """
    from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
    from tornado import httpclient, web, websocket

    if hub_auth is None:
        hub_auth = HubOAuth(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=60)
    upstream = f"127.0.0.1:{voila_port}"

    class Gate(HubOAuthenticated, web.RequestHandler):
        """Allow assessors and IQAs through; show a 403 page to everyone else."""

        def initialize(self) -> None:
            self.hub_auth = hub_auth

        def allowed(self) -> tuple[str, str] | None:
            model = self.current_user
            role = staff_role(model, os.environ)
            if role is None:
                self.set_status(403)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(forbidden_page(str(model.get("name", "")), os.environ))
                return None
            return str(model["name"]), role

        def upstream_headers(self, who: tuple[str, str]) -> dict[str, str]:
            headers = {k: v for k, v in self.request.headers.get_all()
                       if k.lower() not in _DROP}
            headers["Authorization"] = f"token {voila_token}"
            headers["X-Ilcs-Hub-User"], headers["X-Ilcs-Hub-Role"] = who
            return headers

    class Forward(Gate):
        """Plain HTTP requests (pages, static files, kernel REST calls)."""

        @web.authenticated
        async def get(self, *_args: str) -> None:
            await self._forward()

        @web.authenticated
        async def post(self, *_args: str) -> None:
            await self._forward()

        async def _forward(self) -> None:
            who = self.allowed()
            if who is None:
                return
            path = self.request.uri
            if path.rstrip("/") == prefix.rstrip("/"):
                path = f"{prefix}"  # the service's home is the review notebook itself
            body = self.request.body if self.request.method == "POST" else None
            request = httpclient.HTTPRequest(
                f"http://{upstream}{path}", method=self.request.method, body=body,
                headers=self.upstream_headers(who), follow_redirects=False,
                request_timeout=300, allow_nonstandard_methods=True)
            response = await httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
            self.set_status(response.code, response.reason)
            seen: set[str] = set()
            for name, value in response.headers.get_all():
                key = name.lower()
                if key in ("content-length", "transfer-encoding", "connection",
                           "content-encoding", "set-cookie", "server"):
                    continue
                # set replaces Tornado's own default (e.g. Content-Type: text/html)
                (self.add_header if key in seen else self.set_header)(name, value)
                seen.add(key)
            if response.body:
                self.write(response.body)
            self.finish()

    class Sockets(Gate, websocket.WebSocketHandler):
        """The widgets' WebSocket to the kernel, forwarded both ways."""

        upstream_socket: Any = None

        async def get(self, *args: str) -> None:
            if self.current_user is None:
                raise web.HTTPError(403)
            who = self.allowed()
            if who is None:
                return
            url = f"ws://{upstream}{self.request.uri}"
            request = httpclient.HTTPRequest(url, headers=self.upstream_headers(who))
            self.upstream_socket = await websocket.websocket_connect(
                request, on_message_callback=self._from_upstream, max_message_size=1 << 30)
            await super().get(*args)

        def _from_upstream(self, message: str | bytes | None) -> None:
            if message is None:
                self.close()
                return
            if self.ws_connection is not None:
                self.write_message(message, binary=isinstance(message, bytes))

        async def on_message(self, message: str | bytes) -> None:
            if self.upstream_socket is not None:
                await self.upstream_socket.write_message(message,
                                                         binary=isinstance(message, bytes))

        def on_close(self) -> None:
            if self.upstream_socket is not None:
                self.upstream_socket.close()

        def check_origin(self, origin: str) -> bool:
            return urlsplit(origin).netloc == self.request.host

    class Callback(HubOAuthCallbackHandler):
        """The OAuth callback, with the same `HubOAuth` as the gate.

        The callback must read the state the gate stored when it sent the visitor to log in: on
        JupyterHub 6 that state holds the PKCE code verifier, kept in the `HubOAuth` object's
        memory. Left alone, the handler would use `HubOAuth.instance()`, another object, find no
        verifier and fail with "Code verifier required".
        """

        def initialize(self) -> None:
            self.hub_auth = hub_auth

    return web.Application([
        (f"{prefix}oauth_callback", Callback),
        (f"{prefix}(api/kernels/[^/]+/channels.*)", Sockets),
        (f"{prefix}(.*)", Forward),
    ], cookie_secret=secrets.token_bytes(32), hub_auth=hub_auth)


def main() -> int:
    """Start Voila (review app only) and the gate in front of it, as the hub asks."""
    from tornado import ioloop

    from ilcs import paths
    from ilcs.present import free_port, stop_server, voila_environment, wait_until_listening

    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")
    service_url = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    token = secrets.token_hex(32)
    port = free_port()
    env = voila_environment(token=token)
    env[SERVICE_ENV] = "1"
    for name in ("JUPYTERHUB_USER", "JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN"):
        env.pop(name, None)  # the kernel is not the service: it acts for the visitor only
    proc = subprocess.Popen(
        voila_service_command(port, prefix, str(paths.apps_dir())),
        cwd=str(paths.voila_config_dir()), env=env, start_new_session=True)
    try:
        wait_until_listening(port, proc)
        app = make_app(port, token, prefix)
        # On Kubernetes the service URL names the hub's Service: listen on every address.
        host = os.environ.get("ILCS_REVIEW_SERVICE_IP") or service_url.hostname or "127.0.0.1"
        app.listen(service_url.port or 80, host)
        loop = ioloop.IOLoop.current()
        # The hub stops its services with SIGINT or SIGTERM: stop the loop, then Voila.
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: loop.add_callback_from_signal(loop.stop))
        loop.start()
    finally:
        stop_server(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
