"""Who handles a problem, and where it goes next: routing over the org chart.

Rules (each route carries its reason in words):

1. The problem type lists what to look for in the org chart's `handles` column, best first
   (`ProblemType.handled_as`). The first entry that some role handles is used. An entry
   ending in `*` (e.g. "Complaints about *") matches only roles in the problem's department:
   a service complaint goes to the complaints handler of the department complained about.
2. Among the roles found, a role in the problem's department comes first, then any other,
   each in org-chart order.
3. A complaint about a person never goes to that person: they are skipped as handler (the
   next role found, or else their manager, takes it) and left out of the escalation path.
4. The escalation path is the handler's line of managers up to the top of the org chart.
5. If no role handles the type, the answer is a **gap**: a finding for the organisation
   (who should own this?), not an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ilcs.complaints.problems import KIND_NAMES, ProblemType, load_problem_types
from ilcs.errors import DataError, Problem


@dataclass(frozen=True)
class Person:
    role_id: str
    role_title: str
    person: str
    department: str

    def __str__(self) -> str:
        return f"{self.person}, {self.role_title} ({self.department})"


@dataclass(frozen=True)
class Route:
    """Where one problem goes. `handler` is None when nobody handles it (`gap` says so)."""

    problem_type: str
    department: str
    handler: Person | None
    escalation: tuple[Person, ...] = field(default_factory=tuple)
    reason: str = ""
    gap: str = ""

    def lines(self) -> list[str]:
        """The route in words, one line each."""
        if self.handler is None:
            return [self.gap]
        out = [f"Handled by {self.handler}.", f"Why: {self.reason}"]
        if self.escalation:
            out.append("If it is not resolved, it goes up to: "
                       + " → ".join(f"{p.person} ({p.role_title})" for p in self.escalation))
        else:
            out.append("There is nobody above the handler to escalate to.")
        return out


def _handles(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [h.strip() for h in value.split(";") if h.strip()]


def _matches(entry: str, handled: list[str]) -> str | None:
    if entry.endswith("*"):
        prefix = entry[:-1]
        return next((h for h in handled if h.startswith(prefix)), None)
    return entry if entry in handled else None


def _person(row: pd.Series) -> Person:
    return Person(role_id=str(row["role_id"]), role_title=str(row["role_title"]),
                  person=str(row["person"]), department=str(row["department"]))


def _about(org_chart: pd.DataFrame, about: str | None) -> str | None:
    """The role_id of the person complained about (given as a role id or a person's name)."""
    if not about:
        return None
    hit = org_chart[(org_chart["role_id"] == about) | (org_chart["person"] == about)]
    if hit.empty:
        raise DataError(Problem(f"'{about}' is not a role id or a person in the org chart",
                                column="about"))
    return str(hit.iloc[0]["role_id"])


def route(
    problem_type: str | ProblemType,
    department: str,
    org_chart: pd.DataFrame,
    *,
    about: str | None = None,
    types: dict[str, ProblemType] | None = None,
) -> Route:
    """Who handles a problem of `problem_type` raised in (or about) `department`.

    `about`: the person the complaint is about (role id or name), who never handles it.
    """
    types = types if types is not None else load_problem_types()
    if isinstance(problem_type, str):
        if problem_type not in types:
            raise DataError(Problem(f"'{problem_type}' is not a problem type (known: "
                                    f"{', '.join(types)})"))
        ptype = types[problem_type]
    else:
        ptype = problem_type
    about_id = _about(org_chart, about)
    by_id = {str(r["role_id"]): r for _, r in org_chart.iterrows()}
    for entry in ptype.handled_as:
        found: list[tuple[int, pd.Series, str]] = []
        for _, row in org_chart.iterrows():
            hit = _matches(entry, _handles(row["handles"]))
            if hit is None:
                continue
            if entry.endswith("*") and row["department"] != department:
                continue
            found.append((0 if row["department"] == department else 1, row, hit))
        if not found:
            continue
        found.sort(key=lambda f: f[0])  # stable: org-chart order within each group
        skipped = ""
        candidates = [f for f in found if f[1]["role_id"] != about_id]
        if len(candidates) < len(found):
            skipped = (f" {by_id[str(about_id)]['person']} is the person complained about, so "
                       "they do not handle it.")
        if candidates:
            _, row, hit = candidates[0]
            where = ("in the same department" if row["department"] == department
                     else "elsewhere in the organisation")
            reason = (f"'{ptype.name}' is handled as '{hit}'; {row['person']} handles "
                      f"'{hit}' {where}.{skipped}")
        else:  # only the person complained about handles it: their manager takes it
            _, own, hit = found[0]
            manager = own["reports_to"]
            if not isinstance(manager, str) or manager not in by_id:
                return Route(ptype.id, department, None, gap=(
                    f"Gap: only {own['person']} handles '{hit}', and the complaint is about "
                    "them, with nobody above them to take it. The organisation should name "
                    "someone independent."))
            row = by_id[manager]
            reason = (f"'{ptype.name}' is handled as '{hit}' by {own['person']}, who is the "
                      f"person complained about, so it goes to their manager, {row['person']}.")
        return Route(ptype.id, department, _person(row),
                     _escalation(row, by_id, about_id), reason.strip())
    wanted = " or ".join(f"'{e}'" for e in ptype.handled_as)
    return Route(ptype.id, department, None, gap=(
        f"Gap: nobody in the org chart handles {wanted}, so a problem of the type "
        f"'{ptype.name}' ({department}) has no owner. Finding for the organisation: name a "
        f"role to handle it (typically: {ptype.typical_role})."))


def _escalation(row: pd.Series, by_id: dict[str, pd.Series], about_id: str | None
                ) -> tuple[Person, ...]:
    path: list[Person] = []
    seen = {str(row["role_id"])}
    manager = row["reports_to"]
    while isinstance(manager, str) and manager in by_id and manager not in seen:
        seen.add(manager)
        boss = by_id[manager]
        if manager != about_id:
            path.append(_person(boss))
        manager = boss["reports_to"]
    return tuple(path)


def routing_table(org_chart: pd.DataFrame, department: str,
                  types: dict[str, ProblemType] | None = None) -> pd.DataFrame:
    """Every problem type routed for one department: type, kind, handler, escalation, or gap."""
    types = types if types is not None else load_problem_types()
    rows = []
    for t in types.values():
        r = route(t, department, org_chart, types=types)
        rows.append({
            "problem": t.name,
            "kind": KIND_NAMES[t.kind],
            "handler": "" if r.handler is None else f"{r.handler.person} ({r.handler.role_title})",
            "escalation": " → ".join(p.role_title for p in r.escalation),
            "finding": r.gap,
        })
    return pd.DataFrame(rows)
