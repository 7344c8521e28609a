"""A mixture of k normal components: sum_j w_j N(mu_j, sigma_j²).

The weights live on the simplex, which no per-parameter constraint describes: the optimiser
moves k - 1 logits (component 1's logit is pinned at 0, which removes the softmax's one
redundant direction) and the weights are their softmax. Components are only defined up to
relabelling, so the fitting layer calls ``order_components`` to report them sorted by mean.

The start is the maximum-likelihood estimate itself wherever Newton can reach it from EM: k-means
on the sorted data, EM steps on a systematic sample, then Newton steps on the data with the
exact Hessian (``normal_mixture_numpy``), which the fitting layer's Newton only confirms. The
same formula gives the fitting layer its Hessian (``free_hessian``): the engine's second
derivatives through the log-sum-exp cost more than the whole fit.
"""

from __future__ import annotations

import itertools
import math
import operator

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family, Parameter
from gaussfit.distributions.constraints import POSITIVE, REAL, UNIT_INTERVAL
from gaussfit.distributions.normal_mixture_numpy import (
    Components,
    derivatives,
    em_steps,
    newton_steps,
)
from gaussfit.distributions.starting import positive
from gaussfit.distributions.weighted import weighted_mean_var
from gaussfit.errors import ConfigError

_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)
_WEIGHT_TOLERANCE = 1e-6
_MIN_START_WEIGHT = 1e-3
_MAX_KMEANS_STEPS = 100
# EM steps, then Newton's: EM climbs fast from far away and slowly near the top, Newton the
# other way round. EM runs on every m-th sorted value (at most _EM_SAMPLE of them: a sample
# spread like the data, whose MLE lies within Newton's fast region around the data's), Newton
# on every value up to _NEWTON_SAMPLE, doubling the correct digits at each step (on larger
# data on such a sample too; the fitting layer's Newton then finishes on every value).
_EM_STEPS = 100
_EM_TOLERANCE = 1e-6
_NEWTON_STEPS = 8
_EM_SAMPLE = 10_000
_NEWTON_SAMPLE = 1_000_000


