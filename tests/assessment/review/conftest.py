"""Fixtures for Assessment II: a small bank with assessed questions, its keys, and stores
on SQLite and PostgreSQL (a fresh schema per test)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture()
def bank():
    from ilcs.assessment.questions import load_bank

    return load_bank(FIXTURES / "bank")


@pytest.fixture()
def keys(bank):
    from ilcs.assessment.questions import load_keys

    return load_keys(FIXTURES / "keys", bank=bank)


@pytest.fixture()
def pg_schema_url(postgres_url: str):
    import sqlalchemy as sa

    schema = f"ilcs_a2_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sa.make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    from ilcs.assessment.store import AnswerStore

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    s = AnswerStore.open(url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture()
def sqlite_store(tmp_path: Path):
    from ilcs.assessment.store import AnswerStore

    s = AnswerStore.open(f"sqlite:///{tmp_path / 'answers.sqlite'}")
    try:
        yield s
    finally:
        s.close()
