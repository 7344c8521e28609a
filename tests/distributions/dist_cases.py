"""Parameter cases and independent references (scipy.stats, numpy) for the family tests.

The references are written here from the textbook parameterisations, never taken from the
families' own ``scipy_dist``, so a wrong mapping in a family shows up as a mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import special, stats

import gaussfit.engine as tf
from gaussfit.distributions import Family, get_family


@dataclass(frozen=True)
class Case:
    family: str
    params: dict[str, float]
    options: dict[str, Any] = field(default_factory=dict)

    def make(self) -> Family:
        return get_family(self.family, **self.options)

    @property
    def estimated(self) -> list[str]:
        """The parameters a fit estimates: all but those given to the family (the binomial's
        number of trials), whose derivatives scipy cannot difference (n must be whole)."""
        return [name for name in self.params if name not in self.options]

    @property
    def id(self) -> str:
        values = ",".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.family}[{values}]"


def _mixture(w: list[float], mu: list[float], sigma: list[float]) -> Case:
    params = {f"w{j}": v for j, v in enumerate(w, start=1)}
    params.update({f"mu{j}": v for j, v in enumerate(mu, start=1)})
    params.update({f"sigma{j}": v for j, v in enumerate(sigma, start=1)})
    return Case("normal_mixture", params, {"k": len(w)})


# The first case of each family is the one used for sampling and fitting.
CASES = [
    Case("normal", {"mu": 0.3, "sigma": 1.7}),
    Case("lognormal", {"mu": 0.5, "sigma": 0.8}),
    Case("lognormal", {"mu": -2.0, "sigma": 0.1}),
    Case("exponential", {"rate": 0.5}),
    Case("exponential", {"rate": 20.0}),
    Case("gamma", {"shape": 2.5, "scale": 2.0}),
    Case("gamma", {"shape": 0.4, "scale": 0.3}),
    Case("weibull", {"shape": 1.7, "scale": 3.0}),
    Case("weibull", {"shape": 0.6, "scale": 10.0}),
    Case("student_t", {"df": 6.0, "loc": -1.0, "scale": 2.0}),
    Case("student_t", {"df": 1.5, "loc": 3.0, "scale": 0.5}),
    Case("laplace", {"loc": 1.0, "scale": 0.5}),
    Case("laplace", {"loc": -3.0, "scale": 4.0}),
    Case("logistic", {"loc": 2.0, "scale": 1.5}),
    Case("logistic", {"loc": -1.0, "scale": 0.05}),
    Case("cauchy", {"loc": 0.5, "scale": 2.0}),
    Case("cauchy", {"loc": -10.0, "scale": 0.1}),
    Case("gumbel", {"loc": 1.0, "scale": 2.0}),
    Case("gumbel", {"loc": -5.0, "scale": 0.3}),
    Case("beta", {"alpha": 2.0, "beta": 5.0}),
    Case("beta", {"alpha": 0.6, "beta": 0.8}),
    Case("poisson", {"rate": 3.5}),
    Case("poisson", {"rate": 0.2}),
    Case("negative_binomial", {"n": 2.5, "p": 0.3}),
    Case("negative_binomial", {"n": 20.0, "p": 0.9}),
    _mixture([0.4, 0.6], [-3.0, 2.0], [1.0, 0.7]),
    _mixture([0.2, 0.5, 0.3], [-4.0, 0.0, 5.0], [1.0, 0.5, 2.0]),
    Case("gev", {"loc": 1.0, "scale": 2.0, "xi": 0.1}),
    Case("gev", {"loc": -3.0, "scale": 0.5, "xi": -0.3}),
    Case("gev", {"loc": 0.5, "scale": 1.5, "xi": 0.0}),
    Case("gev", {"loc": 0.5, "scale": 1.5, "xi": 2e-5}),
    Case("genpareto", {"scale": 2.0, "xi": 0.15}),
    Case("genpareto", {"scale": 2.0, "xi": -0.3}),
    Case("genpareto", {"scale": 0.5, "xi": 0.0}),
    Case("genpareto", {"scale": 0.5, "xi": 1.5}),
    Case("lomax", {"shape": 5.5, "scale": 3.0}),
    Case("lomax", {"shape": 0.8, "scale": 0.01}),
    Case("frechet", {"shape": 5.0, "scale": 2.0}),
    Case("frechet", {"shape": 0.7, "scale": 10.0}),
    Case("burr12", {"c": 3.0, "d": 2.0, "scale": 2.0}),
    Case("burr12", {"c": 0.8, "d": 0.5, "scale": 5.0}),
    Case("loglogistic", {"shape": 5.0, "scale": 2.0}),
    Case("loglogistic", {"shape": 1.2, "scale": 0.3}),
    Case("rayleigh", {"scale": 2.0}),
    Case("rayleigh", {"scale": 0.01}),
    Case("gumbel_min", {"loc": 1.0, "scale": 2.0}),
    Case("gumbel_min", {"loc": -5.0, "scale": 0.3}),
    Case("kumaraswamy", {"a": 2.0, "b": 5.0}),
    Case("kumaraswamy", {"a": 0.6, "b": 0.8}),
    Case("halfnormal", {"scale": 2.0}),
    Case("halfnormal", {"scale": 0.01}),
    Case("maxwell", {"scale": 1.5}),
    Case("maxwell", {"scale": 40.0}),
    Case("chi2", {"df": 4.0}),
    Case("chi2", {"df": 0.7}),
    Case("invgamma", {"shape": 6.0, "scale": 3.0}),
    Case("invgamma", {"shape": 0.8, "scale": 0.2}),
    Case("nakagami", {"nu": 1.7, "scale": 2.0}),
    Case("nakagami", {"nu": 0.6, "scale": 0.1}),
    Case("invgauss", {"mu": 2.0, "lam": 5.0}),
    Case("invgauss", {"mu": 10.0, "lam": 0.5}),
    Case("geometric", {"p": 0.3}),
    Case("geometric", {"p": 0.02}),
    Case("skewnormal", {"loc": 1.0, "scale": 2.0, "a": 4.0}),
    Case("skewnormal", {"loc": -1.0, "scale": 0.5, "a": -1.5}),
    Case("skewnormal", {"loc": 0.0, "scale": 3.0, "a": 0.3}),
    Case("loggamma", {"loc": 0.5, "scale": 2.0, "c": 3.0}),
    Case("loggamma", {"loc": -2.0, "scale": 0.3, "c": 0.1}),
    Case("binomial", {"n": 20.0, "p": 0.3}, {"n": 20}),
    Case("binomial", {"n": 1000.0, "p": 0.002}, {"n": 1000}),
    Case("zip", {"pi": 0.3, "rate": 4.0}),
    Case("zip", {"pi": 0.05, "rate": 0.5}),
    Case("zinb", {"pi": 0.25, "n": 2.0, "p": 0.3}),
    Case("zinb", {"pi": 0.6, "n": 15.0, "p": 0.8}),
    Case("betabinom", {"n": 30.0, "a": 2.0, "b": 5.0}, {"n": 30}),
    Case("betabinom", {"n": 12.0, "a": 0.4, "b": 0.7}, {"n": 12}),
    Case("logser", {"p": 0.8}),
    Case("logser", {"p": 0.05}),
]
_first: dict[str, Case] = {}
for _case in CASES:
    _first.setdefault(_case.family, _case)
FIRST_CASES = list(_first.values())
FAMILIES_WITH_STATISTICS = ["lognormal", "exponential", "gamma", "beta", "poisson", "normal"]
FAMILIES_WITH_STATISTICS += ["geometric"]
FAMILIES_WITH_STATISTICS += ["binomial", "zip", "logser", "betabinom"]


def _log_one_minus_power(x, a):
    """log(1 - x^a): log1p of -x^a while x^a is small, log of -expm1(a log x) near 1."""
    power = x**a
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(power < 0.5, np.log1p(-power), np.log(-np.expm1(a * np.log(x))))


class _KumaraswamyGen(stats.rv_continuous):
    """The Kumaraswamy law from its textbook formulas (Jones 2009), for scipy's machinery:
    f = a b x^(a-1) (1 - x^a)^(b-1), F = 1 - (1 - x^a)^b, F^-1(q) = (1 - (1-q)^(1/b))^(1/a);
    log(1 - x^a) from whichever of x^a and 1 - x^a keeps its digits."""

    def _logpdf(self, x, a, b):
        return np.log(a) + np.log(b) + (a - 1) * np.log(x) + (b - 1) * _log_one_minus_power(x, a)

    def _pdf(self, x, a, b):
        return np.exp(self._logpdf(x, a, b))

    def _cdf(self, x, a, b):
        return -np.expm1(b * _log_one_minus_power(x, a))

    def _sf(self, x, a, b):
        return np.exp(b * _log_one_minus_power(x, a))

    def _logsf(self, x, a, b):
        return b * _log_one_minus_power(x, a)

    def _logcdf(self, x, a, b):
        return np.log1p(-(np.exp(b * _log_one_minus_power(x, a))))

    def _ppf(self, q, a, b):
        return (1.0 - (1.0 - q) ** (1.0 / b)) ** (1.0 / a)

    def _isf(self, q, a, b):
        return (1.0 - q ** (1.0 / b)) ** (1.0 / a)


KUMARASWAMY = _KumaraswamyGen(a=0.0, b=1.0, name="kumaraswamy")


class _ZeroInflatedGen(stats.rv_discrete):
    """A zero-inflated law written out by hand (Lambert 1992): the base law's mass from its
    textbook formula with gammaln, P(0) = pi + (1 - pi) f(0), P(k) = (1 - pi) f(k); the CDF
    pi + (1 - pi) F(k) and the survival (1 - pi) S(k) from scipy's base law. ``_log_base``
    takes the shapes after pi."""

    def _log_base(self, k, *shapes):
        raise NotImplementedError

    def _base(self, *shapes):
        raise NotImplementedError

    def _argcheck(self, pi, *shapes):
        return (pi >= 0) & (pi < 1) & np.all([np.asarray(s) > 0 for s in shapes], axis=0)

    def _logpmf(self, k, pi, *shapes):
        log_base = self._log_base(k, *shapes)
        with np.errstate(divide="ignore"):
            zero = np.log(pi + (1.0 - pi) * np.exp(log_base))
        return np.where(k == 0, zero, np.log1p(-pi) + log_base)

    def _pmf(self, k, pi, *shapes):
        return np.exp(self._logpmf(k, pi, *shapes))

    def _cdf(self, k, pi, *shapes):
        return pi + (1.0 - pi) * self._base(*shapes).cdf(k)

    def _sf(self, k, pi, *shapes):
        return (1.0 - pi) * self._base(*shapes).sf(k)

    def _logsf(self, k, pi, *shapes):
        return np.log1p(-pi) + self._base(*shapes).logsf(k)

    def _logcdf(self, k, pi, *shapes):
        return np.log(self._cdf(k, pi, *shapes))

    def _rvs(self, pi, *shapes, size=None, random_state=None):
        base = self._base(*shapes).rvs(size=size, random_state=random_state)
        return np.where(random_state.uniform(size=size) < pi, 0, base)


class _ZIPGen(_ZeroInflatedGen):
    def _log_base(self, k, rate):
        return k * np.log(rate) - rate - special.gammaln(k + 1.0)

    def _base(self, rate):
        return stats.poisson(rate)


class _ZINBGen(_ZeroInflatedGen):
    def _log_base(self, k, n, p):
        coefficient = special.gammaln(k + n) - special.gammaln(n) - special.gammaln(k + 1.0)
        return coefficient + n * np.log(p) + k * np.log1p(-p)

    def _base(self, n, p):
        return stats.nbinom(n, p)


ZIP = _ZIPGen(a=0, name="zip_reference", shapes="pi, rate")
ZINB = _ZINBGen(a=0, name="zinb_reference", shapes="pi, n, p")

_SCIPY = {
    "normal": lambda p: stats.norm(p["mu"], p["sigma"]),
    "lognormal": lambda p: stats.lognorm(p["sigma"], scale=np.exp(p["mu"])),
    "exponential": lambda p: stats.expon(scale=1.0 / p["rate"]),
    "gamma": lambda p: stats.gamma(p["shape"], scale=p["scale"]),
    "weibull": lambda p: stats.weibull_min(p["shape"], scale=p["scale"]),
    "student_t": lambda p: stats.t(p["df"], p["loc"], p["scale"]),
    "laplace": lambda p: stats.laplace(p["loc"], p["scale"]),
    "logistic": lambda p: stats.logistic(p["loc"], p["scale"]),
    "cauchy": lambda p: stats.cauchy(p["loc"], p["scale"]),
    "gumbel": lambda p: stats.gumbel_r(p["loc"], p["scale"]),
    "beta": lambda p: stats.beta(p["alpha"], p["beta"]),
    "poisson": lambda p: stats.poisson(p["rate"]),
    "negative_binomial": lambda p: stats.nbinom(p["n"], p["p"]),
    "gev": lambda p: stats.genextreme(-p["xi"], p["loc"], p["scale"]),
    "genpareto": lambda p: stats.genpareto(p["xi"], 0.0, p["scale"]),
    "lomax": lambda p: stats.lomax(p["shape"], scale=p["scale"]),
    "frechet": lambda p: stats.invweibull(p["shape"], scale=p["scale"]),
    "burr12": lambda p: stats.burr12(p["c"], p["d"], scale=p["scale"]),
    "loglogistic": lambda p: stats.fisk(p["shape"], scale=p["scale"]),
    "rayleigh": lambda p: stats.rayleigh(scale=p["scale"]),
    "gumbel_min": lambda p: stats.gumbel_l(p["loc"], p["scale"]),
    "kumaraswamy": lambda p: KUMARASWAMY(p["a"], p["b"]),
    "halfnormal": lambda p: stats.halfnorm(scale=p["scale"]),
    "maxwell": lambda p: stats.maxwell(scale=p["scale"]),
    "chi2": lambda p: stats.chi2(p["df"]),
    "invgamma": lambda p: stats.invgamma(p["shape"], scale=p["scale"]),
    "nakagami": lambda p: stats.nakagami(p["nu"], scale=p["scale"]),
    "invgauss": lambda p: stats.invgauss(p["mu"] / p["lam"], scale=p["lam"]),
    "geometric": lambda p: stats.geom(p["p"], loc=-1),  # failures, not trials
    "skewnormal": lambda p: stats.skewnorm(p["a"], p["loc"], p["scale"]),
    "loggamma": lambda p: stats.loggamma(p["c"], p["loc"], p["scale"]),
    "binomial": lambda p: stats.binom(int(p["n"]), p["p"]),
    "zip": lambda p: ZIP(p["pi"], p["rate"]),
    "zinb": lambda p: ZINB(p["pi"], p["n"], p["p"]),
    "betabinom": lambda p: stats.betabinom(int(p["n"]), p["a"], p["b"]),
    "logser": lambda p: stats.logser(p["p"]),
}
DISCRETE = {"poisson", "negative_binomial", "geometric"}
DISCRETE |= {"binomial", "zip", "zinb", "betabinom", "logser"}
POSITIVE = {"lognormal", "exponential", "gamma", "weibull", "genpareto", "lomax", "frechet"}
POSITIVE |= {"burr12", "loglogistic", "rayleigh", "halfnormal", "maxwell", "chi2", "invgamma"}
POSITIVE |= {"nakagami", "invgauss"}


def scipy_reference(case: Case, params: dict[str, float] | None = None) -> Any:
    return _SCIPY[case.family](case.params if params is None else params)


def mixture_arrays(params: dict[str, float], k: int) -> tuple[np.ndarray, ...]:
    return tuple(
        np.array([params[f"{prefix}{j}"] for j in range(1, k + 1)])
        for prefix in ("w", "mu", "sigma")
    )


def reference_logpdf(case: Case, x: np.ndarray, params: dict[str, float] | None = None):
    """Elementwise log-density (log-mass) from scipy; the mixture's via log-sum-exp over the
    components (weights taken as given, not renormalised, so each may be perturbed alone)."""
    params = case.params if params is None else params
    if case.family == "normal_mixture":
        w, mu, sigma = mixture_arrays(params, case.options["k"])
        terms = np.log(w) + stats.norm.logpdf(np.asarray(x)[:, None], mu, sigma)
        return special.logsumexp(terms, axis=1)
    dist = scipy_reference(case, params)
    return dist.logpmf(x) if case.family in DISCRETE else dist.logpdf(x)


def reference_mean_var(case: Case) -> tuple[float, float]:
    if case.family == "normal_mixture":
        w, mu, sigma = mixture_arrays(case.params, case.options["k"])
        mean = float(np.sum(w * mu))
        return mean, float(np.sum(w * (sigma**2 + mu**2)) - mean**2)
    mean, var = scipy_reference(case).stats(moments="mv")
    return float(mean), float(var)


def draw(case: Case, n: int, seed: int) -> np.ndarray:
    """n draws from the reference (scipy's or numpy's sampler, not the family's)."""
    rng = np.random.default_rng(seed)
    if case.family == "normal_mixture":
        w, mu, sigma = mixture_arrays(case.params, case.options["k"])
        component = rng.choice(len(w), size=n, p=w)
        return rng.normal(mu[component], sigma[component])
    return np.asarray(scipy_reference(case).rvs(size=n, random_state=rng), dtype=np.float64)


def extremes(case: Case) -> np.ndarray:
    """Points deep in the tails (and at the edges of the support) for the log-density checks."""
    if case.family in {"binomial", "betabinom"}:  # the whole support is 0..n
        return np.array([0.0, 1.0, case.params["n"] - 1.0, case.params["n"]])
    if case.family == "logser":
        return np.array([1.0, 2.0, 150.0])
    if case.family in DISCRETE:
        return np.array([0.0, 1.0, 150.0])
    if case.family in {"beta", "kumaraswamy"}:
        return np.array([1e-9, 1e-3, 0.5, 0.999, 1.0 - 1e-9])
    if case.family == "frechet":  # the density is exp(-(x/scale)^-shape): 0 in doubles below
        return np.array([0.8, 1.0, 30.0, 1e3])
    if case.family in POSITIVE:
        return np.array([1e-8, 1e-3, 1.0, 30.0])
    if case.family in {"student_t", "cauchy"}:
        return np.array([-1e6, -30.0, 0.0, 30.0, 1e6])
    return np.array([-30.0, -3.0, 0.0, 3.0, 30.0])


def evaluation_points(case: Case) -> np.ndarray:
    return np.concatenate([draw(case, 40, seed=1), extremes(case)])


def constants(params: dict[str, float]) -> dict[str, tf.Tensor]:
    return {name: tf.constant(value, dtype=tf.float64) for name, value in params.items()}
