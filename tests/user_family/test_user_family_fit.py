"""Fits of a user's own density against independent references: the built-in family and
scipy for the same law, scipy.optimize on a hand-written numpy log-likelihood, closed forms,
and finite differences for the engine's derivatives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, special, stats

import gaussfit
import gaussfit.engine as tf
from gaussfit.distributions.constraints import POSITIVE
from gaussfit.distributions.user_family import UserFamily
from gaussfit.errors import ConfigError
from gaussfit.fitting.model import LikelihoodModel

WEIBULL = "log(k) - log(lam) + (k-1)*log(x/lam) - (x/lam)**k"
# Gompertz with shape c and scale s (scipy.stats.gompertz(c, scale=s)): not a built-in family.
GOMPERTZ = "log(c) - log(s) + x/s - c*expm1(x/s)"


def scipy_mle(negative_loglik, x0: list[float]) -> optimize.OptimizeResult:  # type: ignore[no-untyped-def]
    """scipy.optimize's maximum over positive parameters: Nelder-Mead in logs, then BFGS."""
    in_logs = lambda u: negative_loglik(np.exp(u))  # noqa: E731
    rough = optimize.minimize(
        in_logs,
        np.log(x0),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    fine = optimize.minimize(in_logs, rough.x, method="BFGS", options={"gtol": 1e-9})
    fine.x = np.exp(fine.x)
    return fine


def gompertz_loglik(theta: np.ndarray, x: np.ndarray) -> float:
    c, s = theta
    z = x / s
    return float(np.sum(np.log(c) - np.log(s) + z - c * np.expm1(z)))


@pytest.fixture(scope="module")
def weibull_sample() -> np.ndarray:
    return stats.weibull_min(1.7, scale=2.5).rvs(400, random_state=np.random.default_rng(11))


@pytest.fixture(scope="module")
def gompertz_sample() -> np.ndarray:
    return stats.gompertz(0.8, scale=3.0).rvs(500, random_state=np.random.default_rng(5))


def test_weibull_expression_matches_builtin_and_scipy(weibull_sample: np.ndarray) -> None:
    x = weibull_sample
    own = gaussfit.fit(x, UserFamily(WEIBULL, "k>0,lam>0", ">0"))
    builtin = gaussfit.fit(x, "weibull")
    assert own.converged
    log_x = np.log(x)  # the exact MLE of k solves the profile score equation
    k = optimize.brentq(
        lambda k: np.sum(x**k * log_x) / np.sum(x**k) - 1 / k - np.mean(log_x), 0.5, 5, xtol=1e-14
    )
    assert own.params["k"] == pytest.approx(k, rel=1e-7)
    assert own.params["lam"] == pytest.approx(np.mean(x**k) ** (1 / k), rel=1e-7)
    assert own.params["k"] == pytest.approx(builtin.params["shape"], rel=1e-6)
    assert own.params["lam"] == pytest.approx(builtin.params["scale"], rel=1e-6)
    assert own.stderr["k"] == pytest.approx(builtin.stderr["shape"], rel=1e-6)
    assert own.stderr["lam"] == pytest.approx(builtin.stderr["scale"], rel=1e-6)
    # scipy's own density, maximised to high precision by scipy.optimize.
    best = scipy_mle(lambda t: -np.sum(stats.weibull_min.logpdf(x, t[0], scale=t[1])), [1.0, 1.0])
    assert own.params["k"] == pytest.approx(best.x[0], rel=1e-6)
    assert own.params["lam"] == pytest.approx(best.x[1], rel=1e-6)
    assert own.loglik == pytest.approx(-best.fun, rel=1e-12)
    # scipy's fitter stops early (about 1e-5); ours is at least as likely.
    c, _, scale = stats.weibull_min.fit(x, floc=0)
    assert own.params["k"] == pytest.approx(c, rel=1e-4)
    assert own.loglik >= np.sum(stats.weibull_min.logpdf(x, c, scale=scale)) - 1e-9
    # The goodness of fit from the quadrature CDF equals scipy's KS test.
    ks = stats.kstest(x, stats.weibull_min(own.params["k"], scale=own.params["lam"]).cdf)
    assert own.gof["ks_statistic"] == pytest.approx(ks.statistic, rel=1e-7)
    assert not own.warnings


def test_hand_written_density_matches_scipy_optimize(gompertz_sample: np.ndarray) -> None:
    x = gompertz_sample
    own = gaussfit.fit(x, UserFamily(GOMPERTZ, "c>0,s>0", ">0"))
    best = scipy_mle(lambda t: -gompertz_loglik(t, x), [1.0, 1.0])
    # c and s are 0.97 correlated: along that ridge the log-likelihood changes by 4e-11
    # (its rounding) over 1e-6 of c, so the estimates agree to 1e-5 and the maxima to 1e-12.
    assert own.params["c"] == pytest.approx(best.x[0], rel=1e-5)
    assert own.params["s"] == pytest.approx(best.x[1], rel=1e-5)
    assert own.loglik == pytest.approx(-best.fun, rel=1e-12)
    # Standard errors: the inverse of a finite-difference Hessian of the numpy log-likelihood.
    hessian = _fd_hessian(
        lambda t: gompertz_loglik(t, x), np.array([own.params["c"], own.params["s"]])
    )
    se = np.sqrt(np.diag(np.linalg.inv(-hessian)))
    assert own.stderr["c"] == pytest.approx(se[0], rel=1e-4)
    assert own.stderr["s"] == pytest.approx(se[1], rel=1e-4)
    ks = stats.kstest(x, stats.gompertz(own.params["c"], scale=own.params["s"]).cdf)
    assert own.gof["ks_statistic"] == pytest.approx(ks.statistic, rel=1e-7)


def _fd_hessian(f, t: np.ndarray, h: float = 1e-4) -> np.ndarray:  # type: ignore[no-untyped-def]
    k = len(t)
    out = np.zeros((k, k))
    steps = h * np.maximum(np.abs(t), 1.0)
    for i in range(k):
        for j in range(k):
            ei, ej = np.eye(k)[i] * steps[i], np.eye(k)[j] * steps[j]
            out[i, j] = (f(t + ei + ej) - f(t + ei - ej) - f(t - ei + ej) + f(t - ei - ej)) / (
                4 * steps[i] * steps[j]
            )
    return out


@pytest.mark.parametrize(
    ("logpdf", "params", "support", "point", "numpy_loglik", "data"),
    [
        (
            GOMPERTZ,
            "c>0,s>0",
            ">0",
            {"c": 0.7, "s": 2.5},
            lambda t, x: gompertz_loglik(t, x),
            np.array([0.2, 1.0, 3.0, 4.5]),
        ),
        (
            "-0.5*((x-m)/s)**2 - log(s) - 0.5*log(2*pi)",
            "m real, s>0",
            None,
            {"m": 0.3, "s": 1.4},
            lambda t, x: float(np.sum(stats.norm.logpdf(x, t[0], t[1]))),
            np.array([-1.0, 0.2, 2.0]),
        ),
        (
            "(a-1)*log(x) + (b-1)*log1p(-x) - lbeta(a, b)",
            "a>0,b>0",
            "(0,1)",
            {"a": 2.2, "b": 0.7},
            lambda t, x: float(np.sum(stats.beta.logpdf(x, t[0], t[1]))),
            np.array([0.1, 0.5, 0.93]),
        ),
        (
            "log(p) + x*log1p(-p)",
            "p(0,1)",
            "integers>=0",
            {"p": 0.35},
            lambda t, x: float(np.sum(stats.geom.logpmf(x + 1, t[0]))),
            np.array([0.0, 2.0, 5.0]),
        ),
    ],
    ids=["gompertz", "normal", "beta", "geometric"],
)
def test_engine_derivatives_match_finite_differences(
    logpdf: str, params: str, support: str | None, point: dict, numpy_loglik, data: np.ndarray
) -> None:  # type: ignore[no-untyped-def]
    family = UserFamily(logpdf, params, support)
    model = LikelihoodModel(
        family, statistic_names=None, weighted=False, space="natural", start=point
    )
    try:
        model.set_data(data, None)
        value, gradient = model.value_and_gradient()
        hessian = model.hessian()
    finally:
        model.close()
    t = np.array([point[n] for n in family.parameter_names])
    f = lambda theta: numpy_loglik(theta, data)  # noqa: E731
    h = 1e-6 * np.maximum(np.abs(t), 1.0)
    fd_gradient = np.array(
        [(f(t + np.eye(len(t))[i] * h[i]) - f(t - np.eye(len(t))[i] * h[i])) / (2 * h[i])
         for i in range(len(t))]
    )  # fmt: skip
    assert value == pytest.approx(f(t), rel=1e-12)
    np.testing.assert_allclose(gradient, fd_gradient, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(hessian, _fd_hessian(f, t), rtol=1e-4, atol=1e-5)


def test_a_mass_function_fits_like_the_closed_form() -> None:
    x = stats.poisson(3.2).rvs(300, random_state=np.random.default_rng(2)).astype(float)
    own = gaussfit.fit(x, UserFamily("x*log(mu) - mu - lgamma(x+1)", "mu>0", "integers>=0"))
    builtin = gaussfit.fit(x, "poisson")
    # Newton stops once its next gain is below the log-likelihood's rounding (about 1e-13
    # relative), which leaves the estimate good to about 1e-7.
    assert own.params["mu"] == pytest.approx(np.mean(x), rel=1e-6)
    assert own.loglik == pytest.approx(builtin.loglik, rel=1e-12)
    assert own.gof["chi2_statistic"] == pytest.approx(builtin.gof["chi2_statistic"], rel=1e-5)
    assert not own.warnings


def test_an_integer_parameter_is_held_by_fix() -> None:
    binomial = "lgamma(n+1) - lgamma(x+1) - lgamma(n-x+1) + x*log(p) + (n-x)*log1p(-p)"
    family = UserFamily(binomial, "n>=0 integer, p(0,1)", "integers>=0")
    x = stats.binom(20, 0.3).rvs(200, random_state=np.random.default_rng(4)).astype(float)
    fitted = gaussfit.fit(x, family, fixed={"n": 20})
    assert fitted.params["p"] == pytest.approx(np.mean(x) / 20, rel=1e-6)
    assert fitted.stderr["p"] == pytest.approx(
        math.sqrt(fitted.params["p"] * (1 - fitted.params["p"]) / (20 * 200)), rel=1e-6
    )
    with pytest.raises(ConfigError, match=r"n is an integer parameter.*--fix n=N"):
        gaussfit.fit(x, family)
    with pytest.raises(ConfigError, match="outside its domain"):
        gaussfit.fit(x, family, fixed={"n": 20.5})


def test_an_unnormalised_density_is_warned_about() -> None:
    x = stats.norm(1.0, 2.0).rvs(200, random_state=np.random.default_rng(8))
    missing = gaussfit.fit(x, UserFamily("-0.5*((x-m)/s)**2 - log(s)", "m real, s>0"))
    assert missing.params["m"] == pytest.approx(np.mean(x), rel=1e-9)
    (warning,) = missing.warnings
    assert "does not integrate to 1" in warning
    assert f"{math.sqrt(2 * math.pi):.6g} at the start" in warning
    whole = gaussfit.fit(x, UserFamily("-0.5*((x-m)/s)**2 - log(s) - 0.5*log(2*pi)", "m real, s>0"))
    assert not whole.warnings


def test_a_bounded_parameter_stays_inside_its_interval() -> None:
    # A normal whose mean is known to lie in (2, 5): Wald interval mapped through the bound.
    x = stats.norm(3.0, 1.0).rvs(100, random_state=np.random.default_rng(9))
    fitted = gaussfit.fit(
        x, UserFamily("-0.5*((x-m)/s)**2 - log(s) - 0.5*log(2*pi)", "m(2,5), s>1e-3")
    )
    assert fitted.params["m"] == pytest.approx(np.mean(x), rel=1e-9)
    assert fitted.params["s"] == pytest.approx(np.std(x), rel=1e-9)
    assert fitted.stderr["m"] == pytest.approx(np.std(x) / math.sqrt(100), rel=1e-6)
    low, high = fitted.ci95["m"]
    assert 2.0 < low < fitted.params["m"] < high < 5.0


def test_a_far_start_is_recovered_by_restarts() -> None:
    # Data near 1e6: from the default start (m=0, s=1) Newton fails; a restart on the data's
    # scale reaches the closed-form MLE (mean, and standard deviation with divisor n).
    x = stats.norm(1e6, 10.0).rvs(100, random_state=np.random.default_rng(6))
    fitted = gaussfit.fit(
        x, UserFamily("-0.5*((x-m)/s)**2 - log(s) - 0.5*log(2*pi)", "m real, s>0")
    )
    assert fitted.converged
    assert any("restarted from" in note for note in fitted.notes)
    assert fitted.params["m"] == pytest.approx(np.mean(x), rel=1e-12)
    assert fitted.params["s"] == pytest.approx(np.std(x), rel=1e-6)


def test_without_a_sampler_the_parametric_bootstraps_are_refused(
    weibull_sample: np.ndarray,
) -> None:
    family = UserFamily(WEIBULL, "k>0,lam>0", ">0")
    with pytest.raises(ConfigError, match="logpdf has no sampler"):
        gaussfit.fit(weibull_sample, family, bootstrap=20, parametric=True)
    with pytest.raises(ConfigError, match=r"logpdf has no\s+sampler"):
        gaussfit.fit(weibull_sample, family, gof_bootstrap=20)
    resampled = gaussfit.fit(weibull_sample, family, bootstrap=20, seed=1)
    assert resampled.bootstrap is not None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("k>0,lam>0,z real", "--params: z declared but not used"),
        ("k>0", "--logpdf at column 14: unknown name 'lam'"),
        ("k>0, lam", "--params: lam has no domain"),
        ("k>0, lam>0, k real", "--params: k is declared twice"),
        ("x>0", "--params: x is the data"),
        ("k>0,lam(3,1)", "--params: lam: the interval '(3,1)' is empty"),
        ("k>0,lam positive", "--params: lam: unknown domain 'positive'"),
        ("k>0,,lam>0", "--params: empty item"),
    ],
)
def test_bad_parameter_declarations_are_named(params: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        UserFamily(WEIBULL, params)
    assert str(caught.value).startswith(message)


def test_domains_read_as_documented() -> None:
    family = UserFamily("a*b*c*d*e*f*g*x", "a real, b>0, c>=0, d>1, e<2, f(0,1), g[1,3)")
    kinds = {
        p.name: (p.constraint.name, p.constraint.lower, p.constraint.upper) for p in family.params
    }
    assert kinds == {
        "a": ("real", -math.inf, math.inf),
        "b": ("positive", 0.0, math.inf),
        "c": ("positive", 0.0, math.inf),
        "d": ("greater_than", 1.0, math.inf),
        "e": ("less_than", -math.inf, 2.0),
        "f": ("unit_interval", 0.0, 1.0),
        "g": ("interval", 1.0, 3.0),
    }
    c = family.params[2].constraint
    assert c.contains(0.0) and not family.params[1].constraint.contains(0.0)
    for p in family.params:  # the bijection and its inverse agree, the Jacobian is its slope
        inside = {"real": 0.7, "positive": 2.0, "greater_than": 1.5, "less_than": 1.2,
                  "unit_interval": 0.3, "interval": 2.2}[p.constraint.name]  # fmt: skip
        u = p.constraint.to_unconstrained(inside)
        assert p.constraint.from_unconstrained(u) == pytest.approx(inside, rel=1e-14)
        slope = (
            p.constraint.from_unconstrained(u + 1e-6) - p.constraint.from_unconstrained(u - 1e-6)
        ) / 2e-6
        assert p.constraint.jacobian(inside) == pytest.approx(slope, rel=1e-7)
        with tf.Graph().as_default(), tf.Session() as session:
            value = session.run(p.constraint.to_constrained(tf.constant(u, dtype=tf.float64)))
        assert value == pytest.approx(inside, rel=1e-14)


def test_quadrature_cdf_matches_scipy_on_awkward_densities() -> None:
    points = np.array([1e-6, 0.01, 0.5, 2.0, 30.0])
    # Weibull with shape 0.4: an integrable singularity at 0 and a long tail.
    weibull = UserFamily(WEIBULL, "k>0,lam>0", ">0")
    params = {"k": 0.4, "lam": 2.0}
    np.testing.assert_allclose(
        weibull.cdf(points, params), stats.weibull_min(0.4, scale=2.0).cdf(points), atol=1e-9
    )
    assert weibull.total_mass(params, points) == pytest.approx(1.0, abs=1e-9)
    # A Cauchy with a narrow peak far from the data's centre.
    cauchy = UserFamily("-log(pi*s) - log1p(((x-m)/s)**2)", "m real, s>0")
    assert cauchy.total_mass({"m": 40.0, "s": 0.01}, points) == pytest.approx(1.0, abs=1e-8)
    beta = UserFamily("(a-1)*log(x) + (b-1)*log1p(-x) - lbeta(a, b)", "a>0,b>0", "(0,1)")
    assert beta.total_mass({"a": 0.5, "b": 0.5}) == pytest.approx(1.0, abs=1e-6)
    assert special.betainc(0.5, 3.0, 0.2) == pytest.approx(
        float(beta.cdf(np.array([0.2]), {"a": 0.5, "b": 3.0})[0]), abs=1e-8
    )


class Gompertz(gaussfit.Family):
    """The documented minimum: a name, parameters with domains, a support, log_prob."""

    name = "gompertz"
    params = (gaussfit.Parameter("c", POSITIVE), gaussfit.Parameter("s", POSITIVE))
    support = gaussfit.Support(lower=0.0)

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        z = x / p["s"]
        return tf.log(p["c"]) - tf.log(p["s"]) + z - p["c"] * tf.expm1(z)


def test_a_minimal_family_subclass_fits_from_python(gompertz_sample: np.ndarray) -> None:
    x = gompertz_sample
    family = Gompertz()
    fitted = gaussfit.fit(x, family)
    best = scipy_mle(lambda t: -gompertz_loglik(t, x), [1.0, 1.0])
    assert fitted.converged and not fitted.warnings
    assert fitted.params["c"] == pytest.approx(best.x[0], rel=1e-5)
    assert fitted.loglik == pytest.approx(-best.fun, rel=1e-12)
    assert fitted.family() is family  # the result answers with the family it fitted
    assert not family.has_sampler
    ranked = gaussfit.compare(x, ["weibull", family])
    assert {r.distribution for r in ranked.ranking} == {"weibull", "gompertz"}


def test_a_logcdf_fits_censored_data_like_the_builtin_weibull() -> None:
    rng = np.random.default_rng(7)
    t = stats.weibull_min(1.5, scale=3.0).rvs(300, random_state=rng)
    c = rng.uniform(0.0, 6.0, 300)
    observed = np.minimum(t, c)
    upper = np.where(t <= c, observed, np.inf)  # right-censored where the censor came first
    data = gaussfit.Observations(observed, upper)
    family = UserFamily(WEIBULL, "k>0,lam>0", ">0", logcdf="log1p(-exp(-(x/lam)**k))")
    own = gaussfit.fit(data, family)
    builtin = gaussfit.fit(data, "weibull")
    # The censored log-likelihood by hand, at the estimates: log f for events, log S otherwise.
    k, lam = own.params["k"], own.params["lam"]
    dist = stats.weibull_min(k, scale=lam)
    events = np.isfinite(upper)
    by_hand = np.sum(dist.logpdf(observed[events])) + np.sum(dist.logsf(observed[~events]))
    assert own.loglik == pytest.approx(by_hand, rel=1e-12)
    assert own.loglik == pytest.approx(builtin.loglik, rel=1e-12)
    assert k == pytest.approx(builtin.params["shape"], rel=1e-5)


def test_a_logcdf_that_is_not_the_density_integral_is_warned_about(
    weibull_sample: np.ndarray,
) -> None:
    right = UserFamily(WEIBULL, "k>0,lam>0", ">0", logcdf="log1p(-exp(-(x/lam)**k))")
    wrong = UserFamily(WEIBULL, "k>0,lam>0", ">0", logcdf="log1p(-exp(-(x/lam)**(1.1*k)))")
    fitted = gaussfit.fit(weibull_sample, right)
    assert not fitted.warnings
    ks = stats.kstest(
        weibull_sample, stats.weibull_min(fitted.params["k"], scale=fitted.params["lam"]).cdf
    )
    assert fitted.gof["ks_statistic"] == pytest.approx(ks.statistic, rel=1e-10)
    (warning,) = gaussfit.fit(weibull_sample, wrong).warnings
    assert "the CDF of logpdf is not the integral of its density" in warning


def test_profile_intervals_of_a_parameter_bounded_above() -> None:
    # m declared < 0 (moved as log(-m), which falls as m rises): the profile interval still
    # equals the normal's closed form, mean ± sqrt(var (exp(chi2_95 / n) - 1)).
    x = stats.norm(-3.0, 1.0).rvs(100, random_state=np.random.default_rng(9))
    normal = "-0.5*((x-m)/s)**2 - log(s) - 0.5*log(2*pi)"
    fitted = gaussfit.fit(x, UserFamily(normal, "m<0, s>0"), ci="profile")
    half = math.sqrt(np.var(x) * math.expm1(stats.chi2.ppf(0.95, 1) / len(x)))
    low, high = fitted.profile_ci95["m"]
    assert low == pytest.approx(np.mean(x) - half, rel=1e-9)
    assert high == pytest.approx(np.mean(x) + half, rel=1e-9)
    wald_low, wald_high = fitted.ci95["m"]
    assert wald_low < fitted.params["m"] < wald_high < 0
