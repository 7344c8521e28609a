"""``fit``: one family, one data set, one maximum-likelihood estimate you can trust.

The steps are the lab's: build the family's log-likelihood graph, feed the data through a
placeholder, optimise; then measure how well determined the estimate is (engine Hessian), how
well the family fits (goodness of fit), and how it compares with the closed form and with
scipy's own fit.
"""

from __future__ import annotations

import functools
import math
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.data.columns import column_phrase
from gaussfit.data.observations import Observations
from gaussfit.distributions import FAMILIES, get_family
from gaussfit.distributions.base import Edge, Family
from gaussfit.errors import ConfigError, DataError, FitError
from gaussfit.fitting import goodness
from gaussfit.fitting.bootstrap import bootstrap as run_bootstrap
from gaussfit.fitting.censored_chunked import ChunkedObservations
from gaussfit.fitting.censored_dask import DaskObservations
from gaussfit.fitting.data_checks import (
    as_values,
    as_weights,
    check_fit_data,
    check_size_and_spread,
)
from gaussfit.fitting.estimation import Method, check_method
from gaussfit.fitting.first_order_start import first_order_start
from gaussfit.fitting.gof_bootstrap import check_family, check_resamples
from gaussfit.fitting.gof_bootstrap import gof_bootstrap as run_gof_bootstrap
from gaussfit.fitting.identifiability import identifiability_flags
from gaussfit.fitting.inference import (
    correlation,
    information_criteria,
    uncertainty,
    without_standard_errors,
)
from gaussfit.fitting.model import LikelihoodModel, borrowed_model, free_to_param
from gaussfit.fitting.optimizers import (
    OPTIMIZERS,
    Outcome,
    Settings,
    Step,
    default_lr,
    default_max_iter,
    optimize,
)
from gaussfit.fitting.pass_model import PassModel
from gaussfit.fitting.profile import profile_intervals, quantity_interval
from gaussfit.fitting.quantities import quantity_rows
from gaussfit.fitting.rescale import (
    gradient_measures,
    rescale_factor,
    scale_params,
    scale_result,
    scale_step,
)
from gaussfit.fitting.restarts import optimize_with_restarts
from gaussfit.fitting.result import FitResult, Reference
from gaussfit.fitting.streamed import StreamedData, as_streamed
from gaussfit.fitting.user_checks import normalisation_warnings

DEFAULT_TOL = 1e-8
SCIPY_REFERENCE_LIMIT = 200_000
STREAMING_OPTIMIZERS = ("newton", "lbfgs")
FIRST_ORDER = ("gd", "momentum", "adam")
MAX_COUNT_CELLS = 1_000_000


def _quiet_numerics(function: Callable[..., FitResult]) -> Callable[..., FitResult]:
    """Run ``function`` with numpy's floating-point warnings and RuntimeWarnings silenced.

    Overflow in a trial step or in scipy's reference fit is expected and handled (a rejected
    step, a note, a typed error); the warnings Python would print around it only bury the
    message that matters.
    """

    @functools.wraps(function)
    def quiet(*args: Any, **kwargs: Any) -> FitResult:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return function(*args, **kwargs)

    return quiet


