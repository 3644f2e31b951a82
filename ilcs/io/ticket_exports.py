"""Ticket exports from real help-desk tools, mapped onto the canonical requests table.

A trainee can measure their own team's service with the export their tool already makes:

- **jira**: Jira Service Management CSV export ("Issue key", "Created", "Resolved",
  "Priority", "Request Type", "Organizations", "Date of First Response"...); Jira writes
  dates like `03/Apr/25 9:15 AM` (day first).
- **zendesk**: Zendesk ticket export ("Id", "Created at", "Solved at", "Group",
  "Organization", "Via", "Ticket type", "Priority", "First reply time in minutes",
  "Reopens", "Replies").
- **generic**: any spreadsheet; give the column mapping yourself (`--map "Ticket No=request_id"`).

Each preset is a column mapping, extra date formats, translations of the tool's values
(e.g. Jira's "Highest" priority is P1) and defaults for columns the tool does not export.
Everything else - reading, typing, checking - is the generic loader's job
(`ilcs.io.read_table` and `ilcs.io.validate.validate_table`), so an export gets the same
clear problems (file, row, column) as any other file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ilcs.errors import DataError, Problem
from ilcs.io.kinds import SCHEMAS
from ilcs.io.table import read_table
from ilcs.io.validate import normalise_header, validate_table

REQUEST_COLUMNS: tuple[str, ...] = tuple(SCHEMAS["requests"].names)


@dataclass(frozen=True)
class ExportFormat:
    """How one tool's export maps onto the requests table."""

    name: str
    label: str
    mapping: Mapping[str, str] = field(default_factory=dict)  # source header -> canonical column
    date_formats: tuple[str, ...] = ()
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # column -> {tool value: ours}
    defaults: Mapping[str, str] = field(default_factory=dict)  # column -> value when not exported
    first_reply_minutes: str | None = None  # a header holding minutes to first reply, if any


JIRA = ExportFormat(
    name="jira",
    label="Jira Service Management (CSV export)",
    mapping={
        "Issue key": "request_id",
        "Organizations": "requester_department",
        "Custom field (Organizations)": "requester_department",
        "Project name": "provider_team",
        "Request Type": "category",
        "Custom field (Request Type)": "category",
        "Customer Request Type": "category",
        "Request channel type": "channel",
        "Custom field (Request channel type)": "channel",
        "Priority": "priority",
        "Created": "received_at",
        "Date of First Response": "first_response_at",
        "Custom field (Date of First Response)": "first_response_at",
        "Resolved": "resolved_at",
    },
    date_formats=("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M"),
    values={
        "priority": {"highest": "P1", "high": "P2", "medium": "P3", "low": "P4", "lowest": "P4"},
        "channel": {"portal": "portal", "anonymousportal": "portal", "email": "email",
                    "jira": "portal", "api": "portal", "phone": "phone", "chat": "chat"},
    },
    defaults={"channel": "portal"},
)

ZENDESK = ExportFormat(
    name="zendesk",
    label="Zendesk (ticket export)",
    mapping={
        "Id": "request_id",
        "Ticket ID": "request_id",
        "Organization": "requester_department",
        "Group": "provider_team",
        "Via": "channel",
        "Ticket type": "category",
        "Priority": "priority",
        "Created at": "received_at",
        "Solved at": "resolved_at",
        "Reopens": "reopened",
        "Replies": "contacts",
    },
    values={
        "priority": {"urgent": "P1", "high": "P2", "normal": "P3", "low": "P4"},
        "channel": {"web form": "portal", "web widget": "portal", "web service": "portal",
                    "help center": "portal", "email": "email", "mail": "email",
                    "phone call (incoming)": "phone", "phone call (outgoing)": "phone",
                    "voicemail": "phone", "phone": "phone", "chat": "chat", "messaging": "chat",
                    "walk-in": "walk-in"},
    },
    defaults={"priority": "P3", "category": "general"},
    first_reply_minutes="First reply time in minutes",
)

GENERIC = ExportFormat(name="generic", label="Any spreadsheet (map the columns yourself)")

FORMATS: dict[str, ExportFormat] = {f.name: f for f in (JIRA, ZENDESK, GENERIC)}


def get_format(name: str) -> ExportFormat:
    if name not in FORMATS:
        raise DataError(f"unknown export format '{name}': use one of {', '.join(FORMATS)}")
    return FORMATS[name]


def parse_map_flags(flags: Iterable[str]) -> dict[str, str]:
    """`["Ticket No=request_id", ...]` -> {"Ticket No": "request_id"} (checked against the columns)."""
    mapping: dict[str, str] = {}
    problems = []
    for flag in flags:
        source, sep, target = flag.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source or not target:
            problems.append(Problem(f"'{flag}' is not SOURCE=column (e.g. \"Ticket No=request_id\")"))
        elif target not in REQUEST_COLUMNS:
            problems.append(Problem(f"'{target}' is not a requests column (expected one of: "
                                    f"{', '.join(REQUEST_COLUMNS)})"))
        else:
            mapping[source] = target
    if problems:
        raise DataError(problems)
    return mapping


