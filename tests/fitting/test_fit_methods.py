"""Estimators beside maximum likelihood: hand-computed cases, scipy's own MM and MSE fits, the
accuracy of the spacings in the tails, the bootstrap intervals, and every refusal.

fitdistrplus's answers on the same data are in ``test_fit_methods_fitdistrplus.py``.
"""

from __future__ import annotations

import math

import jsonschema
import numpy as np
import pytest
from scipy import optimize, stats

import gaussfit.engine as tf
from gaussfit import fit
from gaussfit.data.observations import Observations
from gaussfit.distributions import get_family
from gaussfit.errors import ConfigError, DataError, FitError
from gaussfit.fitting.estimation import GOF_DISTANCES, METHODS, Method
from gaussfit.fitting.method_batched import refit_rows
from gaussfit.fitting.method_objectives import log_spacings
from gaussfit.report.schema import FIT_SCHEMA

RNG = np.random.default_rng(20261201)
GAMMA = RNG.gamma(2.0, 1.5, 150)
NORMAL = RNG.normal(3.0, 2.0, 120)


# -- hand-computed cases ------------------------------------------------------------------------
def test_exponential_moment_matching_is_one_over_the_mean() -> None:
    x = RNG.exponential(0.5, 80)
    result = fit(x, "exponential", method="mme")
    assert result.params["rate"] == pytest.approx(1.0 / np.mean(x), rel=1e-12)


def test_normal_quantile_matching_at_the_quartiles_has_a_closed_form() -> None:
    q1, q3 = np.quantile(NORMAL, [0.25, 0.75])
    result = fit(NORMAL, "normal", method="qme", probs=[0.25, 0.75])
    assert result.params["mu"] == pytest.approx((q1 + q3) / 2.0, rel=1e-9)
    assert result.params["sigma"] == pytest.approx(
        (q3 - q1) / (2.0 * stats.norm.ppf(0.75)), rel=1e-9
    )


def test_exponential_quantile_matching_at_the_median_is_log2_over_the_median() -> None:
    result = fit(GAMMA, "exponential", method="qme", probs=[0.5])
    assert result.params["rate"] == pytest.approx(math.log(2.0) / np.median(GAMMA), rel=1e-9)


def test_normal_moment_matching_uses_the_variance_with_divisor_n() -> None:
    result = fit(NORMAL, "normal", method="mme")
    assert result.params["mu"] == pytest.approx(np.mean(NORMAL), rel=1e-12)
    assert result.params["sigma"] == pytest.approx(np.std(NORMAL), rel=1e-12)


# -- scipy's fits ---------------------------------------------------------------------------------
# scipy solves the lognormal's moment equations numerically and stops about 2e-5 short.
@pytest.mark.parametrize(
    ("family", "scipy_fit", "ours", "rel"),
    [
        ("gamma", lambda x: stats.gamma.fit(x, floc=0, method="MM"), lambda p: (p[0], p[2]), 1e-9),
        ("normal", lambda x: stats.norm.fit(x, method="MM"), lambda p: p, 1e-9),
        (
            "lognormal",
            lambda x: stats.lognorm.fit(x, floc=0, method="MM"),
            lambda p: (math.log(p[2]), p[0]),
            1e-4,
        ),
    ],
)
def test_moment_matching_matches_scipys_method_mm(family, scipy_fit, ours, rel) -> None:
    x = GAMMA if family != "normal" else NORMAL
    expected = ours(scipy_fit(x))
    result = fit(x, family, method="mme", gof=False)
    assert list(result.params.values()) == pytest.approx(list(expected), rel=rel)


@pytest.mark.parametrize(("family", "dist"), [("weibull", "weibull_min"), ("loglogistic", "fisk")])
def test_numerical_moment_matching_equates_scipys_raw_moments_with_the_datas(family, dist) -> None:
    # No closed formula: the first two raw moments of the fitted law (scipy computes them)
    # equal the data's.
    x = RNG.weibull(1.7, 200) * 3.0
    result = fit(x, family, method="mme", gof=False)
    frozen = getattr(stats, dist)(result.params["shape"], scale=result.params["scale"])
    for k in (1, 2):
        assert frozen.moment(k) == pytest.approx(np.mean(x**k), rel=1e-9)
    assert result.optimizer == "least_squares"


def _scipy_mse(dist, x: np.ndarray, start: list[float]) -> np.ndarray:
    """scipy.stats.fit(method="mse") with loc held at 0, minimised tightly from ``start``."""

    def optimizer(fun, bounds, **_):
        found = optimize.minimize(
            lambda z: fun([z[0], 0.0, z[1]]),
            x0=start,
            method="Nelder-Mead",
            options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000},
        )
        found.x = np.array([found.x[0], 0.0, found.x[1]])
        return found

    bounds = {"a" if dist is stats.gamma else "c": (0.01, 100), "loc": (0, 0), "scale": (0.01, 100)}
    return np.asarray(stats.fit(dist, x, bounds=bounds, method="mse", optimizer=optimizer).params)


