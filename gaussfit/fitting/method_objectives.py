"""The objectives of quantile matching, goodness of fit and spacings, as engine graphs.

Each objective is written in the family's ``log_cdf`` and ``log_sf`` graphs, so the engine
gives its gradient and Hessian for free and the fit's own optimisers (Newton by default) find
the estimate. The optimisers maximise the model's ``log_likelihood`` tensor; here that tensor
holds the method's *score*, the negative of the distance minimised (for spacings, the sum of
their logarithms itself). The data enter sorted, with the coefficients the statistics need
(``2i - 1``, ``i / n`` ...) computed once per sample in numpy, so a bootstrap resample is a new
feed. Definitions are fitdistrplus's (``qmedist``, ``mgedist``, ``msedist``), so the estimates
agree with it:

- qme: the sum over the probabilities p_j of (F(q_j) - p_j)^2, q_j the data's type-7
  quantiles, times n (a per-observation scale like a log-likelihood's). At the estimate it is
  0: the fitted quantiles equal the data's, as fitdistrplus's quantile-space form asks.
- mge: the distance between F at the sorted data and the empirical CDF, for the eight
  distances of fitdistrplus's ``mgedist`` (see ``distance``).
- mse: sum over the n + 1 spacings D_j = F(x_(j)) - F(x_(j-1)) of log D_j, each difference
  taken in log space from ``log_cdf`` below the median and from ``log_sf`` above it, so
  that neither tail loses its digits. Ties follow scipy's ``stats.fit(method="mse")``: a run
  of l equal values shares one spacing, l log(D / l) (fitdistrplus drops the zero spacings
  instead; without ties the two agree).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family
from gaussfit.distributions.tails import log1mexp, select
from gaussfit.fitting.estimation import Method
from gaussfit.fitting.model import LikelihoodModel

LOG_HALF = math.log(0.5)


class MethodModel(LikelihoodModel):
    """One family's qme, mge or mse score as a graph, with the interface the optimisers use
    (``log_likelihood`` is the score; ``set_data`` feeds a new sample)."""

    def __init__(
        self,
        family: Family,
        method: Method,
        *,
        space: str = "unconstrained",
        fixed: dict[str, float] | None = None,
        start: dict[str, float],
    ) -> None:
        self.method = method
        super().__init__(
            family,
            statistic_names=None,
            weighted=False,
            space=space,
            fixed=fixed,
            start=start,
        )

    # -- building -------------------------------------------------------------------------
    def _build_inputs(self) -> None:
        self.x = self.w = None
        self.stats = {}
        self.bounds = {}
        self.inputs: dict[str, tf.Tensor] = {}
        with tf.name_scope("sorted_data"):
            self.inputs["x"] = tf.placeholder(tf.float64, shape=[None], name="X_sorted")
            self.inputs["n"] = tf.placeholder(tf.float64, shape=[], name="n")
            for name in _COEFFICIENTS[self.method.name]:
                self.inputs[name] = tf.placeholder(tf.float64, shape=[None], name=name)
            if self.method.name == "mse":
                for name in ("first", "lower", "upper", "last"):
                    self.inputs[name] = tf.placeholder(tf.int64, shape=[None], name=name)

    def _build_log_likelihood(self) -> tf.Tensor:
        builder = {"qme": _qme_score, "mge": _mge_score, "mse": _mse_score}[self.method.name]
        return builder(self.family, self.params, self.inputs, self.method)

    # -- feeding --------------------------------------------------------------------------
    def set_data(self, x: np.ndarray, w: np.ndarray | None = None) -> None:
        """Feed a new sample (unweighted: the methods are defined for plain samples)."""
        values = sorted_inputs(self.method, x)
        self.feed = {self.inputs[k]: v for k, v in values.items()}


_COEFFICIENTS = {
    "qme": ("p",),
    "mge": ("a", "b", "u", "upper_step", "lower_step"),
    "mse": ("counts",),
}


def sorted_inputs(method: Method, x: np.ndarray) -> dict[str, Any]:
    """What the score's placeholders take for sample ``x``: sorted values and coefficients."""
    n = len(x)
    if method.name == "qme":
        return {
            "x": np.quantile(x, method.probs),  # numpy's default is R's type 7
            "n": np.float64(n),
            "p": np.asarray(method.probs, dtype=np.float64),
        }
    if method.name == "mge":
        i = np.arange(1, n + 1, dtype=np.float64)
        return {
            "x": np.sort(x),
            "n": np.float64(n),
            "a": 2.0 * i - 1.0,
            "b": 2.0 * n + 1.0 - 2.0 * i,
            "u": (2.0 * i - 1.0) / (2.0 * n),
            "upper_step": i / n,
            "lower_step": (i - 1.0) / n,
        }
    values, counts = np.unique(x, return_counts=True)
    m = len(values)
    return {
        "x": values,
        "n": np.float64(n),
        "counts": np.concatenate([counts, [1]]).astype(np.float64),
        "lower": np.arange(0, m - 1, dtype=np.int64),
        "upper": np.arange(1, m, dtype=np.int64),
        "first": np.array([0], dtype=np.int64),
        "last": np.array([m - 1], dtype=np.int64),
    }


