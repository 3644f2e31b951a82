"""The answer store: every answer saved outside the notebook, the moment it is given.

SQLite by default (`answers.sqlite` in the user's data directory, WAL mode, busy timeout),
PostgreSQL when `ILCS_DATABASE_URL` is set or a URL is passed (e.g. a centre's JupyterHub).
The schema is versioned (`ilcs.assessment.migrations`): an old store is upgraded on open, a
store written by a newer ilcs is refused.

- answers: append-only; every save is a new row; "latest" is a query.
- audit_log: append-only; who, action, what, when, details (JSON).
- candidates: the profile of each candidate.

All writes go through `AnswerStore.transaction()`: the ONE place where transactions begin,
commit, roll back and turn database errors into a `StoreError` a user can read.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ilcs.assessment import schema
from ilcs.assessment.migrations import MIGRATIONS, Migration, create_version_table, latest_version
from ilcs.errors import StoreError, UsageError
from ilcs.paths import user_data_dir

DATABASE_URL_ENV = "ILCS_DATABASE_URL"
SQLITE_FILE = "answers.sqlite"
BUSY_TIMEOUT_MS = 30_000
_PG_MIGRATION_LOCK = 2550_601_3  # pg_advisory_xact_lock key: one migrator at a time
MODES = ("practice", "assessed")


def now_iso() -> str:
    """The current time in UTC, ISO 8601 with microseconds: sorts as text on every backend."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 kept (used for hashing too)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def default_url() -> str:
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{user_data_dir() / SQLITE_FILE}"


@dataclass(frozen=True)
class Answer:
    id: int
    answer_uid: str
    candidate_id: str
    question_id: str
    response: Any
    mode: str
    bank_version: str
    saved_at: str
    recorded_at: str
    origin: str
    pack_sha256: str | None = None

    def to_pack(self) -> dict[str, Any]:
        """The fields an evidence pack carries (store-local ids left out)."""
        return {
            "answer_uid": self.answer_uid,
            "question_id": self.question_id,
            "response": self.response,
            "mode": self.mode,
            "bank_version": self.bank_version,
            "saved_at": self.saved_at,
        }


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Candidate:
    candidate_id: str
    name: str
    candidate_number: str
    centre: str
    assessor: str | None
    updated_at: str


def _answer(row: sa.Row) -> Answer:
    m = row._mapping
    return Answer(
        id=m["id"], answer_uid=m["answer_uid"], candidate_id=m["candidate_id"],
        question_id=m["question_id"], response=json.loads(m["response"]), mode=m["mode"],
        bank_version=m["bank_version"], saved_at=m["saved_at"], recorded_at=m["recorded_at"],
        origin=m["origin"], pack_sha256=m["pack_sha256"],
    )


