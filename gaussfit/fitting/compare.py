"""``compare``: fit several families to one data set and rank them by AIC.

With ``dists="all"`` only the families whose support contains the data are tried (counts get
the discrete families, positive data the positive families, data inside (0, 1) the beta), and
each fit gets a time budget so one slow family cannot stall the rest. A family that fails is
reported with its error; the others go on.

AIC compares likelihoods on one scale. On counts a discrete family's likelihood is a product of
probabilities and a continuous family's a product of densities, so the two cannot be ranked
together: the discrete families are ranked, and continuous ones (fitted only when named, or
with ``continuous=True``) are kept apart, in ``CompareResult.apart``. Families not tried
because values lie outside their support are listed in ``skipped`` with the values at fault
and what to do about them; so are the binomial and beta-binomial unless their number of trials
is given (``fixed={"n": 20}``, which goes only to the families that take n as given).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from gaussfit.data.dataset import Dataset
from gaussfit.data.observations import Observations
from gaussfit.distributions import FAMILIES, Family, get_family
from gaussfit.errors import ConfigError, DataError, FitError, GaussfitError
from gaussfit.fitting.data_checks import as_values
from gaussfit.fitting.estimation import check_method
from gaussfit.fitting.fit import fit
from gaussfit.fitting.result import FitResult, json_safe
from gaussfit.fitting.streamed import StreamedData, as_streamed

DEFAULT_TIME_BUDGET = 60.0
COUNTS_NOT_CONTINUOUS = (
    "the data are counts, and a density is not on the scale of the discrete families' "
    "probabilities; name the family (or use --continuous) to see its fit apart"
)

NEEDS_MEMORY = (
    "its support moves with its parameters, so its fit needs all the data in memory; not for "
    "chunked or Dask data"
)
NOT_RANKED = (
    "not ranked: its likelihood has no maximum ({} at the data's minimum), so its AIC depends "
    "on where the fit holds it; fit it alone to see the flagged fit"
)


@dataclass(repr=False)
class CompareResult:
    """Fits ranked best first by AIC, the families that could not be fitted, and on counts the
    continuous fits kept apart from the ranking (``apart``, best first by their own AIC)."""

    ranking: list[FitResult]
    errors: dict[str, Exception] = field(default_factory=dict)
    apart: list[FitResult] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    """Families not tried with ``"all"``, each with why (the values outside its support)."""
    # How often each family ranks first over bootstrap resamples (``selection_bootstrap``; see
    # gaussfit.fitting.selection_bootstrap), or None.
    selection: dict[str, Any] | None = None

    def __repr__(self) -> str:
        order = ", ".join(r.distribution for r in self.ranking)
        failed = f"; failed: {', '.join(self.errors)}" if self.errors else ""
        return f"<CompareResult ranked by AIC: {order}{failed}>"

    def __str__(self) -> str:
        """The ranking ``gaussfit compare`` prints."""
        from gaussfit.report.screen import compare_text

        return compare_text(self)

    @property
    def failed(self) -> dict[str, str]:
        """Each family that could not be fitted, with the one-line reason."""
        return {name: str(error) for name, error in self.errors.items()}

    @property
    def best(self) -> FitResult | None:
        return self.ranking[0] if self.ranking else None

    def akaike_weights(self, fits: list[FitResult] | None = None) -> list[float]:
        """exp(-ΔAIC/2), normalised: the relative support of each family of the ranking (or
        of ``fits``, which must be on one scale)."""
        fits = self.ranking if fits is None else fits
        if not fits:
            return []
        best = fits[0].aic
        raw = [math.exp(-0.5 * (r.aic - best)) for r in fits]
        total = sum(raw)
        return [v / total for v in raw]

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "ranking": self._ranked(self.ranking),
                "apart": self._ranked(self.apart),
                "failed": [{"distribution": k, "error": v} for k, v in self.failed.items()],
                "skipped": [{"distribution": k, "reason": v} for k, v in self.skipped.items()],
                "bootstrap": self.selection,
            }
        )

    def _ranked(self, fits: list[FitResult]) -> list[dict[str, Any]]:
        out = []
        for fit_result, weight in zip(fits, self.akaike_weights(fits), strict=True):
            item = fit_result.to_dict()
            item["delta_aic"] = fit_result.aic - fits[0].aic
            item["akaike_weight"] = weight
            out.append(item)
        return out


def candidate_families(x: np.ndarray) -> list[str]:
    """The families whose support contains every value of ``x``."""
    names = []
    for name in FAMILIES:
        family = get_family(name)
        if np.any(family.support.violations(x)):
            continue
        names.append(name)
    return names


def plural(count: int, noun: str) -> str:
    """``1 value``, ``3 values``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def outside_support(family: Family, x: np.ndarray) -> str | None:
    """Which values of ``x`` lie outside ``family``'s support and what to do about them
    (``3 values are 0, outside (0, inf); drop them, shift ...``), or None when all lie inside."""
    support = family.support
    bad = support.violations(x)
    if not np.any(bad):
        return None
    values = x[bad]
    where = f"outside the support {support.describe()}"
    fractional = values[values != np.floor(values)] if support.integer else values[:0]
    if len(fractional):
        count = len(fractional)
        what = "is not a whole number" if count == 1 else "are not whole numbers"
        return (
            f"{plural(count, 'value')} {what} (e.g. {fractional[0]:g}), {where}; "
            "use a continuous family"
        )
    count = len(values)
    verb = "is" if count == 1 else "are"
    distinct = np.unique(values)
    them = "it" if count == 1 else "them"
    if len(distinct) == 1:
        what = f"{plural(count, 'value')} {verb} {distinct[0]:g}"
    elif np.all(values <= support.lower):
        sign = "≤" if support.lower_open else "<"
        what = (
            f"{plural(count, 'value')} {verb} {sign} {support.lower:g} (smallest {distinct[0]:g})"
        )
    elif np.all(values >= support.upper):
        sign = "≥" if support.upper_open else ">"
        what = (
            f"{plural(count, 'value')} {verb} {sign} {support.upper:g} (largest {distinct[-1]:g})"
        )
    else:
        what = f"{plural(count, 'value')} (from {distinct[0]:g} to {distinct[-1]:g})"
    if support.upper < math.inf:
        advice = "rescale the data into the support, or use a family without that bound"
    elif support.integer:
        advice = f"drop {them}, shift the data, or use a family for any real number"
    else:
        advice = (
            f"drop {them}, shift the data (x + c), or use a family with a threshold such as "
            "lognormal3, weibull3 or gamma3"
        )
    return f"{what}, {where}; {advice}"


