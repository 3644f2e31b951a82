"""The `ilcs` command's subcommands, one module per topic (wired up in `ilcs/cli.py`)."""

from __future__ import annotations

import argparse


def help_when_bare(parser: argparse.ArgumentParser) -> None:
    """A command group run without a subcommand (`ilcs sla`) prints its help and succeeds."""

    def show(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    parser.set_defaults(func=show)
