"""Service standards measured against the request log (SLA measurement).

A service standard is a promise a provider team makes to its internal customers, e.g. "we
will acknowledge every IT request within 4 working hours". This module measures each
request against each standard that applies to it and summarises how well the promise was kept.

Rules (also in docs/working-time.md):
- A standard applies to the requests of its `provider_team`, only to the `priority` it
  names (blank = every priority) and only to the request `categories` it names (several
  separated by ';', matched ignoring case; blank = every category). One request can be
  measured by several standards.
- The clock runs in working time on the standard's calendar (nation, opens, closes, lunch) and
  stops while a request is on hold (`on_hold_from`..`on_hold_until`).
- `first_response` is measured to `first_response_at`; a request resolved without a separate
  first response counts its resolution as the first response (the report says for how many).
  If the log has no first-response times at all, first-response standards are left out (and
  the report says so). `resolution` is measured to `resolved_at`.
- A request on hold now (hold start given, hold end blank) is held until the end of the
  period (or its completion); it has no due time while on hold. Several or overlapping holds
  count once.
- A request is **met** if its working time is at most the target, **breached** if more.
  A request not yet answered at the end of the period (`as_of`) is **open_breached** if its
  clock has already passed the target (it counts as a breach), or **open_not_due** if not
  (left out of the percentage, but counted).
- `as_of` is the end of the period measured: by default the latest event in the request log
  (received, first response, resolved, hold started); a hold's end may be planned for the
  future, so it never moves the period. Anything after `as_of` is treated as not yet happened.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.io.crossfile import split_categories, standard_category_warnings
from ilcs.memory import release_free_memory
from ilcs.standards.grouping import Groups, Key, SortedHours, key_of
from ilcs.working_time import Calendar, add_working_time, working_hours_between

MEASURE_COLUMN = {"first_response": "first_response_at", "resolution": "resolved_at"}
STATUSES = ("met", "breached", "open_breached", "open_not_due")
DEFAULT_BY: tuple[str, ...] = ("provider_team", "requester_department", "month")
#: Backlog age bands in working days: [0, 1), [1, 3), [3, 5), [5, 10), [10, ...).
AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("under 1 day", 0.0, 1.0),
    ("1-3 days", 1.0, 3.0),
    ("3-5 days", 3.0, 5.0),
    ("5-10 days", 5.0, 10.0),
    ("10+ days", 10.0, float("inf")),
)
_EVENT_COLUMNS = ("received_at", "first_response_at", "resolved_at", "on_hold_from")
_TIME_COLUMNS = (*_EVENT_COLUMNS, "on_hold_until")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value) or str(value).strip() == ""


def calendar_for(standard: Any) -> Calendar:
    """The working calendar of one standard (a row or dict with nation, opens, closes, lunch)."""
    get = standard.get
    nation = get("nation")
    opens, closes, lunch = get("opens"), get("closes"), get("lunch")
    return Calendar.standard(
        opens="09:00" if _blank(opens) else str(opens),
        closes="17:00" if _blank(closes) else str(closes),
        lunch=None if _blank(lunch) else str(lunch),
        nation="england-and-wales" if _blank(nation) else str(nation),
    )


def target_hours(standard: Any) -> float:
    """A standard's target in working hours (working days x the calendar's working day)."""
    target = float(standard["target"])
    if str(standard.get("unit", "working_hours")) == "working_days":
        return target * calendar_for(standard).day_hours
    return target


def default_as_of(requests: pd.DataFrame) -> pd.Timestamp:
    """The end of the period in a request log: its latest event (received, first response,
    resolved, hold started). A hold's end is left out: it may be a planned, future date."""
    times = [requests[c].max() for c in _EVENT_COLUMNS if c in requests.columns]
    times = [t for t in times if pd.notna(t)]
    if not times:
        raise DataError("the request log has no dates, so its period cannot be worked out")
    return pd.Timestamp(max(times))


