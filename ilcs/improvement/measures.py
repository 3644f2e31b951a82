"""The sample organisation's figures an improvement team charts, from the other topics' cores.

Request times come from the SLA engine (`ilcs.standards.measures`): each finished request is
measured against its team's standard, in working hours. They are grouped by the week the
request was received (weeks start on Monday, labelled by that Monday, day first). A week with
fewer than `MIN_WEEK` finished requests is left out of the charts (too few to say anything) and
reported as "fewer than 5".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ilcs.errors import DataError
from ilcs.improvement.compare import compare_proportions, compare_values
from ilcs.improvement.control import ControlChart, c_chart, p_chart, u_chart, xmr_chart
from ilcs.standards.measures import SlaReport

MIN_WEEK = 5
#: measure key -> (SLA measure, what is charted, chart kind)
MEASURES: dict[str, tuple[str, str, str]] = {
    "first_response_hours": ("first_response", "First response: median working hours", "xmr"),
    "first_response_within": ("first_response", "First response: % within target", "p"),
    "resolution_hours": ("resolution", "Resolution: median working hours", "xmr"),
    "resolution_within": ("resolution", "Resolution: % within target", "p"),
}


@dataclass(frozen=True)
class WeeklySeries:
    """One team's weekly figures for one measure, and the weeks left out as too small."""

    team: str
    measure: str
    table: pd.DataFrame  # week, label, n, within, median_hours
    left_out: list[str]

    @property
    def title(self) -> str:
        return f"{self.team}: {MEASURES[self.measure][1]}"


def measured_table(source: pd.DataFrame | SlaReport) -> pd.DataFrame:
    """The SLA engine's per-request table: `SlaReport.measured`, or `measure()`'s result."""
    return source.measured if isinstance(source, SlaReport) else source


def finished_requests(report: pd.DataFrame | SlaReport, team: str, measure: str
                      ) -> pd.DataFrame:
    """The team's finished requests measured for `measure` (one row per request); `report` is
    an SLA report or its per-request table."""
    if measure not in MEASURES:
        raise DataError(f"'{measure}' is not a measure: use one of {', '.join(MEASURES)}")
    sla_measure = MEASURES[measure][0]
    table = measured_table(report)
    rows = table[(table["provider_team"] == team) & (table["measure"] == sla_measure)
                 & table["status"].isin(["met", "breached"])]
    if rows.empty:
        teams = sorted(set(table["provider_team"]))
        raise DataError(f"no finished requests of '{team}' are measured for "
                        f"{sla_measure.replace('_', ' ')}: the teams are {', '.join(teams)}")
    rows = rows.drop_duplicates("request_id").copy()
    rows["week"] = (rows["received_at"].dt.normalize()
                    - pd.to_timedelta(rows["received_at"].dt.day_of_week, unit="D"))
    return rows


def weekly(report: pd.DataFrame | SlaReport, team: str, measure: str) -> WeeklySeries:
    """Weekly counts, number within target and median working hours of a team's requests."""
    rows = finished_requests(report, team, measure)
    grouped = rows.groupby("week").agg(
        n=("request_id", "size"),
        within=("status", lambda s: int((s == "met").sum())),
        median_hours=("working_hours", "median"),
    ).reset_index()
    grouped["label"] = grouped["week"].dt.strftime("%d/%m")
    small = grouped["n"] < MIN_WEEK
    left_out = [f"week of {w:%d/%m/%Y} (fewer than {MIN_WEEK} requests)"
                for w in grouped.loc[small, "week"]]
    table = grouped.loc[~small, ["week", "label", "n", "within", "median_hours"]]
    return WeeklySeries(team, measure, table.reset_index(drop=True), left_out)


def weekly_chart(report: pd.DataFrame | SlaReport, team: str, measure: str,
                 split_at: str | None = None) -> tuple[WeeklySeries, ControlChart]:
    """The weekly control chart of a team's measure: XmR of the median working hours, or a
    p-chart of the share within target (as a proportion 0..1)."""
    series = weekly(report, team, measure)
    t = series.table
    labels = list(t["label"])
    if MEASURES[measure][2] == "xmr":
        chart = xmr_chart(list(t["median_hours"]), labels, split_at=split_at)
    else:
        chart = p_chart(list(t["within"]), list(t["n"]), labels, split_at=split_at)
    return series, chart


def before_after(report: pd.DataFrame | SlaReport, team: str, measure: str, change_on: str
                 ) -> tuple[pd.Series, pd.Series]:
    """Working hours of the team's finished requests received before and on/after a date
    ('YYYY-MM-DD' or 'DD/MM/YYYY')."""
    rows = finished_requests(report, team, measure)
    when = _day(change_on)
    before = rows.loc[rows["received_at"] < when, "working_hours"]
    after = rows.loc[rows["received_at"] >= when, "working_hours"]
    return before.reset_index(drop=True), after.reset_index(drop=True)


