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
from ilcs.io.loaders import read_checked
from ilcs.io.table import WholeFileNeeded, csv_headers, read_table
from ilcs.io.validate import normalise_header, totals_rows, validate_table
from ilcs.io.values import merge_values

REQUEST_COLUMNS: tuple[str, ...] = tuple(SCHEMAS["requests"].names)


#: What cannot be measured without a column (when the file does not have it at all).
OPTIONAL_MEASURES: dict[str, str] = {
    "first_response_at": "the first-response measure",
    "resolved_at": "the resolution measure",
}


@dataclass(frozen=True)
class ExportFormat:
    """How one tool's export maps onto the requests table.

    - `columns`: canonical column -> the tool's headers for it, in order of preference
      (the first one the file has is used).
    - `values`: canonical column -> {the tool's value: ours}, matched ignoring case.
    - `defaults`: canonical column -> (value, note): used, with a warning that counts the
      rows, where the column is missing or a cell is blank.
    - `first_reply_minutes`: a header holding minutes from creation to the first reply.
    """

    name: str
    label: str
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    defaults: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    first_reply_minutes: str | None = None

    @property
    def mapping(self) -> dict[str, str]:
        """Every header the tool may use -> its canonical column."""
        return {header: column for column, headers in self.columns.items() for header in headers}


JIRA = ExportFormat(
    name="jira",
    label="Jira Service Management (CSV export)",
    # A plain Jira export has Issue key, Issue Type, Project name, Priority, Created and
    # Resolved; Service Management adds the request type, organisations, channel and the
    # date of first response (as "Custom field (...)" columns).
    columns={
        "request_id": ("Issue key",),
        "requester_department": ("Custom field (Organizations)", "Organizations"),
        "provider_team": ("Project name",),
        "category": ("Custom field (Request Type)", "Request Type", "Customer Request Type",
                     "Issue Type"),
        "channel": ("Custom field (Request channel type)", "Request channel type"),
        "priority": ("Priority",),
        "received_at": ("Created",),
        "first_response_at": ("Custom field (Date of First Response)", "Date of First Response"),
        "resolved_at": ("Resolved",),
    },
    date_formats=("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M"),
    values={
        "priority": {"highest": "P1", "high": "P2", "medium": "P3", "low": "P4", "lowest": "P4"},
        "channel": {"portal": "portal", "anonymousportal": "portal", "email": "email",
                    "jira": "portal", "api": "portal", "phone": "phone", "chat": "chat"},
    },
    defaults={
        "requester_department": ("not given", " (Jira Service Management's Organizations "
                                              "field)"),
        "channel": ("portal", " (Jira Service Management's Request channel type field)"),
    },
)

# Zendesk's "Via" column names the channel a ticket came through: the via types of its
# API (web_form, mail, phone_call_inbound...) and their descriptions (Web form, Email, Phone
# call (inbound)...), as Zendesk documents them.
ZENDESK_CHANNELS: dict[str, str] = {
    **dict.fromkeys(("web form", "web_form", "web", "web widget", "web_widget", "help center",
                     "help_center", "feedback tab", "dropbox", "web service", "web service (api)",
                     "web_service", "api", "closed ticket", "closed_ticket", "ticket sharing",
                     "ticket_sharing", "mobile", "mobile sdk", "mobile_sdk", "iphone",
                     "batch", "import", "topic", "forum", "blog", "github", "merge",
                     "side conversation", "side_conversation", "sample ticket",
                     "sample_ticket", "linked problem", "linked_problem", "rule",
                     "trigger, automation", "automation", "trigger"), "portal"),
    **dict.fromkeys(("email", "mail", "e-mail"), "email"),
    **dict.fromkeys(("phone", "voice", "phone call (inbound)", "phone call (incoming)",
                     "phone_call_inbound", "phone call (outbound)", "phone_call_outbound",
                     "voicemail", "api phone call (inbound)", "api_phone_call_inbound",
                     "api phone call (outbound)", "api_phone_call_outbound", "talk",
                     "calls"), "phone"),
    **dict.fromkeys(("chat", "messaging", "native_messaging", "chat transcript",
                     "chat_transcript", "chat offline message", "chat_offline_message",
                     "text message", "text_message", "text", "sms", "whatsapp", "facebook",
                     "facebook post", "facebook_post", "facebook message", "facebook_message",
                     "twitter", "twitter dm", "twitter_dm", "x", "x dm", "instagram",
                     "instagram dm", "instagram_dm", "line", "wechat", "slack",
                     "sunshine conversations", "sunshine_conversations_api",
                     "any_channel", "channel integration"), "chat"),
}

