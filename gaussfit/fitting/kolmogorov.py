"""The exact law of the two-sided Kolmogorov-Smirnov statistic D_n, on numpy and math only.

Every fit prints a KS p-value, and ``scipy.stats`` (where ``kstwo`` lives) takes most of a
second to import: more than a small fit costs. This module computes P(D_n >= d) for a fully
specified continuous distribution with the algorithms Simard & L'Ecuyer (2011) recommend and
``scipy.stats.kstwo`` follows, chosen by the same regions of (n, n·d²):

- Ruben & Gambino's closed forms at the ends (n·d <= 1, n·d >= n - 1);
- twice the exact one-sided Smirnov probability (Birnbaum & Tingey 1951) where the two
  one-sided events cannot both happen (d >= 1/2) and in the upper tail, where the overlap is
  below double precision;
- the Durbin matrix in Marsaglia, Tsang & Wang's form (2003) for small n·d;
- the Pelz & Good (1976) expansion for large n.
"""

from __future__ import annotations

import math

import numpy as np

_SCALE_EXPONENT = 128
_SCALE = math.ldexp(1.0, _SCALE_EXPONENT)
_LOG_2PI = math.log(2.0 * math.pi)
# Stirling's series B_2j / (2j (2j - 1)) for j = 8 .. 1, highest first (for np.polyval).
_STIRLING = [
    -2.955065359477124183e-2,
    6.4102564102564102564e-3,
    -1.9175269175269175269e-3,
    8.4175084175084175084e-4,
    -5.952380952380952381e-4,
    7.9365079365079365079e-4,
    -2.7777777777777777778e-3,
    8.3333333333333333333e-2,
]


def ks_sf(d: float, n: int) -> float:
    """P(D_n >= d), clipped to [0, 1]."""
    if d >= 1.0:
        return 0.0
    if d <= 0.0:
        return 1.0
    t = n * d
    if t <= 1.0:
        if t <= 0.5:
            return 1.0
        cdf = math.exp(_log_factorial_over_power(n) + n * math.log(2.0 * t - 1.0))
        return _clip(1.0 - cdf)
    if t >= n - 1:
        return _clip(2.0 * (1.0 - d) ** n)
    if d >= 0.5:
        return _clip(2.0 * smirnov_sf(d, n))
    spread = t * d
    if n <= 140:
        if spread <= 4.0:
            return _clip(1.0 - _durbin_cdf(d, n))
        return _clip(2.0 * smirnov_sf(d, n))
    if spread >= 370.0:
        return 0.0
    if spread >= 2.2:
        return _clip(2.0 * smirnov_sf(d, n))
    if n <= 100_000 and n * d**1.5 <= 1.4:
        return _clip(1.0 - _durbin_cdf(d, n))
    return _clip(1.0 - _pelz_good_cdf(d, n))


def smirnov_sf(d: float, n: int) -> float:
    """P(D_n+ >= d), exactly: Birnbaum & Tingey's sum over the first crossing j/n, its terms
    taken in logarithms (they overflow one by one, not in sum); O(n) vectorised work."""
    if d <= 0.0:
        return 1.0
    if d >= 1.0:
        return 0.0
    last = math.floor(n * (1.0 - d))
    log_terms = _smirnov_log_terms(np.arange(last + 1, dtype=float), d, n)
    top = float(np.max(log_terms))
    return d * math.exp(top) * float(np.sum(np.exp(log_terms - top)))


def _smirnov_log_terms(j: np.ndarray, d: float, n: int) -> np.ndarray:
    """log of C(n, j) (1 - d - j/n)**(n - j) (d + j/n)**(j - 1)."""
    log_choose = _log_factorial(np.array([float(n)]))[0] - _log_factorial(j) - _log_factorial(n - j)
    with np.errstate(divide="ignore"):
        return (
            log_choose
            + (n - j) * np.log(np.maximum(1.0 - d - j / n, 0.0))
            + (j - 1.0) * np.log(d + j / n)
        )


def _log_factorial(k: np.ndarray) -> np.ndarray:
    """log k! for whole k >= 0: math.lgamma below 10, Stirling's series (to rounding) above."""
    out = np.empty(np.shape(k))
    small = k < 10
    out[small] = [math.lgamma(v + 1.0) for v in k[small]]
    x = k[~small] + 1.0
    r = 1.0 / x
    out[~small] = (x - 0.5) * np.log(x) - x + _LOG_2PI / 2.0 + r * np.polyval(_STIRLING, r * r)
    return out


