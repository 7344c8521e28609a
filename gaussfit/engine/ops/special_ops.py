"""Special functions used by log-densities and CDFs: lgamma, digamma, polygamma, erf, erfc,
erfcx, ndtr, log_ndtr and Owen's T.

Their forward rules come from ``scipy.special``, imported on first use so that importing the
engine stays as cheap as importing numpy. Each derivative is the next function of the family,
itself an op, so any order of derivative is available. (The incomplete gamma and beta
functions, whose derivatives need more machinery, are in ``incomplete_ops``.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops import math_ops
from gaussfit.engine.ops.array_ops import unbroadcast, where
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
from gaussfit.engine.shapes import TensorShape, broadcast


def _special():
    import scipy.special

    return scipy.special


def _np_lgamma(x: np.ndarray) -> np.ndarray:
    return _special().gammaln(x)


def _np_digamma(x: np.ndarray) -> np.ndarray:
    return _special().psi(x)


def _np_polygamma(n: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.asarray(_special().polygamma(n, x), dtype=np.result_type(x))


def _np_erf(x: np.ndarray) -> np.ndarray:
    return _special().erf(x)


def _np_erfc(x: np.ndarray) -> np.ndarray:
    return _special().erfc(x)


def _np_ndtr(x: np.ndarray) -> np.ndarray:
    return _special().ndtr(x)


def _np_erfcx(x: np.ndarray) -> np.ndarray:
    return _special().erfcx(x)


def _np_log_ndtr(x: np.ndarray) -> np.ndarray:
    return _special().log_ndtr(x)


def _np_owens_t(h: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.asarray(_special().owens_t(h, a), dtype=np.result_type(h, a))


def _lgamma_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [math_ops.multiply(g, digamma(op.inputs[0]))]


def _digamma_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [math_ops.multiply(g, polygamma(1.0, op.inputs[0]))]


def _polygamma_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    n, x = op.inputs
    if needs[0]:
        raise LookupError(
            f"No gradient defined for the order argument of operation '{op.name}' (Polygamma)"
        )
    return [None, unbroadcast(math_ops.multiply(g, polygamma(math_ops.add(n, 1.0), x)), x)]


_TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)


def _erf_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    x = op.inputs[0]
    bump = math_ops.multiply(math_ops.exp(math_ops.negative(math_ops.square(x))), _TWO_OVER_ROOT_PI)
    return [math_ops.multiply(g, bump)]


def _erfc_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [math_ops.negative(_erf_grad(op, g, needs)[0])]


_HALF_LOG_TWO_PI = 0.5 * math.log(2.0 * math.pi)
_ONE_OVER_ROOT_TWO = 1.0 / math.sqrt(2.0)
_ROOT_TWO_OVER_PI = math.sqrt(2.0 / math.pi)


def _log_phi(x: Tensor) -> Tensor:
    """log of the standard normal density, -x²/2 - log √(2π)."""
    return math_ops.subtract(math_ops.multiply(math_ops.square(x), -0.5), _HALF_LOG_TWO_PI)


def _ndtr_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    return [math_ops.multiply(g, math_ops.exp(_log_phi(op.inputs[0])))]


def _log_ndtr_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """φ(x)/Φ(x). On the left, where φ and Φ underflow and the ratio approaches -x, it is
    √(2/π) / erfcx(-x/√2): no cancellation, so the second derivative -r (x + r) keeps its
    digits even at x = -1000 (exp(log φ - log Φ) would lose five there). On the right it is
    exp(log φ - log Φ). erfcx reads min(x, 0), so the branch not taken stays finite and no
    NaN reaches the derivatives of ``where``."""
    x = op.inputs[0]
    left = math_ops.less(x, 0.0)
    z = math_ops.multiply(math_ops.minimum(x, 0.0), -_ONE_OVER_ROOT_TWO)
    mills = math_ops.truediv(_ROOT_TWO_OVER_PI, erfcx(z))
    right = math_ops.exp(math_ops.subtract(_log_phi(x), op.outputs[0]))
    return [math_ops.multiply(g, where(left, mills, right))]


def _erfcx_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    # d/dx exp(x²) erfc(x) = 2x erfcx(x) - 2/√π
    x, y = op.inputs[0], op.outputs[0]
    slope = math_ops.subtract(math_ops.multiply(math_ops.multiply(x, y), 2.0), _TWO_OVER_ROOT_PI)
    return [math_ops.multiply(g, slope)]


_TWO_PI = 2.0 * math.pi


def _owens_t_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """T(h, a) = 1/(2π) ∫₀ᵃ exp(-h²(1+x²)/2)/(1+x²) dx, so
    ∂T/∂h = -φ(h) erf(ah/√2)/2 (the integral in x becomes a normal probability) and
    ∂T/∂a = exp(-h²(1+a²)/2) / (2π(1+a²)), the integrand at its end: both elementary ops,
    so every higher derivative follows."""
    h, a = op.inputs
    result: list[Any] = [None, None]
    if needs[0]:
        half_erf = math_ops.multiply(
            erf(math_ops.multiply(math_ops.multiply(a, h), _ONE_OVER_ROOT_TWO)), 0.5
        )
        slope_h = math_ops.negative(math_ops.multiply(math_ops.exp(_log_phi(h)), half_erf))
        result[0] = unbroadcast(math_ops.multiply(g, slope_h), h)
    if needs[1]:
        one_plus = math_ops.add(math_ops.square(a), 1.0)
        bump = math_ops.exp(
            math_ops.multiply(math_ops.multiply(math_ops.square(h), one_plus), -0.5)
        )
        slope_a = math_ops.truediv(bump, math_ops.multiply(one_plus, _TWO_PI))
        result[1] = unbroadcast(math_ops.multiply(g, slope_a), a)
    return result


def _same(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return shapes[0]


def _float_only(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]):
    return math_ops._float_only(op_type, inputs[-1:], attrs)


LGAMMA = register(
    OpDef("Lgamma", _np_lgamma, _same, _lgamma_grad, dtype=_float_only, elementwise=True)
)
DIGAMMA = register(
    OpDef("Digamma", _np_digamma, _same, _digamma_grad, dtype=_float_only, elementwise=True)
)
POLYGAMMA = register(
    OpDef(
        "Polygamma",
        _np_polygamma,
        lambda s, a: broadcast(s[0], s[1]),
        _polygamma_grad,
        dtype=_float_only,
        elementwise=True,
    )
)
ERF = register(OpDef("Erf", _np_erf, _same, _erf_grad, dtype=_float_only, elementwise=True))
ERFC = register(OpDef("Erfc", _np_erfc, _same, _erfc_grad, dtype=_float_only, elementwise=True))
ERFCX = register(OpDef("Erfcx", _np_erfcx, _same, _erfcx_grad, dtype=_float_only, elementwise=True))
NDTR = register(OpDef("Ndtr", _np_ndtr, _same, _ndtr_grad, dtype=_float_only, elementwise=True))
LOG_NDTR = register(
    OpDef("LogNdtr", _np_log_ndtr, _same, _log_ndtr_grad, dtype=_float_only, elementwise=True)
)

OWENS_T = register(
    OpDef(
        "OwensT",
        _np_owens_t,
        lambda s, a: broadcast(s[0], s[1]),
        _owens_t_grad,
        dtype=_float_only,
        elementwise=True,
    )
)


def lgamma(x: Any, name: str | None = None) -> Tensor:
    """log|Γ(x)|; its derivative is digamma."""
    return make_op(LGAMMA, [convert_to_tensor(x)], name)


def digamma(x: Any, name: str | None = None) -> Tensor:
    """ψ(x) = d/dx log Γ(x); its derivative is polygamma(1, x)."""
    return make_op(DIGAMMA, [convert_to_tensor(x)], name)


def polygamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """ψ⁽ᵃ⁾(x), the a-th derivative of digamma; its derivative is polygamma(a + 1, x)."""
    ta, tx = math_ops._binary_pair(a, x)  # a Python number takes the other side's dtype
    return make_op(POLYGAMMA, [ta, tx], name)


def erf(x: Any, name: str | None = None) -> Tensor:
    """The error function; its derivative is 2/√π exp(-x²)."""
    return make_op(ERF, [convert_to_tensor(x)], name)


def erfc(x: Any, name: str | None = None) -> Tensor:
    """1 - erf(x), computed directly, so it keeps its digits for large x where erf(x) ≈ 1."""
    return make_op(ERFC, [convert_to_tensor(x)], name)


def erfcx(x: Any, name: str | None = None) -> Tensor:
    """exp(x²) erfc(x), the scaled complementary error function: finite where erfc
    underflows, so ratios of normal tails can be formed without dividing zero by zero."""
    return make_op(ERFCX, [convert_to_tensor(x)], name)


def ndtr(x: Any, name: str | None = None) -> Tensor:
    """Φ(x), the standard normal CDF; its derivative is the normal density φ(x)."""
    return make_op(NDTR, [convert_to_tensor(x)], name)


def log_ndtr(x: Any, name: str | None = None) -> Tensor:
    """log Φ(x), accurate far in both tails (scipy's asymptotic series on the left, log1p of
    the upper tail on the right); its derivative φ(x)/Φ(x) is taken in log space too."""
    return make_op(LOG_NDTR, [convert_to_tensor(x)], name)


def owens_t(h: Any, a: Any, name: str | None = None) -> Tensor:
    """Owen's T(h, a) = P(X > h, 0 < Y < aX) for independent standard normals (h ≥ 0, a ≥ 0;
    even in h, odd in a): the skew-normal CDF is Φ(z) - 2T(z, a). Its derivatives in both
    arguments are elementary (see ``_owens_t_grad``)."""
    th, ta = math_ops._binary_pair(h, a)
    return make_op(OWENS_T, [th, ta], name)
