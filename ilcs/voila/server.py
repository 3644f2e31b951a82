"""The Voila application `ilcs present` runs: Voila plus a kernel cap page and a token.

    python -m ilcs.voila.server APPS_DIR [Voila options]

- An app that already has `ClassroomKernelManager.max_kernels_per_app` kernels gets a short
  page in words ("this app is full, close a tab or try again in a minute"), not an error.
- A token (`Voila.token`, or the `ILCS_VOILA_TOKEN` environment variable so that it never
  shows in the process list) protects the server. `ClassroomIdentityProvider.open_notebooks`
  lists the notebooks anyone on this computer may open without it (the class apps, on
  loopback only); everything else, the review app included, needs the token. With an empty
  list every page needs the token (`ilcs present --ip ...`).
"""

from __future__ import annotations

import html
import os
import re
import sys
from typing import Any

from jupyter_server.auth.identity import PasswordIdentityProvider, User
from tornado import web
from traitlets import List, Unicode, default
from voila.app import Voila  # type: ignore[import-untyped]
from voila.tornado.handler import TornadoVoilaHandler  # type: ignore[import-untyped]

from ilcs.voila import TOKEN_ENV
from ilcs.voila.kernels import ClassroomKernelManager, notebook_from_render_path

# Addresses a page needs besides its own: scripts, styles, themes, pictures.
_OPEN_PREFIXES = (
    "voila/static/", "voila/templates/", "voila/labextensions/", "voila/api/themes/",
    "voila/files/", "favicon.ico",
)
# Addresses that act on one kernel: open exactly when the kernel runs an open notebook.
_KERNEL_PATH = re.compile(
    r"^(?:api/kernels|voila/query|voila/api/shutdown|voila/execution)/"
    r"(?P<kernel_id>[0-9a-fA-F-]{36})(?:/channels)?/?$"
)


def kernel_manager_of(handler: web.RequestHandler) -> ClassroomKernelManager | None:
    manager = handler.settings.get("kernel_manager")
    return manager if isinstance(manager, ClassroomKernelManager) else None


class ClassroomIdentityProvider(PasswordIdentityProvider):
    """Token (or password) login, except for the notebooks listed in `open_notebooks`."""

    open_notebooks = List(
        Unicode(),
        default_value=[],
        config=True,
        help="Notebooks (relative to the apps folder) that need no token; empty: none.",
    )

    def is_open(self, handler: web.RequestHandler) -> bool:
        """True when this request may be served without the token."""
        if not self.open_notebooks:
            return False
        base_url = str(handler.settings.get("base_url", "/"))
        path = handler.request.path
        notebook = notebook_from_render_path(path, base_url)
        if notebook is not None:
            return notebook in self.open_notebooks
        if not path.startswith(base_url):
            return False
        relative = path[len(base_url):].lstrip("/")
        if ".." in relative:
            return False
        if relative.startswith(_OPEN_PREFIXES):
            return True
        match = _KERNEL_PATH.match(relative)
        manager = kernel_manager_of(handler)
        if match is None or manager is None:
            return False
        return manager.notebook_of(match.group("kernel_id")) in self.open_notebooks

    async def _get_user(self, handler: web.RequestHandler) -> User | None:
        user = await super()._get_user(handler)
        if user is None and self.is_open(handler):
            # Not remembered in a cookie: the next request is judged afresh.
            return self.generate_anonymous_user(handler)
        return user


FULL_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>This app is full at the moment</title>
<style>
body {{ font-family: sans-serif; font-size: 1.25rem; line-height: 1.5; color: #1a1a1a;
       background: #ffffff; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }}
h1 {{ font-size: 1.75rem; }}
</style>
</head>
<body>
<main id="ilcs-main">
<h1>This app is full at the moment</h1>
<p>{count} copies of <strong>{title}</strong> are already open, which is as many as this
computer is set to run at once.</p>
<p>Close a tab you no longer need, then reload this page. A copy whose tab was closed is
shut down within a minute, so waiting a minute and reloading also works.</p>
<p>If this happens often, the trainer can start the apps with a higher limit:
<code>ilcs present --max-kernels N</code> (each copy needs about 150 MB of memory).</p>
</main>
</body>
</html>
"""


def full_page(notebook: str, count: int) -> str:
    """The page a viewer sees when the app's kernel cap is reached (plain words)."""
    from ilcs.apps import APPS

    titles = {app.notebook: app.title for app in APPS}
    title = titles.get(notebook, notebook.removesuffix(".ipynb"))
    return FULL_PAGE.format(count=count, title=html.escape(title))


class CappedVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler, refusing politely when the app has its most kernels."""

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        manager = kernel_manager_of(self)
        notebook = notebook_from_render_path(self.request.path, self.base_url)
        if manager is None or notebook is None:
            await super().get(path)
            return
        if not manager.try_open(notebook):
            count = manager.kernels_of(notebook)
            self.log.warning("Refused %s: %d kernels are running (the cap).", notebook, count)
            self.set_status(503)
            self.set_header("Retry-After", "60")
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
            self.finish(full_page(notebook, count))
            return
        # The reservation ends with the first piece of the page: by then the kernel has
        # started (or left the pool) and is counted itself.
        reserved = True
        try:
            async for snippet in self.get_generator(path=path):
                if reserved:
                    manager.opened(notebook)
                    reserved = False
                self.write(snippet)
                self.flush()
        finally:
            if reserved:
                manager.opened(notebook)


class ClassroomVoila(Voila):
    """Voila with the cap page handler and the classroom identity provider."""

    @default("identity_provider_class")
    def _default_identity_provider_class(self) -> type[ClassroomIdentityProvider]:
        return ClassroomIdentityProvider

    def initialize(self, argv: list[str] | None = None) -> None:
        # Taken out of the environment first, so no kernel (started from it) ever sees it.
        token = os.environ.pop(TOKEN_ENV, "")
        super().initialize(argv)
        if token and not self.token:  # type: ignore[has-type]
            self.token = token

    def init_handlers(self) -> list[Any]:
        handlers: list[Any] = []
        for handler in super().init_handlers():
            if handler[1] is TornadoVoilaHandler:
                handler = (handler[0], CappedVoilaHandler, *handler[2:])
            handlers.append(handler)
        return handlers


def main(argv: list[str] | None = None) -> None:
    ClassroomVoila.launch_instance(argv=argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