def are_counts(x: np.ndarray) -> bool:
    """Whether every value is a whole number >= 0, the support of the discrete families."""
    return bool(len(x)) and not np.any((x < 0) | (x != np.floor(x)))


def compare(
    data: Any,
    dists: str | list[str | Family] = "all",
    *,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
    continuous: bool = False,
    on_family: Callable[[int, int, str], None] | None = None,
    selection_bootstrap: int = 0,
    jobs: int = 1,
    **options: Any,
) -> CompareResult:
    """Fit each family in ``dists`` (a list of names or ``Family`` objects, a comma-separated
    string, or ``"all"``); ``data`` may be censored or truncated ``Observations``. A family
    whose fit fails, for whatever reason, is recorded in
    ``errors`` and the others go on. ``data`` may also be a Dask array or a chunked file
    (``gaussfit.data.chunked_csv``); it is then persisted or scanned once for all families.

    On counts (whole numbers >= 0) the discrete families are ranked; continuous families
    named in ``dists`` (or, with ``"all"``, added by ``continuous=True``) are fitted and kept
    apart in ``apart``, because a density and a probability are not on one scale. When every
    family is continuous they are ranked among themselves. ``on_family(i, total, name)`` is
    called before the i-th fit (from 1), for progress displays; ``options`` go to ``fit``.

    ``selection_bootstrap=B`` refits every ranked family to B resamples of the data and
    records how often each ranks first (``selection``); ``gof_bootstrap=B`` gives each
    continuous family its parametric-bootstrap p-values (counts keep their chi-square test).
    ``jobs=N`` fits the families in N processes, this one and N - 1 workers (data held in
    memory; the results do not depend on N).
    """
    _check_method(data, options, selection_bootstrap)
    streamed, owned = as_streamed(data, options.get("weights"))
    if streamed is not None:
        options = {k: v for k, v in options.items() if k != "weights"}
    if selection_bootstrap and (streamed is not None or options.get("weights") is not None):
        raise ConfigError("compare's bootstrap resamples unweighted data held in memory")
    if selection_bootstrap and _censored_passes(data) is not None:
        raise ConfigError("compare's bootstrap resamples data held in memory")
    if options.get("gof_bootstrap") is not None and _censored_passes(data) is not None:
        raise ConfigError(
            "--gof-bootstrap refits samples of the data's size in memory; not for chunked or "
            "Dask fits"
        )
    try:
        result = _compare(
            streamed if streamed is not None else data,
            streamed,
            dists,
            time_budget,
            continuous,
            on_family,
            options,
            jobs,
        )
        if selection_bootstrap and result.ranking:
            result.selection = _selection(data, result, selection_bootstrap, options.get("seed"))
        return result
    finally:
        if streamed is not None and owned:
            streamed.close()


