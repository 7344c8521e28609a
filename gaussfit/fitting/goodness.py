"""Goodness-of-fit statistics for a fitted family.

Continuous families: Kolmogorov–Smirnov, Cramér–von Mises and Anderson–Darling. The data are
sorted once and the fitted CDF is evaluated once; all three statistics come from those values
(``edf_statistics``, which also serves every parametric-bootstrap replicate, row by row).

Their default p-values are *nominal*: they are the p-values of a fully specified distribution,
and the parameters were estimated from the same data, so they are too large (conservative).
They rank fits and flag gross misfit. Valid p-values come from the parametric bootstrap
(``gof_bootstrap=B``; see ``gaussfit.fitting.gof_bootstrap``).

Discrete families: Pearson's chi-square on counts, with cells merged until each expects at
least five observations and the degrees of freedom reduced by the number of estimated
parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gaussfit.fitting.kolmogorov import ks_sf

NOMINAL_NOTE = "nominal p-values, too large; valid ones: --gof-bootstrap B"
# Keeps log u and log(1 - u) finite for a value far in a tail (u rounds to 0 or 1).
_U_FLOOR = 1e-300
_U_CEILING = 1.0 - 1e-16
_LOG_FLOOR = math.log(_U_FLOOR)


def edf_statistics(
    u: np.ndarray, log_u: np.ndarray | None = None, log_sf: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """KS D, CvM W² and AD A² of fitted-CDF values ``u`` sorted along the last axis.

    ``u`` is F(x_(1)), ..., F(x_(n)) for one sample (shape ``(n,)``) or for many (``(B, n)``,
    one sample a row); the statistics are those of ``scipy.stats.goodness_of_fit``.
    ``log_u`` and ``log_sf`` (log F and log(1 - F) at the same points) are a family's own
    when it has them cheaply and exactly (the Weibull's log(1 - F) is -(x/lambda)^k); else
    they are taken from ``u``.
    """
    u = np.asarray(u, dtype=np.float64)
    n = u.shape[-1]
    odd = np.arange(1.0, 2.0 * n, 2.0)  # 2i - 1 for i = 1..n
    # d_i = (2i - 1) / 2n - u_i gives all three: i/n - u_i = d_i + 1/2n and
    # u_i - (i - 1)/n = 1/2n - d_i, so D = max |d_i| + 1/2n, and W² = 1/12n + sum d_i².
    d = np.subtract(odd * (0.5 / n), u)
    ks = np.maximum(np.max(d, axis=-1), np.negative(np.min(d, axis=-1))) + 0.5 / n
    cvm = 1.0 / (12.0 * n) + np.einsum("...i,...i->...", d, d)
    del d
    log_u, log_sf = _tail_logs(u, log_u, log_sf)
    # A² = -n - (1/n) sum [(2i - 1) log u_i + (2n + 1 - 2i) log(1 - u_i)]; the weights of
    # the second sum are the first's reversed. (einsum, not a BLAS product: its threads
    # only compete with the user's other work for a sum this cheap.)
    weighted = np.einsum("...i,i->...", log_u, odd) + np.einsum("...i,i->...", log_sf, odd[::-1])
    ad = -n - weighted / n
    return ks, cvm, ad


def _tail_logs(
    u: np.ndarray, log_u: np.ndarray | None, log_sf: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """log F and log(1 - F), floored so that a value far in a tail stays finite: a family's
    own where given, else taken from ``u``."""
    if log_u is None or log_sf is None:
        # 1 - u is exact for u >= 1/2 (Sterbenz) and within an ulp below, so log(1 - u) is
        # as accurate as log1p(-u) given u, and cheaper.
        clipped = np.clip(u, _U_FLOOR, _U_CEILING)
        log_u = np.log(clipped)
        return log_u, np.log(np.subtract(1.0, clipped, out=clipped), out=clipped)
    return np.maximum(log_u, _LOG_FLOOR), np.maximum(log_sf, _LOG_FLOOR)


GOF_BLOCK = 1 << 16
"""Sorted values per block in ``continuous_gof``: above it the CDF and the statistics' terms
are made a block at a time, so their memory is a few blocks, not several copies of the data
(at 1e7 values each copy is 76 MiB)."""


def _blockwise_statistics(
    sorted_x: np.ndarray,
    cdf: Callable[[np.ndarray], np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> tuple[float, float, float]:
    """``edf_statistics`` of F(sorted_x), made a block of ``GOF_BLOCK`` values at a time:
    the largest and smallest d_i, the sum of d_i² and A²'s weighted sum are carried over."""
    n = sorted_x.shape[0]
    high, low, squares, weighted = -math.inf, math.inf, 0.0, 0.0
    for start in range(0, n, GOF_BLOCK):
        values = cdf(sorted_x[start : start + GOF_BLOCK])
        u, log_u, log_sf = values if isinstance(values, tuple) else (values, None, None)
        u = np.asarray(u, dtype=np.float64)
        odd = np.arange(2.0 * start + 1.0, 2.0 * (start + u.shape[0]), 2.0)  # 2i - 1
        d = np.subtract(odd * (0.5 / n), u)
        high, low = max(high, float(np.max(d))), min(low, float(np.min(d)))
        squares += float(np.einsum("i,i->", d, d))
        log_u, log_sf = _tail_logs(u, log_u, log_sf)
        weighted += float(np.einsum("i,i->", log_u, odd))
        weighted += float(np.einsum("i,i->", log_sf, np.subtract(2.0 * n, odd)))  # 2n + 1 - 2i
    ks = max(high, -low) + 0.5 / n
    return ks, 1.0 / (12.0 * n) + squares, -n - weighted / n


def continuous_gof(
    x: np.ndarray,
    cdf: Callable[[np.ndarray], np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]],
) -> dict[str, float]:
    """The three statistics with their nominal p-values, from one sort and one CDF pass
    (a block at a time above ``GOF_BLOCK`` values).

        ``cdf`` gives F at sorted values, or the triple (F, log F, log(1 - F)) of a family's
        ``cdf_with_logs``.
    """
    sorted_x = np.sort(x)
    n = len(sorted_x)
    if n > GOF_BLOCK:
        ks, cvm, ad = _blockwise_statistics(sorted_x, cdf)
    else:
        values = cdf(sorted_x)
        u, log_u, log_sf = values if isinstance(values, tuple) else (values, None, None)
        ks, cvm, ad = (float(s) for s in edf_statistics(u, log_u, log_sf))
    return {
        "ks_statistic": ks,
        "ks_pvalue": ks_pvalue(ks, n),
        "cvm_statistic": cvm,
        "cvm_pvalue": cvm_pvalue(cvm, n),
        "ad_statistic": ad,
        "ad_pvalue": anderson_darling_pvalue(ad),
    }


