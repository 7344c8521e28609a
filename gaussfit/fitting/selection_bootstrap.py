"""How sure is the ranking? Model-selection uncertainty by the bootstrap.

``compare`` ranks families by AIC on one data set; the Akaike weights say how strongly the
data prefer each. The bootstrap asks the question directly: resample the data B times, refit
every family to each resample (the same resamples for every family, so the families are
compared on equal terms), rank them by AIC each time, and count how often each family comes
first. The refits go through the batched graph (``gaussfit.fitting.batched``), one B x n block
per family; a refit that fails leaves its family out of that resample's ranking.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError
from gaussfit.fitting.batched import batchable, refit_block

BLOCK_VALUES = 2_000_000


def ranking_wins(
    x: np.ndarray,
    families: list[tuple[Family, dict[str, float], dict[str, float]]],
    count: int,
    seed: int | None,
) -> dict[str, Any]:
    """``families`` are (family, estimate, fixed) triples; returns the ``bootstrap`` object of
    ``compare``'s JSON: ``{resamples, seed, wins: {family: share of resamples won}}``."""
    if count < 2:
        raise ConfigError(f"bootstrap needs at least 2 resamples, not {count}")
    n = len(x)
    rng = np.random.default_rng(seed)
    wins = dict.fromkeys((family.name for family, _, _ in families), 0)
    done = undecided = 0
    while done < count:
        size = min(count - done, max(1, BLOCK_VALUES // n))
        block = x[rng.integers(0, n, size=(size, n))]
        done += size
        aic = np.stack(
            [_aic_rows(family, block, start, fixed) for family, start, fixed in families], axis=1
        )
        aic = np.where(np.isfinite(aic), aic, np.inf)
        decided = np.isfinite(np.min(aic, axis=1))
        undecided += int(np.sum(~decided))
        for column in np.argmin(aic[decided], axis=1):
            wins[families[int(column)][0].name] += 1
    return {
        "resamples": count,
        "seed": seed,
        "undecided": undecided,
        "wins": {name: won / count for name, won in wins.items()},
    }


def _aic_rows(
    family: Family, block: np.ndarray, start: dict[str, float], fixed: dict[str, float]
) -> np.ndarray:
    """Each row's AIC for its own refit of ``family`` (NaN where the refit failed)."""
    refits = refit_block(family, block, start, fixed)
    k = len(family.parameter_names) - len(fixed)
    loglik = np.full(len(block), np.nan)
    rows = np.flatnonzero(refits.ok)
    if len(rows):
        if batchable(family):
            params = {name: v[rows][:, None] for name, v in refits.params.items()}
            loglik[rows] = np.sum(family.log_pdf_numpy(block[rows], params), axis=1)
        else:
            for row in rows:
                params = {name: float(v[row]) for name, v in refits.params.items()}
                loglik[row] = float(np.sum(family.log_pdf_numpy(block[row], params)))
    return 2.0 * k - 2.0 * loglik