def _check_columns(table: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise DataError([Problem(f"the {what} table has no '{c}' column", column=c) for c in missing])


def categories_of(standard: Any) -> tuple[str, ...]:
    """The request categories a standard names (its `categories`, split at ';'); () = all."""
    return split_categories(standard.get("categories"))


def _category_codes(names: pd.Index, wanted: tuple[str, ...]) -> np.ndarray:
    """Positions in `names` (a request log's categories) of the categories `wanted`,
    matched ignoring case and spaces at either end."""
    folded = {w.casefold() for w in wanted}
    return np.flatnonzero([str(name).strip().casefold() in folded for name in names])


def _no_category_column(standard: Any) -> DataError:
    return DataError(Problem(
        f"standard {standard['standard_id']} names request categories, but the request log "
        "has no 'category' column to match them against", column="category"))


def applies_to(standard: Any, requests: pd.DataFrame) -> pd.Series:
    """Which requests a standard applies to: its team, its priority if it names one, and its
    categories if it names any."""
    mask = requests["provider_team"] == standard["provider_team"]
    priority = standard.get("priority")
    if not _blank(priority) and "priority" in requests.columns:
        mask &= requests["priority"] == priority
    wanted = categories_of(standard)
    if wanted:
        if "category" not in requests.columns:
            raise _no_category_column(standard)
        folded = {w.casefold() for w in wanted}
        mask &= requests["category"].map(
            lambda c: isinstance(c, str) and c.strip().casefold() in folded).astype(bool)
    return mask.fillna(False).astype(bool)


def clock_hours(
    requests: pd.DataFrame, end: pd.Series, calendar: Calendar
) -> pd.Series:
    """Working hours from received_at to `end`, with the on-hold interval taken off. A hold
    with no end (on hold now) lasts until `end`."""
    paused = None
    if "on_hold_from" in requests.columns and "on_hold_until" in requests.columns:
        until = requests["on_hold_until"]
        on_hold_now = requests["on_hold_from"].notna() & until.isna()
        paused = [(requests["on_hold_from"], until.mask(on_hold_now, end))]
    return working_hours_between(requests["received_at"], end, calendar, paused=paused)


def due_times(requests: pd.DataFrame, hours: float, calendar: Calendar) -> pd.Series:
    """When each request's clock reaches `hours` of working time, allowing for time on hold.

    Without a hold, due = received + target. If the hold starts before that, the clock stops
    at the hold (with `e` hours used) and restarts when it ends: due = hold end + (target - e).
    A request still on hold (no hold end) has no due time yet (NaT).
    """
    received = requests["received_at"]
    due = add_working_time(received, hours, calendar)
    if "on_hold_from" not in requests.columns or "on_hold_until" not in requests.columns:
        return due
    # On NumPy arrays (a NaT compares as False, as in pandas): one standard's requests at a time.
    start = received.to_numpy()
    hold_from = requests["on_hold_from"].to_numpy()
    hold_from = np.where(hold_from < start, start, hold_from)
    hold_until = requests["on_hold_until"].to_numpy()
    at = due.to_numpy()
    held = ~np.isnat(hold_from) & ~np.isnat(hold_until) & (hold_from < at)
    on_hold_now = ~np.isnat(hold_from) & np.isnat(hold_until) & (hold_from < at)
    if not (held.any() or on_hold_now.any()):
        return due.rename("due_at")
    at = at.copy()
    if held.any():
        used = working_hours_between(start[held], hold_from[held], calendar)
        at[held] = add_working_time(hold_until[held], np.clip(hours - used, 0, None), calendar)
    at[on_hold_now] = np.datetime64("NaT")
    return pd.Series(at, index=due.index, name="due_at")


_MEASURES = pd.Index(list(MEASURE_COLUMN))
_PARTS = ("rows", "standard", "completed", "hours", "status", "from_resolution")
_COLUMNS = ["standard_id", "measure", "target_hours", "request_id", "provider_team",
            "requester_department", "priority", "month", "received_at", "due_at",
            "completed_at", "working_hours", "status", "reopened", "contacts", "resolved",
            "from_resolution"]


@dataclass(frozen=True)
class Measured:
    """`measure`'s rows held as arrays (one entry per standard and request it applies to),
    so a report of a million requests adds them up without building the whole table;
    `frame()` builds it when it is wanted."""

    requests: pd.DataFrame  # the requests received by the end of the period
    ids: pd.Index  # the standards' ids, sorted
    targets: np.ndarray  # each standard's target hours (by position in `ids`)
    measures: np.ndarray  # each standard's measure (position in MEASURE_COLUMN)
    rows: np.ndarray  # each row's request (position in `requests`)
    standard: np.ndarray  # each row's standard (position in `ids`)
    calendars: tuple[Calendar, ...]  # each standard's calendar (by position in `ids`)
    completed: np.ndarray
    hours: np.ndarray  # working hours, to completion or so far
    status: np.ndarray  # position in STATUSES
    from_resolution: np.ndarray  # a first response taken from the resolution time
    resolved: np.ndarray  # resolved by the end of the period (per request)
    per_request: dict[str, Key]  # provider_team, requester_department, month (per request)

    def key(self, name: str) -> Key:
        """A grouping column of the rows: standard_id or one of `per_request`."""
        if name == "standard_id":
            return Key(name, self.standard, self.ids)
        if name in self.per_request:
            whole = self.per_request[name]
            return Key(name, whole.codes[self.rows], whole.names)
        return key_of(name, pd.Series(self.requests[name].array.take(self.rows)))

    @cached_property
    def due(self) -> np.ndarray:
        """Each row's due time (`due_times`), worked out when first asked for: the report
        needs it for its breaches only, a small part of the rows."""
        due = np.full(len(self.rows), np.datetime64("NaT"), dtype="datetime64[ns]")
        times = self.requests[[c for c in _TIME_COLUMNS if c in self.requests.columns]]
        for number in np.unique(self.standard):
            mine = np.flatnonzero(self.standard == number)
            due[mine] = due_times(times.iloc[self.rows[mine]], float(self.targets[number]),
                                  self.calendars[number]).to_numpy()
        return due

    def frame(self, columns: Sequence[str] = _COLUMNS) -> pd.DataFrame:
        """The measured rows as a table (see `measure`): `columns` of it, in that order."""
        requests, rows = self.requests, self.rows

        def column(name: str, default: Any) -> Any:
            return requests[name].array.take(rows) if name in requests.columns else default

        def categories(name: str) -> pd.Categorical:
            key = self.per_request[name]
            return pd.Categorical.from_codes(key.codes[rows], categories=key.names)

        build: dict[str, Callable[[], Any]] = {
            "standard_id": lambda: pd.Categorical.from_codes(self.standard, categories=self.ids),
            "measure": lambda: pd.Categorical.from_codes(self.measures[self.standard],
                                                         categories=_MEASURES),
            "target_hours": lambda: self.targets[self.standard],
            "request_id": lambda: column("request_id", pd.NA),
            "provider_team": lambda: categories("provider_team"),
            "requester_department": lambda: categories("requester_department"),
            "priority": lambda: column("priority", pd.NA),
            "month": lambda: categories("month"),
            "received_at": lambda: requests["received_at"].to_numpy()[rows],
            "due_at": lambda: self.due,
            "completed_at": lambda: self.completed,
            "working_hours": lambda: self.hours,
            "status": lambda: pd.Categorical.from_codes(self.status,
                                                        categories=pd.Index(STATUSES)),
            "reopened": lambda: column("reopened", 0),
            "contacts": lambda: column("contacts", pd.NA),
            "resolved": lambda: self.resolved[rows],
            "from_resolution": lambda: self.from_resolution,
        }
        return pd.DataFrame({name: build[name]() for name in columns}, columns=list(columns),
                            copy=False)


def _month_key(received: pd.Series) -> Key:
    """Each request's month (YYYY-MM), numbered from the first month in the log."""
    at = received.to_numpy()
    given = ~np.isnat(at)
    if given.any():
        first, last = at[given].min().astype("datetime64[M]"), at[given].max().astype("datetime64[M]")
    else:
        first, last = np.datetime64("1970-01", "M"), np.datetime64("1969-12", "M")
    span = np.arange(first, last + 1)
    # Each moment's month by a binary search among the few month starts: many times quicker
    # than NumPy's calendar conversion of every moment to a month.
    starts = span.astype(at.dtype)
    number = np.searchsorted(starts, at, side="right") - 1
    codes = np.where(given, number, -1).astype(np.int16 if len(span) < 2**15 else np.int64)
    return Key("month", codes, pd.Index(np.datetime_as_string(span, unit="M")).astype(str))


def measure_rows(requests: pd.DataFrame, standards: pd.DataFrame, as_of: Any = None
                 ) -> Measured:
    """Measure every request against every standard that applies to it (see `measure`)."""
    _check_columns(requests, ("request_id", "provider_team", "requester_department", "received_at"), "requests")
    _check_columns(standards, ("standard_id", "provider_team", "measure", "target"), "standards")
    period_end = default_as_of(requests) if as_of is None else pd.Timestamp(as_of)
    within_period = (requests["received_at"] <= period_end).to_numpy()
    if not within_period.all():
        requests = requests[within_period]
    times = requests[[c for c in _TIME_COLUMNS if c in requests.columns]]
    teams = key_of("provider_team", requests["provider_team"])
    priorities = key_of("priority", requests["priority"]) if "priority" in requests.columns \
        else None
    categories: Key | None = None  # each request's category, worked out if a standard names any
    ids = pd.Index(pd.unique(standards["standard_id"].to_numpy(dtype=object))).sort_values()
    targets = np.full(len(ids), np.nan)
    measures = np.zeros(len(ids), dtype=np.int8)
    calendars = [Calendar()] * len(ids)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in _PARTS}
    for _, standard in standards.iterrows():
        mask = teams.codes == teams.names.get_indexer(pd.Index([standard["provider_team"]]))[0]
        mask &= teams.codes >= 0
        priority = standard.get("priority")
        if not _blank(priority) and priorities is not None:
            wanted = priorities.names.get_indexer(pd.Index([priority]))[0]
            mask &= (priorities.codes == wanted) & (wanted >= 0)
        named = categories_of(standard)
        if named:
            if "category" not in requests.columns:
                raise _no_category_column(standard)
            if categories is None:
                categories = key_of("category", requests["category"])
            wanted_codes = np.zeros(len(categories.names) + 1, dtype=bool)  # last: blank
            wanted_codes[_category_codes(categories.names, named)] = True
            mask &= wanted_codes[categories.codes]  # (a blank's code, -1, picks the last)
        if not mask.any():
            continue
        measure_name = str(standard["measure"])
        if measure_name not in MEASURE_COLUMN:
            raise DataError(f"standard {standard['standard_id']}: unknown measure '{measure_name}'")
        if not _has_times(requests, MEASURE_COLUMN[measure_name]):
            continue  # nothing to measure it by: report_notes says so
        calendar = calendar_for(standard)
        hours = target_hours(standard)
        rows = np.flatnonzero(mask)
        mine = times.iloc[rows]
        completed = mine[MEASURE_COLUMN[measure_name]]
        from_resolution = np.zeros(len(rows), dtype=bool)
        if measure_name == "first_response" and "resolved_at" in mine.columns:
            from_resolution = (completed.isna() & (mine["resolved_at"] <= period_end)).to_numpy()
            completed = completed.fillna(mine["resolved_at"])
        completed = completed.where(completed <= period_end)
        done = completed.notna().to_numpy()
        elapsed = clock_hours(mine, completed.fillna(period_end), calendar).to_numpy()
        within = elapsed <= hours + 1e-9
        status = np.select([done & within, done & ~within, ~done & ~within], [0, 1, 2],
                           default=3).astype(np.int8)
        number = int(ids.get_indexer(pd.Index([standard["standard_id"]]))[0])
        targets[number] = hours
        calendars[number] = calendar
        measures[number] = list(MEASURE_COLUMN).index(measure_name)
        for name, values in (("rows", rows.astype(np.int32 if len(requests) < 2**31 else np.int64)),
                             ("standard", np.full(len(rows), number, dtype=np.int16)),
                             ("completed", completed.to_numpy()), ("hours", elapsed),
                             ("status", status), ("from_resolution", from_resolution)):
            parts[name].append(values)

    def joined(name: str, dtype: Any) -> np.ndarray:
        """One field of every standard's rows (each standard's pieces freed as it goes)."""
        pieces = parts.pop(name)
        return np.concatenate(pieces) if pieces else np.array([], dtype=dtype)

    resolved = np.zeros(len(requests), dtype=bool)
    if "resolved_at" in requests.columns:
        resolved = (requests["resolved_at"].notna()
                    & (requests["resolved_at"] <= period_end)).to_numpy()
    return Measured(
        requests=requests, ids=ids, targets=targets, measures=measures,
        rows=joined("rows", np.int64), standard=joined("standard", np.int16),
        calendars=tuple(calendars), completed=joined("completed", "datetime64[ns]"),
        hours=joined("hours", float), status=joined("status", np.int8),
        from_resolution=joined("from_resolution", bool), resolved=resolved,
        per_request={"provider_team": teams,
                     "requester_department": key_of("requester_department",
                                                    requests["requester_department"]),
                     "month": _month_key(requests["received_at"])},
    )


