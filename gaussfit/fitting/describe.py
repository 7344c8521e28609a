"""``describe``: summary statistics and the Cullen and Frey graph, before any fit.

The statistics are those of fitdistrplus's ``descdist``: with ``method = "unbiased"`` (its
default) the skewness is ``sqrt(n(n-1))/(n-2) * m3 / m2^1.5`` and the kurtosis (3 for a
normal) ``(n-1)/((n-2)(n-3)) * ((n+1) m4/m2^2 - 3(n-1)) + 3``, with ``m_k`` the central moments
(divisor n); these are scipy's ``skew(bias=False)`` and ``kurtosis(fisher=False, bias=False)``.
The standard deviation has divisor n - 1, as R's ``sd``.

The Cullen and Frey graph places the sample at (skewness², kurtosis) and, for a feeling of its
uncertainty, B bootstrap resamples too. Each family's locus of (skewness², kurtosis) is where
a sample from it should land: a point (normal, logistic: the shape does not change), a line (one
shape parameter) or an area (two). descdist's own families have closed forms; every other
family of gaussfit with a scipy.stats counterpart gets its locus from scipy's moments, each
shape parameter swept over a wide range, so new families appear without code here.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gaussfit.errors import DataError

SWEEP_POINTS = 160
SWEEP_FACTOR = 60.0
"""Each positive shape parameter is swept from its default / SWEEP_FACTOR to x SWEEP_FACTOR."""
DESCDIST_CONTINUOUS = ("normal", "uniform", "exponential", "logistic", "lognormal", "gamma", "beta")
DESCDIST_DISCRETE = ("normal", "poisson", "negative_binomial")


@dataclass
class Description:
    """Summary statistics of one column, its bootstrap (skewness², kurtosis) points, and
    the families' loci for the Cullen and Frey graph."""

    n: int
    min: float
    max: float
    median: float
    mean: float
    sd: float
    skewness: float
    kurtosis: float
    discrete: bool
    bootstrap: list[tuple[float, float]] = field(default_factory=list)
    loci: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from gaussfit.fitting.result import json_safe

        return json_safe(
            {
                "n": self.n,
                "min": self.min,
                "max": self.max,
                "median": self.median,
                "mean": self.mean,
                "sd": self.sd,
                "skewness": self.skewness,
                "kurtosis": self.kurtosis,
                "discrete": self.discrete,
                "bootstrap": [{"skewness2": s, "kurtosis": k} for s, k in self.bootstrap],
                "loci": [{"family": d["family"], "kind": d["kind"]} for d in self.loci],
            }
        )


def skewness(x: np.ndarray) -> float:
    """descdist's unbiased skewness (scipy's ``skew(x, bias=False)``)."""
    n = x.size
    centred = x - np.mean(x)
    m2, m3 = np.mean(centred**2), np.mean(centred**3)
    return float(math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5)


def kurtosis(x: np.ndarray) -> float:
    """descdist's unbiased kurtosis, 3 for a normal (``kurtosis(x, False, False)``)."""
    n = x.size
    centred = x - np.mean(x)
    m2, m4 = np.mean(centred**2), np.mean(centred**4)
    return float((n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * m4 / m2**2 - 3 * (n - 1)) + 3)


def describe(
    x: np.ndarray, *, bootstrap: int = 0, seed: int | None = None, source: str = "the data"
) -> Description:
    """The statistics of ``x``, ``bootstrap`` resampled (skewness², kurtosis) points, and the
    loci of the families (the discrete ones when ``x`` holds only whole numbers >= 0)."""
    x = np.asarray(x, dtype=np.float64)
    if x.size < 4:
        raise DataError(f"{source}: {x.size} values; skewness and kurtosis need at least 4")
    if float(np.max(x)) == float(np.min(x)):
        raise DataError(f"{source}: every value is {x[0]:g}; skewness and kurtosis are undefined")
    discrete = bool(np.all(x >= 0) and np.all(x == np.round(x)))
    out = Description(
        n=int(x.size),
        min=float(np.min(x)),
        max=float(np.max(x)),
        median=float(np.median(x)),
        mean=float(np.mean(x)),
        sd=float(np.std(x, ddof=1)),
        skewness=skewness(x),
        kurtosis=kurtosis(x),
        discrete=discrete,
    )
    if bootstrap:
        rng = np.random.default_rng(seed)
        for _ in range(bootstrap):
            sample = x[rng.integers(0, x.size, x.size)]
            if np.ptp(sample) > 0:
                out.bootstrap.append((skewness(sample) ** 2, kurtosis(sample)))
    out.loci = family_loci(discrete)
    return out


def family_loci(discrete: bool) -> list[dict[str, Any]]:
    """``{"family", "kind": "point"|"line"|"area", "s2", "kurt"}`` per family: descdist's
    closed forms first, then every other gaussfit family of the same kind (discrete or not)
    with a scipy counterpart whose moments are finite somewhere."""
    loci = _descdist_loci(discrete)
    from gaussfit.distributions import FAMILIES, get_family

    known = {"normal", "lognormal", "exponential", "gamma", "logistic", "beta", "uniform"}
    known |= {"poisson", "negative_binomial"}
    # a threshold only shifts a law: its locus is the two-parameter family's
    known |= {"lognormal3", "weibull3", "gamma3"}
    for name in FAMILIES:
        family = get_family(name)
        if name in known or family.discrete != discrete:
            continue
        locus = scipy_locus(family)
        if locus is not None:
            loci.append(locus)
    return loci


