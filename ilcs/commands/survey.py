"""`ilcs survey summary RESPONSES`: a survey's figures on the command line.

    ilcs survey summary datasets/sample/survey_responses.csv \\
        --invitations datasets/sample/survey_invitations.csv
    ilcs survey summary form.csv --format google-forms --wave 2 --team "IT Service Desk" \\
        --map "Which department do you work in?=department" --out summary.xlsx
    ilcs survey summary results.xlsx --format ms-forms --questionnaire ours.yaml --wave 1

Every table comes from `ilcs.surveys.report.summary_tables`: groups with fewer than 5
respondents show "fewer than 5", and comments are redacted as they are read.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ilcs.commands import help_when_bare

FORMATS = ("generic", "google-forms", "ms-forms", "surveymonkey")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("survey", help="evaluate an internal customer survey")
    sub = parser.add_subparsers(dest="survey_command", metavar="ACTION")
    summary = sub.add_parser("summary", help="print the survey's scores, rates and changes")
    summary.add_argument("responses", help="survey responses: CSV or XLSX (canonical, or a "
                                           "form tool's export)")
    summary.add_argument("--questionnaire", metavar="FILE",
                         help="questionnaire definition (YAML); default: the sample survey's")
    summary.add_argument("--invitations", metavar="FILE",
                         help="how many were invited per wave and department (for response "
                              "rates and the respondents' mix)")
    summary.add_argument("--format", dest="export_format", default="generic", choices=FORMATS,
                         help="the tool the responses were exported from (default generic)")
    summary.add_argument("--wave", type=int, help="the wave of every response in the file")
    summary.add_argument("--department", help="the department of every respondent in the file")
    summary.add_argument("--team", help="the team every response is about")
    summary.add_argument("--map", dest="mapping", action="append", default=[],
                         metavar="SOURCE=COLUMN",
                         help="read the export's SOURCE header as COLUMN (repeatable), e.g. "
                              "\"Which department?=department\"")
    summary.add_argument("--org-chart", dest="org_chart", metavar="FILE",
                         help="org chart whose people's names are removed from comments "
                              "(e-mails and phone numbers are always removed)")
    summary.add_argument("--themes", metavar="FILE",
                         help="comment themes lexicon (YAML); default: the sample lexicon")
    summary.add_argument("--out", metavar="FILE.csv|FILE.xlsx",
                         help="also write every table (xlsx: one sheet each; csv: one file each)")
    summary.set_defaults(func=run_summary)
    help_when_bare(parser)


def _mapping(flags: list[str]) -> dict[str, str]:
    from ilcs.errors import DataError, Problem

    mapping: dict[str, str] = {}
    problems = []
    for flag in flags:
        source, sep, target = flag.partition("=")
        if not sep or not source.strip() or not target.strip():
            problems.append(Problem(f"--map '{flag}' is not SOURCE=COLUMN (e.g. "
                                    "\"Which department?=department\")"))
        else:
            mapping[source.strip()] = target.strip()
    if problems:
        raise DataError(problems)
    return mapping


def write_summary(tables: dict[str, Any], out: Path) -> list[Path]:
    """An .xlsx with one sheet per table, or one .csv per table (the first at `out`, the
    others beside it as `<name>-<table>.csv`)."""
    from ilcs.errors import UsageError
    from ilcs.io.write import write_csv, write_xlsx

    suffix = out.suffix.lower()
    if suffix == ".xlsx":  # through the safe writer: whole or not at all, no live formula
        return [write_xlsx(tables, out)]
    if suffix == ".csv":
        written = []
        for k, (name, table) in enumerate(tables.items()):
            path = out if k == 0 else out.with_name(f"{out.stem}-{name}.csv")
            written.append(write_csv(table, path))
        return written
    raise UsageError(f"--out must end in .csv or .xlsx, not '{out.suffix or out.name}'")


def run_summary(args: argparse.Namespace) -> int:
    from ilcs.commands.sla import format_table
    from ilcs.io import load
    from ilcs.surveys.questionnaire import load_questionnaire
    from ilcs.surveys.report import summary_tables, title_of
    from ilcs.surveys.responses import load_responses
    from ilcs.surveys.themes import load_lexicon

    questionnaire = load_questionnaire(args.questionnaire)
    org_chart = load(args.org_chart, "org_chart") if args.org_chart else None
    invitations = load(args.invitations, "survey_invitations") if args.invitations else None
    loaded = load_responses(args.responses, questionnaire, args.export_format,
                            mapping=_mapping(args.mapping), wave=args.wave,
                            department=args.department, team=args.team, org_chart=org_chart)
    tables = summary_tables(loaded.responses, questionnaire, invitations=invitations,
                            lexicon=load_lexicon(args.themes))
    print(f"Survey summary: {questionnaire.name}")
    for line in loaded.notes():
        print(line)
    print("Scores are shares of those who answered (top two = the two most favourable "
          "answers), never averages of answer codes. Groups of fewer than 5 respondents are "
          "not shown.\n")
    for name, table in tables.items():
        print(title_of(name))
        print(format_table(table))
        print()
    if args.out:
        for path in write_summary(tables, Path(args.out)):
            print(f"Written: {path}")
    return 0