class NormalMixture(Family):
    name = "normal_mixture"
    aliases = ("mixture",)
    title = "Mixture of k normals"

    def __init__(self, k: int = 2) -> None:
        try:
            k = operator.index(k)
        except TypeError:
            raise ConfigError(f"normal_mixture: k must be an integer, not {k!r}") from None
        if k < 2:
            raise ConfigError(f"normal_mixture: k must be at least 2 components, got {k}")
        self.k = k

    @property
    def _js(self) -> range:
        """Component numbers, from 1 as in the parameter names."""
        return range(1, self.k + 1)

    # -- parameters -------------------------------------------------------------------------
    @property
    def parameters(self) -> tuple[Parameter, ...]:
        return (
            *(Parameter(f"w{j}", UNIT_INTERVAL, f"weight of component {j}") for j in self._js),
            *(Parameter(f"mu{j}", REAL, f"mean of component {j}") for j in self._js),
            *(Parameter(f"sigma{j}", POSITIVE, f"sd of component {j}") for j in self._js),
        )

    def free_names(self) -> list[str]:
        return (
            [f"logit_w{j}" for j in self._js[1:]]
            + [f"mu{j}" for j in self._js]
            + [f"log_sigma{j}" for j in self._js]
        )

    def to_constrained(self, free: dict[str, tf.Tensor]) -> dict[str, tf.Tensor]:
        logits = [free[f"logit_w{j}"] for j in self._js[1:]]
        log_total = tf.reduce_logsumexp(tf.stack([0.0, *logits]))
        params = {"w1": tf.exp(-log_total)}
        for j, logit in zip(self._js[1:], logits, strict=True):
            params[f"w{j}"] = tf.exp(logit - log_total)
        params.update({f"mu{j}": free[f"mu{j}"] for j in self._js})
        params.update({f"sigma{j}": tf.exp(free[f"log_sigma{j}"]) for j in self._js})
        return params

    def to_unconstrained(self, params: dict[str, float]) -> dict[str, float]:
        log_w1 = math.log(params["w1"])
        free = {f"logit_w{j}": math.log(params[f"w{j}"]) - log_w1 for j in self._js[1:]}
        free.update({f"mu{j}": float(params[f"mu{j}"]) for j in self._js})
        free.update({f"log_sigma{j}": math.log(params[f"sigma{j}"]) for j in self._js})
        return free

    def check_params(self, params: dict[str, float]) -> None:
        super().check_params(params)
        total = sum(float(params[f"w{j}"]) for j in self._js)
        if abs(total - 1.0) > _WEIGHT_TOLERANCE:
            raise ValueError(f"{self.name}: the weights sum to {total:g}, not 1")

    def order_components(self, params: dict[str, float]) -> dict[str, float]:
        """The same mixture with its components relabelled in increasing order of mean."""
        order = sorted(self._js, key=lambda j: params[f"mu{j}"])
        return {
            f"{prefix}{new}": params[f"{prefix}{old}"]
            for prefix in ("w", "mu", "sigma")
            for new, old in enumerate(order, start=1)
        }

    # -- data and model ---------------------------------------------------------------------
    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        # Well-separated components occupy consecutive stretches of the sorted data: take each
        # stretch's share of the weight and its moments.
        if w is None:
            xs = np.sort(np.asarray(x, dtype=np.float64))
            ws = np.ones(xs.size)
        else:
            order = np.argsort(x, kind="stable")
            xs = np.asarray(x, dtype=np.float64)[order]
            ws = np.asarray(w, dtype=np.float64)[order]
        edges = self._stretches(xs, ws)
        overall_sd = math.sqrt(weighted_mean_var(xs, ws)[1])
        total_weight = float(np.sum(ws))
        params: dict[str, float] = {}
        for j, (lo, hi) in zip(self._js, itertools.pairwise(edges), strict=True):
            weight = float(np.sum(ws[lo:hi]))
            if weight > 0:
                mean, var = weighted_mean_var(xs[lo:hi], ws[lo:hi])
            else:  # too few (weighted) values for k stretches: sit at the stretch's quantile
                mean, var = float(np.quantile(xs, (j - 0.5) / self.k)), 0.0
            params[f"w{j}"] = weight
            params[f"mu{j}"] = mean
            params[f"sigma{j}"] = positive(math.sqrt(var), overall_sd / self.k)
        # Keep every weight clear of 0 so that its logit is finite, then renormalise.
        floor = _MIN_START_WEIGHT * total_weight
        total = sum(max(params[f"w{j}"], floor) for j in self._js)
        for j in self._js:
            params[f"w{j}"] = max(params[f"w{j}"], floor) / total
        weighted = w is not None
        em_x, em_w = _every_mth(xs, ws, _EM_SAMPLE)
        fitted = em_steps(
            em_x, em_w if weighted else None, Components(*self._components(params)),
            _EM_STEPS, _EM_TOLERANCE, _MIN_START_WEIGHT,
        )  # fmt: skip
        newton_x, newton_w = _every_mth(xs, ws, _NEWTON_SAMPLE)
        fitted = newton_steps(
            newton_x, newton_w if weighted else None, fitted, _NEWTON_STEPS, _MIN_START_WEIGHT
        )
        return self._params(fitted)

    def free_hessian(
        self, x: np.ndarray, w: np.ndarray | None, params: dict[str, float]
    ) -> np.ndarray:
        return derivatives(
            np.asarray(x, dtype=np.float64), w, Components(*self._components(params))
        )[2]

    def _params(self, c: Components) -> dict[str, float]:
        return {
            f"{prefix}{j}": float(values[j - 1])
            for prefix, values in (("w", c.weights), ("mu", c.means), ("sigma", c.sds))
            for j in self._js
        }

    def _stretches(self, xs: np.ndarray, ws: np.ndarray) -> np.ndarray:
        """k + 1 cut positions into the sorted data: the equal-weight (quantile) split, then
        one-dimensional k-means, which moves each cut to the midpoint of the neighbouring
        stretch means until the cuts settle. A quantile split alone cuts a 30/70 mixture at its
        median, inside the larger component; k-means finds the gap between them. Prefix sums
        make a step cost O(k log N), not a pass over the data."""
        cumulative = np.cumsum(ws)
        share = (cumulative - 0.5 * ws) / cumulative[-1]
        group = np.minimum((share * self.k).astype(np.int64), self.k - 1)
        edges = np.searchsorted(group, np.arange(self.k + 1))
        shift = xs[xs.size // 2]  # prefix sums of x - shift keep the means' digits
        sum_w = np.concatenate([[0.0], cumulative])
        sum_wx = np.concatenate([[0.0], np.cumsum(ws * (xs - shift))])
        for _ in range(_MAX_KMEANS_STEPS):
            weights = np.diff(sum_w[edges])
            if np.any(weights <= 0):
                break
            means = np.diff(sum_wx[edges]) / weights + shift
            cuts = np.searchsorted(xs, 0.5 * (means[:-1] + means[1:]))
            moved = np.concatenate([[0], cuts, [xs.size]])
            if np.array_equal(moved, edges) or np.any(np.diff(sum_w[moved]) <= 0):
                break
            edges = moved
        return edges

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        # log sum_j exp(log w_j + log N(x; mu_j, sigma_j)) over a stacked [k, N] array, so a
        # point far from every component still gets a finite log-density.
        rows = []
        for j in self._js:
            sigma = p[f"sigma{j}"]
            z = (x - p[f"mu{j}"]) / sigma
            rows.append(tf.log(p[f"w{j}"]) - tf.log(sigma) - _HALF_LOG_TWO_PI - 0.5 * tf.square(z))
        return tf.reduce_logsumexp(tf.stack(rows, axis=0), axis=0)

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._log_tail(x, p, upper=False)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        return self._log_tail(x, p, upper=True)

    def _log_tail(self, x: tf.Tensor, p: dict[str, tf.Tensor], upper: bool) -> tf.Tensor:
        # log sum_j w_j Φ(±z_j) as a logsumexp of log w_j + log_ndtr(±z_j): a point far in
        # the tails of every component keeps a finite log-probability.
        rows = []
        for j in self._js:
            z = (x - p[f"mu{j}"]) / p[f"sigma{j}"]
            rows.append(tf.log(p[f"w{j}"]) + tf.log_ndtr(-z if upper else z))
        return tf.reduce_logsumexp(tf.stack(rows, axis=0), axis=0)

    def _components(self, params: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return tuple(
            np.array([float(params[f"{prefix}{j}"]) for j in self._js])
            for prefix in ("w", "mu", "sigma")
        )  # type: ignore[return-value]

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        weights, mus, sigmas = self._components(params)
        component = rng.choice(self.k, size=n, p=weights / weights.sum())
        return rng.normal(mus[component], sigmas[component])

    def log_pdf_numpy(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        from scipy import special, stats

        weights, mus, sigmas = self._components(params)
        x = np.asarray(x, dtype=np.float64)
        terms = stats.norm.logpdf(x[..., None], mus, sigmas) + np.log(weights)
        return special.logsumexp(terms, axis=-1)

    def cdf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        from scipy import stats

        weights, mus, sigmas = self._components(params)
        x = np.asarray(x, dtype=np.float64)
        return np.sum(weights * stats.norm.cdf(x[..., None], mus, sigmas), axis=-1)


def _every_mth(xs: np.ndarray, ws: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """Every m-th of the sorted values and their weights, at most ``most`` of them: a sample
    spread over the quantiles like the data, and the same every time."""
    if xs.size <= most:
        return xs, ws
    stride = -(-xs.size // most)
    return xs[::stride], ws[::stride]
