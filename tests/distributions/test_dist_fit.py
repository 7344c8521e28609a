"""Closed forms, scipy's fits, and a plain L-BFGS run from each family's ``initial`` on its
engine graph, compared with independent maximum-likelihood references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dist_cases import (
    FIRST_CASES,
    KUMARASWAMY,
    ZINB,
    Case,
    draw,
    mixture_arrays,
    reference_logpdf,
)
from scipy import optimize, special, stats

import gaussfit.engine as tf
from gaussfit.distributions import get_family


def _named(names: list[str | None], values: tuple[float, ...]) -> dict[str, float]:
    """scipy's fitted tuple as our parameters; None marks a value held fixed (loc, scale)."""
    return {name: float(v) for name, v in zip(names, values, strict=True) if name is not None}


def _lognorm_fit(x: np.ndarray) -> dict[str, float]:
    s, _, scale = stats.lognorm.fit(x, floc=0)
    return {"mu": math.log(scale), "sigma": s}


def _invgauss_fit(x: np.ndarray) -> dict[str, float]:
    mu, _, scale = stats.invgauss.fit(x, floc=0)
    return {"mu": mu * scale, "lam": scale}  # scipy's mu is mean / lambda, its scale lambda


def _geometric_mle(x: np.ndarray) -> dict[str, float]:
    # scipy's geom has no fit; maximise its log-mass (failures: loc -1) over p directly.
    best = optimize.minimize_scalar(
        lambda p: -float(np.sum(stats.geom.logpmf(x, p, loc=-1))),
        bounds=(1e-6, 1.0 - 1e-6),
        method="bounded",
        options={"xatol": 1e-13},
    )
    return {"p": best.x}


def _bounded_mle(logpmf, x: np.ndarray, name: str) -> dict[str, float]:
    """A probability parameter maximising the sum of scipy's ``logpmf(x, value)``."""
    best = optimize.minimize_scalar(
        lambda v: -float(np.sum(logpmf(x, v))),
        bounds=(1e-9, 1.0 - 1e-9),
        method="bounded",
        options={"xatol": 1e-13},
    )
    return {name: best.x}


def _binomial_mle(x: np.ndarray) -> dict[str, float]:
    return {"n": 20.0, **_bounded_mle(lambda k, p: stats.binom.logpmf(k, 20, p), x, "p")}


def _binomial_scipy_fit(x: np.ndarray) -> dict[str, float]:
    # scipy's generic fitter, with n held by equal bounds.
    fitted = stats.fit(stats.binom, x, bounds={"n": (20, 20), "p": (0.0, 1.0)})
    return {"n": 20.0, "p": float(fitted.params.p)}


def _logser_mle(x: np.ndarray) -> dict[str, float]:
    return _bounded_mle(stats.logser.logpmf, x, "p")


def _gev_fit(x: np.ndarray) -> dict[str, float]:
    c, loc, scale = stats.genextreme.fit(x)
    return {"loc": loc, "scale": scale, "xi": -c}  # scipy's c is -xi


