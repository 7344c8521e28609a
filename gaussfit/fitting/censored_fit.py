"""``fit`` for censored or truncated observations: the same optimisers, Hessian and report.

``fit`` sends here any ``Observations`` that are not plain exact values. The likelihood is the
generic one of ``censored`` (exact terms through the family's ordinary graph or sufficient
statistics, censored groups through its ``log_cdf``/``log_sf``); standard errors come from
the engine's Hessian as for exact data. What changes in the report: the counts of each kind and
the truncation (``result.censoring``); no KS/CvM/AD (their p-values assume exact values, so
they do not apply), but the nonparametric MLE of the CDF (Kaplan–Meier or Turnbull) as the
empirical curve (``result.empirical``); scipy's ``CensoredData`` fit as the reference when
there is no truncation (scipy has none).
"""

from __future__ import annotations

import importlib
import math
import time
import warnings
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

import numpy as np

import gaussfit.engine as tf
from gaussfit.data.observations import Observations
from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError, DataError, FitError
from gaussfit.fitting import censored
from gaussfit.fitting.censored_chunked import CensoredScan, ChunkedObservations
from gaussfit.fitting.censored_dask import DaskObservations
from gaussfit.fitting.censored_profile import censored_profile_intervals
from gaussfit.fitting.censored_resampling import (
    Refitter,
    gof_bootstrap_censored,
    simulate_as_observed,
)
from gaussfit.fitting.empirical import nonparametric_cdf
from gaussfit.fitting.inference import uncertainty
from gaussfit.fitting.model import LikelihoodModel, borrowed_model
from gaussfit.fitting.optimizers import Settings, Step, default_lr, default_max_iter, optimize
from gaussfit.fitting.pass_model import PassModel
from gaussfit.fitting.quantities import quantity_rows
from gaussfit.fitting.rescale import gradient_measures
from gaussfit.fitting.result import FitResult, Reference

SCIPY_CENSORED_LIMIT = 20_000
"""scipy's censored fit is a generic numerical optimisation: skipped above this many rows."""


