"""The parameters ``gaussfit simulate`` draws from when ``--param`` does not say.

Chosen to give data that look like their family (skewed, heavy-tailed, counts) at a glance; the
normal default is the lab's N(2.5, 1.5²). A test checks every family has an entry inside its
parameter domains, so a new family cannot be forgotten here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gaussfit.distributions import Family

DEFAULTS: dict[str, dict[str, float]] = {
    "normal": {"mu": 2.5, "sigma": 1.5},
    "lognormal": {"mu": 1.0, "sigma": 0.5},
    "exponential": {"rate": 0.5},
    "gamma": {"shape": 2.0, "scale": 3.0},
    "weibull": {"shape": 1.5, "scale": 2.0},
    "student_t": {"df": 5.0, "loc": 0.0, "scale": 1.0},
    "laplace": {"loc": 0.0, "scale": 1.0},
    "logistic": {"loc": 0.0, "scale": 1.0},
    "cauchy": {"loc": 0.0, "scale": 1.0},
    "gumbel": {"loc": 0.0, "scale": 1.0},
    "beta": {"alpha": 2.0, "beta": 5.0},
    "poisson": {"rate": 4.0},
    "negative_binomial": {"n": 5.0, "p": 0.4},
}

# A mixture's parameters depend on its number of components k: equal weights, unit spreads and
# means four apart, so that the k bumps are plainly visible.
MIXTURE_SPACING = 4.0


def default_params(family: Family) -> dict[str, float]:
    """The default parameters of ``family`` (empty for a family nobody has chosen them for)."""
    if family.name == "normal_mixture":
        k = len(family.parameters) // 3
        params = {f"w{j}": 1.0 / k for j in range(1, k + 1)}
        params.update({f"mu{j}": MIXTURE_SPACING * (j - 1) for j in range(1, k + 1)})
        params.update({f"sigma{j}": 1.0 for j in range(1, k + 1)})
        return params
    return dict(DEFAULTS.get(family.name, {}))
