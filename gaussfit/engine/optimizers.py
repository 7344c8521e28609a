"""Optimisers in the style of ``tf.train``: gradient descent, momentum, Adagrad, RMSProp,
Adadelta and Adam.

``minimize(loss)`` is ``compute_gradients`` followed by ``apply_gradients``, which returns one
grouped op; running it performs one step and yields None (with ``global_step`` it also adds one
to that variable, after the updates). Each update is a single stateful op (as TF's
``ApplyMomentum`` and ``ApplyAdam`` kernels are), so a step reads every variable and slot as it
was at the start of the ``run`` and writes them all when it ends.

A hyper-parameter given as a Python float becomes a float32 constant cast to each variable's
dtype, as TF1's ``_prepare`` and ``_apply_dense`` do: a float64 program trains with
float32-rounded learning rates, and prints the same digits as TF1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gaussfit.engine import dtypes
from gaussfit.engine.gradients import gradients
from gaussfit.engine.graph import Operation, Tensor
from gaussfit.engine.ops import state_ops
from gaussfit.engine.ops.array_ops import cast
from gaussfit.engine.ops.control_flow_ops import group
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
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


def _np_apply_adagrad(var, accum, lr, grad):
    accum_new = np.add(accum, np.square(grad))
    new = np.subtract(var, np.multiply(np.multiply(grad, lr), np.divide(1, np.sqrt(accum_new))))
    return new, {0: new, 1: accum_new}


def _np_apply_rmsprop(var, ms, mom, lr, rho, momentum, epsilon, grad):
    ms_new = np.add(ms, np.multiply(np.subtract(np.square(grad), ms), np.subtract(1, rho)))
    mom_new = np.add(
        np.multiply(mom, momentum),
        np.divide(np.multiply(grad, lr), np.sqrt(np.add(ms_new, epsilon))),
    )
    new = np.subtract(var, mom_new)
    return new, {0: new, 1: ms_new, 2: mom_new}


def _np_apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad):
    accum_new = np.add(np.multiply(accum, rho), np.multiply(np.square(grad), np.subtract(1, rho)))
    update = np.multiply(
        np.multiply(
            np.sqrt(np.add(accum_update, epsilon)),
            np.divide(1, np.sqrt(np.add(accum_new, epsilon))),
        ),
        grad,
    )
    new = np.subtract(var, np.multiply(update, lr))
    update_new = np.add(
        np.multiply(accum_update, rho), np.multiply(np.square(update), np.subtract(1, rho))
    )
    return new, {0: new, 1: accum_new, 2: update_new}


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
APPLY_ADAGRAD = register(
    OpDef("ApplyAdagrad", _np_apply_adagrad, _first_shape, None, kind="stateful", ref_inputs=(0, 1))
)
APPLY_RMSPROP = register(
    OpDef(
        "ApplyRMSProp", _np_apply_rmsprop, _first_shape, None, kind="stateful", ref_inputs=(0, 1, 2)
    )
)
APPLY_ADADELTA = register(
    OpDef(
        "ApplyAdadelta",
        _np_apply_adadelta,
        _first_shape,
        None,
        kind="stateful",
        ref_inputs=(0, 1, 2),
    )
)
SCALE_POWER = register(
    OpDef("ScalePower", _np_scale_power, _first_shape, None, kind="stateful", ref_inputs=(0,))
)


class Optimizer:
    """Base class: turns a loss into update ops for a list of variables."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._slots: dict[str, dict[Variable, Variable]] = {}

    def compute_gradients(
        self,
        loss: Tensor,
        var_list: Sequence[Variable] | None = None,
        gate_gradients: Any = None,
        aggregation_method: Any = None,
        colocate_gradients_with_ops: bool = False,
        grad_loss: Any = None,
    ) -> list[tuple[Tensor | None, Variable]]:
        """Pairs (gradient, variable); all trainable variables when ``var_list`` is None."""
        variables = list(var_list) if var_list is not None else trainable_variables(loss.graph)
        if not variables:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, variables, grad_ys=grad_loss)
        return list(zip(grads, variables, strict=True))

    def minimize(
        self,
        loss: Tensor,
        global_step: Variable | None = None,
        var_list: Sequence[Variable] | None = None,
        gate_gradients: Any = None,
        aggregation_method: Any = None,
        colocate_gradients_with_ops: bool = False,
        name: str | None = None,
        grad_loss: Any = None,
    ) -> Operation:
        """One op that takes a descent step on ``loss`` (and adds one to ``global_step``)."""
        if isinstance(global_step, (list, tuple)):  # minimize(loss, var_list) positionally
            global_step, var_list = None, global_step
        pairs = self.compute_gradients(loss, var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in pairs):
            names = [v.name for _, v in pairs]
            raise ValueError(
                f"No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {names} and loss {loss!r}."
            )
        return self.apply_gradients(pairs, global_step=global_step, name=name)

    def apply_gradients(
        self,
        grads_and_vars: Sequence[tuple[Tensor | None, Variable]],
        global_step: Variable | None = None,
        name: str | None = None,
    ) -> Operation:
        """One grouped op applying every (gradient, variable) pair that has a gradient, then
        (ordered after the updates) adding one to ``global_step`` if given."""
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
                if global_step is None:
                    return group(*updates, name=scope)
                finished = group(*updates, name="update")
            with graph.control_dependencies([finished]):
                return state_ops.assign_add(global_step, 1, name=name or self._name).op

    def get_slot(self, var: Variable, name: str) -> Variable | None:
        """The optimiser's state variable ``name`` for ``var`` (None if it has none)."""
        return self._slots.get(name, {}).get(var)

    def get_slot_names(self) -> list[str]:
        return sorted(self._slots)

    def _create_slots(self, variables: list[Variable]) -> None:
        """Make the optimiser's per-variable state (none for plain gradient descent)."""

    def _slot(self, var: Variable, name: str, value: float = 0.0) -> Variable:
        """The slot ``name`` of ``var``, made on first use as ``<var>/<name>``."""
        slots = self._slots.setdefault(name, {})
        if var not in slots:
            slots[var] = _slot(var, name, value)
        return slots[var]

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        raise NotImplementedError

    def _finish(self) -> list[Any]:
        return []

    def _constant(self, value: Any, var: Variable, name: str) -> Tensor:
        """A hyper-parameter as TF1 uses it: a float32 tensor (a Python float rounded to
        float32) cast to the variable's dtype."""
        if isinstance(value, (Tensor, Variable)) or hasattr(value, "_as_tensor"):
            return cast(convert_to_tensor(value), var.dtype)
        return cast(convert_to_tensor(value, dtype=dtypes.float32, name=name), var.dtype)


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
        learning_rate: Any,
        momentum: Any,
        use_locking: bool = False,
        name: str = "Momentum",
        use_nesterov: bool = False,
    ) -> None:
        super().__init__(name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, variables: list[Variable]) -> None:
        for var in variables:
            self._slot(var, self._name)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        lr = self._constant(self._learning_rate, var, "learning_rate")
        momentum = self._constant(self._momentum, var, "momentum")
        accum = self._slot(var, self._name)
        return make_op(
            APPLY_MOMENTUM,
            [var._ref, accum._ref, lr, grad, momentum],
            "ApplyMomentum",
            use_nesterov=self._use_nesterov,
        )


