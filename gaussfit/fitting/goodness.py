"""Goodness-of-fit statistics for a fitted family.

Continuous families: Kolmogorov–Smirnov, Cramér–von Mises and Anderson–Darling statistics with
their p-values for a fully specified distribution. Because the parameters were estimated from the
same data these p-values are conservative (too large); they rank fits and flag gross misfit, they
are not exact tests. Discrete families: Pearson's chi-square on counts, with cells merged until
each expects at least five observations and the degrees of freedom reduced by the number of
estimated parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def continuous_gof(x: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray]) -> dict[str, float]:
    from scipy import stats

    sorted_x = np.sort(x)
    n = len(sorted_x)
    u = np.clip(cdf(sorted_x), 1e-300, 1.0 - 1e-16)
    ks = stats.kstest(sorted_x, cdf)
    i = np.arange(1, n + 1)
    cvm = 1.0 / (12 * n) + float(np.sum(np.square((2 * i - 1) / (2.0 * n) - u)))
    cvm_p = float(stats.cramervonmises(sorted_x, cdf).pvalue)
    ad = -n - float(np.sum((2 * i - 1) * (np.log(u) + np.log1p(-u[::-1])))) / n
    return {
        "ks_statistic": float(ks.statistic),
        "ks_pvalue": float(ks.pvalue),
        "cvm_statistic": cvm,
        "cvm_pvalue": cvm_p,
        "ad_statistic": ad,
        "ad_pvalue": anderson_darling_pvalue(ad),
    }


def anderson_darling_pvalue(a2: float) -> float:
    """P(A² > a2) for a fully specified distribution (Marsaglia & Marsaglia 2004, ADinf)."""
    if not math.isfinite(a2):
        return 0.0
    if a2 <= 0:
        return 1.0
    if a2 < 2:
        cdf = (
            math.exp(-1.2337141 / a2)
            / math.sqrt(a2)
            * (
                2.00012
                + (
                    0.247105
                    - (0.0649821 - (0.0347962 - (0.011672 - 0.00168691 * a2) * a2) * a2) * a2
                )
                * a2
            )
        )
    else:
        cdf = math.exp(
            -math.exp(
                1.0776
                - (2.30695 - (0.43424 - (0.082433 - (0.008056 - 0.0003146 * a2) * a2) * a2) * a2)
                * a2
            )
        )
    return min(max(1.0 - cdf, 0.0), 1.0)


def discrete_gof(
    x: np.ndarray, pmf: Callable[[np.ndarray], np.ndarray], n_params: int
) -> dict[str, float | int | None]:
    from scipy import stats

    values = np.asarray(x, dtype=np.int64)
    top = int(np.max(values))
    support = np.arange(0, top + 1)
    observed = np.bincount(values, minlength=top + 1).astype(float)
    n = float(len(values))
    expected = pmf(support) * n
    tail = max(n - float(np.sum(expected)), 0.0)  # mass beyond the largest value seen
    expected[-1] += tail
    obs_cells, exp_cells = _merge_cells(observed, expected)
    dof = len(obs_cells) - 1 - n_params
    if dof < 1:
        return {"chi2_statistic": None, "chi2_pvalue": None, "chi2_dof": dof}
    chi2 = float(np.sum(np.square(obs_cells - exp_cells) / exp_cells))
    return {"chi2_statistic": chi2, "chi2_pvalue": float(stats.chi2.sf(chi2, dof)), "chi2_dof": dof}


def _merge_cells(observed: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    obs_cells: list[float] = []
    exp_cells: list[float] = []
    run_o = run_e = 0.0
    for o, e in zip(observed, expected, strict=True):
        run_o += o
        run_e += e
        if run_e >= 5.0:
            obs_cells.append(run_o)
            exp_cells.append(run_e)
            run_o = run_e = 0.0
    if run_e > 0 or run_o > 0:
        if exp_cells:
            obs_cells[-1] += run_o
            exp_cells[-1] += run_e
        else:
            obs_cells.append(run_o)
            exp_cells.append(run_e)
    return np.array(obs_cells), np.array(exp_cells)
