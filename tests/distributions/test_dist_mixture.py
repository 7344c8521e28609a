"""Two-component mixtures of any families of one support (``gamma+gamma``, ``poisson+poisson``).

References: densities written out by hand in numpy (never the components' graphs), scipy's CDFs,
R's mixtools (``data/mixtools_gamma_mixture.json``), scipy.optimize on the same log-likelihood
from many starts, the Poisson mixture's textbook EM run to its fixed point, and finite
differences for the derivatives.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from dist_cases import constants
from scipy import optimize, special, stats

import gaussfit
import gaussfit.engine as tf
from gaussfit.data.observations import Observations
from gaussfit.distributions import Mixture, get_family
from gaussfit.distributions.gamma import Gamma
from gaussfit.errors import ConfigError

MIXTOOLS = json.loads((Path(__file__).parent / "data" / "mixtools_gamma_mixture.json").read_text())
GAMMAS = {"w": 0.3, "shape1": 2.0, "scale1": 1.0, "shape2": 9.0, "scale2": 2.0}
LOGNORMAL_GAMMA = {"w": 0.6, "mu1": 0.0, "sigma1": 0.3, "shape2": 20.0, "scale2": 0.5}
POISSONS = {"w": 0.7, "rate1": 2.0, "rate2": 12.0}


def _log_gamma_density(x, shape, scale):
    return (shape - 1) * np.log(x) - x / scale - math.lgamma(shape) - shape * math.log(scale)


def _log_lognormal_density(x, mu, sigma):
    z = (np.log(x) - mu) / sigma
    return -0.5 * z * z - np.log(x) - math.log(sigma) - 0.5 * math.log(2 * math.pi)


def _log_poisson_mass(x, rate):
    return x * math.log(rate) - rate - special.gammaln(x + 1)


def _by_hand(name: str, x: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """log(w f1 + (1 - w) f2) with each density written out."""
    if name == "gamma+gamma":
        a = _log_gamma_density(x, p["shape1"], p["scale1"])
        b = _log_gamma_density(x, p["shape2"], p["scale2"])
    elif name == "lognormal+gamma":
        a = _log_lognormal_density(x, p["mu1"], p["sigma1"])
        b = _log_gamma_density(x, p["shape2"], p["scale2"])
    else:
        a, b = _log_poisson_mass(x, p["rate1"]), _log_poisson_mass(x, p["rate2"])
    return np.logaddexp(math.log(p["w"]) + a, math.log1p(-p["w"]) + b)


def _tails(name: str, x: np.ndarray, p: dict[str, float], side: str) -> np.ndarray:
    """log(w F1 + (1 - w) F2) (or the survival functions) from scipy's log-CDFs."""

    def one(dist):
        return dist.logcdf(x) if side == "cdf" else dist.logsf(x)

    if name == "gamma+gamma":
        a = one(stats.gamma(p["shape1"], scale=p["scale1"]))
        b = one(stats.gamma(p["shape2"], scale=p["scale2"]))
    elif name == "lognormal+gamma":
        a = one(stats.lognorm(p["sigma1"], scale=math.exp(p["mu1"])))
        b = one(stats.gamma(p["shape2"], scale=p["scale2"]))
    else:
        a, b = one(stats.poisson(p["rate1"])), one(stats.poisson(p["rate2"]))
    return np.logaddexp(math.log(p["w"]) + a, math.log1p(-p["w"]) + b)


CASES = [
    ("gamma+gamma", GAMMAS),
    ("lognormal+gamma", LOGNORMAL_GAMMA),
    ("poisson+poisson", POISSONS),
]
GRIDS = {
    "gamma+gamma": np.array([1e-8, 1e-3, 0.5, 2.0, 10.0, 40.0, 150.0]),
    "lognormal+gamma": np.array([1e-2, 0.3, 1.0, 5.0, 10.0, 30.0, 60.0]),
    "poisson+poisson": np.array([0.0, 1.0, 3.0, 7.0, 12.0, 30.0, 80.0]),
}


