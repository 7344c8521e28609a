"""A bootstrap's re-estimates by quantiles, goodness of fit or spacings, all rows at once.

``gaussfit.fitting.batched`` steps B maximum-likelihood refits together through one graph of
a B x n block; here the same machinery (its damped Newton steps, backtracking and convergence
test in ``fit_rows``) maximises each row's *score* instead: the objectives of
``gaussfit.fitting.method_objectives`` written once more for a block, one value per row. A
family's CDF kernels run once per iteration over the whole block instead of once per
resample, which is most of a resample's cost for a family like the gamma, whose CDF
derivatives in the shape are series.

For spacings each row keeps its own ties: every value of a run of l equal values carries
log(D / l), D the spacing that ends at the run, which adds up to scipy's l log(D / l); the
spacing reaches back to the last value of the previous run through a gather on the flattened
block.
"""

from __future__ import annotations

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family
from gaussfit.fitting.batched import BatchedLikelihood, batchable, fit_rows
from gaussfit.fitting.estimation import Method
from gaussfit.fitting.method_objectives import distance, log_spacings


class BatchedMethod(BatchedLikelihood):
    """One score per row of a B x n block, with ``BatchedLikelihood``'s interface."""

    def __init__(self, family: Family, method: Method, fixed: dict[str, float] | None) -> None:
        self.method = method
        super().__init__(family, fixed)
        self.statistic_names = []

    def _build_inputs(self) -> dict[str, tf.Tensor]:
        with tf.name_scope("sorted_block"):
            inputs = {
                "X": tf.placeholder(tf.float64, shape=[None, None], name="X_sorted"),
                "n": tf.placeholder(tf.float64, shape=[], name="n"),
            }
            names = {"qme": ("p",), "mge": ("a", "b", "u", "upper_step", "lower_step")}
            for name in names.get(self.method.name, ()):
                inputs[name] = tf.placeholder(tf.float64, shape=[None], name=name)
            if self.method.name == "mse":
                inputs["counts"] = tf.placeholder(tf.float64, shape=[None, None], name="counts")
                inputs["first"] = tf.placeholder(tf.bool, shape=[None, None], name="first")
                for name in ("previous", "last"):
                    inputs[name] = tf.placeholder(tf.int64, shape=[None], name=name)
        return inputs

    def _build_rows(self, params: dict[str, tf.Tensor]) -> tf.Tensor:
        columns = {k: tf.reshape(v, [-1, 1]) for k, v in params.items()}
        x, n = self.inputs["X"], self.inputs["n"]
        log_f = self.family.log_cdf(x, columns)
        with tf.name_scope(f"score_{self.method.name}"):
            if self.method.name == "qme":
                mismatch = tf.square(tf.exp(log_f) - self.inputs["p"])
                return -n * tf.reduce_sum(mismatch, axis=1)
            log_s = self.family.log_sf(x, columns)
            if self.method.name == "mge":
                name = str(self.method.distance)
                return -distance(name, log_f, log_s, n, self.inputs, axis=1)
            return self._spacings(log_f, log_s)

    def _spacings(self, log_f: tf.Tensor, log_s: tf.Tensor) -> tf.Tensor:
        inputs = self.inputs
        flat_f, flat_s = tf.reshape(log_f, [-1]), tf.reshape(log_s, [-1])
        shape = tf.shape(log_f)
        first = inputs["first"]
        # The first run's spacing starts at F = 0; its stand-in arguments below only keep the
        # unused branch finite.
        low_f = tf.where(
            first, log_f - 1.0, tf.reshape(tf.gather(flat_f, inputs["previous"]), shape)
        )
        low_s = tf.where(
            first, log_s + 1.0, tf.reshape(tf.gather(flat_s, inputs["previous"]), shape)
        )
        inner = log_spacings(low_f, log_f, low_s, log_s)
        logs = tf.where(first, log_f, inner)
        counts = inputs["counts"]
        last = tf.gather(flat_s, inputs["last"])
        return tf.reduce_sum(logs - tf.log(counts), axis=1) + last

    def data_feed(self, block: np.ndarray) -> dict[tf.Tensor, np.ndarray]:
        n = block.shape[1]
        inputs = self.inputs
        feed: dict[tf.Tensor, np.ndarray] = {inputs["n"]: np.float64(n)}
        if self.method.name == "qme":
            feed[inputs["X"]] = np.quantile(block, self.method.probs, axis=1).T
            feed[inputs["p"]] = np.asarray(self.method.probs, dtype=np.float64)
            return feed
        rows = np.sort(block, axis=1)
        feed[inputs["X"]] = rows
        if self.method.name == "mge":
            i = np.arange(1, n + 1, dtype=np.float64)
            feed[inputs["a"]] = 2.0 * i - 1.0
            feed[inputs["b"]] = 2.0 * n + 1.0 - 2.0 * i
            feed[inputs["u"]] = (2.0 * i - 1.0) / (2.0 * n)
            feed[inputs["upper_step"]] = i / n
            feed[inputs["lower_step"]] = (i - 1.0) / n
            return feed
        feed.update(_run_structure(rows, inputs))
        return feed


def _run_structure(rows: np.ndarray, inputs: dict[str, tf.Tensor]) -> dict[tf.Tensor, np.ndarray]:
    """Per value of each sorted row: its run's length, whether the run is the row's first,
    and the flat index of the previous run's last value (its own index in the first run)."""
    count, n = rows.shape
    starts = np.ones_like(rows, dtype=bool)
    starts[:, 1:] = rows[:, 1:] != rows[:, :-1]
    run_id = np.cumsum(starts, axis=1) - 1
    offsets = np.arange(count)[:, None] * n
    positions = np.broadcast_to(np.arange(n), rows.shape)
    # The index where each run starts, carried forward along the row; the previous run's last
    # value sits just before it.
    start_at = np.maximum.accumulate(np.where(starts, positions, 0), axis=1)
    previous = np.where(run_id == 0, positions, start_at - 1) + offsets
    ends = np.ones_like(rows, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    end_at = np.minimum.accumulate(np.where(ends, positions, n)[:, ::-1], axis=1)[:, ::-1]
    lengths = (end_at - start_at + 1).astype(np.float64)
    return {
        inputs["counts"]: lengths,
        inputs["first"]: run_id == 0,
        inputs["previous"]: previous.reshape(-1).astype(np.int64),
        inputs["last"]: (offsets[:, 0] + n - 1).astype(np.int64),
    }


def refit_rows(
    family: Family,
    method: Method,
    block: np.ndarray,
    start: dict[str, float],
    fixed: dict[str, float],
) -> tuple[dict[str, np.ndarray], np.ndarray] | None:
    """Each row's estimate by ``method`` (arrays by parameter) and which rows converged; None
    where the block cannot be stepped together (KS, a family whose coordinates are joint)."""
    if method.distance == "KS" or not batchable(family):
        return None
    model = BatchedMethod(family, method, fixed)
    try:
        batch = fit_rows(model, block, start)
    finally:
        model.close()
    params = {k: np.asarray(batch.params[k], dtype=np.float64) for k in family.parameter_names}
    return params, batch.converged
