"""What makes an estimate trustworthy: standard errors, intervals, information criteria and
goodness of fit.

Standard errors come from the observed information: the engine's Hessian of the log-likelihood
in the optimiser's coordinates u, inverted, then carried to the natural parameters by the delta
method, Cov(theta) = J Cov(u) J^T with J = d theta / d u also from the engine. 95% intervals are
Wald intervals on the unconstrained scale mapped back, so a scale's interval stays positive and
a probability's stays inside (0, 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.distributions.constraints import Constraint

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Uncertainty:
    stderr: dict[str, float | None]
    ci95: dict[str, tuple[float, float] | None]
    covariance: np.ndarray | None
    positive_definite: bool


def uncertainty(
    family: Family,
    params: dict[str, float],
    hessian: np.ndarray,
    jacobian: np.ndarray,
    fixed: set[str],
    n: float | None = None,
) -> Uncertainty:
    """Delta-method standard errors and transformed Wald intervals."""
    names = family.parameter_names
    k = hessian.shape[0]
    expected = family.expected_information(params, n) if n is not None else None
    if expected is not None and not fixed:
        # The information is given in the natural parameters: no delta method needed.
        hessian, jacobian = -np.asarray(expected, dtype=float), np.eye(len(names))
    empty_se: dict[str, float | None] = {n: None for n in names}
    empty_ci: dict[str, tuple[float, float] | None] = {n: None for n in names}
    if k == 0:
        return Uncertainty(empty_se, empty_ci, None, True)
    cov_free = _inverse_information(-np.asarray(hessian, dtype=float))
    if cov_free is None:
        return Uncertainty(empty_se, empty_ci, None, False)
    cov = jacobian @ cov_free @ jacobian.T
    stderr: dict[str, float | None] = {}
    ci95: dict[str, tuple[float, float] | None] = {}
    by_name = {p.name: p for p in family.parameters}
    for i, name in enumerate(names):
        if name in fixed:
            stderr[name], ci95[name] = None, None
            continue
        se = math.sqrt(max(float(cov[i, i]), 0.0))
        stderr[name] = se
        ci95[name] = _interval(by_name[name].constraint, params[name], se)
    return Uncertainty(stderr, ci95, cov, True)


def _inverse_information(information: np.ndarray) -> np.ndarray | None:
    """The inverse of a positive-definite information matrix, or None when it is not one.

    The matrix is first scaled to unit diagonal (D^-1/2 I D^-1/2), so that the test and the
    inverse do not depend on the parameters' units: data multiplied by 1e9 give the same
    verdict and the same relative standard errors.
    """
    diagonal = np.diag(information)
    if not np.all(np.isfinite(information)) or not np.all(diagonal > 0):
        return None
    scale = 1.0 / np.sqrt(diagonal)
    scaled = information * np.outer(scale, scale)
    try:
        np.linalg.cholesky(scaled)
        inverse = np.linalg.inv(scaled)
    except np.linalg.LinAlgError:
        return None
    return inverse * np.outer(scale, scale)


def correlation(cov: np.ndarray) -> np.ndarray:
    """The correlation matrix of a covariance matrix (a row of zeros, a fixed parameter, stays
    zero; its diagonal entry is 1)."""
    sd = np.sqrt(np.maximum(np.diag(cov), 0.0))
    safe = np.where(sd > 0, sd, 1.0)
    corr = cov / np.outer(safe, safe)
    np.fill_diagonal(corr, np.where(sd > 0, 1.0, 0.0))
    return np.clip(corr, -1.0, 1.0)


def _interval(constraint: Constraint, value: float, se: float) -> tuple[float, float]:
    """A Wald interval on the scale the optimiser works in, so that it stays in the domain."""
    domain = constraint.name
    if domain in ("greater_than", "less_than", "interval") and constraint.contains(value):
        u = constraint.to_unconstrained(value)
        half = min(Z95 * se / abs(constraint.jacobian(value)), 700.0)
        ends = sorted(
            (constraint.from_unconstrained(u - half), constraint.from_unconstrained(u + half))
        )
        return ends[0], ends[1]
    if domain == "positive" and value > 0:
        half = min(Z95 * se / value, 700.0)  # a parameter running off to infinity: no overflow
        return value * math.exp(-half), value * math.exp(half)
    if domain == "unit_interval" and 0 < value < 1:
        logit = math.log(value) - math.log1p(-value)
        half = min(Z95 * se / (value * (1 - value)), 700.0)
        return _expit(logit - half), _expit(logit + half)
    return value - Z95 * se, value + Z95 * se


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def information_criteria(loglik: float, k: int, n: float) -> dict[str, float | None]:
    """AIC, AICc (None when n <= k + 1) and BIC for k free parameters and n observations."""
    aic = 2.0 * k - 2.0 * loglik
    aicc = aic + 2.0 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else None
    bic = k * math.log(n) - 2.0 * loglik
    return {"aic": aic, "aicc": aicc, "bic": bic}


def without_standard_errors(family: Family, unc: Uncertainty) -> Uncertainty:
    """No standard errors, intervals or covariance: where the likelihood is not regular at the
    estimate, the Hessian's inverse is no variance of it (the bootstrap gives intervals)."""
    names = family.parameter_names
    return Uncertainty({n: None for n in names}, {n: None for n in names}, None, True)