def _log_factorial_over_power(n: int) -> float:
    """log(n! / n**n), by Stirling's series with the n·log(n) taken out first (no cancellation
    between two huge numbers)."""
    if n < 20:
        return math.lgamma(n + 1.0) - n * math.log(n)
    rn = 1.0 / n
    return math.log(n) / 2.0 - n + _LOG_2PI / 2.0 + rn * float(np.polyval(_STIRLING, rn * rn))


def _durbin_cdf(d: float, n: int) -> float:
    """P(D_n < d) by the Durbin matrix: write n·d = k - h, build the m x m matrix H (m = 2k - 1),
    and read the k-th diagonal entry of H**n times n!/n**n; powers are rescaled by 2**128
    to stay in range."""
    k = math.ceil(n * d)
    h = k - n * d
    m = 2 * k - 1
    powers = np.arange(1, m + 1)
    inverse_factorials = np.empty(m)
    fac = 1.0
    column = 1.0 - h**powers
    for j in range(1, m + 1):
        inverse_factorials[j - 1] = fac
        fac /= j
        column[j - 1] *= fac
    column[-1] = (1.0 + max(2.0 * h - 1.0, 0.0) ** m - 2.0 * h**m) * fac
    matrix = np.zeros((m, m))
    for i in range(1, m):
        matrix[i - 1 :, i] = inverse_factorials[: m - i + 1]
    matrix[:, 0] = column
    matrix[-1, :] = column[::-1]

    result = np.eye(m)
    exponent = 0
    matrix_exponent = 0
    remaining = n
    while remaining > 0:
        if remaining % 2:
            result = np.matmul(result, matrix)
            exponent += matrix_exponent
        matrix = np.matmul(matrix, matrix)
        matrix_exponent *= 2
        if abs(matrix[k - 1, k - 1]) > _SCALE:
            matrix /= _SCALE
            matrix_exponent += _SCALE_EXPONENT
        remaining //= 2
    entry = float(result[k - 1, k - 1])
    if entry <= 0.0:
        return 0.0
    log_p = math.log(entry) + exponent * math.log(2.0) + _log_factorial_over_power(n)
    return min(math.exp(log_p), 1.0)


def _pelz_good_cdf(d: float, n: int) -> float:
    """P(D_n <= d) ~ K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n**1.5 with z = d·sqrt(n), each
    K_i in the theta-function form that converges fast for the small z where it is used."""
    z = math.sqrt(n) * d
    z2, z3, z4, z6 = z * z, z**3, z**4, z**6
    pi2, pi4, pi6 = math.pi**2, math.pi**4, math.pi**6
    log_q = -pi2 / 8.0 / z2
    if log_q < -708.0:
        return 0.0
    q = math.exp(log_q)
    k1a, k1b = -z2, pi2 / 4.0
    k2a = 6.0 * z6 + 2.0 * z4
    k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0
    k2c = pi4 * (1.0 - 2.0 * z2) / 16.0
    k3d = pi6 * (5.0 - 30.0 * z2) / 64.0
    k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0
    k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0
    k3a = -30.0 * z6 - 90.0 * z**8

    sums = np.zeros(4)
    most = math.ceil(16.0 * z / math.pi)
    for k in range(most, 0, -1):  # Horner's scheme in q**8k over the odd m = 2k - 1
        m = 2 * k - 1
        m2, m4, m6 = m * m, m**4, m**6
        sums *= q ** (8 * k)
        sums += np.array(
            [
                1.0,
                k1a + k1b * m2,
                k2a + k2b * m2 + k2c * m4,
                k3a + k3b * m2 + k3c * m4 + k3d * m6,
            ]
        )
    sums *= q * math.sqrt(2.0 * math.pi)
    sums /= np.array([z, 6.0 * z4, 72.0 * z**7, 6480.0 * z**10])

    q_all = math.exp(-pi2 / 2.0 / z2)  # the sums over every integer k
    ks = np.arange(most, 0, -1, dtype=float)
    weights = ks * ks * q_all ** (ks * ks)
    sums[2] += float(np.sum(weights)) * pi2 * math.sqrt(2.0 * math.pi) / (-36.0 * z3)
    root3z, kpi = math.sqrt(3.0) * z, math.pi * ks
    extra = float(np.sum((root3z + kpi) * (root3z - kpi) * weights))
    sums[3] += extra * pi2 * math.sqrt(2.0 * math.pi) / (216.0 * z6)
    sums /= np.power(float(n), np.arange(4) / 2.0)
    return float(np.sum(sums))


def _clip(p: float) -> float:
    return min(max(p, 0.0), 1.0)


__all__ = ["ks_sf", "smirnov_sf"]
