"""TF1-style variables: named state that a session holds and optimisers change.

``Variable(1.0, dtype=tf.float64, name="mu")`` adds the ops TF1 adds — ``mu`` (the variable),
``mu/initial_value``, ``mu/Assign`` (its initializer) and ``mu/read`` (the value arithmetic
uses) — and records itself in the graph's ``variables`` and ``trainable_variables`` collections.
"""

from __future__ import annotations

from typing import Any

from gaussfit.engine.default_session import session_or_default
from gaussfit.engine.dtypes import DType
from gaussfit.engine.graph import Graph, Operation, OperatorsMixin, Tensor, get_default_graph
from gaussfit.engine.ops import control_flow_ops, state_ops
from gaussfit.engine.ops.array_ops import cast, identity
from gaussfit.engine.ops.op_def import convert_to_tensor, make_op
from gaussfit.engine.shapes import TensorShape

GLOBAL_VARIABLES = "variables"
TRAINABLE_VARIABLES = "trainable_variables"


class Variable(OperatorsMixin):
    """A tensor-like handle to state; arithmetic on it reads its current value (``mu/read``)."""

    def __init__(
        self,
        initial_value: Any,
        dtype: Any = None,
        name: str | None = None,
        trainable: bool = True,
        collections: Any = None,
        validate_shape: bool = True,
        **unused: Any,
    ) -> None:
        graph = _graph_for(initial_value)
        with graph.as_default(), graph.name_scope(name or "Variable") as scope:
            if callable(initial_value):  # TF1 accepts a function (get_variable passes one)
                with graph.name_scope("Initializer"):
                    initial_value = initial_value()
            if isinstance(initial_value, Tensor) or hasattr(initial_value, "_as_tensor"):
                self.initial_value = convert_to_tensor(initial_value)
                if dtype is not None:
                    self.initial_value = cast(self.initial_value, dtype)
            else:
                self.initial_value = convert_to_tensor(
                    initial_value, dtype=dtype, name="initial_value"
                )
            self._ref = make_op(
                state_ops.VARIABLE,
                [],
                scope,
                dtype=self.initial_value.dtype,
                shape=self.initial_value.shape,
            )
            self.initializer: Operation = state_ops.assign(
                self._ref, self.initial_value, name="Assign"
            ).op
            self._snapshot = identity(self._ref, name="read")
        self.trainable = trainable
        keys = [GLOBAL_VARIABLES] if collections is None else list(collections)
        if trainable and TRAINABLE_VARIABLES not in keys:
            keys.append(TRAINABLE_VARIABLES)
        for key in keys:
            graph.add_to_collection(key, self)

    # -- identity -----------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._ref.name

    @property
    def op(self) -> Operation:
        return self._ref.op

    @property
    def graph(self) -> Graph:
        return self._ref.graph

    @property
    def dtype(self) -> DType:
        return self._ref.dtype

    @property
    def shape(self) -> TensorShape:
        return self._ref.shape

    def get_shape(self) -> TensorShape:
        return self._ref.shape

    # -- reading and writing ------------------------------------------------------------
    def value(self) -> Tensor:
        """The tensor arithmetic uses: the variable's value at the start of the ``run``."""
        return self._snapshot

    read_value = value

    def _as_tensor(self) -> Tensor:
        return self._snapshot

    def _as_graph_element(self) -> Tensor:
        return self._ref

    def assign(self, value: Any, name: str | None = None) -> Tensor:
        """An op that writes ``value`` (applied when its ``run`` ends) and yields it."""
        with self.graph.as_default():
            return state_ops.assign(self._ref, value, name=name)

    def assign_add(self, delta: Any, name: str | None = None) -> Tensor:
        with self.graph.as_default():
            return state_ops.assign_add(self._ref, delta, name=name)

    def assign_sub(self, delta: Any, name: str | None = None) -> Tensor:
        with self.graph.as_default():
            return state_ops.assign_sub(self._ref, delta, name=name)

    def load(self, value: Any, session: Any = None) -> None:
        """Write ``value`` now, without adding ops to the graph (TF1's ``Variable.load``)."""
        session_or_default(session)._load_variable(self, value)

    def eval(self, session: Any = None) -> Any:
        return session_or_default(session).run(self)

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}_ref>"

    __str__ = __repr__


def _graph_for(initial_value: Any) -> Graph:
    if isinstance(initial_value, Tensor):
        return initial_value.graph
    return get_default_graph()


def global_variables(graph: Graph | None = None) -> list[Variable]:
    return (graph or get_default_graph()).get_collection(GLOBAL_VARIABLES)


def trainable_variables(graph: Graph | None = None) -> list[Variable]:
    return (graph or get_default_graph()).get_collection(TRAINABLE_VARIABLES)


def variables_initializer(var_list: list[Variable], name: str = "init") -> Operation:
    """One op that runs the initializers of ``var_list``."""
    return control_flow_ops.group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer() -> Operation:
    """One op named ``init`` that initialises every variable of the default graph."""
    return variables_initializer(global_variables(), name="init")
