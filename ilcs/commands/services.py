"""`ilcs services ...`: internal customers and their services, from the command line.

    ilcs services map [--data DIR]               who serves whom, how much and how fast
    ilcs services chain [--data DIR]             the recruitment chain and its late link
    ilcs services expectations [--data DIR]      standards kept against satisfied customers
    ilcs services practices RATINGS.csv [--owner NAME ...] [--start DD/MM/YYYY]
                                                 a team's 18-practice self-assessment

DIR holds requests.csv, standards.csv and survey_responses.csv (default: the sample
organisation). Bad input lists every problem (file, row, column) and exits 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ilcs.commands import help_when_bare


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "services", help="internal customers: service map, service chain, expectations, "
                         "the 18-practice self-assessment")
    sub = parser.add_subparsers(dest="services_command", metavar="ACTION")
    for name, help_text, func in (
        ("map", "who serves whom: requests and typical working hours to resolve", _map),
        ("chain", "the recruitment chain, link by link, and its late link", _chain),
        ("expectations", "standards kept before each survey wave against satisfied customers",
         _expectations),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--data", metavar="DIR", default=None,
                       help="folder with requests.csv, standards.csv, survey_responses.csv "
                            "(default: the sample organisation)")
        p.set_defaults(func=func)
    p = sub.add_parser("practices", help="summarise a team's 18-practice self-assessment file")
    p.add_argument("ratings", help="CSV or XLSX: team, p01 ... p18 (ratings 1-5, blank = none)")
    p.add_argument("--owner", action="append", default=[], metavar="NAME",
                   help="owner of the next weakest practice's action (repeat, in order)")
    p.add_argument("--start", metavar="DD/MM/YYYY", default=None,
                   help="the action plan's start date (default: today)")
    p.set_defaults(func=_practices)
    help_when_bare(parser)


def _load(folder: str | None, kinds: tuple[str, ...]) -> dict[str, Any]:
    from ilcs.errors import DataError, Problem
    from ilcs.io import load
    from ilcs.paths import sample_dir

    base = Path(folder) if folder else sample_dir()
    tables: dict[str, Any] = {}
    problems: list[Problem] = []
    for kind in kinds:
        path = base / f"{kind}.csv"
        if not path.is_file():
            problems.append(Problem("file not found", file=str(path)))
            continue
        try:
            tables[kind] = load(path, kind)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    return tables


def _print(table: Any, title: str) -> None:
    print(title)
    print(table.to_string(index=False) if len(table) else "  (none)")
    print()


def _pct(count: Any, total: Any, pct: Any) -> str:
    if pct != pct:  # NaN: suppressed
        return "fewer than 5" if int(total) < 5 else "-"
    return f"{pct:.1f} % ({int(count)} of {int(total)})"


def _map(args: argparse.Namespace) -> int:
    from ilcs.services.service_map import service_map, team_summary

    data = _load(args.data, ("requests", "standards"))
    table = service_map(data["requests"], data["standards"])
    totals = table.groupby("provider_team")["requests"].transform("sum")
    shown = table.assign(median_hours=table["median_hours"].round(1),
                         share=[_pct(n, t, p) for n, t, p in zip(
                             table["requests"], totals, table["share_pct"])]).drop(
        columns=["share_pct"])
    _print(team_summary(table), "Each provider team and its biggest internal customer")
    _print(shown, "Who serves whom (median = typical working hours to resolve)")
    return 0


def _chain(args: argparse.Namespace) -> int:
    from ilcs.services.chain import chain_table, late_link

    data = _load(args.data, ("requests", "standards"))
    table = chain_table(data["requests"], data["standards"])
    shown = table.assign(within=[_pct(w, m, p) for w, m, p in zip(
        table["within"], table["measured"], table["pct_within"])],
        median_hours=table["median_hours"].round(1))[
        ["order", "step", "provider_team", "category", "requests", "within", "median_hours"]]
    _print(shown, "The recruitment chain (within = met the team's resolution standard)")
    late = late_link(table)
    print(f"Late link: {late['order']}. {late['step']} ({late['provider_team']}), "
          f"{_pct(late['within'], late['measured'], late['pct_within'])} within standard")
    return 0


def _expectations(args: argparse.Namespace) -> int:
    from ilcs.services.expectations import rank_agreement, standards_vs_satisfaction

    data = _load(args.data, ("requests", "standards", "survey_responses"))
    table = standards_vs_satisfaction(data["requests"], data["standards"],
                                      data["survey_responses"])
    shown = table.assign(
        kept=[_pct(w, m, p) for w, m, p in zip(table["within"], table["measured"],
                                               table["pct_within"])],
        satisfied=[_pct(s, n, p) for s, n, p in zip(table["satisfied"], table["responses"],
                                                    table["pct_satisfied"])])[
        ["wave", "provider_team", "window", "kept", "satisfied"]]
    _print(shown, "Standards kept before each wave, and customers satisfied overall in it")
    print(f"Rank agreement between the two: {rank_agreement(table):.2f} "
          "(1 = same order, 0 = no link)")
    return 0


def _practices(args: argparse.Namespace) -> int:
    from ilcs.assessment.decisions import parse_due_date
    from ilcs.errors import DataError, Problem
    from ilcs.services import practices as pr

    path = Path(args.ratings)
    if not path.is_file():
        raise DataError(Problem("file not found", file=str(path)))
    ratings = pr.load_ratings(path)
    start = None
    if args.start:
        try:
            start = parse_due_date(args.start)
        except DataError:
            raise DataError(Problem(f"{args.start!r} is not a date: write DD/MM/YYYY",
                                    column="--start")) from None
    sizes = pr.team_sizes(ratings)
    _print(sizes, "Who took part (teams under 5 are never shown on their own)")
    for team, part in ratings.groupby("team", sort=True):
        if len(part) < pr.MIN_GROUP:
            continue
        summary = pr.practice_summary(part)
        shown = summary.assign(mean=summary["mean"].round(2), strong=[
            _pct(s, n, p) for s, n, p in zip(summary["strong"], summary["ratings"],
                                             summary["pct_strong"])])[
            ["number", "name", "ratings", "mean", "strong"]]
        _print(shown, f"{team}: average rating of each practice (strong = rated 4 or 5)")
        weak = pr.weakest(summary)
        owners = {int(n): name for n, name in zip(weak["number"], args.owner)}
        _print(pr.action_plan(weak, owners, start=start), f"{team}: draft action plan")
    if sizes["people"].ne(pr.FEWER_THAN).sum() > 1:
        _print(pr.compare_teams(ratings).round(2), "Teams compared (average ratings)")
    return 0
