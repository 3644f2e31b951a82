"""The review service's gate: assessors and IQAs go through to the review app with their
login attached; a trainee gets a 403 page in words. The hub's OAuth is replaced by a fake
that says who is logged in, and Voila by a small server that echoes what it was sent."""

from __future__ import annotations

import json
from typing import Any

import jupyterhub  # noqa: E402, F401 - in the test extra: a missing hub fails, never skips
import pytest
from tornado import testing, web, websocket  # noqa: E402

from ilcs.hub import hub_user, review_role  # noqa: E402
from ilcs.voila import hub_service  # noqa: E402

PREFIX = "/services/ilcs-review/"
TOKEN = "voila-token-" + "0" * 20


class FakeHubOAuth:
    """What HubOAuthenticated asks of HubOAuth: the visitor's model, scopes to check."""

    access_scopes = None

    def __init__(self, model: dict[str, Any] | None) -> None:
        self.model = model

    def get_user(self, _handler: Any) -> dict[str, Any] | None:
        return self.model

    def _persist_url_token_if_set(self, _handler: Any) -> None:
        pass

    login_url = "/hub/login"

    def _get_xsrf_token_id(self, _handler: Any) -> str:
        return ""


class Echo(web.RequestHandler):
    def get(self, path: str) -> None:
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps({"path": self.request.path, "query": self.request.query,
                               "headers": dict(self.request.headers)}))


class EchoSocket(websocket.WebSocketHandler):
    def open(self, *_args: str) -> None:
        self.write_message(f"hello {self.request.headers.get('X-Ilcs-Hub-User')} "
                           f"{self.request.headers.get('Authorization')}")

    def on_message(self, message: str | bytes) -> None:
        self.write_message(message, binary=isinstance(message, bytes))


class GateTest(testing.AsyncHTTPTestCase):
    model: dict[str, Any] | None = None

    def get_app(self) -> web.Application:
        sock, port = testing.bind_unused_port()
        upstream = web.Application([(r".*/channels.*", EchoSocket), (r"(.*)", Echo)])
        server = testing.HTTPServer(upstream)
        server.add_sockets([sock])
        self.upstream_server = server
        return hub_service.make_app(port, TOKEN, PREFIX, hub_auth=FakeHubOAuth(self.model))

    def tearDown(self) -> None:
        self.upstream_server.stop()
        super().tearDown()


class TestAssessor(GateTest):
    model = {"name": "pat.assessor", "groups": ["assessors"], "kind": "user"}

    def test_goes_through_with_login_and_token_set_by_the_service(self) -> None:
        response = self.fetch(f"{PREFIX}voila/static/x.js?a=1",
                              headers={"X-Ilcs-Hub-User": "someone.else",
                                       "Authorization": "token forged"})
        assert response.code == 200
        sent = json.loads(response.body)
        assert sent["path"] == f"{PREFIX}voila/static/x.js" and sent["query"] == "a=1"
        assert sent["headers"]["X-Ilcs-Hub-User"] == "pat.assessor"
        assert sent["headers"]["X-Ilcs-Hub-Role"] == "assessor"
        assert sent["headers"]["Authorization"] == f"token {TOKEN}"
        # the app's own content type reaches the browser (not Tornado's text/html default)
        assert response.headers.get_list("Content-Type") == ["application/json"]


    @testing.gen_test
    async def test_the_widgets_socket_is_forwarded_both_ways(self) -> None:
        url = f"ws://127.0.0.1:{self.get_http_port()}{PREFIX}api/kernels/k1/channels?s=1"
        conn = await websocket.websocket_connect(url)
        assert await conn.read_message() == f"hello pat.assessor token {TOKEN}"
        await conn.write_message("comm message")
        assert await conn.read_message() == "comm message"
        await conn.write_message(b"\x00\x01", binary=True)
        assert await conn.read_message() == b"\x00\x01"
        conn.close()


class TestIqa(GateTest):
    model = {"name": "quinn", "groups": ["iqa", "trainees"], "kind": "user"}

    def test_an_iqa_is_passed_on_as_iqa(self) -> None:
        sent = json.loads(self.fetch(PREFIX).body)
        assert sent["headers"]["X-Ilcs-Hub-Role"] == "iqa"


class TestTrainee(GateTest):
    model = {"name": "asha", "groups": ["trainees"], "kind": "user"}

    def test_gets_a_clear_403_page_and_nothing_reaches_the_app(self) -> None:
        response = self.fetch(PREFIX)
        assert response.code == 403
        page = response.body.decode()
        assert "You cannot open the assessor review" in page
        assert "signed in as <b>asha</b>" in page and "<code>assessors</code>" in page
        assert "path" not in page  # the echo server was never asked

    @testing.gen_test
    async def test_cannot_open_the_widgets_socket(self) -> None:
        from tornado.httpclient import HTTPClientError

        url = f"ws://127.0.0.1:{self.get_http_port()}{PREFIX}api/kernels/k1/channels"
        with pytest.raises(HTTPClientError) as info:
            await websocket.websocket_connect(url)
        assert info.value.code == 403


class TestNotLoggedIn(GateTest):
    model = None

    def test_is_sent_to_the_hub_login(self) -> None:
        response = self.fetch(PREFIX, follow_redirects=False)
        assert response.code == 302
        assert response.headers["Location"].startswith("/hub/login")


def test_the_kernel_reads_the_visitor_from_the_service_headers_only() -> None:
    service = {"ILCS_REVIEW_SERVICE": "1", "HTTP_X_ILCS_HUB_USER": "pat.assessor",
               "HTTP_X_ILCS_HUB_ROLE": "iqa", "JUPYTERHUB_USER": "ilcs-review"}
    assert hub_user(service) == "pat.assessor"
    assert review_role(service) == "iqa"
    # outside the service the headers mean nothing
    assert hub_user({"HTTP_X_ILCS_HUB_USER": "pat"}) is None
    assert review_role({"ILCS_REVIEW_ROLE": "iqa"}) == "iqa"
    assert review_role({}) == "assessor"


def test_in_the_service_a_missing_role_is_an_error_not_a_guess() -> None:
    from ilcs.errors import ConfigError

    with pytest.raises(ConfigError, match="through the hub"):
        review_role({"ILCS_REVIEW_SERVICE": "1", "HTTP_X_ILCS_HUB_ROLE": "trainee"})


def test_voila_serves_only_the_review_notebook_on_loopback(tmp_path) -> None:
    command = hub_service.voila_service_command(8123, PREFIX, str(tmp_path))
    assert command[3] == str(tmp_path / "review.ipynb")
    assert "--Voila.ip=127.0.0.1" in command
    assert not any("token" in part.lower() for part in command)  # never on the command line
    assert f"--Voila.base_url={PREFIX}" in command
    assert "--VoilaConfiguration.http_header_envs=X-Ilcs-Hub-User" in command