def _graph(name: str, method: str, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
    family = get_family(name)
    with tf.Session() as session:
        return session.run(getattr(family, method)(tf.constant(x), constants(params)))


# -- spelling and parameters -----------------------------------------------------------------
def test_a_plus_spells_a_mixture_and_names_its_parameters() -> None:
    family = get_family(" Gamma + gamma ")
    assert family.name == "gamma+gamma"
    assert family.parameter_names == ["w", "shape1", "scale1", "shape2", "scale2"]
    assert family.free_names() == ["logit_w", "log_shape1", "log_scale1", "log_shape2",
                                   "log_scale2"]  # fmt: skip
    assert Mixture(Gamma(), "gamma").parameter_names == family.parameter_names
    assert get_family("lognormal+gamma").parameter_names[:3] == ["w", "mu1", "sigma1"]
    assert get_family("poisson+poisson").discrete


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("gamma+poisson", "supports differ"),
        ("normal+gamma", "supports differ"),
        ("gamma+", "two families joined by +"),
        ("gamma+gamma+gamma", "two families joined by +"),
        ("normal_mixture+normal", "single families"),
        ("gama+gamma", "did you mean gamma"),
    ],
)
def test_bad_mixtures_are_clear_errors(name: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        get_family(name)


def test_a_mixture_takes_no_options() -> None:
    with pytest.raises(ConfigError, match="takes no options"):
        get_family("gamma+gamma", k=3)


def test_the_support_is_the_components_with_open_ends_where_either_is_open() -> None:
    family = get_family("gamma+halfnormal")
    assert family.support.lower_open
    family.check_data(np.array([0.5, 2.0]))
    with pytest.raises(gaussfit.DataError, match="item 2"):
        family.check_data(np.array([0.5, 0.0]))


# -- the graphs ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "params"), CASES, ids=[c[0] for c in CASES])
def test_log_prob_matches_the_density_written_by_hand(name, params) -> None:
    x = GRIDS[name]
    np.testing.assert_allclose(_graph(name, "log_prob", x, params), _by_hand(name, x, params),
                               rtol=1e-12)  # fmt: skip


@pytest.mark.parametrize("side", ["cdf", "sf"])
@pytest.mark.parametrize(("name", "params"), CASES, ids=[c[0] for c in CASES])
def test_log_cdf_and_log_sf_match_scipy_into_both_tails(name, params, side) -> None:
    x = GRIDS[name]
    got = _graph(name, f"log_{side}", x, params)
    # w and 1 - w add up to 1 only to rounding, so near log 1 = 0 it is off by 1e-16.
    np.testing.assert_allclose(got, _tails(name, x, params, side), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("method", ["log_prob", "log_sf"])
def test_gradient_and_hessian_match_finite_differences(method: str) -> None:
    x = np.array([0.3, 1.5, 4.0, 12.0, 30.0])
    names = list(GAMMAS)
    params = constants(GAMMAS)
    total = tf.reduce_sum(getattr(get_family("gamma+gamma"), method)(tf.constant(x), params))
    gradient = tf.gradients(total, [params[n] for n in names])
    hessian = [tf.gradients(g, [params[n] for n in names]) for g in gradient]
    with tf.Session() as session:
        got_gradient, got_hessian = session.run((gradient, hessian))

    def reference(shifts: dict[str, float]) -> float:
        p = {n: GAMMAS[n] + shifts.get(n, 0.0) for n in names}
        if method == "log_prob":
            return float(np.sum(_by_hand("gamma+gamma", x, p)))
        return float(np.sum(_tails("gamma+gamma", x, p, "sf")))

    step = {n: 1e-4 * GAMMAS[n] for n in names}
    for i, a in enumerate(names):
        numeric = (reference({a: step[a]}) - reference({a: -step[a]})) / (2 * step[a])
        assert got_gradient[i] == pytest.approx(numeric, rel=1e-6, abs=1e-8)
        for j, b in enumerate(names):

            def at(sa, sb, a=a, b=b):
                shifts = {a: sa * step[a]}
                shifts[b] = shifts.get(b, 0.0) + sb * step[b]
                return reference(shifts)

            numeric = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * step[a] * step[b])
            assert got_hessian[i][j] == pytest.approx(numeric, rel=1e-4, abs=1e-4)


def test_sampler_draws_each_component_in_its_share() -> None:
    family = get_family("gamma+gamma")
    x = family.sample(GAMMAS, 200_000, np.random.default_rng(5))
    mean = GAMMAS["w"] * 2.0 + (1 - GAMMAS["w"]) * 18.0
    assert np.mean(x) == pytest.approx(mean, rel=5e-3)
    assert np.mean(x < 6.0) == pytest.approx(
        GAMMAS["w"] * stats.gamma.cdf(6.0, 2.0)
        + (1 - GAMMAS["w"]) * stats.gamma.cdf(6.0, 9.0, scale=2.0),
        abs=5e-3,
    )


# -- maximum likelihood -------------------------------------------------------------------------
def _scipy_mle(name: str, x: np.ndarray, truth: dict[str, float], right=None) -> dict[str, float]:
    """scipy.optimize (L-BFGS-B, numerical gradients, then Nelder-Mead polish) on the
    log-likelihood written by hand, from the truth and 3 jittered starts; the best is polished.
    ``right`` are right-censored values (their log-survival functions join the sum)."""
    names = list(truth)

    def unpack(v):
        return {n: (special.expit(t) if n == "w" else (t if n.startswith("mu") else math.exp(t)))
                for n, t in zip(names, v, strict=True)}  # fmt: skip

    def negative(v):
        p = unpack(v)
        total = np.sum(_by_hand(name, x, p))
        if right is not None:
            total += np.sum(_tails(name, right, p, "sf"))
        return -total if np.isfinite(total) else 1e300

    def free(n: str, value: float) -> float:
        if n == "w":
            return float(special.logit(value))
        return value if n.startswith("mu") else math.log(value)

    def pack(p):
        return np.array([free(n, p[n]) for n in names])

    rng = np.random.default_rng(0)
    best = None
    for k in range(4):
        start = pack(truth) + (0 if k == 0 else rng.normal(0, 0.3, len(names)))
        options = {"ftol": 1e-15, "gtol": 1e-9, "maxiter": 5000}
        result = optimize.minimize(negative, start, method="L-BFGS-B", options=options)
        if best is None or result.fun < best.fun:
            best = result
    best = optimize.minimize(negative, best.x, method="Nelder-Mead",
                             options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 3000})  # fmt: skip
    return unpack(best.x)


