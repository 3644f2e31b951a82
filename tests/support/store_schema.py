"""Describe an answer store's schema as plain data, to compare two stores in tests.

Tables, columns (type, nullability, default), primary keys, unique constraints, indexes,
and triggers (with their definition), as the database itself reports them.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa


def _triggers(conn: sa.Connection) -> dict[str, str]:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
        return {name: " ".join(sql.split()) for name, sql in rows}
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    rows = conn.exec_driver_sql(
        "SELECT t.tgname, pg_get_triggerdef(t.oid), t.tgenabled FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()").all()
    return {name: f"{definition.replace(f'{schema}.', '')} [{enabled}]"
            for name, definition, enabled in rows}


def _default(value: Any) -> str | None:
    if value is None:
        return None
    # PostgreSQL names each table's id sequence: the same name in every schema.
    return re.sub(r"\s+", " ", str(value))


def describe(engine: sa.Engine, *, triggers: bool = True) -> dict[str, Any]:
    """Everything about the schema of `engine`'s database that a migration decides."""
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        tables: dict[str, Any] = {}
        for name in sorted(inspector.get_table_names()):
            tables[name] = {
                "columns": [(c["name"], str(c["type"]), bool(c["nullable"]),
                             _default(c.get("default"))) for c in inspector.get_columns(name)],
                "primary_key": inspector.get_pk_constraint(name)["constrained_columns"],
                "unique": sorted(tuple(u["column_names"])
                                 for u in inspector.get_unique_constraints(name)),
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in inspector.get_indexes(name)),
            }
        out: dict[str, Any] = {"tables": tables}
        if triggers:
            out["triggers"] = _triggers(conn)
        return out