@_quiet_numerics
def fit(
    data: Any,
    dist: str | Family = "normal",
    *,
    optimizer: str | None = None,
    lr: float | None = None,
    max_iter: int | None = None,
    tol: float | None = None,
    init: dict[str, float] | None = None,
    fixed: dict[str, float] | None = None,
    weights: Any = None,
    bootstrap: int = 0,
    seed: int | None = None,
    space: str | None = None,
    evaluation: str = "auto",
    references: bool | str = "auto",
    gof: bool = True,
    gof_bootstrap: int | str | None = None,
    parametric: bool = False,
    quantiles: Sequence[float] = (),
    prob_above: Sequence[float] = (),
    ci: str = "wald",
    time_budget: float | None = None,
    on_step: Callable[[Step], None] | None = None,
    source: dict[str, Any] | None = None,
    logdir: str | None = None,
    method: str = "mle",
    probs: Sequence[float] | None = None,
    gof_distance: str | None = None,
) -> FitResult:
    """Fit ``dist`` to ``data`` by maximum likelihood (or ``method``) and return a ``FitResult``.

    ``print(result)`` shows the report ``gaussfit fit`` prints; ``result.to_dict()`` is the
    JSON object of ``gaussfit fit --json``. Bad data raise ``DataError``, bad options
    ``ConfigError``, a diverging fit ``FitError``.

    Parameters
    ----------
    data
        A 1-D array or sequence of real numbers, or a ``gaussfit.data.Dataset`` (from
        ``gaussfit.load_data``; its weights and source are used). A 2-D array, complex numbers
        or None are refused. Data larger than memory: a Dask array (summed on the workers of
        the current ``dask.distributed`` client) or a file opened with
        ``gaussfit.data.chunked_csv.open_chunked_csv`` (read in chunks); such fits use
        ``newton`` or ``lbfgs`` and report their passes over the data in ``settings``.
    dist
        A family's name (``gaussfit dists`` lists them; default ``"normal"``) or a ``Family``.
    optimizer
        ``"newton"`` (default), ``"lbfgs"``, ``"gd"``, ``"momentum"`` or ``"adam"`` (see
        ``gaussfit.fitting.optimizers`` for the convergence criterion). Without ``init``, the
        first-order ones start away from the answer so that the climb shows (the normal at
        the lab's mu = 1, sigma = 1; see ``gaussfit.fitting.first_order_start``).
    lr
        Learning rate of ``gd``, ``momentum`` and ``adam`` (default: a stable step for the
        data, 0.5 * variance / n for ``gd``; 0.05 for ``adam``).
    max_iter
        Iteration limit (default per optimiser: 100 for newton, 1000 lbfgs, 5000 the others).
    tol
        Convergence tolerance on the largest gradient component per observation (1e-8).
    init
        Starting values, e.g. ``{"mu": 1.0, "sigma": 1.0}``, over the data-driven start.
    fixed
        Parameters held at given values, e.g. ``{"mu": 0.0}``.
    weights
        Frequency weights, one per value (a weighted likelihood).
    bootstrap
        Number of resamples for percentile intervals (0: none), refitted together through
        one batched graph (``gaussfit.fitting.bootstrap``).
    seed
        Seed of the bootstrap's resampling and of ``gof_bootstrap``'s draws.
    space
        ``"natural"`` (the variables are the parameters, the lab's way; the default for
        ``gd``) or ``"unconstrained"`` (log scales, logit probabilities; the others' default).
    evaluation
        ``"data"`` feeds the data through a placeholder, ``"statistics"`` the family's
        sufficient statistics, ``"auto"`` (default) the statistics when the family has them.
    references
        ``"auto"`` (closed form, and scipy's fit up to 200,000 values), ``True``,
        ``"closed_form"`` (skip scipy) or ``False``.
    gof
        Whether to compute goodness-of-fit statistics (default True); their p-values are
        nominal.
    gof_bootstrap
        B (at least 2) or ``"auto"``: valid KS, CvM and AD p-values with their Monte Carlo
        standard errors from B parametric-bootstrap refits, in ``gof["bootstrap"]`` (see
        ``gaussfit.fitting.gof_bootstrap``; ``"auto"`` stops once every error is below 0.01).
    parametric
        Draw the ``bootstrap`` resamples from the fitted model instead of the data.
    quantiles
        Probabilities whose fitted quantiles are reported in ``quantiles``, each with a 95%
        delta-method interval (and a bootstrap percentile one with ``bootstrap``; see
        ``gaussfit.fitting.quantities``).
    prob_above
        Values x whose P(X > x) is reported in ``prob_above``, with intervals as above.
    ci
        ``"wald"`` (default) or ``"profile"``: also profile-likelihood intervals in
        ``profile_ci95`` (``gaussfit.fitting.profile``), and for each quantile and P(X > x)
        an entry with ``method="profile"``.
    time_budget
        Seconds the optimiser may run (a positive number); past it the fit stops, not
        converged, with ``stopped="time_budget"``. None: no limit.
    on_step
        Called with each iteration's ``Step`` (iteration, log-likelihood, gradient norm,
        parameters), e.g. to draw progress.
    source
        ``{"path": ..., "column": ...}``: where the data came from, named in errors and
        reports.
    logdir
        A directory for TensorBoard: the graph and, every iteration, log p(X), the gradient
        norm and each parameter (also as DOT/JSON; see ``gaussfit.engine.summary``).
    method
        The estimator (``gaussfit.fitting.estimation``): ``"mle"`` (default), ``"mme"``
        (moments), ``"qme"`` (quantiles at ``probs``), ``"mge"`` (goodness of fit,
        ``gof_distance`` one of CvM, KS, AD, ADR, ADL, AD2R, AD2L, AD2) or ``"mse"`` (product
        of spacings), as fitdistrplus defines them. Other than MLE: unweighted, uncensored
        data in memory; no Hessian standard errors (``bootstrap`` gives intervals); the
        log-likelihood, AIC and BIC are evaluated at the estimate.
    probs
        The probabilities whose quantiles ``method="qme"`` matches, one per free parameter.
    gof_distance
        The distance ``method="mge"`` minimises (default CvM).

    Returns
    -------
    FitResult
        Estimates (``params``), ``stderr``, ``ci95``, ``cov`` and ``corr`` (the estimates'
        covariance and correlation), ``loglik``, ``aic``, ``bic``, ``gof``, ``converged``,
        ``flags`` (parameters the data do not determine), ``warnings``, ``notes``, ``trace``
        and the closed-form and scipy ``reference`` fits.
    """
    started = time.perf_counter()
    family = _as_family(dist)
    _check_time_budget(time_budget)
    streamed, owned = as_streamed(data, weights)
    optimizer = (optimizer or "newton").lower()
    if optimizer not in OPTIMIZERS:
        raise ConfigError(f"unknown optimizer '{optimizer}'; choose one of {', '.join(OPTIMIZERS)}")
    fixed = _check_names(family, fixed or {}, "fixed")
    family = family.bind(fixed)  # the binomial's n: given, then held
    fixed = {**family.given_values(), **fixed}
    _check_fixable(family, fixed, space)
    init = _check_names(family, init or {}, "init")
    _check_integer_parameters(family, fixed)
    n_free = len(family.parameter_names) - len(fixed)
    estimator = check_method(method, probs, gof_distance)
    if not estimator.is_mle:
        _check_method_options(estimator, data, weights, streamed, gof_bootstrap, ci, logdir)
    if isinstance(data, (Observations, ChunkedObservations, DaskObservations)):
        if weights is not None:
            raise ConfigError("the weights of Observations come with them, not separately")
        if not isinstance(data, Observations) or not data.plain:
            from gaussfit.fitting.censored_fit import fit_censored

            if gof_bootstrap is not None:
                gof_bootstrap = _check_censored_gof_bootstrap(family, gof_bootstrap, gof, data)
            held = data if isinstance(data, Observations) else None
            derived = _check_derived(
                family, quantiles, prob_above, ci, parametric, bootstrap, None if held else data
            )
            if held is not None and parametric:
                from gaussfit.fitting.censored_resampling import check_simulable

                check_simulable(family, held, "--parametric")
            result = fit_censored(
                data,
                family,
                optimizer=optimizer,
                lr=lr,
                max_iter=max_iter,
                tol=DEFAULT_TOL if tol is None else float(tol),
                init=init,
                fixed=fixed,
                bootstrap=bootstrap,
                seed=seed,
                space=space,
                evaluation=evaluation,
                references=references,
                gof=gof,
                time_budget=time_budget,
                on_step=on_step,
                logdir=logdir,
                started=started,
                gof_bootstrap=gof_bootstrap,
                derived=derived,
            )
            result.source = source if source is not None else data_source(data)
            return result
        source = source if source is not None else data_source(data)
        data, weights = data.lower, data.weights
    if gof_bootstrap is not None:
        gof_bootstrap = _check_gof_bootstrap(family, gof_bootstrap, gof, data, weights, streamed)
    derived = _check_derived(family, quantiles, prob_above, ci, parametric, bootstrap, streamed)
    if streamed is None:
        locate = getattr(data, "locate", None)  # a loaded Dataset names a value's line
        data, weights, source = _unpack_dataset(data, weights, source)
        x = as_values(data)
        w = as_weights(weights, len(x))
        _check_data(family, x, n_free, source, locate)
        if not estimator.is_mle:
            return _fit_by_method(
                estimator, family, x, w, optimizer, lr, max_iter, tol, init, fixed, space,
                gof, bootstrap, seed, derived, time_budget, on_step, source, started,
            )  # fmt: skip
        view = _DataView(x, w, len(x), float(len(x)) if w is None else float(np.sum(w)))
        factor = rescale_factor(family, x)
        if factor != 1.0:
            scaled = fit(
                x / factor,
                family,
                optimizer=optimizer,
                lr=lr,
                max_iter=max_iter,
                tol=tol,
                init=scale_params(family, init, 1.0 / factor),
                fixed=scale_params(family, fixed, 1.0 / factor),
                weights=w,
                bootstrap=bootstrap,
                seed=seed,
                space=space,
                evaluation=evaluation,
                references=references,
                gof=gof,
                gof_bootstrap=gof_bootstrap,
                parametric=parametric,
                time_budget=time_budget,
                on_step=_rescaled_steps(family, on_step, factor, view.total),
                source=source,
                logdir=logdir,
            )
            result = scale_result(family, scaled, factor, view.total)
            if derived.probabilities or derived.thresholds or derived.ci == "profile":
                result.notes.append(
                    "quantiles, probabilities and profile intervals are not computed for "
                    "data rescaled to fit float64's range"
                )
            return result
    else:
        _check_streamable(optimizer, bootstrap, logdir)
        _check_fixed_support(family)
        passes_before = streamed.passes
        source = source if source is not None else streamed.source()
        view = _scan(streamed, family, evaluation, n_free, source)
    x, w, n_total = view.x, view.w, view.total
    space = space or ("natural" if optimizer == "gd" and _natural_ok(family) else "unconstrained")
    if space not in ("natural", "unconstrained"):
        raise ConfigError(f"space must be 'natural' or 'unconstrained', not '{space}'")
    if space == "natural" and not _natural_ok(family):
        raise ConfigError(f"{family.name} can only be fitted in the unconstrained space")
    edges = {k: e for k, e in family.edge_params(x, w).items() if k not in fixed}
    held = {**{k: e.value for k, e in edges.items()}, **fixed}
    start = family.initial(x, w)
    if optimizer in FIRST_ORDER:
        start = first_order_start(family, x, w, start)
    start = {**start, **init, **held}
    _check_start(family, start)
    if family.moving_support:
        with _naming(source, locate if streamed is None else None):
            family.check_data_at(x, start, _start_phrase(init, fixed))
    statistic_names = _statistic_names(family, x, w, evaluation)
    measures = gradient_measures(family, space)
    # The data's variance sizes a first-order step and the gradient of a location or scale
    # in data units; without either (Newton on log scales) its two passes are not made.
    needs_spread = (lr is None and optimizer in ("gd", "momentum")) or "unit" in measures.values()
    variance = _variance(x, w) if needs_spread else 1.0
    settings = Settings(
        optimizer=optimizer,
        lr=lr if lr is not None else default_lr(optimizer, n_total, variance, space),
        max_iter=int(max_iter) if max_iter is not None else default_max_iter(optimizer),
        tol=DEFAULT_TOL if tol is None else float(tol),
        n=n_total,
        deadline=None if time_budget is None else started + time_budget,
        on_step=on_step,
        unit=math.sqrt(variance),
        measures=measures,
    )
    _check_settings(settings)
    options = dict(statistic_names=statistic_names, weighted=w is not None, space=space)
    lent = ExitStack()
    if streamed is None and logdir is None and optimizer not in FIRST_ORDER:
        # nothing will add to the graph: a model kept from an earlier fit of the family serves
        fed = 0 if statistic_names is not None else len(x) * (1 if w is None else 2)
        model = lent.enter_context(
            borrowed_model(family, fixed=held, start=start, values=fed, **options)
        )
    else:
        model = LikelihoodModel(family, fixed=held, start=start, **options)
        lent.callback(model.close)
    writer = None
    try:
        if logdir is not None:
            writer = tf.summary.FileWriter(logdir, model.graph)
            settings = replace(settings, on_step=_logging(writer, settings.on_step))
        fitted: LikelihoodModel | PassModel = model
        if streamed is None:
            model.set_data(x, w)
        elif view.statistics is not None and model.use_statistics:
            model.set_statistics(view.statistics)
        else:
            fitted = PassModel(model, streamed.reducer())
        restarts = 0
        if fitted is model:
            restarted = optimize_with_restarts(model, settings, family, x)
            outcome, restarts = restarted.outcome, restarted.restarts
        else:
            outcome = optimize(fitted, settings)  # type: ignore[arg-type]
        result = _summarise(
            family,
            fitted,  # type: ignore[arg-type]
            outcome,
            view,
            settings,
            fixed,
            source,
            references,
            gof,
            bootstrap,
            seed,
            started,
            space,
            gof_bootstrap,
            derived,
            edges,
        )
        if streamed is not None:
            _describe_streaming(result, streamed.backend(), streamed.passes - passes_before, view)
        if restarts:
            result.notes.append(
                f"the fit from the default start failed; it was restarted from {restarts} "
                "other point(s) (--init gives a start)"
            )
        result.warnings.extend(normalisation_warnings(family, start, result.params, x))
        if family.name not in FAMILIES or type(get_family(family.name)) is not type(family):
            result.fitted_family = family  # a user's own: get_family cannot rebuild it
        return result
    finally:
        if writer is not None:
            writer.close()
        lent.close()
        if streamed is not None and owned:
            streamed.close()