_SCIPY_FIT = {
    "normal": lambda x: _named(["mu", "sigma"], stats.norm.fit(x)),
    "lognormal": _lognorm_fit,
    "exponential": lambda x: {"rate": 1.0 / stats.expon.fit(x, floc=0)[1]},
    "gamma": lambda x: _named(["shape", None, "scale"], stats.gamma.fit(x, floc=0)),
    "weibull": lambda x: _named(["shape", None, "scale"], stats.weibull_min.fit(x, floc=0)),
    "student_t": lambda x: _named(["df", "loc", "scale"], stats.t.fit(x)),
    "laplace": lambda x: _named(["loc", "scale"], stats.laplace.fit(x)),
    "logistic": lambda x: _named(["loc", "scale"], stats.logistic.fit(x)),
    "cauchy": lambda x: _named(["loc", "scale"], stats.cauchy.fit(x)),
    "gumbel": lambda x: _named(["loc", "scale"], stats.gumbel_r.fit(x)),
    "beta": lambda x: _named(["alpha", "beta", None, None], stats.beta.fit(x, floc=0, fscale=1)),
    "poisson": lambda x: {"rate": np.mean(x)},
    "gev": lambda x: _gev_fit(x),
    "genpareto": lambda x: _named(["xi", None, "scale"], stats.genpareto.fit(x, floc=0)),
    "lomax": lambda x: _named(["shape", None, "scale"], stats.lomax.fit(x, floc=0)),
    "frechet": lambda x: _named(["shape", None, "scale"], stats.invweibull.fit(x, floc=0)),
    "burr12": lambda x: _named(["c", "d", None, "scale"], stats.burr12.fit(x, floc=0)),
    "loglogistic": lambda x: _named(["shape", None, "scale"], stats.fisk.fit(x, floc=0)),
    "rayleigh": lambda x: _named([None, "scale"], stats.rayleigh.fit(x, floc=0)),
    "gumbel_min": lambda x: _named(["loc", "scale"], stats.gumbel_l.fit(x)),
    "halfnormal": lambda x: _named([None, "scale"], stats.halfnorm.fit(x, floc=0)),
    "maxwell": lambda x: _named([None, "scale"], stats.maxwell.fit(x, floc=0)),
    "chi2": lambda x: _named(["df", None, None], stats.chi2.fit(x, floc=0, fscale=1)),
    "invgamma": lambda x: _named(["shape", None, "scale"], stats.invgamma.fit(x, floc=0)),
    "nakagami": lambda x: _named(["nu", None, "scale"], stats.nakagami.fit(x, floc=0)),
    "invgauss": lambda x: _invgauss_fit(x),
    "geometric": lambda x: _geometric_mle(x),
    "skewnormal": lambda x: _named(["a", "loc", "scale"], stats.skewnorm.fit(x)),
    "loggamma": lambda x: _named(["c", "loc", "scale"], stats.loggamma.fit(x)),
    "binomial": _binomial_scipy_fit,
    "logser": _logser_mle,
}
CLOSED_FORM = ["normal", "lognormal", "exponential", "laplace", "poisson", "rayleigh"]
CLOSED_FORM += ["halfnormal", "maxwell", "invgauss", "geometric"]
CLOSED_FORM += ["binomial", "logser", "zip"]
# Families whose scipy_fit maximises scipy's logpmf itself (scipy has no fit of its own, or one
# too slow to run on every fit): compared by likelihood below, not digit for digit.
SEARCHED = {"binomial", "logser", "betabinom"}


def _scale_mle(dist, x: np.ndarray) -> dict[str, float]:
    """The scale MLE of a one-parameter scale family by a bounded search on scipy's log-density
    (scipy's own maxwell.fit stops 1e-5 short); a search on a flat maximum locates it to about
    the square root of the rounding, 1e-8 relative, so it is compared to 1e-7."""
    centre = math.log(np.sqrt(np.mean(x * x)))

    def negative(log_scale: float) -> float:
        return -float(np.sum(dist.logpdf(x, scale=math.exp(log_scale))))

    best = optimize.minimize_scalar(
        negative, bounds=(centre - 3.0, centre + 3.0), method="bounded", options={"xatol": 1e-13}
    )
    return {"scale": math.exp(best.x)}


_EXACT_MLE = {"maxwell": lambda x: _scale_mle(stats.maxwell, x), "geometric": _geometric_mle}
_EXACT_MLE.update({"binomial": _binomial_mle, "logser": _logser_mle})
_EXACT_MLE["zip"] = lambda x: _zip_mle(x)


def _case(family: str) -> Case:
    return next(case for case in FIRST_CASES if case.family == family)


# -- closed forms and scipy_fit ---------------------------------------------------------------
@pytest.mark.parametrize("family", CLOSED_FORM)
def test_closed_form_equals_scipy_fit(family: str) -> None:
    x = draw(_case(family), 1001, seed=10)
    got = _case(family).make().closed_form(x, None)
    expected = (_EXACT_MLE[family] if family in _EXACT_MLE else _SCIPY_FIT[family])(x)
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=1e-8 if family not in _EXACT_MLE else 1e-7)


@pytest.mark.parametrize("family", CLOSED_FORM)
def test_weighted_closed_form_equals_repeated_data(family: str) -> None:
    # Integer weights mean repeated observations, so the weighted MLE is the MLE of the data
    # written out with repeats. (Total weight is odd, so the median is unique.)
    x = draw(_case(family), 200, seed=11)
    w = np.random.default_rng(12).integers(1, 5, size=x.size).astype(np.float64)
    w[0] += 1.0 - np.sum(w) % 2
    got = _case(family).make().closed_form(x, w)
    expected = (_EXACT_MLE[family] if family in _EXACT_MLE else _SCIPY_FIT[family])(
        np.repeat(x, w.astype(int))
    )
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=1e-10 if family not in _EXACT_MLE else 1e-7)


@pytest.mark.parametrize(
    "family", [f for f in _SCIPY_FIT if f not in {"student_t", "geometric"} | SEARCHED]
)
def test_scipy_fit_is_scipys_mle_in_our_parameters(family: str) -> None:
    x = draw(_case(family), 500, seed=13)
    got = get_family(family).scipy_fit(x)
    for name, value in _SCIPY_FIT[family](x).items():
        assert got[name] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("family", sorted(SEARCHED))
