"""The answer store: every answer saved outside the notebook, the moment it is given.

SQLite by default (`answers.sqlite` in the user's data directory, WAL mode, busy timeout),
PostgreSQL when `ILCS_DATABASE_URL` is set or a URL is passed (e.g. a centre's JupyterHub).
The schema is versioned (`ilcs.assessment.migrations`): an old store is upgraded on open, a
store written by a newer ilcs is refused.

- answers: append-only; every save is a new row; "latest" is a query.
- audit_log: append-only; who, action, what, when, details (JSON); hash-chained (each entry
  carries the previous entry's hash, `ilcs.assessment.audit_chain`).
- candidates: the profile of each candidate; the review tables (`review_tables`).

The one gateway: all SQL of ilcs is here. Everything else calls typed methods of
`AnswerStore`. All writes go through `AnswerStore.transaction()`: the ONE place where
transactions begin, commit, roll back and turn database errors into a `StoreError` a user
can read. `verify()` checks the chain, the append-only guards and rows (`ilcs store verify`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import sqlalchemy as sa

from ilcs.assessment import review_tables as rt
from ilcs.assessment import schema
from ilcs.assessment.audit_chain import (
    CHAIN_STARTED,
    GENESIS,
    ROWS_KEY,
    SEAL_KEY,
    SEALED_COLUMNS,
    entry_hash,
    row_digest,
    seal_digest,
)
from ilcs.assessment.identity import same_person
from ilcs.assessment.migrations import (
    APPEND_ONLY,
    MIGRATIONS,
    PG_GUARD_BODY,
    PG_GUARD_FUNCTION,
    TRAINEE_ROWS_VERSION,
    Migration,
    create_version_table,
    latest_version,
    pg_row_guard,
    pg_truncate_guard,
    sqlite_guards,
)
from ilcs.errors import StoreConflictError, StoreError, UsageError
from ilcs.paths import user_data_dir

if TYPE_CHECKING:  # the pure core's records; imported for types only (no pandas on start-up)
    from ilcs.assessment.decisions import ActionPoint, Decision, EvidenceRecord, SignOff
    from ilcs.assessment.sampling import IqaVerdict

# A transaction of the store, as yielded by `AnswerStore.transaction()`: pass it back to the
# store's methods that take `conn` to do several things all-or-nothing.
Transaction = sa.Connection

DATABASE_URL_ENV = "ILCS_DATABASE_URL"
SQLITE_FILE = "answers.sqlite"
BUSY_TIMEOUT_MS = 30_000
_PG_MIGRATION_LOCK = 2550_601_3  # pg_advisory_xact_lock key: one migrator at a time
_PG_WRITE_LOCK = 2550_601_5  # pg_advisory_xact_lock key: one writer at a time
MODES = ("practice", "assessed")
STORE_ACTOR = "ilcs"  # who the store itself is in the audit trail (e.g. a guard put back)
GUARD_RESTORED = "guard_restored"

_log = logging.getLogger("ilcs.store")


def now_iso() -> str:
    """The current time in UTC, ISO 8601 with microseconds: sorts as text on every backend."""
    return iso_utc(datetime.now(timezone.utc))


def iso_utc(value: datetime) -> str:
    """A UTC time as the store writes it: `YYYY-MM-DDTHH:MM:SS.ffffffZ`."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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


@dataclass(frozen=True)
class AuditRecord:
    """An audit entry to write with the rows of one action, in the same transaction."""

    actor: str
    action: str
    subject: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MarkRow:
    """A mark of one saved answer (by the auto-marker or an assessor)."""

    answer_uid: str
    candidate_id: str
    question_id: str
    status: str
    score: float | None
    marked_by: str
    marked_at: str
    points: tuple[str, ...] = ()
    feedback: str = ""


@dataclass(frozen=True)
class IqaSample:
    """One decision drawn into an IQA sample (`id` is given by the store)."""

    sample_ref: str
    decision_id: int
    candidate_id: str
    criterion_id: str
    assessor: str
    stage: str
    iqa: str
    reason: str
    drawn_at: str
    id: int | None = None


@dataclass(frozen=True)
class PackRecord:
    """An evidence pack as imported (one row per distinct pack)."""

    pack_sha256: str
    candidate_id: str
    created_at: str
    imported_at: str
    imported_by: str
    bank_version: str
    answer_count: int
    new_answers: int
    file_name: str