class AdagradOptimizer(Optimizer):
    """accum += grad**2; var -= learning_rate * grad / sqrt(accum) (accum starts at 0.1)."""

    def __init__(
        self,
        learning_rate: Any,
        initial_accumulator_value: float = 0.1,
        use_locking: bool = False,
        name: str = "Adagrad",
    ) -> None:
        super().__init__(name)
        self._learning_rate = learning_rate
        self._initial = initial_accumulator_value

    def _create_slots(self, variables: list[Variable]) -> None:
        for var in variables:
            self._slot(var, self._name, self._initial)

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        lr = self._constant(self._learning_rate, var, "learning_rate")
        accum = self._slot(var, self._name)
        return make_op(APPLY_ADAGRAD, [var._ref, accum._ref, lr, grad], "ApplyAdagrad")


class RMSPropOptimizer(Optimizer):
    """ms += (grad**2 - ms) * (1 - decay); mom = momentum * mom + lr * grad / sqrt(ms + eps);
    var -= mom. As in TF1 the mean square ``ms`` starts at one."""

    def __init__(
        self,
        learning_rate: Any,
        decay: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-10,
        use_locking: bool = False,
        centered: bool = False,
        name: str = "RMSProp",
    ) -> None:
        if centered:
            raise NotImplementedError(
                "RMSPropOptimizer(centered=True) is not implemented in gaussfit.engine"
            )
        super().__init__(name)
        self._learning_rate, self._decay = learning_rate, decay
        self._momentum, self._epsilon = momentum, epsilon

    def _create_slots(self, variables: list[Variable]) -> None:
        for var in variables:
            self._slot(var, self._name, 1.0)
            self._slot(var, self._name + "_1")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        hyper = [
            self._constant(value, var, name)
            for value, name in (
                (self._learning_rate, "learning_rate"),
                (self._decay, "decay"),
                (self._momentum, "momentum"),
                (self._epsilon, "epsilon"),
            )
        ]
        ms, mom = self._slot(var, self._name), self._slot(var, self._name + "_1")
        return make_op(APPLY_RMSPROP, [var._ref, ms._ref, mom._ref, *hyper, grad], "ApplyRMSProp")


