"""The engine graphs of every family against scipy: log-densities, likelihoods from sufficient
statistics, and gradients against finite differences of scipy's log-likelihood."""

from __future__ import annotations

import numpy as np
import pytest
from dist_cases import (
    CASES,
    DISCRETE,
    FAMILIES_WITH_STATISTICS,
    Case,
    constants,
    draw,
    evaluation_points,
    mixture_arrays,
    reference_logpdf,
    scipy_reference,
)
from scipy import stats

import gaussfit.engine as tf

STATISTICS_CASES = [case for case in CASES if case.family in FAMILIES_WITH_STATISTICS]


def _finite_difference_gradient(case: Case, x: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    """Central differences of the reference's (weighted) log-likelihood, one parameter at a
    time, with a step relative to the parameter's size."""
    weights = np.ones_like(x) if w is None else w

    def log_likelihood(params: dict[str, float]) -> float:
        return float(np.sum(weights * reference_logpdf(case, x, params)))

    gradient = []
    for name in case.estimated:
        value = case.params[name]
        step = 1e-6 * max(abs(value), 1e-2)
        up = log_likelihood({**case.params, name: value + step})
        down = log_likelihood({**case.params, name: value - step})
        gradient.append((up - down) / (2.0 * step))
    return np.array(gradient)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_log_prob_matches_scipy(case: Case) -> None:
    x = evaluation_points(case)
    t_x = tf.placeholder(tf.float64, name="x")
    log_prob = case.make().log_prob(t_x, constants(case.params))
    with tf.Session() as session:
        got = session.run(log_prob, feed_dict={t_x: x})
    np.testing.assert_allclose(got, reference_logpdf(case, x), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_gradient_matches_finite_differences(case: Case) -> None:
    x = draw(case, 60, seed=2)
    params = constants(case.params)
    t_x = tf.placeholder(tf.float64, name="x")
    total = tf.reduce_sum(case.make().log_prob(t_x, params))
    gradient = tf.gradients(total, [params[name] for name in case.estimated])
    with tf.Session() as session:
        got = np.array(session.run(gradient, feed_dict={t_x: x}))
    expected = _finite_difference_gradient(case, x, None)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6 * np.max(np.abs(expected)))


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", STATISTICS_CASES, ids=lambda c: c.id)
def test_log_likelihood_from_statistics(case: Case, weighted: bool) -> None:
    family = case.make()
    x = draw(case, 500, seed=3)
    w = np.random.default_rng(4).uniform(0.2, 3.0, size=x.size) if weighted else None
    statistics = constants(family.statistics(x, w))
    params = constants(case.params)
    total = family.log_likelihood_from_statistics(statistics, params)
    gradient = tf.gradients(total, [params[name] for name in case.estimated])
    with tf.Session() as session:
        got, got_gradient = session.run([total, gradient])
    weights = np.ones_like(x) if w is None else w
    expected = np.sum(weights * reference_logpdf(case, x))
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    expected_gradient = _finite_difference_gradient(case, x, w)
    np.testing.assert_allclose(
        got_gradient, expected_gradient, rtol=1e-6, atol=1e-6 * np.max(np.abs(expected_gradient))
    )


def test_statistics_keep_digits_of_offset_data() -> None:
    # Lognormal data whose logs sit near 700 with spread 1e-6: a one-pass sum of squares would
    # lose the variance entirely (it is 1e-18 of the squared mean); two passes keep it.
    x = np.exp(700.0 + 1e-6 * np.random.default_rng(5).standard_normal(1000))
    statistics = Case("lognormal", {}).make().statistics(x, None)
    assert statistics["var_log"] == pytest.approx(np.var(np.log(x)), rel=1e-6)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_numpy_log_pdf_and_cdf_match_the_reference(case: Case) -> None:
    family = case.make()
    x = evaluation_points(case)
    np.testing.assert_allclose(
        family.log_pdf_numpy(x, case.params), reference_logpdf(case, x), rtol=1e-12, atol=1e-14
    )
    if case.family == "normal_mixture":
        w, mu, sigma = mixture_arrays(case.params, case.options["k"])
        expected = sum(wj * stats.norm.cdf(x, m, s) for wj, m, s in zip(w, mu, sigma, strict=True))
    else:
        expected = scipy_reference(case).cdf(x)
    np.testing.assert_allclose(family.cdf(x, case.params), expected, rtol=1e-12, atol=1e-300)
    assert family.discrete == (case.family in DISCRETE)
