"""Special functions used by log-densities: lgamma, digamma, polygamma, erf, erfc.

Their forward rules come from ``scipy.special``, imported on first use so that importing the
engine stays as cheap as importing numpy. Each derivative is the next function of the family,
itself an op, so any order of derivative is available.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops import math_ops
from gaussfit.engine.ops.array_ops import unbroadcast
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
    return make_op(ERF, [convert_to_tensor(x)], name)


def erfc(x: Any, name: str | None = None) -> Tensor:
    return make_op(ERFC, [convert_to_tensor(x)], name)
