"""`ilcs demo`: fill an answer store with a fictional cohort to try the review app."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo", help="fill an answer store with a fictional cohort (to try the review app)")
    demo.add_argument("--candidates", type=int, default=40, help="how many (default 40)")
    demo.add_argument("--seed", type=int, default=2550, help="same seed, same cohort")
    demo.add_argument("--database", required=True, metavar="URL",
                      help="the store to fill, e.g. sqlite:///demo.sqlite (never your own "
                           "answers: a URL is required on purpose)")
    demo.set_defaults(func=_demo)


def _demo(args: argparse.Namespace) -> int:
    from ilcs.assessment.demo import make_demo_cohort
    from ilcs.assessment.store import AnswerStore
    from ilcs.errors import ConfigError

    if not 1 <= args.candidates <= 5000:
        raise ConfigError("--candidates must be between 1 and 5000")
    with AnswerStore.open(args.database) as store:
        n = make_demo_cohort(store, args.candidates, seed=args.seed)
        print(f"Demo cohort: {args.candidates} candidates, {n} new answers, in {store.where}")
    print(f"Try it: ILCS_DATABASE_URL={args.database} ILCS_ASSESSOR='A. Khan' ilcs present")
    return 0