def _same_fit(got: dict[str, float], expected: dict[str, float], rel: float = 1e-4) -> None:
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=rel), name


@pytest.mark.slow
def test_gamma_mixture_matches_mixtools_and_scipy() -> None:
    x = np.array(MIXTOOLS["x"])
    result = gaussfit.fit(x, "gamma+gamma")
    assert result.converged and result.flags == []
    # mixtools' EM stops at a log-likelihood change of 1e-12: its estimates to about 6e-5.
    r = {"w": MIXTOOLS["lambda"][0], "shape1": MIXTOOLS["alpha"][0], "scale1": MIXTOOLS["beta"][0],
         "shape2": MIXTOOLS["alpha"][1], "scale2": MIXTOOLS["beta"][1]}  # fmt: skip
    assert result.loglik >= MIXTOOLS["loglik"] - 1e-6 * abs(MIXTOOLS["loglik"])
    _same_fit(result.params, r)
    reference = _scipy_mle("gamma+gamma", x, r)
    loglik = float(np.sum(_by_hand("gamma+gamma", x, reference)))
    assert result.loglik >= loglik - 1e-6 * abs(loglik)
    _same_fit(result.params, reference, rel=1e-5)


@pytest.mark.slow
def test_lognormal_gamma_mixture_matches_scipy() -> None:
    rng = np.random.default_rng(21)
    x = np.concatenate([rng.lognormal(0.0, 0.3, 600), rng.gamma(20.0, 0.5, 400)])
    result = gaussfit.fit(x, "lognormal+gamma")
    reference = _scipy_mle("lognormal+gamma", x, LOGNORMAL_GAMMA)
    loglik = float(np.sum(_by_hand("lognormal+gamma", x, reference)))
    assert result.converged
    assert result.loglik >= loglik - 1e-6 * abs(loglik)
    _same_fit(result.params, reference)