def test_searched_scipy_fit_reaches_scipys_likelihood(family: str) -> None:
    case = _case(family)
    x = draw(case, 800, seed=13)
    got = case.make().scipy_fit(x)
    expected = _reference_mle(case, x)
    got_loglik = np.sum(reference_logpdf(case, x, got))
    assert got_loglik >= np.sum(reference_logpdf(case, x, expected)) - 1e-9 * abs(got_loglik)
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=1e-4)


@pytest.mark.parametrize(
    "family", ["negative_binomial", "normal_mixture", "kumaraswamy", "geometric", "zip", "zinb"]
)
def test_no_scipy_fit_where_scipy_has_none(family: str) -> None:
    assert get_family(family).scipy_fit(np.array([1.0, 2.0, 3.0])) is None


@pytest.mark.parametrize("family", [c.family for c in FIRST_CASES if c.family not in CLOSED_FORM])
def test_no_closed_form_where_none_exists(family: str) -> None:
    assert get_family(family).closed_form(np.array([0.2, 0.4, 0.5]), None) is None


# -- fitting from the starting point ------------------------------------------------------------
def _fit_from_initial(case: Case, x: np.ndarray) -> dict[str, float]:
    """L-BFGS on the mean negative log-likelihood in the free coordinates, started at
    ``initial``, with the gradient from the engine: what the fitting layer does, untuned."""
    family = case.make()
    names = [name for name in family.free_names() if name not in case.options]
    t_x = tf.placeholder(tf.float64, name="x")
    free = {name: tf.placeholder(tf.float64, name=name) for name in names}
    free.update(
        {
            name: tf.constant(float(value), dtype=tf.float64)
            for name, value in case.options.items()
            if name in family.parameter_names
        }
    )
    params = family.to_constrained(free)
    loss = -tf.reduce_mean(family.log_prob(t_x, params))
    gradient = tf.gradients(loss, [free[name] for name in names])
    session = tf.Session()

    def loss_and_gradient(v: np.ndarray) -> tuple[float, np.ndarray]:
        feed = {t_x: x, **{free[name]: value for name, value in zip(names, v, strict=True)}}
        value, g = session.run([loss, gradient], feed_dict=feed)
        if not np.isfinite(value):
            # A step past the end of a support that moves with the parameters (GEV, GPD):
            # a high finite loss makes the line search step back instead of giving up.
            return 1e10, np.zeros(len(names))
        return float(value), np.array(g)

    start = family.to_unconstrained(family.initial(x, None))
    result = optimize.minimize(
        loss_and_gradient,
        np.array([start[name] for name in names]),
        jac=True,
        method="L-BFGS-B",
        options={"gtol": 1e-10, "ftol": 0.0, "maxiter": 1000},
    )
    assert np.max(np.abs(result.jac)) < 1e-6, result.message
    feed = {free[name]: value for name, value in zip(names, result.x, strict=True)}
    fitted = session.run(params, feed_dict=feed)
    return {name: float(value) for name, value in fitted.items()}


def _nbinom_mle(x: np.ndarray) -> dict[str, float]:
    # For fixed n the MLE of p is n / (n + mean); maximise the profile over log n.
    mean = np.mean(x)

    def negative_profile(log_n: float) -> float:
        n = math.exp(log_n)
        return -float(np.sum(stats.nbinom.logpmf(x, n, n / (n + mean))))

    log_n = optimize.minimize_scalar(
        negative_profile, bounds=(-5.0, 10.0), method="bounded", options={"xatol": 1e-10}
    ).x
    n = math.exp(log_n)
    return {"n": n, "p": n / (n + mean)}


def _kumaraswamy_mle(x: np.ndarray) -> dict[str, float]:
    # For fixed a the MLE of b is n / -sum log(1 - x^a) (Jones 2009); maximise the profile over
    # log a, on the reference density.
    def b_of(a: float) -> float:
        return -1.0 / np.mean(np.log(-np.expm1(a * np.log(x))))

    def negative_profile(log_a: float) -> float:
        a = math.exp(log_a)
        return -float(np.sum(KUMARASWAMY.logpdf(x, a, b_of(a))))

    log_a = optimize.minimize_scalar(
        negative_profile, bounds=(-5.0, 5.0), method="bounded", options={"xatol": 1e-10}
    ).x
    a = math.exp(log_a)
    return {"a": a, "b": b_of(a)}


