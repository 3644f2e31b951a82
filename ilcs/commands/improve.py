"""`ilcs improve ...`: the continuous improvement tools on any CSV or XLSX file.

    ilcs improve chart weekly.csv --kind xmr --value hours --label week [--split 30/06] [--out c.png]
    ilcs improve chart weekly.csv --kind p --value within --total measured --label week
    ilcs improve pareto complaints.csv --column category [--out pareto.svg]
    ilcs improve team --team "Finance Operations" --measure first_response_within --change 01/07/2025
    ilcs improve record my-record.json [--attach]

Exit 0 on success, 2 with every problem listed (file, row, column) on bad input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ilcs.commands import help_when_bare

OUT_HELP = "also save the chart as a file: .png (a picture) or .svg, by the name's ending"
MEASURE_NAMES = ("first_response_hours", "first_response_within", "resolution_hours",
                 "resolution_within")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("improve", help="continuous improvement: control charts, "
                                                   "Pareto, before/after, improvement records")
    sub = parser.add_subparsers(dest="improve_command", metavar="ACTION")

    chart = sub.add_parser("chart", help="a control chart of one column of a file, with its "
                                         "signals in words")
    chart.add_argument("file", help="CSV or XLSX, one row per period, in time order")
    chart.add_argument("--kind", required=True, choices=["xmr", "p", "c", "u"],
                       help="xmr: measurements; p: share (--value out of --total); c: counts; "
                            "u: counts per unit (--value per --total)")
    chart.add_argument("--value", required=True, help="the column to chart")
    chart.add_argument("--total", help="with p and u: the column of totals (n)")
    chart.add_argument("--label", help="the column naming each period (default: row number)")
    chart.add_argument("--split", help="start a new phase (own centre and limits) at this label")
    chart.add_argument("--out", "--svg", dest="out", metavar="FILE", help=OUT_HELP)
    chart.set_defaults(func=run_chart)

    par = sub.add_parser("pareto", help="a Pareto table of the values of one column")
    par.add_argument("file", help="CSV or XLSX, one row per problem")
    par.add_argument("--column", required=True, help="the column holding each problem's cause")
    par.add_argument("--cut-off", type=float, default=80.0, help="%% the vital few reach "
                                                                 "(default 80)")
    par.add_argument("--out", "--svg", dest="out", metavar="FILE", help=OUT_HELP)
    par.set_defaults(func=run_pareto)

    team = sub.add_parser("team", help="a team's weekly control chart and before/after a change, "
                                       "from a data folder")
    team.add_argument("--data", help="folder with requests.csv and standards.csv (default: the "
                                     "sample organisation)")
    team.add_argument("--team", required=True, help="the provider team")
    team.add_argument("--measure", default="first_response_within", choices=MEASURE_NAMES)
    team.add_argument("--change", help="the date a change was made (DD/MM/YYYY): adds a phase "
                                       "and the before/after comparison")
    team.add_argument("--out", "--svg", dest="out", metavar="FILE", help=OUT_HELP)
    team.set_defaults(func=run_team)

    rec = sub.add_parser("record", help="check a saved improvement record and print it")
    rec.add_argument("file", help="the record's .json file")
    rec.add_argument("--attach", action="store_true",
                     help="attach it to your evidence for 6.3: it goes to your assessor with "
                          "your next evidence pack (ilcs submit)")
    rec.set_defaults(func=run_record)

    help_when_bare(parser)


def _column(table: Any, name: str, file: str) -> Any:
    from ilcs.errors import DataError, Problem

    if name not in table.columns:
        raise DataError(Problem(f"there is no column '{name}'; the columns are "
                                f"{', '.join(map(str, table.columns))}", file=file))
    return table[name]


def _numbers(table: Any, name: str, file: str) -> list[float]:
    """A column as numbers; every cell that is not a number is listed with its row."""
    from ilcs.errors import DataError, Problem

    values, problems = [], []
    for index, raw in _column(table, name, file).items():
        text = str(raw).strip().replace(",", "")
        try:
            values.append(float(text))
        except ValueError:
            problems.append(Problem(f"'{raw}' is not a number", file=file, row=int(index) + 2,
                                    column=name))
    if problems:
        raise DataError(problems)
    return values


def _print_chart(chart: Any, scale: float) -> None:
    from ilcs.commands.sla import format_table

    table = chart.table()
    for column in ("value", "centre", "lower", "upper"):
        table[column] = table[column] * scale
    print(format_table(table))
    print()
    print("Signals:" if chart.signals else "No signal: only common-cause variation.")
    for line in chart.describe():
        print(f"  - {line}")


def _save(svg: str, path: str | None) -> None:
    if not path:
        return
    from ilcs.ui.charts import save_chart

    save_chart(svg, path)  # .png or .svg; whole or not at all; a clear error if not
    print(f"Saved the chart to {path}")


def run_chart(args: argparse.Namespace) -> int:
    from ilcs.errors import DataError, Problem
    from ilcs.improvement.control import c_chart, p_chart, u_chart, xmr_chart
    from ilcs.io import read_table
    from ilcs.ui.charts import control_chart_svg

    name = Path(args.file).name
    table = read_table(args.file)
    values = _numbers(table, args.value, name)
    labels = ([str(v) for v in _column(table, args.label, name)] if args.label
              else [str(int(i) + 2) for i in table.index])
    if args.kind in ("p", "u") and not args.total:
        raise DataError(f"a {args.kind}-chart needs --total, the column of totals")
    totals = _numbers(table, args.total, name) if args.kind in ("p", "u") else []
    rows = [int(i) + 2 for i in table.index]
    if args.kind == "p":
        bad = [Problem(f"{v:g} is more than the total of {t:g}", file=name, row=r,
                       column=args.value) for v, t, r in zip(values, totals, rows) if v > t]
        bad += [Problem(f"{t:g} is not more than 0", file=name, row=r, column=args.total)
                for t, r in zip(totals, rows) if t <= 0]
        if bad:
            raise DataError(bad)
    if args.kind == "xmr":
        chart = xmr_chart(values, labels, split_at=args.split, source=name, column=args.value)
    elif args.kind == "p":
        chart = p_chart(values, totals, labels, split_at=args.split, source=name)
    elif args.kind == "c":
        chart = c_chart(values, labels, split_at=args.split, source=name)
    else:
        chart = u_chart(values, totals, labels, split_at=args.split, source=name)
    scale = 100.0 if args.kind == "p" else 1.0
    print(f"{chart.title} of '{args.value}' in {name} ({len(values)} periods)"
          + (", proportions shown as %" if scale == 100 else ""))
    _print_chart(chart, scale)
    flagged = sorted({i for s in chart.signals for i in range(s.first, s.last + 1)})
    _save(control_chart_svg(labels, chart.values, chart.centre, chart.upper, chart.lower, flagged,
                            title=f"{chart.title}: {args.value}", y_label=args.value,
                            x_label=args.label or "Row", scale=scale,
                            y_max=100.0 if scale == 100 else None), args.out)
    return 0


def run_pareto(args: argparse.Namespace) -> int:
    from ilcs.commands.sla import format_table
    from ilcs.improvement.pareto import pareto, vital_few
    from ilcs.io import read_table
    from ilcs.ui.charts import pareto_svg

    name = Path(args.file).name
    table = pareto(_column(read_table(args.file), args.column, name), cut_off=args.cut_off)
    print(f"Pareto of '{args.column}' in {name} ({int(table['count'].sum()):,} problems)")
    shown = table.assign(vital_few=table["vital_few"].map({True: "yes", False: "no"}))
    print(format_table(shown))
    print(f"\nThe vital few (reaching {args.cut_off:g} %): {', '.join(vital_few(table))}")
    _save(pareto_svg(list(table["cause"]), list(table["count"]), list(table["cumulative_pct"]),
                     list(table["vital_few"]), title=f"Pareto of {args.column}",
                     cut_off=args.cut_off), args.out)
    return 0


def run_team(args: argparse.Namespace) -> int:
    from ilcs.improvement.measures import before_after_text, load_board_data, week_of, weekly_chart
    from ilcs.ui.charts import control_chart_svg

    data = load_board_data(args.data)
    split = week_of(args.change) if args.change else None
    series, chart = weekly_chart(data.measured, args.team, args.measure)
    if split is not None and split in chart.labels:
        series, chart = weekly_chart(data.measured, args.team, args.measure, split)
    scale = 100.0 if chart.kind == "p" else 1.0
    print(f"{series.title}, week by week ({chart.title})")
    _print_chart(chart, scale)
    for line in series.left_out:
        print(f"  Left out: {line}")
    if args.change:
        print()
        print(before_after_text(data, args.team, args.measure, args.change))
    flagged = sorted({i for s in chart.signals for i in range(s.first, s.last + 1)})
    _save(control_chart_svg(chart.labels, chart.values, chart.centre, chart.upper, chart.lower,
                            flagged, title=series.title,
                            y_label="% within target" if scale == 100 else "Median working hours",
                            scale=scale, y_max=100.0 if scale == 100 else None), args.out)
    return 0


def run_record(args: argparse.Namespace) -> int:
    from ilcs.errors import DataError, Problem
    from ilcs.improvement.record import load_record

    record = load_record(args.file)
    print(record.summary_text())
    problems = record.problems()
    if problems:
        raise DataError([Problem(p.message, file=Path(args.file).name, column=p.column)
                         for p in problems])
    print("\nThe record follows the cycle.")
    if args.attach:
        from ilcs.assessment.profile import current_profile
        from ilcs.assessment.store import default_store
        from ilcs.improvement.evidence import attach_record

        profile = current_profile()
        attach_record(default_store(), profile.candidate_id, record, source=Path(args.file).name)
        print("Attached to your evidence for 6.3: it goes to your assessor with your next "
              "evidence pack (ilcs submit). Attach it again after any change.")
    return 0
