"""Derived quantities: the fitted distribution's values against frozen scipy, and their
delta-method and bootstrap intervals against closed forms."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import gaussfit
from gaussfit.errors import ConfigError

Z = stats.norm.ppf(0.975)


def test_result_answers_from_the_matching_frozen_scipy_distribution():
    x = np.random.default_rng(1).lognormal(0.4, 0.6, 300)
    result = gaussfit.fit(x, "lognormal")
    dist = stats.lognorm(s=result.params["sigma"], scale=math.exp(result.params["mu"]))
    points = np.array([0.5, 1.5, 4.0])
    assert result.quantile([0.05, 0.5, 0.95]) == pytest.approx(dist.ppf([0.05, 0.5, 0.95]))
    assert result.cdf(points) == pytest.approx(dist.cdf(points))
    assert result.sf(points) == pytest.approx(dist.sf(points))
    assert result.pdf(points) == pytest.approx(dist.pdf(points))
    assert result.mean() == pytest.approx(dist.mean())
    assert result.var() == pytest.approx(dist.var())
    assert result.frozen().ppf(0.3) == pytest.approx(dist.ppf(0.3))


def test_count_family_pdf_is_its_probability_mass():
    x = np.random.default_rng(2).poisson(3.5, 200).astype(float)
    result = gaussfit.fit(x, "poisson")
    assert result.pdf([0, 3, 7]) == pytest.approx(
        stats.poisson(result.params["rate"]).pmf([0, 3, 7])
    )


def test_exponential_quantile_delta_interval_is_the_closed_form():
    # Var(log rate_hat) = 1/n (observed information n / rate² at the MLE), and a quantile is
    # -log(1 - p) / rate, so on the log scale q * exp(±z / sqrt(n)).
    x = np.random.default_rng(3).exponential(2.0, 40)
    result = gaussfit.fit(x, "exponential", quantiles=[0.1, 0.9])
    n, rate = len(x), 1.0 / np.mean(x)
    for row, p in zip(result.quantiles, (0.1, 0.9), strict=True):
        q = -math.log1p(-p) / rate
        assert row["method"] == "delta" and row["p"] == p
        assert row["value"] == pytest.approx(q, rel=1e-9)
        expected = (q * math.exp(-Z / math.sqrt(n)), q * math.exp(Z / math.sqrt(n)))
        assert row["ci95"] == pytest.approx(expected, rel=1e-6)


def test_normal_quantile_delta_interval_is_the_closed_form():
    # q = mu + z_p sigma; Var = sigma²/n + z_p² sigma²/(2n) at the MLE.
    x = np.random.default_rng(4).normal(10.0, 3.0, 60)
    result = gaussfit.fit(x, "normal", quantiles=[0.05])
    n, mu, sigma = len(x), np.mean(x), np.std(x)
    zp = stats.norm.ppf(0.05)
    q = mu + zp * sigma
    se = sigma * math.sqrt(1.0 / n + zp**2 / (2.0 * n))
    row = result.quantiles[0]
    assert row["value"] == pytest.approx(q, rel=1e-9)
    assert row["ci95"] == pytest.approx((q - Z * se, q + Z * se), rel=1e-6)


def test_exceedance_probability_interval_is_the_closed_form_on_the_logit_scale():
    x = np.random.default_rng(5).exponential(1.5, 50)
    result = gaussfit.fit(x, "exponential", prob_above=[2.0])
    n, rate = len(x), 1.0 / np.mean(x)
    s = math.exp(-rate * 2.0)
    se = 2.0 * s * rate / math.sqrt(n)  # |d s / d rate| * se(rate)
    half = Z * se / (s * (1 - s))
    centre = math.log(s / (1 - s))
    row = result.prob_above[0]
    assert row["x"] == 2.0 and row["value"] == pytest.approx(s, rel=1e-9)
    lo, hi = (1 / (1 + math.exp(-(centre - half))), 1 / (1 + math.exp(-(centre + half))))
    assert row["ci95"] == pytest.approx((lo, hi), rel=1e-6)


def test_bootstrap_percentile_interval_is_that_of_the_closed_form_refits():
    # The exponential's refit of a resample is 1 / its mean: redo the resampling by hand.
    x = np.random.default_rng(6).exponential(2.0, 30)
    result = gaussfit.fit(x, "exponential", quantiles=[0.5], bootstrap=300, seed=9)
    index = np.random.default_rng(9).integers(0, len(x), size=(300, len(x)))
    medians = math.log(2.0) * np.mean(x[index], axis=1)
    boot = next(row for row in result.quantiles if row["method"] == "bootstrap")
    expected = (np.quantile(medians, 0.025), np.quantile(medians, 0.975))
    assert boot["ci95"] == pytest.approx(expected, rel=1e-6)


def test_parametric_bootstrap_resamples_the_fitted_model():
    x = np.random.default_rng(7).exponential(2.0, 30)
    result = gaussfit.fit(x, "exponential", bootstrap=200, parametric=True, seed=4)
    draws = np.random.default_rng(4).exponential(np.mean(x), size=200 * 30).reshape(200, 30)
    rates = 1.0 / np.mean(draws, axis=1)
    assert result.bootstrap["method"] == "parametric"
    assert result.bootstrap["ci95"]["rate"] == pytest.approx(
        [np.quantile(rates, 0.025), np.quantile(rates, 0.975)], rel=1e-6
    )


def test_bad_requests_are_config_errors():
    x = np.random.default_rng(0).normal(size=30)
    with pytest.raises(ConfigError, match="strictly between 0 and 1"):
        gaussfit.fit(x, "normal", quantiles=[1.5])
    with pytest.raises(ConfigError, match="--bootstrap"):
        gaussfit.fit(x, "normal", parametric=True)
    with pytest.raises(ConfigError, match=r"scipy\.stats counterpart"):
        gaussfit.fit(np.r_[x, x + 6], "normal_mixture", quantiles=[0.5])


def test_groundbeef_weibull_fit_and_quantiles_match_fitdistrplus():
    # fitdistrplus 1.2-4's vignette (see the fixture's header): shape 2.186 (se 0.1046),
    # scale 83.348 (se 2.5269), log-likelihood -1255; its quantile() is R's qweibull at the
    # estimates. Its optimiser (optim's Nelder-Mead) stops about 1e-5 short in the scale.
    data = gaussfit.load_data(str(Path(__file__).parent / "reference" / "groundbeef.csv"))
    result = gaussfit.fit(data, "weibull", quantiles=[0.05, 0.5, 0.95])
    assert result.params["shape"] == pytest.approx(2.186, abs=5e-4)
    assert result.params["scale"] == pytest.approx(83.348, abs=2e-3)
    assert result.stderr["shape"] == pytest.approx(0.1046, abs=5e-5)
    assert result.stderr["scale"] == pytest.approx(2.5269, rel=2e-4)
    assert round(result.loglik) == -1255
    printed = stats.weibull_min(2.186, scale=83.348)
    for row in result.quantiles:
        assert row["value"] == pytest.approx(printed.ppf(row["p"]), rel=5e-4)


def test_count_family_quantile_has_no_delta_interval_but_its_exceedance_does():
    # d/d rate P(X > k) = P(X = k) for the Poisson; Var(rate_hat) = rate / n.
    x = np.random.default_rng(8).poisson(4.0, 120).astype(float)
    result = gaussfit.fit(x, "poisson", quantiles=[0.5], prob_above=[6])
    n, rate = len(x), np.mean(x)
    assert result.quantiles[0]["value"] == stats.poisson(rate).ppf(0.5)
    assert result.quantiles[0]["ci95"] is None
    s = stats.poisson(rate).sf(6)
    se = stats.poisson(rate).pmf(6) * math.sqrt(rate / n)
    centre, half = math.log(s / (1 - s)), Z * se / (s * (1 - s))
    expected = (1 / (1 + math.exp(half - centre)), 1 / (1 + math.exp(-centre - half)))
    assert result.prob_above[0]["ci95"] == pytest.approx(expected, rel=1e-5)
