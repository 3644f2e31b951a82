"""The satisfaction dashboard: the content map's 6.1 indicators side by side, per team.

Survey scores are one indicator among several. For each provider team:

- survey: % satisfied (top two answers to the overall item) in each wave, with counts;
- time to respond: % of first responses within the agreed standard (from the request log,
  measured in working time by `ilcs.standards`);
- performance against targets: % of requests that met all of the team's standards;
- complaints received and resolved (a complaint is resolved once it has an outcome);
- requests for improvement: complaints whose remedy asks for a change to the service
  (a process change or training), not only for this one problem to be put right.

- staff staying and leaving: of the staff in the team's department at the start of the
  period, how many left during it (from the staff-movement table and the org chart, when
  given).
"""

from __future__ import annotations

import math

import pandas as pd

from ilcs.surveys import evaluate as ev
from ilcs.surveys.privacy import MIN_GROUP
from ilcs.surveys.questionnaire import Questionnaire

#: Remedies that ask for the service itself to change.
IMPROVEMENT_REMEDIES: tuple[str, ...] = ("Change the process so it does not happen again",
                                         "Training for the staff involved")


def _share(part: int, whole: int) -> float:
    return 100 * part / whole if whole else math.nan


def satisfaction_indicators(responses: pd.DataFrame, questionnaire: Questionnaire,
                            sla_standards: pd.DataFrame, complaints: pd.DataFrame, *,
                            item: str = "q_overall", min_group: int = MIN_GROUP,
                            staff: pd.DataFrame | None = None,
                            org_chart: pd.DataFrame | None = None,
                            still_open: dict[str, int] | None = None) -> pd.DataFrame:
    """One row per provider team (teams in any of the three sources). `sla_standards` is
    `SlaReport.standards` (measured, met and measure per standard). A complaint is resolved
    unless `still_open` (team -> complaints still open, from the complaints topic's report,
    which reads the event log) says otherwise; without it, once it has an outcome. With
    `staff` (the staff-movement table) and `org_chart` (which department each team is in),
    a column of staff who left the team's department. A team with fewer than `min_group`
    answers in a wave, or complaints, shows "fewer than 5" there."""
    teams = sorted(set(responses["about_team"].dropna()) | set(sla_standards["provider_team"])
                   | set(complaints["about_team"].dropna()))
    waves = sorted(int(w) for w in responses["wave"].dropna().unique())
    survey_item = questionnaire.item(item)
    rows = []
    for team in teams:
        row: dict[str, object] = {"team": team}
        for wave in waves:
            part = responses[(responses["about_team"] == team) & (responses["wave"] == wave)]
            values = ev.values_of(part, survey_item.id)
            figures = ev.item_row(values, survey_item)
            if len(values) < min_group:
                row[f"satisfied_w{wave}"] = f"fewer than {min_group}"
            else:
                row[f"satisfied_w{wave}"] = (f"{figures['top2']} of {figures['n']} "
                                             f"({figures['top2_pct']:.1f}%)")
        standards = sla_standards[sla_standards["provider_team"] == team]
        first = standards[standards["measure"] == "first_response"]
        row["first_response_on_time"] = _count_pct(int(first["met"].sum()),
                                                   int(first["measured"].sum()))
        row["all_standards_met"] = _count_pct(int(standards["met"].sum()),
                                              int(standards["measured"].sum()))
        mine = complaints[complaints["about_team"] == team]
        received = len(mine)
        resolved = (received - int(still_open.get(team, 0)) if still_open is not None
                    else int(mine["outcome"].notna().sum()))
        asks = mine["remedy_sought"].isin(IMPROVEMENT_REMEDIES) if "remedy_sought" in mine \
            else pd.Series(False, index=mine.index)
        if 0 < received < min_group:
            words = f"fewer than {min_group}"
            row.update(complaints_received=words, complaints_resolved=words,
                       improvement_requests=words)
        else:
            row["complaints_received"] = received
            row["complaints_resolved"] = _count_pct(resolved, received)
            row["improvement_requests"] = int(asks.sum())
        if staff is not None and org_chart is not None:
            row["staff_left"] = staff_left(staff, _department_of(org_chart, team))
        rows.append(row)
    return pd.DataFrame(rows)


def _department_of(org_chart: pd.DataFrame, team: str) -> str | None:
    departments = org_chart.loc[org_chart["team"] == team, "department"]
    return None if departments.empty else str(departments.mode().iloc[0])


def staff_left(staff: pd.DataFrame, department: str | None) -> str:
    """Staff who left a department over the whole table's period, of those there at the
    start of its first quarter ("-" if the department is not in the table)."""
    rows = staff[staff["department"] == department].sort_values("quarter")
    if department is None or rows.empty:
        return "-"
    return _count_pct(int(rows["left"].sum()), int(rows["headcount_start"].iloc[0]))


def _count_pct(part: int, whole: int) -> str:
    if whole == 0:
        return "-"
    return f"{part:,} of {whole:,} ({_share(part, whole):.1f}%)"


HEADINGS: dict[str, str] = {
    "team": "Team", "satisfied_w1": "Satisfied, wave 1 (March)",
    "satisfied_w2": "Satisfied, wave 2 (October)",
    "first_response_on_time": "First responses within standard",
    "all_standards_met": "Targets met (every standard, every request)",
    "complaints_received": "Complaints received", "complaints_resolved": "Complaints resolved",
    "improvement_requests": "Requests for improvement (from complaints)",
    "staff_left": "Staff who left the team's department in the year",
}
