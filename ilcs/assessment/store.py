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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ilcs.assessment import review_tables as rt
from ilcs.assessment import schema
from ilcs.assessment.migrations import MIGRATIONS, Migration, create_version_table, latest_version
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
MODES = ("practice", "assessed")


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


def _rows(result: sa.CursorResult[Any]) -> Rows:
    return Rows(columns=tuple(result.keys()), rows=[tuple(r) for r in result.all()])


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
        StoreError saying what was not saved; a duplicate key becomes a StoreConflictError
        so callers can treat it as "already there".
        """
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(ilcs_write=True)
                with conn.begin():
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

    def answers_by_uid(self, conn: Transaction, uids: Iterable[str]) -> dict[str, Answer]:
        """The answers already stored under any of `uids` (inside the caller's transaction)."""
        a = schema.answers
        uids = list(uids)
        found: dict[str, Answer] = {}
        for start in range(0, len(uids), 500):
            chunk = uids[start:start + 500]
            for row in conn.execute(sa.select(a).where(a.c.answer_uid.in_(chunk))):
                found[row.answer_uid] = _answer(row)
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

    # ------------------------------------------------------------ review: writing
    # Each action writes its rows and its audit entries in ONE transaction.

    def _write(self, table: sa.Table, rows: list[dict[str, Any]],
               audits: Sequence[AuditRecord]) -> None:
        with self.transaction() as conn:
            if rows:
                conn.execute(sa.insert(table), rows)
            for entry in audits:
                self.audit(entry.actor, entry.action, entry.subject, entry.details, conn=conn)

    def add_marks(self, marks: Sequence[MarkRow], audits: Sequence[AuditRecord]) -> None:
        self._write(rt.marks, [{
            "answer_uid": m.answer_uid, "candidate_id": m.candidate_id,
            "question_id": m.question_id, "status": m.status, "score": m.score,
            "points": canonical_json(list(m.points)), "feedback": m.feedback,
            "marked_by": m.marked_by, "marked_at": m.marked_at} for m in marks], audits)

    def add_decision(self, decision: Decision, audit: AuditRecord) -> None:
        self._write(rt.decisions, [{
            "candidate_id": decision.candidate_id, "criterion_id": decision.criterion_id,
            "outcome": decision.outcome, "proposed": decision.proposed,
            "assessor": decision.assessor, "feedback": decision.feedback,
            "decided_at": iso_utc(decision.decided_at)}], [audit])

    def add_action_point(self, point: ActionPoint, audit: AuditRecord) -> None:
        self._write(rt.action_points, [{
            "candidate_id": point.candidate_id, "criterion_id": point.criterion_id,
            "action": point.action, "due": point.due.isoformat(), "set_by": point.set_by,
            "set_at": iso_utc(point.set_at)}], [audit])

    def add_evidence_record(self, record: EvidenceRecord, audit: AuditRecord) -> None:
        self._write(rt.evidence_records, [{
            "candidate_id": record.candidate_id, "criterion_id": record.criterion_id,
            "kind": record.kind, "description": record.description,
            "evidence_date": record.evidence_date.isoformat(),
            "recorded_by": record.recorded_by, "recorded_at": iso_utc(record.recorded_at)}],
            [audit])

    def add_signoff(self, signoff: SignOff, audit: AuditRecord) -> None:
        self._write(rt.signoffs, [{
            "candidate_id": signoff.candidate_id, "role": signoff.role, "name": signoff.name,
            "statement": signoff.statement, "signed_at": iso_utc(signoff.signed_at)}],
            [audit])

    def add_iqa_samples(self, samples: Sequence[IqaSample], audit: AuditRecord) -> None:
        self._write(rt.iqa_samples, [{
            "sample_ref": s.sample_ref, "decision_id": s.decision_id,
            "candidate_id": s.candidate_id, "criterion_id": s.criterion_id,
            "assessor": s.assessor, "stage": s.stage, "iqa": s.iqa, "reason": s.reason,
            "drawn_at": s.drawn_at} for s in samples], [audit])

    def add_iqa_verdict(self, sample: IqaSample, verdict: IqaVerdict, *, at: str,
                        audit: AuditRecord) -> None:
        if sample.id is None:
            raise StoreError("an IQA verdict needs a sample item read from the store")
        self._write(rt.iqa_verdicts, [{
            "sample_id": sample.id, "decision_id": sample.decision_id,
            "candidate_id": sample.candidate_id, "criterion_id": sample.criterion_id,
            "assessor": sample.assessor, "iqa": verdict.iqa, "verdict": verdict.verdict,
            "comment": verdict.comment, "at": at}], [audit])

    def set_assessor_profile(self, assessor: str, *, risk: str, new: bool,
                             audit: AuditRecord) -> None:
        """Create or update the IQA's record of an assessor (the one table updated in place)."""
        p = rt.assessor_profiles
        values = {"risk": risk, "new": bool(new), "updated_at": now_iso()}
        with self.transaction() as conn:
            if conn.execute(sa.select(p.c.assessor).where(p.c.assessor == assessor)).first():
                conn.execute(sa.update(p).where(p.c.assessor == assessor).values(**values))
            else:
                conn.execute(sa.insert(p).values(assessor=assessor, **values))
            self.audit(audit.actor, audit.action, audit.subject, audit.details, conn=conn)


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
        a.c.answer_uid, a.c.candidate_id, a.c.question_id, a.c.saved_at, *extra,
        sa.func.row_number().over(partition_by=(a.c.candidate_id, a.c.question_id),
                                  order_by=(a.c.saved_at.desc(), a.c.id.desc())).label("rank"),
    ).where(*where).subquery("ranked")
    last = sa.select(m.c.answer_uid, sa.func.max(m.c.id).label("mark_id")).where(
        *mark_where).group_by(m.c.answer_uid).subquery("last_mark")
    cols = [ranked.c.answer_uid, ranked.c.candidate_id, ranked.c.question_id,
            ranked.c.saved_at]
    if with_responses:
        cols.append(ranked.c.response)
    return (sa.select(*cols, m.c.status, m.c.score, m.c.marked_by, m.c.feedback)
            .select_from(ranked.outerjoin(last, last.c.answer_uid == ranked.c.answer_uid)
                         .outerjoin(m, m.c.id == last.c.mark_id))
            .where(ranked.c.rank == 1)
            .order_by(ranked.c.candidate_id, ranked.c.question_id))


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