def _candidate(row: sa.Row) -> Candidate:
    m = row._mapping
    return Candidate(candidate_id=m["candidate_id"], name=m["name"],
                     candidate_number=m["candidate_number"], centre=m["centre"],
                     assessor=m["assessor"], updated_at=m["updated_at"])


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN (pysqlite would defer it).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the write lock up front: no deadlock upgrading a read lock later.
        write = conn.get_execution_options().get("ilcs_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class AnswerStore:
    """One answer store (SQLite file or PostgreSQL database). Use `AnswerStore.open()`."""

    def __init__(self, engine: sa.Engine,
                 migrations: tuple[Migration, ...] = MIGRATIONS
                 ) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.where = engine.url.render_as_string(hide_password=True)
        self.migrations = migrations

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True,
             migrations: tuple[Migration, ...] = MIGRATIONS,
             ) -> AnswerStore:
        """Open (and create or upgrade) the store at `url`, `ILCS_DATABASE_URL` or the default.

        `migrations`: the chain to apply (tests pass a longer or shorter one).
        Raise StoreError if it cannot be reached or was written by a newer ilcs.
        """
        raw = url or default_url()
        try:
            parsed = sa.make_url(raw)
        except sa.exc.ArgumentError:
            raise StoreError(f"'{raw}' is not a database URL (e.g. sqlite:///answers.sqlite "
                             "or postgresql+psycopg://user@host/db)") from None
        if parsed.get_backend_name() == "sqlite":
            engine = _sqlite_engine(parsed)
        else:
            try:
                # One idle connection per process: a hub with hundreds of trainee kernels
                # must not hold hundreds of connections each (see docs/assessment.md).
                engine = sa.create_engine(parsed, pool_pre_ping=True, pool_size=1,
                                          max_overflow=9)
            except (sa.exc.ArgumentError, ImportError, sa.exc.NoSuchModuleError) as exc:
                raise StoreError(f"cannot use database {parsed.render_as_string()}: {exc}"
                                 ) from None
        store = cls(engine, migrations)
        try:
            if migrate:
                store.migrate()
            else:
                store._check_version(store.schema_version())
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> AnswerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[sa.Connection]:
        """The one place a transaction begins, commits or rolls back.

        Either everything inside happens or nothing does. Database errors become a
        StoreError saying what was not saved; an IntegrityError is re-raised unchanged so
        callers can treat a duplicate as "already there".
        """
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(ilcs_write=True)
                with conn.begin():
                    yield conn
        except sa.exc.IntegrityError:
            raise
        except (sa.exc.OperationalError, sa.exc.InternalError) as exc:
            raise StoreError(
                f"the answer store at {self.where} could not be used "
                f"({_short(exc)}); nothing from this step was saved"
            ) from None
        except sa.exc.ProgrammingError as exc:
            raise StoreError(
                f"the answer store at {self.where} refused the operation ({_short(exc)})"
            ) from None

    # --------------------------------------------------------------- migrations

    def schema_version(self) -> int:
        """The store's schema version; 0 for an empty database."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(schema.schema_version.name):
                return 0
            value = conn.execute(sa.select(sa.func.max(schema.schema_version.c.version))
                                 ).scalar()
            return int(value or 0)

    def _check_version(self, version: int) -> None:
        latest = latest_version(self.migrations)
        if version > latest:
            raise StoreError(
                f"the answer store at {self.where} has schema version {version}, but this "
                f"ilcs only knows versions up to {latest}: it was written by a newer ilcs. "
                "Update ilcs (pip install -U ilcs) before opening it; nothing was changed."
            )

    def migrate(self) -> int:
        """Bring the schema up to date (safe when many processes open at once)."""
        try:
            current = self.schema_version()
        except sa.exc.DBAPIError as exc:
            hint = ""
            if self.dialect == "sqlite" and "not a database" in str(exc):
                hint = ("; the file is damaged or is not an answer store: move it aside (keep "
                        "it for your assessor) and ilcs will start a new one")
            raise StoreError(f"cannot open the answer store at {self.where} ({_short(exc)})"
                             f"{hint}") from None
        self._check_version(current)
        if current == latest_version(self.migrations):
            return current
        with self.transaction() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"),
                             {"k": _PG_MIGRATION_LOCK})
            create_version_table(conn)
            current = int(conn.execute(
                sa.select(sa.func.max(schema.schema_version.c.version))).scalar() or 0)
            self._check_version(current)
            for migration in self.migrations:
                if migration.version <= current:
                    continue
                migration.upgrade(conn)
                conn.execute(sa.insert(schema.schema_version).values(
                    version=migration.version, description=migration.description,
                    applied_at=now_iso()))
                current = migration.version
        return current

    # ------------------------------------------------------------------ answers

    def save_answer(
        self,
        candidate_id: str,
        question_id: str,
        response: Any,
        mode: str,
        bank_version: str,
        *,
        answer_uid: str | None = None,
        saved_at: str | None = None,
        actor: str | None = None,
    ) -> Answer:
        """Save one answer now, in one short transaction, with its audit entry.

        Idempotent on `answer_uid`: saving the same uid again returns the first save.
        """
        if mode not in MODES:
            raise UsageError(f"mode must be one of {MODES}, found {mode!r}")
        try:
            text = canonical_json(response)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"this answer cannot be saved: {exc}") from None
        uid = answer_uid or uuid.uuid4().hex
        row = {
            "answer_uid": uid, "candidate_id": candidate_id, "question_id": question_id,
            "response": text, "mode": mode, "bank_version": bank_version,
            "saved_at": saved_at or now_iso(), "origin": "notebook", "pack_sha256": None,
        }
        try:
            with self.transaction() as conn:
                stamp = now_iso()
                new_id = conn.execute(sa.insert(schema.answers).values(
                    **row, recorded_at=stamp)).inserted_primary_key[0]
                self._audit_answers(conn, [row], stamp, actor or candidate_id)
            return Answer(id=int(new_id), response=json.loads(text), recorded_at=stamp,
                          **{k: v for k, v in row.items() if k != "response"})
        except sa.exc.IntegrityError as exc:
            # The uid is already saved (a retry, or another process at the same moment):
            # the whole transaction was rolled back; return the first save.
            with self.transaction(write=False) as conn:
                saved = self._answer_by_uid(conn, uid)
            if saved is None:
                raise StoreError(f"this answer could not be saved ({_short(exc)})") from None
            return saved

    def insert_answers(self, conn: sa.Connection, rows: Iterable[Mapping[str, Any]],
                       *, actor: str) -> int:
        """Append answers and their audit entries inside the caller's transaction."""
        stamp = now_iso()
        values = [{**r, "recorded_at": stamp} for r in rows]
        if not values:
            return 0
        conn.execute(sa.insert(schema.answers), values)
        self._audit_answers(conn, values, stamp, actor)
        return len(values)

    def _audit_answers(self, conn: sa.Connection, rows: list[Mapping[str, Any]], stamp: str,
                       actor: str) -> None:
        conn.execute(sa.insert(schema.audit_log), [
            {"at": stamp, "actor": actor, "action": "answer_saved",
             "subject": f"{v['candidate_id']}/{v['question_id']}",
             "details": canonical_json({"answer_uid": v["answer_uid"], "mode": v["mode"],
                                        "origin": v["origin"]})}
            for v in rows
        ])

    def _answer_by_uid(self, conn: sa.Connection, uid: str) -> Answer | None:
        row = conn.execute(sa.select(schema.answers).where(
            schema.answers.c.answer_uid == uid)).first()
        return _answer(row) if row is not None else None

    def existing_uids(self, conn: sa.Connection, uids: Iterable[str]) -> set[str]:
        uids = list(uids)
        found: set[str] = set()
        for start in range(0, len(uids), 500):
            chunk = uids[start:start + 500]
            found |= set(conn.execute(sa.select(schema.answers.c.answer_uid).where(
                schema.answers.c.answer_uid.in_(chunk))).scalars())
        return found

    def answer_history(self, candidate_id: str, question_id: str | None = None) -> list[Answer]:
        """Every save of a candidate (for one question if given), oldest first."""
        a = schema.answers
        query = sa.select(a).where(a.c.candidate_id == candidate_id)
        if question_id is not None:
            query = query.where(a.c.question_id == question_id)
        with self.transaction(write=False) as conn:
            rows = conn.execute(query.order_by(a.c.saved_at, a.c.id)).all()
        return [_answer(r) for r in rows]

    def latest_answers(self, candidate_id: str) -> dict[str, Answer]:
        """The latest answer to each question the candidate has answered."""
        latest: dict[str, Answer] = {}
        for answer in self.answer_history(candidate_id):
            latest[answer.question_id] = answer  # history is oldest first
        return latest

    def all_latest_answers(self) -> list[Answer]:
        """The latest answer of every candidate to every question (one query)."""
        a = schema.answers
        ranked = sa.select(
            a,
            sa.func.row_number().over(
                partition_by=(a.c.candidate_id, a.c.question_id),
                order_by=(a.c.saved_at.desc(), a.c.id.desc()),
            ).label("rank"),
        ).subquery()
        query = sa.select(*[ranked.c[c.name] for c in a.columns]).where(ranked.c.rank == 1)
        with self.transaction(write=False) as conn:
            rows = conn.execute(query.order_by(ranked.c.candidate_id, ranked.c.question_id)
                                ).all()
        return [_answer(r) for r in rows]

    def count_answers(self, candidate_id: str | None = None) -> int:
        a = schema.answers
        query = sa.select(sa.func.count()).select_from(a)
        if candidate_id is not None:
            query = query.where(a.c.candidate_id == candidate_id)
        with self.transaction(write=False) as conn:
            return int(conn.execute(query).scalar() or 0)

    # --------------------------------------------------------------- candidates

    def save_candidate(self, candidate_id: str, *, name: str = "", candidate_number: str = "",
                       centre: str = "", assessor: str | None = None,
                       actor: str | None = None, updated_at: str | None = None) -> Candidate:
        """Create or update a candidate's profile (audited)."""
        values = {"name": name, "candidate_number": candidate_number, "centre": centre,
                  "assessor": assessor, "updated_at": updated_at or now_iso()}
        for _attempt in range(2):
            try:
                with self.transaction() as conn:
                    self.upsert_candidate(conn, candidate_id, values, actor=actor)
                break
            except sa.exc.IntegrityError:
                continue  # created by another process just now: update it instead
        found = self.candidate(candidate_id)
        assert found is not None
        return found

    def upsert_candidate(self, conn: sa.Connection, candidate_id: str,
                         values: Mapping[str, Any], *, actor: str | None) -> None:
        c = schema.candidates
        exists = conn.execute(sa.select(c.c.candidate_id).where(
            c.c.candidate_id == candidate_id)).first()
        if exists:
            conn.execute(sa.update(c).where(c.c.candidate_id == candidate_id).values(**values))
        else:
            conn.execute(sa.insert(c).values(candidate_id=candidate_id, **values))
        self.audit(actor or candidate_id, "profile_saved", candidate_id,
                   {k: v for k, v in values.items() if k != "updated_at"}, conn=conn)

    def candidate(self, candidate_id: str) -> Candidate | None:
        c = schema.candidates
        with self.transaction(write=False) as conn:
            row = conn.execute(sa.select(c).where(c.c.candidate_id == candidate_id)).first()
        return _candidate(row) if row is not None else None

    def candidates(self) -> list[Candidate]:
        c = schema.candidates
        with self.transaction(write=False) as conn:
            rows = conn.execute(sa.select(c).order_by(c.c.name, c.c.candidate_id)).all()
        return [_candidate(r) for r in rows]

    # -------------------------------------------------------------------- audit

    def audit(self, actor: str, action: str, subject: str = "",
              details: Mapping[str, Any] | None = None, *,
              conn: sa.Connection | None = None) -> None:
        """Append one entry to the audit trail (inside `conn`'s transaction if given)."""
        row = {"at": now_iso(), "actor": actor, "action": action, "subject": subject,
               "details": canonical_json(dict(details or {}))}
        if conn is not None:
            conn.execute(sa.insert(schema.audit_log).values(**row))
            return
        with self.transaction() as own:
            own.execute(sa.insert(schema.audit_log).values(**row))

    def audit_trail(self, *, subject: str | None = None, actor: str | None = None,
                    action: str | None = None, subject_prefix: str | None = None,
                    ) -> list[AuditEntry]:
        """Audit entries, oldest first, filtered by subject, actor and/or action."""
        log = schema.audit_log
        query = sa.select(log)
        if subject is not None:
            query = query.where(log.c.subject == subject)
        if subject_prefix is not None:
            query = query.where(log.c.subject.startswith(subject_prefix, autoescape=True))
        if actor is not None:
            query = query.where(log.c.actor == actor)
        if action is not None:
            query = query.where(log.c.action == action)
        with self.transaction(write=False) as conn:
            rows = conn.execute(query.order_by(log.c.id)).all()
        return [AuditEntry(id=r.id, at=r.at, actor=r.actor, action=r.action, subject=r.subject,
                           details=json.loads(r.details)) for r in rows]


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


_OPEN: dict[str, AnswerStore] = {}
_OPEN_LOCK = threading.Lock()


def default_store(url: str | None = None) -> AnswerStore:
    """The store for this process (opened once per URL and kept open): for notebooks."""
    key = url or default_url()
    with _OPEN_LOCK:
        store = _OPEN.get(key)
        if store is None:
            store = AnswerStore.open(key)
            _OPEN[key] = store
        return store
