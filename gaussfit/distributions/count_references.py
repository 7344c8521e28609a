"""scipy's own log-mass maximised by scipy.optimize: the reference fit of count families that
scipy cannot fit itself (its generic ``stats.fit`` takes 18 s on 200,000 binomial counts).

Counts repeat, so the log-likelihood is taken over the distinct values with their
multiplicities: one logpmf call per distinct count, however large the sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def tabulate(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct counts of ``x`` and how often each occurs."""
    values, counts = np.unique(np.asarray(x, dtype=np.float64), return_counts=True)
    return values, counts.astype(np.float64)


def maximise(
    logpmf: Callable[[np.ndarray, np.ndarray], np.ndarray],
    x: np.ndarray,
    start: Sequence[float],
    bounds: Sequence[tuple[float, float]],
) -> np.ndarray:
    """The parameters (in ``logpmf``'s own coordinates) maximising sum logpmf(x, theta):
    a bounded scalar search for one parameter, Nelder-Mead then L-BFGS-B for several."""
    from scipy import optimize

    values, counts = tabulate(x)

    def negative(theta: np.ndarray) -> float:
        total = float(np.sum(counts * logpmf(values, np.atleast_1d(theta))))
        return -total if np.isfinite(total) else np.inf

    if len(start) == 1:
        best = optimize.minimize_scalar(
            lambda t: negative(np.array([t])),
            bounds=bounds[0],
            method="bounded",
            options={"xatol": 1e-13 * max(1.0, abs(start[0]))},
        )
        return np.array([best.x])
    # Stop at changes of 1e-13 of the log-likelihood's size: an absolute tolerance below its
    # rounding is never met, and the simplex would run to its iteration limit.
    fatol = 1e-13 * abs(negative(np.asarray(start)))
    simplex = optimize.minimize(
        negative,
        np.asarray(start),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": fatol, "maxiter": 20000},
    )
    polished = optimize.minimize(negative, simplex.x, method="L-BFGS-B", bounds=bounds)
    return polished.x if polished.fun <= simplex.fun else simplex.x
