"""Moment matching (fitdistrplus's ``mmedist``): the fitted distribution's moments equal the
data's.

Families for which fitdistrplus has a closed formula get the same formula here, with its
moments (the mean m and the variance v with divisor n, not n - 1): normal, lognormal,
exponential, gamma, beta, logistic, Poisson, negative binomial and geometric. Every other family
matches the raw moments E[X^k] = mean(x^k) of orders 1..k, k its number of free parameters
(``mmedist``'s ``order = 1:k`` with ``memp`` the raw empirical moment), solving the k equations
numerically with the family's scipy moments; a family whose moments of those orders are
infinite at the start (Cauchy) or that has none in closed form is refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import optimize

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError, FitError

RESIDUAL_TOL = 1e-10
"""The relative mismatch of each moment below which the numerical solution is accepted."""


def _mean_var(x: np.ndarray) -> tuple[float, float]:
    m = float(np.mean(x))
    return m, float(np.mean(np.square(x - m)))


def _normal(m: float, v: float) -> dict[str, float]:
    return {"mu": m, "sigma": math.sqrt(v)}


def _lognormal(m: float, v: float) -> dict[str, float]:
    s2 = math.log1p(v / m**2)
    return {"mu": math.log(m) - s2 / 2.0, "sigma": math.sqrt(s2)}


def _gamma(m: float, v: float) -> dict[str, float]:
    return {"shape": m**2 / v, "scale": v / m}


def _beta(m: float, v: float) -> dict[str, float]:
    aux = m * (1.0 - m) / v - 1.0
    return {"alpha": m * aux, "beta": (1.0 - m) * aux}


def _logistic(m: float, v: float) -> dict[str, float]:
    return {"loc": m, "scale": math.sqrt(3.0 * v) / math.pi}


def _negative_binomial(m: float, v: float) -> dict[str, float]:
    if not v > m:
        raise FitError(
            "--method mme: the negative binomial needs a variance above the mean "
            f"(here {v:.6g} <= {m:.6g})"
        )
    size = m**2 / (v - m)
    return {"n": size, "p": size / (size + m)}


CLOSED_FORMS: dict[str, Callable[[float, float], dict[str, float]]] = {
    "normal": _normal,
    "lognormal": _lognormal,
    "exponential": lambda m, v: {"rate": 1.0 / m},
    "gamma": _gamma,
    "beta": _beta,
    "logistic": _logistic,
    "poisson": lambda m, v: {"rate": m},
    "negative_binomial": _negative_binomial,
    "geometric": lambda m, v: {"p": 1.0 / (1.0 + m)},
}


def moment_estimate(
    family: Family, x: np.ndarray, fixed: dict[str, float], start: dict[str, float]
) -> tuple[dict[str, float], str]:
    """The moment-matching estimate and how it was found (``"closed formula"`` or
    ``"raw moments of orders 1..k"``). FitError when the moments cannot be matched."""
    closed = CLOSED_FORMS.get(family.name)
    if closed is not None and not fixed:
        m, v = _mean_var(x)
        if not v > 0:
            raise FitError("--method mme: the data have no spread (variance 0)")
        estimate = closed(m, v)
        try:
            family.check_params(estimate)
        except ValueError as exc:
            raise FitError(f"--method mme: the moments give no valid estimate: {exc}") from None
        return estimate, "closed formula"
    return _matched_numerically(family, x, fixed, start), "raw moments of orders 1..k"


def _matched_numerically(
    family: Family, x: np.ndarray, fixed: dict[str, float], start: dict[str, float]
) -> dict[str, float]:
    free = [p for p in family.parameters if p.name not in fixed]
    transforms = {"positive": (np.log, np.exp), "real": (lambda v: v, lambda v: v)}
    unit = (lambda v: math.log(v / (1.0 - v)), lambda v: 1.0 / (1.0 + math.exp(-v)))
    transforms["unit_interval"] = unit
    unknown = [p.name for p in free if p.constraint.name not in transforms]
    if unknown or family.scipy_dist({**start, **fixed}) is None:
        raise ConfigError(f"--method mme: no moments to match for {family.name}")
    orders = range(1, len(free) + 1)
    empirical = np.array([float(np.mean(np.power(x, k))) for k in orders])
    scales = np.maximum(np.abs(empirical), 1e-300)

    def params_of(z: np.ndarray) -> dict[str, float]:
        out = dict(fixed)
        for p, value in zip(free, z, strict=True):
            out[p.name] = float(transforms[p.constraint.name][1](value))
        return out

    def theory(z: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            dist = family.scipy_dist(params_of(z))
            return np.array([float(dist.moment(k)) for k in orders])

    def residuals(z: np.ndarray) -> np.ndarray:
        moments = theory(z)
        # An infinite moment (a heavy tail) is a mismatch to climb away from, not a crash.
        moments = np.where(np.isfinite(moments), moments, 1e10 * scales)
        return (moments - empirical) / scales

    z0 = np.array([transforms[p.constraint.name][0]({**start, **fixed}[p.name]) for p in free])
    if not np.all(np.isfinite(theory(z0))):
        raise FitError(
            f"--method mme: {family.name} has no finite moments of orders 1..{len(free)} at "
            "the starting point; use --method mle"
        )
    solution = optimize.least_squares(residuals, z0, xtol=1e-15, ftol=1e-15, gtol=1e-15)
    if np.max(np.abs(solution.fun)) > RESIDUAL_TOL:
        raise FitError(
            f"--method mme: {family.name}'s first {len(free)} moments cannot be matched to the "
            f"data's (largest relative mismatch {np.max(np.abs(solution.fun)):.3g})"
        )
    return params_of(solution.x)
