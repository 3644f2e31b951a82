"""Content checks on the real question bank (criteria 1.1-6.3) and the assessor keys.

These read the YAML with PyYAML only, so they do not depend on the bank loader; when
`ilcs.assessment.questions.check_bank` is available it is run on the real bank as well.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BANK_DIR = ROOT / "datasets" / "questions"
KEYS_DIR = ROOT / "datasets" / "assessor" / "keys"
COVERAGE_DOC = ROOT / "docs" / "content-coverage.md"

# The content files this test is about (the data-task file is checked by its own tests).
CONTENT_FILES = ("outcome-1-3.yaml", "outcome-4.yaml", "outcome-5.yaml", "outcome-6.yaml")
KNOWLEDGE_CRITERIA = ("1.1", "2.1", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3",
                      "5.1", "5.2", "5.3", "6.1", "6.2", "6.3")
ASSESSOR_ONLY = ("key", "rubric", "hint", "explanation")
CHOICE_TYPES = ("single_choice", "multiple_choice")
US_SPELLINGS = re.compile(
    r"\b(organiz\w*|color\w*|behavior\w*|center|centers|analyz\w*|recogniz\w*|"
    r"prioritiz\w*|favor\w*|labor)\b", re.IGNORECASE)


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _all_question_files() -> list[Path]:
    return [p for p in sorted(BANK_DIR.glob("*.yaml")) if p.name != "bank.yaml"]


def _content_questions() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in CONTENT_FILES:
        data = _load(BANK_DIR / name)
        assert data["schema_version"] == 1, name
        for q in data["questions"]:
            out.append({**q, "_file": name})
    return out


def _all_keys() -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """question id -> [(key file name, entry), ...] over every assessor key file."""
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in sorted(KEYS_DIR.glob("*.yaml")):
        data = _load(path)
        for qid, entry in (data.get("keys") or {}).items():
            found.setdefault(str(qid), []).append((path.name, entry))
    return found


QUESTIONS = _content_questions()
BY_ID = {q["id"]: q for q in QUESTIONS}
KEYS = _all_keys()


def _text_fields(q: dict[str, Any]) -> list[str]:
    texts = [q.get("prompt", ""), q.get("hint") or "", q.get("explanation") or ""]
    for group in ("options", "items", "left", "right"):
        for entry in q.get(group) or []:
            texts += [entry.get("text", ""), entry.get("feedback") or ""]
    return texts


def _check_answer_key(q: dict[str, Any], key: Any) -> list[str]:
    """Problems with `key` as the answer to question `q` (empty list when consistent)."""
    qtype = q["type"]
    problems: list[str] = []
    if qtype == "single_choice":
        ids = [o["id"] for o in q["options"]]
        if key not in ids:
            problems.append(f"key {key!r} not among options {ids}")
    elif qtype == "multiple_choice":
        ids = [o["id"] for o in q["options"]]
        if not isinstance(key, list) or not key or len(set(key)) != len(key):
            problems.append(f"key {key!r} must be a non-empty list without repeats")
        elif not set(key) <= set(ids):
            problems.append(f"key {key!r} names options that do not exist ({ids})")
        elif set(key) == set(ids):
            problems.append("every option is correct: nothing to choose between")
    elif qtype == "ordering":
        ids = [i["id"] for i in q["items"]]
        if not isinstance(key, list) or sorted(key) != sorted(ids):
            problems.append(f"key {key!r} is not a permutation of {ids}")
        elif key == ids:
            problems.append("items are listed in the correct order already")
    elif qtype == "matching":
        left = {i["id"] for i in q["left"]}
        right = {i["id"] for i in q["right"]}
        if not isinstance(key, dict) or set(key) != left:
            problems.append(f"key must pair every left id {sorted(left)}")
        elif not set(key.values()) <= right or len(set(key.values())) != len(key):
            problems.append("key must be one-to-one onto existing right ids")
        elif [key[i["id"]] for i in q["left"]] == [r["id"] for r in q["right"]]:
            problems.append("right column is listed in the matching order already")
    elif qtype == "numeric":
        if isinstance(key, bool) or not isinstance(key, (int, float)):
            problems.append(f"key {key!r} must be a number")
        tol = q.get("tolerance")
        if isinstance(tol, bool) or not isinstance(tol, (int, float)) or tol < 0:
            problems.append(f"tolerance {tol!r} must be a number >= 0")
        if not q.get("unit") and q.get("unit") != "":
            problems.append("numeric question needs a unit (may be an empty text)")
    elif qtype == "short_text":
        groups = key.get("keywords") if isinstance(key, dict) else None
        n = key.get("min_keywords") if isinstance(key, dict) else None
        if not isinstance(groups, list) or not groups:
            problems.append("short_text key needs keyword groups")
        else:
            for group in groups:
                for word in group:
                    if not isinstance(word, str) or len(word.strip()) < 3:
                        problems.append(f"keyword {word!r} too short for fuzzy matching")
            if not isinstance(n, int) or not 1 <= n <= len(groups):
                problems.append(f"min_keywords {n!r} must be between 1 and {len(groups)}")
    else:
        problems.append(f"unexpected type {qtype!r} for a keyed question")
    return problems


def _check_rubric(rubric: Any, assessed: bool = False) -> list[str]:
    if not isinstance(rubric, dict):
        return ["rubric missing"]
    points = rubric.get("marking_points")
    parts = rubric.get("parts")
    good = rubric.get("what_good_looks_like")
    problems = []
    if not isinstance(points, list) or len(points) < 3:
        problems.append("rubric needs at least 3 marking points")
    if not isinstance(parts, list) or not any(p.get("required", True) for p in parts):
        problems.append("rubric needs parts, at least one required")
    elif isinstance(points, list):
        ids = {p["id"] for p in parts}
        tagged = [m.get("part") for m in points if isinstance(m, dict)]
        if len(tagged) != len(points) or not set(tagged) <= ids:
            problems.append("every marking point names one of the rubric's parts")
        if set(tagged) != ids:
            problems.append("every part has at least one marking point")
    if not isinstance(good, str) or len(good.split()) < 20:
        problems.append("what_good_looks_like needs a real description")
    if "min_points" in rubric:
        problems.append("min_points is replaced by parts")
    if assessed:
        for name in ("verb_guidance", "exemplar_met", "exemplar_not_met"):
            if not isinstance(rubric.get(name), str) or len(rubric[name].split()) < 15:
                problems.append(f"{name} needs a real text")
    return problems


# ------------------------------------------------------------------ whole bank


def test_bank_header_and_key_versions_agree() -> None:
    head = _load(BANK_DIR / "bank.yaml")
    assert head["schema_version"] == 1
    assert head["unit"] == "A/601/2550"
    assert head["bank_version"]
    key_files = sorted(KEYS_DIR.glob("*.yaml"))
    assert key_files, "no assessor key files"
    for path in key_files:
        data = _load(path)
        assert data["schema_version"] == 1, path.name
        assert data["bank_version"] == head["bank_version"], path.name


def test_ids_are_unique_across_every_question_file() -> None:
    ids: list[str] = []
    for path in _all_question_files():
        ids += [str(q["id"]) for q in _load(path)["questions"]]
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    assert duplicates == []
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", i) for i in ids)


def test_every_knowledge_criterion_has_questions_and_a_written_one_in_the_bank() -> None:
    counts: Counter[str] = Counter()
    written: Counter[str] = Counter()
    for path in _all_question_files():
        for q in _load(path)["questions"]:
            for c in q["criteria"]:
                counts[str(c)] += 1
                written[str(c)] += q["type"] == "written"
    for c in KNOWLEDGE_CRITERIA:
        assert counts[c] >= 3, f"criterion {c}: {counts[c]} questions"
        assert written[c] >= 1, f"criterion {c}: no written question"


# ------------------------------------------------------------------ content files


@pytest.mark.parametrize("criterion", KNOWLEDGE_CRITERIA)
def test_criterion_has_the_promised_mix(criterion: str) -> None:
    qs = [q for q in QUESTIONS if criterion in q["criteria"]]
    practice = [q for q in qs if q["mode"] == "practice"]
    assessed = [q for q in qs if q["mode"] == "assessed"]
    written_assessed = [q for q in assessed if q["type"] == "written"]
    assert len(qs) >= 5, [q["id"] for q in qs]
    assert len(practice) >= 3
    assert len(assessed) >= 2
    assert len(written_assessed) >= 1
    # Each criterion mixes question types, not just one.
    assert len({q["type"] for q in qs}) >= 3


def test_every_type_is_used() -> None:
    used = {q["type"] for q in QUESTIONS}
    assert used >= {"single_choice", "multiple_choice", "ordering", "matching",
                    "short_text", "numeric", "written"}


def test_questions_use_known_criteria_modes_and_sources() -> None:
    for q in QUESTIONS:
        assert q["mode"] in ("practice", "assessed"), q["id"]
        assert q["criteria"] and set(q["criteria"]) <= set(KNOWLEDGE_CRITERIA), q["id"]
        assert str(q["id"]).startswith(f"q{q['criteria'][0]}-"), q["id"]
        assert str(q.get("source", "")).startswith("content-map"), q["id"]
        assert q.get("prompt", "").strip(), q["id"]


def test_assessed_questions_carry_no_answers_in_the_bank() -> None:
    for q in QUESTIONS:
        if q["mode"] != "assessed":
            continue
        leaked = [f for f in ASSESSOR_ONLY if q.get(f) is not None]
        leaked += [f"options.{o['id']}.feedback" for o in q.get("options") or []
                   if o.get("feedback")]
        assert leaked == [], (q["id"], leaked)


def test_assessed_questions_have_exactly_one_key_entry() -> None:
    for q in QUESTIONS:
        if q["mode"] == "assessed" and q["type"] != "data_task":
            assert len(KEYS.get(q["id"], [])) == 1, q["id"]


def test_key_files_name_only_assessed_questions_of_the_bank() -> None:
    bank_ids: dict[str, str] = {}
    for path in _all_question_files():
        for q in _load(path)["questions"]:
            bank_ids[str(q["id"])] = q["mode"]
    for qid in KEYS:
        assert bank_ids.get(qid) == "assessed", f"{qid} is not an assessed question of the bank"


def test_key_files_mirror_question_files() -> None:
    for path in KEYS_DIR.glob("*.yaml"):
        if path.name not in CONTENT_FILES:
            continue
        bank_ids = {q["id"] for q in _load(BANK_DIR / path.name)["questions"]}
        assert set(_load(path)["keys"]) <= bank_ids, path.name


@pytest.mark.parametrize("qid", [q["id"] for q in QUESTIONS if q["mode"] == "practice"])
def test_practice_question_is_complete_and_consistent(qid: str) -> None:
    q = BY_ID[qid]
    assert q.get("hint", "").strip(), "practice questions need a hint"
    assert q.get("explanation", "").strip(), "practice questions need an explanation"
    if q["type"] == "written":
        assert _check_rubric(q.get("rubric")) == []
        return
    assert _check_answer_key(q, q.get("key")) == []
    if q["type"] in CHOICE_TYPES:
        missing = [o["id"] for o in q["options"] if not str(o.get("feedback", "")).strip()]
        assert missing == [], "every option needs feedback saying why it is (not) right"


@pytest.mark.parametrize("qid", [q["id"] for q in QUESTIONS if q["mode"] == "assessed"])
def test_assessed_key_is_consistent(qid: str) -> None:
    q = BY_ID[qid]
    (_, entry), = KEYS[qid]
    if q["type"] == "written":
        assert _check_rubric(entry.get("rubric"), assessed=True) == []
        assert entry.get("key") is None
        assert q.get("word_guidance"), "written questions give word guidance"
        return
    assert _check_answer_key(q, entry.get("key")) == []
    feedback = entry.get("feedback") or {}
    if q["type"] in CHOICE_TYPES:
        assert set(feedback) <= {o["id"] for o in q["options"]}


def test_written_questions_are_assessed_scenarios_with_rubrics() -> None:
    written = [q for q in QUESTIONS if q["type"] == "written"]
    assert written
    for q in written:
        if q["mode"] == "assessed":
            assert "rubric" in KEYS[q["id"]][0][1], q["id"]


def test_correct_answers_are_not_always_in_the_same_place() -> None:
    """A trainee must not be able to guess by position (e.g. 'always a')."""
    firsts: Counter[str] = Counter()
    for q in QUESTIONS:
        if q["type"] != "single_choice":
            continue
        key = q.get("key") if q["mode"] == "practice" else KEYS[q["id"]][0][1].get("key")
        firsts[key] += 1
    total = sum(firsts.values())
    assert total >= 8
    assert max(firsts.values()) <= total / 2, firsts


def _answer_key(q: dict[str, Any]) -> Any:
    return q.get("key") if q["mode"] == "practice" else KEYS[q["id"]][0][1].get("key")


def test_correct_option_is_not_given_away_by_its_length() -> None:
    """The right answer must not be the longest, most careful option every time."""
    longest = 0
    singles = [q for q in QUESTIONS if q["type"] == "single_choice"]
    for q in singles:
        key = _answer_key(q)
        lengths = {o["id"]: len(o["text"]) for o in q["options"]}
        other = max(n for oid, n in lengths.items() if oid != key)
        assert lengths[key] <= 1.2 * other, q["id"]
        longest += lengths[key] > other
    assert longest <= 0.4 * len(singles), f"{longest} of {len(singles)} keys are the longest option"


def test_multiple_choice_number_of_right_answers_varies() -> None:
    """'Tick all but two' must not be a reliable strategy."""
    wrong_counts = set()
    right_counts = set()
    for q in QUESTIONS:
        if q["type"] == "multiple_choice":
            key = _answer_key(q)
            right_counts.add(len(key))
            wrong_counts.add(len(q["options"]) - len(key))
    assert len(wrong_counts) >= 3, wrong_counts
    assert len(right_counts) >= 3, right_counts


def test_learner_text_uses_uk_spelling() -> None:
    for q in QUESTIONS:
        for text in _text_fields(q):
            assert not US_SPELLINGS.search(text), (q["id"], US_SPELLINGS.search(text))


# ------------------------------------------------------------------ traceability


def test_coverage_doc_names_only_existing_questions_and_every_content_question() -> None:
    doc = COVERAGE_DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`(q\d\.\d-[a-z0-9.\-]+)`", doc))
    assert named, "no question ids found in docs/content-coverage.md"
    all_ids = {str(q["id"]) for path in _all_question_files() for q in _load(path)["questions"]}
    assert sorted(named - all_ids) == []
    assert sorted(set(BY_ID) - named) == [], "questions missing from the coverage table"


def test_coverage_doc_has_a_row_for_every_criterion() -> None:
    doc = COVERAGE_DOC.read_text(encoding="utf-8")
    for c in KNOWLEDGE_CRITERIA:
        assert re.search(rf"^\|\s*{re.escape(c)}\s*\|", doc, re.MULTILINE), c


def test_validator_accepts_the_real_bank_and_keys() -> None:
    from ilcs.assessment.questions import check_bank

    problems = check_bank(BANK_DIR, KEYS_DIR)
    assert [str(p) for p in problems] == []


def test_coverage_summary_counts_match_the_bank() -> None:
    doc = COVERAGE_DOC.read_text(encoding="utf-8")
    for c in KNOWLEDGE_CRITERIA:
        row = re.search(rf"^\|\s*{re.escape(c)}\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|",
                        doc, re.MULTILINE)
        assert row, f"no summary row for {c}"
        qs = [q for q in QUESTIONS if c in q["criteria"]]
        expected = (len(qs), sum(q["mode"] == "practice" for q in qs),
                    sum(q["mode"] == "assessed" for q in qs))
        assert tuple(int(g) for g in row.groups()) == expected, c


# Workings for every numeric question, written out from the figures in its prompt, so a
# typing slip in a key (in the bank or the assessor file) is caught.
NUMERIC_WORKINGS = {
    "q3.2-lost-hours": 5 * 3 * 7.5,
    "q4.3-within-target": 100 * sum(h <= 2.0 for h in (0.5, 1.5, 3.0, 1.0, 2.0, 4.5, 0.8, 1.2,
                                                        2.5, 1.9)) / 10,
    "q6.1-response-rate": 100 * 84 / 240,
    "q6.1-complaints-resolved": 100 * 42 / 48,
    "q6.1-within-target": 100 * (51 + 36 + 43) / (60 + 40 + 50),
    "q6.2-top-two-box": 100 * (18 + 27) / (18 + 27 + 10 + 9 + 6),
    "q6.2-nps": 100 * 90 / 200 - 100 * 40 / 200,
    "q6.3-review-result": 100 * 12 / 80 - 100 * 3 / 75,
    # parallel forms
    "q6.1-within-target-f2": 100 * (102 + 81 + 88) / (120 + 90 + 110),
    "q6.2-nps-f2": 100 * 56 / 160 - 100 * 40 / 160,
    "q6.3-review-result-f2": 100 * 30 / 200 - 100 * 8 / 160,
}


def test_every_numeric_question_has_a_worked_check() -> None:
    numeric = {q["id"] for q in QUESTIONS if q["type"] == "numeric"}
    assert numeric == set(NUMERIC_WORKINGS)


@pytest.mark.parametrize("qid", sorted(NUMERIC_WORKINGS))
def test_numeric_key_matches_the_working(qid: str) -> None:
    q = BY_ID[qid]
    key = q["key"] if q["mode"] == "practice" else KEYS[qid][0][1]["key"]
    assert abs(key - NUMERIC_WORKINGS[qid]) <= q["tolerance"]
    # The unrounded answer must be accepted too (a trainee may not round).
    assert abs(round(NUMERIC_WORKINGS[qid], 2) - key) <= q["tolerance"]


# For each short-text question: answers a trainee might give, and whether each should be
# marked correct. Checked with the real marking rule, so keyword groups are neither too
# strict for a good answer nor loose enough to accept an off-topic one.
SHORT_TEXT_SAMPLES = {
    "q1.1-in-your-words": [
        ("A colleague in another department who relies on my team to do their job.", True),
        ("Anyone I work with who needs a service from us.", True),
        ("Someone who buys our products in the shop.", False),
    ],
    "q3.1-value-short": [
        ("You get it right first time and the customer trusts you more.", True),
        ("You know what to prioritise and the customer ends up more satisfied.", True),
        ("Because my manager says so.", False),
    ],
    "q3.2-effects-on-staff": [
        ("Good staff leave and morale drops.", True),
        ("Productivity goes down and people quit.", True),
        ("The weather gets worse.", False),
    ],
    "q4.1-what-standards-cover": [
        ("The services it gives, the products it sells and the work its staff do.", True),
        ("Health and safety, money and time.", False),
        ("Services and products.", False),
    ],
    "q4.2-smart-letters": [
        ("Specific, Measurable, Achievable, Realistic, Time-bound", True),
        ("specific measurable agreed relevant timed", True),
        ("Simple, Manageable, Accurate, Reliable, Timely", False),
    ],
    "q5.1-examples": [
        ("No training on the finance system, and an unclear job role.", True),
        ("Old software and no targets for the team.", True),
        ("Their car broke down.", False),
    ],
    "q5.2-why-act-soon": [
        ("Because small problems pile up into big obstacles.", True),
        ("If you leave them they get worse and harder to fix.", True),
        ("Because it is polite.", False),
    ],
    "q6.2-name-techniques": [
        ("Suggestion box, questionnaire and focus group", True),
        ("Comment book, complaints procedure and evaluation sheets", True),
        ("Ask them, email them, phone them", False),
    ],
}


def test_every_short_text_question_has_samples() -> None:
    short = {q["id"] for q in QUESTIONS if q["type"] == "short_text"}
    assert short == set(SHORT_TEXT_SAMPLES)


@pytest.mark.parametrize("qid", sorted(SHORT_TEXT_SAMPLES))
def test_short_text_keywords_accept_good_and_reject_off_topic_answers(qid: str) -> None:
    from ilcs.assessment import marking, questions

    question = questions.load_bank(BANK_DIR).get(qid)
    for answer, should_pass in SHORT_TEXT_SAMPLES[qid]:
        result = marking.mark(question, answer, question.key)
        assert result.is_correct is should_pass, (answer, result)


def test_prompts_avoid_markdown_the_quiz_widget_does_not_render() -> None:
    """The quiz shows paragraphs, line breaks, bold and italic: no tables, links or headings."""
    for q in QUESTIONS:
        for line in q["prompt"].splitlines():
            assert not line.lstrip().startswith(("|", "#")), (q["id"], line)
            assert "](" not in line, (q["id"], line)


def test_text_is_not_hard_wrapped() -> None:
    """The quiz turns each line break into a visible one, so a paragraph is one line
    (a list puts one item per line)."""
    item = re.compile(r"^(- |\d+\. )")
    for q in QUESTIONS:
        for field in ("prompt", "explanation"):
            for para in str(q.get(field) or "").strip().split("\n\n"):
                lines = para.split("\n")
                for line in lines[1:]:
                    assert item.match(line), (q["id"], field, line)


def test_the_key_given_as_an_answer_is_marked_correct_and_a_wrong_one_is_not() -> None:
    """End to end with the real loader and marker: the bank's answers really score."""
    from ilcs.assessment import marking, questions

    bank = questions.load_bank(BANK_DIR)
    keys = questions.load_keys(KEYS_DIR, bank=bank)
    checked = 0
    for q in QUESTIONS:
        if q["type"] in ("written", "short_text"):
            continue
        loaded = bank.get(q["id"])
        key = loaded.key if q["mode"] == "practice" else keys.keys[q["id"]].key
        answer = _answer_key(q)  # the response a trainee would give, as in the YAML
        assert marking.mark(loaded, answer, key).is_correct, q["id"]
        if q["type"] == "single_choice":
            wrong = next(o["id"] for o in q["options"] if o["id"] != answer)
        elif q["type"] == "multiple_choice":
            wrong = answer[:-1] or [o["id"] for o in q["options"] if o["id"] not in answer]
        elif q["type"] == "numeric":
            wrong = answer + 2 * q["tolerance"] + 1
        elif q["type"] == "ordering":
            wrong = list(reversed(answer))
        else:
            lefts = list(answer)
            wrong = {left: answer[lefts[(i + 1) % len(lefts)]] for i, left in enumerate(lefts)}
        assert not marking.mark(loaded, wrong, key).is_correct, q["id"]
        checked += 1
    assert checked >= 50