def measure(
    requests: pd.DataFrame, standards: pd.DataFrame, as_of: Any = None
) -> pd.DataFrame:
    """One row per (standard, request it applies to): working time, due time and status.

    Columns: standard_id, measure, target_hours, request_id, provider_team,
    requester_department, priority, month (YYYY-MM of received_at), received_at, due_at,
    completed_at, working_hours (to completion, or so far for an open request), status
    (met, breached, open_breached, open_not_due), reopened, contacts, resolved,
    from_resolution (a first response taken from the resolution time).

    First-response standards are left out when the log has no first-response time at all
    (see `report_notes`).

    A million requests give nearly two million rows, so the columns that repeat (standard,
    measure, team, department, month, status) are categoricals: compared, counted and
    grouped by number, and each distinct text held once.
    """
    measured = measure_rows(requests, standards, as_of)
    if not len(measured.rows):
        return pd.DataFrame(columns=_COLUMNS)
    return measured.frame()


def _summary(keys: Sequence[Key], status: np.ndarray, hours: SortedHours, reopen: np.ndarray,
             fcr: np.ndarray, n: int) -> pd.DataFrame:
    """The compliance table of rows grouped by `keys` (see `compliance`)."""
    groups = Groups.of(keys, n)
    table = pd.DataFrame({key.name: groups.key_values(key) for key in keys})
    # One counting pass for the status (4 kinds) and the reopened and first-contact flags
    # (3 kinds each: left out, 0, 1): each row's combination is one of 36 codes.
    kinds = len(STATUSES)
    both = status.astype(np.int16) * 9 + (reopen.astype(np.int16) + 1) * 3 + (fcr + 1)
    combined = groups.sizes_by(both, kinds * 9).reshape(groups.count, kinds, 3, 3)
    counts = combined.sum(axis=(2, 3))  # met, breached, open_breached, open_not_due
    met = counts[:, 0]
    breached = counts[:, 1] + counts[:, 2]
    table["requests"] = counts.sum(axis=1)
    table["measured"] = met + breached
    table["met"] = met
    table["breached"] = breached
    table["open_breached"] = counts[:, 2]
    table["open_not_due"] = counts[:, 3]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["pct_within"] = np.where(table["measured"] > 0,
                                       100 * met / np.maximum(table["measured"], 1), np.nan)
    table["median_hours"], table["p90_hours"] = hours.quantiles(groups)
    table["reopen_pct"] = 100 * _share(combined.sum(axis=(1, 3)))
    table["fcr_pct"] = 100 * _share(combined.sum(axis=(1, 2)))
    return table


