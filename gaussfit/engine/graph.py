"""Graphs, operations and tensors: the declarative program itself.

Building a graph evaluates nothing. Each ``Operation`` records its type, its input tensors and
its attributes; each ``Tensor`` is a handle to one output of an operation, carrying the static
dtype and shape that are known before anything runs. A ``Session`` later walks the operations a
fetch needs and computes them.

Names follow TF1 so that printed tensors read like the lab's: a name is made unique within its
graph by appending ``_1``, ``_2``, ... and, as TF 1.15 does, names are compared without regard to
case (``Pow`` then ``pow`` gives ``pow_1``).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from gaussfit.engine import export
from gaussfit.engine.default_session import session_or_default
from gaussfit.engine.dtypes import DType
from gaussfit.engine.shapes import TensorShape, merge_shapes

if TYPE_CHECKING:
    from gaussfit.engine.ops.op_def import OpDef


class Graph:
    """A container of operations with TF1's naming rules and collections."""

    def __init__(self) -> None:
        self._operations: list[Operation] = []
        self._by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._scope = ""
        self._control_dependencies: list[list[Operation]] = []
        self._collections: dict[str, list[Any]] = {}
        self._ids = itertools.count()
        self.seed: int | None = None  # the graph-level random seed (``set_random_seed``)

    # -- naming ---------------------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` inside the current scope, suffixed ``_k`` if already taken (TF's rule)."""
        if self._scope:
            name = self._scope + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base = name
            while key in self._names_in_use:
                name = f"{base}_{count}"
                key = name.lower()
                count += 1
            if mark_as_used:
                self._names_in_use[key] = 1
        return name

    @contextlib.contextmanager
    def name_scope(self, name: str | None) -> Iterator[str]:
        """Open a scope; yields its prefix (``"outer/"``). A name ending in ``/`` re-enters."""
        old = self._scope
        if not name:
            new = ""
        elif name.endswith("/"):
            new = name
        else:
            new = self.unique_name(name) + "/"
        self._scope = new
        try:
            yield new
        finally:
            self._scope = old

    @property
    def current_scope(self) -> str:
        return self._scope

    # -- nesting (cond and while_loop branches are graphs inside a graph) ------------------
    outer: Graph | None = None

    def encloses(self, other: Graph) -> bool:
        """Whether ``other`` is this graph or one it is nested in."""
        graph: Graph | None = self
        while graph is not None:
            if graph is other:
                return True
            graph = graph.outer
        return False

    def capture(self, tensor: Tensor) -> Tensor:
        """The tensor ops of this graph use for ``tensor`` (itself, in a top-level graph)."""
        return tensor

    # -- default graph ------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator[Graph]:
        """Make this graph the default for ops created inside the ``with`` block."""
        _DEFAULT_STACK.append(self)
        try:
            yield self
        finally:
            _DEFAULT_STACK.pop()

    @contextlib.contextmanager
    def control_dependencies(self, ops: list[Any]) -> Iterator[None]:
        """Ops created inside the block run only after ``ops`` (tensors stand for their op)."""
        self._control_dependencies.append([_op_of(o) for o in ops])
        try:
            yield
        finally:
            self._control_dependencies.pop()

    # -- building -------------------------------------------------------------------------
    def create_op(
        self,
        op_def: OpDef,
        inputs: list[Tensor],
        name: str,
        attrs: dict[str, Any],
        dtype: DType,
        shape: TensorShape,
        control_inputs: list[Operation] = (),  # type: ignore[assignment]
    ) -> Operation:
        """Add one operation; ``name`` ending in ``/`` is a scope already made unique."""
        name = name[:-1] if name.endswith("/") else self.unique_name(name)
        controls = [op for deps in self._control_dependencies for op in deps]
        controls.extend(control_inputs)
        op = Operation(self, next(self._ids), name, op_def, tuple(inputs), attrs, tuple(controls))
        op.outputs = (Tensor(op, 0, dtype, shape),) if op_def.has_output else ()
        self._operations.append(op)
        self._by_name[name] = op
        return op

    # -- lookup ---------------------------------------------------------------------------
    def get_operations(self) -> list[Operation]:
        return list(self._operations)

    def get_operation_by_name(self, name: str) -> Operation:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.") from None

    def get_tensor_by_name(self, name: str) -> Tensor:
        op_name, _, index = name.partition(":")
        if not index:
            raise ValueError(
                f"The name '{name}' looks like an Operation name; "
                f"Tensor names look like '{name}:0'."
            )
        op = self.get_operation_by_name(op_name)
        try:
            return op.outputs[int(index)]
        except (IndexError, ValueError):
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist.") from None

    def as_graph_element(self, obj: Any) -> Tensor | Operation:
        """Resolve a fetch (tensor, op, variable or name) to a tensor or op of this graph."""
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        element = getattr(obj, "_as_graph_element", None)
        if element is not None:
            obj = element()
        if isinstance(obj, (Tensor, Operation)):
            if obj.graph is not self:
                raise ValueError(f"{obj!r} is not an element of this graph.")
            return obj
        raise TypeError(
            f"Fetch argument {obj!r} has invalid type {type(obj).__name__}, must be a string or "
            f"Tensor. (Can not convert a {type(obj).__name__} into a Tensor or Operation.)"
        )

    # -- collections ----------------------------------------------------------------------
    def add_to_collection(self, key: str, value: Any) -> None:
        self._collections.setdefault(key, []).append(value)

    def get_collection(self, key: str) -> list[Any]:
        return list(self._collections.get(key, []))

    def __len__(self) -> int:
        return len(self._operations)

    # -- viewing ---------------------------------------------------------------------------
    def as_graph_def(self) -> dict[str, Any]:
        """The graph as a GraphDef-like dict (nodes with name, op, input, dtype, shape)."""
        return export.as_graph_def(self)

    def to_dot(self, title: str | None = None) -> str:
        """Graphviz DOT source for the graph, name scopes drawn as clusters."""
        return export.to_dot(self, title)


