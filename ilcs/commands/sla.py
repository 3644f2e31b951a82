"""`ilcs sla report REQUESTS --standards STANDARDS` and `ilcs sla smart "TEXT"`.

    ilcs sla report datasets/sample/requests.csv --standards datasets/sample/standards.csv
    ilcs sla report jira.csv --format jira --standards ours.csv --out sla.xlsx
    ilcs sla report tickets.xlsx --map "Ticket No=request_id" --map "Logged=received_at" ...
    ilcs sla smart "We will reply to every IT request within 4 working hours" --requests FILE
    ilcs sla smart "We will reply to staff emails by close of play" --json
    ilcs sla smart "HR will answer staff within 2 working days" --standards ours.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ilcs.commands import help_when_bare

TABLE_TITLES = {
    "standards": "Each standard over the whole period (breached = late, open requests "
                 "already past their target included)",
    "by_team_month": "Compliance by team and month",
    "grid": "% within target by standard and month, with the requests it is out of "
            "(- = none measured that month; few requests = fewer than 5)",
    "compliance": "Compliance by team, requester department and month",
    "backlog": "Backlog: requests still open at each month end, by age in working days",
    "breaches": "Breaches, worst first",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sla", help="measure service standards (SLAs) on a request log")
    sub = parser.add_subparsers(dest="sla_command", metavar="ACTION")

    report = sub.add_parser("report", help="print compliance, backlog and breach tables")
    report.add_argument("requests", help="request log: CSV or XLSX (canonical, or a tool's export)")
    report.add_argument("--standards", required=True, help="service standards: CSV or XLSX")
    report.add_argument("--format", dest="export_format", default="generic",
                        choices=["generic", "jira", "zendesk"],
                        help="the tool the request log was exported from (default generic)")
    report.add_argument("--map", dest="mapping", action="append", default=[],
                        metavar="SOURCE=COLUMN",
                        help="read the export's SOURCE header as the requests COLUMN (repeatable)")
    report.add_argument("--date-format", dest="date_formats", action="append", default=[],
                        metavar="FORMAT",
                        help="an extra date format of the export, e.g. %%d.%%m.%%Y %%H:%%M")
    report.add_argument("--values", dest="values", action="append", default=[],
                        metavar="COLUMN:THEIRS=OURS,...",
                        help="translate the export's own values, e.g. --values "
                             "\"priority:normal=P3,high=P2\" (repeatable)")
    report.add_argument("--as-of", dest="as_of", metavar="'DD/MM/YYYY HH:MM'",
                        help="end of the period measured (default: the latest time in the log)")
    report.add_argument("--out", metavar="FILE.csv|FILE.xlsx",
                        help="also write every table (xlsx: one sheet each; csv: one file each)")
    report.add_argument("--full", action="store_true",
                        help="also print the table by department and every breach")
    report.set_defaults(func=run_report)

    smart = sub.add_parser("smart", help="check a written standard against SMART")
    smart.add_argument("text", help="the standard, in quotes")
    smart.add_argument("--requests", metavar="FILE",
                       help="your team's request log, to judge Achievable and Realistic "
                            "(without it they are not judged)")
    smart.add_argument("--standards", metavar="FILE",
                       help="your standards file: the team's opening hours and lunch give the "
                            "length of its working day (default 09:00-17:00, 8 hours)")
    smart.add_argument("--team", help="provider team whose history to use (default: from the text)")
    smart.add_argument("--json", dest="as_json", action="store_true",
                       help="print each letter as true, false or null (cannot be judged) with its reason")
    smart.set_defaults(func=run_smart)

    help_when_bare(parser)


def format_table(table: Any, limit: int | None = None) -> str:
    """A DataFrame as readable plain text: 1 decimal place, dates to the minute, '-' for blanks."""
    import pandas as pd

    if table.empty:
        return "  (none)"
    shown = table if limit is None else table.head(limit)
    shown = shown.copy()
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            shown[column] = values.dt.strftime("%Y-%m-%d %H:%M").fillna("-")
        elif pd.api.types.is_float_dtype(values):
            shown[column] = values.map(lambda v: "-" if pd.isna(v) else f"{v:.1f}")
        else:
            shown[column] = values.astype(object).where(values.notna(), "-")
    text = shown.to_string(index=False)
    if limit is not None and len(table) > limit:
        text += f"\n  ... {len(table) - limit} more (use --full or --out to see them all)"
    return text


def _load_requests(args: argparse.Namespace) -> Any:
    from ilcs.io.ticket_exports import REQUEST_COLUMNS, load_ticket_export, parse_map_flags
    from ilcs.io.values import parse_value_flags

    mapping = parse_map_flags(args.mapping)
    values = parse_value_flags(args.values, REQUEST_COLUMNS)
    # Teams, departments and categories as categoricals: the report groups a million
    # requests by them, by number, without reading their text again.
    return load_ticket_export(args.requests, args.export_format, mapping, args.date_formats,
                              values, categories=True)


def write_tables(tables: dict[str, Any], out: Path) -> list[Path]:
    """Write the report: an .xlsx with one sheet per table, or one .csv per table.

    Every file goes through the safe writer (`ilcs.io.write`): written whole or not at all,
    text never written as a live formula; a table too long for an Excel sheet is refused
    before anything is written.
    """
    from ilcs.errors import ConfigError
    from ilcs.io.write import write_csv, write_xlsx

    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        return [write_xlsx(tables, out)]
    if suffix == ".csv":
        written = []
        for name, table in tables.items():
            path = out if name == "compliance" else out.with_name(f"{out.stem}-{name}.csv")
            written.append(write_csv(table, path))
        return written
    raise ConfigError(f"--out must end in .csv or .xlsx, not '{out.suffix or out.name}'")


def run_report(args: argparse.Namespace) -> int:

    from ilcs.io import load
    from ilcs.io.dates import parse_moment
    from ilcs.standards import compliance_grid, sla_report

    requests = _load_requests(args)
    standards = load(args.standards, "standards")
    as_of = parse_moment(args.as_of, "--as-of") if args.as_of else None
    report = sla_report(requests, standards, as_of)
    tables = report.tables()
    print(f"Service standards report: {len(requests):,} requests, {len(standards)} standards, "
          f"period ending {report.as_of:%Y-%m-%d %H:%M}")
    print("Working time on each standard's calendar; 'pct_within' = met / measured x 100; "
          "open requests past their target count as breached.")
    for note in [*requests.attrs.get("warnings", []), *report.notes]:
        print(f"Note: {note}")
    print()
    shown = ["standards", "grid", "backlog", "breaches"]
    if args.full:
        shown[2:2] = ["by_team_month", "compliance"]
    printable = {**tables, "grid": compliance_grid(report.by_team_month, "label")}
    for name in shown:
        table = printable[name]
        if name == "standards":
            table = table.drop(columns=["description"])
        limit = None if args.full or name != "breaches" else 20
        print(f"== {TABLE_TITLES[name]} ==")
        print(format_table(table, limit))
        print()
    if args.out:
        for path in write_tables(tables, Path(args.out)):
            print(f"Written: {path}")
    return 0


def run_smart(args: argparse.Namespace) -> int:
    from ilcs.standards.smart import check_smart

    requests = None
    if args.requests:
        from ilcs.io.ticket_exports import load_ticket_export

        requests = load_ticket_export(args.requests, "generic")
    standards = None
    if getattr(args, "standards", None):
        from ilcs.io import load

        standards = load(args.standards, "standards")
    report = check_smart(args.text, requests=requests, team=args.team, standards=standards,
                         records_hint="give your team's requests with --requests FILE")
    if getattr(args, "as_json", False):
        import json

        letters = {c.letter: {"name": c.name, "met": c.met, "reason": c.reason} for c in report.checks}
        print(json.dumps({"text": report.text, "letters": letters}, ensure_ascii=False, indent=2))
        return 0
    print(f"Standard: {report.text}")
    for line in report.lines():
        print(f"  {line}")
    return 0
