"""`ilcs present`: serve the trainer's and assessor's apps with Voila (offline)."""

from __future__ import annotations

import argparse

from ilcs.voila import DEFAULT_MAX_KERNELS_PER_APP, KERNEL_MIB, class_memory_mib


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "present",
        help="serve the class apps (gallery, dashboards, class quiz) in the browser",
        description="Start the class apps with Voila, by default on this computer only (127.0.0.1). "
        "Works offline. Prints the address to open (with a private key: the assessor "
        "review app needs it); press Ctrl-C to stop.",
        epilog=f"Memory: every open app page runs its own copy of Python (about {KERNEL_MIB} "
        "MB), besides the server and the warm copies kept ready. A class of 30 with one app "
        f"open each needs about {class_memory_mib(30) / 1024:.1f} GB; with two apps each, "
        f"about {class_memory_mib(60) / 1024:.1f} GB. A copy whose tab was closed is shut "
        "down within a minute.",
    )
    parser.add_argument("--port", type=int, default=None,
                        help="port to listen on (default: any free port)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser tab, just print the address")
    parser.add_argument("--max-kernels", type=int, default=DEFAULT_MAX_KERNELS_PER_APP,
                        metavar="N",
                        help="most copies of one app open at once; one more viewer sees a "
                        "page asking to close a tab or wait a minute (default: "
                        f"{DEFAULT_MAX_KERNELS_PER_APP}, for a class of 30)")
    parser.add_argument("--ip", default="127.0.0.1", metavar="ADDRESS",
                        help="address to serve on (default 127.0.0.1: this computer only). "
                        "On any other address every app needs the printed key")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from ilcs.present import present

    return present(port=args.port, open_browser=not args.no_browser, host=args.ip,
                   max_kernels=args.max_kernels)