def fit_censored(
    data: Observations | ChunkedObservations | DaskObservations,
    family: Family,
    *,
    optimizer: str,
    lr: float | None,
    max_iter: int | None,
    tol: float,
    init: dict[str, float],
    fixed: dict[str, float],
    bootstrap: int,
    seed: int | None,
    space: str | None,
    evaluation: str,
    references: bool | str,
    gof: bool,
    time_budget: float | None,
    on_step: Callable[[Step], None] | None,
    logdir: str | None,
    started: float,
    gof_bootstrap: int | str | None = None,
    derived: Any = None,
) -> FitResult:
    """Maximum likelihood for censored/truncated ``data`` (arguments as ``fit`` checked
    them): ``Observations`` in memory, or ``ChunkedObservations`` or ``DaskObservations``
    passed over piece by piece."""
    fit_module = importlib.import_module("gaussfit.fitting.fit")  # the module, not the function

    obs = data if isinstance(data, Observations) else None
    if obs is not None:
        scan = CensoredScan()
        terms = scan.add(family, obs)
    else:
        fit_module._check_streamable(optimizer, bootstrap, logdir)
        fit_module._check_fixed_support(family)
        passes_before = data.passes
        scan = data.scan(family)
    n_free = len(family.parameter_names) - len(fixed)
    held = {k: v for k, v in fixed.items() if k not in family.given_values()}  # not n
    censored.check_one_sided(family, scan.counts, held)
    if scan.rows < n_free + 1:
        raise DataError(
            f"{scan.rows} observations are too few to fit {family.name} with {n_free} free "
            f"parameters: at least {n_free + 1} are needed"
        )
    pseudo = scan.sample_values()
    pseudo_w = obs.weights if obs is not None else None
    space = space or "unconstrained"
    if space not in ("natural", "unconstrained"):
        raise ConfigError(f"space must be 'natural' or 'unconstrained', not '{space}'")
    if space == "natural" and not fit_module._natural_ok(family):
        raise ConfigError(f"{family.name} can only be fitted in the unconstrained space")
    start = {**_start(family, pseudo, pseudo_w), **init, **fixed}
    fit_module._check_start(family, start)
    _refuse_edges(family, pseudo, pseudo_w, fixed)
    statistic_names = (
        fit_module._statistic_names(family, terms.x, terms.w, evaluation)
        if obs is not None and scan.exact
        else None
    )
    variance = fit_module._variance(pseudo, pseudo_w)
    settings = Settings(
        optimizer=optimizer,
        lr=lr if lr is not None else default_lr(optimizer, scan.total_weight, variance, space),
        max_iter=int(max_iter) if max_iter is not None else default_max_iter(optimizer),
        tol=tol,
        n=scan.total_weight,
        deadline=None if time_budget is None else started + time_budget,
        on_step=on_step,
        unit=math.sqrt(variance),
        measures=gradient_measures(family, space),
    )
    fit_module._check_settings(settings)
    options = dict(
        statistic_names=statistic_names,
        weighted=obs.weights is not None if obs is not None else data.weighted,
        space=space,
        censored_groups=[g for g in censored.GROUPS if g in scan.groups],
        exact=scan.exact,
    )
    lent = ExitStack()
    if obs is not None and logdir is None and optimizer not in fit_module.FIRST_ORDER:
        # nothing will add to the graph: a model kept from an earlier fit of the family serves
        fed = 4 * scan.rows  # at most a value, a weight and two bounds per row
        model = lent.enter_context(
            borrowed_model(family, fixed=fixed, start=start, values=fed, **options)
        )
    else:
        model = LikelihoodModel(family, fixed=fixed, start=start, **options)
        lent.callback(model.close)
    writer = None
    try:
        if logdir is not None:
            writer = tf.summary.FileWriter(logdir, model.graph)
            settings = replace(settings, on_step=fit_module._logging(writer, settings.on_step))
        fitted: LikelihoodModel | PassModel = model
        if obs is not None:
            model.set_terms(terms)
        else:
            fitted = PassModel(model, data.reducer(family))
        outcome = optimize(fitted, settings)  # type: ignore[arg-type]
        view = fit_module._DataView(pseudo, pseudo_w, scan.rows, scan.total_weight)
        result = fit_module._summarise(
            family,
            fitted,  # type: ignore[arg-type]
            outcome,
            view,
            settings,
            fixed,
            None,
            False,
            False,
            0,
            seed,
            started,
            space,
        )
        result.censoring = {**scan.counts, "truncation": scan.truncation}
        wanted = derived or fit_module._Derived()
        if obs is None:
            _quantities(result, family, wanted, None)
            fit_module._describe_streaming(
                result, data.backend(), data.passes - passes_before, view
            )
            result.notes.append(
                "KS, CvM and AD do not apply to censored data, and the empirical CDF needs the "
                "data in memory"
            )
            return result
        if type(family).expected_information is not Family.expected_information and scan.exact:
            _information_with_kinks(family, model, terms, result, fixed)
        if gof and gof_bootstrap is not None:
            result.gof = gof_bootstrap_censored(
                family, obs, result.params, fixed, space, settings, gof_bootstrap, seed
            )
            result.empirical, reason = nonparametric_cdf(obs)
            result.notes.append(
                "KS, CvM and AD as for exact values do not apply to censored or truncated data: "
                "goodness of fit by the distance between the nonparametric MLE of the CDF and "
                "the fitted CDF, its p-values by parametric bootstrap with the censoring "
                "simulated as observed"
            )
        elif gof and _truncated_exact(family, obs):
            result.gof = _truncated_gof(family, obs, result.params, len(model.variables))
            low, high = obs.truncation
            result.notes.append(
                f"goodness of fit against the fitted {family.name} truncated to [{low:g}, {high:g}]"
            )
        else:
            result.notes.append(
                "KS, CvM and AD assume exact values: for censored or truncated data compare "
                "families by AIC/BIC and the fitted CDF with the empirical one"
            )
            if gof:
                result.empirical, reason = nonparametric_cdf(obs)
                if reason is not None:
                    result.notes.append(f"no empirical CDF: {reason}")
        if references is not False:
            result.reference["scipy"] = _scipy_reference(family, obs, references, result.notes)
        if wanted.ci == "profile":
            result.profile_ci95 = censored_profile_intervals(
                model, family, result.params, result.stderr
            )
        draws = None
        if bootstrap:
            result.bootstrap, draws = _bootstrap(
                family, obs, result.params, fixed, space, settings, bootstrap, seed,
                wanted.parametric,
            )  # fmt: skip
        _quantities(result, family, wanted, draws)
        return result
    finally:
        if writer is not None:
            writer.close()
        lent.close()


