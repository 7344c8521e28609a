"""Which estimator a fit uses: maximum likelihood, or one of fitdistrplus's four others.

- ``mle``: maximum likelihood (the default; everything else in ``gaussfit.fitting.fit``).
- ``mme``: moment matching (fitdistrplus's ``mmedist``): the fitted distribution's first k
  moments equal the data's, k the number of free parameters.
- ``qme``: quantile matching (``qmedist``): its quantiles at k probabilities (``probs``) equal
  the data's (R's default sample quantile, type 7).
- ``mge``: maximum goodness of fit (``mgedist``): the distance between the fitted and the
  empirical CDF is smallest, one of ``GOF_DISTANCES``.
- ``mse``: maximum product of spacings (``msedist``; Cheng & Amin, 1983): the geometric mean
  of the spacings F(x_(i)) - F(x_(i-1)) is largest.

This module only names and checks the choice; ``gaussfit.fitting.method_objectives`` builds
the objectives and ``gaussfit.fitting.method_fit`` runs the fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError

METHODS = ("mle", "mme", "qme", "mge", "mse")
GOF_DISTANCES = ("CvM", "KS", "AD", "ADR", "ADL", "AD2R", "AD2L", "AD2")
"""fitdistrplus's names (``mgedist(gof=)``): Cramér-von Mises, Kolmogorov-Smirnov,
Anderson-Darling, and its right-tail, left-tail and second-order variants."""
DEFAULT_DISTANCE = "CvM"
TITLES = {
    "mle": "maximum likelihood",
    "mme": "moment matching",
    "qme": "quantile matching",
    "mge": "maximum goodness of fit",
    "mse": "maximum product of spacings",
}


@dataclass(frozen=True)
class Method:
    """An estimator and its settings: ``probs`` for qme, ``distance`` for mge."""

    name: str = "mle"
    probs: tuple[float, ...] = ()
    distance: str | None = None

    @property
    def is_mle(self) -> bool:
        return self.name == "mle"

    def describe(self) -> str:
        """How the report names the estimator, e.g. 'mge: maximum goodness of fit (AD)'."""
        text = f"{self.name}: {TITLES[self.name]}"
        if self.distance is not None:
            text += f", {self.distance} distance"
        if self.probs:
            text += f" at p = {', '.join(f'{p:g}' for p in self.probs)}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The ``method`` object of the JSON report."""
        return {
            "name": self.name,
            "distance": self.distance,
            "probs": list(self.probs) if self.probs else None,
        }


def check_method(
    method: str | None, probs: Sequence[float] | None = None, distance: str | None = None
) -> Method:
    """The ``Method`` named by ``method`` with its settings; ConfigError naming the option at
    fault (unknown method, ``--probs`` or ``--gof-distance`` without the method they belong
    to, a probability outside (0, 1), an unknown distance)."""
    name = (method or "mle").lower()
    if name not in METHODS:
        choices = ", ".join(METHODS)
        raise ConfigError(f"--method: unknown method '{method}'; choose one of {choices}")
    if probs and name != "qme":
        raise ConfigError("--probs: the probabilities of quantile matching; give --method qme")
    if distance is not None and name != "mge":
        raise ConfigError("--gof-distance: the distance of --method mge; give --method mge")
    chosen: tuple[float, ...] = ()
    if name == "qme":
        if not probs:
            raise ConfigError(
                "--method qme: give the probabilities to match with --probs, e.g. --probs 0.25,0.75"
            )
        chosen = _check_probs(probs)
    if name != "mge":
        return Method(name, chosen)
    return Method(name, chosen, _check_distance(distance or DEFAULT_DISTANCE))


def _check_probs(probs: Sequence[float]) -> tuple[float, ...]:
    values = []
    for p in probs:
        try:
            value = float(p)
        except (TypeError, ValueError):
            raise ConfigError(f"--probs: {p!r} is not a number") from None
        if not 0.0 < value < 1.0 or not math.isfinite(value):
            raise ConfigError(f"--probs: {value:g} is not a probability strictly between 0 and 1")
        values.append(value)
    if len(set(values)) != len(values):
        raise ConfigError("--probs: each probability once (a repeated one matches nothing new)")
    return tuple(sorted(values))


def _check_distance(distance: str) -> str:
    by_lower = {d.lower(): d for d in GOF_DISTANCES}
    found = by_lower.get(str(distance).lower())
    if found is None:
        raise ConfigError(
            f"--gof-distance: unknown distance '{distance}'; choose one of "
            f"{', '.join(GOF_DISTANCES)}"
        )
    return found


def check_method_fits(method: Method, family: Family, n_free: int) -> None:
    """Refuse a method the family cannot take: a count family for qme, mge and mse (their
    objectives need a continuous CDF), and a number of probabilities other than the number
    of free parameters for qme (fitdistrplus's rule: as many equations as unknowns)."""
    if method.name in ("qme", "mge", "mse") and family.discrete:
        raise ConfigError(
            f"--method {method.name}: {family.name} is a count family, whose step-shaped CDF "
            "leaves the estimate undetermined; use --method mle or mme"
        )
    if method.name == "qme" and len(method.probs) != n_free:
        raise ConfigError(
            f"--probs: {family.name} has {n_free} free parameter{'s' if n_free != 1 else ''}, "
            f"so quantile matching needs {n_free} probabilit{'ies' if n_free != 1 else 'y'}, "
            f"not {len(method.probs)}"
        )
