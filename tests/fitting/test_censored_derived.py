"""What users derive from a censored or truncated fit, with intervals: quantiles and exceedance
probabilities (delta method on the censored Hessian), profile-likelihood intervals, the
bootstraps (records resampled, or the censoring simulated as observed) and the bootstrap
goodness-of-fit test. References: closed forms for the exponential with right censoring, a
profile computed here from scipy's densities and survival functions, scipy's KS and CvM
statistics where the distances must equal them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

import gaussfit
from gaussfit.data.observations import Observations
from gaussfit.distributions import get_family
from gaussfit.fitting.censored_resampling import npmle_distances, simulate_as_observed

Z95 = stats.norm.ppf(0.975)
CHI2 = stats.chi2.ppf(0.95, 1)


def _right_censored(n: int, seed: int, shape: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = 2.0 * rng.weibull(shape, n)
    c = rng.uniform(0.5, 5.0, n)
    return np.minimum(t, c), t <= c


def _observations(time: np.ndarray, event: np.ndarray) -> Observations:
    return Observations(time, np.where(event, time, np.inf))


def test_exponential_quantity_and_profile_intervals_match_closed_forms() -> None:
    time, event = _right_censored(150, 1)
    d, total = int(np.sum(event)), float(np.sum(time))
    rate = d / total  # events / total time on test
    fit = gaussfit.fit(
        _observations(time, event), "exponential", quantiles=[0.5], prob_above=[1.0], ci="profile"
    )
    assert fit.params["rate"] == pytest.approx(rate, rel=1e-9)
    # the profile interval: 2 (l(rate_hat) - l(rate)) = chi2_1(0.95), l = d log(rate) - rate T
    deviance = lambda r: 2.0 * (d * math.log(rate / r) - (rate - r) * total) - CHI2  # noqa: E731
    low, high = (
        optimize.brentq(deviance, rate / 10, rate),
        optimize.brentq(deviance, rate, rate * 10),
    )
    assert fit.profile_ci95["rate"] == pytest.approx((low, high), rel=1e-7)
    # delta method: se(rate) = rate / sqrt(d); the median log(2)/rate, on the log scale
    median = math.log(2.0) / rate
    (row,) = fit.quantiles
    assert row["value"] == pytest.approx(median, rel=1e-10)
    half = Z95 / math.sqrt(d)
    assert row["ci95"] == pytest.approx(
        (median * math.exp(-half), median * math.exp(half)), rel=1e-5
    )
    # P(X > 1) = exp(-rate), its interval on the logit scale
    (above,) = fit.prob_above
    s = math.exp(-rate)
    se = s * rate / math.sqrt(d)
    centre, half = math.log(s / (1 - s)), Z95 * se / (s * (1 - s))
    expit = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
    assert above["ci95"] == pytest.approx((expit(centre - half), expit(centre + half)), rel=1e-5)


def _weibull_loglik(shape: float, scale: float, time, event, entry) -> float:
    dist = stats.weibull_min(shape, scale=scale)
    return float(np.sum(np.where(event, dist.logpdf(time), dist.logsf(time)) - dist.logsf(entry)))


def test_weibull_profile_with_delayed_entry_matches_a_scipy_profile() -> None:
    rng = np.random.default_rng(5)
    life = 3.0 * rng.weibull(1.5, 400)
    entry = rng.uniform(0.0, 1.0, 400)
    keep = life > entry
    life, entry = life[keep], entry[keep]
    end = entry + rng.uniform(0.5, 4.0, life.size)
    time, event = np.minimum(life, end), life <= end
    obs = Observations(time, np.where(event, time, np.inf), entry=entry)
    fit = gaussfit.fit(obs, "weibull", ci="profile")
    top = _weibull_loglik(fit.params["shape"], fit.params["scale"], time, event, entry)
    assert fit.loglik == pytest.approx(top, rel=1e-10)

    def profile_shape(shape: float) -> float:
        best = optimize.minimize_scalar(
            lambda log_scale: -_weibull_loglik(shape, math.exp(log_scale), time, event, entry),
            bracket=(math.log(fit.params["scale"]) - 0.1, math.log(fit.params["scale"]) + 0.1),
            tol=1e-12,
        )
        return 2.0 * (top + best.fun) - CHI2

    k = fit.params["shape"]
    expected = (optimize.brentq(profile_shape, k / 2, k), optimize.brentq(profile_shape, k, 2 * k))
    assert fit.profile_ci95["shape"] == pytest.approx(expected, rel=1e-6)
    low, high = fit.profile_ci95["scale"]
    assert low < fit.params["scale"] < high


def test_weibull_quantile_delta_interval_matches_an_independent_delta_method() -> None:
    time, event = _right_censored(300, 2, shape=1.6)
    fit = gaussfit.fit(_observations(time, event), "weibull", quantiles=[0.1])
    k, lam = fit.params["shape"], fit.params["scale"]

    # observed information by central differences of scipy's censored log-likelihood
    def loglik(theta: np.ndarray) -> float:
        return _weibull_loglik(theta[0], theta[1], time, event, np.zeros_like(time))

    theta = np.array([k, lam])
    h = 1e-4 * theta
    hessian = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * h[i], np.eye(2)[j] * h[j]
            hessian[i, j] = (
                loglik(theta + ei + ej) - loglik(theta + ei - ej)
                - loglik(theta - ei + ej) + loglik(theta - ei - ej)
            ) / (4 * h[i] * h[j])  # fmt: skip
    covariance = np.linalg.inv(-hessian)
    a = -math.log(0.9)
    q = lam * a ** (1 / k)  # the Weibull quantile and its gradient in (k, lambda)
    gradient = np.array([-q * math.log(a) / k**2, q / lam])
    se = math.sqrt(gradient @ covariance @ gradient)
    (row,) = fit.quantiles
    assert row["value"] == pytest.approx(q, rel=1e-10)
    expected = (q * math.exp(-Z95 * se / q), q * math.exp(Z95 * se / q))
    assert row["ci95"] == pytest.approx(expected, rel=1e-4)


def test_simulating_as_observed_keeps_each_records_scheme() -> None:
    family = get_family("weibull")
    params = {"shape": 1.5, "scale": 2.0}
    lower = np.array([1.0, 1.5, -np.inf, 0.5, 2.0] * 400)
    upper = np.array([1.0, np.inf, 1.0, 1.5, 2.0] * 400)
    entry = np.array([0.0, 0.5, 0.2, 0.4, 0.1] * 400)
    obs = Observations(lower, upper, entry=entry, truncation=(0.0, 6.0))
    sample = simulate_as_observed(family, obs, params, np.random.default_rng(3))
    kinds = sample.kinds()
    assert np.all(sample.lower[kinds["exact"]] <= 6.0)
    assert np.all(sample.lower[kinds["exact"]] > entry[kinds["exact"]])
    # right-censored at 1.5: still right-censored at 1.5, or exact below it
    right = slice(1, None, 5)
    assert np.all((sample.upper[right] == np.inf) == (sample.lower[right] == 1.5))
    assert np.all(sample.lower[right][kinds["exact"][right]] < 1.5)
    # the detection limit 1.0: left-censored at 1.0, or exact above it
    left = slice(2, None, 5)
    assert np.all(kinds["left"][left] == (sample.upper[left] == 1.0))
    assert np.all(sample.lower[left][kinds["exact"][left]] > 1.0)
    # the interval keeps its inspection times 0.5 and 1.5
    inspected = slice(3, None, 5)
    ends = np.concatenate([sample.lower[inspected], sample.upper[inspected]])
    assert set(ends[np.isfinite(ends)].tolist()) <= {0.5, 1.5}
    # the exact 1.0s: the censoring-time estimate has half its mass at 1.5 and half beyond
    # the last time (at risk at 1.5: 400 censored and 400 exact 2.0s): right-censored at 1.5
    # with probability P(X > 1.5 | X in (0, 6]) / 2, never left-censored (no limit below 1)
    dist = stats.weibull_min(1.5, scale=2.0)
    first = slice(0, None, 5)
    assert not np.any(kinds["left"][first])
    censored = kinds["right"][first]
    assert np.all(sample.lower[first][censored] == 1.5)
    expected = 0.5 * (dist.cdf(6.0) - dist.cdf(1.5)) / (dist.cdf(6.0) - dist.cdf(0.0))
    assert np.mean(censored) == pytest.approx(expected, abs=4 * math.sqrt(expected / 400))
    # the exact 2.0s: a detection limit of 1.0 half the time, never a censoring time
    last = slice(4, None, 5)
    assert not np.any(kinds["right"][last]) and np.all(sample.upper[last][kinds["left"][last]] == 1)
    expected = 0.5 * (dist.cdf(1.0) - dist.cdf(0.1)) / (dist.cdf(6.0) - dist.cdf(0.1))
    assert np.mean(kinds["left"][last]) == pytest.approx(
        expected, abs=4 * math.sqrt(expected / 400)
    )


def test_simulated_values_follow_the_fitted_law_truncated_to_each_window() -> None:
    family = get_family("weibull")
    dist = stats.weibull_min(1.5, scale=2.0)
    values = np.array([1.0, 2.0] * 500)
    entry = np.array([0.0, 1.0] * 500)
    obs = Observations(values, values, entry=entry, truncation=(0.0, 6.0))
    sample = simulate_as_observed(
        family, obs, {"shape": 1.5, "scale": 2.0}, np.random.default_rng(4)
    )
    assert np.all(sample.lower == sample.upper)
    for start, low in ((0, 0.0), (1, 1.0)):
        law = lambda v, a=low: (dist.cdf(v) - dist.cdf(a)) / (dist.cdf(6.0) - dist.cdf(a))  # noqa: E731
        assert stats.kstest(sample.lower[start::2], law).pvalue > 0.01


def test_distances_on_exact_values_in_a_window_are_ks_and_cvm_of_the_truncated_law() -> None:
    """With exact values the NPMLE is the empirical CDF: D is KS's statistic and W CvM's less
    1/(12 n), against the fitted law truncated to the window."""
    rng = np.random.default_rng(8)
    x = rng.lognormal(0.0, 0.8, 400)
    x = x[(x > 0.5) & (x < 4.0)]
    obs = Observations(x, x, truncation=(0.5, 4.0))
    params = {"mu": 0.1, "sigma": 0.7}
    dist = stats.lognorm(0.7, scale=math.exp(0.1))
    truncated = lambda v: (dist.cdf(v) - dist.cdf(0.5)) / (dist.cdf(4.0) - dist.cdf(0.5))  # noqa: E731
    d, w = npmle_distances(get_family("lognormal"), obs, params)
    assert d == pytest.approx(stats.kstest(x, truncated).statistic, rel=1e-10)
    cvm = stats.cramervonmises(x, truncated).statistic
    assert w == pytest.approx(cvm - 1.0 / (12 * x.size), rel=1e-9)


@pytest.mark.slow
def test_bootstrap_gof_rejects_the_wrong_family_and_keeps_the_right_one() -> None:
    # (over 30 seeded samples of this design the weibull's p-values spread evenly over (0, 1))
    time, event = _right_censored(150, 4, shape=2.5)
    obs = _observations(time, event)
    right = gaussfit.fit(obs, "weibull", gof_bootstrap=49, seed=1, references=False)
    wrong = gaussfit.fit(obs, "exponential", gof_bootstrap=49, seed=1, references=False)
    assert right.gof["method"] == "npmle_distance"
    assert right.gof["bootstrap"]["ks_pvalue"] > 0.01
    assert right.gof["bootstrap"]["cvm_pvalue"] > 0.01
    assert wrong.gof["bootstrap"]["ks_pvalue"] == wrong.gof["bootstrap"]["cvm_pvalue"] == 1 / 50
    assert right.empirical["method"] == "kaplan-meier"
    assert right.gof["bootstrap"]["resamples"] + right.gof["bootstrap"]["failed"] == 49


@pytest.mark.slow
def test_bootstraps_of_a_censored_fit_give_percentile_intervals_near_the_delta_ones() -> None:
    time, event = _right_censored(200, 6, shape=1.3)
    obs = _observations(time, event)
    for parametric in (False, True):
        fit = gaussfit.fit(
            obs,
            "weibull",
            bootstrap=80,
            seed=2,
            parametric=parametric,
            quantiles=[0.1],
            references=False,
        )
        assert fit.bootstrap["failed"] == 0
        delta, boot = fit.quantiles
        assert boot["method"] == "bootstrap"
        # both intervals cover the estimate and have comparable widths
        for low, high in (delta["ci95"], boot["ci95"]):
            assert low < delta["value"] < high
        width = lambda ci: math.log(ci[1] / ci[0])  # noqa: E731
        assert 0.6 < width(boot["ci95"]) / width(delta["ci95"]) < 1.6
        for name in ("shape", "scale"):
            assert fit.bootstrap["stderr"][name] == pytest.approx(fit.stderr[name], rel=0.35)