def _check_method_options(
    method: Method,
    data: Any,
    weights: Any,
    streamed: StreamedData | None,
    gof_bootstrap: int | str | None,
    ci: str,
    logdir: str | None,
) -> None:
    """Refuse, before reading further, what only maximum likelihood offers."""
    name = f"--method {method.name}"
    if isinstance(data, (Observations, ChunkedObservations, DaskObservations)) and not (
        isinstance(data, Observations) and data.plain
    ):
        raise ConfigError(
            f"{name}: censored or truncated data are fitted by maximum likelihood only "
            "(--method mle)"
        )
    if streamed is not None:
        raise ConfigError(f"{name} needs the data in memory; not for chunked or Dask fits")
    if weights is not None or getattr(data, "weights", None) is not None:
        raise ConfigError(f"{name}: weights are taken by maximum likelihood only")
    if gof_bootstrap is not None:
        raise ConfigError(f"--gof-bootstrap refits by maximum likelihood; not with {name}")
    if ci == "profile":
        raise ConfigError(f"--ci profile profiles the likelihood; not with {name}")
    if logdir is not None:
        raise ConfigError(f"--logdir records a likelihood fit; not with {name}")


def _fit_by_method(
    method: Method,
    family: Family,
    x: np.ndarray,
    w: np.ndarray | None,
    optimizer: str,
    lr: float | None,
    max_iter: int | None,
    tol: float | None,
    init: dict[str, float],
    fixed: dict[str, float],
    space: str | None,
    gof: bool,
    bootstrap: int,
    seed: int | None,
    derived: _Derived,
    time_budget: float | None,
    on_step: Callable[[Step], None] | None,
    source: dict | None,
    started: float,
) -> FitResult:
    """A fit by moments, quantiles, goodness of fit or spacings, with the fit's settings."""
    from gaussfit.fitting.method_fit import MethodRequest, fit_by_method

    space = space or "unconstrained"
    if space not in ("natural", "unconstrained"):
        raise ConfigError(f"space must be 'natural' or 'unconstrained', not '{space}'")
    start = {**family.initial(x, w), **init, **fixed}
    _check_start(family, start)
    variance = _variance(x, w)
    settings = Settings(
        optimizer=optimizer,
        lr=lr if lr is not None else default_lr(optimizer, len(x), variance, space),
        max_iter=int(max_iter) if max_iter is not None else default_max_iter(optimizer),
        tol=DEFAULT_TOL if tol is None else float(tol),
        n=float(len(x)),
        deadline=None if time_budget is None else started + time_budget,
        on_step=on_step,
        unit=math.sqrt(variance),
        measures=gradient_measures(family, space),
    )
    _check_settings(settings)
    request = MethodRequest(
        settings=settings,
        start=start,
        fixed=fixed,
        space=space,
        gof=gof,
        goodness_of_fit=_goodness_of_fit,
        bootstrap=bootstrap,
        seed=seed,
        parametric=derived.parametric,
        probabilities=derived.probabilities,
        thresholds=derived.thresholds,
        source=source,
        started=started,
    )
    return fit_by_method(family, x, method, request)


