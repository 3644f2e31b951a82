"""`ilcs complaints check EVENTS` and `ilcs complaints report EVENTS --complaints FILE`.

    ilcs complaints check datasets/sample/complaint_events.csv --complaints datasets/sample/complaints.csv
    ilcs complaints check our_log.xlsx --procedure our_procedure.yaml
    ilcs complaints report datasets/sample/complaint_events.csv \\
        --complaints datasets/sample/complaints.csv --requests datasets/sample/requests.csv \\
        --out complaints.xlsx

`check` exits 0 when the log follows the procedure, or 2 listing every problem (file, row,
column, complaint id). `report` prints and exports the handling figures; any group of fewer
than 5 complaints is written "fewer than 5", and handlers' names appear only with --names.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ilcs.commands import help_when_bare

TABLE_TITLES = {
    "teams": "Complaints by team: timeliness against the procedure, rates and satisfaction",
    "pareto": "Categories, most common first (Pareto)",
    "outcome_by_category": "Outcome by category",
    "open_by_age": "Open complaints by age",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("complaints",
                                   help="check and measure a complaint log against a procedure")
    sub = parser.add_subparsers(dest="complaints_command", metavar="ACTION")

    check = sub.add_parser("check", help="check a complaint event log against the procedure")
    check.add_argument("events", help="the complaint event log: CSV or XLSX")
    _common(check)
    check.set_defaults(func=run_check)

    report = sub.add_parser("report", help="print (and export) the complaint handling figures")
    report.add_argument("events", help="the complaint event log: CSV or XLSX")
    _common(report, complaints_required=True)
    report.add_argument("--requests", metavar="FILE",
                        help="the request log, for complaints per 100 requests")
    report.add_argument("--as-of", dest="as_of", metavar="'DD/MM/YYYY HH:MM'",
                        help="end of the period measured (default: the latest event)")
    report.add_argument("--out", metavar="FILE.csv|FILE.xlsx",
                        help="also write every table (xlsx: one sheet each; csv: one file each)")
    report.add_argument("--names", action="store_true",
                        help="include who handled each complaint in the exported list "
                             "(left out unless asked for)")
    report.set_defaults(func=run_report)

    help_when_bare(parser)


def _common(parser: argparse.ArgumentParser, complaints_required: bool = False) -> None:
    parser.add_argument("--complaints", metavar="FILE", required=complaints_required,
                        help="the complaints file (one row per complaint), checked with the log")
    parser.add_argument("--procedure", metavar="FILE.yaml",
                        help="your complaints procedure (default: the sample organisation's)")


def _load(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """Procedure, events and complaints (None if not given); every problem of every file is
    collected before one `DataError` is raised."""
    from ilcs.complaints.lifecycle import default_procedure, load_procedure
    from ilcs.errors import DataError
    from ilcs.io import check_complaint_events, load

    problems = []
    procedure = events = complaints = None
    try:
        procedure = load_procedure(args.procedure) if args.procedure else default_procedure()
    except DataError as exc:
        problems += exc.problems
    try:
        events = load(args.events, "complaint_events")
    except DataError as exc:
        problems += exc.problems
    if args.complaints:
        try:
            complaints = load(args.complaints, "complaints")
        except DataError as exc:
            problems += exc.problems
    if events is not None and complaints is not None:
        try:
            check_complaint_events(complaints, events)
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems, limit=len(problems))
    return procedure, events, complaints


def run_check(args: argparse.Namespace) -> int:
    from ilcs.complaints.lifecycle import check_log, raise_findings

    procedure, events, complaints = _load(args)
    findings = check_log(events, procedure)
    raise_findings(findings, Path(args.events).name)
    n = events["complaint_id"].nunique()
    also = f" and agree with {Path(args.complaints).name}" if complaints is not None else ""
    print(f"{Path(args.events).name}: {len(events):,} events of {n:,} complaints follow "
          f"{procedure.name}{also}.")
    return 0


def run_report(args: argparse.Namespace) -> int:

    from ilcs.commands.sla import format_table
    from ilcs.complaints.lifecycle import check_log
    from ilcs.complaints.measures import HEADINGS, complaints_report, lateness_summary
    from ilcs.io import load
    from ilcs.io.dates import parse_moment

    procedure, events, complaints = _load(args)
    requests = load(args.requests, "requests") if args.requests else None
    as_of = parse_moment(args.as_of, "--as-of") if args.as_of else None
    report = complaints_report(complaints, events, requests, procedure, as_of)
    tables = report.tables(names=args.names)
    p = report.procedure
    print(f"Complaints report: {len(report.timeline):,} complaints, period ending "
          f"{report.as_of:%d/%m/%Y %H:%M}.")
    print(f"Procedure: {p.name}: acknowledge within {p.timescales['acknowledge']}, respond "
          f"within {p.timescales['respond']} (working time, {p.opens}-{p.closes}, "
          f"{p.nation} bank holidays). Groups of fewer than 5 complaints are shown as "
          "'fewer than 5'.")
    findings = check_log(events, procedure)
    if findings:
        print(f"Note: the log does not follow the procedure in {len(findings)} places; "
              "`ilcs complaints check` lists them.")
    print()
    for name, title in TABLE_TITLES.items():
        table = tables[name]
        if name == "teams" and requests is None:
            table = table.drop(columns=["requests", "per_100_requests"])
        print(f"== {title} ==")
        print(format_table(table.rename(columns=HEADINGS)))
        print()
    print("== What late handling cost ==")
    for line in lateness_summary(report):
        print(line)
    if args.out:
        for path in write_tables(tables, Path(args.out)):
            print(f"Written: {path}")
    return 0


def write_tables(tables: dict[str, Any], out: Path) -> list[Path]:
    """The report's tables: an .xlsx with one sheet each, or one .csv each (`out` holds the
    table by team, the others are named `<stem>-<table>.csv` beside it)."""
    from ilcs.complaints.measures import HEADINGS
    from ilcs.errors import ConfigError
    from ilcs.io.write import write_csv, write_xlsx

    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ConfigError(f"--out must end in .csv or .xlsx, not '{out.suffix or out.name}'")
    readable = {name: table.rename(columns=HEADINGS) for name, table in tables.items()}
    if suffix == ".xlsx":  # through the safe writer: whole or not at all, no live formula
        return [write_xlsx(readable, out)]
    written = []
    for name, table in readable.items():
        path = out if name == "teams" else out.with_name(f"{out.stem}-{name}.csv")
        written.append(write_csv(table, path))
    return written
