"""Numerical kernels of the regularized incomplete gamma and beta functions and their
derivatives in the shape parameters (numpy and scipy.special only).

Values come from scipy.special where scipy is accurate (``gammainc``, ``gammaincc``,
``betainc``). What scipy does not give is computed here by the classical algorithms carried
out in truncated Taylor arithmetic (``taylor``), which yields the value and every derivative in
the shape parameters together:

- incomplete gamma: for x < a + 1 the power series
  P(a, x) = x^a e^-x / Γ(a + 1) · Σ_n x^n / ((a + 1)···(a + n)), whose terms and derivative
  terms all keep one sign; otherwise Legendre's continued fraction
  Q(a, x) = x^a e^-x / Γ(a) · 1/(x + 1 - a - 1(1 - a)/(x + 3 - a - 2(2 - a)/(x + 5 - a - ...))),
  evaluated by the forward (Wallis) recurrence, which needs only products until one last
  quotient. The other side follows from P + Q = 1 where it is the larger one, so no
  complement is taken of a small number;
- incomplete beta: the continued fraction of Numerical Recipes' ``betacf`` (DLMF 8.17.22),
  by the same recurrence, for x < (a + 1) / (a + b + 2), else I_x(a, b) = 1 - I_{1-x}(b, a).
  Mixed derivatives in (a, b) come from derivatives along n + 1 directions in the (a, b)
  plane, which determine the n + 1 partials of order n (a small fixed linear system).

Both algorithms give the logarithm directly (log prefactor + log of the sum or fraction), so
log P, log Q and log I stay accurate far in the tails where the values themselves underflow:
these are the ``log_*`` kernels that censored likelihoods need.
"""

from __future__ import annotations

import math

import numpy as np

from gaussfit.engine.ops import taylor

_EPS = 1e-16
_MAX_TERMS = 100_000
_TINY_VALUE = 1e-280
"""Below this a value from scipy is taken as underflowing: its logarithm is computed here."""


def _special():
    import scipy.special

    return scipy.special


def _result_dtype(*values: np.ndarray) -> np.dtype:
    """The inputs' floating dtype (float64 for anything that is not a float array)."""
    return np.result_type(np.float32, *[np.asarray(v) for v in values])


