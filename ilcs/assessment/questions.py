"""The question bank: versioned, schema-validated YAML files (see docs/question-bank.md).

- `load_bank(dir)` reads the trainee's side (`datasets/questions/`): questions, practice keys.
- `load_keys(dir)` reads the assessor's side (`datasets/assessor/keys/`): keys and rubrics
  of assessed questions. Only assessor code calls it; the trainee's kernel never does.
- `check_bank(dir, keys_dir)` lists every problem (ids, criteria, fields, keys, coverage).

Everything loaded is immutable (frozen dataclasses). Nothing is read at import time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ilcs.assessment.unit import Unit, load_unit
from ilcs.errors import NotFoundError, Problem, QuestionBankError
from ilcs.paths import datasets_dir

SCHEMA_VERSION = 1
MODES = ("practice", "assessed")
TYPES = (
    "single_choice",
    "multiple_choice",
    "numeric",
    "ordering",
    "matching",
    "short_text",
    "written",
    "data_task",
)
DATA_ANSWER_TYPES = ("numeric", "single_choice")
#: Where a data task's figure is read (optional `shown_in`): a figure read off a chart can
#: only be read roughly, so it needs a tolerance above 0; one read from a table or a text
#: is given exactly as shown (a tolerance only for the rounding shown).
SHOWN_IN = ("table", "chart", "text")
# Coverage rule for a complete bank (switch off with coverage=False for small banks).
MIN_QUESTIONS_PER_CRITERION = 3
MIN_WRITTEN_PER_CRITERION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")
# Fields an assessed question must not carry in the trainee's bank.
_ASSESSOR_ONLY = ("key", "rubric", "hint", "explanation")


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    feedback: str | None = None


@dataclass(frozen=True)
class Item:
    """An item of an ordering question, or one side of a matching question."""

    id: str
    text: str


@dataclass(frozen=True)
class RubricPart:
    """One part of a criterion a written answer must cover, in the criterion's own words
    (e.g. 6.3: "describes the cycle", "explains the benefits")."""

    id: str
    text: str
    required: bool = True
    own_organisation: bool = False  # this part is about the learner's own organisation


@dataclass(frozen=True)
class MarkingPoint:
    """A point an answer may make, tagged with the part of the criterion it evidences."""

    text: str
    part: str


@dataclass(frozen=True)
class Rubric:
    """How an assessor judges a written answer: met only when every required part of the
    criterion has at least one marking point awarded."""

    parts: tuple[RubricPart, ...]
    points: tuple[MarkingPoint, ...]
    what_good_looks_like: str
    verb_guidance: str = ""
    exemplar_met: str = ""
    exemplar_not_met: str = ""

    @property
    def marking_points(self) -> tuple[str, ...]:
        """The marking points' texts, in order."""
        return tuple(p.text for p in self.points)

    @property
    def required_parts(self) -> tuple[RubricPart, ...]:
        return tuple(p for p in self.parts if p.required)

    def part(self, part_id: str) -> RubricPart:
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)

    def points_of(self, part_id: str) -> tuple[MarkingPoint, ...]:
        return tuple(p for p in self.points if p.part == part_id)

    def missing_parts(self, ticked: Iterable[str]) -> tuple[RubricPart, ...]:
        """The required parts with no marking point among `ticked` (point texts)."""
        covered = {p.part for p in self.points if p.text in set(ticked)}
        return tuple(p for p in self.required_parts if p.id not in covered)


@dataclass(frozen=True)
class ShortTextKey:
    """Keyword groups: a group matches when any of its synonyms is found (fuzzy)."""

    keywords: tuple[tuple[str, ...], ...]
    min_keywords: int


