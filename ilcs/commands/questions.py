"""`ilcs questions check [DIR] [--keys DIR]`: validate a question bank."""

from __future__ import annotations

import argparse
import sys

from ilcs.commands import help_when_bare


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("questions", help="work with the question bank")
    sub = parser.add_subparsers(dest="questions_command", metavar="ACTION")
    check = sub.add_parser(
        "check", help="validate a question bank (ids, criteria, keys, coverage)")
    check.add_argument("directory", nargs="?", default=None,
                       help="bank folder (default: datasets/questions)")
    check.add_argument("--keys", default=None, metavar="DIR",
                       help="assessor keys folder to check as well "
                            "(default: datasets/assessor/keys when it exists and DIR is not given)")
    check.add_argument("--no-coverage", action="store_true",
                       help="do not require 3 questions and 1 written question per criterion")
    check.set_defaults(func=_check)
    help_when_bare(parser)


def _check(args: argparse.Namespace) -> int:
    from ilcs.assessment.questions import (
        check_bank,
        coverage,
        default_keys_dir,
        load_bank,
    )

    keys_dir = args.keys
    if keys_dir is None and args.directory is None and default_keys_dir().is_dir():
        keys_dir = default_keys_dir()
    problems = check_bank(args.directory, keys_dir, coverage_rule=not args.no_coverage)
    if problems:
        print(f"{len(problems)} problem(s) in the question bank:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 2
    bank = load_bank(args.directory)
    print(f"Question bank {bank.version}: {len(bank.questions)} questions, no problems"
          + (" (assessor keys checked)" if keys_dir else ""))
    print(f"{'criterion':<10}{'questions':>10}{'written':>9}{'practice':>10}{'assessed':>10}")
    for cid, c in coverage(bank).items():
        print(f"{cid:<10}{c['questions']:>10}{c['written']:>9}{c['practice']:>10}{c['assessed']:>10}")
    return 0
