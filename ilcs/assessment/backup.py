"""Backing up and restoring the answer store (`ilcs backup`, `ilcs restore`).

SQLite: SQLite's online backup API copies the live store page by page through SQLite
itself, so the copy is consistent and includes what is still in the `-wal` file (recent
answers and decisions not yet written back into `answers.sqlite`). Copying the `.sqlite`
file alone can lose them. The copy is one self-contained file (rollback journal, no WAL).

PostgreSQL: `pg_dump --format=custom` (and `pg_restore`) when they are installed; a clear
message otherwise.

A backup is written to a temporary file and renamed: it is whole or not there at all. A
restore refuses to replace a store that holds anything unless `force` is given, and is
recorded in the restored store's audit trail.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ilcs.assessment.migrations import VERSION_TABLE, latest_version
from ilcs.assessment.store import STORE_ACTOR, AnswerStore
from ilcs.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
STORE_RESTORED = "store_restored"


@dataclass(frozen=True)
class BackupResult:
    file: Path
    size: int
    sha256: str
    answers: int
    audit_entries: int


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tmp(out: Path) -> Path:
    return out.with_name(f".{out.name}.tmp")


def _check_out(out: Path) -> None:
    if out.exists():
        raise StoreError(f"{out} already exists: choose a new name for this backup "
                         "(an older backup is never overwritten)")
    if not out.parent.is_dir():
        raise StoreError(f"the folder {out.parent} does not exist")


def backup(store: AnswerStore, out: str | Path) -> BackupResult:
    """Copy the store (open it with `migrate=False`: the copy is the store as it is)."""
    out = Path(out)
    _check_out(out)
    if store.schema_version() == 0:
        raise StoreError(f"{store.where} is not an answer store yet: nothing to back up")
    if store.dialect == "sqlite":
        _sqlite_backup(store, out)
    elif store.dialect == "postgresql":
        _pg_dump(store, out)
    else:
        raise StoreError(f"cannot back up a {store.dialect} database")
    counts = store.table_rows()
    return BackupResult(out, out.stat().st_size, _sha256(out), counts.get("answers", 0),
                        counts.get("audit_log", 0))


def _sqlite_path(store: AnswerStore) -> Path:
    database = store.engine.url.database
    if not database or database == ":memory:":
        raise StoreError("an in-memory store cannot be backed up or restored")
    return Path(database)


def _sqlite_connection(connection: object) -> sqlite3.Connection:
    if not isinstance(connection, sqlite3.Connection):
        raise StoreError("the SQLite store is not reached through Python's sqlite3 module")
    return connection


def _sqlite_backup(store: AnswerStore, out: Path) -> None:
    source = _sqlite_path(store)
    if out.resolve() == source.resolve():
        raise StoreError("the backup cannot be the store itself")
    tmp = _tmp(out)
    tmp.unlink(missing_ok=True)
    raw = store.engine.raw_connection()
    try:
        target = sqlite3.connect(tmp)
        try:
            _sqlite_connection(raw.driver_connection).backup(target)  # WAL content too
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            ok = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"the backup of {store.where} failed ({exc}); nothing was written"
                         ) from None
    finally:
        raw.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise StoreError(f"the copy of {store.where} did not pass SQLite's integrity check "
                         f"({ok}); nothing was written")
    os.replace(tmp, out)


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise StoreError(
            f"{name} is not installed here, so a PostgreSQL store cannot be "
            f"{'backed up' if name == 'pg_dump' else 'restored'} by ilcs: install the "
            "PostgreSQL client tools (e.g. `apt-get install postgresql-client`), or use your "
            "database service's own backups")
    return path


def _pg_args(store: AnswerStore) -> tuple[list[str], dict[str, str]]:
    """libpq connection arguments (the password goes in the environment, not argv) and
    the schema named by the URL's search_path, if any."""
    url = store.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    if url.database:
        args += ["--dbname", url.database]
    options = str(url.query.get("options", ""))
    if "search_path=" in options:
        schema = options.split("search_path=", 1)[1].split()[0].split(",")[0]
        args += ["--schema", schema]
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StoreError(f"{what} failed ({exc})") from None
    if done.returncode != 0:
        lines = [x for x in done.stderr.splitlines() if x.strip()]
        raise StoreError(f"{what} failed: {lines[0] if lines else f'exit {done.returncode}'}")


def _pg_dump(store: AnswerStore, out: Path) -> None:
    tool = _pg_tool("pg_dump")
    args, env = _pg_args(store)
    tmp = _tmp(out)
    tmp.unlink(missing_ok=True)
    try:
        _run([tool, "--format=custom", "--no-owner", "--file", str(tmp), *args], env,
             f"pg_dump of {store.where}")
    except StoreError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, out)


# ------------------------------------------------------------------------- restoring


def _kind(file: Path) -> str:
    try:
        with file.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        raise StoreError(f"{file}: file not found") from None
    except OSError as exc:
        raise StoreError(f"{file}: cannot be read ({exc.strerror})") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise StoreError(f"{file.name} is not an ilcs backup (neither an SQLite store nor a "
                     "pg_dump file)")


def _check_sqlite_backup(file: Path) -> int:
    """The schema version of an SQLite backup; StoreError if it is not a usable store."""
    try:
        db = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StoreError(f"{file.name} is damaged (SQLite's integrity check fails)")
            version = db.execute(f"SELECT max(version) FROM {VERSION_TABLE}").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{file.name} is not an answer store backup ({exc})") from None
    if version is None:
        raise StoreError(f"{file.name} is not an answer store backup (no schema version)")
    if int(version) > latest_version():
        raise StoreError(f"{file.name} was written by a newer ilcs (schema version {version}):"
                         " update ilcs before restoring it")
    return int(version)


def restore(file: str | Path, url: str | None, *, force: bool = False) -> AnswerStore:
    """Replace the store at `url` by the backup `file`; return the restored store, open.

    Refuses (StoreError) when the store already holds anything, unless `force`.
    """
    file = Path(file)
    kind = _kind(file)
    target = AnswerStore.open(url, migrate=False)
    try:
        if kind != target.dialect:
            names = {"sqlite": "an SQLite", "postgresql": "a PostgreSQL"}
            raise StoreError(f"{file.name} is {names[kind]} backup, but the store at "
                             f"{target.where} is {names.get(target.dialect, target.dialect)}")
        held = {t: n for t, n in target.table_rows().items() if n and t != VERSION_TABLE}
        if held and not force:
            listed = ", ".join(f"{n} in {t}" for t, n in sorted(held.items())[:4])
            raise StoreError(f"the store at {target.where} is not empty ({listed}): restoring "
                             "would replace it. Back it up first, then run again with --force")
        if kind == "sqlite":
            _check_sqlite_backup(file)
            _sqlite_restore(file, target)
        else:
            tool = _pg_tool("pg_restore")
            args, env = _pg_args(target)
            target.close()  # no connection of ours in the way of pg_restore
            _run([tool, "--no-owner", "--clean", "--if-exists", *args, str(file)], env,
                 f"pg_restore into {target.where}")
    finally:
        target.close()
    restored = AnswerStore.open(url)  # upgrades an older backup
    restored.audit(STORE_ACTOR, STORE_RESTORED, "", {
        "file": file.name, "sha256": _sha256(file), "replaced": held})
    return restored


def _sqlite_restore(file: Path, target: AnswerStore) -> None:
    raw = target.engine.raw_connection()
    try:
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            source.backup(_sqlite_connection(raw.driver_connection))  # through its locks
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise StoreError(f"restoring {file.name} into {target.where} failed ({exc})"
                         ) from None
    finally:
        raw.close()