@dataclass(frozen=True)
class Question:
    id: str
    criteria: tuple[str, ...]
    mode: str
    type: str
    prompt: str
    file: str = ""
    source: str | None = None
    hint: str | None = None
    explanation: str | None = None
    options: tuple[Option, ...] = ()
    items: tuple[Item, ...] = ()
    left: tuple[Item, ...] = ()
    right: tuple[Item, ...] = ()
    unit: str | None = None
    tolerance: float = 0.0
    word_guidance: str | None = None
    task: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    answer_type: str | None = None
    key: Any = field(default=None, compare=False, hash=False)
    rubric: Rubric | None = None
    # Parallel forms: the assessed closed items that share a form_group test the same point
    # of the content map the same way; a learner answers one form, and another when they
    # resubmit (see ilcs.assessment.forms).
    form_group: str | None = None
    # short text (practice): a model answer, shown once the learner has had their tries
    model_answer: str | None = None
    # data task: where its figure is read (one of SHOWN_IN), if the bank says
    shown_in: str | None = None

    @property
    def is_practice(self) -> bool:
        return self.mode == "practice"

    @property
    def group(self) -> str:
        """The parallel-form group (the question's own id when it has no other forms)."""
        return self.form_group or self.id

    def option_feedback(self, option_id: str) -> str | None:
        for option in self.options:
            if option.id == option_id:
                return option.feedback
        return None


@dataclass(frozen=True)
class AssessorKey:
    """The assessor's side of one assessed question."""

    question_id: str
    key: Any = field(default=None, compare=False, hash=False)
    rubric: Rubric | None = None
    feedback: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    file: str = ""


