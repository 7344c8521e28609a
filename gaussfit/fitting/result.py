"""What a fit returns: estimates, their uncertainty, fit statistics and the references.

``FitResult.to_dict()`` is the stable JSON object documented in the README (non-finite numbers
become null so that the output is strict JSON).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gaussfit.fitting.optimizers import Step

if TYPE_CHECKING:
    from gaussfit.distributions.base import Family


@dataclass(frozen=True)
class Reference:
    """An independent estimate to compare with: the closed form, or scipy's own fit."""

    params: dict[str, float]
    loglik: float | None
    seconds: float | None = None


@dataclass(repr=False)
class FitResult:
    distribution: str
    n: int
    params: dict[str, float]
    stderr: dict[str, float | None]
    ci95: dict[str, tuple[float, float] | None]
    loglik: float
    aic: float
    aicc: float | None
    bic: float
    gof: dict[str, Any]
    optimizer: str
    iterations: int
    converged: bool
    stopped: str
    trace: list[Step]
    reference: dict[str, Reference | None]
    fixed: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: dict[str, Any] | None = None
    seconds: float = 0.0
    weighted: bool = False
    settings: dict[str, Any] = field(default_factory=dict)
    bootstrap: dict[str, Any] | None = None
    censoring: dict[str, Any] | None = None
    """Counts of exact, left-, right- and interval-censored rows and the truncation (None:
    every value exact, nothing truncated)."""
    empirical: dict[str, Any] | None = None
    """The nonparametric MLE of the CDF of censored data (Kaplan–Meier or Turnbull)."""
    cov: dict[str, dict[str, float]] | None = None
    corr: dict[str, dict[str, float]] | None = None
    # Derived quantities with their intervals (see gaussfit.fitting.quantities), and
    # profile-likelihood intervals (gaussfit.fitting.profile); None when not asked for.
    quantiles: list[dict[str, Any]] | None = None
    prob_above: list[dict[str, Any]] | None = None
    profile_ci95: dict[str, tuple[float | None, float | None] | None] | None = None
    boundary: dict[str, str] = field(default_factory=dict)
    """Parameters held on the data's edge (Pareto's scale, a threshold at the smallest value),
    each with why; they have no Hessian standard error."""
    likelihood_unbounded: bool = False
    """The likelihood has no maximum (a threshold at the smallest value): ``loglik`` and AIC
    depend on where the edge parameter was held and are not comparable with other fits."""
    fitted_family: Family | None = field(default=None, compare=False)
    """The family object fitted, when it is not one ``get_family`` can rebuild by name (a
    user's own); not part of the JSON."""

    def __repr__(self) -> str:
        """One line: family, n, estimates, log-likelihood and whether it converged."""
        estimates = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
        state = "converged" if self.converged else f"not converged ({self.stopped})"
        return (
            f"<FitResult {self.distribution} n={self.n}: {estimates}; "
            f"loglik={self.loglik:.6g}; {state}>"
        )

    def __str__(self) -> str:
        """The report ``gaussfit fit`` prints: iterations, estimates, statistics, messages."""
        from gaussfit.report.screen import fit_text

        return fit_text(self)

    @property
    def identifiable(self) -> bool | None:
        """Whether the data determine every parameter (see ``flags``); None when the fit
        stopped short (iteration or time limit), where the curvature says nothing either way."""
        return not self.flags if self.converged or self.stopped == "line_search" else None

    # -- the fitted distribution, without refitting -------------------------------------------
    def family(self) -> Family:
        """The fitted family (a mixture with as many components as its parameters say)."""
        from gaussfit.distributions import get_family

        if self.fitted_family is not None:
            return self.fitted_family
        family = get_family(self.distribution)
        if len(family.parameter_names) != len(self.params) and self.distribution.endswith(
            "mixture"
        ):
            family = get_family(self.distribution, k=len(self.params) // 3)
        return family.bind(self.params)  # a given parameter (the binomial's n) as fitted

    def frozen(self) -> Any:
        """The matching frozen scipy.stats distribution at the estimates."""
        from gaussfit.fitting.quantities import frozen

        return frozen(self.family(), self.params)

    def quantile(self, p: Any) -> Any:
        """The fitted distribution's p-quantile (inverse CDF), scalar or array like ``p``."""
        return self.frozen().ppf(p)

    def cdf(self, x: Any) -> Any:
        return self.frozen().cdf(x)

    def sf(self, x: Any) -> Any:
        """P(X > x) under the fit."""
        return self.frozen().sf(x)

    def pdf(self, x: Any) -> Any:
        """The fitted density (the probability mass for a count family)."""
        dist = self.frozen()
        return dist.pmf(x) if self.family().discrete else dist.pdf(x)

    def mean(self) -> float:
        return float(self.frozen().mean())

    def var(self) -> float:
        return float(self.frozen().var())

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (strict JSON: NaN and infinities become null)."""
        out: dict[str, Any] = {
            "distribution": self.distribution,
            "n": self.n,
            "params": self.params,
            "stderr": self.stderr,
            "cov": self.cov,
            "corr": self.corr,
            "ci95": {k: list(v) if v is not None else None for k, v in self.ci95.items()},
            "loglik": self.loglik,
            "aic": self.aic,
            "aicc": self.aicc,
            "bic": self.bic,
            "gof": self.gof,
            "optimizer": self.optimizer,
            "iterations": self.iterations,
            "converged": self.converged,
            "stopped": self.stopped,
            "identifiable": self.identifiable,
            "flags": self.flags,
            "boundary": self.boundary,
            "likelihood_unbounded": self.likelihood_unbounded,
            "warnings": self.warnings,
            "notes": self.notes,
            "fixed": self.fixed,
            "weighted": self.weighted,
            "settings": self.settings,
            "trace": [
                {
                    "iteration": s.iteration,
                    "loglik": s.loglik,
                    "grad_norm": s.grad_norm,
                    "params": s.params,
                }
                for s in self.trace
            ],
            "reference": {
                key: None if ref is None else {"params": ref.params, "loglik": ref.loglik}
                for key, ref in self.reference.items()
            },
            "bootstrap": self.bootstrap,
            "censoring": self.censoring
            if self.censoring is not None
            else {"exact": self.n, "left": 0, "right": 0, "interval": 0, "truncation": None},
            "empirical": self.empirical,
            "quantiles": self.quantiles,
            "prob_above": self.prob_above,
            "profile_ci95": None
            if self.profile_ci95 is None
            else {k: list(v) if v is not None else None for k, v in self.profile_ci95.items()},
            "source": self.source,
            "seconds": self.seconds,
        }
        return json_safe(out)


def json_safe(value: Any) -> Any:
    """Replace NaN/inf by None and numpy scalars by Python numbers, recursively."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "f") in "iu":
        return int(value)
    return number if math.isfinite(number) else None
