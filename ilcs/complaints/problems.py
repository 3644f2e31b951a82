"""Types of problem an internal customer may have (criterion 5.1), and scenarios to classify.

The types and scenarios are data (`ilcs/complaints/data/*.yaml`), so a centre can read and
extend them. Three kinds of type:

- **work-related**: systems, roles, training, equipment, standards, targets, communication;
- **personal** ("how people are treated"): unfair treatment, discrimination, harassment,
  being left out. These carry a `framing` line on UK law and policy (Equality Act 2010, the
  ACAS Code of Practice on disciplinary and grievance procedures, the grievance and
  dignity-at-work policies) and go to HR, never through the service complaints procedure;
- **service**: a complaint about another team's service, handled by the complaints procedure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ilcs.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("work-related", "personal", "service")
KIND_NAMES = {"work-related": "Work-related", "personal": "How people are treated",
              "service": "Service complaint"}


@dataclass(frozen=True)
class ProblemType:
    id: str
    kind: str
    name: str
    description: str
    typical_role: str
    handled_as: tuple[str, ...]
    framing: str = ""


@dataclass(frozen=True)
class Scenario:
    id: str
    department: str
    text: str
    type: str
    also: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Classification:
    """Feedback on one answer: `verdict` is "correct", "also fair" or "not yet"."""

    scenario: str
    chosen: str
    verdict: str
    text: str

    @property
    def correct(self) -> bool:
        return self.verdict != "not yet"


def _read(path: Path, key: str) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(Problem(f"cannot be read as YAML: {exc}", file=path.name)) from None
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise DataError(Problem(f"needs a list called '{key}'", file=path.name))
    return data[key]


def load_problem_types(path: str | Path | None = None) -> dict[str, ProblemType]:
    """The problem types, by id (default: the package's problem_types.yaml)."""
    if path is None:
        return dict(_default_types())
    return _parse_types(Path(path))


@cache
def _default_types() -> dict[str, ProblemType]:
    return _parse_types(DATA_DIR / "problem_types.yaml")


def _parse_types(path: Path) -> dict[str, ProblemType]:
    problems: list[Problem] = []
    types: dict[str, ProblemType] = {}
    for n, item in enumerate(_read(path, "types"), start=1):
        where = f"type {n} ({item.get('id', 'no id') if isinstance(item, dict) else item})"
        if not isinstance(item, dict):
            problems.append(Problem(f"{where}: must be a mapping", file=path.name))
            continue
        missing = [k for k in ("id", "kind", "name", "description", "typical_role", "handled_as")
                   if not item.get(k)]
        if missing:
            problems.append(Problem(f"{where}: missing {', '.join(missing)}", file=path.name))
            continue
        if item["kind"] not in KINDS:
            problems.append(Problem(f"{where}: kind '{item['kind']}' is not one of "
                                    f"{', '.join(KINDS)}", file=path.name, column="kind"))
            continue
        if item["id"] in types:
            problems.append(Problem(f"{where}: the id is used twice", file=path.name,
                                    column="id"))
            continue
        types[item["id"]] = ProblemType(
            id=str(item["id"]), kind=str(item["kind"]), name=str(item["name"]),
            description=str(item["description"]), typical_role=str(item["typical_role"]),
            handled_as=tuple(str(h) for h in item["handled_as"]),
            framing=str(item.get("framing") or ""))
    if problems:
        raise DataError(problems)
    return types


@cache
def load_scenarios() -> tuple[Scenario, ...]:
    """The scenarios to classify, each checked against the problem types."""
    path = DATA_DIR / "scenarios.yaml"
    types = _default_types()
    problems: list[Problem] = []
    out: list[Scenario] = []
    for item in _read(path, "scenarios"):
        scenario = Scenario(id=str(item["id"]), department=str(item["department"]),
                            text=str(item["text"]).strip(), type=str(item["type"]),
                            also=tuple(str(a) for a in item.get("also") or ()),
                            why=str(item.get("why") or ""))
        for type_id in (scenario.type, *scenario.also):
            if type_id not in types:
                problems.append(Problem(f"scenario {scenario.id}: unknown type '{type_id}'",
                                        file=path.name))
        out.append(scenario)
    if problems:
        raise DataError(problems)
    return tuple(out)


def scenario(scenario_id: str) -> Scenario:
    for s in load_scenarios():
        if s.id == scenario_id:
            return s
    raise DataError(Problem(f"there is no scenario '{scenario_id}'"))


def classify(scenario_id: str, chosen_type: str) -> Classification:
    """Feedback on classifying a scenario as `chosen_type` (a type id)."""
    types = _default_types()
    s = scenario(scenario_id)
    if chosen_type not in types:
        raise DataError(Problem(f"'{chosen_type}' is not a problem type"))
    best = types[s.type]
    chosen = types[chosen_type]
    if chosen_type == s.type:
        verdict, text = "correct", f"Yes: {best.name.lower()}. {s.why}"
    elif chosen_type in s.also:
        verdict, text = "also fair", (f"A fair reading: {chosen.name.lower()}. The best fit is "
                                      f"{best.name.lower()}: {s.why}")
    else:
        verdict, text = "not yet", (f"Not the best fit. This is {best.name.lower()} "
                                    f"({KIND_NAMES[best.kind].lower()}): {s.why}")
    if best.framing and verdict != "not yet":
        text += f" {best.framing}"
    return Classification(scenario=s.id, chosen=chosen_type, verdict=verdict, text=text)


def types_table() -> pd.DataFrame:
    """The problem types as a table: kind (in words), problem, who usually handles it."""
    import pandas as pd

    return pd.DataFrame([{"kind": KIND_NAMES[t.kind], "problem": t.name,
                          "handled by": t.typical_role} for t in _default_types().values()])


def count_by_kind() -> dict[str, int]:
    """How many problem types of each kind."""
    counts = dict.fromkeys(KINDS, 0)
    for t in _default_types().values():
        counts[t.kind] += 1
    return counts