@pytest.mark.parametrize("dist", [stats.gamma, stats.weibull_min])
def test_product_of_spacings_matches_scipy_also_with_ties(dist) -> None:
    # Rounded to one decimal: 150 values, fewer distinct ones. scipy lets a run of l equal
    # values share its spacing (l log(D / l)); so do we.
    x = np.round(GAMMA, 1)
    assert len(np.unique(x)) < len(x)
    family = "gamma" if dist is stats.gamma else "weibull"
    result = fit(x, family, method="mse", gof=False)
    shape, _, scale = _scipy_mse(dist, x, [1.5, 2.0])
    assert result.params["shape"] == pytest.approx(shape, rel=1e-5)
    assert result.params["scale"] == pytest.approx(scale, rel=1e-5)


def test_log_spacings_keep_their_digits_in_both_tails() -> None:
    # F(8.5) - F(8) for the standard normal is 6.2e-16 and rounds to 0 as a difference of
    # CDFs near 1; the survival side keeps it. Likewise F(-8) - F(-8.5) from the CDF side.
    low = np.array([8.0, -8.5, -0.3])
    high = np.array([8.5, -8.0, 0.2])
    with tf.Graph().as_default():
        a, b = tf.constant(low), tf.constant(high)
        spacing = log_spacings(tf.log_ndtr(a), tf.log_ndtr(b), tf.log_ndtr(-a), tf.log_ndtr(-b))
        with tf.Session() as session:
            got = session.run(spacing)
    expected = np.log(
        np.where(
            high > 0,
            stats.norm.sf(low) - stats.norm.sf(high),
            stats.norm.cdf(high) - stats.norm.cdf(low),
        )
    )
    assert got == pytest.approx(expected, rel=1e-12)


# -- the result -----------------------------------------------------------------------------------
@pytest.mark.parametrize("distance", GOF_DISTANCES)
def test_every_distance_gives_a_converged_fit_with_its_name_in_the_json(distance: str) -> None:
    result = fit(GAMMA, "weibull", method="mge", gof_distance=distance.lower(), references=False)
    document = result.to_dict()
    jsonschema.validate(document, FIT_SCHEMA)
    assert document["method"]["name"] == "mge"
    assert document["method"]["distance"] == distance
    assert document["method"]["objective"] is not None
    assert result.converged
    assert all(value is None for value in document["stderr"].values())


def test_loglik_and_aic_are_evaluated_at_the_estimate() -> None:
    result = fit(GAMMA, "gamma", method="mse", gof=False)
    frozen = stats.gamma(result.params["shape"], scale=result.params["scale"])
    loglik = float(np.sum(frozen.logpdf(GAMMA)))
    assert result.loglik == pytest.approx(loglik, rel=1e-10)
    assert result.aic == pytest.approx(4.0 - 2.0 * loglik, rel=1e-10)
    mle = fit(GAMMA, "gamma", gof=False, references=False)
    assert result.loglik < mle.loglik  # not a maximum of the likelihood
    assert any("evaluated at the mse estimates" in note for note in result.notes)


def test_quantile_matching_reproduces_the_datas_quantiles() -> None:
    result = fit(GAMMA, "weibull", method="qme", probs=[0.1, 0.9], gof=False)
    fitted = stats.weibull_min(result.params["shape"], scale=result.params["scale"])
    assert fitted.ppf([0.1, 0.9]) == pytest.approx(np.quantile(GAMMA, [0.1, 0.9]), rel=1e-7)


def test_bootstrap_intervals_come_from_refits_by_the_same_method() -> None:
    x = NORMAL[:60]
    result = fit(x, "normal", method="mge", gof_distance="CvM", bootstrap=40, seed=3, gof=False)
    again = fit(x, "normal", method="mge", gof_distance="CvM", bootstrap=40, seed=3, gof=False)
    boot = result.bootstrap
    assert boot is not None and boot == again.bootstrap
    assert boot["resamples"] == 40 and boot["failed"] == 0
    low, high = boot["ci95"]["mu"]
    assert low < result.params["mu"] < high
    # the CvM estimate of a location is about as variable as the mean: se near sigma/sqrt(n)
    assert 0.5 < boot["stderr"]["mu"] / (np.std(x) / math.sqrt(60)) < 2.0


def test_moment_bootstrap_resamples_the_closed_formula() -> None:
    x = NORMAL[:50]
    result = fit(x, "normal", method="mme", bootstrap=200, seed=1, gof=False)
    rng = np.random.default_rng(1)
    means = [np.mean(x[rng.integers(0, 50, 50)]) for _ in range(200)]
    assert result.bootstrap["stderr"]["mu"] == pytest.approx(np.std(means, ddof=1), rel=1e-12)


