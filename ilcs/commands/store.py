"""`ilcs store verify`: check that the answer store has not been tampered with.

Exit 0 when the audit trail's hash chain, the append-only guards and every append-only row
are as ilcs wrote them; exit 2 with every problem found (the first broken audit entry
first) otherwise.
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
    with AnswerStore.open(args.database, restore_guards=False) as store:
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
