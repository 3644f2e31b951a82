"""`ilcs submit` and `ilcs import`: evidence packs (filled in below)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    return None
