"""Pareto, five whys, fishbone and before/after: hand-checked examples."""

from __future__ import annotations

import pytest

from ilcs.errors import DataError
from ilcs.improvement.compare import compare_proportions, compare_values, wilson_interval
from ilcs.improvement.pareto import pareto, vital_few
from ilcs.improvement.rootcause import CATEGORY_NAMES, Fishbone, FiveWhys


def test_pareto_sorts_counts_and_finds_the_vital_few() -> None:
    causes = ["Delay"] * 5 + ["Not kept informed"] * 3 + ["Wrong information", "Attitude"]
    table = pareto(causes)
    # 10 problems: 5 (50 %), 3 (30 %, 80 % so far), then two of 1 in name order
    assert table["cause"].tolist() == ["Delay", "Not kept informed", "Attitude",
                                       "Wrong information"]
    assert table["count"].tolist() == [5, 3, 1, 1]
    assert table["pct"].tolist() == pytest.approx([50, 30, 10, 10])
    assert table["cumulative_pct"].tolist() == pytest.approx([50, 80, 90, 100])
    assert vital_few(table) == ["Delay", "Not kept informed"]  # 80 % reached exactly
    assert vital_few(pareto(causes, cut_off=81)) == ["Delay", "Not kept informed", "Attitude"]


def test_pareto_counts_blanks_and_refuses_an_empty_list() -> None:
    table = pareto(["Delay", "", None, "Delay"])
    assert dict(zip(table["cause"], table["count"])) == {"Delay": 2, "Not recorded": 2}
    with pytest.raises(DataError, match="the list of causes is empty"):
        pareto([])
    with pytest.raises(DataError, match="cut-off must be more than 0"):
        pareto(["a"], cut_off=0)


def test_five_whys_chain_and_what_is_missing() -> None:
    whys = FiveWhys("Pay queries wait two days for a reply",
                    ["The shared inbox is read once a day",
                     "Nobody owns the inbox in the morning", ""], "")
    assert whys.steps()[:2] == [("Why 1: why does this happen?", "The shared inbox is read once a day"),
                                ("Why 2: why is that?", "Nobody owns the inbox in the morning")]
    assert [str(p) for p in whys.problems()] == [
        "column 'whys': why number 3 has no answer",
        "column 'action': say what will be done about the root cause",
    ]
    whys.whys[-1] = "The rota was never agreed"
    whys.action = "Agree a morning rota"
    assert whys.problems() == [] and whys.root_cause == "The rota was never agreed"


def test_fishbone_has_the_six_categories_and_refuses_others() -> None:
    bone = Fishbone("Slow first response")
    assert list(bone.causes) == list(CATEGORY_NAMES) and len(CATEGORY_NAMES) == 6
    bone.add("methods", "No triage rota")
    bone.add("Machines", "Inbox alerts switched off")
    assert bone.rows() == [("Methods", "No triage rota"), ("Machines", "Inbox alerts switched off")]
    with pytest.raises(DataError, match="'Money' is not a fishbone category"):
        bone.add("Money", "budget")


def test_before_after_of_values_states_size_and_certainty() -> None:
    result = compare_values([10, 10, 10, 10, 10], [4, 4, 4, 4, 4], measure="median first "
                            "response", unit="working hours")
    # medians 10 -> 4: down 6 hours, 60 %; every resample gives the same difference
    assert (result.before, result.after, result.difference) == (10, 4, -6)
    assert (result.low, result.high) == (-6, -6)
    assert result.certain and result.better
    assert result.statement() == (
        "The median first response fell from 10.0 to 4.0 working hours, a change of 6.0 (60 %), "
        "an improvement (5 before and 5 after). This is very unlikely to be chance: the 95 % "
        "interval of the change runs from -6.0 to -6.0, which leaves out no change.")


def test_before_after_of_the_same_process_could_be_chance() -> None:
    same = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    result = compare_values(same, list(reversed(same)))
    assert result.difference == 0 and not result.certain
    assert "This could be chance" in result.statement()
    assert compare_values(same, same, seed=1) == compare_values(same, same, seed=1)
    with pytest.raises(DataError, match="there are 1 after measurements"):
        compare_values(same, [3.0])


def test_wilson_and_newcombe_intervals_match_newcombe_1998() -> None:
    # Newcombe (1998), Statistics in Medicine 17: 857-872, 81/263: 0.2553 to 0.3662
    low, high = wilson_interval(81, 263)
    assert (low, high) == (pytest.approx(0.2553, abs=1e-4), pytest.approx(0.3662, abs=1e-4))
    # Newcombe (1998), Statistics in Medicine 17: 873-890, example 56/70 - 48/80: the
    # difference 0.2000 with method 10 interval 0.0524 to 0.3339
    result = compare_proportions(48, 80, 56, 70)
    assert result.difference == pytest.approx(20.0)
    assert result.low == pytest.approx(5.24, abs=0.01)
    assert result.high == pytest.approx(33.39, abs=0.01)
    assert result.certain and result.better
    assert result.statement().startswith(
        "The share within target rose from 60.0 % to 80.0 %, a change of 20.0 percentage "
        "points, an improvement (80 before and 70 after).")
