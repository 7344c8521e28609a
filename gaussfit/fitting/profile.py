"""Profile-likelihood intervals for the parameters.

The profile log-likelihood of a parameter theta_j is the log-likelihood maximised over the
other parameters with theta_j held: l_p(theta_j). Its 95% interval is where the deviance
2 (l_hat - l_p(theta_j)) stays below the chi-square(1) 95% point, 3.8415 (Wilks). Unlike the
Wald interval it follows the likelihood's own shape (asymmetric where the likelihood is), and
it does not depend on how the parameter is written: the interval of log sigma is the log of
sigma's.

Each l_p(theta_j) is a constrained refit, done through the batched graph
(``gaussfit.fitting.batched``) with theta_j's coordinate held and the others maximised by
Newton's method, warm-started at the estimate. The ends are found on the
deviance in the coordinate the optimiser uses (log of a positive parameter), bracketed by
stepping out from the estimate in multiples of the Wald standard error (one batch), then
found on both sides at once by Newton steps on the deviance, whose slope is the held
coordinate's gradient at the refit (envelope theorem), falling back to bisection when a step
leaves the bracket. An end not reached within 16 standard errors is reported as open (None):
the likelihood does not bound the parameter there (a Student t's df on nearly normal data),
and further out the log-likelihood's own rounding (lgamma of a huge df) would fake a crossing.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.fitting.batched import BatchedLikelihood, batchable, fit_rows
from gaussfit.fitting.model import free_to_param

CHI2_1_95 = 3.841458820694124
_STEPS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
MAX_ROOT_STEPS = 60


def profile_intervals(
    family: Family,
    x: np.ndarray,
    params: dict[str, float],
    fixed: dict[str, float],
    stderr: dict[str, float | None],
) -> dict[str, tuple[float | None, float | None] | None]:
    """Each free parameter's 95% profile-likelihood interval (None for held parameters, or
    where the family cannot be profiled: a mixture's weights share their coordinates)."""
    out: dict[str, tuple[float | None, float | None] | None] = {
        name: None for name in family.parameter_names
    }
    if not batchable(family):
        return out
    model = BatchedLikelihood(family, fixed)
    try:
        block = np.asarray(x, dtype=np.float64)[None, :]
        for coordinate, name in free_to_param(family).items():
            if name in fixed or not stderr.get(name):
                continue
            out[name] = _interval(model, block, family, params, coordinate, name, stderr[name])
    finally:
        model.close()
    return out


