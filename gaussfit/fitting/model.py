"""The log-likelihood of a family as a graph, ready to optimise and to differentiate twice.

One ``LikelihoodModel`` is one graph and one session: the data (or the family's sufficient
statistics) enter through placeholders, each free coordinate is a variable, and the graph holds
the log-likelihood, its gradient and — built on first use — its Hessian. Refitting on new data
(a bootstrap resample, the next file) is only a new feed, as the lab teaches.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError
from gaussfit.fitting import censored, model_pool


class LikelihoodModel:
    """The graph of sum_i w_i log p(x_i | theta) for one family.

    ``space="unconstrained"`` makes each variable an unconstrained coordinate (log of a scale,
    logit of a probability) and maps it into the parameter's domain with graph ops;
    ``space="natural"`` makes the variables the parameters themselves, as the lab does with
    sigma. ``fixed`` holds parameters at given values (they become constants).
    """

    def __init__(
        self,
        family: Family,
        *,
        statistic_names: Sequence[str] | None,
        weighted: bool,
        space: str = "unconstrained",
        fixed: dict[str, float] | None = None,
        start: dict[str, float],
        with_gradients: bool = True,
        censored_groups: Sequence[str] = (),
        exact: bool = True,
    ) -> None:
        self.family = family
        self.censored_groups = list(censored_groups)
        self.exact = exact
        self.statistic_names = list(statistic_names or [])
        self.use_statistics = statistic_names is not None
        self.weighted = weighted
        self.space = space
        self.fixed = dict(fixed or {})
        self.graph = tf.Graph()
        with self.graph.as_default():
            self._build_inputs()
            self._build_parameters(start)
            with tf.name_scope("log_likelihood"):
                self.log_likelihood = self._build_log_likelihood()
            self.objective = tf.negative(self.log_likelihood, name="objective")
            self.gradient: list[tf.Tensor] = []
            if with_gradients and self.variables:
                self.gradient = [
                    g if g is not None else tf.zeros_like(v)
                    for g, v in zip(
                        tf.gradients(self.log_likelihood, self.variables),
                        self.variables,
                        strict=True,
                    )
                ]
        self.session = tf.Session(graph=self.graph)
        self._hessian: list[list[tf.Tensor]] | None = None
        self._jacobian: list[list[tf.Tensor]] | None = None
        self.session.run(self._initializer)
        self.feed: dict[tf.Tensor, Any] = {}

    # -- building -------------------------------------------------------------------------
    def _build_inputs(self) -> None:
        self.x: tf.Tensor | None = None
        self.w: tf.Tensor | None = None
        self.stats: dict[str, tf.Tensor] = {}
        self.bounds = censored.placeholders(self.censored_groups)
        if not self.exact:
            return
        if self.use_statistics:
            with tf.name_scope("statistics"):
                self.stats = {
                    k: tf.placeholder(tf.float64, shape=[], name=k) for k in self.statistic_names
                }
        else:
            self.x = tf.placeholder(tf.float64, shape=[None], name="X")
            if self.weighted:
                self.w = tf.placeholder(tf.float64, shape=[None], name="W")

    def _build_parameters(self, start: dict[str, float]) -> None:
        family = self.family
        self.variables: list[tf.Variable] = []
        self.variable_names: list[str] = []
        if self.space == "natural":
            coordinate_of = {p: p for p in family.parameter_names}
            free_start = dict(start)
        else:
            coordinate_of = free_to_param(family)
            free_start = family.to_unconstrained(start)
        unfixable = set(self.fixed) - set(coordinate_of.values())
        if unfixable:
            raise ConfigError(
                f"{family.name}: cannot hold {', '.join(sorted(unfixable))} fixed in this "
                "parameterisation"
            )
        free: dict[str, tf.Tensor] = {}
        with tf.name_scope("parameters"):
            for name in family.parameter_names if self.space == "natural" else family.free_names():
                param = coordinate_of.get(name)
                if param in self.fixed:
                    value = (
                        self.fixed[param]
                        if self.space == "natural"
                        else family.to_unconstrained({**start, **self.fixed})[name]
                    )
                    free[name] = tf.constant(float(value), dtype=tf.float64, name=name)
                    continue
                var = tf.Variable(float(free_start[name]), dtype=tf.float64, name=name)
                self.variables.append(var)
                self.variable_names.append(name)
                free[name] = var.value()
            if self.space == "natural":
                self.params = dict(free)
            else:
                self.params = family.to_constrained(free)
                # A held value is used as given, not through exp(log(value)), which can miss
                # it by a rounding: a support's edge held at the smallest value must hold it.
                for param, value in self.fixed.items():
                    self.params[param] = tf.constant(float(value), dtype=tf.float64, name=param)
        self._initializer = tf.global_variables_initializer()

    def _build_log_likelihood(self) -> tf.Tensor:
        total = censored.log_likelihood(self.family, self.params, self.bounds)
        if not self.exact:
            assert total is not None, "a model needs exact or censored observations"
            return total
        if self.use_statistics:
            exact = self.family.log_likelihood_from_statistics(self.stats, self.params)
        else:
            terms = self.family.log_prob(self.x, self.params)
            if self.w is not None:
                terms = terms * self.w
            exact = tf.reduce_sum(terms)
        return exact if total is None else exact + total

    # -- feeding --------------------------------------------------------------------------
    def set_data(self, x: np.ndarray, w: np.ndarray | None) -> None:
        """Feed new data: its sufficient statistics, or the arrays themselves."""
        if self.use_statistics:
            self.set_statistics(self.family.statistics(x, w) or {})
        else:
            self.feed = {self.x: x}
            if self.w is not None:
                self.feed[self.w] = w

    def set_terms(self, terms: censored.Terms) -> None:
        """Feed censored and truncated observations: the exact values as ``set_data`` does,
        and the bounds and weights of each censored group."""
        if self.exact:
            self.set_data(terms.x, terms.w)
        else:
            self.feed = {}
        self.feed.update(censored.feed(self.bounds, terms))

    def set_statistics(self, stats: dict[str, float]) -> None:
        """Feed sufficient statistics gathered elsewhere (a pass over chunks, Dask workers)."""
        self.feed = {self.stats[k]: np.float64(stats[k]) for k in self.statistic_names}

    # -- evaluating -----------------------------------------------------------------------
    def get_free(self) -> np.ndarray:
        return np.array(self.session.run([v for v in self.variables]), dtype=np.float64)

    def set_free(self, values: Sequence[float]) -> None:
        for var, value in zip(self.variables, values, strict=True):
            var.load(np.float64(value), self.session)

    def set_free_by_name(self, values: dict[str, float]) -> None:
        """Load unconstrained coordinates given by name (fixed ones are ignored)."""
        self.set_free([values[name] for name in self.variable_names])

    def value_and_gradient(self) -> tuple[float, np.ndarray]:
        value, grad = self.session.run([self.log_likelihood, self.gradient], self.feed)
        return float(value), np.array(grad, dtype=np.float64)

    def value(self) -> float:
        return float(self.session.run(self.log_likelihood, self.feed))

    def natural_params(self) -> dict[str, float]:
        values = self.session.run(self.params, self.feed)
        return {k: float(v) for k, v in values.items()}

    def hessian(self) -> np.ndarray:
        """Second derivatives of the log-likelihood in the variables, from the engine."""
        if self._hessian is None:
            with self.graph.as_default():
                self._hessian = [
                    [
                        h if h is not None else tf.zeros_like(v)
                        for h, v in zip(
                            tf.gradients(g, self.variables), self.variables, strict=True
                        )
                    ]
                    for g in self.gradient
                ]
        if not self._hessian:
            return np.zeros((0, 0))
        return np.array(self.session.run(self._hessian, self.feed), dtype=np.float64)

    def jacobian(self) -> np.ndarray:
        """d(natural parameter)/d(variable) at the current point, rows in parameter order."""
        names = self.family.parameter_names
        if self._jacobian is None:
            with self.graph.as_default():
                self._jacobian = [
                    [
                        d if d is not None else tf.zeros_like(v)
                        for d, v in zip(
                            tf.gradients(self.params[p], self.variables),
                            self.variables,
                            strict=True,
                        )
                    ]
                    for p in names
                ]
        if not self.variables:
            return np.zeros((len(names), 0))
        return np.array(self.session.run(self._jacobian, self.feed), dtype=np.float64)

    def restart(self, start: dict[str, float]) -> None:
        """Make a model handed back to the pool as good as a new one built from ``start``:
        its variables loaded with the start, nothing fed."""
        free_start = start if self.space == "natural" else self.family.to_unconstrained(start)
        self.set_free_by_name(free_start)
        self.feed = {}

    def close(self) -> None:
        self.session.close()


@contextlib.contextmanager
def borrowed_model(
    family: Family,
    *,
    statistic_names: Sequence[str] | None,
    weighted: bool,
    space: str,
    fixed: dict[str, float],
    start: dict[str, float],
    values: int,
    censored_groups: Sequence[str] = (),
    exact: bool = True,
) -> Iterator[LikelihoodModel]:
    """A ``LikelihoodModel`` at ``start``, from the pool of models kept between fits
    (``model_pool``) where one was built for the same family, inputs, space and held values,
    else built now; handed back after the block. ``values``: how many numbers a run is fed
    (large models are not kept). Only for fits that add nothing to the graph
    (no first-order optimiser's training ops, no summaries): the caller decides."""

    def build() -> LikelihoodModel:
        return LikelihoodModel(
            family,
            statistic_names=statistic_names,
            weighted=weighted,
            space=space,
            fixed=fixed,
            start=start,
            censored_groups=censored_groups,
            exact=exact,
        )

    family_key = model_pool.family_key(family) if model_pool.small(values) else None
    key = None
    if family_key is not None:
        key = (
            "likelihood",
            family_key,
            None if statistic_names is None else tuple(statistic_names),
            weighted,
            space,
            model_pool.fixed_key(fixed),
            model_pool.fixed_key(_held_coordinates(family, space, fixed, start)),
            tuple(censored_groups),
            exact,
        )
    with model_pool.borrowed(key, build) as model:
        model.restart(start)  # a model lent again starts where a new one would
        try:
            yield model
        finally:
            model.feed = {}  # the pool keeps no reference to the user's data


def _held_coordinates(
    family: Family, space: str, fixed: dict[str, float], start: dict[str, float]
) -> dict[str, float]:
    """The constants a held parameter's coordinate becomes in the graph (in the unconstrained
    space: the coordinate of the held value, which ``to_unconstrained`` may compute from the
    other values too)."""
    if space == "natural" or not fixed:
        return dict(fixed)
    coordinates = family.to_unconstrained({**start, **fixed})
    return {c: coordinates[c] for c, p in free_to_param(family).items() if p in fixed}


def free_to_param(family: Family) -> dict[str, str]:
    """Which natural parameter each unconstrained coordinate stands for, where one-to-one.

    A family with its own joint transform (a mixture's weights come from a softmax of logits)
    only maps the coordinates it shares one-to-one: a weight's logit does not fix the weight.
    """
    joint = type(family).to_constrained is not Family.to_constrained
    prefixes = ("", "log_") if joint else ("", "log_", "logit_")
    out = {}
    names = set(family.parameter_names)
    for free in family.free_names():
        for prefix in prefixes:
            if free.startswith(prefix) and free[len(prefix) :] in names:
                out[free] = free[len(prefix) :]
                break
    return out


def likelihood_graph(family: Family, *, gradients: bool = False) -> tf.Graph:
    """The graph ``fit`` builds for ``family`` on fed data (for viewing: DOT, TensorBoard)."""
    from gaussfit.data.simulate import simulate

    sample, _ = simulate(family, 200, seed=0)
    start = family.initial(sample, None)
    model = LikelihoodModel(
        family, statistic_names=None, weighted=False, start=start, with_gradients=gradients
    )
    model.close()
    return model.graph
