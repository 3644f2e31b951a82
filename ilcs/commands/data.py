"""`ilcs data check FILE --kind KIND` and `ilcs data generate --seed S --scale K --out DIR`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ilcs.commands import help_when_bare

KIND_HELP = ("requests, standards, complaints, complaint_events, survey_responses, "
             "survey_invitations, org_chart or staff_movement (default: from the file name)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="check data files and generate sample data")
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION")

    check = sub.add_parser("check", help="check a CSV or XLSX file against its data contract")
    check.add_argument("file", help="the CSV or XLSX file to check")
    check.add_argument("--kind", help=KIND_HELP)
    check.add_argument("--map", dest="mapping", action="append", default=[],
                       metavar="SOURCE=COLUMN",
                       help="read the file's SOURCE header as the canonical COLUMN (repeatable)")
    check.add_argument("--date-format", dest="date_formats", action="append", default=[],
                       metavar="FORMAT", help="an extra date format, e.g. %%d.%%m.%%Y %%H:%%M")
    check.add_argument("--format", dest="export_format", choices=["generic", "jira", "zendesk"],
                       help="a help-desk export of requests: check it exactly as "
                            "`ilcs sla report --format` reads it")
    check.add_argument("--values", dest="values", action="append", default=[],
                       metavar="COLUMN:THEIRS=OURS,...",
                       help="translate the file's own values, e.g. --values "
                            "\"priority:normal=P3,high=P2\" (repeatable)")
    check.add_argument("--events", metavar="FILE",
                       help="with --kind complaints: also check this complaint_events file "
                            "against it")
    check.add_argument("--requests", metavar="FILE",
                       help="with --kind standards: warn of any category a standard names "
                            "that no request of its team in FILE has")
    check.set_defaults(func=run_check)

    cols = sub.add_parser("columns", help="list the columns and rules of a kind of data")
    cols.add_argument("kind", nargs="?", help=KIND_HELP.replace(" (default: from the file "
                                                               "name)", "; default: all"))
    cols.set_defaults(func=run_columns)

    gen = sub.add_parser("generate", help="write the sample organisation's data files")
    gen.add_argument("--seed", type=int, default=None, help="random seed (default 2550)")
    gen.add_argument("--scale", type=float, default=1.0,
                     help="multiply requests, complaints and survey responses (default 1)")
    gen.add_argument("--out", required=True, help="folder to write the CSV files into")
    gen.add_argument("--without-story", dest="story", action="store_false",
                     help="leave out the planted changes (improvement plans, Finance's "
                          "automatic acknowledgement, the HR system outage): no special cause")
    gen.set_defaults(func=run_generate)

    help_when_bare(parser)


def _kind_for(path: Path, kind: str | None) -> str:
    from ilcs.errors import DataError, Problem
    from ilcs.io import KINDS

    if kind:
        return kind
    if not path.exists():
        raise DataError(Problem("file not found", file=str(path)))
    for name in sorted(KINDS, key=len, reverse=True):
        if path.stem.lower().startswith(name):
            return name
    raise DataError(f"cannot tell what kind of data {path.name} holds: add --kind "
                    f"(one of: {', '.join(KINDS)})")


def _mapping(pairs: list[str]) -> dict[str, str]:
    from ilcs.errors import DataError

    mapping = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise DataError(f"--map '{pair}' should look like SOURCE=COLUMN, "
                            "e.g. --map 'Ticket No=request_id'")
        mapping[source.strip()] = target.strip()
    return mapping


def run_check(args: argparse.Namespace) -> int:
    from ilcs.errors import DataError
    from ilcs.io import SCHEMAS, check_complaint_events, load
    from ilcs.io.summary import summarise
    from ilcs.io.ticket_exports import load_ticket_export
    from ilcs.io.values import parse_value_flags

    path = Path(args.file)
    try:
        kind = "requests" if args.export_format and not args.kind else _kind_for(path, args.kind)
        if args.export_format and kind != "requests":
            raise DataError(f"--format {args.export_format} reads an export of requests: leave "
                            "out --kind, or use --kind requests")
        values = parse_value_flags(args.values, SCHEMAS[kind].names) if kind in SCHEMAS \
            else None
        if kind == "requests":  # the same reading as `ilcs sla report`
            table = load_ticket_export(path, args.export_format or "generic",
                                       _mapping(args.mapping), args.date_formats, values)
        else:
            table = load(path, kind, mapping=_mapping(args.mapping),
                         date_formats=args.date_formats or None, values=values)
        if args.events:
            if kind != "complaints":
                raise DataError("--events goes with --kind complaints")
            events = load(args.events, "complaint_events")
            check_complaint_events(table, events)
        if getattr(args, "requests", None):
            if kind != "standards":
                raise DataError("--requests goes with --kind standards")
            from ilcs.io.crossfile import standard_category_warnings

            requests = load_ticket_export(Path(args.requests), "generic")
            table.attrs["warnings"] = [
                *table.attrs.get("warnings", []),
                *(str(p) for p in standard_category_warnings(table, requests))]
    except DataError as exc:
        _print_problems(path, exc)
        return 2
    except (OSError, UnicodeError, ValueError) as exc:  # a last guard: never a traceback
        print(f"{path.name}: cannot be checked ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 2
    print(f"{path.name}: OK, a valid {kind} file")
    for line in summarise(table, kind):
        print(f"  {line}")
    for warning in table.attrs.get("warnings", []):
        print(f"  Note: {warning}")
    return 0


def _print_problems(path: Path, exc: Exception) -> None:
    problems = getattr(exc, "problems", [])
    n = len(problems)
    head = "1 problem" if n == 1 else f"{n} problems"
    print(f"{path.name}: {head} found, so the file was not loaded:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)


def run_columns(args: argparse.Namespace) -> int:
    from ilcs.errors import DataError
    from ilcs.io import KINDS, SCHEMAS
    from ilcs.io.summary import describe_schema

    if args.kind and args.kind not in SCHEMAS:
        raise DataError(f"unknown kind of data '{args.kind}' (expected one of: "
                        f"{', '.join(KINDS)})")
    for i, kind in enumerate([args.kind] if args.kind else KINDS):
        if i:
            print()
        head, *rest = describe_schema(SCHEMAS[kind])
        print(head)
        for line in rest:
            print(f"  {line}")
    return 0


def run_generate(args: argparse.Namespace) -> int:
    import time

    from ilcs.datagen import DEFAULT_SEED, generate_to
    from ilcs.errors import DataError

    if not args.scale > 0:
        raise DataError("--scale must be more than 0")
    seed = DEFAULT_SEED if args.seed is None else args.seed
    started = time.perf_counter()
    try:
        paths = generate_to(args.out, seed=seed, scale=args.scale, story=args.story)
    except OSError as exc:
        raise DataError(f"cannot write to {args.out}: {exc.strerror or exc}") from None
    took = time.perf_counter() - started
    print(f"Wrote {len(paths)} files to {args.out} (seed {seed}, scale {args.scale:g}"
          f"{'' if args.story else ', without the story'}) "
          f"in {took:.1f} s:")
    for path in paths:
        with path.open("rb") as fh:
            rows = sum(1 for _ in fh) - 1
        print(f"  {path.name}: {rows:,} rows")
    return 0
