"""Models kept between fits: no state leaks from one fit into the next, and no two different
graphs share a key. Each fit is checked against a closed form or scipy, not against an earlier
fit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

import gaussfit
from gaussfit.data.observations import Observations
from gaussfit.distributions import get_family
from gaussfit.fitting import model_pool
from gaussfit.fitting.batched import batched_likelihood

CHI2 = stats.chi2.ppf(0.95, 1)


@pytest.fixture(autouse=True)
def _fresh_pool():
    old = model_pool.set_enabled(True)
    model_pool.clear()
    yield
    model_pool.clear()
    model_pool.set_enabled(old)


def _mu_profile(x: np.ndarray) -> tuple[float, float]:
    # with sigma profiled out, 2 (l_hat - l_p(mu)) = n log(1 + (mean - mu)^2 / s^2)
    n, mean, s2 = len(x), float(np.mean(x)), float(np.var(x))

    def deviance(m: float) -> float:
        return n * math.log1p((mean - m) ** 2 / s2) - CHI2

    return (
        optimize.brentq(deviance, mean - 50, mean, xtol=1e-14),
        optimize.brentq(deviance, mean, mean + 50, xtol=1e-14),
    )


def test_fits_in_a_row_on_different_data_each_match_their_own_closed_form():
    rng = np.random.default_rng(3)
    samples = [rng.normal(1.0, 2.0, 30), rng.normal(-4.0, 0.5, 30), rng.normal(9.0, 7.0, 45)]
    for x in samples:
        result = gaussfit.fit(x, "normal", ci="profile", references=False, gof=False)
        assert result.params["mu"] == pytest.approx(np.mean(x), rel=1e-9, abs=1e-12)
        assert result.params["sigma"] == pytest.approx(np.std(x), rel=1e-8)
        assert result.profile_ci95["mu"] == pytest.approx(_mu_profile(x), rel=1e-9)
    assert model_pool.pooled_count() > 0  # the later fits were lent the first fit's models


def test_gamma_fits_in_a_row_match_scipy_on_each_sample():
    rng = np.random.default_rng(4)
    for shape, scale in [(0.7, 3.0), (5.0, 0.2), (2.0, 1.0)]:
        x = rng.gamma(shape, scale, 40)
        result = gaussfit.fit(x, "gamma", references=False, gof=False)
        a, _, s = stats.gamma.fit(x, floc=0)
        assert result.params["shape"] == pytest.approx(a, rel=1e-5)
        assert result.params["scale"] == pytest.approx(s, rel=1e-5)


def test_held_values_are_part_of_the_key():
    # the closed form with mu held: sigma = sqrt(mean((x - mu)^2))
    x = np.random.default_rng(5).normal(0.5, 1.0, 30)
    for mu in (0.0, 1.0, 0.0, -0.0, 2.5):
        result = gaussfit.fit(x, "normal", fixed={"mu": mu}, references=False, gof=False)
        assert result.params["mu"] == mu
        expected = math.sqrt(np.mean((x - mu) ** 2))
        assert result.params["sigma"] == pytest.approx(expected, rel=1e-8)
    free = gaussfit.fit(x, "normal", references=False, gof=False)
    assert free.params["mu"] == pytest.approx(np.mean(x), rel=1e-9)


def test_a_censored_fit_between_exact_fits_changes_neither():
    rng = np.random.default_rng(6)
    x = rng.exponential(2.0, 30)
    first = gaussfit.fit(x, "exponential", references=False, gof=False)
    t = rng.exponential(2.0, 40)
    event = t < 2.5
    t = np.minimum(t, 2.5)
    censored = gaussfit.fit(
        Observations(t, np.where(event, t, np.inf)), "exponential", references=False, gof=False
    )
    again = gaussfit.fit(x, "exponential", references=False, gof=False)
    # right-censored exponential: rate = events / total time
    assert censored.params["rate"] == pytest.approx(np.sum(event) / np.sum(t), rel=1e-8)
    for result in (first, again):
        assert result.params["rate"] == pytest.approx(1 / np.mean(x), rel=1e-8)


def test_the_same_family_object_fitted_twice_starts_afresh():
    family = get_family("weibull")
    rng = np.random.default_rng(7)
    for x in (rng.weibull(1.5, 30) * 2.0, rng.weibull(4.0, 30) * 0.3):
        result = gaussfit.fit(x, family, references=False, gof=False)
        c, _, scale = stats.weibull_min.fit(x, floc=0)
        assert result.params["shape"] == pytest.approx(c, rel=1e-4)
        assert result.params["scale"] == pytest.approx(scale, rel=1e-4)


def test_a_model_is_lent_to_one_user_at_a_time_and_kept_for_the_next():
    family = get_family("gamma")
    with (
        batched_likelihood(family, None, 30) as first,
        batched_likelihood(family, None, 30) as second,
    ):
        assert first is not second
    with batched_likelihood(get_family("gamma"), None, 30) as third:
        assert third in (first, second)


def test_different_graphs_never_share_a_key():
    gamma = get_family("gamma")
    keys = [
        model_pool.family_key(gamma),
        model_pool.family_key(get_family("weibull")),
        model_pool.family_key(get_family("normal_mixture", k=2)),
        model_pool.family_key(get_family("normal_mixture", k=3)),
    ]
    assert len(set(keys)) == len(keys)
    assert model_pool.family_key(get_family("gamma")) == keys[0]
    held = [{"mu": 0.0}, {"mu": -0.0}, {"mu": 1.0}, {"mu": 1.0 + 2**-52}, {"sigma": 1.0}, {}]
    assert len({model_pool.fixed_key(f) for f in held}) == len(held)
    with (
        batched_likelihood(gamma, {"shape": 2.0}, 30) as a,
        batched_likelihood(gamma, {"shape": 3.0}, 30) as b,
    ):
        assert a is not b
    with batched_likelihood(gamma, {"shape": 3.0}, 30) as c:
        assert c is b and c is not a


class _UsersNormal(type(get_family("normal"))):  # type: ignore[misc]
    """A user's family: it may build its graph from anything, so it is never pooled."""


def test_unpoolable_families_and_large_models_build_afresh():
    assert model_pool.family_key(_UsersNormal()) is None
    assert model_pool.family_key(get_family("gamma3")) is None  # keeps its last fit
    assert model_pool.family_key(get_family("gamma+gamma")) is None
    with batched_likelihood(get_family("gamma"), None, model_pool.MAX_VALUES + 1):
        pass
    assert model_pool.pooled_count() == 0


def test_results_are_the_same_with_the_pool_switched_off():
    x = np.random.default_rng(8).gamma(2.0, 1.5, 30)
    gaussfit.fit(x[::-1], "gamma", ci="profile", references=False, gof=False)  # fills the pool
    pooled = gaussfit.fit(x, "gamma", ci="profile", references=False, gof=False)
    kept = model_pool.pooled_count()
    with model_pool.disabled():
        fresh = gaussfit.fit(x, "gamma", ci="profile", references=False, gof=False)
    assert model_pool.pooled_count() == kept  # nothing was lent or kept while off
    assert pooled.params == pytest.approx(fresh.params, rel=1e-12)
    for name in ("shape", "scale"):
        assert pooled.profile_ci95[name] == pytest.approx(fresh.profile_ci95[name], rel=1e-10)
