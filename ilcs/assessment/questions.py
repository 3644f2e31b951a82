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
class Rubric:
    """How an assessor judges a written answer."""

    marking_points: tuple[str, ...]
    what_good_looks_like: str
    min_points: int


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

    @property
    def is_practice(self) -> bool:
        return self.mode == "practice"

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
    if not isinstance(raw, dict):
        bad("'rubric' must be a mapping with marking_points, what_good_looks_like, min_points")
        return None
    points = raw.get("marking_points")
    good = raw.get("what_good_looks_like")
    min_points = raw.get("min_points")
    ok = True
    if not isinstance(points, list) or not points or not all(isinstance(p, str) for p in points):
        bad("rubric.marking_points must be a non-empty list of texts")
        ok = False
    if not isinstance(good, str) or not good.strip():
        bad("rubric.what_good_looks_like must be a text")
        ok = False
    if not isinstance(min_points, int) or isinstance(min_points, bool) or min_points < 1:
        bad(f"rubric.min_points must be a whole number >= 1, found {min_points!r}")
        ok = False
    elif isinstance(points, list) and min_points > len(points):
        bad(f"rubric.min_points ({min_points}) is more than the {len(points)} marking points")
        ok = False
    if not ok:
        return None
    return Rubric(tuple(points), str(good), int(min_points))


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
    )
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
                problems: list[Problem]) -> Keys:
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
                option_ids = {o.id for o in question.options}
                for oid in feedback:
                    if str(oid) not in option_ids:
                        bad(f"feedback for option {oid!r}, which the question does not have")
            keys[qid] = AssessorKey(qid, key, rubric, {str(k): str(v) for k, v in feedback.items()},
                                    path.name)
    bank_version = bank.version if bank else (sorted(versions)[0] if versions else "")
    return Keys(bank_version, keys, str(directory))


def load_keys(directory: str | Path | None = None, *, bank: Bank | None = None) -> Keys:
    """Load the assessor's keys and rubrics (assessor side only; never in a trainee kernel).

    With `bank`, each key is checked against its question and normalised (e.g. a multiple
    choice key becomes a sorted tuple); raise QuestionBankError listing every problem.
    """
    directory = Path(directory) if directory else default_keys_dir()
    if not directory.is_dir():
        raise QuestionBankError(Problem("assessor keys folder not found", file=str(directory)))
    problems: list[Problem] = []
    keys = _parse_keys(directory, bank, problems)
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

    coverage_rule: each knowledge criterion needs >= 3 questions and >= 1 written one.
    Switch it off for small banks (tests, a trainer's own extra questions).
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
            keys = _parse_keys(keys_path, bank, problems)
            for q in bank.questions:
                if q.mode == "assessed" and q.type != "data_task" and q.id not in keys.keys:
                    problems.append(Problem(
                        "assessed question has no entry in the assessor's key files",
                        file=q.file, column=q.id))
    if coverage_rule:
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
