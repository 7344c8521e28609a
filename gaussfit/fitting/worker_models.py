"""The worker's side of a Dask fit: one model per family and setting, built once per thread.

Building a family's graph (and its symbolic gradient and Hessian) costs far more than feeding it
a partition, so each worker keeps the models it has built, keyed by what defines the graph, and
every later evaluation is only a feed and a run. Models are kept per thread, because a session
is not meant to be run from two threads at once; with one thread per worker process that is one
model per process. The newest few are kept; older ones are closed.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.fitting.model import LikelihoodModel

KEPT_MODELS = 8
"""Models a worker thread keeps (a compare of every family needs one per family)."""

_local = threading.local()


@dataclass(frozen=True)
class ModelSpec:
    """What a worker needs to rebuild a client's model: the graph's definition, not its data."""

    family: Family
    weighted: bool
    space: str
    fixed: tuple[tuple[str, float], ...]
    start: tuple[tuple[str, float], ...]
    censored_groups: tuple[str, ...] = ()
    exact: bool = True

    @classmethod
    def of(cls, model: LikelihoodModel) -> ModelSpec:
        start = model.natural_params()
        return cls(
            model.family,
            model.weighted,
            model.space,
            tuple(sorted(model.fixed.items())),
            tuple(sorted(start.items())),
            tuple(model.censored_groups),
            model.exact,
        )

    def key(self) -> bytes:
        """The graph's identity; the start only sets initial values, which are fed anyway."""
        return pickle.dumps(
            (self.family, self.weighted, self.space, self.fixed, self.censored_groups, self.exact)
        )

    def build(self) -> LikelihoodModel:
        return LikelihoodModel(
            self.family,
            statistic_names=None,
            weighted=self.weighted,
            space=self.space,
            fixed=dict(self.fixed),
            start=dict(self.start),
            censored_groups=self.censored_groups,
            exact=self.exact,
        )


def worker_model(spec: ModelSpec) -> LikelihoodModel:
    """This thread's model for ``spec``, built on first use."""
    models: OrderedDict[bytes, LikelihoodModel] = getattr(_local, "models", None) or OrderedDict()
    _local.models = models
    key = spec.key()
    model = models.get(key)
    if model is None:
        model = models[key] = spec.build()
        while len(models) > KEPT_MODELS:
            models.popitem(last=False)[1].close()
    models.move_to_end(key)
    return model


def evaluate_piece(
    spec: ModelSpec, theta: np.ndarray, what: str, x: np.ndarray, w: np.ndarray | None
) -> Any:
    """``value_and_gradient`` or ``hessian`` of the log-likelihood of one partition at
    ``theta``: the few numbers that go back to the client."""
    model = worker_model(spec)
    model.set_free(theta)
    model.set_data(np.asarray(x, dtype=np.float64), None if w is None else np.asarray(w))
    if what == "hessian":
        return model.hessian()
    value, gradient = model.value_and_gradient()
    return value, gradient
