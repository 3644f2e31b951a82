"""Course folders for a centre: `ilcs init DIR` and `ilcs trainee-copy OUT`."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    init = subparsers.add_parser(
        "init",
        help="lay out a course folder (notebooks, datasets, Voila settings) from the installed "
             "package; add --assessor for the assessor's keys")
    init.add_argument("out", metavar="DIR", help="a new (or empty) folder for the course")
    init.add_argument("--assessor", action="store_true",
                      help="also copy the assessor's keys and rubrics (never for trainees)")
    init.add_argument("--keys", metavar="FOLDER",
                      help="with --assessor: the centre's copy of datasets/assessor")
    init.add_argument("--update", action="store_true",
                      help="add files missing from an existing course folder; overwrite nothing")
    init.set_defaults(func=_init)

    copy = subparsers.add_parser(
        "trainee-copy",
        help="centre: write a copy of ilcs for trainees, without the assessor keys and rubrics")
    copy.add_argument("out", metavar="OUT", help="a new folder for the copy")
    copy.set_defaults(func=_copy)


def _init(args: argparse.Namespace) -> int:
    from ilcs.course import init_course

    written = init_course(args.out, assessor=args.assessor, keys=args.keys, update=args.update)
    print(f"Course folder {args.out}: {len(written)} files written"
          + (" (with the assessor's keys)." if args.assessor else " (no assessor keys)."))
    print(f"Trainees: cd {args.out} && jupyter lab notebooks/00_start_here.ipynb")
    print(f"Trainers: cd {args.out} && ilcs present")
    return 0


def _copy(args: argparse.Namespace) -> int:
    from ilcs.trainee_copy import LEFT_OUT, make_trainee_copy

    out = make_trainee_copy(args.out)
    print(f"Trainee copy written to {out} (left out: {', '.join(LEFT_OUT)}).")
    print("Trainees start it with: python3 bootstrap.py start")
    return 0
