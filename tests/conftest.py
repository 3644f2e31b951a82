"""Shared fixtures. Services that a user's fresh machine may lack (PostgreSQL, Chromium) are
skipped there with a clear reason; CI sets ILCS_REQUIRE_POSTGRES / ILCS_REQUIRE_BROWSER so
that a missing service fails the run instead of silently skipping."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _unavailable(reason: str, required_flag: str):
    if os.environ.get(required_flag) == "1":
        pytest.fail(f"{reason} ({required_flag}=1, so this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A SQLAlchemy URL of a reachable PostgreSQL server, or skip (fail in CI)."""
    url = os.environ.get("ILCS_TEST_POSTGRES_URL", DEFAULT_PG_URL)
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        _unavailable(f"no PostgreSQL server at {url}: {type(exc).__name__}", "ILCS_REQUIRE_POSTGRES")
    return url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium for Playwright, or skip (fail in CI)."""
    path = os.environ.get("ILCS_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not path:
        _unavailable("Chromium is not installed (apt-get install chromium)", "ILCS_REQUIRE_BROWSER")
    return str(path)


@pytest.fixture()
def ilcs_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty user data directory for one test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("ILCS_HOME", str(home))
    return home
