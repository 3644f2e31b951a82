"""Evidence packs: one file a trainee sends to their assessor.

A pack is a UTF-8 JSON file (`*.ilcs-pack.json`) holding the candidate's profile, every
answer with its history and timestamps, the question-bank version, and a SHA-256 content
hash over a canonical serialisation of everything else (see docs/assessment.md).

- `write_pack()` (trainee side, `ilcs submit`).
- `read_pack()` verifies one file: its limits first (size, nesting, number of answers,
  length of each answer: `ilcs.assessment.limits`), then JSON, format, version, hash, schema.
- `import_packs()` (assessor side, `ilcs import`) verifies every pack before writing
  anything, then writes them all in one transaction: no partial import. Re-importing a pack
  changes nothing; a newer pack from the same candidate supersedes the older one (the older
  pack and every earlier answer stay in the store: history is kept).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ilcs import __version__
from ilcs.assessment.limits import (
    ATTACHMENT_QUESTIONS,
    PackLimits,
    check_depth,
    read_bounded,
    too_deep,
)
from ilcs.assessment.store import (
    MODES,
    AnswerStore,
    PackRecord,
    Transaction,
    canonical_json,
    now_iso,
)
from ilcs.errors import ConfigError, PackError, StoreConflictError
from ilcs.io.write import write_json
from ilcs.paths import user_data_dir

FORMAT = "ilcs-evidence-pack"
FORMAT_VERSION = 1
SUFFIX = ".ilcs-pack.json"
HASH_FIELD = "content_sha256"
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
_CANDIDATE_FIELDS = ("candidate_id", "name", "candidate_number", "centre", "assessor")
_ANSWER_FIELDS = ("answer_uid", "question_id", "response", "mode", "bank_version", "saved_at")


@dataclass(frozen=True)
class Pack:
    """A verified evidence pack."""

    file: str
    sha256: str
    created_at: str
    bank_version: str
    unit: str
    candidate: dict[str, Any]
    answers: tuple[dict[str, Any], ...]

    @property
    def candidate_id(self) -> str:
        return str(self.candidate["candidate_id"])


@dataclass(frozen=True)
class ImportResult:
    file: str
    sha256: str
    candidate_id: str
    status: str  # imported | duplicate | older (kept for history; a newer pack is current)
    new_answers: int
    supersedes: str | None = None  # the pack that was current before, if any
    warning: str = ""  # e.g. the same candidate number already used by another candidate_id

    def message(self) -> str:
        text = self._message()
        return f"{text}\n  warning: {self.warning}" if self.warning else text

    def _message(self) -> str:
        name = Path(self.file).name
        if self.status == "duplicate":
            return f"{name}: already imported (same content): nothing changed"
        if self.status == "older":
            return (f"{name}: older than a pack already imported for this candidate: kept "
                    f"for history ({self.new_answers} earlier answers added), not current")
        extra = f"; supersedes pack {self.supersedes[:12]}" if self.supersedes else ""
        return f"{name}: imported {self.new_answers} new answers{extra}"


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the pack without its hash field."""
    body = {k: v for k, v in data.items() if k != HASH_FIELD}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- writing


def build_pack(store: AnswerStore, candidate: dict[str, Any], bank_version: str,
               unit: str, created_at: str | None = None) -> dict[str, Any]:
    """The pack for one candidate: profile and every answer they saved (oldest first)."""
    history = store.answer_history(str(candidate["candidate_id"]))
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at or now_iso(),
        "ilcs_version": __version__,
        "unit": unit,
        "bank_version": bank_version,
        "candidate": {k: candidate.get(k) for k in _CANDIDATE_FIELDS},
        "answers": [a.to_pack() for a in history],
    }
    data[HASH_FIELD] = content_hash(data)
    return data


