"""Fixtures for the hub tests: a fresh PostgreSQL schema per test, and trainee logins that
are dropped afterwards (roles belong to the whole server, so each test makes unique ones)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest


@pytest.fixture()
def admin_url(postgres_url: str) -> Iterator[str]:
    """The centre admin's URL (the server's superuser here) on a fresh schema."""
    import sqlalchemy as sa

    schema = f"ilcs_hub_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = sa.make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            roles = conn.execute(sa.text(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE :p"),
                {"p": f"ilcs\\_t\\_{schema[-12:]}%"}).scalars().all()
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            for role in roles:
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE "{role}"')
        engine.dispose()


@pytest.fixture()
def user_prefix(admin_url: str) -> str:
    """A prefix for hub user names unique to this test (matches admin_url's clean-up)."""
    import sqlalchemy as sa

    options = sa.make_url(admin_url).query["options"]
    return str(options)[-12:]

