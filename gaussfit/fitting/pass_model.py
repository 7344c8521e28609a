"""A likelihood model whose sums over observations are taken by passes over the data.

The optimisers only ask a model for the log-likelihood with its gradient, and for the Hessian.
When the data are not one array in memory (a file read in chunks, partitions on Dask workers),
each of those requests becomes one pass: the same graph is evaluated on every piece and the
pieces' results are added. Everything that does not depend on the data (the variables, the
parameters as functions of them, their Jacobian) is the wrapped model's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from gaussfit.fitting.model import LikelihoodModel

Reducer = Callable[[LikelihoodModel, str], Any]
"""Sum ``value_and_gradient`` or ``hessian`` of the model over every piece of the data."""


class PassModel:
    """``model`` with its data-dependent evaluations delegated to ``reduce``; counts passes."""

    def __init__(self, model: LikelihoodModel, reduce: Reducer) -> None:
        self.model = model
        self.reduce = reduce
        self.passes = 0

    joint_evaluation = False
    """Each request is a pass over the data: the Hessian is asked for only where it is used."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)

    def value_and_gradient(self) -> tuple[float, np.ndarray]:
        self.passes += 1
        value, gradient = self.reduce(self.model, "value_and_gradient")
        return float(value), np.asarray(gradient, dtype=np.float64)

    def value(self) -> float:
        return self.value_and_gradient()[0]

    def hessian(self) -> np.ndarray:
        self.passes += 1
        return np.asarray(self.reduce(self.model, "hessian"), dtype=np.float64)
