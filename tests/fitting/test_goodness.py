"""The goodness-of-fit statistics from one sort and one CDF pass equal scipy's tests."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from gaussfit.fitting import goodness


@pytest.mark.parametrize("n", [3, 20, 200, 5000])
def test_statistics_and_nominal_pvalues_equal_scipys_tests(n):
    x = np.random.default_rng(n).gamma(2.0, 1.5, n)
    cdf = stats.gamma(a=2.2, scale=1.4).cdf
    got = goodness.continuous_gof(x, cdf)
    ks = stats.kstest(x, cdf)
    cvm = stats.cramervonmises(x, cdf)
    assert got["ks_statistic"] == pytest.approx(ks.statistic, rel=1e-12)
    assert got["ks_pvalue"] == pytest.approx(ks.pvalue, rel=1e-10, abs=1e-14)
    assert got["cvm_statistic"] == pytest.approx(cvm.statistic, rel=1e-12)
    assert got["cvm_pvalue"] == pytest.approx(cvm.pvalue, rel=1e-8, abs=1e-12)
    assert got["ad_statistic"] == pytest.approx(_anderson_darling(np.sort(x), cdf), rel=1e-12)


def test_the_cdf_is_evaluated_once_on_sorted_values():
    calls = []

    def cdf(v):
        calls.append(v.copy())
        return stats.norm.cdf(v)

    x = np.random.default_rng(0).normal(size=100)
    goodness.continuous_gof(x, cdf)
    assert len(calls) == 1
    assert np.array_equal(calls[0], np.sort(x))


def test_rows_of_a_block_give_each_samples_statistics():
    rng = np.random.default_rng(3)
    u = np.sort(rng.uniform(size=(4, 30)), axis=1)
    ks, cvm, ad = goodness.edf_statistics(u)
    for row in range(4):
        one = goodness.edf_statistics(u[row])
        assert (ks[row], cvm[row], ad[row]) == pytest.approx(one, rel=1e-14)
        assert ks[row] == pytest.approx(stats.kstest(u[row], "uniform").statistic, rel=1e-12)


def test_anderson_darling_pvalue_matches_the_asymptotic_table():
    # Critical values of A² for a fully specified distribution (Marsaglia & Marsaglia 2004,
    # also D'Agostino & Stephens 1986, table 4.2): 1.933 at 10%, 2.492 at 5%, 3.857 at 1%.
    for a2, level in ((1.933, 0.10), (2.492, 0.05), (3.857, 0.01)):
        assert goodness.anderson_darling_pvalue(a2) == pytest.approx(level, abs=5e-4)


def _anderson_darling(sorted_x, cdf):
    n = len(sorted_x)
    i = np.arange(1, n + 1)
    logcdf, logsf = np.log(cdf(sorted_x)), np.log1p(-cdf(sorted_x))
    return -n - np.sum((2 * i - 1) / n * (logcdf + logsf[::-1]))