class Operation:
    """One node of the graph: an op type applied to input tensors with fixed attributes."""

    __slots__ = ("_id", "attrs", "control_inputs", "graph", "inputs", "name", "op_def", "outputs")

    def __init__(
        self,
        graph: Graph,
        op_id: int,
        name: str,
        op_def: OpDef,
        inputs: tuple[Tensor, ...],
        attrs: dict[str, Any],
        control_inputs: tuple[Operation, ...],
    ) -> None:
        self.graph = graph
        self._id = op_id
        self.name = name
        self.op_def = op_def
        self.inputs = inputs
        self.attrs = attrs
        self.control_inputs = control_inputs
        self.outputs: tuple[Tensor, ...] = ()

    @property
    def type(self) -> str:
        return self.op_def.type

    def run(self, feed_dict: dict | None = None, session: Any = None) -> None:
        """Run this op in ``session`` (or the default session), as TF1's ``Operation.run``."""
        session_or_default(session).run(self, feed_dict)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"

    def __lt__(self, other: Operation) -> bool:
        return self._id < other._id


_OPERATORS: dict[str, Callable[..., Any]] = {}


def register_operators(**functions: Callable[..., Any]) -> None:
    """Bind Python operators to op functions; the op library calls this when it is imported
    (as TF1's ``math_ops`` overrides ``Tensor``'s operators), so this module needs no import
    of the library that imports it."""
    _OPERATORS.update(functions)


