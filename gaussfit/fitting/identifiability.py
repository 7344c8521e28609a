"""Whether the data determine each parameter: flags that do not depend on the data's units.

A flag is raised on scale-free evidence only, so that multiplying the data by 1e9 (metres to
nanometres) never changes a verdict:

- the information matrix, scaled to unit diagonal, is not positive definite: some direction
  of the parameters leaves the log-likelihood flat;
- a positive parameter's 95% interval spans more than a factor of ``MAX_SPAN`` (student_t's df
  on nearly normal data: [0.0046, 2.3e7]) — the relative standard error se / value, which is
  the interval's width on the log scale, does not change with the units;
- a probability's interval spans more than that factor in its odds, or the estimate sits on
  the edge of (0, 1);
- the family's own known pathologies (``Family.degeneracy_flags``): a skew-normal's shape
  drifting to its infinite MLE, a mixture component with almost no weight or two that
  coincide — dimensionless quantities too.

Flags judge a converged fit only: a fit that stopped short is "not converged", and the
curvature at a point that is not the maximum says nothing about identifiability.
"""

from __future__ import annotations

import math

from gaussfit.distributions.base import Family
from gaussfit.distributions.constraints import Constraint
from gaussfit.fitting.inference import Z95, Uncertainty

MAX_SPAN = 1e3
"""A 95% interval whose ends are more than this factor apart does not determine its parameter."""
_MAX_HALF_WIDTH = math.log(MAX_SPAN) / 2.0
EDGE = 1e-8
"""A probability closer than this to 0 or 1 sits on the edge of its range."""


def identifiability_flags(
    family: Family, params: dict[str, float], unc: Uncertainty, fixed: dict[str, float]
) -> list[str]:
    """One sentence per parameter the data do not determine (empty when all are), then the
    family's own flags (``Family.degeneracy_flags``)."""
    own = family.degeneracy_flags(params, dict(unc.stderr))
    if not unc.positive_definite:
        return [
            "the information matrix is not positive definite: the data do not determine "
            "every parameter",
            *own,
        ]
    flags = []
    for p in family.parameters:
        if p.name in fixed:
            continue
        value, se = params[p.name], unc.stderr.get(p.name)
        domain = p.constraint.name
        if domain == "unit_interval" and not EDGE < value < 1.0 - EDGE:
            flags.append(f"{p.name} = {value:.4g} sits on the edge of (0, 1)")
        elif se is not None and _half_width(p.constraint, value, se) > _MAX_HALF_WIDTH:
            flags.append(
                f"{p.name} = {value:.4g} is not determined by these data: its 95% interval "
                f"{_interval_text(unc.ci95.get(p.name))} spans more than a factor of "
                f"{MAX_SPAN:g}"
            )
    return flags + own


def _half_width(constraint: Constraint, value: float, se: float) -> float:
    """Half the 95% interval's width on the log scale (positive) or log-odds scale (0, 1), or
    on the optimiser's scale for a user's bounded parameter."""
    domain = constraint.name
    if domain in ("greater_than", "less_than", "interval") and constraint.contains(value):
        return Z95 * se / abs(constraint.jacobian(value))
    if domain == "positive" and value > 0:
        return Z95 * se / value
    if domain == "unit_interval" and 0 < value < 1:
        return Z95 * se / (value * (1.0 - value))
    return 0.0


def _interval_text(ci: tuple[float, float] | None) -> str:
    if ci is None:
        return "(none)"
    return f"[{ci[0]:.3g}, {ci[1]:.3g}]"
