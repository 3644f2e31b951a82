"""benchmarks/bench_hub.py: its pieces, and a small real run (2 trainees x 5 answers) where
the hub's prerequisites are here. No timing asserts: the figures are the script's to print."""

from __future__ import annotations

import importlib.util
import os
import random
import re
import sys
from types import ModuleType

import pytest

from tests.support.hub import ROOT, HubUnavailable, proxy_command

BENCH = ROOT / "benchmarks" / "bench_hub.py"
LAST = re.compile(r"users=(\d+) lost=(\d+) save_p99_ms=(\d+\.\d) spawn_p50_s=(\d+\.\d) "
                  r"hub_rss_mib=(\d+) per_user_rss_mib=(\d+)")


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_hub", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_hub"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_percentile_interpolates_between_ranks(bench) -> None:
    assert bench.percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert bench.percentile([float(n) for n in range(1, 101)], 99) == pytest.approx(99.01)
    assert bench.percentile([7.0], 99) == 7.0
    assert bench.percentile([1.0, 9.0], 100) == 9.0
    with pytest.raises(ValueError, match="no values"):
        bench.percentile([], 50)


def test_the_last_line_has_the_issues_keys_in_order(bench) -> None:
    line = bench.last_line(25, 0, 12.345, 3.21, 170.4, 254.6)
    assert line == ("users=25 lost=0 save_p99_ms=12.3 spawn_p50_s=3.2 hub_rss_mib=170 "
                    "per_user_rss_mib=255")
    assert LAST.fullmatch(line)


def test_the_save_plan_paces_singles_then_bursts(bench) -> None:
    waits = bench.save_plan(random.Random(1), 100, (0.2, 2.0), 5)
    assert len(waits) == 100
    rapid = [w for w in waits if w < 0.2]
    assert len(rapid) == 40  # 4 of each 10: a burst's saves after its first
    assert all(0.02 <= w <= 0.1 for w in waits[6:10] + waits[16:20])
    assert all(0.2 <= w <= 2.0 for w in waits[0:6] + waits[10:16])


def test_a_bad_pace_is_refused_with_a_message(bench, capsys) -> None:
    with pytest.raises(SystemExit):
        bench.main(["--pace", "2,1"])
    assert "--pace needs 0 <= MIN <= MAX" in capsys.readouterr().err


@pytest.mark.postgres
@pytest.mark.slow
def test_a_small_run_saves_everything_and_leaves_nothing(bench, postgres_url, capsys) -> None:
    import sqlalchemy as sa

    try:
        proxy_command()
    except HubUnavailable as exc:  # as tests/hub/test_real_hub.py: CI must not skip
        (pytest.fail if os.environ.get("ILCS_REQUIRE_HUB") == "1" else pytest.skip)(str(exc))
    assert bench.main(["--users", "2", "--answers", "5", "--pace", "0.05,0.2",
                       "--refresh", "1", "--postgres", postgres_url]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    match = LAST.fullmatch(lines[-1])
    assert match is not None, lines[-1]
    assert match.group(1) == "2" and match.group(2) == "0"
    assert int(match.group(5)) > 0 and int(match.group(6)) > 0
    assert "answers: 10 expected, 10 stored, 0 lost, 0 duplicated; audit chain verifies" in lines
    assert any(line.startswith("assessor: ") and "(2 candidates x " in line for line in lines)
    database = re.search(r"database (ilcs_bench_[0-9a-f]{8})", lines[0])
    assert database is not None
    run = database.group(1).removeprefix("ilcs_bench_")
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:  # the run's database and trainee logins are gone
        assert conn.execute(sa.text("SELECT count(*) FROM pg_database WHERE datname = :d"),
                            {"d": database.group(1)}).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM pg_roles WHERE "
                                    "starts_with(rolname, :p)"),
                            {"p": f"ilcs_t_b{run}."}).scalar() == 0
    engine.dispose()
