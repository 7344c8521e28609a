"""The normal mixture's numpy path: EM steps, the exact Hessian, Newton from EM, and the fit.

References: R mixtools' ``normalmixEM`` (``data/mixtools_normal_mixture.json``, recorded by
``data/make_mixtools_normal_mixture.py``), a textbook EM step written out with scipy's normal
density, and central finite differences of the log-likelihood computed with scipy (never the
family's own graph).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

import gaussfit
from gaussfit.distributions import normal_mixture_numpy as numeric
from gaussfit.distributions.normal_mixture import NormalMixture
from gaussfit.distributions.normal_mixture_numpy import Components

MIXTOOLS = json.loads((Path(__file__).parent / "data" / "mixtools_normal_mixture.json").read_text())
THREE = Components(np.array([0.3, 0.5, 0.2]), np.array([-2.0, 1.0, 4.5]), np.array([0.8, 1.1, 2.0]))


def _mixed_sample(seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [rng.normal(-2.0, 0.8, 300), rng.normal(1.0, 1.1, 500), rng.normal(4.5, 2.0, 200)]
    )


def _scipy_loglik(x: np.ndarray, w: np.ndarray | None, theta: np.ndarray) -> float:
    """sum_i w_i log f(x_i) at free coordinates theta (logits, means, log sds), by scipy."""
    k = (theta.size + 1) // 3
    logits = np.concatenate([[0.0], theta[: k - 1]])
    log_weights = logits - special.logsumexp(logits)
    terms = log_weights + stats.norm.logpdf(
        x[:, None], theta[k - 1 : 2 * k - 1], np.exp(theta[2 * k - 1 :])
    )
    log_density = special.logsumexp(terms, axis=1)
    return float(np.sum(log_density if w is None else w * log_density))


def _finite_differences(x, w, theta, h=1e-4):
    p = theta.size
    gradient, hessian = np.zeros(p), np.zeros((p, p))
    steps = np.eye(p) * h
    for i in range(p):
        gradient[i] = (
            _scipy_loglik(x, w, theta + steps[i]) - _scipy_loglik(x, w, theta - steps[i])
        ) / (2 * h)
        for j in range(p):
            hessian[i, j] = (
                _scipy_loglik(x, w, theta + steps[i] + steps[j])
                - _scipy_loglik(x, w, theta + steps[i] - steps[j])
                - _scipy_loglik(x, w, theta - steps[i] + steps[j])
                + _scipy_loglik(x, w, theta - steps[i] - steps[j])
            ) / (4 * h * h)
    return gradient, hessian


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_value_gradient_and_hessian_match_scipy_and_finite_differences(weighted, monkeypatch):
    x = _mixed_sample()
    w = np.random.default_rng(4).uniform(0.5, 2.0, x.size) if weighted else None
    monkeypatch.setattr(numeric, "BLOCK", 256)  # several blocks, and a short last one
    theta = numeric.to_free(THREE)
    value, gradient, hessian = numeric.derivatives(x, w, THREE)
    expected_gradient, expected_hessian = _finite_differences(x, w, theta)
    assert value == pytest.approx(_scipy_loglik(x, w, theta), rel=1e-13)
    assert gradient == pytest.approx(expected_gradient, rel=1e-6, abs=1e-6)
    scale = np.max(np.abs(expected_hessian))
    assert np.max(np.abs(hessian - expected_hessian)) <= 1e-6 * scale
    assert np.array_equal(hessian, hessian.T)


def test_free_coordinates_round_trip():
    back = numeric.from_free(numeric.to_free(THREE))
    for got, expected in zip(
        (back.weights, back.means, back.sds), (THREE.weights, THREE.means, THREE.sds), strict=True
    ):
        assert got == pytest.approx(expected, rel=1e-14)


def test_one_em_step_is_the_textbook_step():
    x = _mixed_sample()
    w = np.random.default_rng(5).uniform(0.5, 2.0, x.size)
    got = numeric.em_steps(x, w, THREE, max_steps=1, tolerance=0.0, min_weight=1e-3)
    joint = THREE.weights * stats.norm.pdf(x[:, None], THREE.means, THREE.sds)
    resp = w[:, None] * joint / np.sum(joint, axis=1, keepdims=True)
    mass = np.sum(resp, axis=0)
    means = np.sum(resp * x[:, None], axis=0) / mass
    sds = np.sqrt(np.sum(resp * (x[:, None] - means) ** 2, axis=0) / mass)
    assert got.weights == pytest.approx(mass / np.sum(w), rel=1e-12)
    assert got.means == pytest.approx(means, rel=1e-12)
    assert got.sds == pytest.approx(sds, rel=1e-10)


def test_em_keeps_the_last_good_point_when_a_component_would_empty():
    x = np.random.default_rng(6).normal(0.0, 1.0, 500)
    far = Components(np.array([0.5, 0.5]), np.array([0.0, 60.0]), np.array([1.0, 1.0]))
    got = numeric.em_steps(x, None, far, max_steps=10, tolerance=0.0, min_weight=1e-3)
    assert got is far


def test_newton_from_em_reaches_the_point_where_the_gradient_vanishes():
    x = _mixed_sample()
    start = numeric.em_steps(x, None, THREE, max_steps=5, tolerance=0.0, min_weight=1e-3)
    top = numeric.newton_steps(x, None, start, max_steps=10, min_weight=1e-3)
    gradient, hessian = _finite_differences(x, None, numeric.to_free(top), h=1e-5)
    assert np.max(np.abs(gradient)) < 1e-4
    assert np.all(np.linalg.eigvalsh(hessian) < 0)


@pytest.mark.parametrize("name", ["faithful", "three"])
def test_fit_matches_mixtools(name):
    case = MIXTOOLS[name]
    x = np.asarray(case["x"], dtype=np.float64)
    k = len(case["mu"])
    result = gaussfit.fit(x, NormalMixture(k), references=False, gof=False)
    assert result.converged
    # mixtools' EM stops at a log-likelihood change of 1e-13: its estimates to about 1e-6.
    assert result.loglik >= case["loglik"] - 1e-9
    assert result.loglik == pytest.approx(case["loglik"], rel=1e-12)
    for j in range(k):
        assert result.params[f"w{j + 1}"] == pytest.approx(case["lambda"][j], rel=1e-5)
        assert result.params[f"mu{j + 1}"] == pytest.approx(case["mu"][j], rel=1e-5)
        assert result.params[f"sigma{j + 1}"] == pytest.approx(case["sigma"][j], rel=1e-5)


def test_the_start_is_the_mle_so_newton_only_confirms_it():
    x = np.asarray(MIXTOOLS["three"]["x"], dtype=np.float64)
    result = gaussfit.fit(x, NormalMixture(3), references=False, gof=False)
    assert result.converged
    assert result.iterations == 1


def _delta_method_stderr(x, params, k, fixed=()):
    """Standard errors of the natural parameters from the inverse of the finite-difference
    Hessian in the free coordinates (held ones removed), carried by the exact Jacobian."""
    c = Components(
        *(np.array([params[f"{p}{j}"] for j in range(1, k + 1)]) for p in ("w", "mu", "sigma"))
    )
    theta = numeric.to_free(c)
    names = NormalMixture(k).free_names()
    keep = [i for i, name in enumerate(names) if name.removeprefix("log_") not in fixed]
    _, hessian = _finite_differences(x, None, theta, h=1e-4)
    cov = np.zeros((theta.size, theta.size))
    cov[np.ix_(keep, keep)] = np.linalg.inv(-hessian[np.ix_(keep, keep)])
    w = c.weights
    jacobian = np.zeros((3 * k, 3 * k - 1))
    jacobian[:k, : k - 1] = (np.diag(w) - np.outer(w, w))[:, 1:]  # d softmax / d logits
    jacobian[k : 2 * k, k - 1 : 2 * k - 1] = np.eye(k)
    jacobian[2 * k :, 2 * k - 1 :] = np.diag(c.sds)
    variances = np.diag(jacobian @ cov @ jacobian.T)
    order = [f"{p}{j}" for p in ("w", "mu", "sigma") for j in range(1, k + 1)]
    return {name: math.sqrt(v) for name, v in zip(order, variances, strict=True)}


@pytest.mark.parametrize("fixed", [{}, {"mu1": -2.0}], ids=["free", "mu1 held"])
def test_standard_errors_come_from_the_exact_hessian(fixed):
    x = np.asarray(MIXTOOLS["three"]["x"], dtype=np.float64)
    result = gaussfit.fit(x, NormalMixture(3), fixed=fixed, references=False, gof=False)
    expected = _delta_method_stderr(x, result.params, 3, fixed)
    for name, se in result.stderr.items():
        if name in fixed:
            assert se is None
        else:
            assert se == pytest.approx(expected[name], rel=1e-5)


def test_weighted_fit_equals_the_fit_of_repeated_values():
    rng = np.random.default_rng(8)
    values = np.round(_mixed_sample(), 1)
    unique, counts = np.unique(values, return_counts=True)
    weighted = gaussfit.fit(unique, NormalMixture(3), weights=counts, references=False)
    repeated = gaussfit.fit(rng.permutation(values), NormalMixture(3), references=False)
    assert weighted.loglik == pytest.approx(repeated.loglik, rel=1e-12)
    for name, value in repeated.params.items():
        assert weighted.params[name] == pytest.approx(value, rel=1e-7)
        assert weighted.stderr[name] == pytest.approx(repeated.stderr[name], rel=1e-6)
