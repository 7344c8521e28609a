"""Profile-likelihood intervals for the parameters of a censored or truncated fit.

As for exact values (``gaussfit.fitting.profile``): the 95% interval of theta_j is where
2 (l_hat - l_p(theta_j)) stays below the chi-square(1) 95% point, with l_p the log-likelihood
maximised over the other parameters at theta_j held. Here l is the censored log-likelihood
(exact, left-, right-, interval-censored and truncation terms) of the fit's own graph: each
l_p is a constrained Newton ascent in the other coordinates (their block of the engine's
Hessian), warm-started from the previous held value. The ends are bracketed by stepping out
in multiples of the Wald standard error in the optimiser's coordinate (log of a positive
parameter) and found by Brent's method; an end not reached within 16 standard errors is open
(None), as for exact values.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from gaussfit.distributions.base import Family
from gaussfit.fitting.model import LikelihoodModel, free_to_param
from gaussfit.fitting.profile import CHI2_1_95

_STEPS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
MAX_NEWTON = 60


def censored_profile_intervals(
    model: LikelihoodModel,
    family: Family,
    params: dict[str, float],
    stderr: dict[str, float | None],
) -> dict[str, tuple[float | None, float | None] | None]:
    """Each free parameter's 95% profile interval from ``model`` (its data fed, its
    variables at the estimate, which it is left at); None where a coordinate does not stand
    for one parameter (a mixture's weights) or there is no standard error to step by."""
    out: dict[str, tuple[float | None, float | None] | None] = {
        name: None for name in family.parameter_names
    }
    best = model.get_free()
    top = model.value()
    mapping = free_to_param(family)
    try:
        for k, variable in enumerate(model.variable_names):
            name = variable if variable in params else mapping.get(variable)
            se = stderr.get(name) if name is not None else None
            if name is None or not se:
                continue
            out[name] = _interval(model, best, top, k, variable, name, params[name], se)
    finally:
        model.set_free(best)
    return out


def _interval(
    model: LikelihoodModel,
    best: np.ndarray,
    top: float,
    k: int,
    variable: str,
    name: str,
    value: float,
    se: float,
) -> tuple[float | None, float | None]:
    transform = _transform(variable, name)
    centre = float(best[k])
    slope = {"log": value, "logit": value * (1.0 - value), "": 1.0}[transform]
    se_u = se / slope
    start = {"point": best.copy()}

    def gap(u: float) -> float:
        """Deviance at coordinate k held at u, minus the chi-square point (NaN if the
        constrained ascent fails)."""
        free = start["point"].copy()
        free[k] = u
        loglik, free = _maximise_others(model, free, k)
        if math.isfinite(loglik):
            start["point"] = free
        return 2.0 * (top - loglik) - CHI2_1_95 if math.isfinite(loglik) else math.nan

    ends: list[float | None] = []
    for sign in (-1.0, 1.0):
        start["point"] = best.copy()
        inner, end = centre, None
        for step in _STEPS:
            u = centre + sign * step * se_u
            value_gap = gap(u)
            if not math.isfinite(value_gap):
                break
            if value_gap > 0:
                start["point"] = best.copy()
                end = brentq(gap, inner, u, xtol=1e-10 * (1.0 + abs(u)), rtol=1e-12)
                break
            inner = u
        ends.append(None if end is None else _natural(transform, end))
    return ends[0], ends[1]


def _maximise_others(model: LikelihoodModel, free: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    """Newton ascent in every coordinate but k (backtracking; gradient steps where the block
    of the Hessian is not negative definite); the log-likelihood reached and the point."""
    others = [i for i in range(len(free)) if i != k]
    model.set_free(free)
    value, gradient = model.value_and_gradient()
    if not others or not math.isfinite(value):
        return value, free
    for _ in range(MAX_NEWTON):
        g = gradient[others]
        block = model.hessian()[np.ix_(others, others)]
        try:
            step = np.linalg.solve(-block, g)
            if not np.all(np.isfinite(step)) or float(g @ step) <= 0:
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            step = g / max(1.0, float(np.max(np.abs(np.diag(block)))))
        t, accepted = 1.0, False
        while t > 1e-10:
            trial = free.copy()
            trial[others] += t * step
            model.set_free(trial)
            new_value, new_gradient = model.value_and_gradient()
            if math.isfinite(new_value) and new_value >= value - 1e-12 * abs(value):
                accepted = True
                break
            t *= 0.5
        if not accepted:
            break
        gain = new_value - value
        free, value, gradient = trial, new_value, new_gradient
        if gain < 1e-12 * (1.0 + abs(value)) and float(np.max(np.abs(t * step))) < 1e-9:
            break
    model.set_free(free)
    return value, free


def _transform(variable: str, name: str) -> str:
    """How the optimiser's coordinate maps to the parameter: itself, its log or its logit."""
    if variable == name:
        return ""
    return "logit" if variable.startswith("logit_") else "log"


def _natural(transform: str, u: float) -> float:
    if transform == "log":
        return math.exp(u)
    if transform == "logit":
        return 1.0 / (1.0 + math.exp(-u))
    return u