ZENDESK = ExportFormat(
    name="zendesk",
    label="Zendesk (ticket export)",
    columns={
        "request_id": ("Id", "Ticket ID"),
        "requester_department": ("Organization",),
        "provider_team": ("Group",),
        "channel": ("Via",),
        "category": ("Ticket type",),
        "priority": ("Priority",),
        "received_at": ("Created at",),
        "resolved_at": ("Solved at",),
        "reopened": ("Reopens",),
        "contacts": ("Replies",),
    },
    values={
        "priority": {"urgent": "P1", "high": "P2", "normal": "P3", "low": "P4"},
        "channel": ZENDESK_CHANNELS,
    },
    defaults={
        "priority": ("P3", " (Zendesk's Normal)"),
        "requester_department": ("no organisation", ""),
        "provider_team": ("no group", ""),
        "category": ("general", ""),
    },
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


def resolve_headers(headers: Iterable[str], fmt: str | ExportFormat = "generic",
                    mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Canonical column -> the header of `headers` that fills it.

    A user's `mapping` (header -> column) wins, then the preset's headers in its order of
    preference, then a header spelt like the column itself (ignoring case and spaces)."""
    preset = fmt if isinstance(fmt, ExportFormat) else get_format(fmt)
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(normalise_header(header), str(header))
    chosen: dict[str, str] = {}
    for header, column in (mapping or {}).items():
        actual = by_key.get(normalise_header(header))
        if actual is not None and column not in chosen:
            chosen[column] = actual
    used = set(chosen.values())
    for column in REQUEST_COLUMNS:
        if column in chosen:
            continue
        candidates = [*preset.columns.get(column, ()), column]
        for candidate in candidates:
            actual = by_key.get(normalise_header(candidate))
            if actual is not None and actual not in used:
                chosen[column] = actual
                used.add(actual)
                break
    return chosen


def suggest_mapping(headers: Iterable[str], fmt: str | ExportFormat = "generic",
                    mapping: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """For each canonical column, the header of `headers` that will fill it (or None).

    Used by the column-mapping widget to pre-select its dropdowns."""
    chosen = resolve_headers(headers, fmt, mapping)
    return {column: chosen.get(column) for column in REQUEST_COLUMNS}


def prepare(raw: pd.DataFrame, fmt: str | ExportFormat = "generic",
            mapping: Mapping[str, str] | None = None
            ) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """Apply a preset's defaults (missing columns, blank cells) to a table of text.

    Returns (the table, its header -> column mapping, warnings in words)."""
    preset = fmt if isinstance(fmt, ExportFormat) else get_format(fmt)
    chosen = resolve_headers(raw.columns, preset, mapping)
    table = raw.copy()
    warnings: list[str] = []
    for column, (value, note) in preset.defaults.items():
        header = chosen.get(column)
        if header is None:
            table[column] = value
            chosen[column] = column
            known = preset.columns.get(column, ())
            called = f" ('{known[-1]}' in {preset.label.split(' (')[0]})" if known else ""
            warnings.append(f"the file has no {column} column{called}, so every request "
                            f"counts as '{value}'")
            continue
        blank = (table[header].astype(str).str.strip() == "").to_numpy(copy=True)
        blank[[p for p, _ in totals_rows(table, [])]] = False
        if blank.any():
            table.loc[blank, header] = value
            rows = "1 row" if blank.sum() == 1 else f"{int(blank.sum()):,} rows"
            warnings.append(f"{column} is blank on {rows}, so '{value}'{note} was used for them")
    if preset.name == "zendesk" and "contacts" in chosen:
        header = chosen["contacts"]  # Zendesk counts agent replies: 0 replies is one contact
        numbers = pd.to_numeric(table[header], errors="coerce")
        table[header] = table[header].where(numbers.isna() | (numbers >= 1), "1")
    for column, measure_words in OPTIONAL_MEASURES.items():
        if column in chosen or (column == "first_response_at" and preset.first_reply_minutes
                                and preset.first_reply_minutes in raw.columns):
            continue
        known = preset.columns.get(column, ())
        called = f" ('{known[-1]}' in {preset.label.split(' (')[0]})" if known else ""
        warnings.append(f"the file has no {column} column{called}, so {measure_words} is not "
                        "available: standards that use it are left out of the report "
                        f"(or name the column with --map \"YOUR COLUMN={column}\")")
    header_mapping = {header: column for column, header in chosen.items()}
    return table, header_mapping, warnings


def from_table(raw: pd.DataFrame, fmt: str | ExportFormat = "generic",
               mapping: Mapping[str, str] | None = None, *, file: str | None = None,
               date_formats: Iterable[str] = (),
               values: Mapping[str, Mapping[str, str]] | None = None) -> pd.DataFrame:
    """A table of text (as `read_table` gives) -> the canonical, checked requests table.

    `date_formats` (strftime codes, e.g. "%d.%m.%Y %H:%M") are tried after ISO, UK day-first
    and the preset's own formats. `values` translates the file's own values (column ->
    {theirs: ours}); it wins over the preset's translations. Warnings (defaults used,
    measures not available) are in `.attrs["warnings"]` of the table returned.
    """
    preset = fmt if isinstance(fmt, ExportFormat) else get_format(fmt)
    table, full, warnings = prepare(raw, preset, mapping)
    requests = validate_table(table, SCHEMAS["requests"], file=file, mapping=full,
                              date_formats=[*preset.date_formats, *date_formats],
                              values=merge_values(preset.values, values))
    minutes_header = preset.first_reply_minutes
    if (minutes_header and minutes_header in raw.columns
            and "first_response_at" not in full.values()):
        minutes = pd.to_numeric(raw[minutes_header].astype(str).str.strip(), errors="coerce")
        bad = raw[minutes_header].astype(str).str.strip().ne("") & (minutes.isna() | (minutes < 0))
        if bad.any():
            rows = [int(i) + 2 for i in bad[bad].index[:50]]
            raise DataError([Problem("expected a number of minutes (0 or more)", file=file,
                                     row=r, column=minutes_header) for r in rows])
        first = requests["received_at"] + pd.to_timedelta(minutes.to_numpy(), unit="min")
        resolved = requests["resolved_at"]
        # Zendesk counts calendar minutes; a reply cannot come after the ticket was solved.
        # A blank (no reply yet, or solved without one) stays blank: the report says how many.
        later = first.notna() & resolved.notna() & (first > resolved)
        requests["first_response_at"] = first.mask(later, resolved)
    requests.attrs["warnings"] = warnings
    return requests


def load_ticket_export(path: str | Path, fmt: str = "generic",
                       mapping: Mapping[str, str] | None = None,
                       date_formats: Iterable[str] = (),
                       values: Mapping[str, Mapping[str, str]] | None = None,
                       *, categories: bool = False) -> pd.DataFrame:
    """Read a ticket export (CSV or XLSX) of `fmt` (jira, zendesk, generic) as requests.

    Warnings (defaults used, measures not available) are in `.attrs["warnings"]`.
    `categories`: teams, departments and other repeating text as categoricals where the
    export is read as a plain request log (see `ilcs.io.validate.validate_chunks`); an
    export whose rows are filled in (Zendesk, defaults) keeps them as text."""
    path = Path(path)
    preset = get_format(fmt)
    table = None
    if not (preset.defaults or preset.first_reply_minutes or preset.name == "zendesk"):
        table = _load_in_chunks(path, preset, mapping, date_formats, values, categories)
    if table is None:
        table = from_table(read_table(path), preset, mapping, file=path.name,
                           date_formats=date_formats, values=values)
    table.attrs["source"] = str(path)
    table.attrs["kind"] = "requests"
    return table


def _load_in_chunks(path: Path, preset: ExportFormat, mapping: Mapping[str, str] | None,
                    date_formats: Iterable[str],
                    values: Mapping[str, Mapping[str, str]] | None,
                    categories: bool) -> pd.DataFrame | None:
    """An export whose preset only maps headers (nothing filled in row by row) is read and
    checked in chunks like any large CSV (`read_checked`): what `prepare` decides (the
    mapping, the warnings) depends on the headers alone. None if the file needs the
    whole-file read."""
    try:
        headers = csv_headers(path)
    except WholeFileNeeded:
        return None
    _, full, warnings = prepare(pd.DataFrame(columns=headers), preset, mapping)
    table = read_checked(path, SCHEMAS["requests"], mapping=full,
                         date_formats=[*preset.date_formats, *date_formats],
                         values=merge_values(preset.values, values), categories=categories)
    table.attrs["warnings"] = warnings
    return table
