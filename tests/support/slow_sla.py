"""A slow, hand-written SLA reference for the standards tests.

It walks day by day through each request with its own working-day rule (weekday, opening
hours, lunch, bank holidays straight from the `holidays` package) and its own loops: it
shares nothing with the engine but the data.
"""

from __future__ import annotations

import datetime as dt
import math

import holidays as holidays_lib
import pandas as pd

SUBDIV = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}


def _hm(text: str) -> dt.time:
    h, m = text.split(":")
    return dt.time(int(h), int(m))


def slow_calendar(std: dict) -> dict:
    lunch = None
    if isinstance(std.get("lunch"), str):
        a, b = std["lunch"].split("-")
        lunch = (_hm(a), _hm(b))
    return {
        "opens": _hm(std["opens"]),
        "closes": _hm(std["closes"]),
        "lunch": lunch,
        "holidays": holidays_lib.UK(subdiv=SUBDIV[std["nation"]], years=range(2024, 2027)),
    }


def slow_periods(day: dt.date, cal: dict) -> list[tuple[dt.datetime, dt.datetime]]:
    if day.weekday() >= 5 or day in cal["holidays"]:
        return []
    opens = dt.datetime.combine(day, cal["opens"])
    closes = dt.datetime.combine(day, cal["closes"])
    if cal["lunch"] is None:
        return [(opens, closes)]
    return [(opens, dt.datetime.combine(day, cal["lunch"][0])),
            (dt.datetime.combine(day, cal["lunch"][1]), closes)]


def slow_hours(start: dt.datetime, end: dt.datetime, cal: dict) -> float:
    """Trusted minimal day loop: overlap of [start, end] with each day's working periods."""
    total = 0.0
    day = start.date()
    while day <= end.date():
        for a, b in slow_periods(day, cal):
            overlap = (min(b, end) - max(a, start)).total_seconds()
            if overlap > 0:
                total += overlap
        day += dt.timedelta(days=1)
    return total / 3600


def slow_clock(row: dict, end: dt.datetime, cal: dict) -> float:
    hours = slow_hours(row["received_at"], end, cal)
    if not pd.isna(row["on_hold_from"]):
        a = max(row["on_hold_from"], row["received_at"])
        b = min(row["on_hold_until"], end)
        if b > a:
            hours -= slow_hours(a, b, cal)
    return hours


def slow_target(std: dict, cal: dict) -> float:
    if std["unit"] == "working_days":
        day = (dt.datetime.combine(dt.date.today(), cal["closes"])
               - dt.datetime.combine(dt.date.today(), cal["opens"])).total_seconds() / 3600
        if cal["lunch"]:
            day -= (dt.datetime.combine(dt.date.today(), cal["lunch"][1])
                    - dt.datetime.combine(dt.date.today(), cal["lunch"][0])).total_seconds() / 3600
        return std["target"] * day
    return float(std["target"])


def slow_percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    pos = (len(values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def slow_rows(requests: pd.DataFrame, standards: pd.DataFrame, as_of: dt.datetime) -> list[dict]:
    out = []
    for std in standards.to_dict("records"):
        cal = slow_calendar(std)
        target = slow_target(std, cal)
        for row in requests.to_dict("records"):
            if row["provider_team"] != std["provider_team"] or row["received_at"] > as_of:
                continue
            if isinstance(std["priority"], str) and row["priority"] != std["priority"]:
                continue
            cell = std.get("categories")
            named = [c.strip().lower() for c in (cell.split(";") if isinstance(cell, str) else [])]
            named = [c for c in named if c]
            if named and str(row["category"]).strip().lower() not in named:
                continue
            if std["measure"] == "first_response":
                end = row["first_response_at"] if not pd.isna(row["first_response_at"]) else row["resolved_at"]
            else:
                end = row["resolved_at"]
            done = not pd.isna(end) and end <= as_of
            hours = slow_clock(row, end if done else as_of, cal)
            if done:
                status = "met" if hours <= target + 1e-9 else "breached"
            else:
                status = "open_breached" if hours > target + 1e-9 else "open_not_due"
            out.append({"standard_id": std["standard_id"], "request_id": row["request_id"],
                        "team": row["provider_team"], "dept": row["requester_department"],
                        "month": row["received_at"].strftime("%Y-%m"), "hours": hours,
                        "status": status,
                        "resolved": not pd.isna(row["resolved_at"]) and row["resolved_at"] <= as_of,
                        "reopened": row["reopened"], "contacts": row["contacts"]})
    return out
