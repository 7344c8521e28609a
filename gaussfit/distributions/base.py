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
from gaussfit.distributions import numeric
from gaussfit.distributions.constraints import Constraint
from gaussfit.errors import DataError


@dataclass(frozen=True)
class Parameter:
    """One parameter: its name, domain and a few words for tables and ``gaussfit dists``."""

    name: str
    constraint: Constraint
    description: str = ""
    given: bool = False
    """A parameter the data do not estimate (the binomial's number of trials): the user gives
    it, with ``fixed`` (``--fix n=20``), and the fit holds it there."""


@dataclass(frozen=True)
class Support:
    """Where the data may lie: an interval, open or closed at each end, maybe integers only."""

    lower: float = -math.inf
    upper: float = math.inf
    lower_open: bool = True
    upper_open: bool = True
    integer: bool = False

    def describe(self) -> str:
        if self.integer and self.upper < math.inf:
            return f"integers {self.lower:g} to {self.upper:g}"
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


@dataclass(frozen=True)
class Edge:
    """A parameter whose estimate sits on the data's edge, and why: the fit holds it there
    (counted in AIC, reported with no Hessian standard error) and says so in its flags."""

    value: float
    why: str
    bounded: bool = True
    """False where the likelihood has no maximum at all (a threshold at the smallest value):
    the log-likelihood then depends on where the parameter is held, and is not ranked."""


