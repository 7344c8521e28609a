"""A fit by moment matching, quantile matching, goodness of fit or spacings.

The estimate comes from the method (``gaussfit.fitting.moments`` for mme, the objective graphs
of ``gaussfit.fitting.method_objectives`` optimised by the fit's own optimisers for the others;
the KS distance has no derivative at its optimum, so Nelder-Mead minimises it, as fitdistrplus
does every distance). The result is the ``FitResult`` every fit returns, with what belongs to
maximum likelihood marked as such:

- log-likelihood, AIC and BIC are the log-likelihood *at* the estimate (so fits by different
  methods, or of different families, still compare on one scale), not a maximum;
- the Hessian's standard errors are those of the MLE only: here ``stderr`` and ``ci95`` are
  null, and ``bootstrap=B`` gives percentile intervals from B re-estimates by the same method;
- the closed-form and scipy references are maximum-likelihood fits: not shown.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from scipy import optimize as scipy_optimize

from gaussfit.distributions.base import Family
from gaussfit.errors import DataError, FitError
from gaussfit.fitting.bootstrap import bootstrap_estimator
from gaussfit.fitting.estimation import Method, check_method_fits
from gaussfit.fitting.inference import information_criteria
from gaussfit.fitting.method_batched import refit_rows
from gaussfit.fitting.method_objectives import MethodModel
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.moments import moment_estimate
from gaussfit.fitting.optimizers import Outcome, Settings, Step, optimize
from gaussfit.fitting.quantities import quantity_rows
from gaussfit.fitting.result import FitResult

GoodnessOfFit = Callable[
    [Family, np.ndarray, None, dict[str, float], int], tuple[dict[str, Any], str | None]
]
NELDER_MEAD_TOL = 1e-12


@dataclass(frozen=True)
class MethodRequest:
    """What the caller asked of a fit by method beyond the family, data and method: the
    optimiser's settings and start, the held values, what to report, and where it began."""

    settings: Settings
    start: dict[str, float]
    fixed: dict[str, float]
    space: str
    gof: bool
    goodness_of_fit: GoodnessOfFit
    bootstrap: int
    seed: int | None
    parametric: bool
    probabilities: tuple[float, ...]
    thresholds: tuple[float, ...]
    source: dict | None
    started: float


def fit_by_method(
    family: Family, x: np.ndarray, method: Method, request: MethodRequest
) -> FitResult:
    """Estimate ``family``'s parameters from ``x`` by ``method`` (not ``mle``)."""
    settings, start, fixed = request.settings, request.start, request.fixed
    n_free = len(family.parameter_names) - len(fixed)
    check_method_fits(method, family, n_free)
    if method.name == "qme":
        _check_distinct_quantiles(x, method.probs)
    notes: list[str] = []
    model: MethodModel | None = None
    try:
        if method.name == "mme":
            params, how = moment_estimate(family, x, fixed, start)
            outcome = Outcome(0, True, "converged", [])
            objective = None
            optimizer = "closed_form" if how == "closed formula" else "least_squares"
            estimate = _moment_re_estimator(family, fixed, start)
        else:
            model = MethodModel(family, method, space=request.space, fixed=fixed, start=start)
            model.set_data(x)
            outcome, optimizer = _optimise(model, method, settings)
            params = model.natural_params()
            objective = _objective(method, model.value(), len(x))
            estimate = _re_estimator(model, method, settings)
            notes.append(f"the iterations' score is {_score_words(method)}")
        return _summarise(
            family, x, method, params, objective, outcome, optimizer, notes, estimate, request
        )
    finally:
        if model is not None:
            model.close()


def _summarise(
    family: Family,
    x: np.ndarray,
    method: Method,
    params: dict[str, float],
    objective: float | None,
    outcome: Outcome,
    optimizer: str,
    notes: list[str],
    estimate: Callable[[np.ndarray], dict[str, float] | None],
    request: MethodRequest,
) -> FitResult:
    """The FitResult of an estimate: the log-likelihood at it, goodness of fit, bootstrap."""
    fixed, bootstrap = request.fixed, request.bootstrap
    probabilities, thresholds = request.probabilities, request.thresholds
    warnings: list[str] = []
    k = len(family.parameter_names) - len(fixed)
    if not outcome.converged:
        warnings.append(
            f"did not converge: stopped ({outcome.stopped}) after {outcome.iterations} "
            "iterations; raise --iters or loosen --tol"
        )
    loglik = _loglik_at(family, x, params)
    criteria = information_criteria(loglik, k, float(len(x)))
    notes.append(
        f"log-likelihood, AIC and BIC are evaluated at the {method.name} estimates; standard "
        "errors come from the Hessian for maximum likelihood only"
        + ("" if bootstrap else ": give --bootstrap B for intervals")
    )
    gof_stats: dict[str, Any] = {}
    if request.gof:
        gof_stats, note = request.goodness_of_fit(family, x, None, params, k)
        if note:
            notes.append(note)
    boot = draws = None
    if bootstrap:
        together = (
            None
            if method.name == "mme"
            else partial(refit_rows, family, method, start=params, fixed=fixed)
        )
        boot, draws = bootstrap_estimator(
            estimate, family, x, bootstrap, request.seed, params, request.parametric, together
        )
    quantile_rows = above_rows = None
    if probabilities or thresholds:
        quantile_rows, above_rows = quantity_rows(
            family, params, None, list(fixed), probabilities, thresholds, draws
        )
    empty = {name: None for name in family.parameter_names}
    return FitResult(
        distribution=family.name,
        n=len(x),
        params=params,
        stderr=dict(empty),
        ci95=dict(empty),
        loglik=loglik,
        aic=criteria["aic"],  # type: ignore[arg-type]
        aicc=criteria["aicc"],
        bic=criteria["bic"],  # type: ignore[arg-type]
        gof=gof_stats,
        optimizer=optimizer,
        iterations=outcome.iterations,
        converged=outcome.converged,
        stopped=outcome.stopped,
        trace=outcome.trace,
        reference={"closed_form": None, "scipy": None},
        fixed=fixed,
        warnings=warnings,
        notes=notes,
        source=request.source,
        seconds=time.perf_counter() - request.started,
        settings={
            "lr": request.settings.lr,
            "max_iter": request.settings.max_iter,
            "tol": request.settings.tol,
            "space": request.space,
            "evaluation": "data",
        },
        bootstrap=boot,
        quantiles=quantile_rows if probabilities else None,
        prob_above=above_rows if thresholds else None,
        method={**method.to_dict(), "objective": objective},
    )


