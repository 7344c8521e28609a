"""Bootstrap percentile intervals: B refits on resampled data.

``parametric=False`` resamples the data with replacement (the nonparametric bootstrap);
``parametric=True`` draws B samples of the same size from the fitted model (fitdistrplus's
``bootdist(..., bootmethod="param")``). Unweighted data go through the batched graph
(``gaussfit.fitting.batched``: one B x n block, all B refits stepped together, warm-started
at the estimate, the few unconverged ones refitted alone). Weighted data are refitted one
resample at a time through the fit's own graph, each resample a new feed. The other
estimators (moments, quantiles, goodness of fit, spacings) are re-estimated one resample at a
time by ``bootstrap_estimator``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError, DataError, FitError
from gaussfit.fitting.batched import refit_block
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.optimizers import Settings, optimize

BLOCK_VALUES = 2_000_000


def bootstrap(
    model: LikelihoodModel,
    family: Family,
    x: np.ndarray,
    w: np.ndarray | None,
    settings: Settings,
    count: int,
    seed: int | None,
    params: dict[str, float],
    fixed: dict[str, float],
    parametric: bool = False,
    edges: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The ``bootstrap`` JSON object, and each successful refit's parameters (arrays by name).

    ``edges`` names parameters held on the data's edge (``Family.edge_params``): unweighted
    resamples are then refitted one by one through ``fit``, which finds each resample's own
    edge (its smallest value for Pareto's scale), so that those parameters vary too."""
    if count < 2:
        raise ConfigError(f"bootstrap needs at least 2 resamples, not {count}")
    if parametric and w is not None:
        raise ConfigError("--parametric draws unweighted samples from the model; not with weights")
    rng = np.random.default_rng(seed)
    if w is None and edges:
        user_fixed = {k: v for k, v in fixed.items() if k not in edges}
        draws, individually = _each_with_its_edges(family, x, count, rng, params, user_fixed,
                                                   parametric), count  # fmt: skip
    elif w is None:
        draws, individually = _batched(family, x, count, rng, params, fixed, parametric)
    else:
        draws, individually = _one_by_one(model, family, x, w, settings, count, rng), 0
    return _summarise(family, draws, count, seed, parametric, individually)


BlockEstimate = Callable[[np.ndarray], tuple[dict[str, np.ndarray], np.ndarray] | None]
"""Estimates for every row of a B x n block and which rows converged (None: not batchable)."""


