"""Survey exports from real form tools, as tables of text with canonical meta headers.

What each tool writes (from the tools' documented export formats):

- **generic**: a CSV or XLSX with one row per response; headers are the canonical names
  (`response_id`, `wave`, `submitted_at`, `department`, `about_team`, the item ids, `comment`)
  or the items' wording.
- **google-forms**: Google Forms "Download responses (.csv)": a `Timestamp` column (a UK
  account writes `03/03/2025 09:02:11`, day first), an `Email address` column when e-mails
  are collected, then one column per question headed by the question's wording, answers as
  the words chosen ("Strongly agree").
- **ms-forms**: Microsoft Forms "Open results in Excel" (.xlsx): `ID`, `Start time`,
  `Completion time` (Excel date-times), `Email` and `Name` ("anonymous" when the form does
  not record names), sometimes `Last modified time`, then one column per question.
- **surveymonkey**: SurveyMonkey "All responses data", CSV, expanded: TWO header rows. Row 1
  holds `Respondent ID`, `Collector ID`, `Start Date`, `End Date`, `IP Address`,
  `Email Address`, `First Name`, `Last Name`, `Custom Data 1`, then each question's wording;
  a matrix question's wording heads only its first column. Row 2 holds `Response` (or
  `Open-Ended Response`) under a single question and each statement under a matrix. Dates
  are US month-first with AM/PM: `10/13/2025 09:02:11 AM`.

Columns that identify a person (e-mail, name, IP address) are dropped here and never read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ilcs.errors import DataError, Problem

META_COLUMNS: tuple[str, ...] = ("response_id", "wave", "submitted_at", "department",
                                 "about_team")


@dataclass(frozen=True)
class SurveyFormat:
    """How one tool's export maps onto the canonical response columns."""

    name: str
    label: str
    mapping: Mapping[str, str] = field(default_factory=dict)  # tool header -> canonical column
    date_formats: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()  # headers that identify a person: dropped unread
    header_rows: int = 1


GENERIC = SurveyFormat(name="generic", label="Any spreadsheet (canonical or wording headers)")

GOOGLE_FORMS = SurveyFormat(
    name="google-forms",
    label="Google Forms (CSV download)",
    mapping={"Timestamp": "submitted_at"},
    date_formats=("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"),
    identity=("Email address", "Email Address", "Username", "Name"),
)

MS_FORMS = SurveyFormat(
    name="ms-forms",
    label="Microsoft Forms (Excel download)",
    mapping={"ID": "response_id", "Completion time": "submitted_at"},
    identity=("Email", "Name", "Start time", "Last modified time"),
)

SURVEYMONKEY = SurveyFormat(
    name="surveymonkey",
    label="SurveyMonkey (CSV, two header rows)",
    mapping={"Respondent ID": "response_id", "End Date": "submitted_at"},
    date_formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S"),
    identity=("Collector ID", "Start Date", "IP Address", "Email Address", "First Name",
              "Last Name", "Custom Data 1"),
    header_rows=2,
)

FORMATS: dict[str, SurveyFormat] = {f.name: f for f in (GENERIC, GOOGLE_FORMS, MS_FORMS,
                                                         SURVEYMONKEY)}

_SECOND_ROW_PLAIN = {"response", "open-ended response", ""}


def get_survey_format(name: str) -> SurveyFormat:
    if name not in FORMATS:
        raise DataError(Problem(f"unknown survey export format '{name}': use one of "
                                f"{', '.join(FORMATS)}"))
    return FORMATS[name]


def unwrap(raw: pd.DataFrame, fmt: SurveyFormat, *, file: str | None = None) -> pd.DataFrame:
    """The export as one header row, with the identifying columns removed.

    SurveyMonkey's second header row is folded into the first: a column takes the statement
    of row 2 when there is one (a matrix), else the question of row 1. Row numbers (the
    index) still count from the top of the file.
    """
    table = raw
    if fmt.header_rows == 2:
        if len(table) == 0:
            raise DataError(Problem("the second header row (Response / the statements) is "
                                    "missing: is this SurveyMonkey's expanded CSV export?",
                                    file=file, row=2))
        second = table.iloc[0]
        headers: list[str] = []
        question = ""
        for header, sub in zip(table.columns, second):
            header, sub = str(header), str(sub).strip()
            blank_top = header == "" or header.startswith("Unnamed:")
            if not blank_top:
                question = header
            if sub.lower() in _SECOND_ROW_PLAIN:
                headers.append(question if not blank_top else f"{question} {sub}".strip())
            else:
                headers.append(sub)
        table = table.iloc[1:].copy()
        table.columns = headers
    drop = {h.lower() for h in fmt.identity}
    keep = [c for c in table.columns if str(c).strip().lower() not in drop]
    return table[keep]


__all__ = ["FORMATS", "META_COLUMNS", "SurveyFormat", "get_survey_format", "unwrap"]