@dataclass
class _DataView:
    """What the fit sees of its data: all of it (in memory), or a streamed scan's sample.

    ``n`` and ``total`` (count and total weight) are always those of the whole data;
    ``complete`` says whether ``x`` is the whole data; ``statistics`` are the whole data's
    sufficient statistics when a scan gathered them.
    """

    x: np.ndarray
    w: np.ndarray | None
    n: int
    total: float
    complete: bool = True
    stride: int = 1
    statistics: dict[str, float] | None = None


def data_source(data: Observations | ChunkedObservations | DaskObservations) -> dict[str, Any]:
    """The ``source`` of observations: their file (or ``<data>``) and column."""
    if isinstance(data, Observations):
        return {"path": data.source, "column": data.column}
    return data.source()


def _check_fixed_support(family: Family) -> None:
    """A support that moves with the parameters needs every value at hand (its edge is the
    data's smallest or largest value): refuse it before the first pass."""
    if family.moving_support:
        raise ConfigError(
            f"{family.name}'s support moves with its parameters, so its fit needs all the data "
            "in memory; not for chunked or Dask fits"
        )


def _start_phrase(init: dict[str, float], fixed: dict[str, float]) -> str:
    """How to name the parameters a value falls outside of: the user's, or the estimates'."""
    given = {**init, **fixed}
    if not given:
        return "starting point"
    what = "fixed values" if fixed and not init else "given values"
    return f"{what} ({', '.join(f'{k}={v:g}' for k, v in given.items())})"


