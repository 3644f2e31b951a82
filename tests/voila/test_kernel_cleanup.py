"""A Voila server that cleans up after itself: real servers, started as `ilcs present` does,
serving tiny notebooks so that each test takes seconds.

- a kernel whose page never connected, or whose page closed, is shut down after the (here
  shortened) cull interval; a kernel with its page open is kept; the warm kernel stays;
- when an app has its most kernels, one more viewer gets a page in words (503), not an error;
- the review app needs the token (class apps do not, on loopback); with no open notebooks
  (`ilcs present --ip ...`) every page needs it.
Every test stops the server it started; `stop_server` also ends any kernel left behind.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ilcs.present import (
    HOST,
    free_port,
    open_notebooks,
    process_tree,
    start_server,
    stop_server,
    wait_until_listening,
)

pytestmark = pytest.mark.slow

CULL_AFTER_S = 3
CULL_EVERY_S = 1
TOKEN = "test-token-" + uuid.uuid4().hex


def write_notebook(folder: Path, name: str, source: str) -> None:
    (folder / f"{name}.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": name, "metadata": {},
                   "outputs": [], "source": source}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


@pytest.fixture()
def apps_dir(tmp_path: Path) -> Path:
    """Tiny stand-ins named like the real apps (the token rule is by notebook name)."""
    folder = tmp_path / "apps"
    folder.mkdir()
    for name in ("gallery", "class_quiz", "review"):
        write_notebook(folder, name, f"print('this is {name}')")
    return folder


class Server:
    def __init__(self, port: int, proc: Any) -> None:
        self.port = port
        self.proc = proc

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}/{path.lstrip('/')}"

    def kernels(self) -> list[int]:
        """Pids of the kernel processes this server runs."""
        tree = process_tree(self.proc.pid)
        return [pid for pid in tree if pid != self.proc.pid and _is_kernel(pid)]


def _is_kernel(pid: int) -> bool:
    try:
        return b"ipykernel_launcher" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


@pytest.fixture()
def serve(apps_dir: Path, tmp_path: Path) -> Iterator[Any]:
    """Start servers with the given settings; every one is stopped at the end."""
    started: list[Any] = []

    def start(**settings: Any) -> Server:
        port = free_port()
        proc = start_server(port, apps_dir=apps_dir, log_file=tmp_path / f"voila-{port}.log",
                            **settings)
        started.append(proc)
        wait_until_listening(port, proc)
        return Server(port, proc)

    try:
        yield start
    finally:
        for proc in started:
            stop_server(proc)
            assert proc.poll() is not None


def get(url: str) -> tuple[int, str, str]:
    """(status, final address after redirects, body); HTTP errors are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.url, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode("utf-8")


def kernel_id(page: str) -> str:
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                       page, re.S)
    assert config is not None, page[:500]
    return str(json.loads(config.group(1))["kernelId"])