def test_assessed_sources_do_not_hint_at_the_answer() -> None:
    """A trainee can read the bank: an assessed question's `source` must not echo words
    that only the right option(s) use."""
    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 5}

    for q in QUESTIONS:
        if q["mode"] != "assessed" or q["type"] not in CHOICE_TYPES:
            continue
        key = _answer_key(q)
        right_ids = set(key if isinstance(key, list) else [key])
        right = set().union(*(words(o["text"]) for o in q["options"] if o["id"] in right_ids))
        wrong = set().union(*(words(o["text"]) for o in q["options"] if o["id"] not in right_ids))
        telling = right - wrong - words(q["prompt"])
        assert not (words(q.get("source", "")) & telling), (q["id"], words(q["source"]) & telling)


# ------------------------------------------------------------------ content corrections
# Each correction of issue 12 by question id, so a later edit cannot quietly undo it.

WIDER_VIEW = re.compile(r"supplier|partner|stakeholder|shareholder", re.IGNORECASE)


def _right_options(q: dict[str, Any]) -> list[dict[str, Any]]:
    key = _answer_key(q)
    ids = set(key if isinstance(key, list) else [key])
    return [o for o in q.get("options") or [] if o["id"] in ids]


def _wrong_options(q: dict[str, Any]) -> list[dict[str, Any]]:
    right = {o["id"] for o in _right_options(q)}
    return [o for o in q.get("options") or [] if o["id"] not in right]


