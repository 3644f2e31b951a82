"""Browser fixtures: one preheated Voila server (as `ilcs present` runs it), Debian's Chromium
driven by Playwright, and a page on which any request to a non-loopback host is aborted AND
fails the test (the apps must work in an offline classroom)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ilcs.present import free_port, start_server, wait_until_listening
from tests.support.processes import end_process_tree

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's axe.min.js, as shipped by the axe-playwright-python package (test extra)."""
    from importlib.resources import files

    try:
        path = Path(str(files("axe_playwright_python").joinpath("axe.min.js")))
    except ModuleNotFoundError:
        pytest.fail("axe-playwright-python is not installed: run `python3 bootstrap.py test`, "
                    "or pip install -e '.[test]'")
    if not path.is_file():
        pytest.fail(f"{path} is missing: reinstall axe-playwright-python")
    return path


DEMO_CANDIDATES = 40  # an assessor's real caseload: the review app shows a full cohort


@pytest.fixture(scope="module")
def voila_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    from ilcs.assessment.demo import make_demo_cohort
    from ilcs.assessment.store import AnswerStore

    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    url = f"sqlite:///{tmp_path_factory.mktemp('cohort') / 'cohort.sqlite'}"
    with AnswerStore.open(url) as store:
        make_demo_cohort(store, DEMO_CANDIDATES)
    with pytest.MonkeyPatch.context() as env:  # the server (and its kernels) use this store
        env.setenv("ILCS_DATABASE_URL", url)
        env.setenv("ILCS_ASSESSOR", "A. Khan")
        proc = start_server(port, log_file=log)
    try:
        wait_until_listening(port, proc)
        yield port
    finally:
        end_process_tree(proc)


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    """Module-scoped on purpose: Playwright's sync API runs an event loop in this thread
    while it is open, which would break later tests that call asyncio.run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageWatch:
    """What a page did that it must not: requests leaving this computer, script errors."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.page_errors: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture()
def watched_page(browser) -> Iterator[tuple[object, PageWatch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(60_000)
    watch = PageWatch()
    page.route("**/*", watch.route)
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    try:
        yield page, watch
        assert watch.outside == [], f"requests left this computer: {watch.outside}"
        assert watch.page_errors == [], f"errors in the page: {watch.page_errors}"
    finally:
        context.close()
