"""The regularized incomplete gamma and beta functions as ops, with derivatives in every
argument and of every order.

- ``igamma(a, x)`` = P(a, x) and ``igammac(a, x)`` = Q(a, x) = 1 - P (TF1's names), the CDF
  and survival function of the gamma family; ``log_igamma`` and ``log_igammac`` their
  logarithms, accurate where the values underflow (a gamma's far right tail).
- ``betainc(a, b, x)`` = I_x(a, b) (TF1's name) and ``log_betainc``: the CDFs of the beta,
  Student's t and negative binomial families.

Derivatives in x are closed forms: ∂P/∂x is the gamma density exp(ρ) with
ρ = (a - 1) log x - x - log Γ(a), and ∂ log P/∂x = exp(ρ - log P). Derivatives in the shape
parameters have no closed form: ∂ᵏP/∂aᵏ is its own op, ``igamma_grad_a`` (TF1's name for k = 1),
computed by the series and continued fraction in Taylor arithmetic (``incomplete_kernels``).
Its gradient in a is the same op one order up, and its gradient in x is ∂ᵏ/∂aᵏ of the density,
written out as graph ops by Faà di Bruno's formula (``_derivative_of_exp``), so Hessians and
any higher derivative exist. The beta function's partials in (a, b) work the same way
(``betainc_grad`` with orders ``da``, ``db``), and so do the logarithms' (``log_igamma_grad_a``,
``log_betainc_grad``), whose x-gradients use exp(ρ - log F) and never divide by an underflowed
value.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops import incomplete_kernels as kernels
from gaussfit.engine.ops import math_ops
from gaussfit.engine.ops.array_ops import unbroadcast
from gaussfit.engine.ops.op_def import OpDef, _tensor_of, convert_to_tensor, make_op, register
from gaussfit.engine.ops.special_ops import lgamma, polygamma
from gaussfit.engine.shapes import TensorShape, broadcast

MultiIndex = tuple[int, ...]


# -- conversions and shapes -----------------------------------------------------------------
def _convert(*values: Any) -> list[Tensor]:
    """Tensors of one float dtype: Python numbers take the dtype of the first tensor."""
    tensors = [_tensor_of(v) for v in values]
    known = [t for t in tensors if t is not None]
    dtype = known[0].dtype if known else None
    for t in known:
        if t.dtype != dtype:
            raise TypeError(
                f"Cannot combine tensors of different dtypes: {known[0].name!r} is "
                f"{dtype.name} and {t.name!r} is {t.dtype.name}; use tf.cast to convert one."
            )
    if dtype is None:
        first = convert_to_tensor(values[0])
        dtype, tensors[0] = first.dtype, first
    return [
        t if t is not None else convert_to_tensor(v, dtype=dtype)
        for t, v in zip(tensors, values, strict=True)
    ]


def _broadcast_all(shapes: Sequence[TensorShape], attrs: dict[str, Any]) -> TensorShape:
    return functools.reduce(broadcast, shapes)


def _float_only(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any]):
    return math_ops._float_only(op_type, inputs[-1:], attrs)


def _register(type_: str, forward: Callable[..., Any], grad: Any) -> OpDef:
    return register(
        OpDef(type_, forward, _broadcast_all, grad, dtype=_float_only, elementwise=True)
    )


# -- derivatives of exp(r) by Faà di Bruno ----------------------------------------------------
def _derivative_of_exp(
    index: MultiIndex, r: Tensor, r_partial: Callable[[MultiIndex], Tensor]
) -> Tensor:
    """∂^index exp(r) as graph ops, given the partials of r (``r_partial(multi-index)``).

    exp(r) times a polynomial in r's partials: differentiating exp(r)·Π r_m in one variable
    gives exp(r)·(r_e·Π r_m + Σ Π with one factor's index raised), applied index[v] times
    for each variable v. Monomials are kept as sorted tuples of multi-indices.
    """
    polynomial: Counter[tuple[MultiIndex, ...]] = Counter({(): 1})
    for variable, times in enumerate(index):
        unit = tuple(int(v == variable) for v in range(len(index)))
        for _ in range(times):
            raised: Counter[tuple[MultiIndex, ...]] = Counter()
            for monomial, coefficient in polynomial.items():
                raised[tuple(sorted((*monomial, unit)))] += coefficient
                for factor, count in Counter(monomial).items():
                    rest = list(monomial)
                    rest.remove(factor)
                    bumped = tuple(f + u for f, u in zip(factor, unit, strict=True))
                    raised[tuple(sorted((*rest, bumped)))] += coefficient * count
            polynomial = raised
    parts: dict[MultiIndex, Tensor] = {}  # each partial of r built once, however often used
    total = None
    for monomial, coefficient in sorted(polynomial.items()):
        term = None
        for factor in monomial:
            if factor not in parts:
                parts[factor] = r_partial(factor)
            part = parts[factor]
            term = part if term is None else math_ops.multiply(term, part)
        if coefficient != 1:
            term = math_ops.multiply(term, float(coefficient))
        total = term if total is None else math_ops.add(total, term)
    return math_ops.multiply(math_ops.exp(r), total)


# -- incomplete gamma -----------------------------------------------------------------------
def _gamma_log_density(a: Tensor, x: Tensor) -> Tensor:
    """ρ = (a - 1) log x - x - log Γ(a), the log of ∂P/∂x."""
    return math_ops.subtract(
        math_ops.subtract(math_ops.multiply(math_ops.subtract(a, 1.0), math_ops.log(x)), x),
        lgamma(a),
    )


def _gamma_rho_partial(a: Tensor, x: Tensor, index: MultiIndex) -> Tensor:
    """∂ᵏρ/∂aᵏ: log x - ψ(a) for k = 1, -ψ⁽ᵏ⁻¹⁾(a) above."""
    (k,) = index
    if k == 1:
        return math_ops.subtract(math_ops.log(x), polygamma(0.0, a))
    return math_ops.negative(polygamma(float(k - 1), a))


def _igamma_x_derivative(op: Operation, order: int, *, log: bool, upper: bool) -> Tensor:
    """∂ᵏ/∂aᵏ of ∂F/∂x for F = P, Q, log P or log Q (k = ``order``), as graph ops."""
    a, x = op.inputs
    r = _gamma_log_density(a, x)
    if log:
        r = math_ops.subtract(r, (log_igammac if upper else log_igamma)(a, x))

    def r_partial(index: MultiIndex) -> Tensor:
        part = _gamma_rho_partial(a, x, index)
        if log:
            (k,) = index
            if k == order and op.type == "LogIgammaGradA":
                own = op.outputs[0]
            else:
                own = log_igamma_grad_a(a, x, k, upper=upper)
            part = math_ops.subtract(part, own)
        return part

    derivative = _derivative_of_exp((order,), r, r_partial)
    return math_ops.negative(derivative) if upper else derivative


def _gamma_grads(
    op: Operation,
    g: Tensor,
    needs: Sequence[bool],
    d_a: Callable[[], Tensor],
    d_x: Callable[[], Tensor],
) -> list[Any]:
    a, x = op.inputs
    return [
        unbroadcast(math_ops.multiply(g, d_a()), a) if needs[0] else None,
        unbroadcast(math_ops.multiply(g, d_x()), x) if needs[1] else None,
    ]


def _igamma_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    a, x = op.inputs
    sign = -1.0 if op.type == "Igammac" else 1.0
    return _gamma_grads(
        op,
        g,
        needs,
        lambda: math_ops.multiply(igamma_grad_a(a, x), sign),
        lambda: math_ops.multiply(math_ops.exp(_gamma_log_density(a, x)), sign),
    )


def _igamma_grad_a_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    a, x = op.inputs
    order = op.attrs["order"]
    return _gamma_grads(
        op,
        g,
        needs,
        lambda: igamma_grad_a(a, x, order + 1),
        lambda: _igamma_x_derivative(op, order, log=False, upper=False),
    )


def _log_igamma_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    a, x = op.inputs
    upper = op.type == "LogIgammac"
    r = math_ops.subtract(_gamma_log_density(a, x), op.outputs[0])
    return _gamma_grads(
        op,
        g,
        needs,
        lambda: log_igamma_grad_a(a, x, 1, upper=upper),
        lambda: math_ops.exp(r) if not upper else math_ops.negative(math_ops.exp(r)),
    )


def _log_igamma_grad_a_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    a, x = op.inputs
    order, upper = op.attrs["order"], op.attrs["upper"]
    return _gamma_grads(
        op,
        g,
        needs,
        lambda: log_igamma_grad_a(a, x, order + 1, upper=upper),
        lambda: _igamma_x_derivative(op, order, log=True, upper=upper),
    )


def _np_igamma(a: Any, x: Any) -> Any:
    return kernels._special().gammainc(a, x)


def _np_igammac(a: Any, x: Any) -> Any:
    return kernels._special().gammaincc(a, x)


IGAMMA = _register("Igamma", _np_igamma, _igamma_grad)
IGAMMAC = _register("Igammac", _np_igammac, _igamma_grad)
IGAMMA_GRAD_A = _register("IgammaGradA", kernels.igamma_grad_a, _igamma_grad_a_grad)
LOG_IGAMMA = _register("LogIgamma", kernels.log_igamma, _log_igamma_grad)
LOG_IGAMMAC = _register(
    "LogIgammac", functools.partial(kernels.log_igamma, upper=True), _log_igamma_grad
)
LOG_IGAMMA_GRAD_A = _register("LogIgammaGradA", kernels.log_igamma_grad_a, _log_igamma_grad_a_grad)


def igamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """P(a, x) = γ(a, x) / Γ(a), the regularized lower incomplete gamma function."""
    return make_op(IGAMMA, _convert(a, x), name)


def igammac(a: Any, x: Any, name: str | None = None) -> Tensor:
    """Q(a, x) = 1 - P(a, x), the regularized upper incomplete gamma function."""
    return make_op(IGAMMAC, _convert(a, x), name)


def igamma_grad_a(a: Any, x: Any, order: int = 1, name: str | None = None) -> Tensor:
    """∂ᵏP(a, x)/∂aᵏ (k = ``order``), computed numerically to nearly full precision."""
    return make_op(IGAMMA_GRAD_A, _convert(a, x), name, order=int(order))


def log_igamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """log P(a, x), accurate far in the left tail where P underflows and near P = 1."""
    return make_op(LOG_IGAMMA, _convert(a, x), name)


def log_igammac(a: Any, x: Any, name: str | None = None) -> Tensor:
    """log Q(a, x), accurate far in the right tail where Q underflows and near Q = 1."""
    return make_op(LOG_IGAMMAC, _convert(a, x), name)


def log_igamma_grad_a(
    a: Any, x: Any, order: int = 1, *, upper: bool = False, name: str | None = None
) -> Tensor:
    """∂ᵏ log P(a, x)/∂aᵏ, or of log Q when ``upper``."""
    return make_op(LOG_IGAMMA_GRAD_A, _convert(a, x), name, order=int(order), upper=bool(upper))


# -- incomplete beta ------------------------------------------------------------------------
def _beta_log_density(a: Tensor, b: Tensor, x: Tensor) -> Tensor:
    """ρ = (a - 1) log x + (b - 1) log(1 - x) - log B(a, b), the log of ∂I/∂x."""
    log_beta = math_ops.subtract(math_ops.add(lgamma(a), lgamma(b)), lgamma(math_ops.add(a, b)))
    return math_ops.subtract(
        math_ops.add(
            math_ops.multiply(math_ops.subtract(a, 1.0), math_ops.log(x)),
            math_ops.multiply(math_ops.subtract(b, 1.0), math_ops.log1p(math_ops.negative(x))),
        ),
        log_beta,
    )


def _beta_rho_partial(a: Tensor, b: Tensor, x: Tensor, index: MultiIndex) -> Tensor:
    """∂a^i ∂b^j ρ: first orders log x - ψ(a) + ψ(a+b) and log(1-x) - ψ(b) + ψ(a+b); above,
    ψ⁽ⁱ⁺ʲ⁻¹⁾(a+b) less ψ⁽ⁱ⁻¹⁾(a) when j = 0 and ψ⁽ʲ⁻¹⁾(b) when i = 0."""
    i, j = index
    n = i + j
    total = polygamma(float(n - 1), math_ops.add(a, b))
    if j == 0:
        total = math_ops.subtract(total, polygamma(float(i - 1), a))
    if i == 0:
        total = math_ops.subtract(total, polygamma(float(j - 1), b))
    if index == (1, 0):
        total = math_ops.add(total, math_ops.log(x))
    elif index == (0, 1):
        total = math_ops.add(total, math_ops.log1p(math_ops.negative(x)))
    return total


def _betainc_x_derivative(op: Operation, index: MultiIndex, *, log: bool) -> Tensor:
    """∂a^i ∂b^j of ∂F/∂x for F = I or log I, as graph ops."""
    a, b, x = op.inputs
    r = _beta_log_density(a, b, x)
    if log:
        r = math_ops.subtract(r, log_betainc(a, b, x))

    def r_partial(part_index: MultiIndex) -> Tensor:
        part = _beta_rho_partial(a, b, x, part_index)
        if log:
            if part_index == index and op.type == "LogBetaincGrad":
                own = op.outputs[0]
            else:
                own = log_betainc_grad(a, b, x, *part_index)
            part = math_ops.subtract(part, own)
        return part

    return _derivative_of_exp(index, r, r_partial)


def _beta_grads(
    op: Operation,
    g: Tensor,
    needs: Sequence[bool],
    d_a: Callable[[], Tensor],
    d_b: Callable[[], Tensor],
    d_x: Callable[[], Tensor],
) -> list[Any]:
    return [
        unbroadcast(math_ops.multiply(g, d()), t) if need else None
        for d, t, need in zip((d_a, d_b, d_x), op.inputs, needs, strict=True)
    ]


def _betainc_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    a, b, x = op.inputs
    log = op.type == "LogBetainc"
    partial = log_betainc_grad if log else betainc_grad
    r = _beta_log_density(a, b, x)
    if log:
        r = math_ops.subtract(r, op.outputs[0])
    return _beta_grads(
        op,
        g,
        needs,
        lambda: partial(a, b, x, 1, 0),
        lambda: partial(a, b, x, 0, 1),
        lambda: math_ops.exp(r),
    )


def _betainc_partial_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    a, b, x = op.inputs
    da, db = op.attrs["da"], op.attrs["db"]
    log = op.type == "LogBetaincGrad"
    partial = log_betainc_grad if log else betainc_grad
    return _beta_grads(
        op,
        g,
        needs,
        lambda: partial(a, b, x, da + 1, db),
        lambda: partial(a, b, x, da, db + 1),
        lambda: _betainc_x_derivative(op, (da, db), log=log),
    )


def _np_betainc(a: Any, b: Any, x: Any) -> Any:
    return kernels._special().betainc(a, b, x)


BETAINC = _register("Betainc", _np_betainc, _betainc_grad)
BETAINC_GRAD = _register("BetaincGrad", kernels.betainc_grad, _betainc_partial_grad)
LOG_BETAINC = _register("LogBetainc", kernels.log_betainc, _betainc_grad)
LOG_BETAINC_GRAD = _register("LogBetaincGrad", kernels.log_betainc_grad, _betainc_partial_grad)


def betainc(a: Any, b: Any, x: Any, name: str | None = None) -> Tensor:
    """I_x(a, b), the regularized incomplete beta function (the beta distribution's CDF)."""
    return make_op(BETAINC, _convert(a, b, x), name)


def betainc_grad(
    a: Any, b: Any, x: Any, da: int = 1, db: int = 0, name: str | None = None
) -> Tensor:
    """∂a^da ∂b^db I_x(a, b), computed numerically to nearly full precision."""
    return make_op(BETAINC_GRAD, _convert(a, b, x), name, da=int(da), db=int(db))


def log_betainc(a: Any, b: Any, x: Any, name: str | None = None) -> Tensor:
    """log I_x(a, b), accurate where I underflows (small x, large a) and near I = 1."""
    return make_op(LOG_BETAINC, _convert(a, b, x), name)


def log_betainc_grad(
    a: Any, b: Any, x: Any, da: int = 1, db: int = 0, name: str | None = None
) -> Tensor:
    """∂a^da ∂b^db log I_x(a, b)."""
    return make_op(LOG_BETAINC_GRAD, _convert(a, b, x), name, da=int(da), db=int(db))
