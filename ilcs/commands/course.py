"""`ilcs trainee-copy OUT`: a copy of ilcs to give trainees, without the assessor's files."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    cmd = subparsers.add_parser(
        "trainee-copy",
        help="centre: write a copy of ilcs for trainees, without the assessor keys and rubrics")
    cmd.add_argument("out", metavar="OUT", help="a new folder for the copy")
    cmd.set_defaults(func=_copy)


def _copy(args: argparse.Namespace) -> int:
    from ilcs.trainee_copy import ASSESSOR_ONLY, make_trainee_copy

    out = make_trainee_copy(args.out)
    print(f"Trainee copy written to {out} (left out: {', '.join(ASSESSOR_ONLY)}).")
    print("Trainees start it with: python3 bootstrap.py start")
    return 0
