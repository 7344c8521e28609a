"""A mixture of two families on the same support: f = w f1 + (1 - w) f2.

Spelled ``first+second`` (``gamma+gamma``, ``lognormal+gamma``, ``poisson+poisson``) wherever a
family name is taken, or built from two families: ``Mixture(Gamma(), Gamma())``. Its
parameters are the weight ``w`` of the first component and each component's parameters with
the component's number appended (``shape1``, ``scale1``, ``shape2``, ``scale2``), each moved by
its own domain's bijection, so the optimiser sees ``logit_w``, ``log_shape1``, ...

Two components of the same family are defined only up to relabelling; ``order_components``
puts the one with the smaller median first, so that a fit reports the same labels whatever its
start. The start is a split of the sorted data into two stretches (one-dimensional k-means,
and the median split), each followed by a few EM steps whose M-step is each component's own
weighted start (exact for the Poisson, a moment or quantile match for the others); the start
with the higher likelihood wins. The likelihood is unbounded where a component collapses onto
one point, and flat where a component's weight goes to 0: ``degeneracy_flags`` says so.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import UNIT_INTERVAL
from gaussfit.errors import ConfigError

_START_SAMPLE = 20_000  # the start looks at an evenly spaced subsample of the sorted data
_EM_STEPS = 25
_MIN_START_WEIGHT = 0.02
_COLLAPSED_WEIGHT = 1e-3
_SAME_COMPONENTS = 1e-3  # relative difference under which two components coincide
_MAX_KMEANS_STEPS = 100


def _shared_support(first: Family, second: Family) -> Support:
    """The support both components live on: same ends and kind, open where either is."""
    a, b = first.support, second.support
    if (a.lower, a.upper, a.integer) != (b.lower, b.upper, b.integer):
        raise ConfigError(
            f"mixture {first.name}+{second.name}: the components' supports differ "
            f"({a.describe()} and {b.describe()}); mix families of the same support"
        )
    return replace(
        a, lower_open=a.lower_open or b.lower_open, upper_open=a.upper_open or b.upper_open
    )


class Mixture(Family):
    """Two components of the same support with weights w and 1 - w."""

    def __init__(self, first: Family | str, second: Family | str) -> None:
        from gaussfit.distributions import get_family

        self.components = tuple(get_family(c) if isinstance(c, str) else c for c in (first, second))
        for component in self.components:
            if isinstance(component, Mixture) or component.name == "normal_mixture":
                raise ConfigError(
                    f"mixture components are single families, not {component.name}; "
                    "for k normals use normal_mixture"
                )
        first, second = self.components
        self.name = f"{first.name}+{second.name}"
        self.title = f"Mixture of {first.name} and {second.name} with weight w"
        self.support = _shared_support(first, second)
        self.discrete = first.discrete

    # -- parameters -------------------------------------------------------------------------
    @property
    def parameters(self) -> tuple[Parameter, ...]:
        own = (Parameter("w", UNIT_INTERVAL, "weight of component 1 (2 has 1 - w)"),)
        return own + tuple(
            Parameter(f"{p.name}{j}", p.constraint, f"{p.description} of component {j}")
            for j, component in enumerate(self.components, start=1)
            for p in component.parameters
        )

    def _split(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Each component's parameters under its own names."""
        return [
            {p.name: params[f"{p.name}{j}"] for p in component.parameters}
            for j, component in enumerate(self.components, start=1)
        ]

    def _join(self, w: float, parts: list[dict[str, float]]) -> dict[str, float]:
        params = {"w": float(w)}
        for j, part in enumerate(parts, start=1):
            params.update({f"{name}{j}": float(value) for name, value in part.items()})
        return params

    def order_components(self, params: dict[str, float]) -> dict[str, float]:
        """Two components of one family with the smaller median first (else as spelled)."""
        first, second = self.components
        if first.name != second.name:
            return dict(params)
        parts = self._split(params)
        medians = [_median(first, part) for part in parts]
        if medians[0] <= medians[1]:
            return dict(params)
        return self._join(1.0 - params["w"], parts[::-1])

    # -- data and model ---------------------------------------------------------------------
    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        order = np.argsort(x, kind="stable")
        step = max(1, order.size // _START_SAMPLE)
        keep = order[::step]
        xs = np.asarray(x, dtype=np.float64)[keep]
        ws = np.ones(xs.size) if w is None else np.asarray(w, dtype=np.float64)[keep]
        best, best_loglik = None, -math.inf
        for cut in sorted({_kmeans_cut(xs, ws), _median_cut(ws)}):
            start = self._split_start(xs, ws, cut)
            if start is None:
                continue
            start, loglik = self._em(xs, ws, start)
            if loglik > best_loglik or best is None:
                best, best_loglik = start, loglik
        if best is None:  # too few distinct values to split: both components start alike
            parts = [c.initial(xs, ws) for c in self.components]
            best = self._join(0.5, parts)
        return best

    def _split_start(self, xs: np.ndarray, ws: np.ndarray, cut: int) -> dict | None:
        """Each component's start on its stretch of the sorted data, weighted by its share."""
        pieces = [(xs[:cut], ws[:cut]), (xs[cut:], ws[cut:])]
        if any(np.unique(piece).size < 2 or np.sum(weight) <= 0 for piece, weight in pieces):
            return None
        parts = [c.initial(p, pw) for c, (p, pw) in zip(self.components, pieces, strict=True)]
        share = float(np.sum(ws[:cut]) / np.sum(ws))
        share = min(max(share, _MIN_START_WEIGHT), 1.0 - _MIN_START_WEIGHT)
        return self._join(share, parts)

    def _em(self, xs: np.ndarray, ws: np.ndarray, start: dict[str, float]):
        """A few EM steps from ``start``: responsibilities from the components' densities, then
        each component's weighted start as its M-step. Returns the best point seen and its
        log-likelihood (the start itself when a component has no numeric density)."""
        params, best, best_loglik = start, start, -math.inf
        for _ in range(_EM_STEPS + 1):
            try:
                terms = self._log_terms(xs, params)
            except NotImplementedError:
                return start, -math.inf
            loglik = float(np.sum(ws * np.logaddexp(terms[0], terms[1])))
            if not math.isfinite(loglik):
                break
            if loglik > best_loglik:
                best, best_loglik = params, loglik
            r1 = np.exp(terms[0] - np.logaddexp(terms[0], terms[1]))
            weights = [ws * r1, ws * (1.0 - r1)]
            if any(np.sum(v) <= _MIN_START_WEIGHT * np.sum(ws) for v in weights):
                break
            try:
                parts = [c.initial(xs, v) for c, v in zip(self.components, weights, strict=True)]
                candidate = self._join(float(np.sum(weights[0]) / np.sum(ws)), parts)
                self.check_params(candidate)
            except (ValueError, ZeroDivisionError, FloatingPointError):
                break
            params = candidate
        return best, best_loglik

    def _log_terms(self, x: np.ndarray, params: dict[str, float]) -> list[np.ndarray]:
        """log w + log f1 and log(1 - w) + log f2, elementwise (numpy, via scipy)."""
        parts = self._split(params)
        w = params["w"]
        with np.errstate(divide="ignore"):
            return [
                math.log(weight) + c.log_pdf_numpy(x, part)
                for weight, c, part in zip((w, 1.0 - w), self.components, parts, strict=True)
            ]

    def _mix(self, method: str, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """log(w e^{a1} + (1 - w) e^{a2}) of the components' ``method`` graphs."""
        parts = self._split(p)
        w = p["w"]
        rows = [
            tf.log(w) + getattr(self.components[0], method)(x, parts[0]),
            tf.log1p(-w) + getattr(self.components[1], method)(x, parts[1]),
        ]
        return tf.reduce_logsumexp(tf.stack(rows, axis=0), axis=0)

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._mix("log_prob", x, p)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._mix("log_cdf", x, p)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._mix("log_sf", x, p)

    def degeneracy_flags(self, params: dict[str, float], stderr: dict[str, Any]) -> list[str]:
        w = params["w"]
        flags = []
        for j, weight in ((1, w), (2, 1.0 - w)):
            if weight < _COLLAPSED_WEIGHT:
                flags.append(
                    f"component {j} has weight {weight:.3g}: it has collapsed, the data "
                    "need only one component"
                )
        first, second = self.components
        if first.name == second.name:
            parts = self._split(params)
            if all(
                abs(parts[0][n] - parts[1][n]) <= _SAME_COMPONENTS * max(abs(parts[0][n]), 1e-12)
                for n in parts[0]
            ):
                flags.append("components 1 and 2 coincide: the data need only one component")
        return flags

    # -- references -------------------------------------------------------------------------
    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        parts = self._split(params)
        first = rng.uniform(size=n) < params["w"]
        out = np.empty(n, dtype=np.float64)
        count = int(np.sum(first))
        out[first] = self.components[0].sample(parts[0], count, rng)
        out[~first] = self.components[1].sample(parts[1], n - count, rng)
        return out

    def log_pdf_numpy(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        terms = self._log_terms(np.asarray(x, dtype=np.float64), params)
        return np.logaddexp(terms[0], terms[1])

    def cdf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        parts = self._split(params)
        w = params["w"]
        return w * self.components[0].cdf(x, parts[0]) + (1.0 - w) * self.components[1].cdf(
            x, parts[1]
        )


def _median(family: Family, params: dict[str, float]) -> float:
    """A component's median (scipy's), or its first parameter where scipy has no counterpart."""
    dist = family.scipy_dist(params)
    return float(dist.median()) if dist is not None else float(next(iter(params.values())))


def _median_cut(ws: np.ndarray) -> int:
    cumulative = np.cumsum(ws)
    return int(np.searchsorted(cumulative, 0.5 * cumulative[-1])) + 1


def _kmeans_cut(xs: np.ndarray, ws: np.ndarray) -> int:
    """Where one-dimensional 2-means cuts the sorted data: from the median, move the cut to
    the midpoint of the two stretches' means until it settles (prefix sums: O(log N) a step)."""
    cumulative = np.concatenate([[0.0], np.cumsum(ws)])
    shift = xs[xs.size // 2]
    weighted = np.concatenate([[0.0], np.cumsum(ws * (xs - shift))])
    cut = _median_cut(ws)
    for _ in range(_MAX_KMEANS_STEPS):
        left, right = cumulative[cut], cumulative[-1] - cumulative[cut]
        if left <= 0 or right <= 0:
            break
        means = (weighted[cut] / left, (weighted[-1] - weighted[cut]) / right)
        moved = int(np.searchsorted(xs - shift, 0.5 * (means[0] + means[1])))
        if moved == cut or moved <= 0 or moved >= xs.size:
            break
        cut = moved
    return cut
