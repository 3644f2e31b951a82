"""The assessor's comment bank: reusable feedback comments, picked per criterion and decision.

The committed bank is `datasets/assessor/comment_bank.yaml`; a centre can use its own copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ilcs.errors import DataError, Problem
from ilcs.paths import datasets_dir

SCHEMA_VERSION = 1
DECISION_KINDS = ("met", "not_yet_met", "any")


@dataclass(frozen=True)
class Comment:
    id: str
    text: str
    decision: str  # met | not_yet_met | any
    criteria: tuple[str, ...] = ()  # empty: any criterion
    # advice that sends the learner to a notebook: offered only for a criterion whose
    # outcome has a notebook, and "{notebook}" in the text names it
    needs_notebook: bool = False


def default_comment_bank() -> Path:
    return datasets_dir() / "assessor" / "comment_bank.yaml"


def load_comment_bank(path: str | Path | None = None) -> tuple[Comment, ...]:
    """Read and check a comment bank; every problem is listed at once."""
    path = Path(path) if path else default_comment_bank()
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(Problem("comment bank not found", file=str(path))) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem(f"not valid YAML ({exc})", file=name)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("comments"), list):
        raise DataError(Problem("expected a mapping with a 'comments' list", file=name))
    problems: list[Problem] = []
    if raw.get("schema_version") != SCHEMA_VERSION:
        problems.append(Problem(f"schema_version must be {SCHEMA_VERSION}", file=name,
                                column="schema_version"))
    out: list[Comment] = []
    seen: set[str] = set()
    for i, item in enumerate(raw["comments"]):
        where = f"comments[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem("each comment must be a mapping", file=name, column=where))
            continue
        cid, text = str(item.get("id") or ""), str(item.get("text") or "").strip()
        decision = item.get("decision", "any")
        criteria = item.get("criteria") or []
        if not cid:
            problems.append(Problem("comment has no id", file=name, column=where))
        elif cid in seen:
            problems.append(Problem(f"id {cid!r} appears twice", file=name, column=where))
        seen.add(cid)
        if not text:
            problems.append(Problem(f"comment {cid!r} has no text", file=name, column=where))
        if decision not in DECISION_KINDS:
            problems.append(Problem(f"decision must be met, not_yet_met or any, found "
                                    f"{decision!r}", file=name, column=where))
        if not isinstance(criteria, list):
            problems.append(Problem("criteria must be a list", file=name, column=where))
            criteria = []
        needs = item.get("needs_notebook", False)
        if not isinstance(needs, bool):
            problems.append(Problem("needs_notebook must be true or false", file=name,
                                    column=where))
            needs = False
        out.append(Comment(cid, text, str(decision), tuple(str(c) for c in criteria), needs))
    if problems:
        raise DataError(problems)
    return tuple(out)


def notebook_for(criterion_id: str, folder: Path | None = None) -> str | None:
    """The file name of the course notebook that teaches a criterion (the one whose
    questions or feedback cells name it, e.g. `show_questions("4.2")`), or None when no
    notebook does yet. The welcome notebook (00) does not count."""
    import json
    import re

    from ilcs.paths import notebooks_dir

    wanted = re.compile(r"show_(?:questions|feedback)\([^)]*[\"']"
                        + re.escape(criterion_id) + r"[\"']")
    for path in sorted((folder or notebooks_dir()).glob("[0-9][0-9]_*.ipynb")):
        if path.name.startswith("00_"):
            continue
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            if cell.get("cell_type") == "code" and wanted.search(text):
                return path.name
    return None


def comments_for(bank: tuple[Comment, ...], criterion_id: str,
                 decision: str | None = None, *, notebooks: Path | None = None
                 ) -> tuple[Comment, ...]:
    """Comments that fit a criterion (and a decision, when given): specific ones first.

    Advice to go back over a notebook is offered only where the criterion's outcome has a
    notebook (`notebooks`: the notebooks folder, default the course's), naming it.
    """
    notebook = notebook_for(criterion_id, notebooks)
    fits = []
    for c in bank:
        if c.criteria and criterion_id not in c.criteria:
            continue
        if decision is not None and c.decision not in (decision, "any"):
            continue
        if c.needs_notebook:
            if notebook is None:
                continue
            c = Comment(c.id, c.text.replace("{notebook}", notebook), c.decision, c.criteria,
                        c.needs_notebook)
        fits.append(c)
    return tuple(sorted(fits, key=lambda c: 0 if c.criteria else 1))