def _check_streamable(optimizer: str, bootstrap: int, logdir: str | None) -> None:
    """Refuse what a fit that passes over its data cannot do, before the first pass."""
    if optimizer not in STREAMING_OPTIMIZERS:
        raise ConfigError(
            f"--optimizer {optimizer} needs thousands of passes over the data; a chunked or "
            f"Dask fit uses {' or '.join(STREAMING_OPTIMIZERS)}, which need a few dozen"
        )
    if bootstrap:
        raise ConfigError(
            "the bootstrap resamples data held in memory; not for chunked or Dask fits"
        )
    if logdir is not None:
        raise ConfigError("--logdir is not available for chunked or Dask fits")


def _scan(
    streamed: StreamedData, family: Family, evaluation: str, n_free: int, source: dict | None
) -> _DataView:
    """One pass over streamed data: the checks ``fit`` makes, with the same messages."""
    if evaluation not in ("auto", "data", "statistics"):
        raise ConfigError(f"evaluation must be auto, data or statistics, not '{evaluation}'")
    has_statistics = type(family).statistics is not Family.statistics
    scan = streamed.scan(family, has_statistics and evaluation != "data")
    if scan.count == 0:
        raise DataError("no data: at least one value is needed")
    with _naming(source):
        scan.raise_error()
        check_size_and_spread(family, scan.count, scan.low, scan.high, n_free)
    return _DataView(
        scan.sample_x,
        scan.sample_w,
        scan.count,
        scan.total_weight,
        scan.complete,
        scan.stride,
        scan.statistics,
    )


def _describe_streaming(
    result: FitResult, backend: dict[str, Any], passes: int, view: _DataView
) -> None:
    """Record where the sums were taken and how many passes over the data this fit made."""
    result.settings["backend"] = backend
    result.settings["passes"] = passes
    if backend["kind"] == "chunks":
        where = f"read in chunks of {backend['chunk_rows']:,} rows"
    else:
        where = f"summed on Dask ({backend['scheduler']}, {backend['workers']} workers)"
    count = f"{passes} pass{'es' if passes != 1 else ''}"
    result.notes.append(f"data {where}: {count} over the data")
    if not view.complete:
        result.notes.append(
            f"starting point and goodness of fit from every {view.stride}-th value "
            f"({len(view.x):,} of {view.n:,})"
        )


def _logging(writer: Any, then: Callable[[Step], None] | None) -> Callable[[Step], None]:
    """An on_step hook that records each iteration for TensorBoard, then calls ``then``."""

    def record(step: Step) -> None:
        writer.add_scalar("log_likelihood", step.loglik, step.iteration)
        writer.add_scalar("gradient_norm", step.grad_norm, step.iteration)
        for name, value in step.params.items():
            writer.add_scalar(f"parameters/{name}", value, step.iteration)
        if then is not None:
            then(step)

    return record


def _rescaled_steps(
    family: Family, on_step: Callable[[Step], None] | None, factor: float, n: float
) -> Callable[[Step], None] | None:
    """An on_step hook for a fit to rescaled data that shows the caller the data's units."""
    if on_step is None:
        return None
    return lambda step: on_step(scale_step(family, step, factor, n))


def _as_family(dist: Any) -> Family:
    if isinstance(dist, str):
        return get_family(dist)
    if isinstance(dist, Family):
        return dist
    raise ConfigError(
        f"dist must be a family's name (e.g. 'normal'; see `gaussfit dists`) or a Family, "
        f"not {dist!r}"
    )


def _check_time_budget(time_budget: Any) -> None:
    if time_budget is None:
        return
    if isinstance(time_budget, bool) or not isinstance(time_budget, (int, float)):
        raise ConfigError(f"time_budget must be a number of seconds, not {time_budget!r}")
    if not (time_budget > 0 and math.isfinite(time_budget)):
        raise ConfigError(f"time_budget must be a positive number of seconds, not {time_budget}")


def _unpack_dataset(data: Any, weights: Any, source: dict | None) -> tuple[Any, Any, dict | None]:
    values = getattr(data, "values", None)
    if values is not None and hasattr(data, "column") and hasattr(data, "source"):
        if weights is None:
            weights = data.weights
        if source is None:
            source = {"path": data.source, "column": data.column}
        return values, weights, source
    return data, weights, source


def _variance(x: np.ndarray, w: np.ndarray | None) -> float:
    from gaussfit.distributions.weighted import weighted_mean_var

    variance = weighted_mean_var(x, w)[1]
    return variance if variance > 0 else 1.0


def _natural_ok(family: Family) -> bool:
    """Whether every unconstrained coordinate stands for exactly one parameter."""
    return len(free_to_param(family)) == len(family.parameter_names)