def test_internal_customer_core_definition_no_item_depends_on_the_wider_view() -> None:
    for q in QUESTIONS:
        if "1.1" not in q["criteria"] or q["type"] not in CHOICE_TYPES:
            continue
        assert not [o["text"] for o in _right_options(q) if WIDER_VIEW.search(o["text"])], q["id"]
    wider = BY_ID["q1.1-wider-view"]
    assert "inside your own organisation" in wider["prompt"]
    assert "you do not need that view for any question" in wider["prompt"]
    assert "inside your own organisation" in BY_ID["q1.1-who-is-internal"]["explanation"]
    rubric = KEYS["q1.1-written-meaning"][0][1]["rubric"]
    (examples,) = [m["text"] for m in rubric["marking_points"] if m["part"] == "examples"]
    assert "it is not needed" in examples


def test_discrimination_and_harassment_use_uk_framing() -> None:
    text = BY_ID["q5.1-work-related"]["explanation"]
    for words in ("Equality Act 2010", "ACAS Code of Practice", "grievance",
                  "dignity-at-work", "the alleged behaviour"):
        assert words in text, words
    benefits = BY_ID["q5.3-benefits"]
    assert "grievance and dignity-at-work policies" in benefits["explanation"]
    (d,) = [o for o in benefits["options"] if o["id"] == "d"]
    assert "complaint about a service" in d["feedback"] and "ACAS" in d["feedback"]
    # the complaints-procedure items are about a service complaint, not a grievance
    for qid in ("q5.3-formal-route", "q5.3-formal-route-f2"):
        assert not re.search(r"harass|appearance|remarks", BY_ID[qid]["prompt"]), qid