def _converged(step: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Elements whose every coefficient changed by at most a rounding error this step.

    A derivative coefficient is measured against itself and the value, so one that passes
    through zero (a second derivative changing sign) still converges: its error is then a
    rounding error of the value, which is what the logarithm's derivatives see.
    """
    scale = np.abs(total) + np.abs(total[:1])
    return np.all(np.abs(step) <= _EPS * scale, axis=0)


def _iterate(state: dict[str, np.ndarray], step, n_elements: int) -> dict[str, np.ndarray]:
    """Run ``step(state, n)`` for n = 1, 2, ... until every element has converged.

    ``step`` updates the arrays of ``state`` (shape ``(order + 1, m)`` or ``(m,)``, the last
    axis running over elements) and returns a mask of the elements that have converged.
    Converged elements are set aside in batches (once half of those left are done, so the
    copying stays cheap), and the cost follows the slowest element only where it is slow.
    Returns the final state of every element, in the original order.
    """
    result = {k: v.copy() for k, v in state.items()}
    position = np.arange(n_elements)
    settled = np.zeros(n_elements, dtype=bool)
    for n in range(1, _MAX_TERMS):
        settled = settled | step(state, n)
        if np.all(settled) or n == _MAX_TERMS - 1:
            for k, v in state.items():
                result[k][..., position] = v
            return result
        if np.count_nonzero(settled) * 2 >= settled.size:
            for k, v in state.items():
                result[k][..., position[settled]] = v[..., settled]
                state[k] = v[..., ~settled]
            position = position[~settled]
            settled = np.zeros(position.size, dtype=bool)
    return result


# -- incomplete gamma ---------------------------------------------------------------------
def _log_p_series(a: np.ndarray, x: np.ndarray, order: int) -> np.ndarray:
    """log P(a + t, x) as a series in t, by the power series (for x < a + 1)."""
    log_x = np.log(x)
    prefix = taylor.variable(a, order) * log_x - taylor.lgamma_of_line(a + 1.0, 1.0, order)
    prefix[0] -= x
    state = {
        "term": taylor.constant(np.ones_like(a), order),
        "total": taylor.constant(np.ones_like(a), order),
        "a": a,
        "x": x,
    }

    def step(s: dict[str, np.ndarray], n: int) -> np.ndarray:
        ratio = taylor.reciprocal_of_line(s["a"] + n, 1.0, order) * s["x"]
        s["term"] = taylor.mul(s["term"], ratio)
        s["total"] = s["total"] + s["term"]
        return _converged(s["term"], s["total"])

    total = _iterate(state, step, a.size)["total"]
    return prefix + taylor.log(total)


def _continued_fraction(partial, first_denominator, n_elements: int, order: int) -> np.ndarray:
    """The series of 1/(b1 + a2/(b2 + a3/(b3 + ...))) by the Wallis recurrence.

    ``partial(s, n)`` gives the series of (a_n, b_n) for n >= 2 on a subset ``s`` of the
    elements; ``first_denominator`` is b1. Numerators and denominators are rescaled by the
    value of the denominator every step, which leaves their quotient unchanged.
    """
    ones = taylor.constant(np.ones(n_elements), order)
    zeros = np.zeros_like(ones)
    state = {
        "a_prev": zeros,  # A_0
        "a_cur": ones,  # A_1 = a1 * A_{-1} with a1 = 1
        "b_prev": ones.copy(),  # B_0
        "b_cur": first_denominator,  # B_1 = b1
        "value": taylor.div(ones, first_denominator),
        "index": np.arange(n_elements),
    }

    def step(s: dict[str, np.ndarray], n: int) -> np.ndarray:
        numerator, denominator = partial(s["index"], n + 1)
        a_next = taylor.mul(denominator, s["a_cur"]) + taylor.mul(numerator, s["a_prev"])
        b_next = taylor.mul(denominator, s["b_cur"]) + taylor.mul(numerator, s["b_prev"])
        scale = b_next[0]
        s["a_prev"], s["b_prev"] = s["a_cur"] / scale, s["b_cur"] / scale
        s["a_cur"], s["b_cur"] = a_next / scale, b_next / scale
        value = taylor.div(s["a_cur"], s["b_cur"])
        done = _converged(value - s["value"], value)
        s["value"] = value
        return done

    return _iterate(state, step, n_elements)["value"]


def _log_q_fraction(a: np.ndarray, x: np.ndarray, order: int) -> np.ndarray:
    """log Q(a + t, x) as a series in t, by Legendre's continued fraction (for x >= a + 1)."""

    def partial(index: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        ai, xi = a[index], x[index]
        numerator = taylor.variable(-(n - 1) * (n - 1 - ai), order, float(n - 1))
        denominator = taylor.variable(xi + 2 * n - 1 - ai, order, -1.0)
        return numerator, denominator

    fraction = _continued_fraction(
        partial, taylor.variable(x + 1.0 - a, order, -1.0), a.size, order
    )
    prefix = taylor.variable(a, order) * np.log(x) - taylor.lgamma_of_line(a, 1.0, order)
    prefix[0] -= x
    return prefix + taylor.log(fraction)


def _log_complement(log_u: np.ndarray) -> np.ndarray:
    """The series of log(1 - exp(u)) from that of u (used where exp(u) is the smaller side)."""
    rest = -taylor.exp(log_u)
    rest[0] += 1.0
    return taylor.log(rest)


def _log_igamma_series(a: np.ndarray, x: np.ndarray, order: int, upper: bool) -> np.ndarray:
    """log P (or log Q when ``upper``) of valid flat arrays as series in a."""
    out = np.empty((order + 1, a.size))
    by_series = x < a + 1.0
    for mask, kernel, gives_upper in (
        (by_series, _log_p_series, False),
        (~by_series, _log_q_fraction, True),
    ):
        if np.any(mask):
            series = kernel(a[mask], x[mask], order)
            out[:, mask] = series if gives_upper == upper else _log_complement(series)
    return out


def _broadcast_flat(*arrays: np.ndarray) -> tuple[tuple[int, ...], list[np.ndarray]]:
    arrays = np.broadcast_arrays(*[np.asarray(v, dtype=np.float64) for v in arrays])
    return arrays[0].shape, [np.ravel(v) for v in arrays]


def _gamma_derivative(a, x, order: int, *, log: bool, upper: bool) -> np.ndarray:
    """The order-th derivative in a of P, Q, log P or log Q, elementwise."""
    dtype = _result_dtype(a, x)
    shape, (af, xf) = _broadcast_flat(a, x)
    out = np.full(af.size, np.nan)
    valid = (af > 0) & (xf > 0) & np.isfinite(af) & np.isfinite(xf)
    if np.any(valid):
        series = _log_igamma_series(af[valid], xf[valid], order, upper)
        if not log:
            series = taylor.exp(series)
        out[valid] = taylor.derivatives(series)[order]
    # At x = 0 and x = inf the functions are 0 or 1 for every a, so their a-derivatives vanish
    # (log 0 is excepted: it has none).
    at_zero = (af > 0) & (xf == 0)
    at_inf = (af > 0) & (xf == np.inf)
    if not log:
        out[at_zero | at_inf] = 0.0
    else:
        out[at_inf if not upper else at_zero] = 0.0
    return np.reshape(out, shape).astype(dtype, copy=False)


def igamma_grad_a(a: np.ndarray, x: np.ndarray, order: int = 1) -> np.ndarray:
    """∂ᵏP(a, x)/∂aᵏ for k = ``order`` (∂ᵏQ/∂aᵏ is its negative)."""
    return _gamma_derivative(a, x, order, log=False, upper=False)


def log_igamma_grad_a(a: np.ndarray, x: np.ndarray, order: int = 1, upper: bool = False):
    """∂ᵏ log P(a, x)/∂aᵏ, or of log Q when ``upper``."""
    return _gamma_derivative(a, x, order, log=True, upper=upper)


def log_igamma(a: np.ndarray, x: np.ndarray, upper: bool = False) -> np.ndarray:
    """log P(a, x) (log Q when ``upper``), accurate where the value underflows.

    The larger side is taken as log1p(-other); the smaller side as the log of scipy's value
    unless that underflows, where the series or continued fraction gives the log directly.
    """
    special = _special()
    dtype = _result_dtype(a, x)
    shape, (af, xf) = _broadcast_flat(a, x)
    small = special.gammaincc(af, xf) if upper else special.gammainc(af, xf)
    other = special.gammainc(af, xf) if upper else special.gammaincc(af, xf)
    with np.errstate(divide="ignore"):
        out = np.where(other < 0.5, np.log1p(-other), np.log(small))
    deep = (small < _TINY_VALUE) & (af > 0) & (xf > 0) & np.isfinite(xf)
    if np.any(deep):
        out[deep] = _log_igamma_series(af[deep], xf[deep], 0, upper)[0]
    return np.reshape(out, shape).astype(dtype, copy=False)


# -- incomplete beta ----------------------------------------------------------------------
def _log_beta_fraction(
    a: np.ndarray, b: np.ndarray, x: np.ndarray, u: float, v: float, order: int
) -> np.ndarray:
    """log I_x(a + u t, b + v t) as a series in t by the continued fraction (x small)."""
    la, lb = taylor.variable(a, order, u), taylor.variable(b, order, v)
    bases = {"a": a, "b": b, "ab": a + b}
    slopes = {"a": u, "b": v, "ab": u + v}

    def line(offset: float, index: np.ndarray, of: str) -> np.ndarray:
        return taylor.variable(bases[of][index] + offset, order, slopes[of])

    def partial(index: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        # a_n = d_{n-1}: d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),
        #                d_{2m} = m (b-m) x / ((a+2m-1)(a+2m)).
        k = n - 1
        xi = x[index]
        if k % 2:
            m = (k - 1) // 2
            top = -taylor.mul(line(m, index, "a"), line(m, index, "ab"))
            bottom = taylor.mul(line(2 * m, index, "a"), line(2 * m + 1, index, "a"))
        else:
            m = k // 2
            top = m * line(-m, index, "b")
            bottom = taylor.mul(line(2 * m - 1, index, "a"), line(2 * m, index, "a"))
        numerator = taylor.div(top, bottom) * xi
        return numerator, taylor.constant(np.ones(index.size), order)

    ones = taylor.constant(np.ones(a.size), order)
    fraction = _continued_fraction(partial, ones, a.size, order)
    log_prefix = (
        la * np.log(x)
        + lb * np.log1p(-x)
        - taylor.log(la)
        - taylor.lgamma_of_line(a, u, order)
        - taylor.lgamma_of_line(b, v, order)
        + taylor.lgamma_of_line(a + b, u + v, order)
    )
    return log_prefix + taylor.log(fraction)


def _log_betainc_series(
    a: np.ndarray, b: np.ndarray, x: np.ndarray, u: float, v: float, order: int
) -> np.ndarray:
    """log I_x(a + u t, b + v t) as a series in t, for valid flat arrays."""
    out = np.empty((order + 1, a.size))
    direct = x < (a + 1.0) / (a + b + 2.0)
    if np.any(direct):
        out[:, direct] = _log_beta_fraction(a[direct], b[direct], x[direct], u, v, order)
    flipped = ~direct
    if np.any(flipped):
        mirror = _log_beta_fraction(b[flipped], a[flipped], 1.0 - x[flipped], v, u, order)
        out[:, flipped] = _log_complement(mirror)
    return out


def _directions(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n + 1 directions in the (a, b) plane and the matrix taking the partials of order n
    (∂aⁱ∂bⁿ⁻ⁱ, i = 0..n) to the n-th derivatives along them."""
    angles = np.pi * np.arange(n + 1) / (n + 1)
    u, v = np.cos(angles), np.sin(angles)
    i = np.arange(n + 1)
    binomial = np.array([math.comb(n, k) for k in i], dtype=np.float64)
    matrix = binomial * u[:, None] ** i * v[:, None] ** (n - i)
    return np.stack([u, v], axis=1), matrix


def _beta_partial(a, b, x, da: int, db: int, *, log: bool) -> np.ndarray:
    """∂a^da ∂b^db of I_x(a, b) (of log I when ``log``), elementwise."""
    dtype = _result_dtype(a, b, x)
    shape, (af, bf, xf) = _broadcast_flat(a, b, x)
    out = np.full(af.size, np.nan)
    valid = (af > 0) & (bf > 0) & (xf > 0) & (xf < 1) & np.isfinite(af) & np.isfinite(bf)
    n = da + db
    if np.any(valid):
        args = af[valid], bf[valid], xf[valid]

        def along(u: float, v: float) -> np.ndarray:
            series = _log_betainc_series(*args, u, v, n)
            return taylor.derivatives(series if log else taylor.exp(series))[n]

        if db == 0:
            out[valid] = along(1.0, 0.0)
        elif da == 0:
            out[valid] = along(0.0, 1.0)
        else:
            directions, matrix = _directions(n)
            along_each = np.stack([along(u, v) for u, v in directions])
            out[valid] = np.linalg.solve(matrix, along_each)[da]
    edge = (af > 0) & (bf > 0) & ((xf == 1) | ((xf == 0) & (not log)))
    out[edge] = 0.0
    return np.reshape(out, shape).astype(dtype, copy=False)


def betainc_grad(a, b, x, da: int = 1, db: int = 0) -> np.ndarray:
    """∂a^da ∂b^db I_x(a, b)."""
    return _beta_partial(a, b, x, da, db, log=False)


def log_betainc_grad(a, b, x, da: int = 1, db: int = 0) -> np.ndarray:
    """∂a^da ∂b^db log I_x(a, b)."""
    return _beta_partial(a, b, x, da, db, log=True)


def log_betainc(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log I_x(a, b), accurate where the value underflows (and near 1 by log1p)."""
    special = _special()
    dtype = _result_dtype(a, b, x)
    shape, (af, bf, xf) = _broadcast_flat(a, b, x)
    value = special.betainc(af, bf, xf)
    with np.errstate(divide="ignore"):
        out = np.where(value > 0.5, np.log1p(-special.betainc(bf, af, 1.0 - xf)), np.log(value))
    deep = (value < _TINY_VALUE) & (af > 0) & (bf > 0) & (xf > 0) & (xf < 1)
    if np.any(deep):
        out[deep] = _log_betainc_series(af[deep], bf[deep], xf[deep], 1.0, 0.0, 0)[0]
    return np.reshape(out, shape).astype(dtype, copy=False)
