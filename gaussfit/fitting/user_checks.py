"""Does a density the fit was not told about integrate to 1?

A built-in family's density is normalised by construction (and checked against scipy). A
user's own is only an expression: a forgotten constant or a wrong support makes the
"log-likelihood" that of some other function, and the estimates, standard errors and AIC
silently wrong. So for a family whose CDF is derived from its density (see
``gaussfit.distributions.numeric``), the total mass over the support is computed by
quadrature at the start and at the fit, and a warning names each point where it is not 1.
"""

from __future__ import annotations

import math

import numpy as np

from gaussfit.distributions.base import Family

TOLERANCE = 1e-4
"""Largest |mass - 1| accepted: quadrature is good to about 1e-8 on smooth densities."""


def normalisation_warnings(
    family: Family, start: dict[str, float], fitted: dict[str, float], x: np.ndarray
) -> list[str]:
    """One warning naming the points (start, fit) where the density's mass is not 1, and one
    when a CDF the family gives disagrees with its density's integral at the data."""
    if not family.density_unchecked:
        return []
    wrong = []
    for label, params in (("the start", start), ("the fit", fitted)):
        mass = family.total_mass(params, x)
        if mass is None:
            return []
        if not (math.isfinite(mass) and abs(mass - 1.0) <= TOLERANCE):
            wrong.append(f"{mass:.6g} at {label} ({_values(params)})")
    out = []
    if wrong:
        kind = "sum" if family.discrete else "integrate"
        out.append(
            f"the density does not {kind} to 1 over its support {family.support.describe()}: "
            f"{' and '.join(wrong)}; the estimates are those of an unnormalised function"
        )
    if family.has_own_cdf and np.size(x):
        out.extend(_cdf_disagreement(family, fitted, x))
    return out


def _cdf_disagreement(family: Family, params: dict[str, float], x: np.ndarray) -> list[str]:
    """A warning when the family's own CDF is not its density's integral at the data."""
    points = np.unique(x[np.isfinite(x)])
    given = np.asarray(family.cdf(points, params), dtype=np.float64)
    integrated = family._numeric_cdf(points, params)[0]
    gap = np.abs(given - integrated)
    if not np.any(np.isfinite(gap)) or float(np.nanmax(gap)) <= TOLERANCE:
        return []
    at = int(np.nanargmax(gap))
    return [
        f"the CDF of {family.name} is not the integral of its density: at the fit they differ "
        f"by up to {gap[at]:.3g} (x = {points[at]:.6g}: {given[at]:.6g} against "
        f"{integrated[at]:.6g})"
    ]


def _values(params: dict[str, float]) -> str:
    return ", ".join(f"{name}={value:.6g}" for name, value in params.items())