class Family(ABC):
    """Base class of a distribution family.

    The minimum a family declares is ``name``, ``params`` (with their domains), ``support``
    and ``log_prob`` (``discrete = True`` for a mass function); ``gaussfit.fit(x, MyFamily())``
    then fits it. The rest has defaults: the start is a fixed point inside each domain (1 for
    ``> 0``, 0.5 for ``(0, 1)``, 0 for real) and a failed fit from it is retried from others;
    the CDF for goodness of fit and the total mass come from ``log_prob`` by quadrature (see
    ``gaussfit.distributions.numeric``), and a warning says when the density does not
    integrate to 1; without ``sample`` the parametric bootstrap and simulation are refused.
    A family that knows better (a data-driven ``initial``, a ``sample``, a ``scipy_dist``)
    overrides them.
    """

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

    def bind(self, fixed: dict[str, float]) -> Family:
        """This family with the values of its given parameters (``Parameter.given``) taken
        from ``fixed``: the binomial's support, closed form and statistics need its number of
        trials. ConfigError, saying how to give it, when one is missing. Families without
        given parameters are returned as they are."""
        return self

    def given_values(self) -> dict[str, float]:
        """The given parameters this family was bound to (see ``bind``), by name."""
        return {}

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

    moving_support: ClassVar[bool] = False
    """Whether the support moves with the parameters (a threshold, Pareto's scale, the uniform's
    ends): ``support`` is then only its widest extent, and ``support_at`` gives the real one."""

    def describe_support(self) -> str:
        """The support in words for ``gaussfit dists``: in the parameters' names if it moves."""
        return self.support.describe()

    def support_at(self, params: dict[str, float]) -> Support:
        """The support at these parameter values (the fixed ``support`` unless it moves)."""
        return self.support

    def check_data_at(self, x: np.ndarray, params: dict[str, float], what: str) -> None:
        """Raise DataError naming the first value outside the support at ``params`` (values
        held fixed or given as a start, named by ``what``), where the density would be 0."""
        support = self.support_at(params)
        bad = support.violations(x)
        if np.any(bad):
            index = int(np.argmax(bad))
            problem = f"is outside the support {support.describe()} of {self.name} at the {what}"
            raise DataError(
                f"value {x[index]:g} (item {index + 1}) {problem}",
                item=index,
                detail=f"value {x[index]:g} {problem}",
            )

    def edge_params(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, Edge]:
        """Parameters whose maximum-likelihood value lies on the data's edge, where the
        log-likelihood has no zero gradient (Pareto's scale at the smallest value, the
        uniform's ends, a threshold whose likelihood is unbounded at the smallest value):
        the fit holds them there and optimises the others. Empty for regular families."""
        return {}

    def irregular(self, params: dict[str, float]) -> str | None:
        """Why the Hessian's standard errors are not valid at these estimates (a likelihood
        that is not regular there, e.g. a Weibull threshold with shape <= 2), or None."""
        return None

    def reference_note(self, x: np.ndarray, params: dict[str, float]) -> str | None:
        """Why a reference fit (scipy's) at ``params`` is not a maximum to compare with, or
        None (a threshold that scipy ran into the smallest value, where the likelihood is
        unbounded)."""
        return None

    def initial(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
        """A data-driven starting point (moments or quantiles) inside the parameter domains.

        The default knows nothing of the data: a fixed point inside each domain (see
        ``default_start``), with restarts from other points when a fit from it fails.
        """
        return {p.name: default_start(p.constraint) for p in self.parameters}

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

    def free_hessian(
        self, x: np.ndarray, w: np.ndarray | None, params: dict[str, float]
    ) -> np.ndarray | None:
        """The Hessian of sum_i w_i log p(x_i) in the coordinates of ``free_names`` at
        ``params``, by formula, for a family whose engine Hessian costs more than the rest of
        its fit (a mixture's second derivatives through a log-sum-exp). None (the default):
        the engine differentiates the log-likelihood graph twice."""
        return None

    def degeneracy_flags(self, params: dict[str, float], stderr: dict[str, Any]) -> list[str]:
        """Identifiability flags of the family's own known pathologies at a fitted point (a
        shape drifting to an infinite MLE, a mixture component that collapsed), beside the
        generic ones the fitting layer raises from the curvature. ``stderr`` maps parameter
        names to standard errors (None where there is none)."""
        return []

    def limit_note(self, params: dict[str, float]) -> str | None:
        """Where an unfinished fit is heading, when the family knows a limit its likelihood
        can rise towards without reaching (log-gamma's normal limit as c grows): said in place
        of advice to iterate longer, which cannot help. None where no such limit is near."""
        return None

    # -- references -----------------------------------------------------------------------
    def closed_form(self, x: np.ndarray, w: np.ndarray | None) -> dict[str, float] | None:
        """The exact MLE where a formula exists, else None."""
        return None

    def sample(self, params: dict[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
        """n independent draws (a family without a sampler cannot be simulated)."""
        raise NotImplementedError(f"{self.name} has no sampler")

    @property
    def has_sampler(self) -> bool:
        """Whether the family draws samples (the parametric bootstrap and simulate need it)."""
        return type(self).sample is not Family.sample

    def scipy_dist(self, params: dict[str, float]) -> Any | None:
        """The frozen scipy.stats distribution with these parameters, or None."""
        return None

    def scipy_fit(self, x: np.ndarray) -> dict[str, float] | None:
        """scipy's own MLE in our parameterisation (with our fixed loc), or None."""
        return None

    def log_pdf_numpy(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        """Elementwise log-density via scipy (the independent reference); a family without a
        scipy counterpart evaluates its own ``log_prob`` graph (for plots, not as a check)."""
        dist = self.scipy_dist(params)
        if dist is None:
            return self._evaluator()(np.asarray(x, dtype=np.float64), params)
        return dist.logpmf(x) if self.discrete else dist.logpdf(x)

    def cdf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        """Cumulative distribution function (for goodness-of-fit statistics): scipy's, or
        without a scipy counterpart ``log_prob`` integrated (summed for counts)."""
        dist = self.scipy_dist(params)
        if dist is not None:
            return dist.cdf(x)
        return self._numeric_cdf(np.asarray(x, dtype=np.float64), params)[0]

    def cdf_with_logs(
        self, x: np.ndarray, params: dict[str, float]
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """F(x) with log F(x) and log(1 - F(x)) where the family has them cheaply and exactly
        (else None: whoever needs them takes them from F). The goodness-of-fit statistics use
        all three; a family whose CDF is built from its log survival (the Weibull's
        1 - exp(-(x/lambda)^k)) saves a logarithm and a tail rounded to 1."""
        return self.cdf(x, params), None, None

    def pmf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        """Mass function of a discrete family (for the chi-square test): scipy's, or
        ``exp(log_prob)`` evaluated through the engine."""
        dist = self.scipy_dist(params)
        if dist is not None:
            return dist.pmf(x)
        return numeric.density(self._evaluator()(np.asarray(x, dtype=np.float64), params))

    def total_mass(self, params: dict[str, float], x: np.ndarray | None = None) -> float | None:
        """The integral (sum) of exp(log_prob) over the support, by quadrature placed where
        the data ``x`` lie; None for a family with a scipy counterpart."""
        if self.scipy_dist(params) is not None:
            return None
        return self._numeric_cdf(np.zeros(0), params, x)[1]

    @property
    def has_own_cdf(self) -> bool:
        """Whether ``cdf`` is the family's own rather than its density integrated."""
        return type(self).cdf is not Family.cdf

    @property
    def density_unchecked(self) -> bool:
        """Whether nothing vouches for the density's normalisation (no scipy counterpart, no
        CDF of its own): the fit then checks it by quadrature (``gaussfit.fitting.user_checks``)."""
        return type(self).scipy_dist is Family.scipy_dist and type(self).cdf is Family.cdf

    def _numeric_cdf(
        self, x: np.ndarray, params: dict[str, float], layout: np.ndarray | None = None
    ) -> tuple[np.ndarray, float]:
        """F at ``x`` and the total mass; ``layout`` (default ``x``) places the panels."""
        evaluate = self._evaluator()
        if self.discrete:
            return numeric.count_cdf(evaluate, self.support, params, x)
        where = x if layout is None else np.asarray(layout, dtype=np.float64)
        where = where[np.isfinite(where)]
        centre = float(np.median(where)) if where.size else 0.0
        spread = float(np.std(where)) if where.size > 1 else 0.0
        return numeric.continuous_cdf(
            evaluate, self.support, params, x, centre, spread if spread > 0 else 1.0
        )

    def _evaluator(self) -> numeric.DensityEvaluator:
        """One engine graph of log_prob with the parameters fed, built on first use."""
        cached = self.__dict__.get("_density_evaluator")
        if cached is None:
            cached = numeric.DensityEvaluator(self)
            self.__dict__["_density_evaluator"] = cached
        return cached


def default_start(constraint: Constraint) -> float:
    """A start inside a domain when nothing is known of the data: 1 for ``> 0``, 0.5 for
    ``(0, 1)``, 0 for real, one past a single bound, the middle of two."""
    if constraint.name == "positive":
        return 1.0
    if constraint.name == "unit_interval":
        return 0.5
    if constraint.name == "greater_than":
        return constraint.lower + 1.0
    if constraint.name == "less_than":
        return constraint.upper - 1.0
    if constraint.name == "interval":
        return 0.5 * (constraint.lower + constraint.upper)
    if constraint.name == "integer":
        return constraint.lower if math.isfinite(constraint.lower) else 0.0
    return 0.0
