"""Fixtures for the assessment tests: a small bank, its keys, and a copy helper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.stores import pg_url_with_schema as _pg_url_with_schema

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture()
def bank_dir() -> Path:
    return FIXTURES / "bank"


@pytest.fixture()
def keys_dir() -> Path:
    return FIXTURES / "keys"


@pytest.fixture()
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture bank (bank/ and keys/ side by side)."""
    shutil.copytree(FIXTURES / "bank", tmp_path / "bank")
    shutil.copytree(FIXTURES / "keys", tmp_path / "keys")
    return tmp_path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_store_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A maker of empty store URLs, as many as a test needs, all on one backend
    (SQLite files, or fresh PostgreSQL schemas dropped afterwards)."""
    import uuid

    import sqlalchemy as sa

    made: list[str] = []

    def make() -> str:
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / f'store-{uuid.uuid4().hex[:8]}.sqlite'}"
        schema = f"ilcs_test_{uuid.uuid4().hex[:12]}"
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        made.append(schema)
        return _pg_url_with_schema(base, schema)

    if request.param == "postgresql":
        base = request.getfixturevalue("postgres_url")
        engine = sa.create_engine(base)
    try:
        yield make
    finally:
        if request.param == "postgresql":
            with engine.begin() as conn:
                for schema in made:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            engine.dispose()
