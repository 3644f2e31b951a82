"""The array engine behind the SLA report gives exactly what pandas' group-by gives, and the
report's tables (built from arrays) equal the public functions applied to `measured`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ilcs.standards.measures import (
    DEFAULT_BY,
    breach_list,
    compliance,
    measure,
    sla_report,
)
from tests.support.requestlog import make_requests, make_standards


def reference(measured: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """compliance() written with pandas' group-by, as the report was before."""
    keys = ["standard_id", *by]
    status = measured["status"].astype(str)
    resolved = measured["resolved"].astype(bool)
    reopened = pd.to_numeric(measured["reopened"], errors="coerce").fillna(0) > 0
    contacts = pd.to_numeric(measured["contacts"], errors="coerce")
    helper = measured[keys].astype(object).copy()
    helper["requests"] = 1
    helper["met"] = (status == "met").astype(int)
    helper["breached"] = status.isin(["breached", "open_breached"]).astype(int)
    helper["open_breached"] = (status == "open_breached").astype(int)
    helper["open_not_due"] = (status == "open_not_due").astype(int)
    helper["done_hours"] = measured["working_hours"].where(status.isin(["met", "breached"]))
    helper["reopen"] = reopened.astype(float).where(resolved)
    helper["fcr"] = ((contacts == 1) & ~reopened).astype(float).where(resolved & contacts.notna())
    grouped = helper.groupby(keys, sort=True, dropna=False)
    table = grouped[["requests", "met", "breached", "open_breached", "open_not_due"]].sum()
    table.insert(1, "measured", table["met"] + table["breached"])
    table["pct_within"] = 100 * table["met"] / table["measured"].where(table["measured"] > 0)
    table["median_hours"] = grouped["done_hours"].median()
    table["p90_hours"] = grouped["done_hours"].quantile(0.9)
    table["reopen_pct"] = 100 * grouped["reopen"].mean()
    table["fcr_pct"] = 100 * grouped["fcr"].mean()
    return table.reset_index()


def same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(ours.astype(object), theirs.astype(object),
                                  check_dtype=False, check_exact=True)


@pytest.fixture(scope="module")
def measured() -> pd.DataFrame:
    requests = make_requests(600, seed=7)
    requests.loc[requests.index[::37], "requester_department"] = None  # blank groups too
    return measure(requests, make_standards(), "2025-03-31 12:00")


@pytest.mark.parametrize("by", [(), ("provider_team", "month"), DEFAULT_BY,
                                ("requester_department",)])
def test_compliance_is_exactly_pandas_groupby(measured: pd.DataFrame, by: tuple[str, ...]):
    theirs = reference(measured, by)
    assert theirs["median_hours"].notna().all() and len(theirs) > 3
    same(compliance(measured, by=by), theirs)
    plain = measured.astype({c: object for c in ("standard_id", "provider_team",
                                                 "requester_department", "month", "status")})
    same(compliance(plain, by=by), theirs)  # from ordinary text columns too


def test_ties_and_even_sizes_in_medians_and_percentiles():
    measured = pd.DataFrame({
        "standard_id": ["A"] * 4 + ["B"] * 5 + ["C"],
        "status": ["met", "breached", "met", "open_breached", "met", "met", "breached",
                   "breached", "open_not_due", "open_not_due"],
        "working_hours": [1.0, 3.0, 2.0, 9.0, 0.1, 0.2, 0.2, 0.7, 5.0, 1.0],
        "resolved": [True] * 10, "reopened": [0, 1, 0, 0, 2, 0, 0, 0, 0, 0],
        "contacts": [1, 1, None, 2, 1, 1, 1, 3, 1, 1],
    })
    ours = compliance(measured, by=())
    same(ours, reference(measured, ()))
    assert ours["median_hours"].tolist()[:2] == [2.0, 0.2]  # A: 1, 2, 3; B: 0.1, 0.2, 0.2, 0.7
    assert np.isnan(ours["median_hours"].iloc[2])  # C: nothing finished


def test_report_tables_equal_the_public_functions_on_measured():
    requests, standards = make_requests(500, seed=3), make_standards()
    report = sla_report(requests, standards, "2025-03-20 10:00")
    same(report.compliance, compliance(report.measured))
    same(report.by_team_month, compliance(report.measured, by=("provider_team", "month")))
    same(report.breaches, breach_list(report.measured))
    overall = compliance(report.measured, by=())
    assert report.standards["met"].tolist() == overall["met"].tolist()
    same(report.measured, measure(requests, standards, "2025-03-20 10:00"))


def test_month_of_each_request_is_its_calendar_month_at_the_edges():
    from ilcs.standards.measures import _month_key

    received = pd.Series(pd.to_datetime([
        "2024-12-31 23:59:59", "2025-01-01 00:00", "2025-01-31 23:59:59.999999",
        "2025-02-01 00:00", "2025-02-28 17:00", None, "2025-04-01 00:00:00.000001",
        "2024-02-29 12:00"], format="ISO8601"))
    key = _month_key(received)
    shown = [None if c < 0 else key.names[c] for c in key.codes]
    expected = [None if pd.isna(t) else t.strftime("%Y-%m") for t in received]
    assert shown == expected
    assert list(key.names) == [f"2024-{m:02d}" for m in range(2, 13)] + \
        ["2025-01", "2025-02", "2025-03", "2025-04"]  # every month in the span, gaps too
    empty = _month_key(pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]"))
    assert list(empty.codes) == [-1, -1] and len(empty.names) == 0


@pytest.mark.parametrize("as_of", [None, "2025-03-20 10:00"])
def test_report_from_categorical_columns_is_the_report_from_text(as_of):
    """`ilcs sla report` reads teams, departments and categories as categoricals; every table
    and note must be exactly what the same requests as text give (blanks and unused
    categories included)."""
    from ilcs.io import load
    from ilcs.io.kinds import SCHEMAS
    from ilcs.io.loaders import read_checked
    from ilcs.paths import sample_dir

    path = sample_dir() / "requests.csv"
    text = read_checked(path, SCHEMAS["requests"])
    numbered = read_checked(path, SCHEMAS["requests"], categories=True)
    assert isinstance(numbered["provider_team"].dtype, pd.CategoricalDtype)
    numbered["requester_department"] = numbered["requester_department"].cat.add_categories(
        ["Nobody"])  # a category no request has
    standards = load(sample_dir() / "standards.csv", "standards")
    ours, theirs = sla_report(numbered, standards, as_of), sla_report(text, standards, as_of)
    for name, table in theirs.tables().items():
        pd.testing.assert_frame_equal(ours.tables()[name], table, obj=name)
    assert ours.notes == theirs.notes
    assert len(theirs.breaches) and len(theirs.backlog)