def ks_pvalue(d: float, n: int) -> float:
    """P(D_n >= d) for a fully specified continuous distribution: the exact distribution of
    the two-sided statistic, as ``scipy.stats.kstest`` uses (computed here, without the
    second it takes to import scipy.stats)."""
    return ks_sf(d, n)


def cvm_pvalue(w2: float, n: int) -> float:
    """P(W² >= w2) for a fully specified distribution: Csörgő & Faraway (1996), eq. 1.8, the
    finite-n law that ``scipy.stats.cramervonmises`` uses (its support is [1/(12n), n/3])."""
    if w2 <= 1.0 / (12.0 * n):
        return 1.0
    if w2 >= n / 3.0:
        return 0.0
    cdf = _cvm_limit_cdf(w2) * (1.0 + 1.0 / (12.0 * n)) + _cvm_correction(w2) / n
    return min(max(1.0 - cdf, 0.0), 1.0)


def _cvm_limit_cdf(x: float) -> float:
    """The limiting (n = infinity) CDF of W², Csörgő & Faraway eq. 1.3: a series of Bessel
    K_{1/4} terms, summed until a term is below 1e-7."""
    total, k = 0.0, 0
    while True:
        y = 4.0 * k + 1.0
        q = y * y / (16.0 * x)
        term = (
            math.exp(math.lgamma(k + 0.5) - math.lgamma(k + 1.0))
            / (math.pi**1.5 * math.sqrt(x))
            * math.sqrt(y)
            * math.exp(-2.0 * q)
            * bessel_k_scaled(0.25, q)
        )
        total += term
        if abs(term) < 1e-7:
            return total
        k += 1


def _cvm_correction(x: float) -> float:
    """Csörgő & Faraway's first-order term psi_1 (eq. 1.10) without its V(x)/12 part, which
    ``cvm_pvalue`` adds as the factor (1 + 1/(12n))."""

    def ed2(y: float) -> float:
        z = y * y / 4.0
        bessel = bessel_k_scaled(0.25, z) + bessel_k_scaled(0.75, z)
        return math.exp(-2.0 * z) * (y / 2.0) ** 1.5 * bessel / math.sqrt(math.pi)

    def ed3(y: float) -> float:
        z = y * y / 4.0
        bessel = (
            2.0 * bessel_k_scaled(0.25, z)
            + 3.0 * bessel_k_scaled(0.75, z)
            - bessel_k_scaled(1.25, z)
        )
        return math.exp(-2.0 * z) / math.sqrt(math.pi) * (y / 2.0) ** 2.5 * bessel

    sx, y1, y2 = 2.0 * math.sqrt(x), x**0.75, x**1.25
    total, k = 0.0, 0
    while True:
        m = 2 * k + 1
        # Gamma(k + 1/2) / k! and Gamma(k + 3/2) / k!, in logarithms (each alone overflows)
        g1 = math.exp(math.lgamma(k + 0.5) - math.lgamma(k + 1.0))
        g3 = g1 * (k + 0.5)
        a_k = (
            m * g1 * ed2((4 * k + 3) / sx) / (9.0 * y1)
            + g1 * ed3((4 * k + 1) / sx) / (72.0 * y2)
            + 2.0 * (m + 2) * g3 * ed3((4 * k + 5) / sx) / (12.0 * y2)
            + 7.0 * m * g1 * ed2((4 * k + 1) / sx) / (144.0 * y1)
            + 7.0 * m * g1 * ed2((4 * k + 5) / sx) / (144.0 * y1)
        )
        term = -a_k / math.pi
        total += term
        if abs(term) < 1e-7:
            return total
        k += 1


def bessel_k_scaled(nu: float, z: float) -> float:
    """exp(z) K_nu(z) for z > 0, from K_nu(z) = integral over t > 0 of exp(-z cosh t) cosh(nu t):
    the trapezoidal rule on that analytic, doubly-exponentially decaying integrand is accurate
    to rounding with a step of 0.1 (its error falls like exp(-pi**2 / step)), narrowed like
    the peak's width 1/sqrt(z) for large z."""
    if z <= 0.0:
        return math.inf
    step = 0.1 / max(1.0, math.sqrt(z / 10.0))
    end = math.acosh(1.0 + 50.0 / z)
    end = math.acosh(1.0 + (50.0 + nu * end) / z)
    t = np.arange(0.0, end + step, step)
    f = np.exp(-z * (np.cosh(t) - 1.0)) * np.cosh(nu * t)
    return step * (float(np.sum(f)) - 0.5 * float(f[0]))


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