def _check_distinct_quantiles(x: np.ndarray, probs: tuple[float, ...]) -> None:
    """Two probabilities with the same sample quantile (a tied sample) leave quantile matching
    without a solution: no continuous law puts two probabilities at one point."""
    quantiles = np.quantile(x, probs)
    for i in range(1, len(probs)):
        if quantiles[i] == quantiles[i - 1]:
            raise DataError(
                f"--probs: the data's quantiles at {probs[i - 1]:g} and {probs[i]:g} are equal "
                f"({quantiles[i]:g}); choose probabilities further apart"
            )


def _optimise(model: MethodModel, method: Method, settings: Settings) -> tuple[Outcome, str]:
    """The fit's optimiser on the method's score; Nelder-Mead for the KS distance, whose
    maximum of absolute values has no derivative at the optimum (Newton's curvature is 0)."""
    if method.distance == "KS":
        return _nelder_mead(model, settings), "nelder_mead"
    return optimize(model, settings), settings.optimizer


def _nelder_mead(model: MethodModel, settings: Settings) -> Outcome:
    """Nelder-Mead on the unconstrained coordinates, each evaluation one run of the graph."""
    trace: list[Step] = []

    def loss(z: np.ndarray) -> float:
        model.set_free(z)
        value = model.value()
        return -value if math.isfinite(value) else math.inf

    def record(z: np.ndarray) -> None:
        model.set_free(z)
        step = Step(len(trace), model.value(), math.nan, model.natural_params())
        trace.append(step)
        if settings.on_step is not None:
            settings.on_step(step)

    z0 = model.get_free()
    record(z0)
    solution = scipy_optimize.minimize(
        loss,
        z0,
        method="Nelder-Mead",
        callback=record,
        options={
            "xatol": NELDER_MEAD_TOL,
            "fatol": NELDER_MEAD_TOL,
            "maxiter": settings.max_iter * 50,
        },
    )
    model.set_free(solution.x)
    return Outcome(
        int(solution.nit),
        bool(solution.success),
        "converged" if solution.success else "max_iter",
        trace,
    )


def _objective(method: Method, score: float, n: int) -> float:
    """The minimised objective: the distance for mge and minus the mean log spacing for mse,
    as fitdistrplus's ``value``; for qme the sum of squared CDF mismatches at the data's
    quantiles (fitdistrplus's is in the quantiles' units; both are 0 at an exact match)."""
    if method.name == "mse":
        return -score / (n + 1)
    if method.name == "qme":
        return -score / n
    return -score


def _score_words(method: Method) -> str:
    return {
        "qme": "-n times the sum of squared CDF mismatches at the data's quantiles",
        "mge": f"minus the {method.distance} distance",
        "mse": "the sum of log spacings",
    }[method.name]


def _re_estimator(
    model: MethodModel, method: Method, settings: Settings
) -> Callable[[np.ndarray], dict[str, float] | None]:
    """Estimate a resample by the same method through the fit's own graph, each resample a
    new feed, started at the estimate (None for a resample whose fit fails or stalls)."""
    quiet = Settings(**{**settings.__dict__, "on_step": None, "deadline": None})
    best = model.get_free()

    def estimate(sample: np.ndarray) -> dict[str, float] | None:
        model.set_free(best)
        model.set_data(sample)
        try:
            outcome, _ = _optimise(model, method, quiet)
        except FitError:
            return None
        return model.natural_params() if outcome.converged else None

    return estimate


def _moment_re_estimator(
    family: Family, fixed: dict[str, float], start: dict[str, float]
) -> Callable[[np.ndarray], dict[str, float] | None]:
    """Moment matching on a resample (None where its moments cannot be matched)."""

    def estimate(sample: np.ndarray) -> dict[str, float] | None:
        try:
            return moment_estimate(family, sample, fixed, start)[0]
        except FitError:
            return None

    return estimate


def _loglik_at(family: Family, x: np.ndarray, params: dict[str, float]) -> float:
    """The engine's log-likelihood of ``x`` at ``params`` (the reports' log L, AIC, BIC)."""
    model = LikelihoodModel(
        family, statistic_names=None, weighted=False, start=params, with_gradients=False
    )
    try:
        model.set_data(x, None)
        loglik = model.value()
    finally:
        model.close()
    if not math.isfinite(loglik):
        raise FitError(
            "the estimate leaves some values outside the fitted support (log-likelihood "
            "-inf); try another --method"
        )
    return loglik
