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
    se_u = se / abs(constraint.jacobian(params[name]))
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
        constraint.from_unconstrained(float(end)) if closed else None
        for end, closed in zip(ends, found, strict=True)
    )
    if constraint.jacobian(params[name]) < 0:  # a bound above: the value falls as u rises
        low, high = high, low
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