def _check_names(family: Family, values: dict[str, float], what: str) -> dict[str, float]:
    out = {}
    for name, value in values.items():
        if name not in family.parameter_names:
            raise ConfigError(
                f"{what}: {family.name} has no parameter '{name}' "
                f"(parameters: {', '.join(family.parameter_names)})"
            )
        try:
            out[name] = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{what}: {name}={value!r} is not a number") from None
    return out


def _check_data(
    family: Family,
    x: np.ndarray,
    n_free: int,
    source: dict | None,
    locate: Callable[[int], str] | None = None,
) -> None:
    """The data checks, naming the file and column (and line) when the data came from one."""
    with _naming(source, locate):
        check_fit_data(family, x, n_free)


@contextmanager
def _naming(source: dict | None, locate: Callable[[int], str] | None = None) -> Iterator[None]:
    """Put the file and column the data came from, if any, in front of a data error; with
    `locate` (from a loaded Dataset), the file line of the value at fault instead of its item
    number."""
    try:
        yield
    except DataError as exc:
        if locate is not None and exc.item is not None:
            raise DataError(f"{locate(exc.item)}: {exc.detail}") from None
        if source and source.get("path"):
            column = column_phrase(str(source["column"]))
            raise DataError(f"{source['path']}: {column}: {exc}") from None
        raise


def _check_fixable(family: Family, fixed: dict[str, float], space: str | None) -> None:
    if space == "natural":
        return
    held = set(fixed) - set(free_to_param(family).values())
    if held:
        raise ConfigError(
            f"{family.name}: {', '.join(sorted(held))} cannot be held fixed (it is not a "
            "coordinate of its own in the optimiser's parameterisation)"
        )


def _check_integer_parameters(family: Family, fixed: dict[str, float]) -> None:
    """An integer parameter (a number of trials) is not estimated: it must be held fixed."""
    for p in family.parameters:
        if p.constraint.integer and p.name not in fixed:
            raise ConfigError(
                f"{family.name}: {p.name} is an integer parameter, which is not estimated; "
                f"hold it at its value with --fix {p.name}=N (fixed= in Python)"
            )


def _check_start(family: Family, start: dict[str, float]) -> None:
    try:
        family.check_params(start)
    except ValueError as exc:
        raise ConfigError(f"starting point: {exc}") from None


def _check_settings(settings: Settings) -> None:
    if settings.max_iter < 1:
        raise ConfigError(f"iterations must be at least 1, not {settings.max_iter}")
    if settings.tol < 0 or not math.isfinite(settings.tol):
        raise ConfigError(f"tol must be a finite number >= 0, not {settings.tol}")
    if settings.lr is not None and not (settings.lr > 0 and math.isfinite(settings.lr)):
        raise ConfigError(f"learning rate must be a positive number, not {settings.lr}")


def _statistic_names(
    family: Family, x: np.ndarray, w: np.ndarray | None, evaluation: str
) -> list[str] | None:
    if evaluation not in ("auto", "data", "statistics"):
        raise ConfigError(f"evaluation must be auto, data or statistics, not '{evaluation}'")
    if evaluation == "data":
        return None
    stats = family.statistics(x[:16], None if w is None else w[:16])
    if stats is None:
        if evaluation == "statistics":
            raise ConfigError(f"{family.name} has no sufficient statistics; use evaluation='data'")
        return None
    return list(stats)