def _check_method(data: Any, options: dict[str, Any], selection_bootstrap: int) -> None:
    """Refuse once, not once per family, what an estimator other than MLE cannot take; the
    ranking by AIC then uses each family's log-likelihood at its estimate."""
    method = check_method(options.get("method"), options.get("probs"), options.get("gof_distance"))
    if method.is_mle:
        return
    name = f"--method {method.name}"
    if selection_bootstrap:
        raise ConfigError(f"compare's --bootstrap refits by maximum likelihood; not with {name}")
    observations = isinstance(data, Observations)
    if observations and not data.plain:
        raise ConfigError(
            f"{name}: censored or truncated data are fitted by maximum likelihood only "
            "(--method mle)"
        )
    if options.get("weights") is not None or getattr(data, "weights", None) is not None:
        raise ConfigError(f"{name}: weights are taken by maximum likelihood only")


def _compare(
    data: Any,
    streamed: StreamedData | None,
    dists: str | list[str | Family],
    time_budget: float | None,
    continuous: bool,
    on_family: Callable[[int, int, str], None] | None,
    options: dict[str, Any],
    jobs: int,
) -> CompareResult:
    passed_over = streamed if streamed is not None else _censored_passes(data)
    if isinstance(data, Observations):
        x = data.finite_bounds()
    else:
        x = as_values(getattr(data, "values", data)) if passed_over is None else None
    options = dict(options)
    fixed = dict(options.pop("fixed", None) or {})
    everything = isinstance(dists, str) and dists.strip().lower() == "all"
    if everything:
        every, unbound = _bound_families(fixed)
        if x is not None:
            held = {f.name for f in every if not np.any(f.support.violations(x))}
        else:
            assert passed_over is not None
            held = set(passed_over.supports(every))
        counts = any(f.discrete and f.name in held for f in every)
        names: list[str | Family] = [
            f.name for f in every if f.name in held and (continuous or f.discrete or not counts)
        ]
        skipped = {
            f.name: (outside_support(f, x) if x is not None else None)
            or f"some values lie outside the support {f.support.describe()}"
            for f in every
            if f.name not in held
        }
        if streamed is not None:  # a moving support's edge is the data's smallest value
            names = [n for n in names if not get_family(str(n)).moving_support]
            skipped.update({f.name: NEEDS_MEMORY for f in every if f.moving_support})
        skipped.update(
            {
                f.name: COUNTS_NOT_CONTINUOUS
                for f in every
                if counts and not continuous and f.name in held and not f.discrete
            }
        )
        for name, reason in unbound.items():  # a count family whose n was not given
            outside = outside_support(get_family(name), x) if x is not None else None
            skipped[name] = outside or reason
    else:
        if isinstance(dists, str):
            names = [d.strip() for d in dists.split(",") if d.strip()]
        else:
            names = list(dists)
        skipped = {}
        counts = x is not None and are_counts(x)
    if not names:
        raise ConfigError("no families to compare")
    families: dict[str, Family] = {}
    for name in names:
        family = name if isinstance(name, Family) else get_family(name)
        families.setdefault(family.name, family)
    errors: dict[str, Exception] = {}
    todo: list[tuple[str, Family]] = []
    for name, family in families.items():
        outside = outside_support(family, x) if x is not None else None
        if outside is not None:
            errors[name] = DataError(outside)
        else:
            todo.append((name, family))
    settings = {name: _settings_for(family, options, fixed) for name, family in todo}
    portable = _portable(data) if jobs > 1 and streamed is None and len(todo) > 1 else None
    if portable is not None:
        outcomes = _fit_in_processes(data, portable, todo, time_budget, settings, jobs, on_family)
    else:
        outcomes = {}
        for index, (name, family) in enumerate(todo, start=1):
            if on_family is not None:
                on_family(index, len(todo), name)
            outcomes[name] = fit_family(data, family, time_budget, settings[name])
    results: list[FitResult] = []
    for name, _ in todo:
        outcome = outcomes[name]
        if not isinstance(outcome, FitResult):
            errors[name] = outcome
        elif outcome.likelihood_unbounded:
            errors[name] = FitError(NOT_RANKED.format(", ".join(outcome.boundary)))
        else:
            results.append(outcome)
    results.sort(key=lambda r: r.aic)
    discrete = [r for r in results if families[r.distribution].discrete]
    if counts and discrete and len(discrete) < len(results):
        apart = [r for r in results if not families[r.distribution].discrete]
        return CompareResult(discrete, errors, apart, skipped)
    return CompareResult(results, errors, [], skipped)


