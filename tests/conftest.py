"""Shared fixtures. Services that a user's fresh machine may lack (PostgreSQL, Chromium) are
skipped there with a clear reason; CI sets ILCS_REQUIRE_POSTGRES / ILCS_REQUIRE_BROWSER so
that a missing service fails the run instead of silently skipping."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.stores import pg_url_with_schema

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


# ---- answer stores on SQLite and PostgreSQL (a fresh schema per test)


@pytest.fixture()
def pg_schema_url(request: pytest.FixtureRequest):
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import uuid

    import sqlalchemy as sa

    base = request.getfixturevalue("postgres_url")
    schema = f"ilcs_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield pg_url_with_schema(base, schema)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same store tests run against SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'answers.sqlite'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture()
def store(store_url: str):
    from ilcs.assessment.store import AnswerStore

    s = AnswerStore.open(store_url)
    yield s
    s.close()


@pytest.fixture()
def sqlite_store(tmp_path: Path):
    from ilcs.assessment.store import AnswerStore

    s = AnswerStore.open(f"sqlite:///{tmp_path / 'answers.sqlite'}")
    try:
        yield s
    finally:
        s.close()