@dataclass(frozen=True)
class Bank:
    version: str
    unit: str
    questions: tuple[Question, ...]
    directory: str

    def get(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise NotFoundError(f"the question bank has no question {question_id!r}")

    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def forms(self, group: str) -> tuple[Question, ...]:
        """The parallel forms of a group, in bank order (one question when it has none)."""
        return tuple(q for q in self.questions if q.group == group)

    def for_criterion(self, criterion_id: str, mode: str | None = None) -> tuple[Question, ...]:
        return tuple(
            q for q in self.questions
            if criterion_id in q.criteria and (mode is None or q.mode == mode)
        )

    def select(
        self, criterion: str | None = None, ids: list[str] | tuple[str, ...] | None = None,
        mode: str | None = None,
    ) -> tuple[Question, ...]:
        """Questions for a criterion and/or a list of ids (in the order given), by mode."""
        if ids is not None:
            chosen = tuple(self.get(i) for i in ids)
        else:
            chosen = self.questions
        if criterion is not None:
            chosen = tuple(q for q in chosen if criterion in q.criteria)
        if mode is not None:
            chosen = tuple(q for q in chosen if q.mode == mode)
        return chosen


@dataclass(frozen=True)
class Keys:
    bank_version: str
    keys: dict[str, AssessorKey] = field(compare=False, hash=False)
    directory: str = ""


def default_bank_dir() -> Path:
    return datasets_dir() / "questions"


def default_keys_dir() -> Path:
    return datasets_dir() / "assessor" / "keys"


# ----------------------------------------------------------------------------- reading


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when available


def _check_schema_version(raw: dict[str, Any], file: str, problems: list[Problem]) -> None:
    if raw.get("schema_version") != SCHEMA_VERSION:
        problems.append(Problem(
            f"schema_version must be {SCHEMA_VERSION}, found {raw.get('schema_version')!r}",
            file=file, column="schema_version"))


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        problems.append(Problem(f"not valid YAML ({exc})", file=path.name))
    except OSError as exc:
        problems.append(Problem(f"cannot be read ({exc.strerror})", file=path.name))
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _items(raw: Any, where: str, bad: Any) -> tuple[Item, ...]:
    if not isinstance(raw, list) or not raw:
        bad(f"'{where}' must be a non-empty list of {{id, text}}")
        return ()
    out: list[Item] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("text"):
            bad(f"{where}[{i}] needs an id and a text")
            continue
        out.append(Item(str(entry["id"]), str(entry["text"])))
    ids = [it.id for it in out]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        bad(f"{where} id {dup!r} appears more than once")
    return tuple(out)


def _options(raw: Any, bad: Any) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        bad("'options' must be a list of at least 2 {id, text, feedback}")
        return ()
    out: list[Option] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("text"):
            bad(f"options[{i}] needs an id and a text")
            continue
        out.append(Option(str(entry["id"]), str(entry["text"]), _text(entry.get("feedback"))))
    ids = [o.id for o in out]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        bad(f"option id {dup!r} appears more than once")
    return tuple(out)


def _rubric(raw: Any, bad: Any) -> Rubric | None:
    """Parse a rubric: parts, marking points tagged with a part, what good looks like,
    and (required for assessed questions, see `_check_assessed_rubric`) verb guidance and
    two exemplars."""
    if not isinstance(raw, dict):
        bad("'rubric' must be a mapping with parts, marking_points and what_good_looks_like")
        return None
    ok = True
    if "min_points" in raw:
        bad("rubric.min_points is no longer used: list the criterion's parts under "
            "rubric.parts and tag each marking point with its part")
        ok = False
    parts: list[RubricPart] = []
    raw_parts = raw.get("parts")
    if not isinstance(raw_parts, list) or not raw_parts:
        bad("rubric.parts must be a non-empty list of {id, text} (the parts of the criterion "
            "an answer must cover)")
        ok = False
        raw_parts = []
    for i, entry in enumerate(raw_parts):
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("text"):
            bad(f"rubric.parts[{i}] needs an id and a text")
            ok = False
            continue
        pid = str(entry["id"])
        if not _ID.match(pid):
            bad(f"rubric part id must use only a-z, 0-9, '.' and '-', found {pid!r}")
            ok = False
        flags = {}
        for flag, default in (("required", True), ("own_organisation", False)):
            value = entry.get(flag, default)
            if not isinstance(value, bool):
                bad(f"rubric part {pid}: {flag} must be true or false, found {value!r}")
                ok = False
                value = default
            flags[flag] = value
        parts.append(RubricPart(pid, str(entry["text"]), **flags))
    part_ids = [p.id for p in parts]
    for dup in sorted({i for i in part_ids if part_ids.count(i) > 1}):
        bad(f"rubric part id {dup!r} appears more than once")
        ok = False
    if parts and not any(p.required for p in parts):
        bad("rubric.parts: at least one part must be required")
        ok = False
    points: list[MarkingPoint] = []
    raw_points = raw.get("marking_points")
    if not isinstance(raw_points, list) or not raw_points:
        bad("rubric.marking_points must be a non-empty list of {text, part}")
        ok = False
        raw_points = []
    for i, entry in enumerate(raw_points):
        if isinstance(entry, str):
            bad(f"rubric.marking_points[{i}] must say which part it evidences: "
                "{text: ..., part: <part id>}")
            ok = False
            continue
        if not isinstance(entry, dict) or not str(entry.get("text") or "").strip() \
                or not entry.get("part"):
            bad(f"rubric.marking_points[{i}] needs a text and a part")
            ok = False
            continue
        part = str(entry["part"])
        if part not in part_ids:
            bad(f"rubric.marking_points[{i}] names part {part!r}, which is not one of "
                f"the rubric's parts {part_ids}")
            ok = False
        points.append(MarkingPoint(str(entry["text"]).strip(), part))
    texts = [p.text for p in points]
    for dup in sorted({t for t in texts if texts.count(t) > 1}):
        bad(f"marking point given twice: {dup!r}")
        ok = False
    for p in parts:
        if not any(m.part == p.id for m in points):
            bad(f"rubric part {p.id!r} has no marking point")
            ok = False
    good = raw.get("what_good_looks_like")
    if not isinstance(good, str) or not good.strip():
        bad("rubric.what_good_looks_like must be a text")
        ok = False
    extra = {}
    for name in ("verb_guidance", "exemplar_met", "exemplar_not_met"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            bad(f"rubric.{name} must be a text")
            ok = False
            value = None
        extra[name] = str(value or "").strip()
    if not ok:
        return None
    return Rubric(tuple(parts), tuple(points), str(good).strip(), **extra)


def _check_assessed_rubric(question: Question, rubric: Rubric, unit: Unit, bad: Any) -> None:
    """What an assessed written question's rubric needs for standardisation: guidance on
    the criterion's verb, an exemplar that meets it and one that does not, and (for a
    criterion about the learner's own organisation) a required part for that."""
    for name in ("verb_guidance", "exemplar_met", "exemplar_not_met"):
        if not getattr(rubric, name):
            bad(f"rubric.{name} is missing: every assessed written question needs it")
    if rubric.exemplar_met and rubric.exemplar_met == rubric.exemplar_not_met:
        bad("rubric.exemplar_met and exemplar_not_met must differ")
    for cid in question.criteria:
        try:
            criterion = unit.criterion(cid)
        except KeyError:
            continue  # reported with the question
        verb = criterion.verb
        if rubric.verb_guidance and verb and verb not in rubric.verb_guidance.lower():
            bad(f"rubric.verb_guidance must say what '{verb}' asks for (criterion {cid}: "
                f"{criterion.text!r})")
        if criterion.own_organisation and not any(
                p.own_organisation and p.required for p in rubric.parts):
            bad(f"criterion {cid} is about the learner's own organisation: the rubric needs "
                "a required part with own_organisation: true, so a fictional organisation "
                "cannot meet it")

def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def check_key(
    question: Question, key: Any, bad: Any, rubric: Rubric | None = None
) -> Any:
    """Check a key against the question's options/items; return the normalised key.

    `bad(message)` is called for each problem. Returns None when the key is unusable.
    """
    qtype = question.type
    option_ids = [o.id for o in question.options]
    if qtype == "written":
        if rubric is None:
            bad("a written question needs a rubric")
        return None
    if qtype == "data_task":
        if key is not None:
            bad("a data_task question must not carry a key: it is computed from the data")
        return None
    if key is None:
        bad("missing key")
        return None
    if qtype == "single_choice":
        if str(key) not in option_ids:
            bad(f"key {key!r} is not one of the option ids {option_ids}")
            return None
        return str(key)
    if qtype == "multiple_choice":
        if not isinstance(key, list) or not key:
            bad("key must be a non-empty list of option ids")
            return None
        unknown = [k for k in key if str(k) not in option_ids]
        if unknown:
            bad(f"key ids {unknown} are not option ids {option_ids}")
            return None
        if len(set(map(str, key))) != len(key):
            bad("key lists an option twice")
            return None
        return tuple(sorted(str(k) for k in key))
    if qtype == "numeric":
        number = _number(key)
        if number is None:
            bad(f"key must be a number, found {key!r}")
        return number
    if qtype == "ordering":
        item_ids = [i.id for i in question.items]
        if not isinstance(key, list) or sorted(map(str, key)) != sorted(item_ids):
            bad(f"key must list every item id exactly once (a permutation of {item_ids})")
            return None
        return tuple(str(k) for k in key)
    if qtype == "matching":
        left_ids = {i.id for i in question.left}
        right_ids = {i.id for i in question.right}
        if not isinstance(key, dict):
            bad("key must map each left id to a right id")
            return None
        pairs = {str(k): str(v) for k, v in key.items()}
        if set(pairs) != left_ids:
            bad(f"key must pair every left id exactly once: expected {sorted(left_ids)}, "
                f"found {sorted(pairs)}")
            return None
        if not set(pairs.values()) <= right_ids:
            bad(f"key uses right ids that do not exist: {sorted(set(pairs.values()) - right_ids)}")
            return None
        if len(set(pairs.values())) != len(pairs):
            bad("key is not one-to-one: a right id is used twice")
            return None
        return pairs
    if qtype == "short_text":
        if not isinstance(key, dict):
            bad("key must be {keywords: [[synonym, ...], ...], min_keywords: n}")
            return None
        groups = key.get("keywords")
        min_kw = key.get("min_keywords")
        if (not isinstance(groups, list) or not groups
                or not all(isinstance(g, list) and g and all(isinstance(s, str) and s.strip()
                                                             for s in g) for g in groups)):
            bad("key.keywords must be a non-empty list of non-empty lists of words")
            return None
        if not isinstance(min_kw, int) or isinstance(min_kw, bool) or not 1 <= min_kw <= len(groups):
            bad(f"key.min_keywords must be between 1 and {len(groups)}, found {min_kw!r}")
            return None
        from ilcs.assessment.marking import words_of

        prompt_words = set(words_of(question.prompt))
        for g in groups:
            if all(set(words_of(s)) <= prompt_words for s in g):
                bad(f"keyword group {g} uses only words of the question, which never count: "
                    "add a synonym the learner must supply")
        return ShortTextKey(tuple(tuple(g) for g in groups), min_kw)
    return None


def _parse_question(raw: Any, file: str, index: int, unit: Unit,
                    problems: list[Problem]) -> Question | None:
    qid = str(raw.get("id", "")) if isinstance(raw, dict) else ""
    label = qid or f"questions[{index}]"

    def bad(message: str) -> None:
        problems.append(Problem(message, file=file, column=label))

    if not isinstance(raw, dict):
        bad("each question must be a mapping")
        return None
    if not _ID.match(qid):
        bad(f"id must use only a-z, 0-9, '.' and '-', found {qid!r}")
    criteria = raw.get("criteria")
    if isinstance(criteria, (str, int, float)):
        criteria = [criteria]
    if not isinstance(criteria, list) or not criteria:
        bad("criteria must be a list of criterion ids such as ['4.2']")
        criteria = []
    criteria = [str(c) for c in criteria]
    known = set(unit.criterion_ids())
    for c in criteria:
        if c not in known:
            bad(f"criterion {c!r} is not in unit {unit.code}")
    mode = raw.get("mode")
    if mode not in MODES:
        bad(f"mode must be one of {', '.join(MODES)}, found {mode!r}")
    qtype = raw.get("type")
    if qtype not in TYPES:
        bad(f"type must be one of {', '.join(TYPES)}, found {qtype!r}")
        return None
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        bad("prompt is missing")
    options: tuple[Option, ...] = ()
    items: tuple[Item, ...] = ()
    left: tuple[Item, ...] = ()
    right: tuple[Item, ...] = ()
    tolerance = 0.0
    answer_type = None
    if qtype in ("single_choice", "multiple_choice"):
        options = _options(raw.get("options"), bad)
    elif qtype == "ordering":
        items = _items(raw.get("items"), "items", bad)
    elif qtype == "matching":
        left = _items(raw.get("left"), "left", bad)
        right = _items(raw.get("right"), "right", bad)
        if left and right and len(right) < len(left):
            bad("matching needs at least as many right items as left items")
    elif qtype == "data_task":
        answer_type = raw.get("answer_type")
        if answer_type not in DATA_ANSWER_TYPES:
            bad(f"answer_type must be one of {', '.join(DATA_ANSWER_TYPES)}, found {answer_type!r}")
        if answer_type == "single_choice":
            options = _options(raw.get("options"), bad)
        from ilcs.assessment.data_tasks import registry

        task = raw.get("task")
        if task not in registry():
            bad(f"task {task!r} is not defined in any topic's tasks.py (ilcs/<topic>/tasks.py)")
        params = raw.get("params", {})
        if not isinstance(params, dict):
            bad("params must be a mapping")
        shown_in = raw.get("shown_in")
        if shown_in is not None and shown_in not in SHOWN_IN:
            bad(f"shown_in must be one of {', '.join(SHOWN_IN)}, found {shown_in!r}")
        elif shown_in == "chart" and answer_type == "numeric" and not (
                (_number(raw.get("tolerance", 0)) or 0) > 0):
            bad("a figure read off a chart needs a tolerance above 0: a chart cannot be read "
                "exactly")
    if qtype in ("numeric", "data_task"):
        tol = raw.get("tolerance", 0)
        number = _number(tol)
        if number is None or number < 0:
            bad(f"tolerance must be a number >= 0, found {tol!r}")
        else:
            tolerance = number
    practice = mode == "practice"
    if not practice:
        present = [f for f in _ASSESSOR_ONLY if raw.get(f) is not None]
        if any(isinstance(o, dict) and o.get("feedback") for o in raw.get("options") or []):
            present.append("options[].feedback")
        if present:
            bad("an assessed question must not carry " + ", ".join(present)
                + " in the bank: keys and rubrics go in the assessor's key files")
    rubric = None
    question = Question(
        id=qid,
        criteria=tuple(criteria),
        mode=str(mode),
        type=str(qtype),
        prompt=str(prompt or ""),
        file=file,
        source=_text(raw.get("source")),
        hint=_text(raw.get("hint")) if practice else None,
        explanation=_text(raw.get("explanation")) if practice else None,
        options=options,
        items=items,
        left=left,
        right=right,
        unit=_text(raw.get("unit")),
        tolerance=tolerance,
        word_guidance=_text(raw.get("word_guidance")),
        task=_text(raw.get("task")),
        params=dict(raw.get("params") or {}) if isinstance(raw.get("params"), dict) else {},
        answer_type=_text(answer_type),
        form_group=_text(raw.get("form_group")),
        model_answer=_text(raw.get("model_answer")) if practice else None,
        shown_in=_text(raw.get("shown_in")) if qtype == "data_task" else None,
    )
    if practice and qtype == "short_text" and not (question.model_answer or "").strip():
        bad("a practice short_text question needs a model_answer (shown after the attempt)")
    if not practice and raw.get("model_answer") is not None:
        bad("an assessed question must not carry model_answer in the bank")
    if question.form_group is not None:
        if not _ID.match(question.form_group):
            bad(f"form_group must use only a-z, 0-9, '.' and '-', found {question.form_group!r}")
        if practice:
            bad("form_group is for assessed questions (parallel forms for resubmission)")
        if qtype == "written":
            bad("form_group is for closed and numeric items, not written questions")
    key = None
    if practice:
        if qtype == "written":
            if raw.get("rubric") is None:
                bad("a practice written question needs a rubric (shown as a self-check)")
            else:
                rubric = _rubric(raw.get("rubric"), bad)
        else:
            key = check_key(question, raw.get("key"), bad)
    return replace(question, key=key, rubric=rubric)


def _check_form_groups(questions: list[Question], problems: list[Problem]) -> None:
    """Parallel forms of one group must be interchangeable: same type and criteria."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        if q.form_group is not None:
            groups.setdefault(q.form_group, []).append(q)
    ids = {q.id for q in questions}
    for group, forms in sorted(groups.items()):
        first = forms[0]
        for q in forms[1:]:
            if q.type != first.type or q.answer_type != first.answer_type:
                problems.append(Problem(
                    f"parallel form of {group} must be of the same type as {first.id} "
                    f"({first.type}), found {q.type}", file=q.file, column=q.id))
            if set(q.criteria) != set(first.criteria):
                problems.append(Problem(
                    f"parallel form of {group} must assess the same criteria as {first.id} "
                    f"({', '.join(first.criteria)})", file=q.file, column=q.id))
        if group in ids and group not in {q.id for q in forms}:
            problems.append(Problem(f"form_group {group!r} is the id of a question that is "
                                    "not in the group", file=first.file, column=first.id))


MIN_FORMS = 2


def _parse_bank(directory: Path, unit: Unit) -> tuple[Bank | None, list[Problem]]:
    problems: list[Problem] = []
    if not directory.is_dir():
        return None, [Problem("question bank folder not found", file=str(directory))]
    head_path = directory / "bank.yaml"
    version = ""
    unit_code = unit.code
    if not head_path.is_file():
        problems.append(Problem("bank.yaml is missing (schema_version, bank_version, unit)",
                                file=str(directory)))
    else:
        head = _read_yaml(head_path, problems)
        if isinstance(head, dict):
            _check_schema_version(head, "bank.yaml", problems)
            version = str(head.get("bank_version") or "")
            if not version:
                problems.append(Problem("bank_version is missing", file="bank.yaml",
                                        column="bank_version"))
            unit_code = str(head.get("unit") or "")
            if unit_code != unit.code:
                problems.append(Problem(f"unit must be {unit.code}, found {unit_code!r}",
                                        file="bank.yaml", column="unit"))
        elif head is not None or not problems:
            problems.append(Problem("expected a mapping", file="bank.yaml"))
    questions: list[Question] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "bank.yaml":
            continue
        raw = _read_yaml(path, problems)
        if raw is None:
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
            problems.append(Problem("expected a mapping with a 'questions' list", file=path.name))
            continue
        _check_schema_version(raw, path.name, problems)
        for i, entry in enumerate(raw["questions"]):
            q = _parse_question(entry, path.name, i, unit, problems)
            if q is not None:
                questions.append(q)
    _check_form_groups(questions, problems)
    counts = Counter(q.id for q in questions)
    for qid, n in sorted(counts.items()):
        if n > 1:
            files = sorted({q.file for q in questions if q.id == qid})
            problems.append(Problem(f"id used {n} times (in {', '.join(files)}); ids must be unique",
                                    file=files[0], column=qid))
    bank = Bank(version=version, unit=unit_code, questions=tuple(questions),
                directory=str(directory))
    return bank, problems


def load_bank(directory: str | Path | None = None, *, unit: Unit | None = None) -> Bank:
    """Load the trainee's question bank; raise QuestionBankError listing every problem.

    The coverage rule is not applied here (see `check_bank`), so a partial bank loads.
    """
    directory = Path(directory) if directory else default_bank_dir()
    if unit is not None:
        bank, problems = _parse_bank(directory, unit)
        if problems or bank is None:
            raise QuestionBankError(problems)
        return bank
    default_unit = load_unit()
    return _load_bank_cached(str(directory.resolve()), _signature(directory),
                             default_unit.source)


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the bank's files: a change reloads it."""
    try:
        return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns)
                     for p in sorted(directory.glob("*.yaml")))
    except OSError:
        return ()