def _summarise(
    family: Family,
    model: LikelihoodModel,
    outcome: Outcome,
    view: _DataView,
    settings: Settings,
    fixed: dict[str, float],
    source: dict | None,
    references: bool | str,
    want_gof: bool,
    bootstrap: int,
    seed: int | None,
    started: float,
    space: str,
    gof_bootstrap: int | str | None = None,
    derived: _Derived | None = None,
    edges: dict[str, Edge] | None = None,
) -> FitResult:
    x, w = view.x, view.w
    edges = edges or {}
    user_fixed, fixed = fixed, {**{k: e.value for k, e in edges.items()}, **fixed}
    order = getattr(family, "order_components", None)
    if order is not None and not fixed:
        model.set_free_by_name(family.to_unconstrained(order(model.natural_params())))
    params = model.natural_params()
    loglik = model.value()
    if not math.isfinite(loglik):
        raise FitError("the fit ended at a point where the log-likelihood is not finite")
    unc = uncertainty(family, params, model.hessian(), model.jacobian(), set(fixed), settings.n)
    warnings: list[str] = []
    notes: list[str] = []
    irregular = family.irregular(params)
    if irregular is not None:
        unc = without_standard_errors(family, unc)
        notes.append(f"{family.name}: {irregular}")
    n_total = settings.n
    # Parameters held on the data's edge were estimated too: they count in AIC and BIC.
    criteria = information_criteria(loglik, len(model.variables) + len(edges), n_total)
    # At a point where no step improves the fit (converged, or a line search that found none:
    # a flat ridge) the curvature says whether the data determine the parameters. Short of it
    # (an iteration or time limit) the fit is simply not finished.
    judged = outcome.converged or outcome.stopped == "line_search"
    if not outcome.converged:
        reason = {
            "max_iter": f"hit the iteration limit ({settings.max_iter})",
            "time_budget": "ran out of its time budget",
            "line_search": "could not find a step that improves the fit",
        }.get(outcome.stopped, outcome.stopped)
        unfinished = (
            ""
            if judged
            else " (the estimates are those of where it stopped; identifiability is not judged)"
        )
        advice = family.limit_note(params) or (
            "raise --iters, loosen --tol or try another --optimizer"
        )
        warnings.append(
            f"did not converge: {reason} after {outcome.iterations} iterations{unfinished}; "
            + advice
        )
    flags = identifiability_flags(family, params, unc, fixed) if judged else []
    flags += [
        f"{name} = {edge.value:.6g} sits on the data's edge: {edge.why}"
        for name, edge in edges.items()
    ]
    cov, corr = _named_matrices(family, unc, fixed)
    gof_stats: dict[str, Any] = {}
    if want_gof:
        gof_stats, note = _goodness_of_fit(family, x, w, params, len(model.variables))
        if note:
            notes.append(note)
        if gof_bootstrap is not None and "ks_statistic" in gof_stats:
            gof_stats["bootstrap"] = run_gof_bootstrap(
                family,
                x,
                params,
                user_fixed if edges else fixed,
                gof_stats,
                gof_bootstrap,
                seed,
                each=bool(edges),
            )
    if view.complete:
        reference = _references(family, x, w, references, notes)
    else:
        reference = {"closed_form": None, "scipy": None}
        if references is not False:
            notes.append("closed-form and scipy references need the data in memory: skipped")
    boot = draws = None
    derived = derived or _Derived()
    if bootstrap:
        boot, draws = run_bootstrap(
            model,
            family,
            x,
            w,
            settings,
            bootstrap,
            seed,
            params,
            fixed,
            derived.parametric,
            frozenset(edges),
        )
        if edges and w is not None:
            notes.append(
                f"the weighted bootstrap holds {', '.join(edges)} at the whole data's value "
                "(on its edge)"
            )
    quantile_rows = above_rows = profile = None
    if derived.probabilities or derived.thresholds:
        quantile_rows, above_rows = quantity_rows(
            family,
            params,
            unc.covariance,
            list(fixed),
            derived.probabilities,
            derived.thresholds,
            draws,
            profile=(
                (lambda g: quantity_interval(family, x, params, fixed, g))
                if derived.ci == "profile" and w is None
                else None
            ),
        )
    if derived.ci == "profile":
        if w is not None:
            notes.append("profile intervals are not computed for weighted data")
        else:
            profile = profile_intervals(family, x, params, fixed, unc.stderr)
    return FitResult(
        distribution=family.name,
        n=view.n,
        params=params,
        stderr=unc.stderr,
        ci95=unc.ci95,
        loglik=loglik,
        aic=criteria["aic"],  # type: ignore[arg-type]
        aicc=criteria["aicc"],
        bic=criteria["bic"],  # type: ignore[arg-type]
        gof=gof_stats,
        optimizer=settings.optimizer,
        iterations=outcome.iterations,
        converged=outcome.converged,
        stopped=outcome.stopped,
        trace=outcome.trace,
        reference=reference,
        fixed=user_fixed,
        boundary={name: edge.why for name, edge in edges.items()},
        likelihood_unbounded=any(not edge.bounded for edge in edges.values()),
        flags=flags,
        warnings=warnings,
        notes=notes,
        source=source,
        seconds=time.perf_counter() - started,
        weighted=w is not None,
        settings={
            "lr": settings.lr,
            "max_iter": settings.max_iter,
            "tol": settings.tol,
            "space": space,
            "evaluation": "statistics" if model.use_statistics else "data",
        },
        bootstrap=boot,
        quantiles=quantile_rows if derived.probabilities else None,
        prob_above=above_rows if derived.thresholds else None,
        profile_ci95=profile,
        cov=cov,
        corr=corr,
    )


def _named_matrices(
    family: Family, unc: Any, fixed: dict[str, float]
) -> tuple[dict[str, dict[str, float]] | None, dict[str, dict[str, float]] | None]:
    """Covariance and correlation of the free parameters' estimates, by name, in the natural
    parameters (None when the information matrix is not positive definite)."""
    if unc.covariance is None:
        return None, None
    names = family.parameter_names
    keep = [i for i, name in enumerate(names) if name not in fixed]
    cov = np.asarray(unc.covariance)[np.ix_(keep, keep)]
    corr = correlation(cov)
    free = [names[i] for i in keep]

    def named(matrix: np.ndarray) -> dict[str, dict[str, float]]:
        return {a: {b: float(matrix[i, j]) for j, b in enumerate(free)} for i, a in enumerate(free)}

    return named(cov), named(corr)


def _check_gof_bootstrap(
    family: Family, resamples: int | str, gof: bool, data: Any, weights: Any, streamed: Any
) -> int | str:
    """Refuse a parametric-bootstrap test the fit cannot make, before fitting."""
    resamples = check_resamples(resamples)
    check_family(family)
    if not family.has_sampler:
        raise ConfigError(
            f"--gof-bootstrap refits samples drawn from the fitted model; {family.name} has no "
            "sampler (a user's density has none)"
        )
    if weights is not None or getattr(data, "weights", None) is not None:
        raise ConfigError("--gof-bootstrap: the tests are not computed for weighted data")
    if not gof:
        raise ConfigError("gof_bootstrap needs the goodness-of-fit tests (gof=True)")
    if streamed is not None:
        raise ConfigError(
            "--gof-bootstrap refits samples of the data's size in memory; not for chunked or "
            "Dask fits"
        )
    return resamples


def _check_censored_gof_bootstrap(
    family: Family, resamples: int | str, gof: bool, data: Any
) -> int | str:
    """Refuse a bootstrap test of censored data the fit cannot make, before fitting."""
    resamples = check_resamples(resamples)
    check_family(family)
    if not gof:
        raise ConfigError("gof_bootstrap needs the goodness-of-fit tests (gof=True)")
    if not isinstance(data, Observations):
        raise ConfigError(
            "--gof-bootstrap refits samples of the data's size in memory; not for chunked or "
            "Dask fits"
        )
    from gaussfit.fitting.censored_resampling import check_simulable

    check_simulable(family, data, "--gof-bootstrap")
    return resamples


