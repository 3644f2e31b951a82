"""A real Voila server, started as a trainer would (`ilcs present`), on a free loopback port.

Checks: every registered app renders with no error banner and no source code in the page,
nothing is fetched from the internet, the URL cannot swap the template or theme, a failing
app shows no traceback, a viewer cannot execute code in the kernel, Ctrl-C stops cleanly.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ilcs.apps import APPS
from ilcs.paths import PROJECT_DIR
from ilcs.present import app_url, free_port, start_server, wait_until_listening
from tests.support.processes import end_process_tree, start_process

pytestmark = pytest.mark.slow

ERROR_MARKERS = ("jp-OutputArea-error", "Traceback", "There was an error when executing cell")


def fetch(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def present_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """`ilcs present --no-browser --port N` running in the background; stopped with SIGINT."""
    port = free_port()
    out_file = tmp_path_factory.mktemp("present") / "out.txt"
    with open(out_file, "wb") as out:
        proc = start_process(
            [sys.executable, "-m", "ilcs", "present", "--no-browser", f"--port={port}"],
            cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 90
            while "Open http" not in out_file.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, out_file.read_text()
                time.sleep(0.2)
            printed = re.search(r"Open (http\S+)", out_file.read_text())
            assert printed is not None
            token = re.search(r"[?&]token=([^&\s]+)", printed.group(1))
            assert token is not None, "the address printed has no token"
            info = {"port": port, "proc": proc, "out": out_file, "token": token.group(1)}
            yield info
        finally:  # ilcs present, its Voila and their kernels: all of them, even on a timeout
            end_process_tree(proc, polite=signal.SIGINT, grace=60)


def test_present_prints_the_address_of_the_gallery(present_server: dict) -> None:
    text = present_server["out"].read_text()
    port, token = present_server["port"], present_server["token"]
    assert f"Open {app_url(port, token=token)}" in text
    assert "Ctrl-C" in text
    assert len(token) >= 24


def test_the_review_app_needs_the_printed_token(present_server: dict) -> None:
    port, token = present_server["port"], present_server["token"]
    with urllib.request.urlopen(app_url(port, "review.ipynb"), timeout=120) as response:
        assert "/login" in response.url  # the login form, not the app
        assert "widget-view+json" not in response.read().decode("utf-8")
    assert "widget-view+json" in fetch(app_url(port, "review.ipynb", token=token))


@pytest.mark.parametrize("app", APPS, ids=lambda a: a.name)
def test_app_renders_without_errors_or_source(present_server: dict, app) -> None:
    token = present_server["token"] if app.audience == "assessor" else ""
    page = fetch(app_url(present_server["port"], app.notebook, token=token))
    for marker in ERROR_MARKERS:
        assert marker not in page, f"{app.name}: error banner ({marker!r}) in the page"
    notebook = json.loads(app.path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            for line in "".join(cell["source"]).splitlines():
                if line.strip():
                    assert line.strip() not in page, f"{app.name}: source code in the page"
    assert "application/vnd.jupyter.widget-view+json" in page  # the app's widget was shown
    assert '<html lang="en">' in page
    assert '<main id="ilcs-main"' in page
    # Nothing from a CDN: no absolute http(s) URL in any src= or href= of the page.
    external = re.findall(r'(?:src|href)\s*=\s*["\'](https?://[^"\']+)', page)
    assert [u for u in external if not u.startswith("http://127.0.0.1")] == []
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page


def test_url_cannot_override_template_or_theme(present_server: dict) -> None:
    url = app_url(present_server["port"]) + "?voila-template=classic&voila-theme=dark"
    page = fetch(url)
    assert '<main id="ilcs-main"' in page  # still our template
    assert "theme-dark" not in page and 'data-jp-theme-light="true"' in page


def test_notebook_files_are_not_served_raw(present_server: dict) -> None:
    port = present_server["port"]
    for path in ("/voila/files/gallery.ipynb", "/files/gallery.ipynb"):
        with pytest.raises(urllib.error.HTTPError) as info:
            fetch(f"http://127.0.0.1:{port}{path}")
        assert info.value.code in (403, 404)


def test_a_viewer_cannot_execute_code_in_the_kernel(present_server: dict, tmp_path: Path) -> None:
    port = present_server["port"]
    page = fetch(app_url(port))
    config = json.loads(
        re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                  page, re.S).group(1)
    )
    kernel_id = config["kernelId"]
    marker = tmp_path / "executed.txt"
    replies = run_in_own_loop(_talk_to_kernel(port, kernel_id, marker))
    assert "kernel_info_reply" in replies  # the channel works: allowed messages get answers
    assert "execute_reply" not in replies and "execute_result" not in replies
    assert not marker.exists(), "code sent by a viewer ran in the kernel"


def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own (Playwright's sync API may own this thread's loop
    when the browser tests run in the same session)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _talk_to_kernel(port: int, kernel_id: str, marker: Path) -> list[str]:
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id={session}"
    conn = await websocket_connect(url)

    def message(msg_type: str, content: dict) -> str:
        return json.dumps({
            "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "viewer",
                       "session": session, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content,
            "channel": "shell", "buffers": [],
        })

    code = f"open({str(marker)!r}, 'w').write('ran')"
    await conn.write_message(message("execute_request", {
        "code": code, "silent": False, "store_history": False, "user_expressions": {},
        "allow_stdin": False, "stop_on_error": True}))
    await conn.write_message(message("kernel_info_request", {}))
    seen: list[str] = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            raw = await asyncio.wait_for(conn.read_message(), timeout=1)
        except asyncio.TimeoutError:
            if "kernel_info_reply" in seen:
                break
            continue
        if raw is None:
            break
        if isinstance(raw, str):
            seen.append(json.loads(raw)["header"]["msg_type"])
    conn.close()
    await asyncio.sleep(1)  # give a wrongly accepted execute_request time to run
    return seen


def test_ctrl_c_stops_cleanly(present_server: dict) -> None:
    proc = present_server["proc"]
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=60)
    out = present_server["out"].read_text()
    assert code == 0, out
    assert "Stopped." in out


def test_a_failing_app_shows_no_traceback(tmp_path: Path) -> None:
    apps = tmp_path / "apps"
    apps.mkdir()
    for name, source in (("gallery", "print('home')"),
                         ("broken", "raise ValueError('secret internal detail')")):
        (apps / f"{name}.ipynb").write_text(json.dumps({
            "cells": [{"cell_type": "code", "execution_count": None, "id": name,
                       "metadata": {}, "outputs": [], "source": source}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    port = free_port()
    proc = start_server(port, apps_dir=apps, log_file=tmp_path / "voila.log")
    try:
        wait_until_listening(port, proc)
        page = fetch(app_url(port, "broken.ipynb"))
    finally:
        end_process_tree(proc)
    assert "secret internal detail" not in page
    assert "Traceback" not in page and "raise ValueError" not in page