@lru_cache(maxsize=8)
def _load_bank_cached(directory: str, signature: tuple[tuple[str, int, int], ...],
                      unit_source: str) -> Bank:
    bank, problems = _parse_bank(Path(directory), load_unit(unit_source))
    if problems or bank is None:
        raise QuestionBankError(problems)
    return bank


def _parse_keys(directory: Path, bank: Bank | None,
                problems: list[Problem], unit: Unit | None = None) -> Keys:
    keys: dict[str, AssessorKey] = {}
    versions: set[str] = set()
    questions = {q.id: q for q in bank.questions} if bank else {}
    for path in sorted(directory.glob("*.yaml")):
        raw = _read_yaml(path, problems)
        if raw is None:
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("keys"), dict):
            problems.append(Problem("expected a mapping with a 'keys' mapping", file=path.name))
            continue
        _check_schema_version(raw, path.name, problems)
        version = str(raw.get("bank_version") or "")
        versions.add(version)
        if bank is not None and version != bank.version:
            problems.append(Problem(
                f"bank_version {version!r} does not match the bank's {bank.version!r}",
                file=path.name, column="bank_version"))
        for qid, entry in raw["keys"].items():
            qid = str(qid)

            def bad(message: str, _qid: str = qid, _file: str = path.name) -> None:
                problems.append(Problem(message, file=_file, column=_qid))

            if qid in keys:
                bad(f"key given twice (also in {keys[qid].file})")
                continue
            if not isinstance(entry, dict):
                bad("each key entry must be a mapping with key / rubric / feedback")
                continue
            question = questions.get(qid)
            rubric = _rubric(entry["rubric"], bad) if entry.get("rubric") is not None else None
            key = entry.get("key")
            feedback = entry.get("feedback") or {}
            if not isinstance(feedback, dict):
                bad("feedback must map option ids to texts")
                feedback = {}
            if bank is not None:
                if question is None:
                    bad("no question with this id in the bank")
                    continue
                if question.mode != "assessed":
                    bad("this question is a practice question: its key belongs in the bank")
                    continue
                key = check_key(question, key, bad, rubric)
                if question.type == "written" and rubric is not None and unit is not None:
                    _check_assessed_rubric(question, rubric, unit, bad)
                option_ids = {o.id for o in question.options}
                for oid in feedback:
                    if str(oid) not in option_ids:
                        bad(f"feedback for option {oid!r}, which the question does not have")
            keys[qid] = AssessorKey(qid, key, rubric, {str(k): str(v) for k, v in feedback.items()},
                                    path.name)
    bank_version = bank.version if bank else (sorted(versions)[0] if versions else "")
    return Keys(bank_version, keys, str(directory))


