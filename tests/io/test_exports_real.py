"""Real help-desk exports and a user's own files: the fixtures in tests/fixtures/exports/
are laid out as Zendesk and Jira document their CSV exports (every column, in order, with
their own values and date formats) and load with no hand editing; every rule that helps a
user fix a file is checked with its exact message."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ilcs.cli import main
from ilcs.errors import DataError
from ilcs.io import load
from ilcs.io.ticket_exports import ZENDESK_CHANNELS, load_ticket_export
from ilcs.io.values import parse_value_flags

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
HEADER = ("request_id,requester_department,provider_team,channel,category,priority,"
          "received_at,first_response_at,resolved_at,reopened")


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def messages(info: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [str(p) for p in info.value.problems]


# ----------------------------------------------------------------------------- Zendesk


def test_zendesk_export_loads_as_documented() -> None:
    table = load_ticket_export(EXPORTS / "zendesk_tickets.csv", "zendesk")
    assert table["request_id"].tolist() == ["7101", "7102", "7103", "7104", "7105", "7106", "7107"]
    # Via: Web form, Email, Phone call (inbound), Web Widget, Chat, Voicemail, API
    assert table["channel"].tolist() == ["portal", "email", "phone", "portal", "chat", "phone",
                                         "portal"]
    # Priority: Normal, High, Urgent, blank, Low, blank, Normal (blank = Zendesk's Normal)
    assert table["priority"].tolist() == ["P3", "P2", "P1", "P3", "P4", "P3", "P3"]
    assert table.loc[3, "requester_department"] == "no organisation"
    # +0100 is UK summer time: 16:20 local; first reply = created + 100 minutes.
    assert table.loc[1, "received_at"] == pd.Timestamp("2025-03-31 16:20")
    assert table.loc[1, "first_response_at"] == pd.Timestamp("2025-03-31 18:00")
    # No reply yet (7103), and solved with no reply (7107): blank, not the resolution time.
    assert pd.isna(table.loc[2, "first_response_at"]) and pd.isna(table.loc[6, "first_response_at"])
    assert table.attrs["warnings"] == [
        "priority is blank on 2 rows, so 'P3' (Zendesk's Normal) was used for them",
        "requester_department is blank on 1 row, so 'no organisation' was used for them",
        "category is blank on 1 row, so 'general' was used for them",
    ]


@pytest.mark.parametrize("via, channel", [
    ("Web form", "portal"), ("Email", "email"), ("Mail", "email"),
    ("Phone call (inbound)", "phone"), ("Phone call (incoming)", "phone"),
    ("Phone call (outbound)", "phone"), ("Voicemail", "phone"), ("Chat", "chat"),
    ("Messaging", "chat"), ("Text message", "chat"), ("API", "portal"),
    ("Web service (API)", "portal"), ("Web Widget", "portal"), ("Help Center", "portal"),
    ("Closed ticket", "portal"), ("Mobile SDK", "portal"), ("Ticket sharing", "portal"),
    ("web_form", "portal"), ("phone_call_inbound", "phone"), ("native_messaging", "chat"),
])
def test_zendesk_via_values(via: str, channel: str) -> None:
    assert ZENDESK_CHANNELS[via.lower()] == channel


def test_zendesk_via_value_not_known_suggests_values(tmp_path: Path) -> None:
    text = (EXPORTS / "zendesk_tickets.csv").read_text().replace(",Web form,", ",Carrier pigeon,")
    path = write(tmp_path, "zendesk.csv", text.splitlines())
    with pytest.raises(DataError) as info:
        load_ticket_export(path, "zendesk")
    assert messages(info) == [
        "zendesk.csv, row 2, column 'channel': 'Carrier pigeon' is not allowed (expected one "
        "of: portal, email, phone, walk-in, chat); to translate it, add --values "
        "\"channel:Carrier pigeon=<one of those>\""]
    table = load_ticket_export(path, "zendesk", values={"channel": {"carrier pigeon": "walk-in"}})
    assert table.loc[0, "channel"] == "walk-in"


# ----------------------------------------------------------------------------- Jira


def test_plain_jira_export_needs_only_what_it_has() -> None:
    table = load_ticket_export(EXPORTS / "jira_plain_export.csv", "jira")
    assert table["request_id"].tolist() == ["FAC-12", "FAC-13", "FAC-14", "FAC-15"]
    assert table["category"].tolist() == ["Task", "Bug", "Bug", "Task"]  # Issue Type
    assert table["priority"].tolist() == ["P3", "P2", "P1", "P4"]
    assert set(table["provider_team"]) == {"Facilities Helpdesk"}
    assert table.loc[1, "received_at"] == pd.Timestamp("2025-03-07 16:30")  # 4:30 PM
    assert table["first_response_at"].isna().all()
    assert table.attrs["warnings"] == [
        "the file has no requester_department column ('Organizations' in Jira Service "
        "Management), so every request counts as 'not given'",
        "the file has no channel column ('Request channel type' in Jira Service Management), "
        "so every request counts as 'portal'",
        "the file has no first_response_at column ('Date of First Response' in Jira Service "
        "Management), so the first-response measure is not available: standards that use it "
        "are left out of the report (or name the column with --map \"YOUR COLUMN="
        "first_response_at\")",
    ]


def test_jira_service_management_export() -> None:
    table = load_ticket_export(EXPORTS / "jira_service_management_export.csv", "jira")
    assert table["category"].tolist() == ["Get IT help", "Request new hardware",
                                          "Report a system problem", "Get IT help"]
    assert table["channel"].tolist() == ["portal", "email", "portal", "portal"]
    assert table["requester_department"].tolist() == ["Finance", "HR", "Operations", "not given"]
    assert table.loc[0, "first_response_at"] == pd.Timestamp("2025-03-03 10:05")
    assert table.attrs["warnings"] == [
        "requester_department is blank on 1 row, so 'not given' (Jira Service Management's "
        "Organizations field) was used for them"]


def test_sla_report_on_a_plain_jira_export_says_which_measure_is_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    standards = write(tmp_path, "standards.csv", [
        "standard_id,provider_team,description,measure,target,unit",
        "F1,Facilities Helpdesk,Reply within 4 working hours,first_response,4,working_hours",
        "F2,Facilities Helpdesk,Fix within 2 working days,resolution,2,working_days"])
    code = main(["sla", "report", str(EXPORTS / "jira_plain_export.csv"), "--format", "jira",
                 "--standards", str(standards)])
    out = capsys.readouterr().out
    assert code == 0
    assert ("Note: F1 (first-response) left out: the request log has no first_response_at "
            "times, so the first-response measure is not available.") in out
    assert "Note: the file has no first_response_at column" in out


def test_data_check_reads_an_export_as_sla_report_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["data", "check", str(EXPORTS / "zendesk_tickets.csv"), "--format", "zendesk"])
    out = capsys.readouterr().out
    assert code == 0
    assert "zendesk_tickets.csv: OK, a valid requests file" in out
    assert ("  Note: priority is blank on 2 rows, so 'P3' (Zendesk's Normal) was used for "
            "them") in out
    # The same file without the preset is not a requests file: exit 2, columns named.
    code = main(["data", "check", str(EXPORTS / "zendesk_tickets.csv"), "--kind", "requests"])
    assert code == 2
    assert "required column 'request_id' is missing" in capsys.readouterr().err


def test_data_check_format_is_for_requests_only(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["data", "check", str(EXPORTS / "jira_plain_export.csv"), "--format", "jira",
                 "--kind", "complaints"])
    assert code == 2
    assert ("--format jira reads an export of requests: leave out --kind, or use --kind "
            "requests") in capsys.readouterr().err


# ----------------------------------------------------------------------------- value mapping

OWN_VALUES = [HEADER,
              "T1,Finance,IT,portal,Access,normal,03/04/2025 09:00,03/04/2025 09:30,,false",
              "T2,HR,IT,email,Access,high,03/04/2025 10:00,,03/04/2025 12:00,true"]


def test_values_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "requests_own.csv", OWN_VALUES)
    assert main(["data", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert ("requests_own.csv, row 2, column 'priority': 'normal' is not allowed (expected one "
            "of: P1, P2, P3, P4); to translate it, add --values \"priority:normal=<one of "
            "those>\"") in err
    assert "row 2, column 'reopened': 'false' is not a whole number" in err
    code = main(["data", "check", str(path), "--values", "priority:normal=P3,high=P2",
                 "--values", "reopened:false=0,true=1"])
    assert code == 0, capsys.readouterr().err
    table = load(path, "requests", values=parse_value_flags(
        ["priority:normal=P3,HIGH=P2", "reopened:false=0,true=1"], ["priority", "reopened"]))
    assert table["priority"].tolist() == ["P3", "P2"]
    assert table["reopened"].tolist() == [0, 1]


@pytest.mark.parametrize("flag, message", [
    ("priority", "--values 'priority' should look like COLUMN:THEIRS=OURS,THEIRS=OURS, e.g. "
                 "--values \"priority:normal=P3,high=P2\""),
    ("priority:normal", "--values 'priority:normal' should look like COLUMN:THEIRS=OURS,"
                        "THEIRS=OURS, e.g. --values \"priority:normal=P3,high=P2\""),
    ("urgency:normal=P3", "--values 'urgency:normal=P3' names 'urgency', which is not a column "
                          "here (expected one of: priority, reopened)"),
])
def test_bad_values_flag(flag: str, message: str) -> None:
    with pytest.raises(DataError) as info:
        parse_value_flags([flag], ["priority", "reopened"])
    assert messages(info) == [message]


# ----------------------------------------------------------------------------- messages


def test_missing_column_suggests_map_with_the_closest_header(tmp_path: Path) -> None:
    path = write(tmp_path, "requests_teams.csv", [
        HEADER.replace("provider_team", "Team name"),
        "T1,Finance,IT,portal,Access,P3,03/04/2025 09:00,,,0"])
    with pytest.raises(DataError) as info:
        load(path, "requests")
    assert messages(info) == [
        "requests_teams.csv, column 'provider_team': required column 'provider_team' is missing "
        "(the file has: request_id, requester_department, Team name, channel, category, "
        "priority, received_at, first_response_at, resolved_at, reopened). If 'Team name' "
        "holds it, add --map \"Team name=provider_team\" (in the notebook, choose 'Team name' "
        "for it in the column mapper)."]
    assert load(path, "requests", mapping={"Team name": "provider_team"}).loc[0,
                                                                              "provider_team"] == "IT"


def test_missing_column_with_nothing_like_it(tmp_path: Path) -> None:
    path = write(tmp_path, "requests_ids.csv", [
        HEADER.replace("request_id", "Item"), "T1,Finance,IT,portal,Access,P3,03/04/2025 09:00,,,0"])
    with pytest.raises(DataError) as info:
        load(path, "requests")
    assert messages(info)[0].endswith(
        "Name the column that holds it with --map \"YOUR COLUMN=request_id\" (in the notebook, "
        "choose it in the column mapper).")


def test_us_dates_suggest_a_date_format(tmp_path: Path) -> None:
    path = write(tmp_path, "requests_us.csv", [
        HEADER, "T1,Finance,IT,portal,Access,P3,05/12/2025 09:57:30 AM,,,0",
        "T2,Finance,IT,portal,Access,P3,05/13/2025 01:05:00 PM,,,0"])
    with pytest.raises(DataError) as info:
        load(path, "requests")
    assert messages(info) == [
        "requests_us.csv, row 2, column 'received_at': '05/12/2025 09:57:30 AM' is not a date "
        "in an accepted format (YYYY-MM-DD HH:MM or day-first DD/MM/YYYY HH:MM)",
        "requests_us.csv, row 3, column 'received_at': '05/13/2025 01:05:00 PM' is not a date "
        "in an accepted format (YYYY-MM-DD HH:MM or day-first DD/MM/YYYY HH:MM)",
        "requests_us.csv, column 'received_at': these look like US dates (month first): if so, "
        "add --date-format \"%m/%d/%Y %I:%M:%S %p\" (in the notebook, the same format in "
        "'Date format')",
    ]
    table = load(path, "requests", date_formats=["%m/%d/%Y %I:%M:%S %p"])
    assert table["received_at"].tolist() == [pd.Timestamp("2025-05-12 09:57:30"),
                                             pd.Timestamp("2025-05-13 13:05:00")]


def test_day_first_impossible_date_suggests_month_first(tmp_path: Path) -> None:
    path = write(tmp_path, "requests_us24.csv", [
        HEADER, "T1,Finance,IT,portal,Access,P3,01/13/2025 09:10,,,0"])
    with pytest.raises(DataError) as info:
        load(path, "requests")
    assert messages(info)[-1] == (
        "requests_us24.csv, column 'received_at': these look like US dates (month first): if "
        "so, add --date-format \"%m/%d/%Y %H:%M\" (in the notebook, the same format in "
        "'Date format')")


def test_totals_row_is_named_as_such(tmp_path: Path) -> None:
    path = write(tmp_path, "requests_total.csv", [
        HEADER, "T1,Finance,IT,portal,Access,P3,03/04/2025 09:00,,,0",
        "T2,Finance,IT,portal,Access,P3,03/04/2025 10:00,,,1",
        "Total,,,,,,,,,1"])
    with pytest.raises(DataError) as info:
        load(path, "requests")
    assert messages(info) == [
        "requests_total.csv, row 4: looks like a totals row ('Total'), not a requests row: "
        "delete the row and load the file again"]
    code_path = write(tmp_path, "requests_fixed.csv", OWN_VALUES[:1] + [
        "T1,Finance,IT,portal,Access,P3,03/04/2025 09:00,,,0"])
    assert len(load(code_path, "requests")) == 1
