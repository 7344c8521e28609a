"""Drawing data from a family: each family's default parameters and the seeded draw.

The defaults give data that look like their family (skewed, heavy-tailed, counts) at a glance;
the normal default is the lab's N(2.5, 1.5²). ``gaussfit simulate`` and batch ``simulate:`` jobs
both draw through here, so the same seed gives the same numbers everywhere. A test checks that
every family has defaults inside its parameter domains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from gaussfit.errors import ConfigError

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
    "gev": {"loc": 0.0, "scale": 1.0, "xi": 0.1},
    "genpareto": {"scale": 1.0, "xi": 0.2},
    "lomax": {"shape": 3.0, "scale": 2.0},
    "frechet": {"shape": 3.0, "scale": 2.0},
    "burr12": {"c": 2.0, "d": 3.0, "scale": 2.0},
    "loglogistic": {"shape": 3.0, "scale": 2.0},
    "rayleigh": {"scale": 2.0},
    "gumbel_min": {"loc": 0.0, "scale": 1.0},
    "kumaraswamy": {"a": 2.0, "b": 5.0},
    "halfnormal": {"scale": 1.5},
    "maxwell": {"scale": 1.5},
    "chi2": {"df": 4.0},
    "invgamma": {"shape": 3.0, "scale": 2.0},
    "nakagami": {"nu": 1.5, "scale": 2.0},
    "invgauss": {"mu": 2.0, "lam": 4.0},
    "geometric": {"p": 0.3},
    "skewnormal": {"loc": 0.0, "scale": 2.0, "a": 4.0},
    "loggamma": {"loc": 0.0, "scale": 1.0, "c": 2.0},
    "pareto": {"shape": 2.5, "scale": 1.0},
    "uniform": {"loc": 0.0, "scale": 1.0},
    "lognormal3": {"mu": 0.5, "sigma": 0.5, "threshold": 2.0},
    "weibull3": {"shape": 2.5, "scale": 2.0, "threshold": 2.0},
    "gamma3": {"shape": 3.0, "scale": 1.0, "threshold": 2.0},
    "triangular": {"lower": 0.0, "mode": 3.0, "upper": 10.0},
    "binomial": {"n": 20.0, "p": 0.3},
    "zip": {"pi": 0.3, "rate": 4.0},
    "zinb": {"pi": 0.3, "n": 2.0, "p": 0.3},
    "betabinom": {"n": 20.0, "a": 2.0, "b": 5.0},
    "logser": {"p": 0.8},
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
    components = getattr(family, "components", None)
    if components is not None:
        return _mixture_defaults(components)
    return dict(DEFAULTS.get(family.name, {}))


# A two-family mixture (gamma+gamma) mixes its components' defaults half and half; a second
# component of the first one's family is moved away from it so that the two are told apart:
# its scale and rate times MIXTURE_FACTOR, its location MIXTURE_SPACING further on.
MIXTURE_FACTOR = 4.0


def _mixture_defaults(components: tuple[Family, ...]) -> dict[str, float]:
    params = {"w": 0.5}
    for j, component in enumerate(components, start=1):
        own = dict(DEFAULTS.get(component.name, {}))
        if j == 2 and component.name == components[0].name:
            for name in own:
                if name in ("scale", "rate"):
                    own[name] *= MIXTURE_FACTOR
                elif name in ("loc", "mu"):
                    own[name] += MIXTURE_SPACING
        params.update({f"{name}{j}": value for name, value in own.items()})
    return params


def simulate(
    family: Family, n: int, params: dict[str, float] | None = None, seed: int | None = None
) -> tuple[np.ndarray, dict[str, float]]:
    """n draws from ``family`` with ``params`` over its defaults; returns (values, params)."""
    if int(n) < 1:
        raise ConfigError(f"n must be at least 1, not {n}")
    full = {**default_params(family), **{k: float(v) for k, v in (params or {}).items()}}
    unknown = set(full) - set(family.parameter_names)
    missing = set(family.parameter_names) - set(full)
    if unknown or missing:
        raise ConfigError(
            f"{family.name} takes the parameters {', '.join(family.parameter_names)}"
            + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "")
            + (f"; missing: {', '.join(sorted(missing))}" if missing else "")
        )
    try:
        family.check_params(full)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    rng = np.random.default_rng(seed)
    return np.asarray(family.sample(full, int(n), rng), dtype=np.float64), full
