"""log_cdf and log_sf of the families whose CDF is elementary (exponential, weibull, logistic,
gumbel, cauchy, laplace): values against scipy in the body and against mpmath closed forms
(in 650 digits) far into both tails, first and second derivatives in the parameters against mpmath's
numerical differentiation."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from dist_cases import CASES, Case, constants, scipy_reference

import gaussfit.engine as tf

mpmath.mp.dps = 60
ELEMENTARY = ("exponential", "weibull", "logistic", "gumbel", "cauchy", "laplace")
CDF_CASES = [case for case in CASES if case.family in ELEMENTARY]
# Probabilities from far in the left tail to far in the right one.
TAIL_PROBABILITIES = np.array([1e-300, 1e-100, 1e-30, 1e-12, 1e-4, 0.1, 0.5])
MP = mpmath.mpf


def _log_cdf_exact(family: str, x: mpmath.mpf, p: dict[str, mpmath.mpf]) -> mpmath.mpf:
    """log F(x), written from the textbook CDF, in mpmath's working precision."""
    if family == "exponential":
        return mpmath.log(-mpmath.expm1(-p["rate"] * x))
    if family == "weibull":
        return mpmath.log(-mpmath.expm1(-((x / p["scale"]) ** p["shape"])))
    z = (x - p["loc"]) / p["scale"]
    if family == "logistic":
        return -mpmath.log1p(mpmath.exp(-z))
    if family == "gumbel":
        return -mpmath.exp(-z)
    if family == "cauchy":
        return mpmath.log(MP(1) / 2 + mpmath.atan(z) / mpmath.pi)
    if family == "laplace":
        return z - mpmath.log(2) if z < 0 else mpmath.log1p(-mpmath.exp(-z) / 2)
    raise AssertionError(family)


def _log_sf_exact(family: str, x: mpmath.mpf, p: dict[str, mpmath.mpf]) -> mpmath.mpf:
    """log S(x), from the textbook survival function."""
    if family == "exponential":
        return -p["rate"] * x
    if family == "weibull":
        return -((x / p["scale"]) ** p["shape"])
    z = (x - p["loc"]) / p["scale"]
    if family == "logistic":
        return -mpmath.log1p(mpmath.exp(z))
    if family == "gumbel":
        return mpmath.log(-mpmath.expm1(-mpmath.exp(-z)))
    if family == "cauchy":
        return mpmath.log(MP(1) / 2 - mpmath.atan(z) / mpmath.pi)
    if family == "laplace":
        return -z - mpmath.log(2) if z > 0 else mpmath.log1p(-mpmath.exp(z) / 2)
    raise AssertionError(family)


EXACT = {"log_cdf": _log_cdf_exact, "log_sf": _log_sf_exact}


def _points(case: Case) -> np.ndarray:
    """Quantiles at the tail probabilities, from both ends."""
    dist = scipy_reference(case)
    x = np.concatenate([dist.ppf(TAIL_PROBABILITIES), dist.isf(TAIL_PROBABILITIES)])
    return np.unique(x[np.isfinite(x) & (x > dist.support()[0])])


def _graph_values(case: Case, which: str, x: np.ndarray) -> np.ndarray:
    t_x = tf.placeholder(tf.float64, name="x")
    out = getattr(case.make(), which)(t_x, constants(case.params))
    with tf.Session() as session:
        return session.run(out, feed_dict={t_x: x})


def _exact(case: Case, which: str, x: float, params: dict[str, float] | None = None) -> float:
    values = {k: MP(v) for k, v in (params or case.params).items()}
    return EXACT[which](case.family, MP(float(x)), values)


@pytest.mark.parametrize("which", ["log_cdf", "log_sf"])
@pytest.mark.parametrize("case", CDF_CASES, ids=lambda c: c.id)
def test_tails_match_high_precision_closed_forms(case: Case, which: str) -> None:
    x = _points(case)
    got = _graph_values(case, which, x)
    with mpmath.workdps(650):  # enough digits for 1 - F when F is 1e-300 away from 1
        expected = np.array([float(_exact(case, which, v)) for v in x])
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-300)


@pytest.mark.parametrize("which", ["log_cdf", "log_sf"])
@pytest.mark.parametrize("case", CDF_CASES, ids=lambda c: c.id)
def test_body_matches_scipy(case: Case, which: str) -> None:
    dist = scipy_reference(case)
    x = dist.ppf(np.linspace(1e-6, 1 - 1e-6, 41))
    got = _graph_values(case, which, x)
    expected = dist.logcdf(x) if which == "log_cdf" else dist.logsf(x)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("which", ["log_cdf", "log_sf"])
@pytest.mark.parametrize("case", CDF_CASES, ids=lambda c: c.id)
def test_first_and_second_derivatives_match_numerical_differentiation(
    case: Case, which: str
) -> None:
    dist = scipy_reference(case)
    x = dist.ppf(np.array([1e-8, 0.05, 0.4, 0.7, 0.99, 1 - 1e-9]))
    params = constants(case.params)
    names = list(case.params)
    t_x = tf.placeholder(tf.float64, name="x")
    total = tf.reduce_sum(getattr(case.make(), which)(t_x, params))
    gradient = tf.gradients(total, [params[n] for n in names])
    hessian = [
        [
            h if h is not None else tf.zeros_like(g)
            for h in tf.gradients(g, [params[n] for n in names])
        ]
        for g in gradient
    ]
    with tf.Session() as session:
        got_gradient, got_hessian = session.run([gradient, hessian], feed_dict={t_x: x})

    def total_at(*values: mpmath.mpf) -> mpmath.mpf:
        point = dict(zip(names, values, strict=True))
        return mpmath.fsum(EXACT[which](case.family, MP(float(v)), point) for v in x)

    at = [MP(case.params[n]) for n in names]
    for i in range(len(names)):
        order = [0] * len(names)
        order[i] = 1
        expected = float(mpmath.diff(total_at, at, tuple(order)))
        assert got_gradient[i] == pytest.approx(expected, rel=1e-8, abs=1e-10)
        for j in range(len(names)):
            second = list(order)
            second[j] += 1
            expected = float(mpmath.diff(total_at, at, tuple(second)))
            assert got_hessian[i][j] == pytest.approx(expected, rel=1e-7, abs=1e-8)


@pytest.mark.parametrize("case", CDF_CASES, ids=lambda c: c.id)
def test_cdf_and_sf_are_complements(case: Case) -> None:
    x = _points(case)
    log_cdf = _graph_values(case, "log_cdf", x)
    log_sf = _graph_values(case, "log_sf", x)
    np.testing.assert_allclose(np.exp(log_cdf) + np.exp(log_sf), 1.0, rtol=1e-14)