def within_counts(report: pd.DataFrame | SlaReport, team: str, measure: str, change_on: str
                  ) -> tuple[int, int, int, int]:
    """(within before, finished before, within after, finished after) around a date."""
    rows = finished_requests(report, team, measure)
    when = _day(change_on)
    b, a = rows[rows["received_at"] < when], rows[rows["received_at"] >= when]
    return (int((b["status"] == "met").sum()), len(b), int((a["status"] == "met").sum()), len(a))


def _day(text: str) -> pd.Timestamp:
    from datetime import date

    try:
        if "/" in str(text):
            return pd.to_datetime(str(text).strip(), format="%d/%m/%Y")
        return pd.Timestamp(date.fromisoformat(str(text).strip()))
    except ValueError:
        raise DataError(f"'{text}' is not a date: write it as DD/MM/YYYY, e.g. 01/07/2025"
                        ) from None


def week_of(day: str) -> str:
    """The label ('DD/MM' of its Monday) of the week a date ('DD/MM/YYYY') falls in."""
    when = _day(day)
    return (when - pd.Timedelta(days=when.weekday())).strftime("%d/%m")


def before_after_text(data: BoardData, team: str, measure: str, change_on: str) -> str:
    """The plain-words before/after statement of a team's measure around a date."""
    if MEASURES[measure][2] == "p":
        result = compare_proportions(*within_counts(data.measured, team, measure, change_on),
                                     measure=f"share of {team} requests within target")
    else:
        before, after = before_after(data.measured, team, measure, change_on)
        result = compare_values(before, after, unit="working hours",
                                measure=f"median {MEASURES[measure][0].replace('_', ' ')} "
                                        f"of {team}")
    return result.statement()


def complaint_causes(complaints: pd.DataFrame, team: str | None = None) -> pd.Series:
    """The category of each complaint (of one team, or all)."""
    rows = complaints if team is None else complaints[complaints["about_team"] == team]
    return rows["category"].reset_index(drop=True)


def monthly_complaints(complaints: pd.DataFrame) -> ControlChart:
    """A c-chart of the number of complaints received each month."""
    months = complaints["received_at"].dt.to_period("M")
    counts = months.value_counts().sort_index()
    full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    return c_chart(list(counts.to_numpy()), [p.strftime("%b %Y") for p in counts.index])


def complaints_per_100_requests(complaints: pd.DataFrame, requests: pd.DataFrame,
                                team: str | None = None) -> ControlChart:
    """A u-chart of complaints per 100 requests each month (of one team, or all)."""
    cmp = complaints if team is None else complaints[complaints["about_team"] == team]
    req = requests if team is None else requests[requests["provider_team"] == team]
    c = cmp["received_at"].dt.to_period("M").value_counts()
    n = req["received_at"].dt.to_period("M").value_counts().sort_index()
    c = c.reindex(n.index, fill_value=0)
    return u_chart(list(c.to_numpy()), [v / 100 for v in n.to_numpy()],
                   [p.strftime("%b %Y") for p in n.index])


def late_requests(report: pd.DataFrame | SlaReport, requests: pd.DataFrame, team: str,
                  measure: str, by: str = "channel", before: str | None = None) -> pd.Series:
    """For each of a team's requests that missed its target (received before a date, if
    given), the value of column `by` of the request log (e.g. its channel or category)."""
    if by not in requests.columns:
        raise DataError(f"the request log has no column '{by}' to group late requests by")
    rows = finished_requests(report, team, measure)
    rows = rows[rows["status"] == "breached"]
    if before is not None:
        rows = rows[rows["received_at"] < _day(before)]
    late = rows[["request_id"]].merge(requests[["request_id", by]], on="request_id", how="left")
    return late[by].reset_index(drop=True)


@dataclass(frozen=True)
class BoardData:
    """Everything the improvement board and notebook 08 chart: the request log, each request
    measured against its standards (the SLA engine's `measure()`) and the complaints."""

    requests: pd.DataFrame
    measured: pd.DataFrame
    complaints: pd.DataFrame

    @property
    def teams(self) -> list[str]:
        return sorted(set(self.measured["provider_team"]))

    def measures_of(self, team: str) -> list[str]:
        """The measures a team has a standard for (Purchasing has no first response one)."""
        kinds = set(self.measured.loc[self.measured["provider_team"] == team, "measure"])
        return [m for m, (kind, _, _) in MEASURES.items() if kind in kinds]


def load_board_data(data_dir: str | None = None) -> BoardData:
    """Read requests, standards and complaints from a folder (the sample by default)."""
    from pathlib import Path

    from ilcs.io import load
    from ilcs.paths import sample_dir
    from ilcs.standards.measures import default_as_of, measure

    folder = Path(data_dir) if data_dir is not None else sample_dir()
    requests = load(folder / "requests.csv", "requests")
    standards = load(folder / "standards.csv", "standards")
    return BoardData(requests, measure(requests, standards, default_as_of(requests)),
                     load(folder / "complaints.csv", "complaints"))
