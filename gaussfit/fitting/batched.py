"""Many fits at once: B samples of one size, optimised together through one graph.

A bootstrap refits the same family to B samples. Doing that as B separate fits pays the
graph's fixed cost B times; here the samples enter as one B x n block, each free coordinate
is a length-B vector (one entry per sample), and the log-likelihood is a length-B vector (one
sum per row). Rows do not interact, so the gradient of the *sum* of the rows' log-likelihoods
with respect to coordinate j is, entry by entry, each row's own gradient; differentiating the
sum of those gradients again gives each row's Hessian entries. One ``Session.run`` therefore
returns B values, B gradients and B Hessians, and Newton's method steps all rows together,
each with its own Levenberg-style damping and backtracking.

Rows that do not converge within the iteration limit (or whose line search fails) are
reported back; the caller refits them one by one and counts them.

``refit_block`` skips the graph where the family has an exact MLE for every row at once
(``Family.mle_rows``: a formula, or a one-dimensional root solved for all rows together) and
nothing is held: a bootstrap of such a family costs a few passes over the block.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family
from gaussfit.fitting import model_pool
from gaussfit.fitting.model import free_to_param

MAX_ITER = 50
MAX_HALVINGS = 30
TOL = 1e-8


@dataclass
class BatchFit:
    """Each row's natural parameters (by name, length-B arrays) and whether it converged."""

    params: dict[str, np.ndarray]
    converged: np.ndarray
    iterations: int
    loglik: np.ndarray | None = None
    gradient: np.ndarray | None = None  # (B, coordinates) at the end, held ones included
    coordinates: np.ndarray | None = None  # (B, coordinates) at the end: a warm start


def batchable(family: Family) -> bool:
    """Whether each free coordinate maps to one parameter on its own, so that a length-B vector
    of coordinates maps elementwise to a length-B vector of parameters (a mixture's weights come
    from a softmax across coordinates: not batchable)."""
    return len(free_to_param(family)) == len(family.parameter_names)


def has_row_mle(family: Family) -> bool:
    """Whether the family refits rows by its vectorised exact MLE (``mle_rows``) rather than
    by Newton steps through the graph."""
    return family.mle_rows(np.full((1, 4), 0.5)) is not None


