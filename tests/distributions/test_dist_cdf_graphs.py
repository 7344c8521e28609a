"""The log-CDF and log-survival graphs of the families built on the engine's special functions
(normal, lognormal, gamma, student_t, beta, poisson, negative_binomial, normal_mixture):

- values against scipy's logcdf / logsf (the log1p of the other side where scipy's own log
  loses digits near 1) from the centre to deep tails, and against mpmath at 60 digits
  (``data/tail_references.json``) beyond the point where scipy's values underflow;
- gradients and Hessians in the parameters against central differences of scipy's, and
  against mpmath's derivatives in the deep tails.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from dist_cases import CASES, DISCRETE, Case, constants, evaluation_points, mixture_arrays
from dist_cases import scipy_reference as scipy_dist
from scipy import special, stats

import gaussfit.engine as tf
from gaussfit.distributions import get_family

FAMILIES = {
    "normal",
    "lognormal",
    "gamma",
    "student_t",
    "beta",
    "poisson",
    "negative_binomial",
    "normal_mixture",
    "halfnormal",
    "maxwell",
    "chi2",
    "invgamma",
    "nakagami",
    "geometric",
    "loggamma",
    "binomial",
    "zip",
    "zinb",
    "betabinom",
}
TAIL_CASES = [case for case in CASES if case.family in FAMILIES]
SIDES = ("cdf", "sf")
DEEP = json.loads((Path(__file__).parent / "data" / "tail_references.json").read_text())["rows"]
NOISE = 1e-13


def reference(case: Case, x: np.ndarray, side: str, params: dict[str, float] | None = None):
    """scipy's log F (side "cdf") or log S: scipy's own log where that side is at most 1/2,
    else log1p of minus the other side, which keeps the digits of a value near 0."""
    params = case.params if params is None else params
    x = np.asarray(x, dtype=np.float64)
    if case.family == "normal_mixture":
        w, mu, sigma = mixture_arrays(params, case.options["k"])
        log_tail = stats.norm.logcdf if side == "cdf" else stats.norm.logsf
        return special.logsumexp(np.log(w) + log_tail(x[:, None], mu, sigma), axis=1)
    dist = scipy_dist(case, params)
    if case.family == "betabinom":
        return _summed_tails(dist, int(params["n"]), x, side)
    this, other = (dist.cdf(x), dist.sf(x)) if side == "cdf" else (dist.sf(x), dist.cdf(x))
    own_log = dist.logcdf(x) if side == "cdf" else dist.logsf(x)
    with np.errstate(divide="ignore"):
        return np.where(this <= 0.5, own_log, np.log1p(-other))


def _summed_tails(dist, n: int, x: np.ndarray, side: str) -> np.ndarray:
    """log F or log S of a law on 0..n as math.fsum of scipy's pmf over each side's counts:
    scipy's betabinom.sf is 1 - cdf, which near 1 is off by 2e-11 relative (mpmath agrees
    with these sums to 1e-15)."""
    mass = dist.pmf(np.arange(n + 1))
    k = np.floor(x).astype(int)
    below = np.array([math.fsum(mass[: max(j + 1, 0)]) for j in k])
    above = np.array([math.fsum(mass[max(j + 1, 0) :]) for j in k])
    this, other = (below, above) if side == "cdf" else (above, below)
    with np.errstate(divide="ignore"):
        return np.where(this <= 0.5, np.log(this), np.log1p(-other))


def tail_points(case: Case) -> np.ndarray:
    """Quantiles from 1e-250 to 1 - 1e-250 in both tails (scipy still represents them)."""
    if case.family == "normal_mixture":
        _, mu, sigma = mixture_arrays(case.params, case.options["k"])
        return np.array([mu.min() - 30 * sigma.max(), mu.max() + 30 * sigma.max()])
    dist = scipy_dist(case)
    q = np.array([1e-250, 1e-100, 1e-12, 1e-3])
    with warnings.catch_warnings():  # boost's beta quantile warns that far out, and is right
        warnings.simplefilter("ignore", RuntimeWarning)
        points = np.concatenate([dist.ppf(q), dist.isf(q)])
    if case.family in DISCRETE:
        points = np.concatenate([points, points + 0.5])  # a count's CDF is flat in between
    points = points[np.isfinite(points)]
    return points[~case.make().support.violations(points)]  # ppf(1e-250) can round to 0


def _values(case: Case, side: str, x: np.ndarray) -> np.ndarray:
    """log F or log S at x."""
    family = case.make()
    y = (family.log_cdf if side == "cdf" else family.log_sf)(tf.constant(x), constants(case.params))
    with tf.Session() as session:
        return session.run(y)


def _graph(case: Case, side: str, x: np.ndarray):
    """log F or log S at x, its gradient and Hessian in the parameters."""
    family = case.make()
    names = case.estimated
    params = constants(case.params)
    y = (family.log_cdf if side == "cdf" else family.log_sf)(tf.constant(x), params)
    total = tf.reduce_sum(y)
    gradient = tf.gradients(total, [params[n] for n in names])
    # A derivative with no path in the graph (log(1 - pi) + log P(k + 1, rate) has no cross
    # term) comes back as None: it is zero.
    hessian = [
        [
            tf.zeros_like(params[n]) if h is None else h
            for h, n in zip(tf.gradients(g, [params[n] for n in names]), names, strict=True)
        ]
        for g in gradient
    ]
    with tf.Session() as session:
        return session.run((y, gradient, hessian))


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("case", TAIL_CASES, ids=lambda c: c.id)
def test_log_cdf_and_log_sf_match_scipy_into_the_tails(case: Case, side: str) -> None:
    x = np.concatenate([evaluation_points(case), tail_points(case)])
    expected = reference(case, x, side)
    got = _values(case, side, x)
    finite = np.isfinite(expected)
    # A mixture's weights add up to 1 only to rounding, so near log 1 = 0 it is off by 1e-16.
    atol = 1e-15 if case.family == "normal_mixture" else 1e-300
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-11, atol=atol)
    assert np.all(np.isfinite(got) | ~finite)


def _difference(case: Case, x: np.ndarray, side: str, shifts: dict[str, float]) -> float:
    params = {k: v + shifts.get(k, 0.0) for k, v in case.params.items()}
    return float(np.sum(reference(case, x, side, params)))


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("case", TAIL_CASES, ids=lambda c: c.id)
def test_gradient_and_hessian_in_the_parameters_match_finite_differences(
    case: Case, side: str
) -> None:
    # Points where scipy's log is accurate enough to be differenced: down to 1e-100 tails.
    x = np.concatenate([evaluation_points(case)[:20], tail_points(case)])
    x = x[(reference(case, x, "cdf") > -230.0) & (reference(case, x, "sf") > -230.0)]
    _, gradient, hessian = _graph(case, side, x)
    names = case.estimated
    scale = NOISE * float(np.sum(np.abs(reference(case, x, side)))) + 1e-300

    def richardson(d):
        return (4.0 * d(0.5) - d(1.0)) / 3.0

    # Steps relative to each parameter's size, or to its distance from 1 for a probability.
    steps = {
        p.name: 1e-3
        * (
            min(case.params[p.name], 1.0 - case.params[p.name])
            if p.constraint.name == "unit_interval"
            else max(abs(case.params[p.name]), 1e-2)
        )
        for p in case.make().parameters
        if p.name in names
    }
    for i, a in enumerate(names):

        def first(c, a=a):
            h = c * steps[a]
            return (_difference(case, x, side, {a: h}) - _difference(case, x, side, {a: -h})) / (
                2 * h
            )

        numeric = richardson(first)
        assert abs(gradient[i] - numeric) <= 1e-7 * abs(numeric) + 8 * scale / steps[a], (a,)

        for j, b in enumerate(names):

            def second(c, a=a, b=b):
                ha, hb = 10 * c * steps[a], 10 * c * steps[b]

                def at(sa, sb):
                    shifts = {a: sa * ha}
                    shifts[b] = shifts.get(b, 0.0) + sb * hb
                    return _difference(case, x, side, shifts)

                return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * ha * hb)

            numeric = richardson(second)
            tolerance = 1e-5 * abs(numeric) + 16 * scale / (100 * steps[a] * steps[b])
            assert abs(hessian[i][j] - numeric) <= tolerance, (a, b, hessian[i][j], numeric)


@pytest.mark.parametrize("row", DEEP, ids=lambda r: f"{r['family']}-{r['side']}-x={r['x']:g}")
def test_deep_tails_and_their_derivatives_match_mpmath(row) -> None:
    family = get_family(row["family"])
    names = list(row["params"])
    params = constants(row["params"])
    graph = family.log_cdf if row["side"] == "cdf" else family.log_sf
    y = graph(tf.constant(np.array([row["x"]])), params)
    gradient = tf.gradients(tf.reduce_sum(y), [params[n] for n in names])
    hessian = [tf.gradients(g, [params[n] for n in names]) for g in gradient]
    with tf.Session() as session:
        value, got_gradient, got_hessian = session.run((y, gradient, hessian))
    assert value[0] == pytest.approx(row["value"], rel=1e-12, abs=1e-300)
    scale = max(abs(row["value"]), 1.0)
    np.testing.assert_allclose(got_gradient, row["gradient"], rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_allclose(got_hessian, row["hessian"], rtol=1e-8, atol=1e-11 * scale)


def test_the_two_sides_add_up_to_one() -> None:
    """F + S = 1 at every point, also where one side is computed from the other's tail."""
    for case in TAIL_CASES:
        x = np.concatenate([evaluation_points(case), tail_points(case)])
        log_f = _values(case, "cdf", x)
        log_s = _values(case, "sf", x)
        np.testing.assert_allclose(np.exp(log_f) + np.exp(log_s), 1.0, rtol=1e-13, err_msg=case.id)