class OperatorsMixin:
    """Python operators that build graph ops; shared by tensors and variables.

    As in TF1, an operator names its op with a lowercase scope (``+`` is ``add``, ``*`` is
    ``mul``) while the function names it after its type (``tf.add`` is ``Add``).
    """

    __slots__ = ()

    # numpy must not take ``array - tensor`` elementwise (an object array of tensors): with
    # this, ndarray's operators return NotImplemented and Python calls ``tensor.__rsub__``.
    __array_ufunc__ = None

    def __add__(self, other):
        return _OPERATORS["add"](self, other)

    def __radd__(self, other):
        return _OPERATORS["add"](other, self)

    def __sub__(self, other):
        return _OPERATORS["sub"](self, other)

    def __rsub__(self, other):
        return _OPERATORS["sub"](other, self)

    def __mul__(self, other):
        return _OPERATORS["mul"](self, other)

    def __rmul__(self, other):
        return _OPERATORS["mul"](other, self)

    def __truediv__(self, other):
        return _OPERATORS["truediv"](self, other)

    def __rtruediv__(self, other):
        return _OPERATORS["truediv"](other, self)

    def __floordiv__(self, other):
        return _OPERATORS["floordiv"](self, other)

    def __rfloordiv__(self, other):
        return _OPERATORS["floordiv"](other, self)

    def __mod__(self, other):
        return _OPERATORS["mod"](self, other)

    def __rmod__(self, other):
        return _OPERATORS["mod"](other, self)

    def __pow__(self, other):
        return _OPERATORS["pow"](self, other)

    def __rpow__(self, other):
        return _OPERATORS["pow"](other, self)

    def __matmul__(self, other):
        return _OPERATORS["matmul"](self, other)

    def __rmatmul__(self, other):
        return _OPERATORS["matmul"](other, self)

    def __neg__(self):
        return _OPERATORS["neg"](self)

    def __abs__(self):
        return _OPERATORS["abs"](self)

    def __lt__(self, other):
        return _OPERATORS["less"](self, other)

    def __le__(self, other):
        return _OPERATORS["less_equal"](self, other)

    def __gt__(self, other):
        return _OPERATORS["greater"](self, other)

    def __ge__(self, other):
        return _OPERATORS["greater_equal"](self, other)

    def __getitem__(self, key):
        return _OPERATORS["getitem"](self, key)

    def __bool__(self) -> bool:
        raise TypeError(
            "Using a tf.Tensor as a Python bool is not allowed: the graph has not run yet. "
            "Use tf.where or compute the value with Session.run."
        )

    def __iter__(self):
        raise TypeError("Tensor objects are only iterable when eager execution is enabled.")

    __hash__ = object.__hash__


class Tensor(OperatorsMixin):
    """A symbolic handle to one output of an operation; its value exists only inside ``run``."""

    __slots__ = ("dtype", "op", "shape", "value_index")

    def __init__(self, op: Operation, value_index: int, dtype: DType, shape: TensorShape) -> None:
        self.op = op
        self.value_index = value_index
        self.dtype = dtype
        self.shape = shape

    @property
    def name(self) -> str:
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self) -> Graph:
        return self.op.graph

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape: Any) -> None:
        """Narrow the static shape with what the caller knows (TF1's ``set_shape``)."""
        self.shape = merge_shapes(self.shape, TensorShape(shape) if shape is not None else None)

    def eval(self, feed_dict: dict | None = None, session: Any = None) -> Any:
        """Compute this tensor in ``session`` (or the default session), as TF1's ``eval``."""
        return session_or_default(session).run(self, feed_dict)

    def __str__(self) -> str:
        shape = f", shape={self.shape}" if self.shape.dims is not None else ""
        return f'Tensor("{self.name}"{shape}, dtype={self.dtype.name})'

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__


def _op_of(obj: Any) -> Operation:
    if isinstance(obj, Operation):
        return obj
    if isinstance(obj, Tensor):
        return obj.op
    element = getattr(obj, "_as_graph_element", None)
    if element is not None:
        return _op_of(element())
    raise TypeError(f"Can not use {obj!r} as a control dependency")


_DEFAULT_STACK: list[Graph] = []
_GLOBAL_DEFAULT = [Graph()]


def get_default_graph() -> Graph:
    """The graph new ops go into: the innermost ``as_default()`` graph, else the global one."""
    return _DEFAULT_STACK[-1] if _DEFAULT_STACK else _GLOBAL_DEFAULT[0]


def reset_default_graph() -> None:
    """Replace the global default graph with an empty one (TF1's ``reset_default_graph``)."""
    if _DEFAULT_STACK:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    _GLOBAL_DEFAULT[0] = Graph()


def name_scope(name: str | None, default_name: str | None = None, values: Any = None):
    """Open a name scope in the default graph (TF1's ``tf.name_scope``)."""
    return get_default_graph().name_scope(name or default_name)


def control_dependencies(ops: list[Any]):
    """``tf.control_dependencies`` on the default graph."""
    return get_default_graph().control_dependencies(ops)
