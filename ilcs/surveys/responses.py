"""Loading survey responses of any questionnaire, from any supported export, with no hand
editing.

    loaded = load_responses("form.csv", questionnaire, fmt="google-forms", wave=2,
                            department="Finance", org_chart=org_chart)
    loaded.responses        # canonical table: meta columns, one Int64 column per item, comment
    loaded.blank_rows       # rows with no answer and no comment, skipped and counted
    loaded.redactions       # e-mails, phone numbers and names removed from comments

Answers may be codes ("4") or the answer words ("Strongly agree", "  strongly AGREE ",
"4 - Agree"); "N/A", "Not applicable" and "Don't know" are missing. A wave, department or
team given for the whole file is used for every row (and any such column in the file is
ignored). Every problem is listed in one DataError naming file, row, column and response id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.io.columns import Column, Schema
from ilcs.io.problems import ProblemLog
from ilcs.io.survey_exports import META_COLUMNS, SurveyFormat, get_survey_format, unwrap
from ilcs.io.table import read_table
from ilcs.io.validate import normalise_header, stripped, validate_table
from ilcs.surveys.privacy import Redactor
from ilcs.surveys.questionnaire import (
    MISSING_WORDS,
    Item,
    Questionnaire,
    normalise_words,
    sample_questionnaire,
)

_MISSING = {normalise_words(w) for w in MISSING_WORDS}
_LEADING_CODE = re.compile(r"^(-?\d+)\s*[-\u2013:.)=]\s*\D")
_BRACKETED = re.compile(r"\[(.+)\]\s*$")
NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class LoadedSurvey:
    """Canonical responses and what was done on the way in."""

    responses: pd.DataFrame
    questionnaire: Questionnaire
    file: str
    blank_rows: int
    redactions: int
    missing_items: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        """What a user should know about the load, in words."""
        lines = [f"{len(self.responses):,} responses read from {self.file}."]
        if self.blank_rows:
            lines.append(f"{self.blank_rows:,} blank rows skipped (no answer and no comment).")
        if self.missing_items:
            lines.append(f"Not in the file (left blank): {', '.join(self.missing_items)}.")
        if self.redactions:
            lines.append(f"{self.redactions:,} personal details (e-mail addresses, phone "
                         "numbers or names) removed from comments.")
        return lines


def response_schema(questionnaire: Questionnaire) -> Schema:
    """The canonical responses table of a questionnaire."""
    return Schema(
        kind="survey_responses",
        description=f"Answers to {questionnaire.name}.",
        columns=(
            Column("response_id", required=True),
            Column("wave", "integer", required=True, minimum=1),
            Column("submitted_at", "datetime", may_be_absent=True),
            Column("department", required=True, may_be_absent=True, default=NOT_GIVEN),
            Column("about_team", required=True, may_be_absent=True, default=NOT_GIVEN),
            *(Column(i.id, "integer", minimum=i.low, maximum=i.high, may_be_absent=True)
              for i in questionnaire.items),
            Column("comment", may_be_absent=True),
        ),
        unique=(("response_id",),),
    )


def match_headers(headers: list[str], questionnaire: Questionnaire, fmt: SurveyFormat,
                  mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Source header -> canonical column: a user's mapping, then the tool's preset, then the
    canonical name or item id (ignoring case, spaces, underscores), then an item's wording
    (ignoring case, spaces and end punctuation; Google Forms' `Question [statement]` grid
    headers by the statement)."""
    by_name = {normalise_header(c): c for c in (*META_COLUMNS, *questionnaire.ids, "comment")}
    by_words = {normalise_words(i.wording): i.id for i in questionnaire.items}
    if questionnaire.comment:
        by_words[normalise_words(questionnaire.comment)] = "comment"
    user = {normalise_header(k): v for k, v in (mapping or {}).items()}
    preset = {normalise_header(k): v for k, v in fmt.mapping.items()}
    found: dict[str, str] = {}
    for header in headers:
        key = normalise_header(header)
        target = user.get(key) or preset.get(key) or by_name.get(key)
        if target is None:
            words = normalise_words(header)
            target = by_words.get(words)
            bracket = _BRACKETED.search(str(header))
            if target is None and bracket:
                target = by_words.get(normalise_words(bracket.group(1)))
        if target is not None:
            found[header] = target
    return found


def _code_of(text: str, item: Item, lookup: dict[str, int]) -> tuple[str, str | None]:
    """(code as text or "" for missing, problem or None) for one answer."""
    words = normalise_words(text)
    if words == "" or words in _MISSING:
        return "", None
    if words in lookup:
        return str(lookup[words]), None
    number = words
    leading = _LEADING_CODE.match(words)
    if leading:
        number = leading.group(1)
    try:
        value = float(number)
    except ValueError:
        choices = (f"one of: {', '.join(item.labels)}, or a code {item.low}-{item.high}"
                   if item.labels else f"a whole number {item.low}-{item.high}")
        return text, f"'{text}' is not an answer to {item.id} (expected {choices}, or N/A)"
    if not value.is_integer():
        return text, f"'{text}' is not a whole number (the {item.id} scale is " \
                     f"{item.low}-{item.high})"
    code = int(value)
    if not item.low <= code <= item.high:
        return text, f"{code} is out of range for {item.id} (must be {item.low}-{item.high})"
    return str(code), None


