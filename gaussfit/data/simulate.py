"""Drawing data from a family: the default parameters of each family and the seeded draw.

The lab's N(2.5, 1.5²) is the default; every family has defaults that give a typical shape, so
``gaussfit simulate --dist gamma`` works without ``--param``.
"""

from __future__ import annotations

import numpy as np

from gaussfit.errors import ConfigError

DEFAULT_PARAMS: dict[str, dict[str, float]] = {
    "normal": {"mu": 2.5, "sigma": 1.5},
    "lognormal": {"mu": 0.0, "sigma": 0.5},
    "exponential": {"rate": 2.0},
    "gamma": {"shape": 2.0, "scale": 3.0},
    "weibull": {"shape": 1.5, "scale": 2.0},
    "student_t": {"df": 4.0, "loc": 0.0, "scale": 1.0},
    "laplace": {"loc": 0.0, "scale": 1.0},
    "logistic": {"loc": 0.0, "scale": 1.0},
    "cauchy": {"loc": 0.0, "scale": 1.0},
    "gumbel": {"loc": 0.0, "scale": 1.0},
    "beta": {"alpha": 2.0, "beta": 5.0},
    "poisson": {"rate": 4.0},
    "negative_binomial": {"n": 5.0, "p": 0.3},
}


def default_params(family: object) -> dict[str, float]:
    """The defaults for a family (a normal mixture spreads its k components over [-3, 3])."""
    name = family.name  # type: ignore[attr-defined]
    if name == "normal_mixture":
        k = int(family.k)  # type: ignore[attr-defined]
        params = {f"w{j + 1}": 1.0 / k for j in range(k)}
        params.update({f"mu{j + 1}": -3.0 + 6.0 * j / (k - 1) for j in range(k)})
        params.update({f"sigma{j + 1}": 0.7 for j in range(k)})
        return params
    return dict(DEFAULT_PARAMS[name])


def simulate(
    family: object, n: int, params: dict[str, float] | None = None, seed: int | None = None
) -> tuple[np.ndarray, dict[str, float]]:
    """n draws from ``family`` with ``params`` over its defaults; returns (values, params)."""
    if int(n) < 1:
        raise ConfigError(f"n must be at least 1, not {n}")
    full = {**default_params(family), **{k: float(v) for k, v in (params or {}).items()}}
    unknown = set(full) - set(family.parameter_names)  # type: ignore[attr-defined]
    if unknown:
        raise ConfigError(
            f"{family.name} has no parameter {', '.join(sorted(unknown))} "  # type: ignore[attr-defined]
            f"(parameters: {', '.join(family.parameter_names)})"  # type: ignore[attr-defined]
        )
    try:
        family.check_params(full)  # type: ignore[attr-defined]
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    rng = np.random.default_rng(seed)
    values = np.asarray(family.sample(full, int(n), rng), dtype=np.float64)  # type: ignore[attr-defined]
    return values, full
