"""The engine's intervals and tests agree with scipy on random data (an independent
implementation: scipy is used only here, never by the package)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats  # the test extra installs scipy

from ilcs.surveys import evaluate as ev
from ilcs.surveys.questionnaire import Item

RNG = np.random.default_rng(20251006)


@pytest.mark.parametrize("trial", range(40))
def test_wilson_interval_matches_scipy(trial: int) -> None:
    n = int(RNG.integers(1, 400))
    k = int(RNG.integers(0, n + 1))
    ours = ev.wilson_interval(k, n)
    theirs = stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
    assert ours == pytest.approx((theirs.low, theirs.high), abs=1e-9)


@pytest.mark.parametrize("trial", range(20))
def test_recommend_interval_matches_a_normal_interval_of_the_plus_minus_one_scores(
        trial: int) -> None:
    values = RNG.integers(0, 11, size=int(RNG.integers(20, 500)))
    ours = ev.recommend_score(values)
    scored = np.where(values >= 9, 1.0, np.where(values <= 6, -1.0, 0.0))
    se = stats.sem(scored, ddof=0)
    low, high = stats.norm.interval(0.95, loc=scored.mean(), scale=se)
    assert ours.score == pytest.approx(100 * scored.mean())
    assert (ours.low, ours.high) == pytest.approx((100 * low, 100 * high), abs=1e-7)


@pytest.mark.parametrize("trial", range(30))
def test_mann_whitney_matches_scipy(trial: int) -> None:
    a = RNG.integers(1, 6, size=int(RNG.integers(5, 200)))
    b = RNG.integers(1, 6, size=int(RNG.integers(5, 200)))
    u, p, sup = ev.mann_whitney(a, b)
    theirs = stats.mannwhitneyu(b, a, alternative="two-sided", method="asymptotic",
                                use_continuity=True)
    assert u == pytest.approx(theirs.statistic)
    assert p == pytest.approx(theirs.pvalue, rel=1e-9, abs=1e-12)
    assert sup == pytest.approx(theirs.statistic / (len(a) * len(b)))


@pytest.mark.parametrize("trial", range(20))
def test_two_proportion_test_matches_chi_square_without_correction(trial: int) -> None:
    n_a, n_b = (int(x) for x in RNG.integers(10, 400, size=2))
    k_a, k_b = int(RNG.integers(1, n_a)), int(RNG.integers(1, n_b))
    table = [[k_a, n_a - k_a], [k_b, n_b - k_b]]
    expected = stats.chi2_contingency(table, correction=False).pvalue
    assert ev.two_proportion_test(k_a, n_a, k_b, n_b) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("trial", range(10))
def test_alpha_matches_the_covariance_form(trial: int) -> None:
    """alpha = k/(k-1) x (sum of covariances between different items) / (sum of all cells
    of the covariance matrix): a different route to the same number."""
    n, k = int(RNG.integers(10, 300)), int(RNG.integers(2, 7))
    latent = RNG.normal(size=n)
    data = np.clip(np.rint(3 + latent[:, None] + RNG.normal(size=(n, k))), 1, 5).astype(int)
    items = [Item(id=f"x{i}", wording="", low=1, high=5) for i in range(k)]
    table = pd.DataFrame(data, columns=[i.id for i in items]).astype("Int64")
    cov = np.cov(data, rowvar=False)
    off_diagonal = cov.sum() - np.trace(cov)
    expected = k / (k - 1) * off_diagonal / cov.sum()
    alpha, used = ev.cronbach_alpha(table, items)
    assert used == n and alpha == pytest.approx(expected, rel=1e-9)
