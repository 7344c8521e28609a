"""Fitting data whose size overflows float64 arithmetic: fit a rescaled copy, map it back.

Values near ±1e308 are representable, but their squares are not, and subnormal values (below
2.2e-308) lose their digits in a product; a log-likelihood evaluated on them overflows or
underflows, although the answer is an ordinary number. For the families with a scale (the data
divided by c have the same family, with each parameter transformed by a rule below) the fit is
made on x / c, with c a power of two so that the division is exact, and the result mapped back:
estimates, standard errors, intervals, covariance, log-likelihood (minus n log c for a density)
and the references. scipy's fitters do the same for their own starting points.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.fitting.identifiability import identifiability_flags
from gaussfit.fitting.inference import Uncertainty
from gaussfit.fitting.model import free_to_param
from gaussfit.fitting.optimizers import Step
from gaussfit.fitting.result import FitResult, Reference

# How each parameter changes when the data are multiplied by c: "scale" (times c, also a
# location), "rate" (divided by c), "log" (plus log c), "same" (unchanged).
_RULES: dict[str, dict[str, str]] = {
    "normal": {"mu": "scale", "sigma": "scale"},
    "normal_mixture": {"w": "same", "mu": "scale", "sigma": "scale"},
    "lognormal": {"mu": "log", "sigma": "same"},
    "gamma": {"shape": "same", "scale": "scale"},
    "weibull": {"shape": "same", "scale": "scale"},
    "exponential": {"rate": "rate"},
    "cauchy": {"loc": "scale", "scale": "scale"},
    "laplace": {"loc": "scale", "scale": "scale"},
    "logistic": {"loc": "scale", "scale": "scale"},
    "gumbel": {"loc": "scale", "scale": "scale"},
    "student_t": {"df": "same", "loc": "scale", "scale": "scale"},
    "skewnormal": {"loc": "scale", "scale": "scale", "a": "same"},
    "loggamma": {"loc": "scale", "scale": "scale", "c": "same"},
}
LARGEST = 2.0**400
"""Beyond this size (about 2.6e120) sums of squares and products of the data overflow."""
SMALLEST = 2.0**-400
"""Below it (when every value is this small) they underflow."""


def rescale_factor(family: Family, x: np.ndarray) -> float:
    """The power of two to divide ``x`` by before fitting ``family`` (1.0: fit as it is)."""
    if family.name not in _RULES:
        return 1.0
    largest = float(np.max(np.abs(x)))
    if SMALLEST <= largest <= LARGEST or largest == 0.0:
        return 1.0
    return math.ldexp(1.0, math.frexp(largest)[1] - 1)  # x / c in [-2, 2], exactly


def scale_params(family: Family, params: dict[str, float], c: float) -> dict[str, float]:
    """``params`` of the data, for the data multiplied by ``c``."""
    return {name: _apply(_rule(family, name), value, c) for name, value in params.items()}


def scale_step(family: Family, step: Step, c: float, n: float) -> Step:
    """An iteration on the rescaled data, as it reads on data multiplied by ``c``."""
    shift = _loglik_shift(family, c, n)
    return Step(step.iteration, step.loglik + shift, step.grad_norm,
                scale_params(family, step.params, c))  # fmt: skip


def scale_result(family: Family, result: FitResult, c: float, n: float) -> FitResult:
    """A fit to x / c, mapped back to the data x (c > 0)."""
    shift = _loglik_shift(family, c, n)
    factors = {name: _factor(_rule(family, name), c) for name in result.params}
    stderr = {
        k: None if v is None else v * factors[k] for k, v in result.stderr.items()
    }  # fmt: skip
    ci95 = {k: _interval(family, k, v, c) for k, v in result.ci95.items()}
    cov = None
    if result.cov is not None:
        cov = {
            a: {b: value * factors[a] * factors[b] for b, value in row.items()}
            for a, row in result.cov.items()
        }
    params = scale_params(family, result.params, c)
    positive_definite = result.cov is not None or len(result.fixed) == len(result.params)
    unc = Uncertainty(stderr, ci95, None, positive_definite)
    judged = result.converged or result.stopped == "line_search"
    mapped = replace(
        result,
        params=params,
        stderr=stderr,
        ci95=ci95,
        cov=cov,
        loglik=result.loglik + shift,
        aic=result.aic - 2.0 * shift,
        aicc=None if result.aicc is None else result.aicc - 2.0 * shift,
        bic=result.bic - 2.0 * shift,
        trace=[scale_step(family, s, c, n) for s in result.trace],
        reference={k: _reference(family, r, c, n) for k, r in result.reference.items()},
        fixed=scale_params(family, result.fixed, c),
        flags=identifiability_flags(family, params, unc, result.fixed) if judged else [],
        notes=[
            *result.notes,
            f"fitted to the data divided by 2**{math.frexp(c)[1] - 1} (at their size, float64 "
            "arithmetic overflows or loses digits), then mapped back",
        ],
    )
    if result.bootstrap is not None:
        boot = dict(result.bootstrap)
        boot["stderr"] = {
            k: None if v is None else v * factors[k] for k, v in boot["stderr"].items()
        }
        boot["ci95"] = {k: _interval(family, k, v, c) for k, v in boot["ci95"].items()}
        mapped.bootstrap = boot
    return mapped


def gradient_measures(family: Family, space: str) -> dict[str, str]:
    """What each optimiser variable's gradient is measured against (see ``Settings``): the
    data's spread for a location or scale in data units, the value for a positive parameter
    in the natural space, the odds for a probability there."""
    rules = _RULES.get(family.name)
    measures: dict[str, str] = {}
    if space == "natural":
        coordinates = {p.name: p.name for p in family.parameters}
    else:
        coordinates = free_to_param(family)
    kinds = {p.name: p.constraint.name for p in family.parameters}
    for variable, param in coordinates.items():
        kind = kinds[param]
        if space == "natural" and kind == "positive":
            measures[variable] = "value"
        elif space == "natural" and kind == "unit_interval":
            measures[variable] = "odds"
        elif kind == "real" and rules is not None and _rule(family, param) == "scale":
            measures[variable] = "unit"
    return measures


def _rule(family: Family, name: str) -> str:
    return _RULES[family.name][re.sub(r"\d+$", "", name)]


def _apply(rule: str, value: float, c: float) -> float:
    if rule == "scale":
        return value * c
    if rule == "rate":
        return value / c
    if rule == "log":
        return value + math.log(c)
    return value


def _factor(rule: str, c: float) -> float:
    """d(mapped value) / d(value): what standard errors and covariances are multiplied by."""
    return {"scale": c, "rate": 1.0 / c}.get(rule, 1.0)


def _interval(family: Family, name: str, ci: Any, c: float) -> tuple[float, float] | None:
    if ci is None:
        return None
    rule = _rule(family, name)
    return (_apply(rule, ci[0], c), _apply(rule, ci[1], c))


def _loglik_shift(family: Family, c: float, n: float) -> float:
    """log L(x) - log L(x / c) for x = c * (x / c): a density picks up 1/c per value."""
    return 0.0 if family.discrete else -n * math.log(c)


def _reference(family: Family, ref: Reference | None, c: float, n: float) -> Reference | None:
    if ref is None:
        return None
    loglik = None if ref.loglik is None else ref.loglik + _loglik_shift(family, c, n)
    return Reference(scale_params(family, ref.params, c), loglik, ref.seconds)