def wait_for(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def kernel_status(server: Server, kid: str) -> int:
    return get(server.url(f"api/kernels/{kid}"))[0]


def in_own_loop(coroutine: Any) -> Any:
    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright may own this thread's loop
        return pool.submit(asyncio.run, coroutine).result()


async def connect_and_hold(server: Server, kid: str, seconds: float, cookie: str = "") -> int:
    """Open the kernel's websocket as a page does, hold it, close it. Returns the HTTP code
    of a refused connection (0 when it was accepted)."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://{HOST}:{server.port}/api/kernels/{kid}/channels?session_id={uuid.uuid4().hex}"
    request = HTTPRequest(url, headers={"Cookie": cookie} if cookie else {})
    try:
        conn = await websocket_connect(request)
    except HTTPClientError as error:
        return error.code
    await asyncio.sleep(seconds)
    conn.close()
    await asyncio.sleep(0.5)
    return 0


# -- culling ------------------------------------------------------------------------------


def test_an_abandoned_kernel_is_shut_down_and_the_warm_one_stays(serve: Any) -> None:
    server = serve(pools={"default": {"pool_size": 0}, "gallery.ipynb": {"pool_size": 1}},
                   cull_idle_timeout=CULL_AFTER_S, cull_interval=CULL_EVERY_S)
    assert wait_for(lambda: len(server.kernels()) == 1, 60), "the warm kernel did not start"
    warm = server.kernels()
    status, _, page = get(server.url("voila/render/class_quiz.ipynb"))
    assert status == 200 and "this is class_quiz" in page
    kid = kernel_id(page)
    assert kernel_status(server, kid) == 200  # the page's kernel is running
    assert len(server.kernels()) == 2
    # Nobody connected to it (the tab was closed at once): gone after the cull interval.
    assert wait_for(lambda: kernel_status(server, kid) == 404, 4 * (CULL_AFTER_S + CULL_EVERY_S))
    assert wait_for(lambda: server.kernels() == warm, 10), "the kernel's process is still there"
    time.sleep(2 * (CULL_AFTER_S + CULL_EVERY_S))
    assert server.kernels() == warm, "the warm kernel waiting in the pool was culled"


def test_a_kernel_is_kept_while_its_page_is_open_and_shut_down_after(serve: Any) -> None:
    server = serve(pools={"default": {"pool_size": 0}},
                   cull_idle_timeout=CULL_AFTER_S, cull_interval=CULL_EVERY_S)
    status, _, page = get(server.url("voila/render/class_quiz.ipynb"))
    assert status == 200
    kid = kernel_id(page)
    held_for = 3 * (CULL_AFTER_S + CULL_EVERY_S)
    assert in_own_loop(connect_and_hold(server, kid, held_for)) == 0
    assert kernel_status(server, kid) == 200, "culled although its page was open"
    # The page has now closed: its kernel goes after the cull interval, counted from then.
    assert wait_for(lambda: kernel_status(server, kid) == 404, 4 * (CULL_AFTER_S + CULL_EVERY_S))
    assert server.kernels() == []


def test_a_warm_kernel_taken_after_a_long_wait_is_not_culled_before_its_page_connects(
    serve: Any,
) -> None:
    cull_after = CULL_AFTER_S + 1
    server = serve(pools={"default": {"pool_size": 0}, "class_quiz.ipynb": {"pool_size": 1}},
                   cull_idle_timeout=cull_after, cull_interval=CULL_EVERY_S)
    assert wait_for(lambda: len(server.kernels()) == 1, 60), "the warm kernel did not start"
    time.sleep(2 * (cull_after + CULL_EVERY_S))  # warm, and idle, for longer than the limit
    status, _, page = get(server.url("voila/render/class_quiz.ipynb"))
    assert status == 200
    kid = kernel_id(page)
    time.sleep(1.5 * CULL_EVERY_S)  # a culling round passes while the page loads its scripts
    assert in_own_loop(connect_and_hold(server, kid, 0.5)) == 0
    assert kernel_status(server, kid) == 200


# -- the cap ------------------------------------------------------------------------------


def test_a_full_app_shows_a_page_in_words(serve: Any) -> None:
    server = serve(pools={"default": {"pool_size": 0}}, max_kernels=2)
    first = get(server.url("voila/render/class_quiz.ipynb"))
    second = get(server.url("voila/render/class_quiz.ipynb"))
    assert first[0] == 200 and second[0] == 200
    status, _, page = get(server.url("voila/render/class_quiz.ipynb"))
    assert status == 503
    assert "This app is full at the moment" in page
    assert "Close a tab you no longer need" in page and "within a minute" in page
    assert '<html lang="en">' in page
    assert "Traceback" not in page and "this is class_quiz" not in page
    assert len(server.kernels()) == 2  # no third kernel was started
    # The cap is per app: another app still opens.
    other = get(server.url("voila/render/gallery.ipynb"))
    assert other[0] == 200 and "this is gallery" in other[2]
    # A disguised address is the same app, and is refused too.
    assert get(server.url("voila/render/./x/../class_quiz.ipynb"))[0] == 503


def test_a_full_app_has_room_again_once_a_tab_has_gone(serve: Any) -> None:
    server = serve(pools={"default": {"pool_size": 0}}, max_kernels=1,
                   cull_idle_timeout=CULL_AFTER_S, cull_interval=CULL_EVERY_S)
    kid = kernel_id(get(server.url("voila/render/class_quiz.ipynb"))[2])
    assert get(server.url("voila/render/class_quiz.ipynb"))[0] == 503
    assert wait_for(lambda: kernel_status(server, kid) == 404, 4 * (CULL_AFTER_S + CULL_EVERY_S))
    status, _, page = get(server.url("voila/render/class_quiz.ipynb"))
    assert status == 200 and "this is class_quiz" in page


# -- the token ----------------------------------------------------------------------------


def test_the_review_app_needs_the_token_and_class_apps_do_not(serve: Any) -> None:
    assert "review.ipynb" not in open_notebooks(HOST)
    server = serve(pools={"default": {"pool_size": 0}}, token=TOKEN,
                   open_to_all=open_notebooks(HOST))
    # A class app opens without the token, and its page can talk to its kernel.
    status, _, page = get(server.url("voila/render/class_quiz.ipynb"))
    assert status == 200 and "this is class_quiz" in page
    assert in_own_loop(connect_and_hold(server, kernel_id(page), 0.5)) == 0
    # The review app without the token (or with a wrong one): the login form, not the app.
    for suffix in ("", "?token=wrong", "/", "?x=1"):
        status, final, page = get(server.url("voila/render/review.ipynb") + suffix)
        assert "this is review" not in page
        assert status in (200, 403, 404) and ("/login" in final or status != 200)
    for disguised in ("voila/render/./review.ipynb", "voila/render/x/../review.ipynb",
                      "voila/render/%72eview.ipynb", "voila/tree", ""):
        assert "this is review" not in get(server.url(disguised))[2]
    # With the token: the app, and its kernel.
    status, _, page = get(server.url("voila/render/review.ipynb") + f"?token={TOKEN}")
    assert status == 200 and "this is review" in page
    review_kernel = kernel_id(page)
    assert kernel_status(server, review_kernel) == 403  # not without the token
    assert in_own_loop(connect_and_hold(server, review_kernel, 0.5)) == 403
    assert get(server.url(f"api/kernels/{review_kernel}?token={TOKEN}"))[0] == 200


def test_with_no_open_notebook_every_page_needs_the_token(serve: Any) -> None:
    assert open_notebooks("0.0.0.0") == () and open_notebooks("192.168.1.20") == ()
    server = serve(pools={"default": {"pool_size": 0}}, token=TOKEN, open_to_all=())
    for name in ("gallery", "class_quiz", "review"):
        status, final, page = get(server.url(f"voila/render/{name}.ipynb"))
        assert f"this is {name}" not in page and "/login" in final
    status, _, page = get(server.url(f"voila/render/class_quiz.ipynb?token={TOKEN}"))
    assert status == 200 and "this is class_quiz" in page
    assert server.kernels(), "the page with the token started no kernel"
