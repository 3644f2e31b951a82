"""One schema per dataset kind, as in docs/data-contracts.md and datasets/README.md."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ilcs.io.columns import Column, NotBefore, Schema
from ilcs.io.dates import minutes_of_day
from ilcs.io.problems import ProblemLog
from ilcs.working_time import NATIONS

CHANNELS = ("portal", "email", "phone", "walk-in", "chat")
PRIORITIES = ("P1", "P2", "P3", "P4")
MEASURES = ("first_response", "resolution")
UNITS = ("working_hours", "working_days")
SEVERITIES = ("low", "medium", "high")
OUTCOMES = ("upheld", "partly-upheld", "not-upheld", "withdrawn")
YES_NO = ("yes", "no")
STAGES = ("received", "acknowledged", "assessed", "investigating", "responded", "closed",
          "reopened", "escalated")
LIKERT_ITEMS = ("q_timely", "q_helpful", "q_informed", "q_quality", "q_overall")
#: The survey statements as shown to respondents (1 strongly disagree .. 5 strongly agree).
SURVEY_ITEM_TEXT = {
    "q_timely": "The team dealt with my request in good time",
    "q_helpful": "Staff were helpful and courteous",
    "q_informed": "I was kept informed of progress",
    "q_quality": "The outcome met my needs",
    "q_overall": "Overall, I am satisfied with the service",
    "recommend": "How likely are you to recommend the team to a colleague? (0-10)",
    "effort": "How easy was it to get the help you needed? (1 very easy - 7 very hard)",
}


# ---------------------------------------------------------------- table checks

def _check_hold_has_start(table: pd.DataFrame, log: ProblemLog) -> None:
    """A hold end needs a hold start (a hold start with no end is a request on hold now)."""
    bad = (table["on_hold_until"].notna() & table["on_hold_from"].isna()).to_numpy(dtype=bool)
    log.add_rows(np.flatnonzero(bad), "on_hold_from",
                 "on_hold_until is given but on_hold_from is blank: when did the hold start?")


def _check_lunch(table: pd.DataFrame, log: ProblemLog) -> None:
    """Lunch is `HH:MM-HH:MM`, ends after it starts, and lies inside opens..closes."""
    lunch = table["lunch"]
    given = lunch.notna()
    if not given.any():
        return
    parts = lunch[given].str.extract(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")
    start = minutes_of_day(parts[0].str.zfill(5))
    end = minutes_of_day(parts[1].str.zfill(5))
    opens = minutes_of_day(table.loc[given, "opens"])
    closes = minutes_of_day(table.loc[given, "closes"])
    malformed = parts[0].isna() | (start >= 24 * 60).fillna(True) | (end >= 24 * 60).fillna(True)
    outside = ~malformed & ((start >= end) | (start < opens) | (end > closes)).fillna(False)
    for pos in np.flatnonzero(malformed.to_numpy()):
        row = int(given.to_numpy().nonzero()[0][pos])
        log.add(f"'{lunch.iloc[row]}' is not a lunch break (expected HH:MM-HH:MM, e.g. "
                "12:30-13:30)", row=row, column="lunch")
    for pos in np.flatnonzero(outside.to_numpy(dtype=bool)):
        row = int(given.to_numpy().nonzero()[0][pos])
        log.add(f"lunch {lunch.iloc[row]} must start before it ends and lie within opening "
                f"hours {table['opens'].iloc[row]}-{table['closes'].iloc[row]}",
                row=row, column="lunch")


def _check_event_sequence(table: pd.DataFrame, log: ProblemLog) -> None:
    """Per complaint (in file order): the first event is `received`, times never go
    backwards, and nothing happens before the complaint was received."""
    ids = table["complaint_id"]
    at = table["at"]
    first = ~ids.duplicated(keep="first")
    not_received_first = first & (table["stage"] != "received").fillna(True)
    positions = np.flatnonzero(not_received_first.to_numpy(dtype=bool))
    log.add_rows(positions, "stage",
                 [f"the first event of complaint {ids.iloc[p]} is '{table['stage'].iloc[p]}'; "
                  "it must be 'received'" for p in positions[:50]])
    received_at = at.where(table["stage"] == "received").groupby(ids).transform("min")
    before = (at < received_at).fillna(False).to_numpy(dtype=bool)
    positions = np.flatnonzero(before)
    log.add_rows(positions, "at",
                 [f"{table['stage'].iloc[p]} at {at.iloc[p]:%Y-%m-%d %H:%M} is before complaint "
                  f"{ids.iloc[p]} was received ({received_at.iloc[p]:%Y-%m-%d %H:%M})"
                  for p in positions[:50]])
    previous = at.groupby(ids).shift(1)
    backwards = ((at < previous).fillna(False).to_numpy(dtype=bool)) & ~before
    positions = np.flatnonzero(backwards)
    log.add_rows(positions, "at",
                 [f"events of complaint {ids.iloc[p]} are out of time order: "
                  f"{at.iloc[p]:%Y-%m-%d %H:%M} comes after {previous.iloc[p]:%Y-%m-%d %H:%M}"
                  for p in positions[:50]])


def _check_reporting_lines(table: pd.DataFrame, log: ProblemLog) -> None:
    """Every manager exists, exactly one role is at the top, and there are no cycles."""
    roles = table["role_id"]
    manager = table["reports_to"]
    known = set(roles.dropna())
    unknown = (manager.notna() & ~manager.isin(known)).to_numpy(dtype=bool)
    positions = np.flatnonzero(unknown)
    log.add_rows(positions, "reports_to",
                 [f"reports to '{manager.iloc[p]}', which is not a role_id in this file"
                  for p in positions[:50]])
    tops = np.flatnonzero(manager.isna().to_numpy())
    if len(tops) == 0:
        log.add("no role is at the top: exactly one role must have a blank reports_to",
                column="reports_to")
    for p in tops[1:]:
        log.add(f"role {roles.iloc[p]} has a blank reports_to, but {roles.iloc[tops[0]]} "
                f"(row {log.sheet_row(tops[0])}) is already the top role", row=int(p),
                column="reports_to")
    boss = dict(zip(roles, manager))
    position = {r: i for i, r in enumerate(roles)}
    reported: set[str] = set()
    for start in roles:
        seen: list[str] = []
        node = start
        while isinstance(node, str) and node in boss and node not in seen:
            seen.append(node)
            node = boss[node]
        if isinstance(node, str) and node in seen:
            loop = seen[seen.index(node):]
            key = min(loop)
            if key in reported:
                continue
            reported.add(key)
            chain = " -> ".join(loop + [node])
            log.add(f"reporting lines go round in a circle: {chain}",
                    row=position[key], column="reports_to")


def _check_not_empty(table: pd.DataFrame, log: ProblemLog) -> None:
    """Survey rows where every item is blank are not responses."""
    items = list(LIKERT_ITEMS) + ["recommend", "effort"]
    answered = table[items].notna().any(axis=1) | table["comment"].notna()
    positions = np.flatnonzero(~answered.to_numpy(dtype=bool))
    log.add_rows(positions, "q_timely", "no question answered and no comment: not a response")


# ---------------------------------------------------------------- schemas

REQUESTS = Schema(
    kind="requests",
    description="Service requests made by internal customers to provider teams.",
    columns=(
        Column("request_id", required=True, description="unique reference"),
        Column("requester_department", required=True),
        Column("provider_team", required=True),
        Column("channel", required=True, allowed=CHANNELS),
        Column("category", required=True),
        Column("priority", required=True, allowed=PRIORITIES),
        Column("received_at", "datetime", required=True),
        Column("first_response_at", "datetime", may_be_absent=True),
        Column("resolved_at", "datetime", may_be_absent=True),
        Column("reopened", "integer", may_be_absent=True, minimum=0, default=0),
        Column("contacts", "integer", may_be_absent=True, minimum=1),
        Column("on_hold_from", "datetime", may_be_absent=True),
        Column("on_hold_until", "datetime", may_be_absent=True),
    ),
    unique=(("request_id",),),
    order=(
        NotBefore("first_response_at", "received_at"),
        NotBefore("resolved_at", "received_at"),
        NotBefore("resolved_at", "first_response_at"),
        NotBefore("on_hold_from", "received_at"),
        NotBefore("on_hold_until", "on_hold_from"),
        NotBefore("resolved_at", "on_hold_until"),
    ),
    checks=(_check_hold_has_start,),
)

STANDARDS = Schema(
    kind="standards",
    description="Service standards each provider team has agreed with its internal customers.",
    columns=(
        Column("standard_id", required=True),
        Column("provider_team", required=True),
        Column("description", required=True),
        Column("measure", required=True, allowed=MEASURES),
        Column("priority", may_be_absent=True, allowed=PRIORITIES),
        Column("categories", may_be_absent=True,
               description="request categories it applies to, separated by ';' "
                           "(blank = all the team's requests)"),
        Column("target", "number", required=True, above=0),
        Column("unit", required=True, allowed=UNITS),
        Column("nation", may_be_absent=True, allowed=tuple(NATIONS), default="england-and-wales"),
        Column("opens", "time", may_be_absent=True, default="09:00"),
        Column("closes", "time", may_be_absent=True, default="17:00"),
        Column("lunch", may_be_absent=True),
    ),
    unique=(("standard_id",),),
    order=(NotBefore("closes", "opens", strict=True),),
    checks=(_check_lunch,),
)

COMPLAINTS = Schema(
    kind="complaints",
    description="Complaints from internal customers about a provider team.",
    columns=(
        Column("complaint_id", required=True),
        Column("received_at", "datetime", required=True),
        Column("department", required=True),
        Column("about_team", required=True),
        Column("category", required=True),
        Column("severity", required=True, allowed=SEVERITIES),
        Column("remedy_sought", may_be_absent=True),
        Column("outcome", allowed=OUTCOMES),
        Column("satisfied_with_handling", may_be_absent=True, allowed=YES_NO),
    ),
    unique=(("complaint_id",),),
)

COMPLAINT_EVENTS = Schema(
    kind="complaint_events",
    description="What happened to each complaint, stage by stage.",
    columns=(
        Column("complaint_id", required=True),
        Column("stage", required=True, allowed=STAGES),
        Column("at", "datetime", required=True),
        Column("actor", may_be_absent=True),
        Column("note", may_be_absent=True),
    ),
    checks=(_check_event_sequence,),
)

SURVEY_RESPONSES = Schema(
    kind="survey_responses",
    description="Answers to the internal customer satisfaction survey.",
    columns=(
        Column("response_id", required=True),
        Column("wave", "integer", required=True, minimum=1, maximum=2),
        Column("submitted_at", "datetime", required=True),
        Column("department", required=True),
        Column("about_team", required=True),
        *(Column(item, "integer", minimum=1, maximum=5) for item in LIKERT_ITEMS),
        Column("recommend", "integer", minimum=0, maximum=10),
        Column("effort", "integer", minimum=1, maximum=7),
        Column("comment", may_be_absent=True),
    ),
    unique=(("response_id",),),
    checks=(_check_not_empty,),
)

SURVEY_INVITATIONS = Schema(
    kind="survey_invitations",
    description="How many people in each department were invited to each survey wave.",
    columns=(
        Column("wave", "integer", required=True, minimum=1, maximum=2),
        Column("department", required=True),
        Column("invited", "integer", required=True, above=0),
    ),
    unique=(("wave", "department"),),
)

ORG_CHART = Schema(
    kind="org_chart",
    description="Roles, reporting lines and which problem categories each role handles.",
    columns=(
        Column("role_id", required=True),
        Column("role_title", required=True),
        Column("person", required=True),
        Column("department", required=True),
        Column("team", required=True),
        Column("reports_to"),
        Column("handles", may_be_absent=True),
    ),
    unique=(("role_id",),),
    checks=(_check_reporting_lines,),
)

def _check_staff_movement(table: pd.DataFrame, log: ProblemLog) -> None:
    """Quarters are YYYY-Qn, and nobody leaves who was not there."""
    quarter = table["quarter"]
    # (matched where given: filling the blanks first would fail on a categorical column)
    shaped = quarter.str.fullmatch(r"\d{4}-Q[1-4]").astype(object).fillna(True).astype(bool)
    malformed = (quarter.notna() & ~shaped).to_numpy(dtype=bool)
    positions = np.flatnonzero(malformed)
    log.add_rows(positions, "quarter",
                 [f"'{quarter.iloc[p]}' is not a quarter (expected YYYY-Qn, e.g. 2025-Q1)"
                  for p in positions[:50]])
    too_many = (table["left"] > table["headcount_start"] + table["joined"]).fillna(False)
    positions = np.flatnonzero(too_many.to_numpy(dtype=bool))
    log.add_rows(positions, "left",
                 [f"{table['left'].iloc[p]} left, but only {table['headcount_start'].iloc[p]} "
                  f"were there at the start and {table['joined'].iloc[p]} joined"
                  for p in positions[:50]])


STAFF_MOVEMENT = Schema(
    kind="staff_movement",
    description="How many staff each department had, and how many joined and left, by quarter.",
    columns=(
        Column("department", required=True),
        Column("quarter", required=True),
        Column("headcount_start", "integer", required=True, above=0),
        Column("joined", "integer", required=True, minimum=0),
        Column("left", "integer", required=True, minimum=0),
    ),
    unique=(("department", "quarter"),),
    checks=(_check_staff_movement,),
)

SCHEMAS: dict[str, Schema] = {
    s.kind: s for s in (REQUESTS, STANDARDS, COMPLAINTS, COMPLAINT_EVENTS, SURVEY_RESPONSES,
                        SURVEY_INVITATIONS, ORG_CHART, STAFF_MOVEMENT)
}
KINDS: tuple[str, ...] = tuple(SCHEMAS)
