"""The `ilcs` command line: a thin layer over the same functions the notebooks use.

Each command group lives in `ilcs/commands/<group>.py` and exposes
`register(subparsers)`; handlers return an exit code. Command modules import heavy
libraries inside their handlers, so `ilcs --version` stays instant.

Exit codes: 0 success, 2 bad input (a domain error, printed without a traceback),
1 anything unexpected.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ilcs import __version__
from ilcs.errors import IlcsError

# One line per command group; a new group is one new module and one new line here.
COMMAND_MODULES: tuple[str, ...] = (
    "ilcs.commands.present",
    "ilcs.commands.questions",
    "ilcs.commands.evidence",
    "ilcs.commands.data",
    "ilcs.commands.assessor",
    "ilcs.commands.sla",
    "ilcs.commands.complaints",
    "ilcs.commands.survey",
    "ilcs.commands.services",
    "ilcs.commands.improve",
    "ilcs.commands.demo",
    "ilcs.commands.course",
    "ilcs.commands.store",
    "ilcs.commands.hub",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ilcs",
        description="Training and assessment toolkit for NVQ unit A/601/2550 "
        "(customer service to internal customers).",
    )
    parser.add_argument("--version", action="version", version=f"ilcs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except IlcsError as exc:
        print(f"ilcs {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
