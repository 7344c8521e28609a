"""What users derive from a fit — a quantile, a probability of exceeding a value — with
intervals.

The fitted distribution is the family's scipy.stats counterpart frozen at the estimates, so a
quantile is scipy's ``ppf`` (the inverse CDF, the definition fitdistrplus's ``quantile`` uses
too) and nothing is refitted.

Delta-method interval: a quantity g(theta) has variance grad(g)^T Cov(theta) grad(g), with
Cov(theta) the fit's covariance of the natural parameters (the engine's Hessian, carried by
the engine's Jacobian) and grad(g) by central differences of the scipy counterpart in each
parameter's unconstrained coordinate (log of a positive parameter, logit of a probability),
so a difference step never leaves the domain. As for the parameters, the Wald interval is
taken on a scale where the quantity is unbounded and mapped back: the log scale for a quantile
of a family on positive values, the logit scale for a probability, the plain scale otherwise.

A count family's quantile is a whole number, a step function of the parameters, so it has no
delta-method interval (null); its probabilities P(X > x) do.

Profile-likelihood interval (``--ci profile``): the quantity's own profile likelihood, as if
the family were reparameterised with it as a parameter (``gaussfit.fitting.profile``). Like
the parameters' profile intervals it does not depend on the scale the quantity is written on.

Bootstrap percentile interval: the 2.5% and 97.5% points of the quantity over the bootstrap
refits (``--bootstrap B``, resampling the data, or with ``--parametric`` the fitted model).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError
from gaussfit.fitting.inference import Z95

Quantity = Callable[[Any], Any]
Interval = tuple[float | None, float | None]
# Maps a function of the natural parameters (arrays: one entry per point) to its
# profile-likelihood interval.
ProfileOf = Callable[[Callable[[dict[str, np.ndarray]], np.ndarray]], Interval | None]
_STEP = 1e-5


def frozen(family: Family, params: dict[str, Any]) -> Any:
    """The scipy.stats distribution frozen at ``params`` (arrays broadcast: one per row)."""
    dist = family.scipy_dist(params)
    if dist is None:
        raise ConfigError(f"{family.name} has no scipy.stats counterpart to derive quantities from")
    return dist


def parse_probabilities(text: str, option: str = "--quantiles") -> list[float]:
    """``"0.05,0.5,0.95"`` into probabilities strictly between 0 and 1."""
    out = []
    for piece in text.split(","):
        item = piece.strip()
        try:
            value = float(item)
        except ValueError:
            raise ConfigError(f"{option}: {item!r} is not a number") from None
        if not 0.0 < value < 1.0:
            raise ConfigError(f"{option}: {item} is not a probability strictly between 0 and 1")
        out.append(value)
    return out


def quantile_of(p: float) -> Quantity:
    return lambda dist: dist.ppf(p)


def probability_above(x: float) -> Quantity:
    return lambda dist: dist.sf(x)


def delta_interval(
    family: Family,
    params: dict[str, float],
    covariance: np.ndarray | None,
    quantity: Quantity,
    scale: str,
) -> tuple[float, float] | None:
    """The 95% delta-method interval of ``quantity`` (see the module's docstring), or None when
    the fit has no covariance (a singular information matrix)."""
    if covariance is None:
        return None
    value = float(quantity(frozen(family, params)))
    gradient = _gradient(family, params, quantity)
    variance = float(gradient @ covariance @ gradient)
    if not (math.isfinite(variance) and variance >= 0.0):
        return None
    se = math.sqrt(variance)
    if scale == "log" and value > 0:
        half = min(Z95 * se / value, 700.0)
        return value * math.exp(-half), value * math.exp(half)
    if scale == "logit" and 0 < value < 1:
        centre = math.log(value) - math.log1p(-value)
        half = Z95 * se / (value * (1.0 - value))
        return _expit(centre - half), _expit(centre + half)
    return value - Z95 * se, value + Z95 * se


def percentile_interval(
    family: Family, draws: dict[str, np.ndarray], quantity: Quantity
) -> tuple[float, float]:
    """The 2.5% and 97.5% points of ``quantity`` over bootstrap parameter draws (arrays)."""
    values = np.asarray(quantity(frozen(family, draws)), dtype=np.float64)
    values = values[np.isfinite(values)]
    return float(np.quantile(values, 0.025)), float(np.quantile(values, 0.975))


def quantile_scale(family: Family) -> str:
    """Where a quantile's Wald interval is taken: log for a family on positive values."""
    return "log" if family.support.lower >= 0 else "plain"


def _gradient(family: Family, params: dict[str, float], quantity: Quantity) -> np.ndarray:
    """d quantity / d natural parameter by central differences in unconstrained coordinates,
    converted with d theta / d u (the constraint's Jacobian)."""
    names = family.parameter_names
    by_name = {p.name: p for p in family.parameters}
    out = np.zeros(len(names))
    for i, name in enumerate(names):
        constraint = by_name[name].constraint
        u = constraint.to_unconstrained(params[name])
        h = _STEP * max(abs(u), 1.0)
        ends = []
        for sign in (1.0, -1.0):
            moved = dict(params)
            moved[name] = constraint.from_unconstrained(u + sign * h)
            ends.append(float(quantity(frozen(family, moved))))
        d_u = (ends[0] - ends[1]) / (2.0 * h)
        out[i] = d_u / constraint.jacobian(params[name])
    return out


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def quantity_rows(
    family: Family,
    params: dict[str, float],
    covariance: np.ndarray | None,
    fixed: Sequence[str],
    probabilities: Sequence[float],
    thresholds: Sequence[float],
    draws: dict[str, np.ndarray] | None,
    *,
    profile: ProfileOf | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``quantiles`` and ``prob_above`` JSON lists: one entry per quantity and method
    (``delta``; ``profile`` when ``profile`` is given — it maps a function of the natural
    parameters to that function's profile-likelihood interval; ``bootstrap`` when bootstrap
    draws are given)."""

    def profiled(quantity: Quantity) -> Interval | None:
        assert profile is not None
        return profile(lambda p: np.asarray(quantity(frozen(family, p)), dtype=np.float64))

    cov = _without_fixed(family, covariance, fixed)
    dist = frozen(family, params)
    scale = quantile_scale(family)
    quantiles: list[dict[str, Any]] = []
    for p in probabilities:
        q = quantile_of(p)
        value = float(q(dist))
        # A count family's quantile is a whole number, a step function of the parameters:
        # it has no derivative to carry, so only the bootstrap gives it an interval.
        ci = None if family.discrete else delta_interval(family, params, cov, q, scale)
        quantiles.append({"p": p, "value": value, "ci95": ci, "method": "delta"})
        if profile is not None:
            ci = None if family.discrete else profiled(q)
            quantiles.append({"p": p, "value": value, "ci95": ci, "method": "profile"})
        if draws is not None:
            ci = percentile_interval(family, draws, q)
            quantiles.append({"p": p, "value": value, "ci95": ci, "method": "bootstrap"})
    above: list[dict[str, Any]] = []
    for x in thresholds:
        s = probability_above(x)
        value = float(s(dist))
        ci = delta_interval(family, params, cov, s, "logit")
        above.append({"x": x, "value": value, "ci95": ci, "method": "delta"})
        if profile is not None:
            above.append({"x": x, "value": value, "ci95": profiled(s), "method": "profile"})
        if draws is not None:
            ci = percentile_interval(family, draws, s)
            above.append({"x": x, "value": value, "ci95": ci, "method": "bootstrap"})
    return quantiles, above


def _without_fixed(
    family: Family, covariance: np.ndarray | None, fixed: Sequence[str]
) -> np.ndarray | None:
    """The covariance with held parameters' rows and columns zeroed (they do not vary)."""
    if covariance is None:
        return None
    cov = np.array(covariance, dtype=np.float64)
    for i, name in enumerate(family.parameter_names):
        if name in fixed:
            cov[i, :] = 0.0
            cov[:, i] = 0.0
    return cov
