"""Valid goodness-of-fit p-values by the parametric bootstrap.

The nominal KS, CvM and AD p-values treat the fitted distribution as if it had been given in
advance; it was estimated from the same data, so the statistics come out smaller than that law
expects and the p-values too large. The parametric bootstrap (Stute, Gonzáles Manteiga &
Presedo Quindimil 1993; what ``scipy.stats.goodness_of_fit`` does) draws B samples of the same
size from the fitted model, refits the family to each from scratch, and computes each
statistic of each sample against its own refit. The p-value of a statistic T is

    p = (1 + #{b : T_b >= T_observed}) / (B + 1),

and its Monte Carlo standard error is sqrt(p (1 - p) / B).

The B refits are one batched computation (``gaussfit.fitting.batched``): a family with an
exact vectorised MLE (``Family.mle_rows``: the normal's and lognormal's means and variances,
the exponential's mean, the gamma's one-dimensional shape equation) refits every row in one
numpy step; any other enters the likelihood graph as one B x n block and Newton's method steps
all B parameter sets together, warm-started at the estimate; the few rows left unconverged are
refitted one by one and counted. The rows are then sorted, put through their refitted CDFs
and reduced to the three statistics together, ``CHUNK_VALUES`` values at a time (with exact
refits, the draws too), so the arrays of every step stay in cache. Draws come from
``numpy.random.default_rng(seed)``.

``resamples="auto"`` draws batches of ``AUTO_BATCH`` until every p-value's standard error is
below ``target_se`` (0.01 by default). As p (1 - p) <= 1/4, B = 1 / (4 target_se²) always
suffices (2,500 for 0.01); a p-value near 0 or 1 stops far sooner.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError, DataError, FitError
from gaussfit.fitting.batched import batchable, has_row_mle, refit_block
from gaussfit.fitting.goodness import edf_statistics

AUTO = "auto"
AUTO_BATCH = 250
DEFAULT_TARGET_SE = 0.01
BLOCK_VALUES = 2_000_000  # values per block of simulated samples (memory: 16 MB a block)
CHUNK_VALUES = 32_768  # values per chunk of the statistics' pass (256 kB arrays: in cache)
STATISTICS = ("ks", "cvm", "ad")


def check_resamples(resamples: int | str) -> int | str:
    """``resamples`` as an int >= 2 or ``"auto"``; ConfigError otherwise."""
    if isinstance(resamples, str):
        text = resamples.strip().lower()
        if text == AUTO:
            return AUTO
        try:
            resamples = int(text)
        except ValueError:
            raise ConfigError(
                f"gof_bootstrap must be a number of resamples or 'auto', not {resamples!r}"
            ) from None
    if isinstance(resamples, bool) or not isinstance(resamples, (int, np.integer)):
        raise ConfigError(f"gof_bootstrap must be a whole number or 'auto', not {resamples!r}")
    if resamples < 2:
        raise ConfigError(f"gof_bootstrap needs at least 2 resamples, not {resamples}")
    return int(resamples)


def check_family(family: Family) -> None:
    """KS, CvM and AD are tests of continuous distributions."""
    if family.discrete:
        raise ConfigError(
            f"--gof-bootstrap bootstraps KS, CvM and AD, tests of continuous families; "
            f"{family.name} is discrete (its chi-square test already counts the estimated "
            "parameters)"
        )


def gof_bootstrap(
    family: Family,
    x: np.ndarray,
    params: dict[str, float],
    fixed: dict[str, float],
    observed: dict[str, float],
    resamples: int | str,
    seed: int | None,
    target_se: float = DEFAULT_TARGET_SE,
    each: bool = False,
) -> dict[str, Any]:
    """Bootstrap p-values of the ``observed`` statistics (``continuous_gof``'s keys) of data
    ``x`` fitted by ``params`` (with ``fixed`` held): the ``gof.bootstrap`` JSON object.

    ``each``: refit every simulated sample alone through ``fit``, for families with parameters
    on the data's edge (``Family.edge_params``), which each sample must find for itself."""
    check_family(family)
    resamples = check_resamples(resamples)
    if not 0 < target_se < 0.5:
        raise ConfigError(f"the target standard error must lie in (0, 0.5), not {target_se}")
    n = len(x)
    rng = np.random.default_rng(seed)
    threshold = np.array([observed[f"{s}_statistic"] for s in STATISTICS])
    exceed = np.zeros(len(STATISTICS), dtype=np.int64)
    used = drawn = individually = 0
    limit = resamples if resamples != AUTO else math.ceil(1.0 / (4.0 * target_se**2))
    # Refits by formula cost the same in pieces: then every step runs on cache-sized chunks.
    block_values = CHUNK_VALUES if not fixed and has_row_mle(family) else BLOCK_VALUES
    while drawn < limit:
        size = min(limit - drawn, max(1, block_values // n))
        if resamples == AUTO:
            size = min(size, AUTO_BATCH)
        block = family.sample(params, size * n, rng).reshape(size, n)
        drawn += size
        null, alone = (
            _each_alone(family, block, fixed)
            if each
            else null_statistics(family, block, params, fixed)
        )
        individually += alone
        exceed += np.sum(null >= threshold * (1.0 - 1e-12), axis=0)
        used += len(null)
        if resamples == AUTO and max(_standard_errors(exceed, used)) < target_se:
            break
    if used == 0:
        raise FitError("every parametric-bootstrap refit failed")
    out: dict[str, Any] = {"resamples": used}
    for name, count, se in zip(STATISTICS, exceed, _standard_errors(exceed, used), strict=True):
        out[f"{name}_pvalue"] = (1.0 + float(count)) / (used + 1.0)
        out[f"{name}_pvalue_se"] = se
    out.update(
        {
            "failed": drawn - used,
            "refitted_individually": individually,
            "seed": seed,
            "adaptive": resamples == AUTO,
            "target_se": target_se if resamples == AUTO else None,
        }
    )
    return out


def null_statistics(
    family: Family, block: np.ndarray, params: dict[str, float], fixed: dict[str, float]
) -> tuple[np.ndarray, int]:
    """KS, CvM and AD (columns) of each row of ``block`` against its own refit (rows whose
    refit failed are left out), and how many rows were refitted one by one.

    The refits take the whole block; the sort, CDF and statistics then go through it
    ``CHUNK_VALUES`` values at a time, so that their temporaries stay in cache instead of
    being allocated (and faulted in) at the block's full size for every step.
    """
    refits = refit_block(family, block, params, fixed)
    if not np.all(refits.ok):
        block = block[refits.ok]
    fitted = {k: v[refits.ok] for k, v in refits.params.items()}
    out = np.zeros((len(block), len(STATISTICS)))
    step = max(1, CHUNK_VALUES // max(block.shape[1], 1))
    for start in range(0, len(block), step):
        rows = np.sort(block[start : start + step], axis=1)
        chunk = {k: v[start : start + step] for k, v in fitted.items()}
        for j, values in enumerate(edf_statistics(*_row_cdfs(family, rows, chunk))):
            out[start : start + step, j] = values
    return out, refits.individually


def _each_alone(
    family: Family, block: np.ndarray, fixed: dict[str, float]
) -> tuple[np.ndarray, int]:
    """KS, CvM and AD of each row against its own fit by ``fit`` (edges found anew)."""
    from gaussfit.fitting.fit import fit

    rows, fitted = [], []
    for row in block:
        try:
            refit = fit(row, family, fixed=fixed or None, references=False, gof=False)
        except (FitError, DataError):
            continue
        if refit.converged:
            rows.append(np.sort(row))
            fitted.append(refit.params)
    if not rows:
        return np.zeros((0, len(STATISTICS))), len(block)
    each = [family.cdf_with_logs(row, p) for row, p in zip(rows, fitted, strict=True)]
    cdfs, log_cdfs, log_sfs = (
        None if any(e[i] is None for e in each) else np.stack([e[i] for e in each])
        for i in range(3)
    )
    return np.stack(edf_statistics(cdfs, log_cdfs, log_sfs), axis=1), len(block)


def _standard_errors(exceed: np.ndarray, used: int) -> list[float]:
    """sqrt(p (1 - p) / B) for each statistic's current p-value."""
    if used == 0:
        return [math.inf] * len(exceed)
    p = (1.0 + exceed) / (used + 1.0)
    return [float(v) for v in np.sqrt(p * (1.0 - p) / used)]


def _row_cdfs(
    family: Family, rows: np.ndarray, params: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Each row's values through its own fitted CDF (with the family's own log F and
    log(1 - F), as the observed statistics take them): one vectorised call with the parameters
    as a column, except for a family whose parameters do not map one by one (a mixture)."""
    if batchable(family):
        return family.cdf_with_logs(rows, {k: v[:, None] for k, v in params.items()})
    cdfs = [
        family.cdf(row, {k: float(v[i]) for k, v in params.items()}) for i, row in enumerate(rows)
    ]
    return np.stack(cdfs), None, None