def _share(counts: np.ndarray) -> np.ndarray:
    """The share flagged 1 among rows flagged 0 or 1, from each group's counts of (left out,
    0, 1); NaN for a group with none (as the mean of 1/0 values)."""
    given = counts[:, 1] + counts[:, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(given > 0, counts[:, 2] / np.maximum(given, 1), np.nan)


def _reopened_and_contacts(reopened: Any, contacts: Any) -> tuple[np.ndarray, np.ndarray]:
    """Reopened at least once (True/False) and the number of contacts (NaN if unknown)."""
    again = pd.to_numeric(pd.Series(reopened), errors="coerce").fillna(0).to_numpy() > 0
    count = pd.to_numeric(pd.Series(contacts), errors="coerce").to_numpy(dtype=float,
                                                                         na_value=np.nan)
    return again, count


def _flags(resolved: np.ndarray, again: np.ndarray, count: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """Reopened, and first-contact resolution, as 1/0 for resolved requests (-1 otherwise:
    left out of the share)."""
    reopen = np.where(resolved, again, -1).astype(np.int8)
    fcr = np.where(resolved & ~np.isnan(count), (count == 1) & ~again, -1).astype(np.int8)
    return reopen, fcr


def _has_times(requests: pd.DataFrame, column: str) -> bool:
    return column in requests.columns and bool(requests[column].notna().any())


def report_notes(requests: pd.DataFrame, standards: pd.DataFrame,
                 measured: pd.DataFrame) -> list[str]:
    """What a reader of the report must know about how it was measured, in words: categories
    a standard names that none of its team's requests has (file, row and column named),
    standards left out for want of times, and first responses taken from the resolution
    time."""
    notes = [str(problem) for problem in standard_category_warnings(standards, requests)]
    for measure_name, column in MEASURE_COLUMN.items():
        ids = standards.loc[standards["measure"] == measure_name, "standard_id"].astype(str)
        if len(ids) and not _has_times(requests, column):
            clock = measure_name.replace("_", "-")
            notes.append(f"{', '.join(ids)} ({clock}) left out: the request log has no "
                         f"{column} times, so the {clock} measure is not available.")
    if len(measured):
        used = measured[measured["from_resolution"].astype(bool)]
        counts = used.groupby("standard_id", observed=True).size()
        totals = measured.groupby("standard_id", observed=True).size()
        for standard_id, count in counts.items():
            notes.append(_resolution_note(str(standard_id), count, int(totals.loc[str(standard_id)])))
    return notes


def _resolution_note(standard_id: Any, count: int, total: int) -> str:
    return (f"{standard_id} (first-response): {count:,} of {total:,} requests have no "
            "first-response time, so their resolution time is used as the first response.")


def _notes(requests: pd.DataFrame, standards: pd.DataFrame, rows: Measured) -> list[str]:
    """`report_notes` from the measured rows held as arrays (the same words)."""
    notes = report_notes(requests, standards, pd.DataFrame(columns=_COLUMNS))
    counts = np.bincount(rows.standard[rows.from_resolution], minlength=len(rows.ids))
    totals = np.bincount(rows.standard, minlength=len(rows.ids))
    for number in np.flatnonzero(counts):
        notes.append(_resolution_note(rows.ids[int(number)], int(counts[number]),
                                      int(totals[number])))
    return notes


def compliance(measured: pd.DataFrame, by: Sequence[str] = DEFAULT_BY) -> pd.DataFrame:
    """Per standard and `by` groups (default team, requester department, month):

    - requests: how many the standard applied to; measured = met + breached (open breaches
      included); met; breached; open_not_due (left out of the percentage)
    - pct_within: met / measured x 100
    - median_hours, p90_hours: working hours of completed requests (linear interpolation)
    - reopen_pct: % of resolved requests reopened at least once
    - fcr_pct: first-contact resolution, % of resolved requests (with a contacts count)
      sorted in one contact and never reopened
    """
    status = pd.Categorical(measured["status"], categories=list(STATUSES)).codes
    hours = SortedHours(measured["working_hours"].to_numpy(dtype=float),
                        (status == 0) | (status == 1))  # finished: met or breached
    reopen, fcr = _flags(measured["resolved"].astype(bool).to_numpy(),
                         *_reopened_and_contacts(measured["reopened"].to_numpy(),
                                                 measured["contacts"]))
    keys = [key_of(name, measured[name]) for name in ["standard_id", *by]]
    return _summary(keys, status, hours, reopen, fcr, len(measured))


#: A month (or standard) with fewer requests measured than this is marked "few requests":
#: one late request in three moves its percentage by a third.
FEW_REQUESTS = 5


def pct_label(met: Any, measured: Any) -> str:
    """A % of requests with the count it is out of: "78.3 % (1,363 of 1,740)"; marked
    "few requests" below FEW_REQUESTS ("0.0 % (0 of 1, few requests)"); "-" if none."""
    if _blank(measured) or int(measured) == 0:
        return "-"
    met, measured = int(met), int(measured)
    few = ", few requests" if measured < FEW_REQUESTS else ""
    return f"{100 * met / measured:.1f} % ({met:,} of {measured:,}{few})"


def compliance_grid(by_team_month: pd.DataFrame, value: str = "pct_within") -> pd.DataFrame:
    """One row per standard (with its team), one column per month: e.g. % within target.

    `value="label"` gives each month's % within target as text with the count it is out of
    (see `pct_label`), for tables a person reads; the numbers are for charts."""
    table = by_team_month
    if value == "label":
        table = by_team_month.assign(label=[pct_label(m, n) for m, n in zip(
            by_team_month["met"], by_team_month["measured"])])
    grid = table.pivot_table(index=["standard_id", "provider_team"], columns="month",
                             values=value, aggfunc="first", sort=True)
    grid.columns = [str(c) for c in grid.columns]
    if value == "label":
        grid = grid.fillna("-")
    return grid.reset_index()


def breaches_by_standard(overall: pd.DataFrame) -> pd.DataFrame:
    """Each standard's requests measured, kept within target, breaches (open requests already
    past their target included, and shown on their own) and % within target with the count
    it is out of (from `SlaReport.standards`): the table a breach count is read from."""
    return pd.DataFrame({
        "standard_id": overall["standard_id"],
        "provider_team": overall["provider_team"],
        "measured": overall["measured"].fillna(0).astype(int),
        "within": overall["met"].fillna(0).astype(int),
        "breaches": overall["breached"].fillna(0).astype(int),
        "open_breached": overall["open_breached"].fillna(0).astype(int),
        "open_not_due": overall["open_not_due"].fillna(0).astype(int),
        "pct_within": [pct_label(m, n) for m, n in zip(overall["met"], overall["measured"])],
    }).reset_index(drop=True)


def breach_list(measured: pd.DataFrame) -> pd.DataFrame:
    """Every breach (open breaches too), worst first, with its due time and hours over target."""
    breaches = measured[measured["status"].isin(["breached", "open_breached"])]
    out = breaches[["standard_id", "request_id", "provider_team", "requester_department",
                    "priority", "received_at", "due_at", "completed_at", "working_hours",
                    "target_hours", "status"]].copy()
    for column in ("standard_id", "provider_team", "requester_department", "status"):
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(out[column].cat.categories.dtype)
    out["hours_over"] = out["working_hours"] - out["target_hours"]
    # worst first, then by standard and request (as sort_values would, with numbers only)
    standard = pd.factorize(out["standard_id"], sort=True)[0]
    order = np.lexsort((_text_rank(out["request_id"]), standard,
                        -out["hours_over"].to_numpy(dtype=float)))
    return out.iloc[order].reset_index(drop=True)


def _request_rank(request_ids: pd.Series, rows: np.ndarray) -> np.ndarray:
    """A rank of the requests at `rows` (positions, increasing within each standard) that
    sorts them by request_id as `_text_rank` does. When the log lists its requests in order
    of their ids (as most exports do), a request's position is such a rank: equal ids keep
    their order either way, as the sort is stable."""
    if pd.Index(request_ids).is_monotonic_increasing:
        return rows
    return _text_rank(pd.Series(request_ids.array.take(rows)))


def _text_rank(values: pd.Series) -> np.ndarray:
    """Each value's place in sorted order (equal values share it; blanks last). Short texts
    are sorted as fixed-width text in C, much faster than comparing Python strings."""
    array = values.to_numpy(dtype=object)
    given = ~pd.isna(array)
    if given.all() and len(array):
        width = max(map(len, array)) if pd.api.types.infer_dtype(array) == "string" else 0
        if 0 < width <= 64:
            return np.unique(array.astype(f"<U{width}"), return_inverse=True)[1]
    return pd.factorize(values, sort=True)[0]


def team_calendars(standards: pd.DataFrame | None) -> dict[str, Calendar]:
    """Each provider team's calendar: the one of its first standard."""
    if standards is None:
        return {}
    out: dict[str, Calendar] = {}
    for _, standard in standards.iterrows():
        out.setdefault(str(standard["provider_team"]), calendar_for(standard))
    return out


def age_band(days: pd.Series) -> pd.Series:
    """The backlog age band of each age in working days (see AGE_BANDS)."""
    edges = [lo for _, lo, _ in AGE_BANDS] + [float("inf")]
    labels = [name for name, _, _ in AGE_BANDS]
    return pd.cut(days, bins=edges, labels=labels, right=False)


def backlog(
    requests: pd.DataFrame,
    standards: pd.DataFrame | None = None,
    as_of: Any = None,
    by: Sequence[str] = ("provider_team",),
) -> pd.DataFrame:
    """Requests still open at each month end, by `by` groups and age band (in working days).

    A request is open at a moment if it was received before it and not resolved by it. Age
    is working time since received (clock stopped while on hold), in the team's working days
    (calendar of the team's first standard; Mon-Fri 09:00-17:00 otherwise). The last period
    ends at `as_of` (default: the latest time in the log).
    """
    period_end = default_as_of(requests) if as_of is None else pd.Timestamp(as_of)
    calendars = team_calendars(standards)
    first = requests["received_at"].min().to_period("M")
    months = pd.period_range(first, period_end.to_period("M"), freq="M")
    resolved = requests["resolved_at"] if "resolved_at" in requests.columns else pd.Series(pd.NaT, index=requests.index)
    received = requests["received_at"].to_numpy()
    done = resolved.to_numpy()
    picks, cuts, names = [], [], []
    for month in months:
        cut = min(month.end_time.floor("s") + pd.Timedelta(seconds=1), period_end)
        cut64 = cut.to_datetime64().astype("datetime64[ns]")
        open_now = np.flatnonzero((received < cut64) & ~(done < cut64))
        picks.append(open_now)
        cuts.append(np.full(len(open_now), cut64))
        names.append(np.full(len(open_now), str(month), dtype=object))
    pick = np.concatenate(picks)
    rows = []
    if len(pick):
        needed = [*dict.fromkeys([*by, "provider_team", *_TIME_COLUMNS])]
        snapshot = requests[[c for c in needed if c in requests.columns]].iloc[pick]
        snapshot = snapshot.reset_index(drop=True)
        cut_at = pd.Series(np.concatenate(cuts), index=snapshot.index)
        age = pd.Series(np.nan, index=snapshot.index)
        for team, group in snapshot.groupby("provider_team"):
            calendar = calendars.get(str(team), Calendar())
            hours = clock_hours(group, cut_at[group.index], calendar)
            age[group.index] = hours / calendar.day_hours
        frame = _plain(snapshot[list(by)])
        frame["month"] = np.concatenate(names)
        frame["band"] = age_band(age)
        rows.append(frame)
    labels = [name for name, _, _ in AGE_BANDS]
    if not rows:
        return pd.DataFrame(columns=[*by, "month", "open", *labels])
    every = pd.concat(rows, ignore_index=True)
    table = every.groupby([*by, "month", "band"], observed=False).size().unstack("band", fill_value=0)
    table = table.reindex(columns=labels, fill_value=0)
    table.columns = list(table.columns)
    table.insert(0, "open", table.sum(axis=1))
    table = table[table["open"] > 0]
    return table.reset_index()


def share_within(hours: pd.Series, target: float) -> float:
    """% of completed requests (working hours known) that took at most `target` working hours."""
    done = pd.to_numeric(hours, errors="coerce").dropna()
    if done.empty:
        return float("nan")
    return float(100 * (done <= target + 1e-9).mean())


def history_hours(
    requests: pd.DataFrame, team: str | None, measure_name: str, calendar: Calendar | None = None
) -> pd.Series:
    """Working hours each completed request of `team` (all teams if None) took for a measure."""
    mine = requests if team is None else requests[requests["provider_team"] == team]
    completed = mine[MEASURE_COLUMN[measure_name]]
    if measure_name == "first_response" and "resolved_at" in mine.columns:
        completed = completed.fillna(mine["resolved_at"])
    mine = mine[completed.notna()]
    return clock_hours(mine, completed[completed.notna()], calendar or Calendar()).rename("working_hours")


@dataclass(frozen=True)
class SlaReport:
    """Everything `ilcs sla report` prints: each table is a DataFrame. `measured` (one row
    per standard and request) is built the first time it is asked for."""

    as_of: pd.Timestamp
    standards: pd.DataFrame  # per standard overall
    compliance: pd.DataFrame  # per standard, team, department, month
    by_team_month: pd.DataFrame  # per standard, team, month
    backlog: pd.DataFrame
    breaches: pd.DataFrame
    rows: Measured = field(repr=False)
    notes: tuple[str, ...] = ()  # how it was measured, in words (see report_notes)

    @cached_property
    def measured(self) -> pd.DataFrame:
        return self.rows.frame() if len(self.rows.rows) else pd.DataFrame(columns=_COLUMNS)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "standards": self.standards,
            "compliance": self.compliance,
            "by_team_month": self.by_team_month,
            "backlog": self.backlog,
            "breaches": self.breaches,
        }


def sla_report(requests: pd.DataFrame, standards: pd.DataFrame, as_of: Any = None) -> SlaReport:
    """Measure every standard and build every summary table at once.

    The tables come from the measured rows held as arrays (`measure_rows`): on a million
    requests that is seconds and a few hundred megabytes, where building the measured table
    first and grouping it with pandas took several times both. The steps run one after
    another so that what one needs for a moment is freed before the next.
    """
    period_end = default_as_of(requests) if as_of is None else pd.Timestamp(as_of)
    rows = measure_rows(requests, standards, period_end)
    release_free_memory()  # what measuring each standard needed for a moment
    breaches = _breaches(rows)
    waiting = backlog(requests, standards, period_end)
    asked = rows.requests
    reopen, fcr = _flags(rows.resolved, *_reopened_and_contacts(
        asked["reopened"] if "reopened" in asked.columns else np.zeros(len(asked)),
        asked["contacts"] if "contacts" in asked.columns else np.full(len(asked), np.nan)))
    reopen, fcr = reopen[rows.rows], fcr[rows.rows]  # per request, then per measured row
    hours = SortedHours(rows.hours, (rows.status == 0) | (rows.status == 1))  # finished
    keys = {name: rows.key(name) for name in ["standard_id", *DEFAULT_BY]}

    def summary(*names: str) -> pd.DataFrame:
        return _summary([keys[name] for name in names], rows.status, hours, reopen, fcr,
                        len(rows.rows))

    overall = standards[["standard_id", "provider_team", "description", "measure"]].merge(
        summary("standard_id"), on="standard_id", how="left"
    )
    overall.insert(4, "target_hours", [target_hours(s) for _, s in standards.iterrows()])
    return SlaReport(
        as_of=period_end,
        standards=overall,
        compliance=summary("standard_id", *DEFAULT_BY),
        by_team_month=summary("standard_id", "provider_team", "month"),
        backlog=waiting,
        breaches=breaches,
        rows=rows,
        notes=tuple(_notes(requests, standards, rows)),
    )


_BREACH_COLUMNS = ["standard_id", "request_id", "provider_team", "requester_department",
                   "priority", "received_at", "due_at", "completed_at", "working_hours",
                   "target_hours", "status"]


def _breaches(rows: Measured) -> pd.DataFrame:
    """`breach_list` of the measured rows, sorted before the table is built."""
    chosen = np.flatnonzero((rows.status == 1) | (rows.status == 2))
    if not len(chosen):
        return breach_list(pd.DataFrame(columns=_COLUMNS))
    over = rows.hours[chosen] - rows.targets[rows.standard[chosen]]
    # worst first, then by standard (`ids` are sorted, so their positions sort them) and request
    order = np.lexsort((_request_rank(rows.requests["request_id"], rows.rows[chosen]),
                        rows.standard[chosen], -over))
    out = _plain(_subset(rows, chosen[order]).frame(_BREACH_COLUMNS))
    out["hours_over"] = over[order]
    return out


def _plain(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with any categorical column (numbered while measuring, or read so) as plain
    values, as the report's tables show them (a new table; `table` is left as it is)."""
    return pd.DataFrame({
        name: values.astype(values.cat.categories.dtype)
        if isinstance(values.dtype, pd.CategoricalDtype) else values
        for name, values in table.items()}, copy=False)


def _subset(rows: Measured, chosen: np.ndarray) -> Measured:
    """Some of the measured rows (e.g. the breaches), in the same order."""
    return replace(rows, rows=rows.rows[chosen], standard=rows.standard[chosen],
                   completed=rows.completed[chosen],
                   from_resolution=rows.from_resolution[chosen],
                   hours=rows.hours[chosen], status=rows.status[chosen])


def expectation_vs_delivery(overall: pd.DataFrame) -> pd.DataFrame:
    """What each standard promised next to what customers actually got (from `SlaReport.standards`).

    Columns: standard_id, provider_team, promised_hours (the target), typical_hours (median),
    slowest_tenth_hours (90th percentile: 1 request in 10 took longer), pct_kept, and a verdict
    in words: "kept 9 times in 10 or more", "kept most of the time" (75-90%) or
    "missed more than 1 time in 4". When `overall` has the counts `met` and `measured` (as
    `SlaReport.standards` does), they come just before pct_kept as `kept` and `measured`, so
    every percentage is shown beside the counts it was worked out from.
    """
    out = pd.DataFrame({
        "standard_id": overall["standard_id"],
        "provider_team": overall["provider_team"],
        "promised_hours": overall["target_hours"],
        "typical_hours": overall["median_hours"],
        "slowest_tenth_hours": overall["p90_hours"],
    })
    if "met" in overall.columns and "measured" in overall.columns:
        out["kept"] = overall["met"]
        out["measured"] = overall["measured"]
    out["pct_kept"] = overall["pct_within"]
    out["verdict"] = np.select(
        [out["pct_kept"] >= 90, out["pct_kept"] >= 75],
        ["kept 9 times in 10 or more", "kept most of the time"],
        default="missed more than 1 time in 4",
    )
    return out.reset_index(drop=True)


def simple_standards(teams: Sequence[str], measure_name: str, target: float,
                     unit: str = "working_hours", nation: str = "england-and-wales") -> pd.DataFrame:
    """One standard for each team (e.g. for a trainee's own export with no standards file yet)."""
    if measure_name not in MEASURE_COLUMN:
        raise DataError(f"measure must be first_response or resolution, not '{measure_name}'")
    if not target > 0:
        raise DataError("the target must be more than 0")
    clock = "respond to" if measure_name == "first_response" else "resolve"
    words = "working hour" if unit == "working_hours" else "working day"
    words += "" if target == 1 else "s"
    rows = [
        {"standard_id": f"OWN-{i + 1:02d}", "provider_team": team,
         "description": f"{team} will {clock} every request within {target:g} {words}.",
         "measure": measure_name, "priority": None, "target": float(target), "unit": unit,
         "nation": nation, "opens": "09:00", "closes": "17:00", "lunch": None}
        for i, team in enumerate(sorted({str(t) for t in teams}))
    ]
    return pd.DataFrame(rows)
