"""Small, seeded request logs and standards for the outcome-4 tests (canonical columns)."""

from __future__ import annotations

import numpy as np
import pandas as pd

TEAMS = ("IT Service Desk", "Payroll", "Facilities")
DEPARTMENTS = ("Finance", "HR", "Operations")


def make_requests(n: int = 300, seed: int = 4) -> pd.DataFrame:
    """Random requests over January-March 2025: some open, on hold, reopened, answered at night."""
    rng = np.random.default_rng(seed)
    received = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 89 * 24 * 60, n), unit="min")
    first = received + pd.to_timedelta(rng.integers(1, 4 * 24 * 60, n), unit="min")
    resolved = first + pd.to_timedelta(rng.integers(0, 10 * 24 * 60, n), unit="min")
    first = pd.Series(first).mask(rng.random(n) < 0.08)  # some never had a first response
    resolved = pd.Series(resolved).mask(rng.random(n) < 0.12)  # some still open
    first = first.mask(first.notna() & resolved.notna() & (first > resolved))
    hold = rng.random(n) < 0.2
    hold_from = pd.Series(received + pd.to_timedelta(rng.integers(0, 2 * 24 * 60, n), unit="min")).where(hold)
    hold_until = (hold_from + pd.to_timedelta(rng.integers(30, 3 * 24 * 60, n), unit="min")).where(hold)
    ends_early = resolved.notna() & (hold_until > resolved)
    hold_from = hold_from.mask(ends_early | (hold_from.notna() & resolved.notna() & (hold_from > resolved)))
    hold_until = hold_until.where(hold_from.notna())
    return pd.DataFrame(
        {
            "request_id": [f"R{i:04d}" for i in range(n)],
            "requester_department": rng.choice(DEPARTMENTS, n),
            "provider_team": rng.choice(TEAMS, n),
            "channel": rng.choice(["portal", "email", "phone"], n),
            "category": rng.choice(["Access", "Pay query", "Repair"], n),
            "priority": rng.choice(["P1", "P2", "P3", "P4"], n),
            "received_at": pd.Series(received),
            "first_response_at": first,
            "resolved_at": resolved,
            "reopened": np.where(rng.random(n) < 0.1, rng.integers(1, 3, n), 0),
            "contacts": pd.array(np.where(rng.random(n) < 0.1, pd.NA, rng.integers(1, 4, n)), dtype="Int64"),
            "on_hold_from": hold_from,
            "on_hold_until": hold_until,
        }
    )


def make_standards() -> pd.DataFrame:
    rows = [
        ("S1", "IT Service Desk", "We will reply to every IT request within 4 working hours.",
         "first_response", None, 4, "working_hours", "england-and-wales", "09:00", "17:00", None),
        ("S2", "IT Service Desk", "We will fix urgent (P1) faults within 1 working day.",
         "resolution", "P1", 1, "working_days", "england-and-wales", "09:00", "17:00", None),
        ("S3", "Payroll", "We will resolve pay queries within 3 working days.",
         "resolution", None, 3, "working_days", "scotland", "08:30", "16:30", "12:30-13:00"),
        ("S4", "Facilities", "We will acknowledge repair requests within 2 working hours.",
         "first_response", None, 2, "working_hours", "england-and-wales", "08:00", "18:00", None),
    ]
    columns = ["standard_id", "provider_team", "description", "measure", "priority", "target",
               "unit", "nation", "opens", "closes", "lunch"]
    return pd.DataFrame(rows, columns=columns)