@functools.cache
def _given_names() -> frozenset[str]:
    """Names that some family takes as a given parameter (the number of trials n); the
    registry does not change, so they are gathered once."""
    return frozenset(p.name for name in FAMILIES for p in get_family(name).parameters if p.given)


def _fixed_for(family: Family, fixed: dict[str, float]) -> dict[str, float]:
    """The part of compare's ``fixed`` that ``family`` takes: a given parameter's value (n=20)
    goes only to the families that take n as given (binomial, betabinom; not the negative
    binomial, whose n is a size to estimate); any other name to every family."""
    given = _given_names()
    mine = {p.name for p in family.parameters if p.given}
    return {k: v for k, v in fixed.items() if k not in given or k in mine}


def _bound_families(fixed: dict[str, float]) -> tuple[list[Family], dict[str, str]]:
    """Every family, bound to its given parameters; and those that could not be bound (their
    n was not given), each with the one-line reason."""
    every: list[Family] = []
    unbound: dict[str, str] = {}
    for name in FAMILIES:
        family = get_family(name)
        try:
            every.append(family.bind(_fixed_for(family, fixed)))
        except ConfigError as exc:
            unbound[name] = str(exc).removeprefix(f"{name}: ")  # the report names it
    return every, unbound


def _censored_passes(data: Any) -> Any:
    """Censored observations read in chunks or held on Dask (passed over, never held), or
    None."""
    from gaussfit.fitting.censored_chunked import ChunkedObservations
    from gaussfit.fitting.censored_dask import DaskObservations

    return data if isinstance(data, (ChunkedObservations, DaskObservations)) else None


def _settings_for(
    family: Family, options: dict[str, Any], fixed: dict[str, float]
) -> dict[str, Any]:
    """``fit``'s options for one family: compare's, with the part of ``fixed`` it takes."""
    settings = dict(options)
    own = _fixed_for(family, fixed)
    if own:
        settings["fixed"] = own
    return settings


def fit_family(
    data: Any, family: Family, time_budget: float | None, options: dict[str, Any]
) -> FitResult | Exception:
    """One family's fit, or the error that stopped it (any error: the other families go on)."""
    settings = dict(options)
    if family.discrete:
        settings.pop("gof_bootstrap", None)
    try:
        return fit(data, family, time_budget=time_budget, **settings)
    except GaussfitError as exc:
        return exc
    except Exception as exc:
        return RuntimeError(f"internal error: {type(exc).__name__}: {exc}")


def _fit_job(item: tuple[Any, Family, float | None, dict[str, Any]]) -> FitResult | Exception:
    """What a worker process runs: ``fit_family`` on one pickled item."""
    return fit_family(*item)


def _portable(data: Any) -> Any | None:
    """``data`` as it can travel to a worker process (a loaded Dataset without its line
    locator, which is a closure), or None where it cannot (then the fits run here)."""
    import pickle

    if isinstance(data, Dataset):
        data = replace(data, locate=None)
    try:
        pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return None
    return data


