"""How each family's parameters map onto its scipy.stats counterpart, as plain data.

``gaussfit dists --json`` prints this for every family, so that a fit can be checked against
scipy by anyone. The format, per family::

    {"name": "genextreme", "shapes": {"c": "-xi"}, "loc": "loc", "scale": "scale"}

``name`` is the scipy.stats distribution; ``shapes`` gives each of scipy's shape arguments, in
scipy's order, as an expression in our parameter names; ``loc`` and ``scale`` likewise, "0" or
"1" where ours holds them fixed (scipy's discrete distributions take no scale: ``null``). The
expressions use only numbers, parameter names, + - * / and exp, so ``exp(mu)`` reads the same
to a person and to a program. A family without a scipy counterpart maps to ``null``.
"""

from __future__ import annotations

from typing import Any


def _map(name: str, shapes: dict[str, str], loc: str = "0", scale: str | None = "1") -> Any:
    return {"name": name, "shapes": shapes, "loc": loc, "scale": scale}


SCIPY_COUNTERPARTS: dict[str, dict[str, Any] | None] = {
    "normal": _map("norm", {}, "mu", "sigma"),
    "lognormal": _map("lognorm", {"s": "sigma"}, "0", "exp(mu)"),
    "exponential": _map("expon", {}, "0", "1/rate"),
    "gamma": _map("gamma", {"a": "shape"}, "0", "scale"),
    "weibull": _map("weibull_min", {"c": "shape"}, "0", "scale"),
    "student_t": _map("t", {"df": "df"}, "loc", "scale"),
    "laplace": _map("laplace", {}, "loc", "scale"),
    "logistic": _map("logistic", {}, "loc", "scale"),
    "cauchy": _map("cauchy", {}, "loc", "scale"),
    "gumbel": _map("gumbel_r", {}, "loc", "scale"),
    "beta": _map("beta", {"a": "alpha", "b": "beta"}, "0", "1"),
    "poisson": _map("poisson", {"mu": "rate"}, "0", None),
    "negative_binomial": _map("nbinom", {"n": "n", "p": "p"}, "0", None),
    "normal_mixture": None,
    "gev": _map("genextreme", {"c": "-xi"}, "loc", "scale"),
    "genpareto": _map("genpareto", {"c": "xi"}, "0", "scale"),
    "lomax": _map("lomax", {"c": "shape"}, "0", "scale"),
    "frechet": _map("invweibull", {"c": "shape"}, "0", "scale"),
    "burr12": _map("burr12", {"c": "c", "d": "d"}, "0", "scale"),
    "loglogistic": _map("fisk", {"c": "shape"}, "0", "scale"),
    "rayleigh": _map("rayleigh", {}, "0", "scale"),
    "gumbel_min": _map("gumbel_l", {}, "loc", "scale"),
    "kumaraswamy": None,
    "halfnormal": _map("halfnorm", {}, "0", "scale"),
    "maxwell": _map("maxwell", {}, "0", "scale"),
    "chi2": _map("chi2", {"df": "df"}, "0", "1"),
    "invgamma": _map("invgamma", {"a": "shape"}, "0", "scale"),
    "nakagami": _map("nakagami", {"nu": "nu"}, "0", "scale"),
    "invgauss": _map("invgauss", {"mu": "mu/lam"}, "0", "lam"),
    "geometric": _map("geom", {"p": "p"}, "-1", None),
    "skewnormal": _map("skewnorm", {"a": "a"}, "loc", "scale"),
    "loggamma": _map("loggamma", {"c": "c"}, "loc", "scale"),
    "pareto": _map("pareto", {"b": "shape"}, "0", "scale"),
    "uniform": _map("uniform", {}, "loc", "scale"),
    "lognormal3": _map("lognorm", {"s": "sigma"}, "threshold", "exp(mu)"),
    "weibull3": _map("weibull_min", {"c": "shape"}, "threshold", "scale"),
    "gamma3": _map("gamma", {"a": "shape"}, "threshold", "scale"),
    "triangular": _map("triang", {"c": "(mode - lower)/(upper - lower)"}, "lower", "upper - lower"),
    "binomial": _map("binom", {"n": "n", "p": "p"}, "0", None),
    "zip": None,  # scipy has no zero-inflated laws
    "zinb": None,
    "betabinom": _map("betabinom", {"n": "n", "a": "a", "b": "b"}, "0", None),
    "logser": _map("logser", {"p": "p"}, "0", None),
}


def scipy_counterpart(name: str) -> dict[str, Any] | None:
    """The mapping of family ``name`` (a copy, safe to change), or None where scipy has none."""
    entry = SCIPY_COUNTERPARTS.get(name)
    return None if entry is None else {**entry, "shapes": dict(entry["shapes"])}