@dataclass(frozen=True)
class Rows:
    """The rows of one read, with their column names (for a frame)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class ReviewRows:
    """Everything the review reads, in one consistent read of the store."""

    answers: Rows  # latest assessed answer per question with its latest mark
    candidates: Rows
    decisions: Rows
    action_points: Rows
    signoffs: Rows
    evidence_records: Rows
    iqa_samples: Rows
    iqa_verdicts: Rows
    assessor_profiles: Rows


@dataclass(frozen=True)
class GuardProblem:
    """An append-only guard trigger that is not as ilcs made it."""

    table: str
    trigger: str
    found: str  # missing | altered | switched off
    found_sql: str | None = None

    def __str__(self) -> str:
        return f"the guard trigger {self.trigger} of table {self.table} is {self.found}"


@dataclass(frozen=True)
class VerifyReport:
    """What `AnswerStore.verify()` found: nothing wrong when `problems` is empty."""

    where: str
    entries: int  # audit entries checked
    head: tuple[int, str] | None  # the last entry's id and hash: note it to detect removals
    first_broken: str | None  # the first broken audit entry, in words
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _entry_label(row: sa.Row[Any]) -> str:
    """An audit entry in words: its id, UK date and time (UTC), who and what."""
    at = str(row.at)
    when = f"{at[8:10]}/{at[5:7]}/{at[0:4]} {at[11:19]} UTC" if len(at) >= 19 else at
    subject = f" {row.subject!r}" if row.subject else ""
    return f"audit entry {row.id} ({when}, {row.actor}, {row.action}{subject})"


def _rows(result: sa.CursorResult[Any]) -> Rows:
    return Rows(columns=tuple(result.keys()), rows=[tuple(r) for r in result.all()])


def _answer(row: sa.Row[Any]) -> Answer:
    return _answer_from(row._mapping)


def _answer_from(m: Mapping[Any, Any]) -> Answer:
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
             migrations: tuple[Migration, ...] = MIGRATIONS, restore_guards: bool = True,
             must_exist: bool = False) -> AnswerStore:
        """Open (and create or upgrade) the store at `url`, `ILCS_DATABASE_URL` or the default.

        `migrate=False`: open as it is (no upgrade, nothing put back); `must_exist`: refuse
        an SQLite store that does not exist yet instead of creating it.
        `migrations`: the chain to apply (tests pass a longer or shorter one).
        `restore_guards`: put back a missing or altered append-only guard and record that
        in the audit trail, or, on PostgreSQL with a login that may not, refuse to open
        (`ilcs store verify` opens without, to report them).
        Raise StoreError if it cannot be reached or was written by a newer ilcs.
        """
        raw = url or default_url()
        try:
            parsed = sa.make_url(raw)
        except sa.exc.ArgumentError:
            raise StoreError(f"'{raw}' is not a database URL (e.g. sqlite:///answers.sqlite "
                             "or postgresql+psycopg://user@host/db)") from None
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ":memory:"
            if must_exist and (database == ":memory:" or not Path(database).is_file()):
                raise StoreError(f"there is no answer store at {database}")
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
                # The guards are those of this ilcs's whole chain (e.g. TRUNCATE guards come
                # with migration 4): a store held at an earlier version (a test of the
                # upgrade path) is not judged by them.
                if restore_guards and len(migrations) >= len(MIGRATIONS):
                    store._restore_guards()
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
        StoreError saying what was not saved; a duplicate key becomes a StoreConflictError
        so callers can treat it as "already there".
        """
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(ilcs_write=True)
                with conn.begin():
                    if write and self.dialect == "postgresql":
                        # One writer at a time, as SQLite's BEGIN IMMEDIATE: each new audit
                        # entry links to the latest one, so the chain never forks.
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"),
                                     {"k": _PG_WRITE_LOCK})
                    yield conn
        except sa.exc.IntegrityError as exc:
            raise StoreConflictError(
                f"the answer store at {self.where} already holds this ({_short(exc)}); "
                "nothing from this step was saved"
            ) from None
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

    def table_rows(self) -> dict[str, int]:
        """Every table of the store's database (its schema on PostgreSQL): its row count."""
        with self.transaction(write=False) as conn:
            names = sa.inspect(conn).get_table_names()
            return {name: int(conn.execute(sa.select(sa.func.count()).select_from(
                sa.table(name))).scalar() or 0) for name in sorted(names)}

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
                stored: dict[str, Any] = {**row, "recorded_at": stamp}
                stored["id"] = self._insert_returning_ids(conn, schema.answers, [stored])[0]
                self._audit_answers(conn, [stored], stamp, actor or candidate_id)
            return _answer_from(stored)
        except StoreConflictError as exc:
            # The uid is already saved (a retry, or another process at the same moment):
            # the whole transaction was rolled back; return the first save.
            with self.transaction(write=False) as conn:
                saved = self._answer_by_uid(conn, uid)
            if saved is None:
                raise StoreError(f"this answer could not be saved ({exc})") from None
            return saved

    def insert_answers(self, conn: Transaction, rows: Iterable[Mapping[str, Any]],
                       *, actor: str) -> int:
        """Append answers and their audit entries inside the caller's transaction."""
        stamp = now_iso()
        values = [{**r, "recorded_at": stamp} for r in rows]
        if not values:
            return 0
        conn.execute(sa.insert(schema.answers), values)
        stored = self.answers_by_uid(conn, [str(v["answer_uid"]) for v in values], raw=True)
        self._audit_answers(conn, sorted(stored.values(), key=lambda r: int(r["id"])), stamp,
                            actor)
        return len(values)

    def _audit_answers(self, conn: Transaction, rows: list[dict[str, Any]], stamp: str,
                       actor: str) -> None:
        """One audit entry per answer, carrying the digest of the row as stored."""
        self._append_audit(conn, [
            {"at": stamp, "actor": actor, "action": "answer_saved",
             "subject": f"{r['candidate_id']}/{r['question_id']}",
             "details": canonical_json({
                 "answer_uid": r["answer_uid"], "mode": r["mode"], "origin": r["origin"],
                 ROWS_KEY: {"answers": {str(r["id"]): row_digest("answers", r)}}})}
            for r in rows])

    def _answer_by_uid(self, conn: sa.Connection, uid: str) -> Answer | None:
        row = conn.execute(sa.select(schema.answers).where(
            schema.answers.c.answer_uid == uid)).first()
        return _answer(row) if row is not None else None

    @overload
    def answers_by_uid(self, conn: Transaction, uids: Iterable[str]) -> dict[str, Answer]: ...

    @overload
    def answers_by_uid(self, conn: Transaction, uids: Iterable[str], *, raw: Literal[True]
                       ) -> dict[str, dict[str, Any]]: ...

    def answers_by_uid(self, conn: Transaction, uids: Iterable[str], *, raw: bool = False
                       ) -> dict[str, Answer] | dict[str, dict[str, Any]]:
        """The answers stored under any of `uids` (inside the caller's transaction); `raw`:
        the rows as stored (response as JSON text)."""
        a = schema.answers
        uids = list(uids)
        rows: dict[str, dict[str, Any]] = {}
        for start in range(0, len(uids), 500):
            chunk = uids[start:start + 500]
            for row in conn.execute(sa.select(a).where(a.c.answer_uid.in_(chunk))):
                rows[row.answer_uid] = dict(row._mapping)
        if raw:
            return rows
        return {uid: _answer_from(r) for uid, r in rows.items()}

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
            except StoreConflictError:
                continue  # created by another process just now: update it instead
        found = self.candidate(candidate_id)
        if found is None:
            raise StoreError(f"the profile of {candidate_id} could not be saved in the answer "
                             f"store at {self.where}")
        return found

    def upsert_candidate(self, conn: Transaction, candidate_id: str,
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
              conn: Transaction | None = None) -> None:
        """Append one entry to the audit trail (inside `conn`'s transaction if given)."""
        row = {"at": now_iso(), "actor": actor, "action": action, "subject": subject,
               "details": canonical_json(dict(details or {}))}
        if conn is not None:
            self._append_audit(conn, [row])
            return
        with self.transaction() as own:
            self._append_audit(own, [row])

    def _append_audit(self, conn: Transaction, rows: list[dict[str, str]]) -> None:
        """Append entries to the hash chain (the write transaction serialises writers)."""
        log = schema.audit_log
        if self.dialect == "postgresql" and \
                latest_version(self.migrations) >= TRAINEE_ROWS_VERSION:
            # The latest hash, whoever wrote it: a trainee's login sees only their own rows.
            head = conn.execute(sa.text("SELECT ilcs_audit_head()")).scalar()
        else:
            head = conn.execute(sa.select(log.c.entry_hash).order_by(log.c.id.desc()).limit(1)
                                ).scalar()
        prev = GENESIS if head is None else str(head)
        linked = []
        for row in rows:
            digest = entry_hash(prev, row["at"], row["actor"], row["action"], row["subject"],
                                row["details"])
            linked.append({**row, "prev_hash": prev, "entry_hash": digest})
            prev = digest
        # Inserted in order, by this transaction alone: ids follow the chain.
        conn.execute(sa.insert(log), linked)

    @staticmethod
    def _insert_returning_ids(conn: Transaction, table: sa.Table,
                              rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows; their new ids, in the order of `rows`."""
        if len(rows) == 1:
            key = conn.execute(sa.insert(table).values(**rows[0])).inserted_primary_key
            if key is None:
                raise StoreError(f"the answer store at {conn.engine.url} gave no id for a new "
                                 f"row of {table.name}")
            return [int(key[0])]
        result = conn.execute(
            sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return [int(i) for i in result.scalars()]

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

    # ------------------------------------------------------------------- packs

    def pack_is_imported(self, conn: Transaction, pack_sha256: str) -> bool:
        p = schema.packs
        return conn.execute(sa.select(p.c.pack_sha256).where(
            p.c.pack_sha256 == pack_sha256)).first() is not None

    def current_pack(self, conn: Transaction, candidate_id: str) -> PackRecord | None:
        """The candidate's current pack: the newest by creation time (then import time)."""
        p = schema.packs
        row = conn.execute(sa.select(p).where(p.c.candidate_id == candidate_id).order_by(
            p.c.created_at.desc(), p.c.imported_at.desc()).limit(1)).first()
        return PackRecord(**row._mapping) if row is not None else None

    def add_pack(self, conn: Transaction, pack: PackRecord) -> None:
        conn.execute(sa.insert(schema.packs).values(
            pack_sha256=pack.pack_sha256, candidate_id=pack.candidate_id,
            created_at=pack.created_at, imported_at=pack.imported_at,
            imported_by=pack.imported_by, bank_version=pack.bank_version,
            answer_count=pack.answer_count, new_answers=pack.new_answers,
            file_name=pack.file_name))

    def candidates_with_number(self, conn: Transaction, candidate_number: str, centre: str,
                               *, other_than: str) -> list[str]:
        """Other candidate ids with the same candidate number at the same centre."""
        c = schema.candidates
        return list(conn.execute(sa.select(c.c.candidate_id).where(
            c.c.candidate_number == candidate_number, c.c.centre == centre,
            c.c.candidate_id != other_than)).scalars())

    def current_packs(self) -> dict[str, str]:
        """candidate_id -> sha256 of their current (newest) pack."""
        p = schema.packs
        with self.transaction(write=False) as conn:
            rows = conn.execute(sa.select(p.c.candidate_id, p.c.pack_sha256, p.c.created_at)
                                .order_by(p.c.created_at)).all()
        return {r.candidate_id: r.pack_sha256 for r in rows}

    # ------------------------------------------------------------ review: reading

    def review_rows(self, candidate_ids: Sequence[str] | None = None, *,
                    with_responses: bool = False) -> ReviewRows:
        """What the review needs (for some candidates only, when given), in one read."""
        query = _latest_marked_answers(with_responses, candidate_ids)
        with self.transaction(write=False) as conn:
            answers = _rows(conn.execute(query))
            tables = {t.name: self._read_table(conn, t, candidate_ids) for t in (
                schema.candidates, rt.decisions, rt.action_points, rt.signoffs,
                rt.evidence_records, rt.iqa_samples, rt.iqa_verdicts, rt.assessor_profiles)}
        return ReviewRows(answers=answers, **tables)

    @staticmethod
    def _read_table(conn: Transaction, table: sa.Table,
                    candidate_ids: Sequence[str] | None) -> Rows:
        query = sa.select(table)
        if candidate_ids is not None and "candidate_id" in table.c:
            query = query.where(table.c.candidate_id.in_(list(candidate_ids)))
        return _rows(conn.execute(query.order_by(*table.primary_key.columns)))

    def marked_answer_uids(self) -> set[str]:
        """The ids of every answer that has at least one mark."""
        with self.transaction(write=False) as conn:
            return set(conn.execute(sa.select(rt.marks.c.answer_uid).distinct()).scalars())

    def iqa_sample(self, sample_id: int) -> IqaSample | None:
        """One sampled decision by its id, or None."""
        s = rt.iqa_samples
        with self.transaction(write=False) as conn:
            row = conn.execute(sa.select(s).where(s.c.id == int(sample_id))).first()
        return IqaSample(**row._mapping) if row is not None else None

    def iqa_verdicts_of(self, sample_id: int) -> list[tuple[str, str, str]]:
        """The verdicts given on one sampled decision, oldest first: (verdict, iqa, at)."""
        v = rt.iqa_verdicts
        with self.transaction(write=False) as conn:
            rows = conn.execute(sa.select(v.c.verdict, v.c.iqa, v.c.at).where(
                v.c.sample_id == int(sample_id)).order_by(v.c.id)).all()
        return [(str(r.verdict), str(r.iqa), str(r.at)) for r in rows]

    # ------------------------------------------------------------ review: writing
    # Each action writes its rows and its audit entries in ONE transaction.

    def _write(self, table: sa.Table, groups: Sequence[tuple[AuditRecord, list[dict[str, Any]]]]
               ) -> None:
        """Append each group's rows and its audit entry, all in one transaction. Each entry
        carries the digest of every row it wrote (see `audit_chain`)."""
        with self.transaction() as conn:
            for audit, rows in groups:
                ids = self._insert_returning_ids(conn, table, rows) if rows else []
                details = dict(audit.details)
                if rows:
                    details[ROWS_KEY] = {table.name: {
                        str(i): row_digest(table.name, {**r, "id": i}) for i, r in zip(ids, rows)}}
                self.audit(audit.actor, audit.action, audit.subject, details, conn=conn)

    def add_marks(self, groups: Sequence[tuple[AuditRecord, Sequence[MarkRow]]]) -> None:
        """Marks, each group with the audit entry that records it."""
        self._write(rt.marks, [(audit, [{
            "answer_uid": m.answer_uid, "candidate_id": m.candidate_id,
            "question_id": m.question_id, "status": m.status,
            "score": None if m.score is None else float(m.score),  # as the database returns it
            "points": canonical_json(list(m.points)), "feedback": m.feedback,
            "marked_by": m.marked_by, "marked_at": m.marked_at} for m in marks])
            for audit, marks in groups])

    def add_decision(self, decision: Decision, audit: AuditRecord) -> None:
        self._write(rt.decisions, [(audit, [{
            "candidate_id": decision.candidate_id, "criterion_id": decision.criterion_id,
            "outcome": decision.outcome, "proposed": decision.proposed,
            "assessor": decision.assessor, "feedback": decision.feedback,
            "decided_at": iso_utc(decision.decided_at)}])])

    def add_action_point(self, point: ActionPoint, audit: AuditRecord) -> None:
        self._write(rt.action_points, [(audit, [{
            "candidate_id": point.candidate_id, "criterion_id": point.criterion_id,
            "action": point.action, "due": point.due.isoformat(), "set_by": point.set_by,
            "set_at": iso_utc(point.set_at)}])])

    def add_evidence_record(self, record: EvidenceRecord, audit: AuditRecord) -> None:
        self._write(rt.evidence_records, [(audit, [{
            "candidate_id": record.candidate_id, "criterion_id": record.criterion_id,
            "kind": record.kind, "description": record.description,
            "evidence_date": record.evidence_date.isoformat(),
            "recorded_by": record.recorded_by, "recorded_at": iso_utc(record.recorded_at)}])])

    def add_signoff(self, signoff: SignOff, audit: AuditRecord) -> None:
        self._write(rt.signoffs, [(audit, [{
            "candidate_id": signoff.candidate_id, "role": signoff.role, "name": signoff.name,
            "statement": signoff.statement, "signed_at": iso_utc(signoff.signed_at)}])])

    def add_iqa_samples(self, samples: Sequence[IqaSample], audit: AuditRecord) -> None:
        self._write(rt.iqa_samples, [(audit, [{
            "sample_ref": s.sample_ref, "decision_id": s.decision_id,
            "candidate_id": s.candidate_id, "criterion_id": s.criterion_id,
            "assessor": s.assessor, "stage": s.stage, "iqa": s.iqa, "reason": s.reason,
            "drawn_at": s.drawn_at} for s in samples])])

    def add_iqa_verdict(self, sample: IqaSample, verdict: IqaVerdict, *, at: str,
                        audit: AuditRecord) -> None:
        if sample.id is None:
            raise StoreError("an IQA verdict needs a sample item read from the store")
        self._write(rt.iqa_verdicts, [(audit, [{
            "sample_id": sample.id, "decision_id": sample.decision_id,
            "candidate_id": sample.candidate_id, "criterion_id": sample.criterion_id,
            "assessor": sample.assessor, "iqa": verdict.iqa, "verdict": verdict.verdict,
            "comment": verdict.comment, "at": at}])])

    def set_assessor_profile(self, assessor: str, *, risk: str, new: bool,
                             audit: AuditRecord) -> None:
        """Create or update the IQA's record of an assessor (the one table updated in place)."""
        p = rt.assessor_profiles
        values = {"risk": risk, "new": bool(new), "updated_at": now_iso()}
        with self.transaction() as conn:
            # One profile per person, however their name is typed (identity.same_person).
            known = [name for name in conn.execute(sa.select(p.c.assessor)).scalars()
                     if same_person(name, assessor)]
            if known:
                conn.execute(sa.update(p).where(p.c.assessor.in_(known)).values(**values))
            else:
                conn.execute(sa.insert(p).values(assessor=assessor, **values))
            self.audit(audit.actor, audit.action, audit.subject, audit.details, conn=conn)

    # ------------------------------------------------------ tamper evidence: guards

    def guard_problems(self) -> list[GuardProblem]:
        """Append-only guard triggers that are missing, altered or switched off."""
        with self.engine.connect() as conn:
            return self._guard_problems(conn)

    def _guard_problems(self, conn: Transaction) -> list[GuardProblem]:
        if self.dialect == "sqlite":
            return self._sqlite_guard_problems(conn)
        if self.dialect == "postgresql":
            return self._pg_guard_problems(conn)
        return []

    def _sqlite_guard_problems(self, conn: Transaction) -> list[GuardProblem]:
        rows = conn.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE type IN ('table', 'trigger')").all()
        tables = {r.name for r in rows if r.type == "table"}
        found = {r.name: (r.tbl_name, " ".join(str(r.sql).split()))
                 for r in rows if r.type == "trigger"}
        problems = []
        for table in APPEND_ONLY:
            if table not in tables:
                continue
            for name, sql in sqlite_guards(table).items():
                if name not in found:
                    problems.append(GuardProblem(table, name, "missing"))
                elif found[name] != (table, " ".join(sql.split())):
                    problems.append(GuardProblem(table, name, "altered", found[name][1]))
        return problems

    def _pg_guard_problems(self, conn: Transaction) -> list[GuardProblem]:
        tables = set(sa.inspect(conn).get_table_names())
        rows = conn.exec_driver_sql(
            "SELECT c.relname, t.tgname, t.tgtype, t.tgenabled, p.proname, p.prosrc "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema()").all()
        found = {r.tgname: r for r in rows}
        # tgtype bits: 1 row-level, 2 before, 8 delete, 16 update, 32 truncate.
        expected = {}
        for table in APPEND_ONLY:
            if table in tables:
                expected[pg_row_guard(table)[0]] = (table, 1 | 2 | 8 | 16)
                expected[pg_truncate_guard(table)[0]] = (table, 2 | 32)
        problems = []
        for name, (table, tgtype) in expected.items():
            row = found.get(name)
            if row is None:
                problems.append(GuardProblem(table, name, "missing"))
            elif (row.relname, int(row.tgtype), row.proname, " ".join(row.prosrc.split())) != (
                    table, tgtype, "ilcs_append_only", " ".join(PG_GUARD_BODY.split())):
                problems.append(GuardProblem(table, name, "altered"))
            elif row.tgenabled == "D":
                problems.append(GuardProblem(table, name, "switched off"))
        return problems

    def _restore_guards(self) -> list[GuardProblem]:
        """Put back a missing, altered or switched-off guard trigger and record it in the
        audit trail (never silently). Returns what was put back. On PostgreSQL only the
        owner of the tables may put a trigger back: any other login (a trainee's) is
        refused with a StoreError naming the trigger, and the store does not open."""
        if self.dialect not in ("sqlite", "postgresql") or not self.guard_problems():
            return []
        with self.transaction() as conn:
            problems = self._guard_problems(conn)  # again, now holding the write lock
            if self.dialect == "postgresql":
                self._check_may_restore(conn, problems)
            for problem in problems:
                self._put_back(conn, problem)
                self.audit(STORE_ACTOR, GUARD_RESTORED, problem.table, {
                    "trigger": problem.trigger, "found": problem.found,
                    "found_sql": problem.found_sql}, conn=conn)
        for problem in problems:
            _log.warning("ilcs: in the answer store at %s, %s; it was put back and this is "
                         "recorded in the audit trail (rows of %s may have been changed "
                         "before then: run `ilcs store verify`)", self.where, problem,
                         problem.table)
        return problems

    def _put_back(self, conn: Transaction, problem: GuardProblem) -> None:
        """One guard trigger as ilcs makes it (dropped first if it is there)."""
        if self.dialect == "sqlite":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {problem.trigger}")
            conn.exec_driver_sql(sqlite_guards(problem.table)[problem.trigger])
            return
        guards = dict([pg_row_guard(problem.table), pg_truncate_guard(problem.table)])
        conn.exec_driver_sql(PG_GUARD_FUNCTION)  # the function too, in case it was altered
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {problem.trigger} ON {problem.table}")
        conn.exec_driver_sql(guards[problem.trigger])

    def _check_may_restore(self, conn: Transaction, problems: list[GuardProblem]) -> None:
        """PostgreSQL: StoreError unless this login owns (or acts as the owner of) every
        table whose guard must be put back, and the guard function if it exists."""
        tables = sorted({p.table for p in problems})
        refused = conn.execute(sa.text(
            "SELECT c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = ANY(:tables) "
            "AND NOT pg_has_role(c.relowner, 'USAGE') "
            "UNION ALL SELECT p.proname FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname = 'ilcs_append_only' "
            "AND NOT pg_has_role(p.proowner, 'USAGE')"), {"tables": tables}).scalars().all()
        if not refused:
            return
        user = conn.execute(sa.text("SELECT current_user")).scalar()
        found = "; ".join(str(p) for p in problems)
        raise StoreError(
            f"the answer store at {self.where} cannot be opened: {found}, and the database "
            f"login '{user}' may not put it back (only the owner of the store's tables can). "
            "Ask the centre's administrator to open the store once with the owner's login: "
            "the guard is then put back and recorded in the audit trail")

    # ------------------------------------------------------ tamper evidence: verify

    def verify(self, *, expect: tuple[int, str] | None = None) -> VerifyReport:
        """Check the audit trail's hash chain, the guards and every append-only row.

        `expect`: an entry id and hash noted earlier (e.g. from a previous verify): that
        entry must still be there with that hash, so a rewrite of the whole chain shows.
        Reads only. The report names the first broken audit entry, if any.
        """
        version = self.schema_version()
        latest = latest_version(self.migrations)
        if version < latest:
            return VerifyReport(self.where, 0, None, None, [
                f"the store has schema version {version}, not {latest}: open it once with "
                "this ilcs to upgrade it, then verify it"])
        problems = [f"{p}: rows of {p.table} can be changed or removed"
                    for p in self.guard_problems()]
        claims: dict[str, dict[int, tuple[str, int]]] = {t: {} for t in SEALED_COLUMNS}
        seals: dict[str, tuple[dict[str, Any], int]] = {}
        log = schema.audit_log
        first_broken: str | None = None
        matched: bool | None = None
        entries = 0
        prev, prev_id = GENESIS, None
        head: tuple[int, str] | None = None
        with self.transaction(write=False) as conn:
            result = conn.execution_options(yield_per=2000).execute(
                sa.select(log).order_by(log.c.id))
            for row in result:
                entries += 1
                label = _entry_label(row)
                if entry_hash(row.prev_hash, row.at, row.actor, row.action, row.subject,
                              row.details) != row.entry_hash:
                    first_broken = first_broken or (
                        f"{label} was changed after it was written (its content does not "
                        "match its hash)")
                elif row.prev_hash != prev:
                    after = f"entry {prev_id}" if prev_id is not None else "the start"
                    first_broken = first_broken or (
                        f"{label} does not follow {after}: an entry before it was changed, "
                        "removed or inserted")
                prev, prev_id, head = row.entry_hash, row.id, (row.id, row.entry_hash)
                if expect is not None and row.id == expect[0]:
                    matched = row.entry_hash == expect[1]
                try:
                    details = json.loads(row.details)
                except ValueError:
                    continue
                if not isinstance(details, dict):
                    continue
                for table, digests in (details.get(ROWS_KEY) or {}).items():
                    for row_id, digest in digests.items():
                        if table in claims:
                            claims[table][int(row_id)] = (str(digest), row.id)
                if row.action == CHAIN_STARTED and row.actor == STORE_ACTOR:
                    for table, seal in (details.get(SEAL_KEY) or {}).items():
                        seals[table] = (seal, row.id)
                if row.action == GUARD_RESTORED and row.actor == STORE_ACTOR:
                    problems.append(
                        f"{label}: the guard {details.get('trigger')} of {row.subject} was "
                        f"found {details.get('found')} and put back; rows of {row.subject} "
                        "may have been changed before then")
            for table in SEALED_COLUMNS:
                problems += self._check_rows(conn, table, claims[table], seals.get(table))
        if expect is not None and not matched:
            state = "is missing" if matched is None else "now has a different hash"
            problems.insert(0, f"audit entry {expect[0]}, noted with hash {expect[1][:16]}…, "
                               f"{state}: the trail was rewritten or cut short since")
        if first_broken:
            problems.insert(0, f"first broken entry: {first_broken}")
        return VerifyReport(self.where, entries, head, first_broken, problems)

    def _check_rows(self, conn: Transaction, table: str, claims: dict[int, tuple[str, int]],
                    seal: tuple[dict[str, Any], int] | None) -> list[str]:
        """Every row of an append-only table against the audit entry that recorded it."""
        t = sa.table(table, *[sa.column(c) for c in SEALED_COLUMNS[table]])
        last_sealed = int(seal[0].get("last_id", 0)) if seal else 0
        sealed: list[str] = []
        changed, unrecorded = [], []
        result = conn.execution_options(yield_per=2000).execute(
            sa.select(t).order_by(t.c.id))
        for row in result:
            digest = row_digest(table, row._mapping)
            if row.id <= last_sealed:
                sealed.append(digest)
                continue
            claim = claims.pop(int(row.id), None)
            if claim is None:
                unrecorded.append(f"{table} row {row.id} is not recorded in the audit trail "
                                  "(added outside ilcs)")
            elif claim[0] != digest:
                changed.append(f"{table} row {row.id} was changed after it was written "
                               f"(recorded by audit entry {claim[1]})")
        removed = [f"{table} row {row_id} recorded by audit entry {entry} is missing (removed)"
                   for row_id, (_digest, entry) in sorted(claims.items())]
        problems = [*changed, *removed, *unrecorded]
        if seal is not None:
            info, entry = seal
            if len(sealed) != int(info.get("rows", -1)) or seal_digest(sealed) != info.get(
                    "sha256"):
                problems.insert(0, f"{table} rows up to id {last_sealed} were changed or "
                                   f"removed since audit entry {entry} sealed them")
        if len(problems) > 10:
            problems = [*problems[:10], f"... and {len(problems) - 10} more in {table}"]
        return problems


def _latest_marked_answers(with_responses: bool,
                           candidate_ids: Sequence[str] | None) -> sa.Select[Any]:
    """The latest assessed answer per candidate and question, with its latest mark (if any),
    worked out by the database (one query)."""
    a, m = schema.answers, rt.marks
    where = [a.c.mode == "assessed"]
    mark_where = []
    if candidate_ids is not None:
        where.append(a.c.candidate_id.in_(list(candidate_ids)))
        mark_where.append(m.c.candidate_id.in_(list(candidate_ids)))
    extra = [a.c.response] if with_responses else []
    ranked = sa.select(
        a.c.answer_uid, a.c.candidate_id, a.c.question_id, a.c.saved_at, a.c.recorded_at,
        *extra,
        sa.func.row_number().over(partition_by=(a.c.candidate_id, a.c.question_id),
                                  order_by=(a.c.saved_at.desc(), a.c.id.desc())).label("rank"),
    ).where(*where).subquery("ranked")
    last = sa.select(m.c.answer_uid, sa.func.max(m.c.id).label("mark_id")).where(
        *mark_where).group_by(m.c.answer_uid).subquery("last_mark")
    cols = [ranked.c.answer_uid, ranked.c.candidate_id, ranked.c.question_id,
            ranked.c.saved_at, ranked.c.recorded_at]
    if with_responses:
        cols.append(ranked.c.response)
    return (sa.select(*cols, m.c.status, m.c.score, m.c.marked_by, m.c.feedback, m.c.points)
            .select_from(ranked.outerjoin(last, last.c.answer_uid == ranked.c.answer_uid)
                         .outerjoin(m, m.c.id == last.c.mark_id))
            .where(ranked.c.rank == 1)
            .order_by(ranked.c.candidate_id, ranked.c.question_id))


# --------------------------------------------------------------- trainee logins (hub)

TRAINEE_ROLE_PREFIX = "ilcs_t_"  # migration 5's policies key on it: never change it
# What a trainee's own login may do at all (row-level security narrows it to their rows).
TRAINEE_GRANTS: dict[str, str] = {
    "ilcs_schema_version": "SELECT",
    "candidates": "SELECT, INSERT, UPDATE",
    "answers": "SELECT, INSERT",
    "audit_log": "SELECT, INSERT",
    "marks": "SELECT",
    "decisions": "SELECT",
    "action_points": "SELECT",
    "signoffs": "SELECT",
    "evidence_records": "SELECT",
}
TRAINEE_SEQUENCES = ("answers", "audit_log")  # a trainee's inserts draw their ids


@dataclass(frozen=True)
class TraineeLogin:
    user: str
    db_role: str
    created: bool  # False: it existed; its password and privileges were renewed


def url_with_login(url: str, username: str, password: str) -> str:
    """`url` (a PostgreSQL store) with another login; StoreError if it is not one."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(f"'{url}' is not a database URL") from None
    if parsed.get_backend_name() != "postgresql":
        raise StoreError("a hub keeps every trainee's answers in PostgreSQL: give a "
                         f"postgresql+psycopg:// URL, not {parsed.get_backend_name()}")
    return parsed.set(username=username, password=password).render_as_string(
        hide_password=False)


def _trainee_logins_need_postgres(store: AnswerStore) -> None:
    if store.dialect != "postgresql":
        raise UsageError("trainee logins need the centre's PostgreSQL store (set "
                         "ILCS_DATABASE_URL or give --database postgresql+psycopg://...)")


def add_trainee_login(store: AnswerStore, user: str, db_role: str, password: str, *,
                      by: str) -> TraineeLogin:
    """Create (or renew) a trainee's own login role with only `TRAINEE_GRANTS`.

    Run as the centre admin (CREATEROLE, owner of the tables). `db_role` and `password` are
    checked by the caller (`ilcs.hub`): letters, digits and a few safe signs only.
    """
    _trainee_logins_need_postgres(store)
    if not db_role.startswith(TRAINEE_ROLE_PREFIX):
        raise UsageError(f"a trainee's login must start with {TRAINEE_ROLE_PREFIX}")
    with store.transaction() as conn:
        quote = conn.dialect.identifier_preparer.quote_identifier
        role = quote(db_role)
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": db_role}).first() is not None
        literal = conn.execute(sa.text("SELECT quote_literal(:p)"), {"p": password}).scalar()
        conn.exec_driver_sql(f"{'ALTER' if exists else 'CREATE'} ROLE {role} LOGIN NOINHERIT "
                             "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                             f"PASSWORD {literal}")
        current = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {quote(current)} TO {role}")
        for table, privileges in TRAINEE_GRANTS.items():
            conn.exec_driver_sql(f"GRANT {privileges} ON {table} TO {role}")
        for table in TRAINEE_SEQUENCES:
            sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                    {"t": table}).scalar_one()
            if sequence is None:
                raise StoreError(f"the store's table {table} has no id sequence: is this an "
                                 "ilcs answer store?")
            conn.exec_driver_sql(f"GRANT USAGE ON SEQUENCE {sequence} TO {role}")
        store.audit(by, "hub_trainee_renewed" if exists else "hub_trainee_added", user,
                    {"db_role": db_role}, conn=conn)
    return TraineeLogin(user=user, db_role=db_role, created=not exists)


def remove_trainee_login(store: AnswerStore, user: str, db_role: str, *, by: str) -> bool:
    """Drop a trainee's login (their rows stay). False when there was no such login."""
    _trainee_logins_need_postgres(store)
    with store.transaction() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": db_role}).first() is not None
        if not exists:
            return False
        role = conn.dialect.identifier_preparer.quote_identifier(db_role)
        conn.exec_driver_sql(f"DROP OWNED BY {role}")  # its privileges in this database
        conn.exec_driver_sql(f"DROP ROLE {role}")
        store.audit(by, "hub_trainee_removed", user, {"db_role": db_role}, conn=conn)
    return True


def trainee_logins(store: AnswerStore) -> list[str]:
    """The hub users with a trainee login on this PostgreSQL server."""
    _trainee_logins_need_postgres(store)
    with store.transaction(write=False) as conn:
        names = conn.execute(sa.text(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname::text, :p) "
            "ORDER BY rolname"), {"p": TRAINEE_ROLE_PREFIX}).scalars().all()
    return [str(n)[len(TRAINEE_ROLE_PREFIX):] for n in names]


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
