"""The kernel manager `ilcs present` gives Voila (named in voila.json).

Voila culls kernels left idle by viewers who closed their tab; the warm kernels waiting in
Voila's pool are idle too, by design, and Voila does not replace one that is culled. So a
trainer who started the apps an hour before class would get slow, cold starts. This manager
culls as usual but never a kernel that is still waiting in the pool.

It also stops quietly when a kernel is already gone at shutdown (a pool kernel replaced or
culled a moment before Ctrl-C): Voila would otherwise end with an error after a clean stop.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web


class ClassroomKernelManager(AsyncMappingKernelManager):
    """Culls idle kernels, except the preheated ones waiting for their first viewer."""

    def pooled_kernel_ids(self) -> set[str]:
        """Ids of the started kernels in Voila's pools (empty when nothing is preheated)."""
        ids: set[str] = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if kernel_id in self.pooled_kernel_ids():
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(  # type: ignore[override]  # jupyter_client types it sync
            self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Shut a kernel down; one that no longer exists is already where we want it."""
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        except web.HTTPError as exc:
            if exc.status_code != 404:
                raise
