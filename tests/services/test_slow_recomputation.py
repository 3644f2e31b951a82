"""The sample's service map, recruitment chain and standards-against-satisfaction figures
recomputed with plain loops, the csv module and a day-by-day working-hours walk
(tests/support/slow_sla.py): they share nothing with the services core but the data."""

from __future__ import annotations

import csv
import datetime as dt
import statistics

import pandas as pd
import pytest

from ilcs.io import load_sample
from ilcs.paths import sample_dir
from ilcs.services.chain import RECRUITMENT_CHAIN, chain_table
from ilcs.services.expectations import standards_vs_satisfaction
from ilcs.services.service_map import service_map
from tests.support.slow_sla import slow_calendar, slow_hours, slow_target

pytestmark = pytest.mark.slow


def _read(kind: str) -> list[dict[str, str]]:
    with open(sample_dir() / f"{kind}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _t(text: str) -> dt.datetime | None:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M") if text else None


def _clock(r: dict[str, str], end: dt.datetime, cal: dict) -> float:
    received = _t(r["received_at"])
    hours = slow_hours(received, end, cal)
    held_from, held_until = _t(r["on_hold_from"]), _t(r["on_hold_until"])
    if held_from and held_until:
        a, b = max(held_from, received), min(held_until, end)
        if b > a:
            hours -= slow_hours(a, b, cal)
    return hours


def _standards() -> list[dict]:
    rows = []
    for s in _read("standards"):
        rows.append({**s, "target": float(s["target"]), "lunch": s["lunch"] or None})
    return rows


def _team_calendars() -> dict[str, dict]:
    cals: dict[str, dict] = {}
    for s in _standards():
        cals.setdefault(s["provider_team"], slow_calendar(s))
    return cals


def test_service_map_matches_a_slow_recomputation() -> None:
    cals = _team_calendars()
    counts: dict[tuple[str, str], int] = {}
    hours: dict[tuple[str, str], list[float]] = {}
    for r in _read("requests"):
        key = (r["provider_team"], r["requester_department"])
        counts[key] = counts.get(key, 0) + 1
        if r["resolved_at"]:
            hours.setdefault(key, []).append(_clock(r, _t(r["resolved_at"]), cals[key[0]]))
    fast = service_map(load_sample("requests"), load_sample("standards")).set_index(
        ["provider_team", "requester_department"])
    assert sorted(fast.index) == sorted(counts)
    for key, n in counts.items():
        team_total = sum(v for k, v in counts.items() if k[0] == key[0])
        assert fast.loc[key, "requests"] == n
        assert fast.loc[key, "resolved"] == len(hours.get(key, []))
        assert fast.loc[key, "median_hours"] == pytest.approx(statistics.median(hours[key]))
        assert fast.loc[key, "share_pct"] == pytest.approx(100 * n / team_total)


def test_chain_matches_a_slow_recomputation() -> None:
    requests = _read("requests")
    as_of = max(_t(r[c]) for r in requests for c in ("received_at", "first_response_at",
                "resolved_at", "on_hold_from", "on_hold_until") if r[c])
    resolution = [s for s in _standards() if s["measure"] == "resolution"]
    fast = chain_table(load_sample("requests"), load_sample("standards")).set_index("step")
    for link in RECRUITMENT_CHAIN:
        mine = [r for r in requests if r["provider_team"] == link.provider_team
                and r["category"] == link.category]
        measured = met = 0
        done_hours: list[float] = []
        for std in resolution:
            if std["provider_team"] != link.provider_team:
                continue
            cal = slow_calendar(std)
            target = slow_target(std, cal)
            named = [c.strip() for c in (std.get("categories") or "").split(";") if c.strip()]
            for r in mine:
                if std["priority"] and r["priority"] != std["priority"]:
                    continue
                if named and r["category"] not in named:
                    continue
                end = _t(r["resolved_at"])
                if end is not None and end <= as_of:
                    h = _clock(r, end, cal)
                    measured += 1
                    met += h <= target + 1e-9
                    done_hours.append(h)
                elif _clock(r, as_of, cal) > target + 1e-9:
                    measured += 1
        row = fast.loc[link.step]
        assert row["requests"] == len(mine)
        assert (row["measured"], row["within"]) == (measured, met), link.step
        assert row["pct_within"] == pytest.approx(100 * met / measured)
        assert row["median_hours"] == pytest.approx(statistics.median(done_hours))


def test_standards_against_satisfaction_matches_a_slow_recomputation() -> None:
    responses = _read("survey_responses")
    requests = _read("requests")
    standards = _standards()
    as_of = max(_t(r[c]) for r in requests for c in ("received_at", "first_response_at",
                "resolved_at", "on_hold_from", "on_hold_until") if r[c])
    fast = standards_vs_satisfaction(load_sample("requests"), load_sample("standards"),
                                     load_sample("survey_responses")).set_index(
        ["wave", "provider_team"])
    for wave in ("1", "2"):
        opened = min(_t(r["submitted_at"]) for r in responses if r["wave"] == wave).date()
        start = (pd.Timestamp(opened) - pd.DateOffset(months=3)).date()
        for team in {s["provider_team"] for s in standards}:
            measured = met = 0
            for std in (s for s in standards if s["provider_team"] == team):
                cal = slow_calendar(std)
                target = slow_target(std, cal)
                named = [c.strip() for c in (std.get("categories") or "").split(";") if c.strip()]
                for r in requests:
                    received = _t(r["received_at"])
                    if r["provider_team"] != team or not start <= received.date() < opened:
                        continue
                    if std["priority"] and r["priority"] != std["priority"]:
                        continue
                    if named and r["category"] not in named:
                        continue
                    end = _t(r["resolved_at"])
                    if std["measure"] == "first_response":
                        end = _t(r["first_response_at"]) or end
                    if end is not None and end <= as_of:
                        measured += 1
                        met += _clock(r, end, cal) <= target + 1e-9
                    elif _clock(r, as_of, cal) > target + 1e-9:
                        measured += 1
            overall = [int(r["q_overall"]) for r in responses
                       if r["wave"] == wave and r["about_team"] == team and r["q_overall"]]
            row = fast.loc[(int(wave), team)]
            assert (row["measured"], row["within"]) == (measured, met), (wave, team)
            assert row["responses"] == len(overall)
            assert row["pct_satisfied"] == pytest.approx(
                100 * sum(v >= 4 for v in overall) / len(overall))