def test_quantiles_of_a_method_fit_have_bootstrap_intervals_only() -> None:
    result = fit(
        NORMAL[:50], "normal", method="mme", bootstrap=50, seed=2, quantiles=[0.9], gof=False
    )
    rows = {row["method"]: row for row in result.quantiles}
    assert rows["delta"]["ci95"] is None
    low, high = rows["bootstrap"]["ci95"]
    assert low < rows["bootstrap"]["value"] < high


def test_maximum_likelihood_reports_its_method_too() -> None:
    document = fit(NORMAL, "normal", references=False).to_dict()
    assert document["method"] == {"name": "mle", "distance": None, "probs": None, "objective": None}
    assert set(METHODS) == {"mle", "mme", "qme", "mge", "mse"}


# -- refusals ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"method": "mxe"}, "--method: unknown method 'mxe'"),
        ({"method": "qme"}, "--probs"),
        ({"method": "qme", "probs": [0.5]}, "needs 2 probabilities, not 1"),
        ({"method": "qme", "probs": [0.2, 1.0]}, "--probs: 1 is not a probability"),
        ({"method": "qme", "probs": [0.2, 0.2]}, "--probs: each probability once"),
        ({"method": "mle", "probs": [0.2, 0.7]}, "give --method qme"),
        ({"method": "mse", "gof_distance": "AD"}, "give --method mge"),
        ({"method": "mge", "gof_distance": "XY"}, "--gof-distance: unknown distance 'XY'"),
        ({"method": "mge", "weights": np.ones(150)}, "weights are taken by maximum likelihood"),
        ({"method": "mse", "gof_bootstrap": 20}, "--gof-bootstrap refits by maximum likelihood"),
        ({"method": "mse", "ci": "profile"}, "--ci profile"),
    ],
)
def test_bad_method_options_are_refused_before_fitting(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ConfigError, match=None) as caught:
        fit(GAMMA, "gamma", **kwargs)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("method", ["qme", "mge", "mse"])
def test_count_families_take_only_moments(method: str) -> None:
    counts = RNG.poisson(3.0, 50).astype(float)
    options = {"probs": [0.5]} if method == "qme" else {}
    with pytest.raises(ConfigError, match="count family"):
        fit(counts, "poisson", method=method, **options)
    assert fit(counts, "poisson", method="mme").params["rate"] == pytest.approx(np.mean(counts))


def test_censored_data_are_refused_for_other_methods() -> None:
    data = Observations(lower=np.array([1.0, 2.0, 3.0]), upper=np.array([1.0, np.inf, 3.0]))
    with pytest.raises(ConfigError, match="censored or truncated data are fitted by maximum"):
        fit(data, "weibull", method="mse")


def test_a_family_without_moments_cannot_be_moment_matched() -> None:
    with pytest.raises(FitError, match="no finite moments"):
        fit(NORMAL, "cauchy", method="mme")


def test_moments_a_family_cannot_reach_are_refused() -> None:
    # A Lomax law's squared coefficient of variation a/(a-2) exceeds 1; these data's is 0.4.
    x = RNG.weibull(1.7, 200) * 3.0
    with pytest.raises(FitError, match="lomax's first 2 moments cannot be matched"):
        fit(x, "lomax", method="mme")


@pytest.mark.parametrize(
    "method",
    [Method("mse"), Method("mge", (), "AD"), Method("qme", (0.25, 0.75))],
    ids=lambda m: m.name,
)
def test_a_block_of_resamples_is_estimated_as_each_alone(method: Method) -> None:
    # Rounded values: each row has its own ties, which the block's spacings must keep apart.
    x = np.round(GAMMA[:80], 1)
    rng = np.random.default_rng(5)
    block = x[rng.integers(0, len(x), size=(4, len(x)))]
    options = {"probs": method.probs or None, "gof_distance": method.distance, "gof": False}
    start = fit(x, "weibull", method=method.name, **options).params
    together = refit_rows(get_family("weibull"), method, block, start, {})
    assert together is not None
    params, converged = together
    assert converged.all()
    for i, row in enumerate(block):
        alone = fit(row, "weibull", method=method.name, **options).params
        for name, value in alone.items():
            assert params[name][i] == pytest.approx(value, rel=1e-6)


def test_quantile_matching_refuses_probabilities_with_one_sample_quantile() -> None:
    x = np.array([1.0] * 10 + [2.0, 3.0])
    with pytest.raises(DataError, match=r"quantiles at 0\.25 and 0\.75 are equal"):
        fit(x, "normal", method="qme", probs=[0.25, 0.75])