def suggest_mapping(headers: Iterable[str], fmt: str | ExportFormat = "generic",
                    mapping: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """For each canonical column, the header of `headers` that will fill it (or None).

    Used by the column-mapping widget to pre-select its dropdowns: an explicit `mapping`
    wins, then the preset, then a header spelt like the column itself.
    """
    preset = fmt if isinstance(fmt, ExportFormat) else get_format(fmt)
    combined = {normalise_header(k): v for k, v in {**preset.mapping, **(mapping or {})}.items()}
    guess: dict[str, str | None] = dict.fromkeys(REQUEST_COLUMNS)
    for header in headers:
        key = normalise_header(header)
        target = combined.get(key)
        if target is None and key in {normalise_header(c): c for c in REQUEST_COLUMNS}:
            target = {normalise_header(c): c for c in REQUEST_COLUMNS}[key]
        if target in guess and guess[target] is None:
            guess[target] = header
    return guess


def _header_for(raw: pd.DataFrame, column: str, mapping: Mapping[str, str]) -> str | None:
    wanted = {normalise_header(k) for k, v in mapping.items() if v == column}
    wanted.add(normalise_header(column))
    for header in raw.columns:
        if normalise_header(header) in wanted:
            return str(header)
    return None


def prepare(raw: pd.DataFrame, fmt: str | ExportFormat = "generic",
            mapping: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Translate a tool's values and add its defaults; returns (table of text, full mapping)."""
    preset = fmt if isinstance(fmt, ExportFormat) else get_format(fmt)
    # A user's mapping replaces the preset's for the same canonical column.
    chosen = dict(mapping or {})
    full = {k: v for k, v in preset.mapping.items() if v not in chosen.values()}
    full.update(chosen)
    table = raw.copy()
    for column, translation in preset.values.items():
        header = _header_for(table, column, full)
        if header is None:
            continue
        lookup = {k.lower(): v for k, v in translation.items()}
        text = table[header].astype(str)
        translated = text.str.strip().str.lower().map(lookup)
        table[header] = translated.where(translated.notna(), text)
    if preset.name == "zendesk":
        header = _header_for(table, "contacts", full)
        if header is not None:  # Zendesk counts agent replies: 0 replies is still one contact
            numbers = pd.to_numeric(table[header], errors="coerce")
            table[header] = table[header].where(numbers.isna() | (numbers >= 1), "1")
    for column, value in preset.defaults.items():
        if _header_for(table, column, full) is None:
            table[column] = value
    if preset.first_reply_minutes and _header_for(table, "first_response_at", full) is None:
        table["first_response_at"] = ""  # filled from the minutes after the checks
    return table, full


def from_table(raw: pd.DataFrame, fmt: str | ExportFormat = "generic",
               mapping: Mapping[str, str] | None = None, *, file: str | None = None,
               date_formats: Iterable[str] = ()) -> pd.DataFrame:
    """A table of text (as `read_table` gives) -> the canonical, checked requests table.

    `date_formats` (strftime codes, e.g. "%d.%m.%Y %H:%M") are tried after ISO, UK day-first
    and the preset's own formats.
    """
    preset = fmt if isinstance(fmt, ExportFormat) else get_format(fmt)
    table, full = prepare(raw, preset, mapping)
    requests = validate_table(table, SCHEMAS["requests"], file=file, mapping=full,
                              date_formats=[*preset.date_formats, *date_formats])
    minutes_header = preset.first_reply_minutes
    if (minutes_header and minutes_header in raw.columns
            and _header_for(raw, "first_response_at", full) is None):
        minutes = pd.to_numeric(raw[minutes_header].astype(str).str.strip(), errors="coerce")
        bad = raw[minutes_header].astype(str).str.strip().ne("") & (minutes.isna() | (minutes < 0))
        if bad.any():
            rows = [int(i) + 2 for i in bad[bad].index[:50]]
            raise DataError([Problem("expected a number of minutes (0 or more)", file=file,
                                     row=r, column=minutes_header) for r in rows])
        first = requests["received_at"] + pd.to_timedelta(minutes.to_numpy(), unit="min")
        resolved = requests["resolved_at"]
        # Zendesk counts calendar minutes; a reply cannot come after the ticket was solved.
        requests["first_response_at"] = first.where(resolved.isna() | (first <= resolved), resolved)
    return requests


def load_ticket_export(path: str | Path, fmt: str = "generic",
                       mapping: Mapping[str, str] | None = None,
                       date_formats: Iterable[str] = ()) -> pd.DataFrame:
    """Read a ticket export (CSV or XLSX) of `fmt` (jira, zendesk, generic) as requests."""
    path = Path(path)
    raw = read_table(path)
    table = from_table(raw, fmt, mapping, file=path.name, date_formats=date_formats)
    table.attrs["source"] = str(path)
    table.attrs["kind"] = "requests"
    return table
