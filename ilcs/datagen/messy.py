"""Realistic flawed files for `datasets/messy/`: each must be rejected by `ilcs data check`.

Each file is a small slice of the sample data with one kind of mistake put in, the sort a
real export or a hand-edited spreadsheet has. They are used to teach validation (what the
error message says and how to fix the file) and to test it. Named `<kind>_<flaw>.csv`.

    write_messy("datasets/messy")   # rebuilds the committed files exactly
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ilcs.io.write import write_bytes, write_csv

ROWS = 15  # data rows in each file (spreadsheet rows 2..16)


@dataclass(frozen=True)
class Flaw:
    kind: str
    name: str
    explanation: str
    make: Callable[[dict[str, pd.DataFrame]], pd.DataFrame | None]

    @property
    def file_name(self) -> str:
        return f"{self.kind}_{self.name}.csv"


def _head(tables: dict[str, pd.DataFrame], kind: str, rows: int = ROWS) -> pd.DataFrame:
    return tables[kind].head(rows).copy().reset_index(drop=True)


def _at(row: int) -> int:
    """Data position of spreadsheet row `row` (header is row 1)."""
    return row - 2


def _uk(stamp: str) -> str:
    """2025-03-04 10:15 -> 04/03/2025 10:15 (how a UK spreadsheet shows it)."""
    if not stamp:
        return ""
    date, _, time = stamp.partition(" ")
    y, m, d = date.split("-")
    return f"{d}/{m}/{y} {time}".strip()


def _us(stamp: str) -> str:
    """2025-03-04 10:15 -> 03/04/2025 10:15 (month first)."""
    return f"{stamp[5:7]}/{stamp[8:10]}/{stamp[:4]} {stamp[11:]}".strip() if stamp else ""


def _uk_dates(table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    for column in columns:
        table[column] = [_uk(v) for v in table[column]]
    return table


REQUEST_TIMES = ("received_at", "first_response_at", "resolved_at", "on_hold_from",
                 "on_hold_until")


def _requests_missing_columns(t):
    return _head(t, "requests").drop(columns=["received_at", "priority"])


def _requests_duplicate_ids(t):
    table = _head(t, "requests")
    table.loc[_at(9), "request_id"] = table.loc[_at(4), "request_id"]
    return table


def _requests_resolved_before_received(t):
    table = _head(t, "requests")
    received = table.loc[_at(6), "received_at"]
    day = pd.Timestamp(received) - pd.Timedelta(days=1)
    table.loc[_at(6), "resolved_at"] = day.strftime("%Y-%m-%d %H:%M")
    return table


def _requests_unparseable_dates(t):
    table = _uk_dates(_head(t, "requests"), REQUEST_TIMES)
    table.loc[_at(3), "received_at"] = "3rd Jan 2025 10am"
    table.loc[_at(11), "first_response_at"] = "ASAP"
    return table


def _requests_impossible_dates(t):
    table = _uk_dates(_head(t, "requests"), REQUEST_TIMES)
    table.loc[_at(5), "received_at"] = "31/02/2025 09:40"
    table.loc[_at(12), "resolved_at"] = "29/02/2025 16:05"
    return table


def _requests_us_dates(t):
    table = _head(t, "requests")
    for column in REQUEST_TIMES:  # month first, as some American systems export
        table[column] = [_us(v) for v in table[column]]
    table.loc[_at(7), "received_at"] = "01/13/2025 09:10"
    return table


def _requests_bad_values(t):
    table = _head(t, "requests")
    table.loc[_at(2), "channel"] = "fax"
    table.loc[_at(8), "priority"] = "High"
    table.loc[_at(10), "reopened"] = "-1"
    return table


def _requests_on_hold_after_resolved(t):
    table = _head(t, "requests", 40)
    held = table.index[table["on_hold_from"] != ""]
    pos = int(held[0]) if len(held) else _at(5)
    resolved = pd.Timestamp(table.loc[pos, "resolved_at"])
    table.loc[pos, "on_hold_until"] = (resolved + pd.Timedelta(hours=2)).strftime(
        "%Y-%m-%d %H:%M")
    return table


def _standards_bad_targets(t):
    table = t["standards"].copy()
    table.loc[_at(3), "target"] = "0"
    table.loc[_at(6), "target"] = "4 hours"
    table.loc[_at(9), "unit"] = "days"
    return table


def _standards_closes_before_opens(t):
    table = t["standards"].copy()
    table.loc[_at(5), "opens"] = "17:00"
    table.loc[_at(5), "closes"] = "09:00"
    table.loc[_at(10), "lunch"] = "12:30-18:00"
    return table


def _complaints_duplicate_ids(t):
    table = _head(t, "complaints")
    table.loc[_at(12), "complaint_id"] = table.loc[_at(5), "complaint_id"]
    return table


def _complaints_bad_values(t):
    table = _head(t, "complaints")
    table.loc[_at(4), "severity"] = "urgent"
    table.loc[_at(7), "outcome"] = "resolved"
    table.loc[_at(9), "satisfied_with_handling"] = "Y"
    return table


def _complaint_events_closed_before_received(t):
    table = _head(t, "complaint_events", 20)
    received = table.loc[_at(2), "at"]
    closed = table.index[(table["stage"] == "closed")
                         & (table["complaint_id"] == table.loc[_at(2), "complaint_id"])]
    pos = int(closed[0]) if len(closed) else _at(8)
    table.loc[pos, "at"] = (pd.Timestamp(received) - pd.Timedelta(days=2)).strftime(
        "%Y-%m-%d %H:%M")
    return table


def _complaint_events_first_not_received(t):
    table = _head(t, "complaint_events", 20)
    first_of_second = table.index[table["complaint_id"] != table.loc[0, "complaint_id"]][0]
    table.loc[first_of_second, "stage"] = "acknowledged"
    return table


def _survey_responses_out_of_range(t):
    table = _head(t, "survey_responses", 20)
    table.loc[_at(3), "q_timely"] = "6"
    table.loc[_at(6), "recommend"] = "11"
    table.loc[_at(10), "effort"] = "0"
    table.loc[_at(14), "q_overall"] = "4.5"
    return table


def _survey_responses_header_only(t):
    return t["survey_responses"].head(0)


def _survey_invitations_duplicate_department(t):
    table = t["survey_invitations"].copy()
    table.loc[_at(5), "department"] = table.loc[_at(4), "department"]
    table.loc[_at(12), "invited"] = "0"
    return table


def _org_chart_cycle(t):
    table = t["org_chart"].copy()
    # The head of department and the team manager below them report to each other.
    boss = table.loc[_at(14), "reports_to"]
    table.loc[table["role_id"] == boss, "reports_to"] = table.loc[_at(14), "role_id"]
    return table


def _org_chart_unknown_manager(t):
    table = t["org_chart"].copy()
    table.loc[_at(20), "reports_to"] = "R999"
    return table


def _empty(t):
    return None


FLAWS: tuple[Flaw, ...] = (
    Flaw("requests", "missing_columns", "the received_at and priority columns were left out "
         "of the export", _requests_missing_columns),
    Flaw("requests", "duplicate_ids", "row 9 repeats the request_id of row 4 (a copy-and-paste "
         "slip)", _requests_duplicate_ids),
    Flaw("requests", "resolved_before_received", "row 6 was resolved a day before it was "
         "received (a mistyped date)", _requests_resolved_before_received),
    Flaw("requests", "unparseable_dates", "UK dates, but row 3 says '3rd Jan 2025 10am' and "
         "row 11 'ASAP'", _requests_unparseable_dates),
    Flaw("requests", "impossible_dates", "UK dates, with 31/02/2025 on row 5 and 29/02/2025 "
         "(2025 is not a leap year) on row 12", _requests_impossible_dates),
    Flaw("requests", "us_dates", "month-first American dates: 01/13/2025 on row 7 has no "
         "13th month when read day-first, and the others are read as the wrong day",
         _requests_us_dates),
    Flaw("requests", "bad_values", "channel 'fax' (row 2), priority 'High' (row 8), "
         "reopened -1 (row 10)", _requests_bad_values),
    Flaw("requests", "on_hold_after_resolved", "an on-hold period that ends after the "
         "request was resolved", _requests_on_hold_after_resolved),
    Flaw("requests", "empty", "a file with nothing in it", _empty),
    Flaw("standards", "bad_targets", "target 0 (row 3), target '4 hours' (row 6), unit "
         "'days' (row 9)", _standards_bad_targets),
    Flaw("standards", "closes_before_opens", "opening hours 17:00 to 09:00 (row 5) and a "
         "lunch break past closing time (row 10)", _standards_closes_before_opens),
    Flaw("complaints", "duplicate_ids", "row 12 repeats the complaint_id of row 5",
         _complaints_duplicate_ids),
    Flaw("complaints", "bad_values", "severity 'urgent' (row 4), outcome 'resolved' "
         "(row 7), satisfied 'Y' (row 9)", _complaints_bad_values),
    Flaw("complaint_events", "closed_before_received", "a complaint closed two days before "
         "it was received", _complaint_events_closed_before_received),
    Flaw("complaint_events", "first_not_received", "the second complaint's log starts at "
         "'acknowledged', with no 'received' event", _complaint_events_first_not_received),
    Flaw("survey_responses", "out_of_range", "q_timely 6 (row 3), recommend 11 (row 6), "
         "effort 0 (row 10), q_overall 4.5 (row 14)", _survey_responses_out_of_range),
    Flaw("survey_responses", "header_only", "column headings but no responses",
         _survey_responses_header_only),
    Flaw("survey_responses", "empty", "a file with nothing in it", _empty),
    Flaw("survey_invitations", "duplicate_department", "the same wave and department twice "
         "(rows 4 and 5) and a department with 0 invited (row 12)",
         _survey_invitations_duplicate_department),
    Flaw("org_chart", "cycle", "a manager and the head above them report to each other",
         _org_chart_cycle),
    Flaw("org_chart", "unknown_manager", "row 20 reports to R999, a role not in the file",
         _org_chart_unknown_manager),
)


def write_messy(out: str | Path, tables: dict[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write every flawed file into `out` (from the default sample unless `tables` given)."""
    from ilcs.datagen import generate

    tables = tables if tables is not None else generate()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for flaw in FLAWS:
        path = folder / flaw.file_name
        table = flaw.make(tables)
        if table is None:
            write_bytes(path, b"")
        else:
            write_csv(table, path, encoding="utf-8", lineterminator="\n", date_format=None)
        paths.append(path)
    return paths
