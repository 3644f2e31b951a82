"""Store URLs for the tests: a PostgreSQL URL whose search_path is a given schema."""

from __future__ import annotations


def pg_url_with_schema(base: str, schema: str) -> str:
    import sqlalchemy as sa

    url = sa.make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)