def _mixture_em(case: Case, x: np.ndarray) -> dict[str, float]:
    """Textbook EM for a normal mixture, started at the true parameters, run to a fixed
    point."""
    k = case.options["k"]
    w, mu, sigma = mixture_arrays(case.params, k)
    for _ in range(5000):
        log_r = np.log(w) + stats.norm.logpdf(x[:, None], mu, sigma)
        r = np.exp(log_r - log_r.max(axis=1, keepdims=True))
        r /= r.sum(axis=1, keepdims=True)
        nk = r.sum(axis=0)
        new_mu = (r * x[:, None]).sum(axis=0) / nk
        sigma = np.sqrt((r * (x[:, None] - new_mu) ** 2).sum(axis=0) / nk)
        w = nk / x.size
        settled = np.max(np.abs(new_mu - mu)) < 1e-13
        mu = new_mu
        if settled:
            break
    params = {f"w{j + 1}": w[j] for j in range(k)}
    params.update({f"mu{j + 1}": mu[j] for j in range(k)})
    params.update({f"sigma{j + 1}": sigma[j] for j in range(k)})
    return params


def _zip_mle(x: np.ndarray) -> dict[str, float]:
    """The zero-inflated Poisson's score equations (Lambert 1992): the rate is the
    zero-truncated Poisson MLE of the positive counts, rate / (1 - e^-rate) = their mean, and
    pi makes the fitted P(0) the observed share of zeros."""
    positive = x[x > 0]
    mean = np.mean(positive)
    rate = optimize.brentq(lambda r: r / -math.expm1(-r) - mean, 1e-9, 2 * mean, xtol=1e-15)
    zeros = np.mean(x == 0)
    return {"pi": (zeros - math.exp(-rate)) / -math.expm1(-rate), "rate": rate}


def _zinb_mle(x: np.ndarray) -> dict[str, float]:
    """Nelder-Mead, then BFGS, on the hand-written zero-inflated negative binomial's
    log-likelihood (tests/distributions/dist_cases.py) in logit pi, log n, logit p, from the
    case's parameters."""

    def unpack(t):
        return special.expit(t[0]), math.exp(t[1]), special.expit(t[2])

    def negative(t):
        return -float(np.sum(ZINB.logpmf(x, *unpack(t))))

    start = np.array([special.logit(0.25), math.log(2.0), special.logit(0.3)])
    simplex = optimize.minimize(
        negative,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-13 * abs(negative(start)), "maxiter": 20000},
    )
    polished = optimize.minimize(negative, simplex.x, method="BFGS", options={"gtol": 1e-9})
    best = polished.x if polished.fun <= simplex.fun else simplex.x
    return dict(zip(["pi", "n", "p"], unpack(best), strict=True))


def _betabinom_fit(x: np.ndarray) -> dict[str, float]:
    """Nelder-Mead on scipy's betabinom logpmf over log a, log b (n = 30 held), summed over the
    distinct counts, from the textbook moment estimates (stats.fit's global search takes
    minutes on 2,000 counts)."""
    values, times = np.unique(x, return_counts=True)
    mean, var = np.mean(x), np.var(x)
    mu = mean / 30
    rho = (var / (30 * mu * (1 - mu)) - 1) / 29

    def negative(t):
        a, b = math.exp(t[0]), math.exp(t[1])
        return -float(np.sum(times * stats.betabinom.logpmf(values, 30, a, b)))

    start = np.log([mu * (1 / rho - 1), (1 - mu) * (1 / rho - 1)])
    best = optimize.minimize(
        negative,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-11, "fatol": 1e-13 * abs(negative(start)), "maxiter": 20000},
    )
    return {"n": 30.0, "a": math.exp(best.x[0]), "b": math.exp(best.x[1])}


def _reference_mle(case: Case, x: np.ndarray) -> dict[str, float]:
    if case.family == "zip":
        return _zip_mle(x)
    if case.family == "zinb":
        return _zinb_mle(x)
    if case.family == "betabinom":
        return _betabinom_fit(x)
    if case.family in _EXACT_MLE and case.family in SEARCHED:
        return _EXACT_MLE[case.family](x)
    if case.family == "negative_binomial":
        return _nbinom_mle(x)
    if case.family == "normal_mixture":
        return _mixture_em(case, x)
    if case.family == "kumaraswamy":
        return _kumaraswamy_mle(x)
    return _SCIPY_FIT[case.family](x)


@pytest.mark.parametrize("case", FIRST_CASES, ids=lambda c: c.family)
def test_lbfgs_from_initial_reaches_the_mle(case: Case) -> None:
    x = draw(case, 2000, seed=14)
    got = _fit_from_initial(case, x)
    expected = _reference_mle(case, x)
    if case.family == "normal_mixture":
        got = case.make().order_components(got)
    # Never worse than the reference, and at the same point (up to where scipy's own optimisers
    # stop: about 1e-5 relative for t, cauchy and weibull_min).
    log_likelihood = np.sum(reference_logpdf(case, x, got))
    assert log_likelihood >= np.sum(reference_logpdf(case, x, expected)) - 1e-9 * x.size
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, rel=1e-4, abs=1e-6)
