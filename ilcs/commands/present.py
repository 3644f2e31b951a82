"""`ilcs present`: serve the trainer's and assessor's apps with Voila (offline)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "present",
        help="serve the class apps (gallery, dashboards, class quiz) in the browser",
        description="Start the class apps with Voila on this computer only (127.0.0.1). "
        "Works offline. Prints the address to open; press Ctrl-C to stop.",
    )
    parser.add_argument("--port", type=int, default=None,
                        help="port to listen on (default: any free port)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser tab, just print the address")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from ilcs.present import present

    return present(port=args.port, open_browser=not args.no_browser)