def load_keys(directory: str | Path | None = None, *, bank: Bank | None = None,
              unit: Unit | None = None) -> Keys:
    """Load the assessor's keys and rubrics (assessor side only; never in a trainee kernel).

    With `bank`, each key is checked against its question and normalised (e.g. a multiple
    choice key becomes a sorted tuple), and each written question's rubric against its
    criteria in `unit` (default: the unit file); raise QuestionBankError listing every
    problem.
    """
    directory = Path(directory) if directory else default_keys_dir()
    if not directory.is_dir():
        raise QuestionBankError(Problem("assessor keys folder not found", file=str(directory)))
    problems: list[Problem] = []
    if bank is not None and unit is None:
        unit = load_unit()
    keys = _parse_keys(directory, bank, problems, unit)
    if problems:
        raise QuestionBankError(problems)
    return keys


def coverage(bank: Bank, unit: Unit | None = None) -> dict[str, dict[str, int]]:
    """Per knowledge criterion: how many questions, written, practice and assessed."""
    unit = unit or load_unit()
    table: dict[str, dict[str, int]] = {}
    for c in unit.criteria:
        if c.kind != "knowledge":
            continue
        qs = bank.for_criterion(c.id)
        table[c.id] = {
            "questions": len(qs),
            "written": sum(q.type == "written" for q in qs),
            "practice": sum(q.mode == "practice" for q in qs),
            "assessed": sum(q.mode == "assessed" for q in qs),
        }
    return table


