"""The sample data generator: byte-for-byte reproducible, valid, realistic, scalable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ilcs.cli import main
from ilcs.datagen import DEFAULT_SEED, FILE_ORDER, generate, generate_to, write_tables
from ilcs.datagen.calendar import bank_holidays
from ilcs.datagen.organisation import DEPARTMENTS, STANDARDS, TEAMS
from ilcs.io import KINDS, check_complaint_events, load
from ilcs.paths import sample_dir


@pytest.fixture(scope="module")
def default_tables():
    return generate()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, default_tables):
    folder = tmp_path_factory.mktemp("gen")
    write_tables(default_tables, folder)
    return {kind: load(folder / f"{kind}.csv", kind) for kind in KINDS}


def test_one_file_per_kind():
    assert sorted(FILE_ORDER) == sorted(KINDS)


def test_cli_reproduces_committed_sample_byte_for_byte(tmp_path, capsys):
    assert main(["data", "generate", "--seed", str(DEFAULT_SEED), "--scale", "1",
                 "--out", str(tmp_path)]) == 0
    assert "8 files" in capsys.readouterr().out
    for kind in KINDS:
        committed = (sample_dir() / f"{kind}.csv").read_bytes()
        assert (tmp_path / f"{kind}.csv").read_bytes() == committed, kind


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a = generate_to(tmp_path / "a", seed=7, scale=0.2)
    b = generate_to(tmp_path / "b", seed=7, scale=0.2)
    c = generate_to(tmp_path / "c", seed=8, scale=0.2)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert a[0].read_bytes() != c[0].read_bytes()


def test_generated_files_pass_every_loader_rule(loaded):
    check_complaint_events(loaded["complaints"], loaded["complaint_events"])


def test_sizes_at_scale_1(loaded):
    assert len(loaded["requests"]) == 5000
    assert 10 <= len(loaded["standards"]) <= 16
    assert len(loaded["complaints"]) == 150
    for wave in (1, 2):
        n = int((loaded["survey_responses"]["wave"] == wave).sum())
        assert 330 <= n <= 470, n
    assert 55 <= len(loaded["org_chart"]) <= 65
    assert 6 <= len(DEPARTMENTS) <= 8


def test_scale_two_doubles_requests_complaints_and_responses():
    one, two = generate(scale=1), generate(scale=2)
    assert len(two["requests"]) == 2 * len(one["requests"])
    assert len(two["complaints"]) == 2 * len(one["complaints"])
    ratio = len(two["survey_responses"]) / len(one["survey_responses"])
    assert 1.85 < ratio < 2.15
    assert len(two["org_chart"]) == len(one["org_chart"])
    assert len(two["standards"]) == len(one["standards"])


def test_arrivals_are_in_working_hours_on_working_days(loaded):
    at = loaded["requests"]["received_at"]
    assert at.dt.day_of_week.max() <= 4
    minutes = at.dt.hour * 60 + at.dt.minute
    assert minutes.min() >= 9 * 60 and minutes.max() < 17 * 60
    holidays = {d for d in bank_holidays([2025])}
    assert not set(at.dt.date) & holidays
    assert at.dt.year.eq(2025).all()


def test_every_timestamp_is_in_working_time(loaded):
    r = loaded["requests"]
    for column in ("first_response_at", "resolved_at", "on_hold_from", "on_hold_until"):
        t = r[column].dropna()
        assert t.dt.day_of_week.max() <= 4, column
        minutes = t.dt.hour * 60 + t.dt.minute
        assert minutes.between(9 * 60, 17 * 60 - 1).all(), column


def test_more_requests_in_mornings_and_in_peak_months(loaded):
    at = loaded["requests"]["received_at"]
    hours = at.dt.hour.value_counts()
    assert hours[9] + hours[10] > hours[15] + hours[16]
    months = at.dt.month.value_counts()
    per_day = months / at.dt.normalize().groupby(at.dt.month).nunique()
    assert per_day[1] > per_day[8] and per_day[9] > per_day[8] and per_day[3] > per_day[12]


def test_some_open_reopened_and_on_hold(loaded):
    r = loaded["requests"]
    open_ = int(r["resolved_at"].isna().sum())
    assert 10 <= open_ <= 250
    assert (r["reopened"] > 0).sum() > 50
    assert r["on_hold_from"].notna().sum() > 100
    assert (r["contacts"] == 1).sum() > 100


def test_standards_cover_every_provider_team(loaded):
    s = loaded["standards"]
    assert set(s["provider_team"]) == {t.name for t in TEAMS}
    assert set(s["standard_id"]) == {x.standard_id for x in STANDARDS}
    assert set(s["measure"]) == {"first_response", "resolution"}
    assert set(s["unit"]) == {"working_hours", "working_days"}


def test_survey_has_department_differences_and_improvement(loaded):
    s = loaded["survey_responses"]
    by_wave = s.groupby(["about_team", "wave"])["q_overall"].mean().unstack()
    assert by_wave.loc["IT Service Desk", 2] > by_wave.loc["IT Service Desk", 1] + 0.2
    assert by_wave.loc["Facilities Helpdesk", 2] > by_wave.loc["Facilities Helpdesk", 1] + 0.1
    by_dept = s.groupby("department")["recommend"].mean()
    assert by_dept.max() - by_dept.min() > 0.5
    assert 0.25 < s["comment"].notna().mean() < 0.6
    for item in ("q_timely", "recommend", "effort"):
        assert s[item].isna().any() and s[item].notna().mean() > 0.9


def test_invitations_match_departments_and_give_sensible_rates(loaded):
    inv = loaded["survey_invitations"]
    assert set(inv["department"]) == set(DEPARTMENTS)
    responses = loaded["survey_responses"].groupby(["wave", "department"]).size()
    rates = responses / inv.set_index(["wave", "department"])["invited"]
    assert rates.between(0.2, 0.9).all()


def test_org_chart_links_teams_to_categories(loaded):
    o = loaded["org_chart"]
    assert o["person"].is_unique
    handled = {c for h in o["handles"].dropna() for c in h.split(";")}
    for team in TEAMS:
        assert set(team.categories) <= handled, team.name
        assert team.name in set(o["team"])


def test_complaints_have_event_logs_and_outcomes(loaded):
    c, e = loaded["complaints"], loaded["complaint_events"]
    assert e.groupby("complaint_id").size().min() >= 1
    closed = set(e.loc[e["stage"] == "closed", "complaint_id"])
    assert c.loc[c["complaint_id"].isin(closed), "outcome"].notna().all()
    assert {"escalated", "reopened"} <= set(e["stage"])
    assert 0.4 < (c["satisfied_with_handling"] == "yes").sum() / c[
        "satisfied_with_handling"].notna().sum() < 0.8


def test_generate_rejects_bad_scale(capsys):
    assert main(["data", "generate", "--scale", "0", "--out", "unused"]) == 2
    with pytest.raises(ValueError):
        generate(scale=-1)


def test_request_ids_unique_and_time_ordered(default_tables):
    r = default_tables["requests"]
    assert r["request_id"].is_unique
    received = pd.to_datetime(r["received_at"], format="%Y-%m-%d %H:%M").to_numpy()
    assert (np.diff(received.astype("int64")) >= 0).all()


def test_generate_into_a_file_path_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "not-a-folder"
    target.write_text("x", encoding="utf-8")
    assert main(["data", "generate", "--out", str(target)]) == 2
    assert "cannot write to" in capsys.readouterr().err