@dataclass(frozen=True)
class _Derived:
    """What the user derives from the fit: quantiles, exceedance probabilities, the kind of
    parameter intervals, and whether the bootstrap resamples the model."""

    probabilities: tuple[float, ...] = ()
    thresholds: tuple[float, ...] = ()
    ci: str = "wald"
    parametric: bool = False


def _check_derived(
    family: Family,
    quantiles: Sequence[float],
    prob_above: Sequence[float],
    ci: str,
    parametric: bool,
    bootstrap: int,
    streamed: Any,
) -> _Derived:
    """Refuse derived quantities the fit cannot give, before fitting."""
    probabilities = tuple(float(p) for p in quantiles)
    for p in probabilities:
        if not 0.0 < p < 1.0:
            raise ConfigError(f"quantiles: {p:g} is not a probability strictly between 0 and 1")
    thresholds = tuple(float(v) for v in prob_above)
    if any(not math.isfinite(v) for v in thresholds):
        raise ConfigError("prob_above: values must be finite numbers")
    if (probabilities or thresholds) and type(family).scipy_dist is Family.scipy_dist:
        raise ConfigError(f"{family.name} has no scipy.stats counterpart to derive quantities from")
    if ci not in ("wald", "profile"):
        raise ConfigError(f"ci must be 'wald' or 'profile', not '{ci}'")
    if parametric and not bootstrap:
        raise ConfigError("--parametric chooses how --bootstrap resamples; give --bootstrap B")
    if parametric and not family.has_sampler:
        raise ConfigError(
            f"--parametric draws samples from the fitted model; {family.name} has no sampler "
            "(a user's density has none): use the nonparametric --bootstrap"
        )
    if streamed is not None and ci == "profile":
        raise ConfigError(
            "--ci profile refits with the data in memory; not for chunked or Dask fits"
        )
    return _Derived(probabilities, thresholds, ci, parametric)


def _goodness_of_fit(
    family: Family, x: np.ndarray, w: np.ndarray | None, params: dict[str, float], k: int
) -> tuple[dict[str, Any], str | None]:
    if w is not None:
        return {}, "goodness of fit is not computed for weighted data"
    try:
        if family.discrete:
            return _count_gof(x, lambda v: family.pmf(v, params), k)
        return goodness.continuous_gof(x, lambda v: family.cdf_with_logs(v, params)), None
    except NotImplementedError:
        return {}, f"no goodness-of-fit statistics for {family.name}"


def _count_gof(
    x: np.ndarray, pmf: Callable[[np.ndarray], np.ndarray], k: int
) -> tuple[dict[str, Any], str | None]:
    """Pearson's chi-square on counts, in memory that does not grow with the counts' size.

    Its cells run over every count from 0 to the largest: fine for counts in the hundreds,
    billions of cells for counts near 1e9. Counts far from 0 are shifted down to start at the
    smallest (the mass below it joins the cell of everything outside the observed range); a
    range of counts wider than ``MAX_COUNT_CELLS`` gets no chi-square, and a note says why.
    """
    low, high = float(np.min(x)), float(np.max(x))
    if high - low + 1 > MAX_COUNT_CELLS:
        return {}, (
            f"no chi-square goodness of fit: the counts span {high - low + 1:.3g} values "
            f"(at most {MAX_COUNT_CELLS:,} cells)"
        )
    if high + 1 <= MAX_COUNT_CELLS:
        return goodness.discrete_gof(x, pmf, k), None
    return goodness.discrete_gof(x - low, lambda v: pmf(v + low), k), None


def _references(
    family: Family, x: np.ndarray, w: np.ndarray | None, references: bool | str, notes: list[str]
) -> dict[str, Reference | None]:
    out: dict[str, Reference | None] = {"closed_form": None, "scipy": None}
    if references is False:
        return out
    closed = family.closed_form(x, w)
    if closed is not None:
        out["closed_form"] = Reference(closed, _reference_loglik(family, x, w, closed))
    if references == "closed_form":
        return out
    if w is not None:
        notes.append("scipy's fit takes no weights: no scipy reference")
        return out
    if references == "auto" and len(x) > SCIPY_REFERENCE_LIMIT:
        notes.append(
            f"scipy's fit skipped for n > {SCIPY_REFERENCE_LIMIT:,} "
            "(--scipy, or references=True in Python, runs it)"
        )
        return out
    started = time.perf_counter()
    try:
        fitted = family.scipy_fit(x)
    except Exception as exc:  # scipy's fitter failing is a fact to report, not our error
        notes.append(f"scipy's fit failed: {exc}")
        return out
    if fitted is not None:
        note = family.reference_note(x, fitted)
        if note is not None:
            notes.append(note)
        out["scipy"] = Reference(
            fitted, _reference_loglik(family, x, w, fitted), time.perf_counter() - started
        )
    return out


def _reference_loglik(
    family: Family, x: np.ndarray, w: np.ndarray | None, params: dict[str, float]
) -> float | None:
    try:
        terms = family.log_pdf_numpy(x, params)
    except (NotImplementedError, ValueError):
        return None
    total = float(np.sum(terms) if w is None else np.sum(np.multiply(w, terms)))
    return total if math.isfinite(total) else None


__all__ = ["fit"]
