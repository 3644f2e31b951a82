"""`ilcs submit` (trainee: write an evidence pack) and `ilcs import` (assessor: read packs)."""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ilcs.assessment.store import AnswerStore


def register(subparsers: argparse._SubParsersAction) -> None:
    submit = subparsers.add_parser(
        "submit", help="write your evidence pack (profile and every answer) for your assessor")
    submit.add_argument("--out", default=None, metavar="FILE",
                        help="where to write the pack (default: the packs folder in your "
                             "ilcs data directory)")
    submit.add_argument("--database", default=None, metavar="URL",
                        help="answer store to read (default: ILCS_DATABASE_URL or your own)")
    submit.add_argument("--bank", default=None, metavar="DIR",
                        help="question bank folder (default: datasets/questions)")
    submit.set_defaults(func=_submit)
    imp = subparsers.add_parser(
        "import", help="assessor: verify evidence packs and import them into the answer store")
    imp.add_argument("packs", nargs="+", metavar="PACK", help="one or more pack files")
    imp.add_argument("--database", default=None, metavar="URL",
                     help="answer store to write (default: ILCS_DATABASE_URL or your own)")
    imp.add_argument("--as", dest="actor", default=None, metavar="NAME",
                     help="who is importing, for the audit trail (default: your login name)")
    imp.add_argument("--bank", default=None, metavar="DIR",
                     help="question bank folder for auto-marking (default: datasets/questions)")
    imp.add_argument("--keys", default=None, metavar="DIR",
                     help="assessor keys folder for auto-marking (default: datasets/assessor/keys)")
    imp.add_argument("--no-mark", action="store_true",
                     help="import only; auto-mark later with `ilcs mark`")
    imp.add_argument("--max-pack-mb", type=float, default=None, metavar="MB",
                     help="largest pack accepted, in megabytes (default: the ILCS_PACK_MAX_MB "
                          "setting, else 5)")
    imp.set_defaults(func=_import)


def _submit(args: argparse.Namespace) -> int:
    from ilcs.assessment.packs import write_pack
    from ilcs.assessment.store import AnswerStore

    with AnswerStore.open(args.database) as store:
        path, data = write_pack(args.out, store=store, bank_dir=args.bank)
    questions = len({a["question_id"] for a in data["answers"]})
    print(f"Evidence pack written: {path}")
    print(f"  {len(data['answers'])} saved answers to {questions} questions, question bank "
          f"{data['bank_version']}, content hash {data['content_sha256'][:12]}")
    print("Send this file to your assessor.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from ilcs.assessment.limits import PackLimits
    from ilcs.assessment.packs import import_packs
    from ilcs.assessment.store import AnswerStore

    actor = args.actor or _login()
    limits = PackLimits.configured(args.max_pack_mb)
    with AnswerStore.open(args.database) as store:
        results = import_packs(args.packs, store, actor=actor, limits=limits)
        for result in results:
            print(result.message())
        if not args.no_mark:
            _auto_mark(store, args)
        _performance_evidence(store, actor, [r.candidate_id for r in results])
        print(f"Answer store: {store.where}")
    return 0


def _auto_mark(store: AnswerStore, args: argparse.Namespace) -> None:
    """Mark the objective answers just imported; written answers wait for the assessor."""
    from ilcs.assessment.questions import load_bank, load_keys
    from ilcs.assessment.review import mark_imported
    from ilcs.errors import QuestionBankError

    bank = load_bank(args.bank)
    try:
        keys = load_keys(args.keys, bank=bank)
    except QuestionBankError as exc:
        print(f"Not auto-marked ({exc}); run `ilcs mark --keys DIR` on the assessor's side.")
        return
    n = mark_imported(store, bank=bank, keys=keys)
    print(f"Auto-marked {n} objective answer(s); written answers wait for an assessor.")


def _performance_evidence(store: AnswerStore, actor: str, candidate_ids: list[str]) -> None:
    """File the outcome-7 records and witness statements of the packs as evidence records."""
    from ilcs.services.performance import record_pack_evidence

    n = record_pack_evidence(store, recorded_by=actor, candidate_ids=sorted(set(candidate_ids)))
    if n:
        print(f"Filed {n} outcome-7 evidence record(s) (candidate's record, witness "
              "statement) for the assessor to judge.")


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on this system
        return "assessor"