def responses_from_table(
    raw: pd.DataFrame,
    questionnaire: Questionnaire,
    fmt: str | SurveyFormat = "generic",
    *,
    file: str = "responses",
    mapping: Mapping[str, str] | None = None,
    wave: int | None = None,
    department: str | None = None,
    team: str | None = None,
    org_chart: pd.DataFrame | None = None,
) -> LoadedSurvey:
    """A table of text (as `read_table` gives) -> the canonical, checked, redacted responses."""
    preset = fmt if isinstance(fmt, SurveyFormat) else get_survey_format(fmt)
    blank_lines = int(raw.attrs.get("blank_rows", 0))
    table = unwrap(raw, preset, file=file)
    headers = [str(h) for h in table.columns]
    found = match_headers(headers, questionnaire, preset, mapping)
    log = ProblemLog(file, table.index.to_numpy())
    columns: dict[str, pd.Series] = {}
    for header, target in found.items():
        if target in columns:
            log.add(f"two columns both give '{target}': '{_source(found, target)}' and "
                    f"'{header}'", column=header)
            continue
        columns[target] = stripped(table[header])
    given = {"wave": None if wave is None else str(int(wave)), "department": department,
             "about_team": team}
    for name, value in given.items():
        if value is not None:
            columns[name] = pd.Series(str(value), index=table.index, dtype=object)
    missing_items = [i.id for i in questionnaire.items if i.id not in columns]
    if len(missing_items) == len(questionnaire.items):
        log.add("no column matches a question of the questionnaire (expected the item ids "
                f"or their wording, e.g. '{questionnaire.items[0].wording}'; the file has: "
                f"{', '.join(headers)})")
    if "wave" not in columns:
        log.add("there is no 'wave' column: give the wave for the whole file (wave=2, or "
                "--wave 2 on the command line)", column="wave")
    log.raise_if_any()
    # Answers in words -> codes; out-of-range and unknown answers named with response id.
    ids = columns.get("response_id")
    for item in questionnaire.items:
        if item.id not in columns:
            continue
        lookup = item.lookup()
        answers = columns[item.id].to_numpy()
        # Each different answer is read once (a survey has few different answers).
        read = {text: _code_of(str(text), item, lookup) for text in set(answers)}
        codes = [read[text][0] for text in answers]
        bad = [(position, read[text][1]) for position, text in enumerate(answers)
               if read[text][1] is not None]
        for position, problem in bad[:50]:
            who = f"response {ids.iloc[position]}: " if ids is not None else ""
            log.add(who + str(problem), row=position, column=_source(found, item.id) or item.id)
        if len(bad) > 50:
            log.add(f"... and {len(bad) - 50} more answers to {item.id} that cannot be read",
                    column=item.id)
        columns[item.id] = pd.Series(codes, index=table.index, dtype=object)
    log.raise_if_any()
    answer_columns = [c for c in (*questionnaire.ids, "comment") if c in columns]
    answered = np.zeros(len(table), dtype=bool)
    for column in answer_columns:
        answered |= columns[column].to_numpy() != ""
    blank_rows = blank_lines + int((~answered).sum())
    canonical = pd.DataFrame(columns, index=table.index).loc[answered]
    if "response_id" not in canonical:
        stem = Path(file).stem
        canonical["response_id"] = [f"{stem}-{int(i) + 2}" for i in canonical.index]
    if canonical.empty:
        raise DataError(Problem("has no responses (every row is blank)", file=file))
    responses = validate_table(canonical, response_schema(questionnaire), file=file,
                               date_formats=list(preset.date_formats))
    redactor = Redactor.from_org_chart(org_chart)
    redactions = 0
    if responses["comment"].notna().any():
        responses["comment"], redactions = redactor.redact_column(responses["comment"])
    responses.attrs["source"] = file
    return LoadedSurvey(responses=responses, questionnaire=questionnaire, file=file,
                        blank_rows=blank_rows, redactions=redactions,
                        missing_items=tuple(missing_items))


def _source(found: Mapping[str, str], target: str) -> str | None:
    return next((h for h, t in found.items() if t == target), None)


def load_responses(
    path: str | Path,
    questionnaire: Questionnaire | None = None,
    fmt: str = "generic",
    *,
    mapping: Mapping[str, str] | None = None,
    wave: int | None = None,
    department: str | None = None,
    team: str | None = None,
    org_chart: pd.DataFrame | None = None,
) -> LoadedSurvey:
    """Read a survey export (CSV or XLSX) of `fmt` (generic, google-forms, ms-forms,
    surveymonkey) against `questionnaire` (default: the sample survey)."""
    path = Path(path)
    raw = read_table(path)
    return responses_from_table(raw, questionnaire or sample_questionnaire(), fmt,
                                file=path.name, mapping=mapping, wave=wave,
                                department=department, team=team, org_chart=org_chart)


def load_sample_survey() -> LoadedSurvey:
    """The sample organisation's two waves, loaded the same way as any export (names from
    the sample org chart are redacted)."""
    from ilcs.io import load_sample, sample_path

    return load_responses(sample_path("survey_responses"), sample_questionnaire(),
                          org_chart=load_sample("org_chart"))