def _fit_in_processes(
    data: Any,
    portable: Any,
    todo: list[tuple[str, Family]],
    time_budget: float | None,
    settings: dict[str, dict[str, Any]],
    jobs: int,
    on_family: Callable[[int, int, str], None] | None,
) -> dict[str, FitResult | Exception]:
    """The families fitted by ``jobs`` processes: this one and ``jobs - 1`` workers (the batch
    runner's pool: a worker that dies fails its family only, Ctrl-C kills them at once).

    This process fits families from the same queue while the workers start (starting them
    imports scipy.stats, seconds on a busy machine), and returns once every family has its
    answer, leaving an idle worker to close on its own. The families with the most parameters,
    and moving supports, are handed out first: they take longest, and one left for the end
    would keep the other processes waiting. Callbacks that go to each fit (``on_step``) run
    for the fits made here only: they cannot cross a process boundary."""
    import threading

    from gaussfit.batch.pool import TaskQueue, WorkerPool

    items = [
        (portable, family, time_budget, {k: v for k, v in settings[n].items() if not callable(v)})
        for n, family in todo
    ]
    outcomes: dict[str, FitResult | Exception] = {}
    lock = threading.Lock()

    def done(index: int, answer: FitResult | Exception) -> None:
        with lock:
            outcomes[todo[index][0]] = answer
            if on_family is not None:
                on_family(len(outcomes), len(todo), todo[index][0])

    def died(index: int, cause: str) -> None:
        done(index, RuntimeError(f"the worker process fitting it died ({cause})"))

    tasks = TaskQueue(sorted(range(len(todo)), key=lambda i: -_expected_cost(todo[i][1])))
    pool = WorkerPool(_fit_job, min(jobs - 1, len(todo)))
    failures: list[BaseException] = []

    def serve() -> None:
        try:
            pool.run(items, done, died, tasks)
        except BaseException as exc:  # re-raised by the calling thread when it waits
            failures.append(exc)
            pool.cancel()
            return
        pool.close()

    workers = threading.Thread(target=serve, name="gaussfit-compare-pool", daemon=True)
    workers.start()
    try:
        while (index := tasks.take()) is not None:
            name, family = todo[index]
            done(index, fit_family(data, family, time_budget, settings[name]))
        if len(outcomes) < len(todo):  # the rest are with the workers
            workers.join()
    except BaseException:
        tasks.close()
        pool.kill()
        workers.join()
        raise
    if failures and len(outcomes) < len(todo):
        raise failures[0]
    return outcomes


def _expected_cost(family: Family) -> int:
    """A rough rank of how long a family's fit takes: its parameters, one more for a support
    that moves with them (a search over the threshold or the mode)."""
    return len(family.parameters) + int(family.moving_support)


def _selection(data: Any, result: CompareResult, count: int, seed: int | None) -> dict[str, Any]:
    from gaussfit.fitting.selection_bootstrap import ranking_wins

    if isinstance(data, Observations) and not data.plain:
        return _censored_selection(data, result, count, seed)
    x = data.lower if isinstance(data, Observations) else as_values(getattr(data, "values", data))
    fitted = [(r.family(), r.params, r.fixed) for r in result.ranking]
    return ranking_wins(x, fitted, count, seed)


def _censored_selection(
    data: Observations, result: CompareResult, count: int, seed: int | None
) -> dict[str, Any]:
    """The selection bootstrap of censored or truncated records: each family refitted with
    the settings of its own fit (``censored_resampling.censored_ranking_wins``)."""
    from gaussfit.fitting.censored_resampling import censored_ranking_wins
    from gaussfit.fitting.optimizers import Settings, default_max_iter
    from gaussfit.fitting.rescale import gradient_measures

    spread = float(np.std(data.pseudo_values()))
    fits = []
    for r in result.ranking:
        family, space = r.family(), r.settings.get("space", "unconstrained")
        settings = Settings(
            optimizer=r.optimizer,
            lr=r.settings.get("lr"),
            max_iter=r.settings.get("max_iter") or default_max_iter(r.optimizer),
            tol=r.settings.get("tol", 1e-8),
            n=float(len(data) if data.weights is None else np.sum(data.weights)),
            unit=spread if spread > 0 else 1.0,
            measures=gradient_measures(family, space),
        )
        fits.append((family, r.params, r.fixed, space, settings))
    return censored_ranking_wins(data, fits, count, seed)
