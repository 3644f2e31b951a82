"""A seeded generator of the sample organisation's data (see datasets/README.md).

    tables = generate(seed=2550, scale=1)      # {kind: DataFrame of text}
    paths = write_tables(tables, "out/")        # one <kind>.csv per kind

The same seed and scale always give the same files, byte for byte; the committed files in
`datasets/sample/` are `generate()` at the default seed and scale 1. `scale` multiplies the
number of requests, complaints and survey responses (and invitations, and staff); the organisation,
its standards and its org chart stay the same.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ilcs.datagen.calendar import working_minutes
from ilcs.datagen.complaints import generate_complaints
from ilcs.datagen.organisation import (
    DEFAULT_SEED,
    FIRST_NAMES,
    LAST_NAMES,
    ROLES,
    STANDARDS,
    TEAMS,
    YEAR,
)
from ilcs.datagen.requests import generate_requests
from ilcs.datagen.staff import generate_staff_movement
from ilcs.datagen.survey import generate_survey
from ilcs.datagen.text import number
from ilcs.errors import UsageError
from ilcs.io.write import write_csv

FILE_ORDER = ("requests", "standards", "complaints", "complaint_events", "survey_responses",
              "survey_invitations", "org_chart", "staff_movement")


def org_chart(rng: np.random.Generator) -> pd.DataFrame:
    """The ~60 roles with fictional people in them (unique names drawn from the seed)."""
    firsts = rng.permutation(len(FIRST_NAMES))
    lasts = rng.permutation(len(LAST_NAMES))
    people = [f"{FIRST_NAMES[firsts[i % len(firsts)]]} "
              f"{LAST_NAMES[lasts[(i + i // len(lasts)) % len(lasts)]]}"
              for i in range(len(ROLES))]
    return pd.DataFrame({
        "role_id": [r.role_id for r in ROLES],
        "role_title": [r.role_title for r in ROLES],
        "person": people,
        "department": [r.department for r in ROLES],
        "team": [r.team for r in ROLES],
        "reports_to": [r.reports_to for r in ROLES],
        "handles": [r.handles for r in ROLES],
    }, dtype=object)


def standards() -> pd.DataFrame:
    return pd.DataFrame({
        "standard_id": [s.standard_id for s in STANDARDS],
        "provider_team": [s.provider_team for s in STANDARDS],
        "description": [s.description for s in STANDARDS],
        "measure": [s.measure for s in STANDARDS],
        "priority": [s.priority for s in STANDARDS],
        "categories": [s.categories for s in STANDARDS],
        "target": [number(s.target) for s in STANDARDS],
        "unit": [s.unit for s in STANDARDS],
        "nation": ["england-and-wales"] * len(STANDARDS),
        "opens": ["09:00"] * len(STANDARDS),
        "closes": ["17:00"] * len(STANDARDS),
        "lunch": [s.lunch for s in STANDARDS],
    }, dtype=object)


def generate(seed: int = DEFAULT_SEED, scale: float = 1, *, story: bool = True
             ) -> dict[str, pd.DataFrame]:
    """Every table of the sample organisation, as text ready to write, keyed by kind.
    `story=False` leaves out the planted changes of the request log (see
    `ilcs.datagen.requests`): the same organisation with no special cause to find."""
    if not scale > 0:
        raise UsageError("scale must be more than 0")
    root = np.random.SeedSequence(seed)  # what default_rng(seed) seeds itself with
    # Independent streams, so a change to one table never shifts the others (a new stream
    # is appended: spawn(n) gives the same first children whatever n is).
    rng_org, rng_req, rng_cmp, rng_svy, rng_staff = (
        np.random.default_rng(s) for s in root.spawn(5))
    cal = working_minutes(f"{YEAR}-01-01", f"{YEAR + 1}-07-01")
    year_end = cal.index_of_day(f"{YEAR + 1}-01-01")
    chart = org_chart(rng_org)
    actors = {t.name: list(chart.loc[chart["team"] == t.name, "person"]) for t in TEAMS}
    requests = generate_requests(rng_req, cal, year_end, scale, story)
    from ilcs.datagen.text import ints, stamps

    for column in ("received_at", "first_response_at", "resolved_at", "on_hold_from",
                   "on_hold_until"):
        requests[column] = stamps(cal, requests[column].to_numpy())
    requests["reopened"] = ints(requests["reopened"].to_numpy())
    requests["contacts"] = ints(requests["contacts"].to_numpy(), blank_below=1)
    officer = str(chart.loc[chart["role_title"] == "Customer Experience Lead", "person"].iloc[0])
    complaints, events = generate_complaints(rng_cmp, cal, year_end, scale, actors, officer)
    responses, invited = generate_survey(rng_svy, cal, scale)
    return {
        "requests": requests,
        "standards": standards(),
        "complaints": complaints,
        "complaint_events": events,
        "survey_responses": responses,
        "survey_invitations": invited,
        "org_chart": chart,
        "staff_movement": generate_staff_movement(rng_staff, scale),
    }


def write_tables(tables: dict[str, pd.DataFrame], out: str | Path) -> list[Path]:
    """Write each table as `<kind>.csv` (UTF-8, comma, LF line ends); returns the paths."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in FILE_ORDER:
        path = folder / f"{kind}.csv"
        write_csv(tables[kind], path, encoding="utf-8", lineterminator="\n", date_format=None)
        paths.append(path)
    return paths


def generate_to(out: str | Path, *, seed: int = DEFAULT_SEED, scale: float = 1,
                story: bool = True) -> list[Path]:
    """Generate and write in one go."""
    return write_tables(generate(seed=seed, scale=scale, story=story), out)


__all__ = ["DEFAULT_SEED", "FILE_ORDER", "generate", "generate_to", "write_tables"]
