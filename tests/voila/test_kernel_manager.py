"""`ClassroomKernelManager` without a server: which app a kernel belongs to, the cap, the
idle clock that culling reads, and how a page address names a notebook."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from jupyter_server._tz import utcnow

from ilcs.voila.kernels import ClassroomKernelManager, notebook_from_render_path

LONG_AGO = utcnow() - timedelta(hours=2)


def in_own_loop(coroutine: Any) -> Any:
    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright may own this thread's loop
        return pool.submit(asyncio.run, coroutine).result()


def manager_with(kernels: dict[str, str | None], max_kernels: int = 2) -> ClassroomKernelManager:
    """A manager that believes it runs `kernels` (id -> notebook), none of them pooled."""
    manager = ClassroomKernelManager(max_kernels_per_app=max_kernels)
    for kernel_id, notebook in kernels.items():
        manager._kernels[kernel_id] = SimpleNamespace(last_activity=LONG_AGO)
        manager._kernel_connections[kernel_id] = 0
        if notebook is not None:
            manager._kernel_notebooks[kernel_id] = notebook
    return manager


@pytest.mark.parametrize(("path", "notebook"), [
    ("/voila/render/review.ipynb", "review.ipynb"),
    ("/voila/render/./review.ipynb", "review.ipynb"),
    ("/voila/render//review.ipynb", "review.ipynb"),
    ("/voila/render/x/../review.ipynb", "review.ipynb"),
    ("/voila/render/%72eview.ipynb", "review.ipynb"),
    ("/voila/render/sub/app.ipynb", "sub/app.ipynb"),
    ("/voila/render/../review.ipynb", None),
    ("/voila/render/", None),
    ("/voila/tree", None),
    ("/api/kernels/abc", None),
])
def test_a_page_address_names_its_notebook_however_it_is_written(
    path: str, notebook: str | None
) -> None:
    assert notebook_from_render_path(path) == notebook


def test_a_base_url_is_taken_into_account() -> None:
    assert notebook_from_render_path("/apps/voila/render/gallery.ipynb", "/apps/") == (
        "gallery.ipynb")
    assert notebook_from_render_path("/voila/render/gallery.ipynb", "/apps/") is None


def test_kernels_are_counted_per_app_and_the_cap_holds() -> None:
    manager = manager_with({"k1": "class_quiz.ipynb", "k2": "gallery.ipynb", "k3": None})
    assert manager.kernels_of("class_quiz.ipynb") == 1
    assert manager.try_open("class_quiz.ipynb")  # second of two: allowed, reserved
    assert manager.kernels_of("class_quiz.ipynb") == 2
    assert not manager.try_open("class_quiz.ipynb")  # a third: refused, even before it starts
    assert manager.try_open("gallery.ipynb")  # the cap is per app
    manager.opened("class_quiz.ipynb")  # the reservation ends (its kernel is counted itself)
    assert manager.kernels_of("class_quiz.ipynb") == 1
    manager.opened("class_quiz.ipynb")  # one too many: never below zero
    assert manager.kernels_of("class_quiz.ipynb") == 1


def test_warm_kernels_waiting_in_the_pool_are_not_counted_against_the_cap() -> None:
    manager = manager_with({"warm": None, "used": "class_quiz.ipynb"}, max_kernels=1)
    manager.notebook_data = {"class_quiz.ipynb": {"kernel_ids": {"warm", "used"}}}  # type: ignore[attr-defined]

    async def scenario() -> tuple[int, bool]:
        warm = asyncio.get_running_loop().create_future()
        warm.set_result({"kernel_id": "warm"})
        manager._pools = {"class_quiz.ipynb": [warm]}  # type: ignore[attr-defined]
        return manager.kernels_of("class_quiz.ipynb"), manager.try_open("class_quiz.ipynb")

    assert manager.notebook_of("warm") == "class_quiz.ipynb"  # known from Voila's pool data
    assert in_own_loop(scenario()) == (1, False)


def test_the_idle_clock_restarts_when_the_last_page_disconnects() -> None:
    manager = manager_with({"k1": "class_quiz.ipynb"})
    manager.notify_connect("k1")
    manager.notify_connect("k1")  # two tabs on the same kernel
    manager.notify_disconnect("k1")
    assert manager._kernels["k1"].last_activity == LONG_AGO  # one page is still open
    before = utcnow()
    manager.notify_disconnect("k1")
    assert manager._kernels["k1"].last_activity >= before


def test_a_culling_round_restarts_the_clock_of_warm_kernels_only(monkeypatch) -> None:
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    manager = manager_with({"warm": None, "left": "class_quiz.ipynb"})
    rounds: list[str] = []

    async def culling_round(self: Any) -> None:
        rounds.append("culled")

    monkeypatch.setattr(AsyncMappingKernelManager, "cull_kernels", culling_round)

    async def scenario() -> None:
        warm = asyncio.get_running_loop().create_future()
        warm.set_result({"kernel_id": "warm"})
        manager._pools = {"class_quiz.ipynb": [warm]}  # type: ignore[attr-defined]
        await manager.cull_kernels()

    before = utcnow()
    in_own_loop(scenario())
    assert rounds == ["culled"]
    assert manager._kernels["warm"].last_activity >= before
    assert manager._kernels["left"].last_activity == LONG_AGO


def test_a_kernel_shut_down_is_forgotten() -> None:
    manager = manager_with({})

    async def scenario() -> None:
        await manager.shutdown_kernel("gone")  # unknown: quiet

    manager._kernel_notebooks["gone"] = "class_quiz.ipynb"
    in_own_loop(scenario())
    assert manager.notebook_of("gone") is None


def test_shutdown_all_is_quiet_about_a_kernel_already_gone() -> None:
    """Voila's Ctrl-C calls shutdown_all, which shuts each kernel down through
    `_async_shutdown_kernel`, not `shutdown_kernel`: a kernel that vanished in between (a pool
    kernel replaced or culled) must not turn a clean stop into an error."""
    manager = manager_with({})

    async def scenario() -> None:
        await manager._async_shutdown_kernel("vanished")  # unknown: quiet, no HTTP 404

    in_own_loop(scenario())
