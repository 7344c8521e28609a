"""Optimisers in the style of ``tf.train``: gradient descent, momentum and Adam.

``minimize(loss)`` is ``compute_gradients`` followed by ``apply_gradients``, which returns one
grouped op; running it performs one step and yields None. Each update is a single stateful op
(as TF's ``ApplyMomentum`` and ``ApplyAdam`` kernels are), so a step reads every variable and
slot as it was at the start of the ``run`` and writes them all when it ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine.gradients import gradients
from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
from gaussfit.engine.ops.state_ops import group
from gaussfit.engine.variables import Variable, trainable_variables


def _np_apply_gd(var: np.ndarray, lr: np.ndarray, grad: np.ndarray):
    new = np.subtract(var, np.multiply(lr, grad))
    return new, {0: new}


def _np_apply_momentum(var, accum, lr, grad, momentum, use_nesterov: bool):
    accum_new = np.add(np.multiply(accum, momentum), grad)
    step = (
        np.add(np.multiply(grad, lr), np.multiply(accum_new, np.multiply(momentum, lr)))
        if (use_nesterov)
        else np.multiply(accum_new, lr)
    )
    new = np.subtract(var, step)
    return new, {0: new, 1: accum_new}


def _np_apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    # TF's ApplyAdam: the bias corrections are folded into the step size.
    m_new = np.add(m, np.multiply(np.subtract(grad, m), 1 - beta1))
    v_new = np.add(v, np.multiply(np.subtract(np.square(grad), v), 1 - beta2))
    alpha = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    new = np.subtract(var, np.divide(np.multiply(m_new, alpha), np.add(np.sqrt(v_new), epsilon)))
    return new, {0: new, 1: m_new, 2: v_new}


def _np_scale_power(power, beta):
    new = np.multiply(power, beta)
    return new, {0: new}


def _first_shape(shapes, attrs):
    return shapes[0]


APPLY_GD = register(
    OpDef(
        "ApplyGradientDescent", _np_apply_gd, _first_shape, None, kind="stateful", ref_inputs=(0,)
    )
)
APPLY_MOMENTUM = register(
    OpDef(
        "ApplyMomentum", _np_apply_momentum, _first_shape, None, kind="stateful", ref_inputs=(0, 1)
    )
)
APPLY_ADAM = register(
    OpDef("ApplyAdam", _np_apply_adam, _first_shape, None, kind="stateful", ref_inputs=(0, 1, 2))
)
SCALE_POWER = register(
    OpDef("ScalePower", _np_scale_power, _first_shape, None, kind="stateful", ref_inputs=(0,))
)


class Optimizer:
    """Base class: turns a loss into update ops for a list of variables."""

    def __init__(self, name: str) -> None:
        self._name = name

    def compute_gradients(
        self, loss: Tensor, var_list: Sequence[Variable] | None = None
    ) -> list[tuple[Tensor | None, Variable]]:
        """Pairs (gradient, variable); all trainable variables when ``var_list`` is None."""
        variables = list(var_list) if var_list is not None else trainable_variables(loss.graph)
        if not variables:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, variables)
        return list(zip(grads, variables, strict=True))

    def minimize(
        self, loss: Tensor, var_list: Sequence[Variable] | None = None, name: str | None = None
    ) -> Operation:
        """One op that takes a descent step on ``loss``."""
        pairs = self.compute_gradients(loss, var_list)
        if all(g is None for g, _ in pairs):
            names = [v.name for _, v in pairs]
            raise ValueError(
                f"No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {names} and loss {loss!r}."
            )
        return self.apply_gradients(pairs, name=name)

    def apply_gradients(
        self, grads_and_vars: Sequence[tuple[Tensor | None, Variable]], name: str | None = None
    ) -> Operation:
        """One grouped op applying every (gradient, variable) pair that has a gradient."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable.")
        graph = pairs[0][1].graph
        with graph.as_default():
            self._create_slots([v for _, v in pairs])
            with graph.name_scope(name or self._name) as scope:
                updates = []
                for grad, var in pairs:
                    with graph.name_scope("update_" + var.op.name):
                        updates.append(self._apply_dense(grad, var))
                updates.extend(self._finish())
                return group(*updates, name=scope)

    def _create_slots(self, variables: list[Variable]) -> None:
        """Make the optimiser's per-variable state (none for plain gradient descent)."""

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        raise NotImplementedError

    def _finish(self) -> list[Any]:
        return []

    def _constant(self, value: Any, var: Variable, name: str) -> Tensor:
        """A hyper-parameter converted to the variable's dtype, as TF does."""
        return convert_to_tensor(value, dtype=var.dtype, name=name)


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * grad."""

    def __init__(
        self, learning_rate: float, use_locking: bool = False, name: str = "GradientDescent"
    ) -> None:
        super().__init__(name)
        self._learning_rate = learning_rate

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        lr = self._constant(self._learning_rate, var, "learning_rate")
        return make_op(APPLY_GD, [var._ref, lr, grad], "ApplyGradientDescent")


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + grad; var -= learning_rate * accum (or the Nesterov form)."""

    def __init__(
        self,
        learning_rate: float,
        momentum: float,
        use_locking: bool = False,
        name: str = "Momentum",
        use_nesterov: bool = False,
    ) -> None:
        super().__init__(name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov
        self._slots: dict[Variable, Variable] = {}

    def _create_slots(self, variables: list[Variable]) -> None:
        for var in variables:
            if var not in self._slots:
                self._slots[var] = _slot(var, self._name)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        lr = self._constant(self._learning_rate, var, "learning_rate")
        momentum = self._constant(self._momentum, var, "momentum")
        accum = self._slots[var]
        return make_op(
            APPLY_MOMENTUM,
            [var._ref, accum._ref, lr, grad, momentum],
            "ApplyMomentum",
            use_nesterov=self._use_nesterov,
        )


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba) with TF's bias-corrected step size."""

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
        use_locking: bool = False,
        name: str = "Adam",
    ) -> None:
        super().__init__(name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon
        self._slots: dict[Variable, tuple[Variable, Variable]] = {}
        self._powers: tuple[Variable, Variable] | None = None

    def _create_slots(self, variables: list[Variable]) -> None:
        if self._powers is None:
            first = variables[0]
            self._powers = (
                Variable(self._beta1, dtype=first.dtype, name="beta1_power", trainable=False),
                Variable(self._beta2, dtype=first.dtype, name="beta2_power", trainable=False),
            )
        for var in variables:
            if var not in self._slots:
                self._slots[var] = (_slot(var, self._name), _slot(var, self._name + "_1"))

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        m, v = self._slots[var]
        b1p, b2p = self._powers  # type: ignore[misc]
        hyper = [
            self._constant(x, var, n)
            for x, n in (
                (self._lr, "learning_rate"),
                (self._beta1, "beta1"),
                (self._beta2, "beta2"),
                (self._epsilon, "epsilon"),
            )
        ]
        lr, beta1, beta2, epsilon = hyper
        return make_op(
            APPLY_ADAM,
            [var._ref, m._ref, v._ref, b1p.value(), b2p.value(), lr, beta1, beta2, epsilon, grad],
            "ApplyAdam",
        )

    def _finish(self) -> list[Any]:
        b1p, b2p = self._powers  # type: ignore[misc]
        return [
            make_op(SCALE_POWER, [b1p._ref, convert_to_tensor(self._beta1, b1p.dtype)], "mul"),
            make_op(SCALE_POWER, [b2p._ref, convert_to_tensor(self._beta2, b2p.dtype)], "mul_1"),
        ]


def _slot(var: Variable, suffix: str) -> Variable:
    """A zero-initialised companion variable named ``<var>/<suffix>`` (TF's slot naming)."""
    from gaussfit.engine.ops.array_ops import zeros_like

    graph = var.graph
    with graph.name_scope(var.op.name + "/"):
        return Variable(zeros_like(var.initial_value), name=suffix, trainable=False)
