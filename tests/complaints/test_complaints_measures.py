"""Complaint handling measures: a 10-complaint worked example checked by hand, small-group
suppression and name redaction, and a slow recomputation of the sample's figures."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from ilcs.complaints import complaints_report, lateness, lateness_summary, load_procedure
from ilcs.complaints.measures import FEWER_THAN_5, ComplaintsReport
from ilcs.io import load, load_complaints, sample_path
from tests.support.complaints_example import AS_OF, HANDLER_NAMES, write_example
from tests.support.slow_sla import slow_calendar, slow_hours


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> ComplaintsReport:
    paths = write_example(tmp_path_factory.mktemp("example"))
    complaints, events = load_complaints(paths["complaints"], paths["events"])
    requests = load(paths["requests"], "requests")
    return complaints_report(complaints, events, requests, load_procedure(paths["procedure"]),
                             as_of=AS_OF)


def _team(report: ComplaintsReport, team: str) -> pd.Series:
    return report.teams.set_index("about_team").loc[team]


def test_worked_example_working_hours_per_complaint(example: ComplaintsReport) -> None:
    t = example.timeline.set_index("complaint_id")
    # By hand, Mon-Fri 09:00-17:00:
    # C02 received Mon 16:00, acknowledged Tue 11:00: 1 h Monday + 2 h Tuesday = 3 h.
    # C02 responded Thu 10:00: 1 (Mon) + 8 (Tue) + 8 (Wed) + 1 (Thu) = 18 h > 16: missed.
    # C03 received Fri 15:00, acknowledged Mon 12:00: 2 + 3 = 5 h > 4: missed.
    # C07 acknowledged after exactly 4 h and answered after exactly 16 h: both met.
    # C08 received Fri 16:30: acknowledged Mon 13:00 = 0.5 + 4 = 4.5 h (missed); responded
    #     Wed 09:00 = 0.5 + 8 + 8 = 16.5 h (missed).
    expected = {"C01": (1.0, 8.0), "C02": (3.0, 18.0), "C03": (5.0, 13.0), "C04": (1.5, 11.0),
                "C07": (4.0, 16.0), "C08": (4.5, 16.5), "C09": (0.5, 7.0)}
    for cid, (ack, respond) in expected.items():
        assert t.loc[cid, "ack_hours"] == pytest.approx(ack), cid
        assert t.loc[cid, "respond_hours"] == pytest.approx(respond), cid
    assert list(t["ack_status"]) == ["met", "met", "missed", "met", "met", "met", "met",
                                     "missed", "met", "open_missed"]
    # C05: not answered; Wed 10:00 to Fri 17:00 = 7 + 8 + 8 = 23 h > 16: open_missed.
    # C06: not answered; Thu 09:00 to Fri 17:00 = 16 h, not past 16: open_not_due.
    # C10: not acknowledged; Mon 12:00 to Fri 17:00 = 5 + 4 x 8 = 37 h: open_missed on both.
    assert list(t["respond_status"]) == ["met", "missed", "met", "met", "open_missed",
                                         "open_not_due", "met", "missed", "met", "open_missed"]
    assert list(t.index[t["open"]]) == ["C05", "C06", "C10"]
    # ages in working days: 23/8 = 2.875 -> 2.9; 16/8 = 2.0; 37/8 = 4.625 -> 4.6
    assert list(t.loc[t["open"], "age_working_days"]) == [2.9, 2.0, 4.6]


def test_worked_example_team_figures(example: ComplaintsReport) -> None:
    it = _team(example, "IT Service Desk")
    # C01-C05: acknowledged within 4 h: C01, C02, C04, C05 -> 4 of 5 = 80.0 %
    assert (it["ack_within"], it["ack_measured"], it["pct_ack_within"]) == (4, 5, 80.0)
    # responded within 16 h: C01, C03, C04 of 5 (C05 is open and past due) = 60.0 %
    assert (it["respond_within"], it["respond_measured"], it["pct_respond_within"]) == (3, 5, 60.0)
    # escalated C03, reopened C04: 1 of 5 each = 20.0 %
    assert (it["escalated"], it["pct_escalated"], it["reopened"], it["pct_reopened"]) == (
        1, 20.0, 1, 20.0)
    # asked: C01 yes, C02 no, C03 yes (C04 not asked, C05 open) -> 2 of 3 = 66.7 %
    assert (it["satisfied"], it["satisfaction_asked"], it["pct_satisfied"]) == (2, 3, 66.7)
    # 5 complaints / 200 requests x 100 = 2.5
    assert it["per_100_requests"] == 2.5
    hr = _team(example, "HR Advisory")
    # C06 is not yet due, so it is left out: C07 met, C08 missed -> 1 of 2 = 50.0 %
    assert (hr["respond_within"], hr["respond_measured"], hr["pct_respond_within"]) == (1, 2, 50.0)
    assert hr["per_100_requests"] == 6.0  # 3 / 50 x 100
    total = _team(example, "All teams")
    # acknowledged on time: 4 (IT) + 2 (HR: C06, C07) + 1 (Payroll: C09) = 7 of 10 = 70.0 %
    assert (total["ack_within"], total["ack_measured"], total["pct_ack_within"]) == (7, 10, 70.0)
    # responded on time: 3 + 1 + 1 = 5 of 9 measured (C06 not due) = 55.6 %
    assert (total["respond_within"], total["respond_measured"], total["pct_respond_within"]) == (
        5, 9, 55.6)
    assert (total["pct_escalated"], total["pct_reopened"]) == (10.0, 10.0)  # 1 of 10 each
    # satisfied 4 (C01, C03, C07, C09) of 6 asked (+ C02, C08) = 66.7 %
    assert (total["satisfied"], total["satisfaction_asked"], total["pct_satisfied"]) == (4, 6, 66.7)
    assert total["open"] == 3
    assert total["per_100_requests"] == 2.9  # 10 / 350 x 100 = 2.857


def test_worked_example_pareto_outcomes_and_age(example: ComplaintsReport) -> None:
    # Delay: C01 C02 C03 C06 C08 C09 = 6 (60 %); Wrong information: C04 C07 = 2 (80 %);
    # then one each, ties in name order: Not kept informed (90 %), Staff attitude (100 %).
    assert example.pareto.to_dict("list") == {
        "category": ["Delay", "Wrong information", "Not kept informed", "Staff attitude"],
        "complaints": [6, 2, 1, 1], "pct": [60.0, 20.0, 10.0, 10.0],
        "cumulative_pct": [60.0, 80.0, 90.0, 100.0]}
    delay = example.outcome_by_category.set_index("category").loc["Delay"]
    # upheld C01 C08, partly C03, not upheld C02, withdrawn C09, open C06
    assert delay.to_dict() == {"complaints": 6, "upheld": 2, "partly-upheld": 1,
                               "not-upheld": 1, "withdrawn": 1, "open": 1}
    assert list(example.open_by_age["open_complaints"]) == [3, 0, 0, 0]


def test_worked_example_lateness(example: ComplaintsReport) -> None:
    late = lateness(example).set_index("complaint_id")
    # acknowledge: C03 5-4 = 1, C08 4.5-4 = 0.5, C10 37-4 = 33 -> 34.5 h
    # respond: C02 18-16 = 2, C05 23-16 = 7, C08 16.5-16 = 0.5, C10 37-16 = 21 -> 30.5 h
    assert late["ack_hours_late"].to_dict() == {"C02": 0.0, "C03": 1.0, "C05": 0.0, "C08": 0.5,
                                                "C10": 33.0}
    assert late["respond_hours_late"].sum() == pytest.approx(30.5)
    assert lateness_summary(example) == [
        "Fewer than 5 complaints were acknowledged later than 4 working hours: 34.5 working "
        "hours (4.3 working days) beyond the timescale in total.",
        "Fewer than 5 complaints were answered later than 2 working days: 30.5 working hours "
        "(3.8 working days) beyond the timescale in total.",
    ]


def test_small_groups_are_shown_as_fewer_than_5(example: ComplaintsReport) -> None:
    tables = example.tables()
    teams = tables["teams"].set_index("about_team")
    # HR Advisory (3 complaints) and Payroll Services (2): every figure suppressed
    for team in ("HR Advisory", "Payroll Services"):
        assert set(teams.loc[team]) == {FEWER_THAN_5}, team
    assert teams.loc["IT Service Desk", "complaints"] == 5  # 5 is not under 5
    pareto = tables["pareto"].set_index("category")
    assert pareto.loc["Delay", "complaints"] == 6
    assert set(pareto.loc["Wrong information"]) == {FEWER_THAN_5}
    assert list(tables["open_by_age"]["open_complaints"]) == [FEWER_THAN_5, 0, 0, 0]
    outcomes = tables["outcome_by_category"].set_index("category")
    assert set(outcomes.loc["Staff attitude"]) == {FEWER_THAN_5}


def test_names_only_when_asked_for(example: ComplaintsReport) -> None:
    plain = example.tables()
    text = "\n".join(t.to_csv() for t in plain.values())
    assert not [n for n in HANDLER_NAMES if n in text]
    named = example.tables(names=True)["complaints"].set_index("complaint_id")
    assert named.loc["C01", "handled_by"] == "Ruby Shaw; Tariq Singh; Chloe Davies"


# ---------------------------------------------------------------- slow recomputation

def _read(kind: str) -> list[dict[str, str]]:
    with open(sample_path(kind), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _t(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M")


def test_sample_report_matches_a_slow_recomputation() -> None:
    """Every team's timeliness, rates and satisfaction recomputed with plain loops, the
    csv module and a day-by-day working-hours walk (tests/support/slow_sla.py)."""
    cal = slow_calendar({"opens": "09:00", "closes": "17:00", "nation": "england-and-wales"})
    ack_target, respond_target = 8.0, 80.0  # 1 and 10 working days of 8 hours
    events: dict[str, list[dict[str, str]]] = {}
    for e in _read("complaint_events"):
        events.setdefault(e["complaint_id"], []).append(e)
    as_of = max(_t(e["at"]) for rows in events.values() for e in rows)
    requests: dict[str, int] = {}
    for r in _read("requests"):
        requests[r["provider_team"]] = requests.get(r["provider_team"], 0) + 1
    slow: dict[str, dict[str, int]] = {}
    for c in _read("complaints"):
        team = slow.setdefault(c["about_team"], dict.fromkeys(
            ["n", "ack_in", "ack_n", "resp_in", "resp_n", "esc", "reo", "yes", "asked"], 0))
        received = _t(c["received_at"])
        rows = events[c["complaint_id"]]
        team["n"] += 1
        for stage, target, inside, measured in (("acknowledged", ack_target, "ack_in", "ack_n"),
                                                ("responded", respond_target, "resp_in",
                                                 "resp_n")):
            times = [_t(e["at"]) for e in rows if e["stage"] == stage]
            if times:
                team[measured] += 1
                team[inside] += slow_hours(received, min(times), cal) <= target
            elif slow_hours(received, as_of, cal) > target:
                team[measured] += 1
        stages = {e["stage"] for e in rows}
        team["esc"] += "escalated" in stages
        team["reo"] += "reopened" in stages
        team["yes"] += c["satisfied_with_handling"] == "yes"
        team["asked"] += c["satisfied_with_handling"] in ("yes", "no")
    report = complaints_report(load(sample_path("complaints"), "complaints"),
                               load(sample_path("complaint_events"), "complaint_events"),
                               load(sample_path("requests"), "requests"))
    fast = report.teams.set_index("about_team")
    assert sorted(slow) == report.team_names
    for name, s in slow.items():
        row = fast.loc[name]
        assert row["complaints"] == s["n"]
        assert row["pct_ack_within"] == round(100 * s["ack_in"] / s["ack_n"], 1), name
        assert row["pct_respond_within"] == round(100 * s["resp_in"] / s["resp_n"], 1), name
        assert row["pct_escalated"] == round(100 * s["esc"] / s["n"], 1), name
        assert row["pct_reopened"] == round(100 * s["reo"] / s["n"], 1), name
        assert row["pct_satisfied"] == round(100 * s["yes"] / s["asked"], 1), name
        assert row["per_100_requests"] == round(100 * s["n"] / requests[name], 1), name


def test_report_needs_no_requests() -> None:
    report = complaints_report(load(sample_path("complaints"), "complaints"),
                               load(sample_path("complaint_events"), "complaint_events"))
    assert report.teams["per_100_requests"].isna().all()


def test_a_closed_complaint_without_an_outcome_is_not_recorded(tmp_path) -> None:
    from tests.support.complaints_example import COMPLAINTS, EVENTS

    (tmp_path / "c.csv").write_text(COMPLAINTS.replace(",withdrawn,yes", ",,yes"),
                                    encoding="utf-8")
    (tmp_path / "e.csv").write_text(EVENTS, encoding="utf-8")
    complaints, events = load_complaints(tmp_path / "c.csv", tmp_path / "e.csv")
    report = complaints_report(complaints, events, as_of=AS_OF)
    delay = report.outcome_by_category.set_index("category").loc["Delay"]
    # C09 (Delay) was closed with its outcome left blank; C06 (Delay) is still open
    assert (delay["not recorded"], delay["open"], delay["withdrawn"]) == (1, 1, 0)