class BatchedLikelihood:
    """The graph of one family's log-likelihood for a B x n block, one value per row."""

    def __init__(self, family: Family, fixed: dict[str, float] | None = None) -> None:
        self.family = family
        self.fixed = dict(fixed or {})
        # A family with sufficient statistics is fed each row's few statistics instead of
        # the row: every Newton iteration then costs O(B) instead of O(B n).
        probe = family.statistics(np.full(4, 0.5), None)
        self.statistic_names = list(probe) if probe is not None else []
        coordinate_of = free_to_param(family)
        self.free_names = [f for f in family.free_names() if coordinate_of[f] not in self.fixed]
        self.graph = tf.Graph()
        with self.graph.as_default():
            self.inputs = self._build_inputs()
            free: dict[str, tf.Tensor] = {}
            self.coordinates: list[tf.Tensor] = []
            by_name = {p.name: p for p in family.parameters}
            with tf.name_scope("parameters"):
                for name in family.free_names():
                    if coordinate_of[name] in self.fixed:
                        param = by_name[coordinate_of[name]]
                        value = param.constraint.to_unconstrained(self.fixed[param.name])
                        free[name] = tf.constant(float(value), tf.float64, name=name)
                        continue
                    coordinate = tf.placeholder(tf.float64, shape=[None], name=name)
                    self.coordinates.append(coordinate)
                    free[name] = coordinate
                params = family.to_constrained(free)
                for name, value in self.fixed.items():  # as given, not via exp(log(value))
                    params[name] = tf.constant(float(value), tf.float64, name=name)
                self.params = {k: tf.identity(v) for k, v in params.items()}
            self.rows = self._build_rows(params)
            gradient = tf.gradients(self.rows, self.coordinates)
            self.gradient = [
                g if g is not None else tf.zeros_like(c)
                for g, c in zip(gradient, self.coordinates, strict=True)
            ]
            self.hessian = [
                [
                    h if h is not None else tf.zeros_like(c)
                    for h, c in zip(
                        tf.gradients(g, self.coordinates), self.coordinates, strict=True
                    )
                ]
                for g in self.gradient
            ]
        self.session = tf.Session(graph=self.graph)

    def _build_inputs(self) -> dict[str, tf.Tensor]:
        """Placeholders for a block: each row's statistics, or the B x n block itself."""
        if self.statistic_names:
            with tf.name_scope("statistics"):
                return {
                    k: tf.placeholder(tf.float64, shape=[None], name=k)
                    for k in self.statistic_names
                }
        return {"X": tf.placeholder(tf.float64, shape=[None, None], name="X")}

    def _build_rows(self, params: dict[str, tf.Tensor]) -> tf.Tensor:
        """The value each row maximises: its log-likelihood (other estimators override it)."""
        with tf.name_scope("log_likelihood"):
            if self.statistic_names:
                return self.family.log_likelihood_from_statistics(self.inputs, params)
            columns = {k: tf.reshape(v, [-1, 1]) for k, v in params.items()}
            return tf.reduce_sum(self.family.log_prob(self.inputs["X"], columns), axis=1)

    def data_feed(self, block: np.ndarray) -> dict[tf.Tensor, np.ndarray]:
        """What the graph is fed for ``block``: each row's statistics, or the block itself."""
        if not self.statistic_names:
            return {self.inputs["X"]: block}
        together = self.family.statistics_rows(block)
        if together is not None:
            return {t: np.asarray(together[k], dtype=np.float64) for k, t in self.inputs.items()}
        rows = [self.family.statistics(row, None) or {} for row in block]
        return {
            tensor: np.array([r[k] for r in rows], dtype=np.float64)
            for k, tensor in self.inputs.items()
        }

    def _feed(self, data: dict[tf.Tensor, np.ndarray], u: np.ndarray) -> dict:
        feed = dict(data)
        for j, coordinate in enumerate(self.coordinates):
            feed[coordinate] = u[:, j]
        return feed

    def values(self, data: dict[tf.Tensor, np.ndarray], u: np.ndarray) -> np.ndarray:
        value = self.session.run(self.rows, self._feed(data, u))
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (len(u),))

    def derivatives(
        self, data: dict[tf.Tensor, np.ndarray], u: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each row's log-likelihood (B), gradient (B, k) and Hessian (B, k, k)."""
        rows, grad, hess = self.session.run(
            [self.rows, self.gradient, self.hessian], self._feed(data, u)
        )
        count, k = len(u), len(grad)
        g = np.empty((count, k))
        h = np.empty((count, k, k))
        for i in range(k):  # a column may come back as a scalar: assignment broadcasts it
            g[:, i] = grad[i]
            for j in range(k):
                h[:, i, j] = hess[i][j]
        return np.broadcast_to(np.asarray(rows, dtype=np.float64), (count,)), g, h

    def natural(self, u: np.ndarray) -> dict[str, np.ndarray]:
        feed = {c: u[:, j] for j, c in enumerate(self.coordinates)}
        if not self.coordinates:
            return {k: np.full(len(u), float(v)) for k, v in self.fixed.items()}
        values = self.session.run(self.params, feed)
        return {
            k: np.broadcast_to(np.asarray(v, dtype=np.float64), (len(u),)).copy()
            for k, v in values.items()
        }

    def close(self) -> None:
        self.session.close()


def batched_likelihood(
    family: Family, fixed: dict[str, float] | None, values: int
) -> contextlib.AbstractContextManager[BatchedLikelihood]:
    """A ``BatchedLikelihood`` for blocks of up to ``values`` numbers, borrowed from the pool
    of models kept between fits (``model_pool``) when they are small: the graph, its
    derivatives and its compiled plans are then built once per family and held parameters,
    not once per fit."""
    family_key = model_pool.family_key(family) if model_pool.small(values) else None
    key = None if family_key is None else ("batched", family_key, model_pool.fixed_key(fixed))
    return model_pool.borrowed(key, lambda: BatchedLikelihood(family, fixed))


def fit_rows(
    model: BatchedLikelihood,
    block: np.ndarray,
    start: dict[str, float],
    *,
    held: dict[str, np.ndarray] | None = None,
    max_iter: int = MAX_ITER,
    tol: float = TOL,
    warm: np.ndarray | None = None,
) -> BatchFit:
    """Maximise every row's log-likelihood from ``start`` (the same warm start for all rows)
    by damped Newton steps taken together; ``converged`` marks the rows that reached the
    per-observation gradient tolerance ``tol`` (``fit``'s criterion). ``held`` gives free
    coordinates (by name) held at a value per row: the others are maximised around them,
    which is a profile likelihood. ``warm`` (B, coordinates), e.g. an earlier fit's
    ``coordinates``, starts each row at its own point instead (held coordinates are set from
    ``held`` all the same)."""
    family = model.family
    count, n = block.shape
    if warm is not None:
        u = np.array(warm, dtype=np.float64)
    else:
        free_start = family.to_unconstrained({**start, **model.fixed})
        names = model.free_names
        u = np.tile([free_start[name] for name in names], (count, 1)).astype(np.float64)
    held = held or {}
    for name, values in held.items():
        u[:, model.free_names.index(name)] = values
    moving = [j for j, name in enumerate(model.free_names) if name not in held]
    done = np.zeros(count, dtype=bool)
    failed = np.zeros(count, dtype=bool)
    data = model.data_feed(block)
    if not moving:
        value, grad, _ = model.derivatives(data, u)
        return BatchFit(model.natural(u), np.ones(count, dtype=bool), 0, value, grad, u)
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        value, grad, hess = model.derivatives(data, u)
        grad, hess = grad[:, moving], hess[:, moving][:, :, moving]
        bad = ~(np.isfinite(value) & np.all(np.isfinite(grad), axis=1))
        failed |= bad & ~done
        done |= np.max(np.abs(grad), axis=1) <= tol * n
        active = ~(done | failed)
        if not np.any(active):
            break
        step = np.zeros_like(u)
        step[:, moving] = _damped_newton_steps(grad, hess)
        u, moved = _backtrack(model, data, u, step, value, active)
        # A row that cannot improve although Newton predicts a gain at rounding level is at
        # its maximum (fit's second criterion); any other row that cannot move has failed.
        gain = 0.5 * np.einsum("bi,bi->b", grad, step[:, moving])
        stuck = active & ~moved
        at_top = stuck & (gain <= 1e-12 * (np.abs(value) + 1.0))
        done |= at_top
        failed |= stuck & ~at_top
    value, grad, _ = model.derivatives(data, u)
    return BatchFit(model.natural(u), done & ~failed, iterations, value, grad, u)


def _damped_newton_steps(grad: np.ndarray, hess: np.ndarray) -> np.ndarray:
    """Ascent steps solving (-H + damping) s = g per row: the eigenvalues of -H are made
    positive (their absolute values, floored relative to the largest), so a row at a saddle
    or in a non-concave region still moves uphill."""
    eigenvalues, vectors = np.linalg.eigh(-hess)
    size = np.abs(eigenvalues)
    floor = 1e-10 * np.maximum(np.max(size, axis=1, keepdims=True), 1.0)
    inverse = 1.0 / np.maximum(size, floor)
    projected = np.einsum("bji,bj->bi", vectors, grad)
    return np.einsum("bij,bj->bi", vectors, inverse * projected)


def _backtrack(
    model: BatchedLikelihood,
    data: dict[tf.Tensor, np.ndarray],
    u: np.ndarray,
    step: np.ndarray,
    value: np.ndarray,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Halve each active row's step until its log-likelihood does not decrease."""
    scale = np.where(active, 1.0, 0.0)
    moved = np.zeros(len(u), dtype=bool)
    for _ in range(MAX_HALVINGS):
        trial = u + scale[:, None] * step
        new = model.values(data, trial)
        ok = active & ~moved & np.isfinite(new) & (new >= value - 1e-12 * np.abs(value))
        u = np.where(ok[:, None], trial, u)
        moved |= ok
        waiting = active & ~moved
        if not np.any(waiting):
            break
        scale = np.where(waiting, scale * 0.5, 0.0)
    return u, moved


@dataclass
class Refits:
    """B refits: each row's parameters (NaN where the refit failed), and how many rows needed
    a fit of their own (the batch did not converge for them) or could not be fitted at all."""

    params: dict[str, np.ndarray]
    ok: np.ndarray
    individually: int

    @property
    def failed(self) -> int:
        return int(np.sum(~self.ok))


def refit_block(
    family: Family, block: np.ndarray, start: dict[str, float], fixed: dict[str, float]
) -> Refits:
    """Refit ``family`` to every row of ``block``: all rows together, by the family's
    vectorised exact MLE where it has one (``mle_rows``) and nothing is held, else through the
    batched graph, warm-started at ``start``; rows it leaves unconverged (and every row of a
    family that cannot be batched) are fitted on their own by ``fit`` from its data-driven
    start."""
    from gaussfit.errors import GaussfitError
    from gaussfit.fitting.fit import fit

    count = block.shape[0]
    names = family.parameter_names
    exact = None if fixed else family.mle_rows(block)
    if exact is not None:
        params = {k: np.array(exact[k], dtype=np.float64) for k in names}
        ok = _inside_domains(family, params)
    elif batchable(family):
        with batched_likelihood(family, fixed, block.size) as model:
            batch = fit_rows(model, block, start)
        params = {k: np.asarray(batch.params[k], dtype=np.float64) for k in names}
        ok = batch.converged.copy()
    else:
        params = {k: np.full(count, np.nan) for k in names}
        ok = np.zeros(count, dtype=bool)
    alone = np.flatnonzero(~ok)
    for row in alone:
        try:
            single = fit(block[row], family, fixed=fixed or None, references=False, gof=False)
        except GaussfitError:
            continue
        if not single.converged:
            continue
        for k in names:
            params[k][row] = single.params[k]
        ok[row] = True
    for k in names:
        params[k][~ok] = np.nan
    return Refits(params, ok, len(alone))


def _inside_domains(family: Family, params: dict[str, np.ndarray]) -> np.ndarray:
    """Rows whose every parameter is finite and inside its domain (an exact MLE off the
    domain, a zero variance, marks a sample with no estimate in it)."""
    ok = np.ones(len(next(iter(params.values()))), dtype=bool)
    for p in family.parameters:
        values = params[p.name]
        c = p.constraint
        above = values >= c.lower if c.lower_closed else values > c.lower
        below = values <= c.upper if c.upper_closed else values < c.upper
        ok &= np.isfinite(values) & above & below
    return ok
