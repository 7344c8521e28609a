"""Vectorised row estimates used by the bootstrap: each row's exact MLE (``mle_rows``) equals
scipy's fit of that row, each row's statistics (``statistics_rows``) equal the one-row
``statistics``, and the direct CDFs equal scipy's frozen ones."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from gaussfit.distributions import get_family
from gaussfit.fitting.batched import refit_block


def _normal(r):
    mu, sigma = stats.norm.fit(r)
    return {"mu": mu, "sigma": sigma}


def _lognormal(r):
    s, _, scale = stats.lognorm.fit(r, floc=0)
    return {"mu": math.log(scale), "sigma": s}


def _gamma(r):
    a, _, scale = stats.gamma.fit(r, floc=0)
    return {"shape": a, "scale": scale}


# family: truth, scipy's fit of one row in our parameters
MLE_CASES = {
    "normal": ({"mu": 1.0, "sigma": 2.0}, _normal),
    "lognormal": ({"mu": 0.3, "sigma": 0.7}, _lognormal),
    "exponential": ({"rate": 0.5}, lambda r: {"rate": 1.0 / stats.expon.fit(r, floc=0)[1]}),
    "gamma": ({"shape": 0.4, "scale": 3.0}, _gamma),
    "poisson": ({"rate": 3.5}, lambda r: {"rate": float(np.mean(r))}),
}


@pytest.mark.parametrize("name", sorted(MLE_CASES))
def test_mle_rows_equal_scipys_fit_of_each_row(name):
    truth, scipy_fit = MLE_CASES[name]
    family = get_family(name)
    block = family.sample(truth, 30 * 50, np.random.default_rng(7)).reshape(30, 50)
    rows = family.mle_rows(block)
    assert rows is not None
    for i in range(0, 30, 6):
        expected = scipy_fit(block[i])
        for key, value in expected.items():
            assert rows[key][i] == pytest.approx(value, rel=1e-9, abs=1e-12)


def test_gamma_rows_without_a_finite_estimate_are_fitted_alone_and_counted():
    family = get_family("gamma")
    block = family.sample({"shape": 2.0, "scale": 1.0}, 4 * 20, np.random.default_rng(1))
    block = block.reshape(4, 20)
    block[2] = 1.5  # all values equal: log(mean) = mean(log): no finite shape
    rows = family.mle_rows(block)
    assert np.isnan(rows["shape"][2]) and np.all(np.isfinite(rows["shape"][[0, 1, 3]]))
    refits = refit_block(family, block, {"shape": 2.0, "scale": 1.0}, {})
    assert refits.individually == 1 and list(refits.ok) == [True, True, False, True]


@pytest.mark.parametrize("name", ["normal", "lognormal", "exponential", "gamma", "beta", "poisson"])
def test_statistics_rows_equal_each_rows_statistics(name):
    family = get_family(name)
    truth = {"beta": {"alpha": 2.0, "beta": 3.0}, "poisson": {"rate": 3.0}}.get(
        name, MLE_CASES.get(name, ({},))[0]
    )
    block = family.sample(truth, 8 * 25, np.random.default_rng(2)).reshape(8, 25)
    together = family.statistics_rows(block)
    assert together is not None
    for i, row in enumerate(block):
        one = family.statistics(row, None)
        for key, value in one.items():
            assert together[key][i] == pytest.approx(value, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("normal", {"mu": 1.0, "sigma": 2.0}),
        ("lognormal", {"mu": 0.3, "sigma": 0.7}),
        ("exponential", {"rate": 0.5}),
        ("gamma", {"shape": 0.4, "scale": 3.0}),
        ("weibull", {"shape": 1.5, "scale": 2.0}),
        ("logistic", {"loc": -1.0, "scale": 0.5}),
    ],
)
def test_direct_cdf_equals_scipys_frozen_cdf(name, params):
    family = get_family(name)
    x = np.sort(family.sample(params, 500, np.random.default_rng(3)))
    ours = family.cdf(x, params)
    theirs = family.scipy_dist(params).cdf(x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-300)
    # parameters as a column: one CDF per row, as the bootstrap evaluates them
    columns = {k: np.array([[v], [v * 1.5]]) for k, v in params.items()}
    block = np.stack([x, x])
    second = family.scipy_dist({k: v * 1.5 for k, v in params.items()}).cdf(x)
    np.testing.assert_allclose(family.cdf(block, columns)[1], second, rtol=1e-13, atol=1e-300)