def _poisson_em(x: np.ndarray, w: float, r1: float, r2: float) -> dict[str, float]:
    """Textbook EM for two Poisson components (its M-step is exact: weighted means), run
    until the estimates stop moving."""
    for _ in range(100_000):
        a = math.log(w) + _log_poisson_mass(x, r1)
        b = math.log1p(-w) + _log_poisson_mass(x, r2)
        resp = np.exp(a - np.logaddexp(a, b))
        new = (np.mean(resp), np.sum(resp * x) / np.sum(resp),
               np.sum((1 - resp) * x) / np.sum(1 - resp))  # fmt: skip
        moved = max(abs(new[0] - w), abs(new[1] - r1), abs(new[2] - r2))
        w, r1, r2 = new
        if moved < 1e-14:
            break
    return {"w": w, "rate1": r1, "rate2": r2}


def test_poisson_mixture_reaches_the_em_fixed_point() -> None:
    rng = np.random.default_rng(22)
    x = np.concatenate([rng.poisson(2.0, 700), rng.poisson(12.0, 300)]).astype(np.float64)
    result = gaussfit.fit(x, "poisson+poisson")
    expected = _poisson_em(x, 0.5, 1.0, 10.0)
    loglik = float(np.sum(_by_hand("poisson+poisson", x, expected)))
    assert result.loglik >= loglik - 1e-6 * abs(loglik)
    _same_fit(result.params, expected)
    assert "chi2_statistic" in result.gof or result.gof


@pytest.mark.slow
def test_right_censored_gamma_mixture_matches_scipy() -> None:
    x = np.array(MIXTOOLS["x"])
    limit = 25.0
    exact, right = x[x <= limit], np.full(int(np.sum(x > limit)), limit)
    obs = Observations(np.concatenate([exact, right]),
                       np.concatenate([exact, np.full(right.size, np.inf)]))  # fmt: skip
    result = gaussfit.fit(obs, "gamma+gamma", references=False, gof=False)
    truth = {"w": 0.6, "shape1": 2.0, "scale1": 1.0, "shape2": 9.0, "scale2": 2.0}
    reference = _scipy_mle("gamma+gamma", exact, truth, right=right)
    loglik = float(np.sum(_by_hand("gamma+gamma", exact, reference)))
    loglik += float(np.sum(_tails("gamma+gamma", right, reference, "sf")))
    assert right.size > 20
    assert result.loglik >= loglik - 1e-6 * abs(loglik)
    _same_fit(result.params, reference)


# -- labels and degeneracy ---------------------------------------------------------------------
def test_components_of_one_family_are_ordered_by_median() -> None:
    family = get_family("gamma+gamma")
    swapped = {"w": 0.7, "shape1": 9.0, "scale1": 2.0, "shape2": 2.0, "scale2": 1.0}
    assert family.order_components(swapped) == pytest.approx(GAMMAS, rel=1e-15)
    assert family.order_components(GAMMAS) == GAMMAS
    mixed = get_family("gamma+lognormal")  # different families keep the order spelled
    params = {"w": 0.4, "shape1": 20.0, "scale1": 0.5, "mu2": 0.0, "sigma2": 0.3}
    assert mixed.order_components(params) == params


def test_fit_labels_do_not_depend_on_the_order_of_the_data() -> None:
    x = np.array(MIXTOOLS["x"])[:400]
    one = gaussfit.fit(x, "gamma+gamma", gof=False, references=False)
    two = gaussfit.fit(x[::-1].copy(), "gamma+gamma", gof=False, references=False)
    assert (
        one.params["shape1"] < one.params["shape2"] or one.params["scale1"] < one.params["scale2"]
    )
    _same_fit(two.params, one.params, rel=1e-6)


def test_a_collapsed_or_duplicated_component_is_flagged() -> None:
    family = get_family("gamma+gamma")
    collapsed = family.degeneracy_flags({**GAMMAS, "w": 2e-4}, {})
    assert collapsed == [
        "component 1 has weight 0.0002: it has collapsed, the data need only one component"
    ]
    same = {"w": 0.5, "shape1": 2.0, "scale1": 1.0, "shape2": 2.0000001, "scale2": 1.0}
    assert family.degeneracy_flags(same, {}) == [
        "components 1 and 2 coincide: the data need only one component"
    ]
    assert family.degeneracy_flags(GAMMAS, {}) == []


@pytest.mark.slow
def test_one_gamma_fitted_as_two_is_not_identifiable() -> None:
    x = np.random.default_rng(23).gamma(3.0, 2.0, 500)
    result = gaussfit.fit(x, "gamma+gamma", gof=False, references=False)
    assert result.identifiable is not True