class AdadeltaOptimizer(Optimizer):
    """Zeiler's Adadelta: step sizes from running averages of squared gradients and updates."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-8,
        use_locking: bool = False,
        name: str = "Adadelta",
    ) -> None:
        super().__init__(name)
        self._learning_rate, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, variables: list[Variable]) -> None:
        for var in variables:
            self._slot(var, self._name)
            self._slot(var, self._name + "_1")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        lr, rho, epsilon = (
            self._constant(value, var, name)
            for value, name in (
                (self._learning_rate, "learning_rate"),
                (self._rho, "rho"),
                (self._epsilon, "epsilon"),
            )
        )
        accum, update = self._slot(var, self._name), self._slot(var, self._name + "_1")
        return make_op(
            APPLY_ADADELTA,
            [var._ref, accum._ref, update._ref, lr, rho, epsilon, grad],
            "ApplyAdadelta",
        )


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba) with TF's bias-corrected step size. As in TF1, the running powers
    of beta1 and beta2 are float32 variables, cast to each variable's dtype where used."""

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
        use_locking: bool = False,
        name: str = "Adam",
    ) -> None:
        super().__init__(name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon
        self._powers: tuple[Variable, Variable] | None = None

    def _create_slots(self, variables: list[Variable]) -> None:
        if self._powers is None:
            self._powers = (
                Variable(self._beta1, dtype=dtypes.float32, name="beta1_power", trainable=False),
                Variable(self._beta2, dtype=dtypes.float32, name="beta2_power", trainable=False),
            )
        for var in variables:
            self._slot(var, self._name)
            self._slot(var, self._name + "_1")

    def _apply_dense(self, grad: Tensor, var: Variable) -> Any:
        m, v = self._slot(var, self._name), self._slot(var, self._name + "_1")
        b1p, b2p = (cast(p.value(), var.dtype) for p in self._powers)  # type: ignore[union-attr]
        lr, beta1, beta2, epsilon = (
            self._constant(x, var, n)
            for x, n in (
                (self._lr, "learning_rate"),
                (self._beta1, "beta1"),
                (self._beta2, "beta2"),
                (self._epsilon, "epsilon"),
            )
        )
        return make_op(
            APPLY_ADAM,
            [var._ref, m._ref, v._ref, b1p, b2p, lr, beta1, beta2, epsilon, grad],
            "ApplyAdam",
        )

    def _finish(self) -> list[Any]:
        b1p, b2p = self._powers  # type: ignore[misc]
        return [
            make_op(SCALE_POWER, [b1p._ref, convert_to_tensor(self._beta1, b1p.dtype)], "mul"),
            make_op(SCALE_POWER, [b2p._ref, convert_to_tensor(self._beta2, b2p.dtype)], "mul_1"),
        ]


def _slot(var: Variable, suffix: str, value: float = 0.0) -> Variable:
    """A companion variable named ``<var>/<suffix>`` starting at ``value`` (TF's slots)."""
    from gaussfit.engine.ops.array_ops import fill, shape_of, zeros_like

    graph = var.graph
    with graph.name_scope(var.op.name + "/"):
        if value == 0.0:
            initial = zeros_like(var.initial_value)
        else:
            initial = fill(shape_of(var.initial_value), convert_to_tensor(value, var.dtype))
        return Variable(initial, name=suffix, trainable=False)