def test_q3_2_why_meet_keys_only_reasons_to_meet_expectations() -> None:
    for qid in ("q3.2-why-meet", "q3.2-why-meet-f2"):
        for option in _right_options(BY_ID[qid]):
            assert "agreed" not in option["text"], (qid, option["text"])


def test_q5_1_personal_problems_uses_clear_cut_cases_only() -> None:
    texts = " ".join(o["text"] for o in BY_ID["q5.1-personal-problems"]["options"])
    assert "while I was on leave" not in texts and "planning meetings" not in texts
    assert len(_right_options(BY_ID["q5.1-personal-problems"])) == 3


def test_no_arbitrary_order_between_steps_that_happen_together() -> None:
    def item(qid: str, *words: str) -> list[str]:
        return [i["text"] for i in BY_ID[qid]["items"]
                if all(w in i["text"].lower() for w in words)]

    assert len(item("q2.1-recruitment-order", "payroll", "it issues", "either order")) == 1
    assert len(item("q5.2-response-steps", "apologise", "acknowledge")) == 1
    assert len(item("q5.3-stages", "receive", "record")) == 1


def test_distractors_do_not_give_themselves_away_with_absolutes() -> None:
    give_away = re.compile(r"\bguarantee|\balways gross\b|^None:|\bever need\b|\bnever need",
                           re.IGNORECASE)
    for q in QUESTIONS:
        if q["type"] not in CHOICE_TYPES:
            continue
        for option in _wrong_options(q):
            assert not give_away.search(option["text"]), (q["id"], option["text"])


def test_measurable_standard_items_test_4_2_and_4_1_has_its_own() -> None:
    assert "q4.1-measurable-standard" not in BY_ID
    for qid in ("q4.2-measurable-standard", "q4.2-measurable-standard-f2"):
        assert BY_ID[qid]["criteria"] == ["4.2"]
    closed_41 = [q for q in QUESTIONS if q["criteria"] == ["4.1"] and q["mode"] == "assessed"
                 and q["type"] != "written"]
    assert {q["id"] for q in closed_41} == {"q4.1-where-standards", "q4.1-where-standards-f2"}