def _qme_score(
    family: Family, params: dict[str, tf.Tensor], inputs: dict[str, tf.Tensor], method: Method
) -> tf.Tensor:
    with tf.name_scope("quantile_matching"):
        cdf = tf.exp(family.log_cdf(inputs["x"], params))
        return -inputs["n"] * tf.reduce_sum(tf.square(cdf - inputs["p"]))


def _mge_score(
    family: Family, params: dict[str, tf.Tensor], inputs: dict[str, tf.Tensor], method: Method
) -> tf.Tensor:
    with tf.name_scope(f"goodness_of_fit_{method.distance}"):
        x, n = inputs["x"], inputs["n"]
        log_f = family.log_cdf(x, params)
        log_s = family.log_sf(x, params)
        return -distance(str(method.distance), log_f, log_s, n, inputs)


def distance(
    name: str,
    log_f: tf.Tensor,
    log_s: tf.Tensor,
    n: tf.Tensor,
    c: dict[str, tf.Tensor],
    axis: int | None = None,
) -> tf.Tensor:
    """fitdistrplus's ``mgedist`` distances from log F and log(1 - F) at the sorted data (one
    per row of a block with ``axis=1``).

    With a_i = 2i - 1 and b_i = 2n + 1 - 2i (the weight a_(n+1-i) that fitdistrplus reaches by
    reversing the sorted CDF values, moved onto the i-th value itself):
    CvM = 1/(12n) + sum (F_i - (2i-1)/(2n))^2; KS = max_i max(|F_i - i/n|, |F_i - (i-1)/n|);
    AD = -n - (1/n) sum (a_i log F_i + b_i log S_i); ADR = n/2 - 2 sum F_i - (1/n) sum b_i log S_i;
    ADL = -3n/2 + 2 sum F_i - (1/n) sum a_i log F_i; AD2R = 2 sum log S_i + (1/n) sum b_i / S_i;
    AD2L = 2 sum log F_i + (1/n) sum a_i / F_i; AD2 = AD2R + AD2L.
    """
    a, b = c["a"], c["b"]

    def total(t: tf.Tensor) -> tf.Tensor:
        return tf.reduce_sum(t, axis=axis)

    if name == "CvM":
        return 1.0 / (12.0 * n) + total(tf.square(tf.exp(log_f) - c["u"]))
    if name == "KS":
        f = tf.exp(log_f)
        return tf.maximum(
            tf.reduce_max(tf.abs(f - c["upper_step"]), axis=axis),
            tf.reduce_max(tf.abs(f - c["lower_step"]), axis=axis),
        )
    if name == "AD":
        return -n - total(a * log_f + b * log_s) / n
    if name == "ADR":
        return n / 2.0 - 2.0 * total(tf.exp(log_f)) - total(b * log_s) / n
    if name == "ADL":
        return -1.5 * n + 2.0 * total(tf.exp(log_f)) - total(a * log_f) / n
    right = 2.0 * total(log_s) + total(b * tf.exp(-log_s)) / n
    left = 2.0 * total(log_f) + total(a * tf.exp(-log_f)) / n
    return {"AD2R": right, "AD2L": left, "AD2": right + left}[name]


def _mse_score(
    family: Family, params: dict[str, tf.Tensor], inputs: dict[str, tf.Tensor], method: Method
) -> tf.Tensor:
    with tf.name_scope("product_of_spacings"):
        x = inputs["x"]
        log_f = family.log_cdf(x, params)
        log_s = family.log_sf(x, params)
        inner = log_spacings(
            tf.gather(log_f, inputs["lower"]),
            tf.gather(log_f, inputs["upper"]),
            tf.gather(log_s, inputs["lower"]),
            tf.gather(log_s, inputs["upper"]),
        )
        # The first spacing is F(x_(1)) - 0, the last 1 - F(x_(m)).
        first = tf.gather(log_f, inputs["first"])
        last = tf.gather(log_s, inputs["last"])
        logs = tf.concat([first, inner, last], axis=0)
        counts = inputs["counts"]
        return tf.reduce_sum(counts * (logs - tf.log(counts)))


def log_spacings(
    log_f_low: tf.Tensor, log_f_high: tf.Tensor, log_s_low: tf.Tensor, log_s_high: tf.Tensor
) -> tf.Tensor:
    """log(F(high) - F(low)) elementwise, without cancellation in either tail.

    Below the median, log F(high) + log(1 - F(low)/F(high)); above it, the same from the
    survival side, log S(low) + log(1 - S(high)/S(low)). ``log1mexp`` takes the difference
    of the logs; each branch's argument is kept finite where ``where`` does not use it.
    """
    lower_tail = tf.less(log_f_high, LOG_HALF)
    upper_tail = tf.logical_not(lower_tail)
    from_cdf = select(lower_tail, log_f_high, LOG_HALF) + log1mexp(
        select(lower_tail, log_f_high - log_f_low, 1.0)
    )
    from_sf = select(upper_tail, log_s_low, LOG_HALF) + log1mexp(
        select(upper_tail, log_s_low - log_s_high, 1.0)
    )
    return tf.where(lower_tail, from_cdf, from_sf)