def _information_with_kinks(
    family: Family,
    model: LikelihoodModel,
    terms: censored.Terms,
    result: FitResult,
    fixed: dict[str, float],
) -> None:
    """Standard errors for a family whose log-density has no second derivative (Laplace):
    the observed information of the censored terms plus the expected information of the exact
    values, carried to the optimiser's coordinates (I_u = J^T I_theta J)."""
    if fixed:
        return
    jacobian = model.jacobian()
    model.set_terms(censored.Terms(np.zeros(0), None, terms.bounds))
    censored_hessian = model.hessian()
    model.set_terms(terms)
    weight = float(terms.x.size if terms.w is None else np.sum(terms.w))
    expected = np.asarray(family.expected_information(result.params, weight), dtype=float)
    hessian = censored_hessian - jacobian.T @ expected @ jacobian
    unc = uncertainty(family, result.params, hessian, jacobian, set(), None)
    result.stderr, result.ci95 = unc.stderr, unc.ci95


def _truncated_exact(family: Family, obs: Observations) -> bool:
    """Exact values in one global window: the ordinary tests apply to the truncated law."""
    return (
        not obs.censored
        and obs.entry is None
        and obs.weights is None
        and not family.discrete
        and family.scipy_dist({p: 1.0 for p in family.parameter_names}) is not None
    )


def _truncated_gof(
    family: Family, obs: Observations, params: dict[str, float], k: int
) -> dict[str, Any]:
    """KS, CvM and AD of the exact values against the fitted law truncated to the window:
    F_T(x) = (F(x) - F(a)) / (F(b) - F(a))."""
    from gaussfit.fitting import goodness

    low, high = obs.truncation
    f_low, f_high = (float(v) for v in family.cdf(np.array([low, high]), params))
    return goodness.continuous_gof(
        obs.lower, lambda v: (family.cdf(v, params) - f_low) / (f_high - f_low)
    )


def _refuse_edges(
    family: Family, pseudo: np.ndarray, w: np.ndarray | None, fixed: dict[str, float]
) -> None:
    """A parameter whose estimate sits on the data's edge (Pareto's scale, the uniform's ends,
    the triangle's mode, a threshold at the smallest value) is an exact value's property: a
    censored value has no edge to hold it at. Refuse rather than stop short of it."""
    edges = [name for name in family.edge_params(pseudo, w) if name not in fixed]
    if edges:
        raise ConfigError(
            f"{family.name}: {', '.join(edges)} would sit on the data's edge, which censored or "
            "truncated values do not pin down; hold it with --fix, or fit the exact values"
        )


def _start(family: Family, pseudo: np.ndarray, w: np.ndarray | None) -> dict[str, float]:
    """The family's data-driven start on one representative value per observation (kept
    inside the support: a left-censored bound at the support's edge moves inward)."""
    values = pseudo
    bad = family.support.violations(values)
    if np.any(bad):
        inside = values[~bad]
        if inside.size == 0:
            raise DataError(
                f"no observation gives a value inside the support of {family.name} to start from"
            )
        values = np.where(bad, np.min(inside) / 2 if np.min(inside) > 0 else np.min(inside), values)
    return family.initial(values, w)


def censored_loglik_numpy(
    family: Family, obs: Observations, params: dict[str, float]
) -> float | None:
    """The censored log-likelihood from scipy's logpdf/logcdf/logsf (an independent check of
    the graph's value; no truncation)."""
    dist = family.scipy_dist(params)
    if dist is None or obs.truncated:
        return None
    kinds = obs.kinds()
    w = np.ones(len(obs)) if obs.weights is None else obs.weights
    lo, hi = obs.lower, obs.upper
    if family.discrete:
        lo = lo - 1.0
    with np.errstate(all="ignore"):  # each kind is evaluated on every row, then selected
        exact = dist.logpmf(lo + 1.0) if family.discrete else dist.logpdf(lo)
        left = dist.logcdf(hi)
        right = dist.logsf(lo)
        interval = np.log(dist.cdf(hi) - dist.cdf(lo))
    terms = np.select(
        [kinds["exact"], kinds["left"], kinds["right"]], [exact, left, right], interval
    )
    total = float(np.sum(w * terms))
    return total if math.isfinite(total) else None


