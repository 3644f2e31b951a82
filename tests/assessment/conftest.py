"""Fixtures for the assessment tests: a small bank, its keys, and a copy helper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


def _pg_url_with_schema(base: str, schema: str) -> str:
    import sqlalchemy as sa

    url = sa.make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


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
        yield _pg_url_with_schema(base, schema)
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
