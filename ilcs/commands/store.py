"""The answer store's own commands: `ilcs store verify`, `ilcs backup`, `ilcs restore`.

- `store verify`: exit 0 when the audit trail's hash chain, the append-only guards and
  every append-only row are as ilcs wrote them; exit 2 with every problem found (the first
  broken audit entry first) otherwise.
- `backup OUT`: a consistent copy of the live store (see `ilcs.assessment.backup`).
- `restore FILE`: replace the store by a backup; refuses a store that is not empty unless
  `--force`.
"""

from __future__ import annotations

import argparse

from ilcs.errors import ConfigError


def _verify(args: argparse.Namespace) -> int:
    from ilcs.assessment.store import AnswerStore

    # Guards are not put back on opening here: a missing one is reported, not repaired.
    expect = None
    if args.expect:
        number, _, digest = args.expect.partition(":")
        if not number.isdigit() or len(digest) != 64:
            raise ConfigError(f"--expect must be ENTRY:HASH as printed by an earlier verify "
                              f"(e.g. 1234:{'0' * 64}), found {args.expect!r}")
        expect = (int(number), digest.lower())
    with AnswerStore.open(args.database, restore_guards=False, must_exist=True) as store:
        report = store.verify(expect=expect)
    print(f"Answer store: {report.where}")
    print(f"Audit entries checked: {report.entries}")
    if report.head is not None:
        print(f"Last entry: {report.head[0]}:{report.head[1]}")
        print("  Note it somewhere else; `ilcs store verify --expect` with it later shows "
              "whether the trail was cut short or rewritten since.")
    if report.ok:
        print("Verified: the hash chain is unbroken, the append-only guards are in place "
              "and every append-only row is as recorded.")
        return 0
    print(f"NOT verified: {len(report.problems)} problem(s):")
    for problem in report.problems:
        print(f"  - {problem}")
    return 2


def register(subparsers: argparse._SubParsersAction) -> None:
    _register_store(subparsers)
    _register_backup(subparsers)


def _register_store(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("store", help="the answer store: verify it has not been "
                              "tampered with")
    actions = p.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    v = actions.add_parser("verify", help="check the audit trail's hash chain, the "
                           "append-only guards and rows (exit 0 verified, 2 not)")
    v.add_argument("--database", metavar="URL", help="answer store URL (default: the "
                   "ILCS_DATABASE_URL setting, else your local store)")
    v.add_argument("--expect", metavar="ENTRY:HASH", help="an entry and its hash noted "
                   "from an earlier verify: it must still be there, unchanged")
    v.set_defaults(func=_verify)


def _backup(args: argparse.Namespace) -> int:
    from ilcs.assessment.backup import backup
    from ilcs.assessment.store import AnswerStore

    with AnswerStore.open(args.database, migrate=False, must_exist=True) as store:
        result = backup(store, args.out)
        print(f"Backup of {store.where}")
    print(f"  written: {result.file} ({result.size:,} bytes, SHA-256 {result.sha256})")
    print(f"  holds {result.answers} answers and {result.audit_entries} audit entries")
    print(f"Restore it with: ilcs restore {result.file} [--database URL]")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from ilcs.assessment.backup import restore

    with restore(args.file, args.database, force=args.force) as store:
        counts = store.table_rows()
        where = store.where
    print(f"Restored {args.file} into {where}: {counts.get('answers', 0)} answers, "
          f"{counts.get('audit_log', 0)} audit entries (the restore is recorded in the "
          "audit trail).")
    return 0


def _register_backup(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backup", help="a consistent copy of the answer store, while "
                              "it is in use (SQLite: online backup; PostgreSQL: pg_dump)")
    p.add_argument("out", metavar="OUT", help="the backup file to write (must not exist)")
    p.add_argument("--database", metavar="URL", help="answer store URL (default: the "
                   "ILCS_DATABASE_URL setting, else your local store)")
    p.set_defaults(func=_backup)
    p = subparsers.add_parser("restore", help="replace the answer store by a backup "
                              "(refuses a store that is not empty unless --force)")
    p.add_argument("file", metavar="FILE", help="a file written by `ilcs backup`")
    p.add_argument("--database", metavar="URL", help="answer store URL (default: the "
                   "ILCS_DATABASE_URL setting, else your local store)")
    p.add_argument("--force", action="store_true", help="replace a store that is not empty "
                   "(back it up first)")
    p.set_defaults(func=_restore)
