"""Truncated Taylor series in one variable, elementwise over numpy arrays.

A series of order K is an array ``c`` of shape ``(K + 1, *batch)`` holding the coefficients of
f(t0 + t) = c[0] + c[1] t + ... + c[K] t^K for every element of the batch, so ``c[k] * k!`` is
the k-th derivative at t0. Carrying such series through a numerical algorithm (a power series,
a continued fraction) differentiates the algorithm itself: the derivatives of the regularized
incomplete gamma and beta functions in their shape parameters, which have no closed form, come
out as accurate as the values, with no finite-difference step to choose.

Only the few operations those algorithms need are here; each is the textbook recurrence on
coefficients (products by the Cauchy product, quotients, exp and log by their ODEs).
"""

from __future__ import annotations

import math

import numpy as np


def variable(value: np.ndarray, order: int, slope: np.ndarray | float = 1.0) -> np.ndarray:
    """The series of ``value + slope * t``: the independent variable (or a line in it)."""
    value = np.asarray(value, dtype=np.float64)
    out = np.zeros((order + 1, *value.shape))
    out[0] = value
    if order >= 1:
        out[1] = slope
    return out


def constant(value: np.ndarray, order: int) -> np.ndarray:
    """The series of a value that does not depend on t."""
    return variable(value, order, 0.0)


def mul(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The product series (Cauchy product, truncated at the common order)."""
    out = np.zeros(np.broadcast_shapes(u.shape, v.shape))
    for k in range(out.shape[0]):
        for j in range(k + 1):
            out[k] += u[j] * v[k - j]
    return out


def div(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The quotient series u / v (v[0] must not vanish)."""
    out = np.zeros(np.broadcast_shapes(u.shape, v.shape))
    for k in range(out.shape[0]):
        total = u[k] - sum(out[j] * v[k - j] for j in range(k))
        out[k] = total / v[0]
    return out


def reciprocal_of_line(value: np.ndarray, slope: float, order: int) -> np.ndarray:
    """The series of 1 / (value + slope * t), in closed form: (-slope)^k / value^(k + 1)."""
    value = np.asarray(value, dtype=np.float64)
    inverse = 1.0 / value
    out = np.empty((order + 1, *value.shape))
    term = inverse
    for k in range(order + 1):
        out[k] = term
        term = term * (-slope) * inverse
    return out


def exp(u: np.ndarray) -> np.ndarray:
    """exp of a series, from (exp u)' = u' exp u."""
    out = np.zeros(u.shape)
    out[0] = np.exp(u[0])
    for k in range(1, u.shape[0]):
        out[k] = sum(j * u[j] * out[k - j] for j in range(1, k + 1)) / k
    return out


def log(u: np.ndarray) -> np.ndarray:
    """log of a series with u[0] > 0, from u (log u)' = u'."""
    out = np.zeros(u.shape)
    out[0] = np.log(u[0])
    for k in range(1, u.shape[0]):
        out[k] = (u[k] - sum(j * out[j] * u[k - j] for j in range(1, k)) / k) / u[0]
    return out


def lgamma_of_line(value: np.ndarray, slope: float, order: int) -> np.ndarray:
    """The series of log Γ(value + slope * t): its k-th coefficient is ψ⁽ᵏ⁻¹⁾(value) slopeᵏ / k!."""
    import scipy.special

    value = np.asarray(value, dtype=np.float64)
    out = np.empty((order + 1, *value.shape))
    out[0] = scipy.special.gammaln(value)
    for k in range(1, order + 1):
        out[k] = scipy.special.polygamma(k - 1, value) * slope**k / math.factorial(k)
    return out


def derivatives(u: np.ndarray) -> np.ndarray:
    """The derivatives f, f', f'', ... from the coefficients (multiply by k!)."""
    factorials = np.array([math.factorial(k) for k in range(u.shape[0])], dtype=np.float64)
    return u * factorials.reshape((-1,) + (1,) * (u.ndim - 1))