def default_pack_path(candidate_number: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", candidate_number).strip("-") or "candidate"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    folder = user_data_dir() / "packs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{safe}-{stamp}{SUFFIX}"


def write_pack(out: str | Path | None = None, *, store: AnswerStore | None = None,
               bank_dir: str | Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Write the current trainee's evidence pack; return its path and content."""
    from ilcs.assessment.profile import load_profile
    from ilcs.assessment.questions import load_bank
    from ilcs.assessment.unit import load_unit

    profile = load_profile()
    if profile is None or not profile.is_complete:
        raise ConfigError("fill in your profile first (name, candidate number, centre): "
                          "your assessor needs to know whose evidence this is")
    if store is None:
        from ilcs.assessment.store import default_store

        store = default_store()
    bank = load_bank(bank_dir)
    data = build_pack(store, profile.to_dict(), bank.version, load_unit().code)
    if not data["answers"]:
        raise ConfigError("there are no saved answers to submit yet")
    path = Path(out) if out else default_pack_path(profile.candidate_number)
    write_json(path, data, indent=1)  # whole or not at all
    store.audit(profile.candidate_id, "pack_written", profile.candidate_id,
                {"file": path.name, "sha256": data[HASH_FIELD],
                 "answers": len(data["answers"])})
    return path, data


# ------------------------------------------------------------------------- verifying


def _schema_problems(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for key in ("created_at", "unit", "bank_version"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(f"'{key}' is missing")
    if isinstance(data.get("created_at"), str) and not _STAMP.match(data["created_at"]):
        problems.append("'created_at' is not a UTC timestamp")
    cand = data.get("candidate")
    if not isinstance(cand, dict):
        problems.append("'candidate' is missing")
    else:
        for key in ("candidate_id", "name", "candidate_number", "centre"):
            if not isinstance(cand.get(key), str) or not cand[key].strip():
                problems.append(f"candidate.{key} is missing")
        if cand.get("assessor") is not None and not isinstance(cand["assessor"], str):
            problems.append("candidate.assessor must be a text")
    answers = data.get("answers")
    if not isinstance(answers, list):
        problems.append("'answers' must be a list")
        return problems
    seen: set[str] = set()
    for i, a in enumerate(answers):
        where = f"answers[{i}]"
        if not isinstance(a, dict):
            problems.append(f"{where} is not a mapping")
            continue
        missing = [k for k in _ANSWER_FIELDS if k not in a]
        if missing:
            problems.append(f"{where} lacks {', '.join(missing)}")
            continue
        for key in ("answer_uid", "question_id", "bank_version", "saved_at"):
            if not isinstance(a[key], str) or not a[key]:
                problems.append(f"{where}.{key} must be a non-empty text")
        if a["mode"] not in MODES:
            problems.append(f"{where}.mode must be practice or assessed")
        if isinstance(a["saved_at"], str) and not _STAMP.match(a["saved_at"]):
            problems.append(f"{where}.saved_at is not a UTC timestamp")
        if a["answer_uid"] in seen:
            problems.append(f"{where}: answer {a['answer_uid']} appears twice")
        seen.add(str(a["answer_uid"]))
        extra = set(a) - set(_ANSWER_FIELDS)
        if extra:
            problems.append(f"{where} has unknown fields {sorted(extra)}")
    return problems


def _limit_problem(data: dict[str, Any], name: str, limits: PackLimits) -> str | None:
    """The first limit the pack's answers break (too many, or one too long), if any."""
    answers = data.get("answers")
    if not isinstance(answers, list):
        return None  # the schema check names it
    if len(answers) > limits.max_answers:
        return (f"{name}: the pack holds {len(answers):,} answers, more than the "
                f"{limits.max_answers:,} allowed in one pack; it was not read")
    for number, answer in enumerate(answers, start=1):
        if not isinstance(answer, dict):
            continue
        response = answer.get("response")
        size = len(response) if isinstance(response, str) else len(canonical_json(response))
        question = answer.get("question_id")
        which = f" (question {question})" if isinstance(question, str) else ""
        if question in ATTACHMENT_QUESTIONS:
            if size > limits.max_attachment_chars:
                return (f"{name}: the attachment in answer {number}{which} is {size:,} "
                        f"characters long, more than the {limits.max_attachment_chars:,} "
                        "allowed for one attachment; it was not read")
        elif size > limits.max_answer_chars:
            return (f"{name}: answer {number}{which} is {size:,} characters long, more than "
                    f"the {limits.max_answer_chars:,} allowed for one answer; it was not read")
    return None


def parse_pack(text: str, file: str = "pack", limits: PackLimits | None = None) -> Pack:
    """Verify a pack's text; raise PackError saying exactly what is wrong.

    The limits (nesting depth, number of answers, length of an answer) are checked before
    the content hash is computed or anything else is trusted.
    """
    limits = limits or PackLimits.configured()
    name = Path(file).name
    if not text.strip():
        raise PackError(f"{name}: the file is empty")
    check_depth(text, name, limits)
    try:
        data = json.loads(text)
    except RecursionError:  # check_depth stops this first; kept as a second guard
        raise PackError(too_deep(name, limits)) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1 or "Unterminated" in exc.msg:
            raise PackError(f"{name}: the file is truncated (it ends before the pack does); "
                            "ask the trainee to send it again") from None
        raise PackError(f"{name}: not a valid evidence pack (not JSON: {exc.msg} at line "
                        f"{exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PackError(f"{name}: not an ilcs evidence pack (no 'format: {FORMAT}')")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PackError(f"{name}: malformed pack: 'format_version' is missing")
    if version > FORMAT_VERSION:
        raise PackError(f"{name}: pack format version {version} was written by a newer ilcs; "
                        f"this ilcs reads version {FORMAT_VERSION}. Update ilcs to import it")
    if version != FORMAT_VERSION:
        raise PackError(f"{name}: pack format version {version} is not supported "
                        f"(this ilcs reads version {FORMAT_VERSION})")
    problem = _limit_problem(data, name, limits)
    if problem:
        raise PackError(problem)
    stated = data.get(HASH_FIELD)
    if not isinstance(stated, str) or not stated:
        raise PackError(f"{name}: malformed pack: no content hash ('{HASH_FIELD}')")
    actual = content_hash(data)
    if actual != stated:
        raise PackError(f"{name}: the content hash does not match: the pack was changed after "
                        "it was written (tampered or damaged); it was not imported")
    problems = _schema_problems(data)
    if problems:
        raise PackError(f"{name}: malformed pack: " + "; ".join(problems[:10])
                        + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""))
    return Pack(file=str(file), sha256=actual, created_at=data["created_at"],
                bank_version=data["bank_version"], unit=data["unit"],
                candidate=dict(data["candidate"]), answers=tuple(data["answers"]))


def read_pack(path: str | Path, limits: PackLimits | None = None) -> Pack:
    """Read and verify one pack file; a file over the size limit is refused unread."""
    path = Path(path)
    limits = limits or PackLimits.configured()
    raw = read_bounded(path, limits)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError(f"{path.name}: not a valid evidence pack (not UTF-8 text; "
                        "is it truncated or a different file?)") from None
    del raw
    return parse_pack(text, str(path), limits)


# ------------------------------------------------------------------------- importing


def _import_one(store: AnswerStore, conn: Transaction, pack: Pack, actor: str
                ) -> ImportResult:
    if store.pack_is_imported(conn, pack.sha256):
        return ImportResult(pack.file, pack.sha256, pack.candidate_id, "duplicate", 0)
    current = store.current_pack(conn, pack.candidate_id)
    newer = current is None or pack.created_at > current.created_at
    # Answers already here (from an earlier pack) must be identical: otherwise refuse.
    existing = store.answers_by_uid(conn, [str(x["answer_uid"]) for x in pack.answers])
    rows = []
    for ans in pack.answers:
        old = existing.get(ans["answer_uid"])
        if old is not None:
            same = (old.candidate_id == pack.candidate_id
                    and old.question_id == ans["question_id"]
                    and canonical_json(old.response) == canonical_json(ans["response"])
                    and old.saved_at == ans["saved_at"])
            if not same:
                raise PackError(
                    f"{Path(pack.file).name}: answer {ans['answer_uid']} is already in the "
                    "store with different content; nothing was imported")
            continue
        rows.append({
            "answer_uid": ans["answer_uid"], "candidate_id": pack.candidate_id,
            "question_id": ans["question_id"], "response": canonical_json(ans["response"]),
            "mode": ans["mode"], "bank_version": ans["bank_version"],
            "saved_at": ans["saved_at"], "origin": "pack", "pack_sha256": pack.sha256,
        })
    store.insert_answers(conn, rows, actor=actor)
    if newer:
        c = pack.candidate
        store.upsert_candidate(conn, pack.candidate_id, {
            "name": c["name"], "candidate_number": c["candidate_number"],
            "centre": c["centre"], "assessor": c.get("assessor"),
            "updated_at": pack.created_at}, actor=actor)
    store.add_pack(conn, PackRecord(
        pack_sha256=pack.sha256, candidate_id=pack.candidate_id, created_at=pack.created_at,
        imported_at=now_iso(), imported_by=actor, bank_version=pack.bank_version,
        answer_count=len(pack.answers), new_answers=len(rows),
        file_name=Path(pack.file).name[:300]))
    status = "imported" if newer else "older"
    supersedes = current.pack_sha256 if (current is not None and newer) else None
    twins = store.candidates_with_number(conn, str(pack.candidate["candidate_number"]),
                                         str(pack.candidate["centre"]),
                                         other_than=pack.candidate_id)
    warning = ""
    if twins:
        warning = (f"candidate number {pack.candidate['candidate_number']} at "
                   f"{pack.candidate['centre']} is also used by {len(twins)} other profile(s) "
                   "(e.g. the same trainee on another computer): check before deciding")
    store.audit(actor, "pack_imported", pack.candidate_id, {
        "pack_sha256": pack.sha256, "file": Path(pack.file).name, "status": status,
        "new_answers": len(rows), "supersedes": supersedes}, conn=conn)
    return ImportResult(pack.file, pack.sha256, pack.candidate_id, status, len(rows),
                        supersedes, warning)


def import_packs(paths: Iterable[str | Path], store: AnswerStore, *,
                 actor: str = "assessor", limits: PackLimits | None = None
                 ) -> list[ImportResult]:
    """Verify every pack, then import them all in one transaction (or nothing at all).

    `limits`: the centre's pack limits (default: `PackLimits.configured()`, i.e. the
    ILCS_PACK_MAX_MB setting or 5 MB). Raise PackError naming every rejected file; nothing
    is written in that case.
    """
    limits = limits or PackLimits.configured()
    packs: list[Pack] = []
    errors: list[str] = []
    for path in paths:
        try:
            packs.append(read_pack(path, limits))
        except PackError as exc:
            errors.append(str(exc))
    if errors:
        raise PackError("nothing was imported:\n  - " + "\n  - ".join(errors))
    results: list[ImportResult] = []
    try:
        with store.transaction() as conn:
            seen: set[str] = set()
            for pack in sorted(packs, key=lambda p: p.created_at):
                if pack.sha256 in seen:
                    results.append(ImportResult(pack.file, pack.sha256, pack.candidate_id,
                                                "duplicate", 0))
                    continue
                seen.add(pack.sha256)
                results.append(_import_one(store, conn, pack, actor))
    except StoreConflictError:
        raise PackError("another import wrote the same packs at the same moment; nothing was "
                        "imported by this one: run it again") from None
    return results


def current_packs(store: AnswerStore) -> dict[str, str]:
    """candidate_id -> sha256 of their current (newest) pack."""
    return store.current_packs()
