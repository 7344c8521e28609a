"""Parametric-bootstrap goodness of fit: the refits, the statistics and the p-values against
scipy (its fits, its tests, and ``scipy.stats.goodness_of_fit``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import gaussfit
from gaussfit.distributions import get_family
from gaussfit.errors import ConfigError
from gaussfit.fitting.batched import BatchedLikelihood, fit_rows
from gaussfit.fitting.gof_bootstrap import null_statistics

CASES = {
    "gamma": ({"shape": 2.0, "scale": 3.0}, lambda r: stats.gamma.fit(r, floc=0)),
    "weibull": ({"shape": 1.5, "scale": 2.0}, lambda r: stats.weibull_min.fit(r, floc=0)),
    "normal": ({"mu": 1.0, "sigma": 2.0}, stats.norm.fit),
    "lognormal": ({"mu": 0.3, "sigma": 0.7}, lambda r: stats.lognorm.fit(r, floc=0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_batched_newton_reaches_each_rows_maximum_likelihood(name):
    truth, scipy_fit = CASES[name]
    family = get_family(name)
    block = family.sample(truth, 40 * 60, np.random.default_rng(4)).reshape(40, 60)
    model = BatchedLikelihood(family)
    result = fit_rows(model, block, truth)
    model.close()
    assert result.converged.all()
    dist = _scipy_family(name)
    for row in range(0, 40, 7):
        ours = dist(*_scipy_arguments(name, {k: v[row] for k, v in result.params.items()}))
        theirs = dist(*scipy_fit(block[row]))
        # scipy's own optimum is never higher than ours, and the two agree closely
        assert np.sum(ours.logpdf(block[row])) >= np.sum(theirs.logpdf(block[row])) - 1e-9
        assert ours.mean() == pytest.approx(theirs.mean(), rel=1e-4)
        assert ours.std() == pytest.approx(theirs.std(), rel=1e-4)


@pytest.mark.parametrize("name", sorted(CASES))
def test_null_statistics_are_scipys_tests_against_scipys_refits(name):
    truth, scipy_fit = CASES[name]
    family = get_family(name)
    block = family.sample(truth, 12 * 80, np.random.default_rng(8)).reshape(12, 80)
    null, alone = null_statistics(family, block, truth, {})
    assert null.shape == (12, 3) and alone == 0
    dist = _scipy_family(name)
    # scipy's weibull_min.fit stops at its optimiser's tolerance (parameters to about 1e-5)
    rel = 3e-3 if name == "weibull" else 1e-4
    for row, values in enumerate(block):
        cdf = dist(*scipy_fit(values)).cdf
        assert null[row, 0] == pytest.approx(stats.kstest(values, cdf).statistic, rel=rel)
        assert null[row, 1] == pytest.approx(stats.cramervonmises(values, cdf).statistic, rel=rel)


@pytest.mark.parametrize(
    ("name", "dist", "known", "resamples"),
    [("normal", stats.norm, {}, 999), ("gamma", stats.gamma, {"loc": 0.0}, 299)],
)
def test_pvalues_agree_with_scipy_goodness_of_fit(name, dist, known, resamples):
    x = dist(1.5, **({"scale": 2.0} if name == "gamma" else {})).rvs(
        60, random_state=np.random.default_rng(11)
    )
    if name == "gamma":  # a misfit for the gamma makes the p-values informative
        x = np.concatenate([x[:50], x[50:] * 4.0])
    ours = gaussfit.fit(x, name, gof_bootstrap=resamples, seed=3).gof["bootstrap"]
    assert ours["resamples"] == resamples
    for statistic in ("ks", "cvm", "ad"):
        theirs = stats.goodness_of_fit(
            dist,
            x,
            known_params=known,
            statistic=statistic,
            n_mc_samples=resamples,
            rng=np.random.default_rng(5),
        ).pvalue
        p = ours[f"{statistic}_pvalue"]
        se = math.sqrt(max(p * (1 - p), 0.01) / resamples)
        assert ours[f"{statistic}_pvalue_se"] == pytest.approx(
            math.sqrt(p * (1 - p) / resamples), rel=1e-9
        )
        assert abs(p - theirs) < 4.5 * math.sqrt(2.0) * se, statistic


def test_same_seed_same_pvalues_and_auto_stops_at_its_target():
    x = np.random.default_rng(2).weibull(1.3, 120) * 5.0
    first = gaussfit.fit(x, "weibull", gof_bootstrap=200, seed=7).gof["bootstrap"]
    again = gaussfit.fit(x, "weibull", gof_bootstrap=200, seed=7).gof["bootstrap"]
    assert first == again
    auto = gaussfit.fit(x, "weibull", gof_bootstrap="auto", seed=7).gof["bootstrap"]
    assert auto["adaptive"] and auto["target_se"] == 0.01
    assert max(auto[f"{s}_pvalue_se"] for s in ("ks", "cvm", "ad")) < 0.01
    assert auto["resamples"] <= 2500 and auto["resamples"] % 250 == 0


def test_fixed_parameters_stay_fixed_in_the_refits():
    family = get_family("normal")
    block = family.sample({"mu": 0.0, "sigma": 1.0}, 5 * 40, np.random.default_rng(1))
    block = block.reshape(5, 40)
    model = BatchedLikelihood(family, {"mu": 0.0})
    result = fit_rows(model, block, {"mu": 0.0, "sigma": 1.0})
    model.close()
    assert np.all(result.params["mu"] == 0.0)
    assert result.params["sigma"] == pytest.approx(np.sqrt(np.mean(block**2, axis=1)), rel=1e-7)


def test_counts_and_bad_requests_are_refused():
    counts = np.random.default_rng(0).poisson(3.0, 50).astype(float)
    with pytest.raises(ConfigError, match="discrete"):
        gaussfit.fit(counts, "poisson", gof_bootstrap=10)
    with pytest.raises(ConfigError, match="at least 2"):
        gaussfit.fit(np.arange(1.0, 30.0), "normal", gof_bootstrap=1)
    with pytest.raises(ConfigError, match="auto"):
        gaussfit.fit(np.arange(1.0, 30.0), "normal", gof_bootstrap="many")


def _scipy_family(name):
    return {
        "gamma": stats.gamma,
        "weibull": stats.weibull_min,
        "normal": stats.norm,
        "lognormal": stats.lognorm,
    }[name]


def _scipy_arguments(name, p):
    """scipy's positional (shape, loc, scale) for our parameters."""
    return {
        "gamma": lambda: (p["shape"], 0.0, p["scale"]),
        "weibull": lambda: (p["shape"], 0.0, p["scale"]),
        "normal": lambda: (p["mu"], p["sigma"]),
        "lognormal": lambda: (p["sigma"], 0.0, math.exp(p["mu"])),
    }[name]()
