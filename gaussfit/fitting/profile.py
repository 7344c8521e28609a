"""Profile-likelihood intervals for the parameters.

The profile log-likelihood of a parameter theta_j is the log-likelihood maximised over the
other parameters with theta_j held: l_p(theta_j). Its 95% interval is where the deviance
2 (l_hat - l_p(theta_j)) stays below the chi-square(1) 95% point, 3.8415 (Wilks). Unlike the
Wald interval it follows the likelihood's own shape (asymmetric where the likelihood is), and
it does not depend on how the parameter is written: the interval of log sigma is the log of
sigma's.

Each l_p(theta_j) is a constrained refit, done through the batched graph
(``gaussfit.fitting.batched``) with theta_j's coordinate held and the others maximised by
Newton's method, warm-started at the estimate. The ends are found by Brent's method on the
deviance in the coordinate the optimiser uses (log of a positive parameter), bracketed by
stepping out from the estimate in multiples of the Wald standard error; an end that is not
reached within 64 standard errors is reported as open (None).
"""

from __future__ import annotations

import math

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.fitting.batched import BatchedLikelihood, batchable, fit_rows
from gaussfit.fitting.model import free_to_param

CHI2_1_95 = 3.841458820694124
_STEPS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)


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
    from scipy.optimize import brentq

    constraint = next(p.constraint for p in family.parameters if p.name == name)
    centre = constraint.to_unconstrained(params[name])
    se_u = se / constraint.jacobian(params[name])

    def profile(values: np.ndarray) -> np.ndarray:
        rows = np.broadcast_to(block, (len(values), block.shape[1]))
        fitted = fit_rows(model, rows, params, held={coordinate: values})
        assert fitted.loglik is not None
        return np.where(fitted.converged, fitted.loglik, np.nan)

    top = max(float(profile(np.array([centre]))[0]), -math.inf)

    def deviance_gap(u: float) -> float:
        return 2.0 * (top - float(profile(np.array([u]))[0])) - CHI2_1_95

    ends: list[float | None] = []
    for sign in (-1.0, 1.0):
        trial = centre + sign * se_u * np.array(_STEPS)
        gaps = 2.0 * (top - profile(trial)) - CHI2_1_95
        beyond = np.flatnonzero(np.isfinite(gaps) & (gaps > 0))
        if len(beyond) == 0:
            ends.append(None)
            continue
        k = int(beyond[0])
        inner = centre if k == 0 else float(trial[k - 1])
        root = brentq(deviance_gap, inner, float(trial[k]), xtol=1e-12 * max(1.0, abs(centre)))
        ends.append(root)
    low, high = (None if e is None else _constrained(constraint.name, e) for e in ends)
    return low, high


def _constrained(domain: str, u: float) -> float:
    if domain == "positive":
        return math.exp(u)
    if domain == "unit_interval":
        return 1.0 / (1.0 + math.exp(-u))
    return u
