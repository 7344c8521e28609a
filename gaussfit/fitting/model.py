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
        self._memo_key: tuple | None = None
        self._memo: dict[str, Any] = {}
        self._feeds = 0
        self.feed = {}

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
    @property
    def feed(self) -> dict[tf.Tensor, Any]:
        """What the placeholders are fed; replacing it (not editing it in place) is feeding new
        data, which forgets what was computed on the old."""
        return self._feed

    @feed.setter
    def feed(self, feed: dict[tf.Tensor, Any]) -> None:
        self._feed = feed
        self._feeds += 1

    def set_data(self, x: np.ndarray, w: np.ndarray | None) -> None:
        """Feed new data: its sufficient statistics, or the arrays themselves.

        The model keeps what it computed at its current point for the data fed (see
        ``_memo_here``); an array changed in place after feeding it must be fed again."""
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
        self.feed = {**self.feed, **censored.feed(self.bounds, terms)}

    def set_statistics(self, stats: dict[str, float]) -> None:
        """Feed sufficient statistics gathered elsewhere (a pass over chunks, Dask workers)."""
        self.feed = {self.stats[k]: np.float64(stats[k]) for k in self.statistic_names}

    # -- evaluating -----------------------------------------------------------------------
    joint_evaluation = True
    """One run gives the value, gradient and Hessian together, for less than two runs cost
    (they share every pass over the data): ``value_gradient_hessian``."""

    def get_free(self) -> np.ndarray:
        return np.array(self.session.run([v for v in self.variables]), dtype=np.float64)

    def set_free(self, values: Sequence[float]) -> None:
        for var, value in zip(self.variables, values, strict=True):
            var.load(np.float64(value), self.session)

    def set_free_by_name(self, values: dict[str, float]) -> None:
        """Load unconstrained coordinates given by name (fixed ones are ignored)."""
        self.set_free([values[name] for name in self.variable_names])

    def value_and_gradient(self) -> tuple[float, np.ndarray]:
        memo = self._memo_here()
        if "gradient" not in memo:
            value, grad = self.session.run([self.log_likelihood, self.gradient], self.feed)
            memo.update(value=float(value), gradient=np.array(grad, dtype=np.float64))
        return memo["value"], memo["gradient"].copy()

    def value(self) -> float:
        memo = self._memo_here()
        if "value" not in memo:
            memo["value"] = float(self.session.run(self.log_likelihood, self.feed))
        return memo["value"]

    def natural_params(self) -> dict[str, float]:
        values = self.session.run(self.params, self.feed)
        return {k: float(v) for k, v in values.items()}

    def hessian(self) -> np.ndarray:
        """Second derivatives of the log-likelihood in the variables: the family's formula
        where it has one for fed, uncensored data, else the engine's."""
        formula = self._formula_hessian()
        if formula is not None:
            return formula
        memo = self._memo_here()
        if "hessian" not in memo:
            tensors = self._hessian_tensors()
            memo["hessian"] = (
                np.array(self.session.run(tensors, self.feed), dtype=np.float64)
                if tensors
                else np.zeros((0, 0))
            )
        return memo["hessian"].copy()

    def value_gradient_hessian(self) -> tuple[float, np.ndarray, np.ndarray]:
        """The value, gradient and Hessian at the current point from one run of the graph.

        Newton needs all three at each point it accepts; asked for separately they are two
        runs, each making the passes over the data (log x, the powers) that the other makes.
        """
        if type(self.family).free_hessian is not Family.free_hessian:
            value, gradient = self.value_and_gradient()
            return value, gradient, self.hessian()
        memo = self._memo_here()
        if "hessian" not in memo or "gradient" not in memo:
            tensors = self._hessian_tensors()
            value, grad, hess = self.session.run(
                [self.log_likelihood, self.gradient, tensors], self.feed
            )
            memo.update(
                value=float(value),
                gradient=np.array(grad, dtype=np.float64),
                hessian=np.array(hess, dtype=np.float64) if tensors else np.zeros((0, 0)),
            )
        return memo["value"], memo["gradient"].copy(), memo["hessian"].copy()

    def _memo_here(self) -> dict[str, Any]:
        """What was computed at the current point on the data fed now (the value, gradient,
        Hessian), so that asking again (the fit's summary after Newton's last step) costs no
        pass over the data. Keyed by the variables' values and the feed: moving the point
        (``set_free``, a training op) or feeding data (``set_data``) starts afresh."""
        key = (self._feeds, self.get_free().tobytes())
        if key != self._memo_key:
            self._memo_key, self._memo = key, {}
        return self._memo

    def _hessian_tensors(self) -> list[list[tf.Tensor]]:
        """The Hessian's entries as graph tensors, built on first use."""
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
        return self._hessian

    def _formula_hessian(self) -> np.ndarray | None:
        """``Family.free_hessian`` at the current point, restricted to the variables (held
        parameters are no coordinates of the fit); None where it does not apply."""
        if (
            type(self.family).free_hessian is Family.free_hessian
            or self.space != "unconstrained"
            or self.x is None
            or self.censored_groups
            or self.x not in self.feed
        ):
            return None
        x = self.feed[self.x]
        w = self.feed.get(self.w) if self.w is not None else None
        full = self.family.free_hessian(x, w, self.natural_params())
        if full is None:
            return None
        index = [self.family.free_names().index(name) for name in self.variable_names]
        return np.asarray(full, dtype=np.float64)[np.ix_(index, index)]

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