def _descdist_loci(discrete: bool) -> list[dict[str, Any]]:
    """The families descdist draws, from their closed forms (see its source)."""
    gamma_s2 = np.linspace(0, 40, SWEEP_POINTS)
    if discrete:
        s2 = np.linspace(1e-3, 40, SWEEP_POINTS)
        return [
            _point("normal", 0.0, 3.0),
            _line("poisson", s2, 3.0 + s2),  # lambda = 1 / s2
            # negative binomial with q = 1 - p: kurt - 3 = s2 (1 + 4q + q^2) / (1 + q)^2,
            # from the Poisson line (q -> 0) to the gamma line (q -> 1)
            _area("negative_binomial", s2, 3.0 + s2, 3.0 + 1.5 * s2),
        ]
    sigma2 = np.linspace(1e-4, 1.0, SWEEP_POINTS)
    es2 = np.exp(sigma2)
    return [
        _point("normal", 0.0, 3.0),
        _point("uniform", 0.0, 1.8),
        _point("exponential", 4.0, 9.0),
        _point("logistic", 0.0, 4.2),
        _line("lognormal", (es2 + 2) ** 2 * (es2 - 1), es2**4 + 2 * es2**3 + 3 * es2**2 - 3),
        _line("gamma", gamma_s2, 3.0 + 1.5 * gamma_s2),  # shape k: s2 = 4/k, kurt = 3 + 6/k
        # beta: between the bound every distribution keeps, kurt >= 1 + s2, and the gamma line
        _area("beta", gamma_s2, 1.0 + gamma_s2, 3.0 + 1.5 * gamma_s2),
    ]


def scipy_locus(family: Any) -> dict[str, Any] | None:
    """A family's (skewness², kurtosis) locus from its scipy counterpart's moments: each
    parameter swept from the simulate defaults; no parameter moving the moments makes a
    point, one (or several along one curve) a line, two across each other an area (drawn as
    the cloud of a grid of both). None without a scipy counterpart or finite moments."""
    from gaussfit.data.simulate import default_params
    from gaussfit.distributions.scipy_counterparts import SCIPY_COUNTERPARTS

    if SCIPY_COUNTERPARTS.get(family.name) is None:  # no scipy law (a law of our own making)
        return None
    base = default_params(family)
    if not base or family.scipy_dist(base) is None:
        return None
    curves = []
    for name in family.parameter_names:
        values = _sweep(family, name, base[name])
        s2, kurt = _moments(family, {**base, name: values})
        if s2.size > 1 and (np.ptp(s2) > 1e-9 or np.ptp(kurt) > 1e-9):
            curves.append((name, values))
    if not curves:
        s2, kurt = _moments(family, base)
        if s2.size == 0:
            return None
        return _point(family.name, float(s2[0]), float(kurt[0]))
    first_name, first = curves[0]
    s2, kurt = _moments(family, {**base, first_name: first})
    if len(curves) > 1:
        second_name, second = curves[1]
        grid_a, grid_b = np.meshgrid(first[::8], second[::8])
        cloud = _moments(family, {**base, first_name: grid_a.ravel(), second_name: grid_b.ravel()})
        if not _on_curve(s2, kurt, *cloud):
            return {"family": family.name, "kind": "area", "s2": cloud[0], "kurt": cloud[1]}
    return _line(family.name, s2, kurt)


def _on_curve(
    s2: np.ndarray, kurt: np.ndarray, cloud_s2: np.ndarray, cloud_kurt: np.ndarray
) -> bool:
    """Whether the cloud's points, where the curve reaches, lie on the curve (an inverse
    Gaussian's two parameters move it along one line: only mu / lambda counts)."""
    order = np.argsort(s2)
    inside = (cloud_s2 >= s2[order][0]) & (cloud_s2 <= s2[order][-1])
    expected = np.interp(cloud_s2[inside], s2[order], kurt[order])
    return bool(np.all(np.abs(expected - cloud_kurt[inside]) <= 1e-3 * (1 + cloud_kurt[inside])))


def _sweep(family: Any, name: str, default: float) -> np.ndarray:
    constraint = next(p.constraint for p in family.parameters if p.name == name).name
    if constraint == "unit_interval":
        return np.linspace(0.005, 0.995, SWEEP_POINTS)
    if constraint == "positive":
        return default * np.geomspace(1 / SWEEP_FACTOR, SWEEP_FACTOR, SWEEP_POINTS)
    return default + np.linspace(-2.0, 2.0, SWEEP_POINTS) * max(abs(default), 1.0)


def _moments(family: Any, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """(skewness², kurtosis) where both are finite, for array-valued ``params``."""
    size = max(np.size(v) for v in params.values())
    arrays = {
        k: np.broadcast_to(np.asarray(v, dtype=np.float64), (size,)) for k, v in params.items()
    }
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            skew, excess = family.scipy_dist(arrays).stats(moments="sk")
        except (ValueError, TypeError, OverflowError):
            return np.empty(0), np.empty(0)
        s2 = np.asarray(skew, dtype=np.float64) ** 2
        kurt = np.asarray(excess, dtype=np.float64) + 3.0
    # kurtosis >= 1 + skewness² holds for every distribution: points beyond it are scipy's
    # rounding near the order where a moment stops existing (a Frechet shape close to 4)
    keep = np.isfinite(s2) & np.isfinite(kurt) & (kurt >= 1.0 + s2 - 1e-9)
    return np.broadcast_to(s2, (size,))[keep], np.broadcast_to(kurt, (size,))[keep]


def _point(name: str, s2: float, kurt: float) -> dict[str, Any]:
    return {"family": name, "kind": "point", "s2": np.array([s2]), "kurt": np.array([kurt])}


def _line(name: str, s2: np.ndarray, kurt: np.ndarray) -> dict[str, Any]:
    return {"family": name, "kind": "line", "s2": np.asarray(s2), "kurt": np.asarray(kurt)}


def _area(name: str, s2: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> dict[str, Any]:
    return {"family": name, "kind": "area", "s2": s2, "kurt": lower, "upper": upper}
