"""What a distribution family declares; the fitting layer needs nothing else.

A family knows its parameters and their domains, the data it accepts, a starting point computed
from the data, its log-density as engine ops, and (where they exist) its closed-form MLE, its
sufficient statistics, a sampler and its scipy.stats counterpart. It knows nothing of optimisers
or the command line.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions.constraints import Constraint
from gaussfit.errors import DataError


@dataclass(frozen=True)
class Parameter:
    """One parameter: its name, domain and a few words for tables and ``gaussfit dists``."""

    name: str
    constraint: Constraint
    description: str = ""


@dataclass(frozen=True)
class Support:
    """Where the data may lie: an interval, open or closed at each end, maybe integers only."""

    lower: float = -math.inf
    upper: float = math.inf
    lower_open: bool = True
    upper_open: bool = True
    integer: bool = False

    def describe(self) -> str:
        if self.integer:
            return "integers ≥ 0" if self.lower == 0 else f"integers ≥ {self.lower:g}"
        left = "(" if self.lower_open else "["
        right = ")" if self.upper_open else "]"
        low = "-inf" if self.lower == -math.inf else f"{self.lower:g}"
        high = "inf" if self.upper == math.inf else f"{self.upper:g}"
        return f"{left}{low}, {high}{right}"

    def violations(self, x: np.ndarray) -> np.ndarray:
        """A boolean mask of the values outside the support."""
        bad = np.zeros(np.shape(x), dtype=bool)
        if self.lower > -math.inf:
            bad |= (x <= self.lower) if self.lower_open else (x < self.lower)
        if self.upper < math.inf:
            bad |= (x >= self.upper) if self.upper_open else (x > self.upper)
        if self.integer:
            bad |= x != np.floor(x)
        return bad


class Family(ABC):
    """Base class of a distribution family. Subclasses fill in the class attributes and the
    abstract methods; the defaults cover families whose parameters are constrained one by one."""

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    title: ClassVar[str] = ""
    discrete: ClassVar[bool] = False
    support: ClassVar[Support] = Support()
    params: ClassVar[tuple[Parameter, ...]]

    # -- parameters -----------------------------------------------------------------------
    @property
    def parameters(self) -> tuple[Parameter, ...]:
        return self.params

    @property
    def parameter_names(self) -> list[str]:
        return [p.name for p in self.parameters]

    def free_names(self) -> list[str]:
        """Names of the unconstrained coordinates the optimiser sees (one per parameter here)."""
        prefix = {"positive": "log_", "unit_interval": "logit_"}
        return [prefix.get(p.constraint.name, "") + p.name for p in self.parameters]

    def to_constrained(self, free: dict[str, tf.Tensor]) -> dict[str, tf.Tensor]:
        """Graph ops from the unconstrained coordinates to the natural parameters."""
        return {
            p.name: p.constraint.to_constrained(free[f])
            for p, f in zip(self.parameters, self.free_names(), strict=True)
        }

    def to_unconstrained(self, params: dict[str, float]) -> dict[str, float]:
        """The unconstrained coordinates of natural parameter values (numpy, not graph)."""
        return {
            f: p.constraint.to_unconstrained(params[p.name])
            for p, f in zip(self.parameters, self.free_names(), strict=True)
        }

    def check_params(self, params: dict[str, float]) -> None:
        """DataError-free check that values lie in their domains (ValueError naming the first)."""
        for p in self.parameters:
            value = params[p.name]
            if not p.constraint.contains(float(value)):
                raise ValueError(
                    f"{self.name}: parameter {p.name}={value:g} is outside its domain "
                    f"({p.constraint.name})"
                )

    # -- data -----------------------------------------------------------------------------
    def check_data(self, x: np.ndarray) -> None:
        """Raise DataError naming the first value outside the support (position is 1-based)."""
        bad = self.support.violations(x)
        if np.any(bad):
            index = int(np.argmax(bad))
            problem = f"is outside the support of {self.name} ({self.support.describe()})"
            raise DataError(
                f"value {x[index]:g} (item {index + 1}) {problem}",
                item=index,
                detail=f"value {x[index]:g} {problem}",
            )

    @abstractmethod
    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        """A data-driven starting point (moments or quantiles) inside the parameter domains."""

    # -- the model as a graph ------------------------------------------------------------
    @abstractmethod
    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """Elementwise log-density (or log-mass) of data tensor ``x`` as engine ops."""

    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """Elementwise log P(X <= x) as engine ops (left- and interval-censored data)."""
        raise NotImplementedError(f"{self.name} has no log_cdf graph")

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        """Elementwise log P(X > x) as engine ops (right-censored data, truncation)."""
        raise NotImplementedError(f"{self.name} has no log_sf graph")

    def statistics(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float] | None:
        """Sufficient statistics (weighted sums) if the log-likelihood can be written in them.

        When given, the fit feeds these few numbers instead of the data, so each iteration
        costs O(1) instead of a pass over the data. None when no finite set exists.
        """
        return None

    def log_likelihood_from_statistics(
        self, s: dict[str, tf.Tensor], p: dict[str, tf.Tensor]
    ) -> tf.Tensor:
        """The total log-likelihood as engine ops on the statistics of ``statistics``."""
        raise NotImplementedError

    def statistics_rows(self, block: np.ndarray) -> dict[str, np.ndarray] | None:
        """``statistics`` of every row of a B x n block at once (length-B arrays): what a
        bootstrap's B samples feed the batched graph. None where the family has no vectorised
        form; the rows' statistics are then computed one by one."""
        return None

    def mle_rows(self, block: np.ndarray) -> dict[str, np.ndarray] | None:
        """Every row's exact MLE (length-B arrays) by a formula, or a one-dimensional root
        solved for all rows together, with no parameter held. None where no such form exists:
        the rows are then fitted by batched Newton steps through the graph. A row whose
        estimate is not finite or leaves the domain is fitted on its own."""
        return None

    def expected_information(self, params: dict[str, float], n: float) -> np.ndarray | None:
        """Fisher information of n observations in the natural parameters, for families whose
        log-likelihood is not twice differentiable (the observed Hessian is then useless)."""
        return None

    # -- references -----------------------------------------------------------------------
    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float] | None:
        """The exact MLE where a formula exists, else None."""
        return None

    @abstractmethod
    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        """n independent draws."""

    def scipy_dist(self, params: dict[str, float]) -> Any | None:
        """The frozen scipy.stats distribution with these parameters, or None."""
        return None

    def scipy_fit(self, x: np.ndarray) -> dict[str, float] | None:
        """scipy's own MLE in our parameterisation (with our fixed loc), or None."""
        return None

    def log_pdf_numpy(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        """Elementwise log-density via scipy (the independent reference)."""
        dist = self.scipy_dist(params)
        if dist is None:
            raise NotImplementedError(f"{self.name} has no scipy counterpart")
        return dist.logpmf(x) if self.discrete else dist.logpdf(x)

    def cdf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        """Cumulative distribution function (for goodness-of-fit statistics)."""
        dist = self.scipy_dist(params)
        if dist is None:
            raise NotImplementedError(f"{self.name} has no CDF")
        return dist.cdf(x)
