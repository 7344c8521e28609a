"""Profile-likelihood intervals against their closed forms, and coverage by simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

import gaussfit

CHI2 = stats.chi2.ppf(0.95, 1)


def _roots(deviance, estimate, low, high):
    return (
        optimize.brentq(deviance, low, estimate, xtol=1e-14),
        optimize.brentq(deviance, estimate, high, xtol=1e-14),
    )


def test_normal_sigma_and_mu_profiles_are_exact():
    # With mu profiled out, 2 (l_hat - l_p(sigma)) = n (r - 1 - log r), r = s² / sigma²;
    # with sigma profiled out, 2 (l_hat - l_p(mu)) = n log(1 + (mean - mu)² / s²).
    x = np.random.default_rng(0).normal(2.0, 1.5, 30)
    result = gaussfit.fit(x, "normal", ci="profile")
    n, mean, s2 = len(x), np.mean(x), np.var(x)
    sigma = _roots(
        lambda v: n * (s2 / v**2 - 1 - math.log(s2 / v**2)) - CHI2, math.sqrt(s2), 1e-3, 100.0
    )
    mu = _roots(lambda m: n * math.log1p((mean - m) ** 2 / s2) - CHI2, mean, mean - 50, mean + 50)
    assert result.profile_ci95["sigma"] == pytest.approx(sigma, rel=1e-9)
    assert result.profile_ci95["mu"] == pytest.approx(mu, rel=1e-9)


def test_exponential_rate_profile_is_exact():
    # 2 (l_hat - l(rate)) = 2n (rate / rate_hat - 1 - log(rate / rate_hat)).
    x = np.random.default_rng(1).exponential(2.0, 25)
    result = gaussfit.fit(x, "exponential", ci="profile")
    n, rate = len(x), 1.0 / np.mean(x)
    expected = _roots(
        lambda v: 2 * n * (v / rate - 1 - math.log(v / rate)) - CHI2, rate, 1e-6, 100.0
    )
    assert result.profile_ci95["rate"] == pytest.approx(expected, rel=1e-9)


def test_fixed_parameters_have_no_profile_and_others_are_profiled_around_them():
    x = np.random.default_rng(2).normal(0.0, 2.0, 40)
    result = gaussfit.fit(x, "normal", fixed={"mu": 0.0}, ci="profile")
    assert result.profile_ci95["mu"] is None
    n, s2 = len(x), np.mean(x**2)
    expected = _roots(
        lambda v: n * (s2 / v**2 - 1 - math.log(s2 / v**2)) - CHI2, math.sqrt(s2), 1e-3, 100.0
    )
    assert result.profile_ci95["sigma"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.slow
def test_intervals_cover_the_truth_about_95_percent_of_the_time():
    # 200 seeded samples of 30: the exponential's rate (Wald and profile) and 90% quantile
    # (delta), and the normal's sigma (Wald and profile). Each should cover the truth 93-97%
    # of the time; the binomial standard error of a coverage at 200 repetitions is 1.5%, so
    # the band asserted is 92-98% (the draws are seeded: the outcome does not vary by run).
    # The Weibull's coverage is measured in the benchmarks (python -m benchmarks --only gof).
    reps, n = 200, 30
    rng = np.random.default_rng(2024)
    q90 = math.log(10.0) / 0.5
    hits = dict.fromkeys(
        ("rate wald", "rate profile", "q90 delta", "sigma wald", "sigma profile"), 0
    )
    for _ in range(reps):
        e = gaussfit.fit(rng.exponential(2.0, n), "exponential", ci="profile", quantiles=[0.9],
                         references=False, gof=False)  # fmt: skip
        hits["rate wald"] += _inside(0.5, e.ci95["rate"])
        hits["rate profile"] += _inside(0.5, e.profile_ci95["rate"])
        hits["q90 delta"] += _inside(q90, e.quantiles[0]["ci95"])
        g = gaussfit.fit(rng.normal(1.0, 2.0, n), "normal", ci="profile", references=False,
                         gof=False)  # fmt: skip
        hits["sigma wald"] += _inside(2.0, g.ci95["sigma"])
        hits["sigma profile"] += _inside(2.0, g.profile_ci95["sigma"])
    for name, count in hits.items():
        assert 0.92 <= count / reps <= 0.98, (name, count / reps)


def _inside(value, interval):
    return interval[0] <= value <= interval[1]


def test_student_t_df_profile_is_open_where_the_likelihood_does_not_bound_it():
    # On nearly normal data the deviance of df stays below the chi-square point as df grows
    # (here about 1.76 at df = infinity), so the upper end is open; the lower end is where
    # scipy's own profile (loc and scale refitted by Nelder-Mead) reaches the point.
    rng = np.random.default_rng(0)
    rng.laplace(size=100), rng.standard_cauchy(100), rng.logistic(size=100)
    rng.gumbel(size=100), rng.beta(2, 3, 100)
    x = rng.standard_t(4, 100)
    result = gaussfit.fit(x, "student_t", ci="profile")
    low, high = result.profile_ci95["df"]
    assert high is None

    def profile_deviance(df):
        start = [result.params["loc"], math.log(result.params["scale"])]
        fitted = optimize.minimize(
            lambda p: -np.sum(stats.t(df, p[0], math.exp(p[1])).logpdf(x)),
            start,
            method="Nelder-Mead",
            options={"xatol": 1e-12, "fatol": 1e-13, "maxiter": 8000},
        )
        return 2 * (result.loglik + fitted.fun)

    assert profile_deviance(low) == pytest.approx(CHI2, rel=1e-6)