def _scipy_reference(
    family: Family, obs: Observations, references: bool | str, notes: list[str]
) -> Reference | None:
    if references == "closed_form":
        return None
    if obs.truncated:
        notes.append("scipy cannot fit truncated data: no scipy reference")
        return None
    if obs.weights is not None or family.discrete:
        notes.append("scipy's censored fit takes no weights or counts: no scipy reference")
        return None
    if references == "auto" and len(obs) > SCIPY_CENSORED_LIMIT:
        notes.append(f"scipy's censored fit skipped for n > {SCIPY_CENSORED_LIMIT:,}")
        return None
    from scipy import stats

    kinds = obs.kinds()
    data = stats.CensoredData(
        uncensored=obs.lower[kinds["exact"]],
        left=obs.upper[kinds["left"]],
        right=obs.lower[kinds["right"]],
        interval=np.column_stack([obs.lower[kinds["interval"]], obs.upper[kinds["interval"]]]),
    )
    started = time.perf_counter()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # scipy's optimiser probing outside the domain
            fitted = family.scipy_fit(data)  # type: ignore[arg-type]
    except Exception as exc:  # scipy failing is a fact to report, not our error
        notes.append(f"scipy's censored fit failed: {exc}")
        return None
    if fitted is None:
        return None
    return Reference(
        fitted, censored_loglik_numpy(family, obs, fitted), time.perf_counter() - started
    )


def _bootstrap(
    family: Family,
    obs: Observations,
    params: dict[str, float],
    fixed: dict[str, float],
    space: str,
    settings: Settings,
    count: int,
    seed: int | None,
    parametric: bool,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Percentile intervals from ``count`` samples, each refitted from the estimate: the
    records resampled, or (``parametric``) new values behind the same observation scheme
    (``censored_resampling``); and the parameter draws, for derived quantities."""
    if count < 2:
        raise ConfigError(f"bootstrap needs at least 2 resamples, not {count}")
    rng = np.random.default_rng(seed)
    names = family.parameter_names
    draws, failed = [], 0
    refit = Refitter(family, obs, params, fixed, space, settings)
    try:
        for _ in range(count):
            if parametric:
                sample = simulate_as_observed(family, obs, params, rng)
            else:
                sample = obs.take(rng.integers(0, len(obs), size=len(obs)))
            fitted = refit(sample)
            if fitted is None:
                failed += 1
            else:
                draws.append(fitted)
    finally:
        refit.close()
    if not draws:
        raise FitError("every bootstrap resample failed to converge")
    table = np.array([[d[name] for name in names] for d in draws])
    summary = {
        "resamples": count,
        "failed": failed,
        "seed": seed,
        "method": "parametric" if parametric else "nonparametric",
        "stderr": {
            n: float(np.std(table[:, i], ddof=1)) if len(draws) > 1 else None
            for i, n in enumerate(names)
        },
        "ci95": {
            n: [float(np.quantile(table[:, i], 0.025)), float(np.quantile(table[:, i], 0.975))]
            for i, n in enumerate(names)
        },
    }
    return summary, {n: table[:, i] for i, n in enumerate(names)}


def _quantities(
    result: FitResult, family: Family, wanted: Any, draws: dict[str, np.ndarray] | None
) -> None:
    """Quantiles and exceedance probabilities with delta-method intervals (the censored
    fit's covariance) and, with bootstrap draws, percentile intervals."""
    if not (wanted.probabilities or wanted.thresholds):
        return
    names = family.parameter_names
    covariance = None
    if result.cov is not None:
        covariance = np.zeros((len(names), len(names)))
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                covariance[i, j] = result.cov.get(a, {}).get(b, 0.0)
    quantiles, above = quantity_rows(
        family,
        result.params,
        covariance,
        list(result.fixed),
        wanted.probabilities,
        wanted.thresholds,
        draws,
    )
    result.quantiles = quantiles if wanted.probabilities else None
    result.prob_above = above if wanted.thresholds else None