def bootstrap_estimator(
    estimate: Callable[[np.ndarray], dict[str, float] | None],
    family: Family,
    x: np.ndarray,
    count: int,
    seed: int | None,
    params: dict[str, float],
    parametric: bool = False,
    block_estimate: BlockEstimate | None = None,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The bootstrap of an estimator other than maximum likelihood (``gaussfit.fitting.
    method_fit``). Resamples are drawn in blocks as for the likelihood; ``block_estimate``
    re-estimates a whole block at once where it can (``gaussfit.fitting.method_batched``),
    and ``estimate`` (a sample to its estimate, None when it fails) takes each row it leaves
    unconverged, or every row without it."""
    if count < 2:
        raise ConfigError(f"bootstrap needs at least 2 resamples, not {count}")
    rng = np.random.default_rng(seed)
    names = family.parameter_names
    table = np.full((count, len(names)), np.nan)
    done = individually = 0
    for block in _blocks(family, x, count, rng, params, parametric):
        size = len(block)
        together = block_estimate(block) if block_estimate is not None else None
        ok = np.zeros(size, dtype=bool)
        if together is not None:
            values, ok = together
            table[done : done + size] = np.column_stack([values[k] for k in names])
        for row in np.flatnonzero(~ok):
            individually += 1
            single = estimate(block[row])
            table[done + row] = [np.nan if single is None else single[k] for k in names]
        done += size
    draws = {k: table[:, i] for i, k in enumerate(names)}
    return _summarise(family, draws, count, seed, parametric, individually)


def _blocks(
    family: Family,
    x: np.ndarray,
    count: int,
    rng: np.random.Generator,
    params: dict[str, float],
    parametric: bool,
) -> Iterator[np.ndarray]:
    """``count`` resamples of ``x`` (or draws from the fitted law), a row each, in blocks of
    at most ``BLOCK_VALUES`` values so that memory does not grow with ``count``."""
    n = len(x)
    done = 0
    while done < count:
        size = min(count - done, max(1, BLOCK_VALUES // n))
        if parametric:
            yield family.sample(params, size * n, rng).reshape(size, n)
        else:
            yield x[rng.integers(0, n, size=(size, n))]
        done += size


def _summarise(
    family: Family,
    draws: dict[str, np.ndarray],
    count: int,
    seed: int | None,
    parametric: bool,
    individually: int,
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The ``bootstrap`` JSON object from every resample's estimates (NaN rows failed)."""
    names = family.parameter_names
    kept = int(np.sum(np.isfinite(draws[names[0]])))
    if kept == 0:
        raise FitError("every bootstrap resample failed to converge")
    table = np.column_stack([draws[k] for k in names])
    table = table[np.all(np.isfinite(table), axis=1)]
    draws = {k: table[:, i] for i, k in enumerate(names)}
    summary = {
        "resamples": count,
        "failed": count - kept,
        "seed": seed,
        "method": "parametric" if parametric else "nonparametric",
        "refitted_individually": individually,
        "stderr": {
            k: float(np.std(table[:, i], ddof=1)) if kept > 1 else None for i, k in enumerate(names)
        },
        "ci95": {
            k: [float(np.quantile(table[:, i], 0.025)), float(np.quantile(table[:, i], 0.975))]
            for i, k in enumerate(names)
        },
    }
    return summary, draws


def _batched(
    family: Family,
    x: np.ndarray,
    count: int,
    rng: np.random.Generator,
    params: dict[str, float],
    fixed: dict[str, float],
    parametric: bool,
) -> tuple[dict[str, np.ndarray], int]:
    order = getattr(family, "order_components", None)
    pieces: list[dict[str, np.ndarray]] = []
    individually = 0
    for block in _blocks(family, x, count, rng, params, parametric):
        size = len(block)
        refits = refit_block(family, block, params, fixed)
        individually += refits.individually
        if order is not None:
            rows = [
                order({k: float(v[i]) for k, v in refits.params.items()}) if refits.ok[i] else None
                for i in range(size)
            ]
            refits.params.update(
                {k: np.array([np.nan if r is None else r[k] for r in rows]) for k in refits.params}
            )
        pieces.append(refits.params)
    return {k: np.concatenate([p[k] for p in pieces]) for k in family.parameter_names}, individually


def _each_with_its_edges(
    family: Family,
    x: np.ndarray,
    count: int,
    rng: np.random.Generator,
    params: dict[str, float],
    fixed: dict[str, float],
    parametric: bool,
) -> dict[str, np.ndarray]:
    """Each resample fitted alone by ``fit``, edges and all (a failed refit is NaN)."""
    from gaussfit.fitting.fit import fit

    names = family.parameter_names
    table = np.full((count, len(names)), np.nan)
    for b in range(count):
        sample = (
            family.sample(params, len(x), rng) if parametric else x[rng.integers(0, len(x), len(x))]
        )
        try:
            refit = fit(sample, family, fixed=fixed or None, references=False, gof=False)
        except (FitError, DataError):  # e.g. a resample of equal values
            continue
        if refit.converged:
            table[b] = [refit.params[k] for k in names]
    return {k: table[:, i] for i, k in enumerate(names)}


def _one_by_one(
    model: LikelihoodModel,
    family: Family,
    x: np.ndarray,
    w: np.ndarray,
    settings: Settings,
    count: int,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Weighted resamples, each fed through the fit's own graph and optimised from the
    estimate (the lab's lesson: reuse the graph on new data)."""
    best = model.get_free()
    quiet = Settings(**{**settings.__dict__, "on_step": None, "deadline": None})
    names = family.parameter_names
    table = np.full((count, len(names)), np.nan)
    order = getattr(family, "order_components", None)
    for b in range(count):
        index = rng.integers(0, len(x), size=len(x))
        model.set_free(best)
        model.set_data(x[index], w[index])
        try:
            outcome = optimize(model, quiet)
        except FitError:
            continue
        if not outcome.converged:
            continue
        values = model.natural_params()
        values = order(values) if order is not None else values
        table[b] = [values[k] for k in names]
    model.set_free(best)
    model.set_data(x, w)
    return {k: table[:, i] for i, k in enumerate(names)}