def check_bank(
    directory: str | Path | None = None,
    keys_dir: str | Path | None = None,
    *,
    coverage_rule: bool = True,
    unit: Unit | None = None,
) -> list[Problem]:
    """Every problem in a bank (and its assessor keys, when a keys folder is given).

    coverage_rule: each knowledge criterion needs >= 3 questions and >= 1 written one, and
    each assessed closed or numeric item >= 2 parallel forms. Switch it off for small banks
    (tests, a trainer's own extra questions).
    """
    unit = unit or load_unit()
    directory = Path(directory) if directory else default_bank_dir()
    bank, problems = _parse_bank(directory, unit)
    if bank is None:
        return problems
    if keys_dir is not None:
        keys_path = Path(keys_dir)
        if not keys_path.is_dir():
            problems.append(Problem("assessor keys folder not found", file=str(keys_path)))
        else:
            keys = _parse_keys(keys_path, bank, problems, unit)
            for q in bank.questions:
                if q.mode == "assessed" and q.type != "data_task" and q.id not in keys.keys:
                    problems.append(Problem(
                        "assessed question has no entry in the assessor's key files",
                        file=q.file, column=q.id))
    if coverage_rule:
        for q in bank.questions:
            if q.mode != "assessed" or q.type == "written":
                continue
            forms = bank.forms(q.group)
            if q.form_group is None:
                problems.append(Problem(
                    f"assessed {q.type} item has no parallel form: give it a form_group and "
                    f"write at least {MIN_FORMS - 1} more form, so a learner who resubmits "
                    "gets another", file=q.file, column=q.id))
            elif len(forms) < MIN_FORMS and q is forms[0]:
                problems.append(Problem(
                    f"form_group {q.group} has {len(forms)} form; at least {MIN_FORMS} are "
                    "needed", file=q.file, column=q.id))
        for cid, counts in coverage(bank, unit).items():
            if counts["questions"] < MIN_QUESTIONS_PER_CRITERION:
                problems.append(Problem(
                    f"criterion {cid} has {counts['questions']} questions; "
                    f"at least {MIN_QUESTIONS_PER_CRITERION} are needed", file="(coverage)"))
            if counts["written"] < MIN_WRITTEN_PER_CRITERION:
                problems.append(Problem(
                    f"criterion {cid} has no written question; at least "
                    f"{MIN_WRITTEN_PER_CRITERION} is needed", file="(coverage)"))
    return problems
