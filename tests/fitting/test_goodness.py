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


def test_large_samples_are_taken_a_block_at_a_time_with_scipys_statistics(monkeypatch):
    # Above GOF_BLOCK values the CDF and the terms are made a block at a time (memory of a
    # few blocks, not copies of the data); the statistics stay scipy's.
    monkeypatch.setattr(goodness, "GOF_BLOCK", 1000)
    x = np.random.default_rng(7).gamma(2.0, 1.5, 4321)  # 4 full blocks and a short one
    law = stats.gamma(a=2.1, scale=1.45)
    sizes = []

    def cdf(v):
        sizes.append(len(v))
        return law.cdf(v), law.logcdf(v), law.logsf(v)

    got = goodness.continuous_gof(x, cdf)
    assert sizes == [1000, 1000, 1000, 1000, 321]
    ks, cvm = stats.kstest(x, law.cdf), stats.cramervonmises(x, law.cdf)
    assert got["ks_statistic"] == pytest.approx(ks.statistic, rel=1e-12)
    assert got["ks_pvalue"] == pytest.approx(ks.pvalue, rel=1e-10, abs=1e-14)
    assert got["cvm_statistic"] == pytest.approx(cvm.statistic, rel=1e-12)
    assert got["cvm_pvalue"] == pytest.approx(cvm.pvalue, rel=1e-8, abs=1e-12)
    assert got["ad_statistic"] == pytest.approx(_anderson_darling(np.sort(x), law.cdf), rel=1e-11)


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


def _weibull_sample(n, seed, scale=2.0):
    return scale * np.random.default_rng(seed).weibull(1.5, n)


@pytest.mark.parametrize("n", [5, 200, 5000])
def test_a_familys_own_logs_give_scipys_statistics(n):
    from gaussfit.distributions import get_family

    params = {"shape": 1.3, "scale": 2.2}
    weibull = get_family("weibull")
    x = _weibull_sample(n, n)
    reference = stats.weibull_min(c=1.3, scale=2.2)
    got = goodness.continuous_gof(x, lambda v: weibull.cdf_with_logs(v, params))
    assert got["ks_statistic"] == pytest.approx(stats.kstest(x, reference.cdf).statistic, rel=1e-12)
    cvm = stats.cramervonmises(x, reference.cdf).statistic
    assert got["cvm_statistic"] == pytest.approx(cvm, rel=1e-12)
    assert got["ad_statistic"] == pytest.approx(_anderson_darling_logs(x, reference), rel=1e-12)


def test_the_weibulls_cdf_and_logs_equal_scipys_far_into_both_tails():
    from gaussfit.distributions import get_family

    params = {"shape": 1.7, "scale": 0.8}
    x = np.array([1e-12, 1e-6, 0.01, 0.5, 0.8, 2.0, 5.0, 9.0, 20.0])
    cdf, log_cdf, log_sf = get_family("weibull").cdf_with_logs(x, params)
    reference = stats.weibull_min(c=1.7, scale=0.8)
    np.testing.assert_allclose(cdf, reference.cdf(x), rtol=1e-12)
    # log F near F = 1 is log of a value rounded to an ulp: exact to 1e-16 absolutely, which
    # is all A² (a weighted sum of these logs) can see.
    np.testing.assert_allclose(log_cdf, reference.logcdf(x), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(log_sf, reference.logsf(x), rtol=1e-12)


def test_anderson_darling_uses_the_exact_log_survival_where_one_minus_f_rounds_to_zero():
    # A sample far in the Weibull's right tail: 1 - F(x) is below 1e-16 for its largest
    # values, so log(1 - F) from F alone would be stuck near log(1e-16); the family's
    # -(x/lambda)^k is exact, and the statistic is that of scipy's logsf.
    from gaussfit.distributions import get_family

    params = {"shape": 1.5, "scale": 1.0}
    x = np.concatenate([_weibull_sample(50, 7, scale=1.0), [14.0, 16.0, 18.0]])
    reference = stats.weibull_min(c=1.5, scale=1.0)
    assert reference.logsf(18.0) < -70.0
    got = goodness.continuous_gof(x, lambda v: get_family("weibull").cdf_with_logs(v, params))
    assert got["ad_statistic"] == pytest.approx(_anderson_darling_logs(x, reference), rel=1e-12)


def _anderson_darling_logs(x, dist):
    """A² from scipy's own log CDF and log survival, as scipy.stats.goodness_of_fit takes it."""
    sorted_x = np.sort(x)
    n = len(sorted_x)
    i = np.arange(1, n + 1)
    return -n - np.sum((2 * i - 1) / n * (dist.logcdf(sorted_x) + dist.logsf(sorted_x[::-1])))


def test_the_weibulls_cdf_and_logs_take_one_row_of_parameters_per_sample():
    # The parametric bootstrap evaluates every replicate against its own refit in one call.
    from gaussfit.distributions import get_family

    rows = np.sort(np.random.default_rng(9).weibull(1.4, (3, 40)), axis=1)
    shapes, scales = np.array([1.2, 1.4, 1.6]), np.array([0.9, 1.0, 1.1])
    params = {"shape": shapes[:, None], "scale": scales[:, None]}
    cdf, log_cdf, log_sf = get_family("weibull").cdf_with_logs(rows, params)
    for i in range(3):
        reference = stats.weibull_min(c=shapes[i], scale=scales[i])
        np.testing.assert_allclose(cdf[i], reference.cdf(rows[i]), rtol=1e-12)
        np.testing.assert_allclose(log_cdf[i], reference.logcdf(rows[i]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(log_sf[i], reference.logsf(rows[i]), rtol=1e-12)
