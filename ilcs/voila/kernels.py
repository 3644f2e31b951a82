"""The kernel manager `ilcs present` gives Voila (named in voila.json).

Every opening of an app page starts a kernel (about 150 MiB) that lives on after the tab is
closed. This manager shuts such kernels down soon after their page has gone, caps the number
of kernels per app, and keeps the warm kernels waiting in Voila's pool:

- "Page gone" = no websocket connection. jupyter_server's culler, set in voila.json with
  `cull_connected: false` and a short `cull_idle_timeout`, shuts down a kernel that has had
  no connection and no activity for that long. This manager restarts the idle clock when the
  last connection closes and, for pool kernels, at every culling round, so a kernel taken
  from the pool an hour after it warmed up is not culled before its page has connected.
- A warm kernel in the pool is never culled (Voila does not replace a culled one, so a
  trainer who started the apps an hour before class would get slow, cold starts).
- `max_kernels_per_app` caps the kernels of one app (warm ones waiting in the pool are not
  counted); `ilcs.voila.server` shows a page in words when an app is full.

It also stops quietly when a kernel is already gone at shutdown (a pool kernel replaced or
culled a moment before Ctrl-C): Voila would otherwise end with an error after a clean stop.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import unquote

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Int

from ilcs.voila import DEFAULT_MAX_KERNELS_PER_APP

RENDER_PREFIX = "/voila/render/"


def notebook_from_render_path(path: str, base_url: str = "/") -> str | None:
    """'review.ipynb' for '/voila/render/./review.ipynb' (None if not a render address).

    The path is decoded and normalised, so `%2e`, `.` and `..` cannot disguise a notebook."""
    prefix = base_url.rstrip("/") + RENDER_PREFIX
    if not path.startswith(prefix):
        return None
    relative = posixpath.normpath(unquote(path[len(prefix):]).lstrip("/"))
    if relative in (".", "") or relative.startswith(".."):
        return None
    return relative


class ClassroomKernelManager(AsyncMappingKernelManager):
    """Culls kernels whose page has gone, caps kernels per app, keeps the warm ones."""

    max_kernels_per_app = Int(
        DEFAULT_MAX_KERNELS_PER_APP,
        config=True,
        help="Most kernels one app may have at once (warm kernels waiting are not counted).",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._kernel_notebooks: dict[str, str] = {}
        self._opening: dict[str, int] = {}

    # -- which app a kernel belongs to -------------------------------------------------

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        kernel_id: str = await super().start_kernel(*args, **kwargs)
        env = kwargs.get("env") or {}
        notebook = notebook_from_render_path(str(env.get("SCRIPT_NAME", "")))
        if notebook is not None:
            self._kernel_notebooks[kernel_id] = notebook
        return kernel_id

    def notebook_of(self, kernel_id: str) -> str | None:
        """The notebook (relative to the apps folder) a kernel runs, if known."""
        if kernel_id in self._kernel_notebooks:
            return self._kernel_notebooks[kernel_id]
        for notebook, data in getattr(self, "notebook_data", {}).items():
            if kernel_id in data.get("kernel_ids", ()):
                return str(notebook)
        return None

    def pooled_kernel_ids(self) -> set[str]:
        """Ids of the started kernels in Voila's pools (empty when nothing is preheated)."""
        ids: set[str] = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    # -- the cap -----------------------------------------------------------------------

    def kernels_of(self, notebook: str) -> int:
        """Kernels of one app in use or starting (warm ones waiting in the pool excluded)."""
        pooled = self.pooled_kernel_ids()
        running = sum(
            1 for kernel_id in self.list_kernel_ids()
            if kernel_id not in pooled and self.notebook_of(kernel_id) == notebook
        )
        return running + self._opening.get(notebook, 0)

    def try_open(self, notebook: str) -> bool:
        """Reserve a kernel for one more viewer of `notebook`; False when the app is full.

        Call `opened(notebook)` once the page has been served (its kernel is then counted)."""
        if self.kernels_of(notebook) >= self.max_kernels_per_app:
            return False
        self._opening[notebook] = self._opening.get(notebook, 0) + 1
        return True

    def opened(self, notebook: str) -> None:
        """End the reservation made by `try_open`."""
        left = self._opening.get(notebook, 0) - 1
        if left > 0:
            self._opening[notebook] = left
        else:
            self._opening.pop(notebook, None)

    # -- culling -----------------------------------------------------------------------

    def _restart_idle_clock(self, kernel_id: str) -> None:
        kernel = self._kernels.get(kernel_id)
        if kernel is not None:
            kernel.last_activity = utcnow()

    def notify_disconnect(self, kernel_id: str) -> None:
        """The idle clock of a kernel starts when its last page disconnects."""
        super().notify_disconnect(kernel_id)
        if self._kernel_connections.get(kernel_id, 0) <= 0:
            self._restart_idle_clock(kernel_id)

    async def cull_kernels(self) -> None:
        for kernel_id in self.pooled_kernel_ids():
            self._restart_idle_clock(kernel_id)
        await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self.pooled_kernel_ids():
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def _async_shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """What `shutdown_all` calls for each kernel (it does not go through `shutdown_kernel`):
        a kernel that has gone already (a pool kernel replaced or culled a moment before
        Ctrl-C) is not an error."""
        try:
            await super()._async_shutdown_kernel(kernel_id, *args, **kwargs)
        except web.HTTPError as exc:
            if exc.status_code != 404:
                raise

    async def shutdown_kernel(  # type: ignore[override]  # jupyter_client types it sync
        self, kernel_id: str, *args: Any, **kwargs: Any
    ) -> None:
        """Shut a kernel down; one that no longer exists is already where we want it."""
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        except web.HTTPError as exc:
            if exc.status_code != 404:
                raise
        finally:
            if kernel_id not in self._kernels:
                self._kernel_notebooks.pop(kernel_id, None)