def _interval(
    model: BatchedLikelihood,
    block: np.ndarray,
    family: Family,
    params: dict[str, float],
    coordinate: str,
    name: str,
    se: float,
) -> tuple[float | None, float | None]:
    constraint = next(p.constraint for p in family.parameters if p.name == name)
    centre = constraint.to_unconstrained(params[name])
    se_u = se / constraint.jacobian(params[name])
    column = model.free_names.index(coordinate)

    def profile(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """l_p at held values, and its slope: by the envelope theorem d l_p / d u is the held
        coordinate's own gradient at the constrained refit."""
        rows = np.broadcast_to(block, (len(values), block.shape[1]))
        fitted = fit_rows(model, rows, params, held={coordinate: values})
        assert fitted.loglik is not None and fitted.gradient is not None
        return np.where(fitted.converged, fitted.loglik, np.nan), fitted.gradient[:, column]

    top = float(profile(np.array([centre]))[0][0])

    def gap(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Deviance minus the chi-square point, and its slope."""
        value, slope = profile(values)
        return 2.0 * (top - value) - CHI2_1_95, -2.0 * slope

    steps = np.array(_STEPS)
    trial = np.concatenate([centre - se_u * steps, centre + se_u * steps])
    values, _ = gap(trial)
    inner, outer, found = [], [], []
    for side in (slice(0, len(steps)), slice(len(steps), 2 * len(steps))):
        beyond = np.flatnonzero(np.isfinite(values[side]) & (values[side] > 0))
        found.append(len(beyond) > 0)
        k = int(beyond[0]) if len(beyond) else 0
        outer.append(float(trial[side][k]))
        inner.append(centre if k == 0 else float(trial[side][k - 1]))
    ends = _roots(gap, np.array(inner), np.array(outer))
    low, high = (
        _constrained(constraint.name, float(end)) if closed else None
        for end, closed in zip(ends, found, strict=True)
    )
    return low, high


def _roots(
    gap: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    inner: np.ndarray,
    outer: np.ndarray,
) -> np.ndarray:
    """Both ends at once by safeguarded Newton steps: ``gap`` < 0 at ``inner`` and > 0 at
    ``outer``; a step that leaves its bracket is replaced by bisection."""
    low, high = inner.copy(), outer.copy()  # gap < 0 at low, > 0 at high, side by side
    u = 0.5 * (low + high)
    for _ in range(MAX_ROOT_STEPS):
        value, slope = gap(u)
        if np.all(np.abs(value) < 1e-10) or np.all(np.abs(high - low) < 1e-13 * (1 + np.abs(u))):
            break
        below = value < 0
        low = np.where(below, u, low)
        high = np.where(below, high, u)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = u - value / slope
        inside = np.isfinite(step) & ((step - low) * (step - high) < 0)
        u = np.where(inside, step, 0.5 * (low + high))
    return u


def _constrained(domain: str, u: float) -> float:
    if domain == "positive":
        return math.exp(u)
    if domain == "unit_interval":
        return 1.0 / (1.0 + math.exp(-u))
    return u


def profile_curve(
    family: Family,
    x: np.ndarray,
    params: dict[str, float],
    fixed: dict[str, float],
    name: str,
    values: np.ndarray,
) -> np.ndarray:
    """The profile log-likelihood l_p of parameter ``name`` at each of ``values`` (its natural
    scale): one batched constrained refit per value, warm-started at the estimate, as the
    interval's ends are found; NaN where a refit did not converge. For drawing the curve
    (``--plot-profile``, fitdistrplus's ``llplot``)."""
    if not batchable(family):
        raise ValueError(f"{family.name} cannot be profiled (its coordinates are shared)")
    constraint = next(p.constraint for p in family.parameters if p.name == name)
    coordinate = next(c for c, n in free_to_param(family).items() if n == name)
    held = np.array([constraint.to_unconstrained(float(v)) for v in values])
    model = BatchedLikelihood(family, fixed)
    try:
        block = np.asarray(x, dtype=np.float64)[None, :]
        rows = np.broadcast_to(block, (len(held), block.shape[1]))
        fitted = fit_rows(model, rows, params, held={coordinate: held})
    finally:
        model.close()
    assert fitted.loglik is not None
    return np.where(fitted.converged, fitted.loglik, np.nan)


GRID_POINTS = 41
GRID_WIDEN = 1.5
"""A drawn profile reaches this many times as far from the estimate as the interval's end."""
GRID_OPEN_REACH = 4.0
"""Standard errors a drawn profile reaches on a side where the interval is open."""


def profile_grid(
    family: Family,
    params: dict[str, float],
    stderr: dict[str, float | None],
    name: str,
    interval: tuple[float | None, float | None] | None,
    points: int = GRID_POINTS,
) -> np.ndarray:
    """Values of ``name`` at which to draw its profile: evenly spaced in the optimiser's
    coordinate (log of a positive parameter), past the interval's ends on both sides."""
    constraint = next(p.constraint for p in family.parameters if p.name == name)
    centre = constraint.to_unconstrained(params[name])
    se_u = (stderr.get(name) or 0.0) / constraint.jacobian(params[name])
    reach = [
        abs(constraint.to_unconstrained(end) - centre) * GRID_WIDEN
        if end is not None
        else GRID_OPEN_REACH * se_u
        for end in (interval or (None, None))
    ]
    u = np.linspace(centre - reach[0], centre + reach[1], points)
    return np.array([_constrained(constraint.name, float(v)) for v in u])
