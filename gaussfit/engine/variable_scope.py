"""Reusable components: ``variable_scope`` and ``get_variable`` (TF1's way to share weights).

A layer written as a function that calls ``get_variable("w", shape)`` inside
``variable_scope("layer")`` creates ``layer/w`` the first time; called again under
``variable_scope("layer", reuse=True)`` (or with ``reuse=tf.AUTO_REUSE`` every time) it gets the
same variable back, so two towers share their weights. Each graph keeps its own store of the
variables ``get_variable`` made, by full name. As in TF1, a variable scope also opens a name
scope (made unique: ``layer``, ``layer_1``) for the ops built inside it, while variable names
follow the variable scopes only.
"""

from __future__ import annotations

import contextlib
import enum
import weakref
from collections.abc import Iterator
from typing import Any

from gaussfit.engine import dtypes, init_ops
from gaussfit.engine.graph import Graph, get_default_graph
from gaussfit.engine.shapes import TensorShape
from gaussfit.engine.variables import Variable


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE
"""``reuse=tf.AUTO_REUSE``: get the variable if it exists, else create it."""


class VariableScope:
    """A scope for ``get_variable``: its name, whether it reuses, and defaults for variables
    created in it (initializer, dtype)."""

    def __init__(
        self,
        name: str,
        reuse: Any = None,
        initializer: Any = None,
        dtype: Any = None,
        name_scope: str = "",
    ) -> None:
        self.name = name
        self.reuse = reuse
        self.initializer = initializer
        self.dtype = dtype
        self.original_name_scope = name_scope

    def reuse_variables(self) -> None:
        """From now on ``get_variable`` in this scope returns existing variables."""
        self.reuse = True

    def set_initializer(self, initializer: Any) -> None:
        self.initializer = initializer

    def __repr__(self) -> str:
        return f"<VariableScope {self.name!r} reuse={self.reuse}>"


class _Store:
    """One graph's variables made by ``get_variable``, its scope stack and scope counts."""

    def __init__(self) -> None:
        self.variables: dict[str, Variable] = {}
        self.scopes: list[VariableScope] = [VariableScope("")]
        self.counts: dict[str, int] = {}


_STORES: weakref.WeakKeyDictionary[Graph, _Store] = weakref.WeakKeyDictionary()


def _store(graph: Graph | None = None) -> _Store:
    graph = graph or get_default_graph()
    store = _STORES.get(graph)
    if store is None:
        store = _STORES[graph] = _Store()
    return store


def get_variable_scope() -> VariableScope:
    """The innermost variable scope of the default graph."""
    return _store().scopes[-1]


@contextlib.contextmanager
def variable_scope(
    name_or_scope: str | VariableScope | None,
    default_name: str | None = None,
    values: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    custom_getter: Any = None,
    reuse: Any = None,
    dtype: Any = None,
    use_resource: Any = None,
    constraint: Any = None,
    auxiliary_name_scope: bool = True,
) -> Iterator[VariableScope]:
    """Open a variable scope (and a name scope) for the ops and variables made inside.

    ``reuse=True`` makes ``get_variable`` return existing variables (and fail for new ones);
    ``tf.AUTO_REUSE`` returns them when they exist and creates them otherwise; None inherits
    the enclosing scope's setting. Passing a ``VariableScope`` re-enters that scope.
    """
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    graph = get_default_graph()
    store = _store(graph)
    parent = store.scopes[-1]
    if isinstance(name_or_scope, VariableScope):
        full = name_or_scope.name
        base = name_or_scope
    else:
        if name_or_scope is None:
            prefix = f"{parent.name}/" if parent.name else ""
            count = store.counts.get(prefix + default_name, 0)  # type: ignore[operator]
            store.counts[prefix + default_name] = count + 1  # type: ignore[operator]
            name_or_scope = default_name if count == 0 else f"{default_name}_{count}"
        full = f"{parent.name}/{name_or_scope}" if parent.name else name_or_scope
        base = parent
    if reuse is None or reuse is False:
        reuse = True if parent.reuse is True else (base.reuse if base is not parent else None)
        if reuse is None and parent.reuse is AUTO_REUSE:
            reuse = AUTO_REUSE
    scope_name = full.rsplit("/", 1)[-1] if auxiliary_name_scope else None
    with graph.name_scope(scope_name) as opened:
        scope = VariableScope(
            full,
            reuse=reuse,
            initializer=initializer if initializer is not None else base.initializer,
            dtype=dtype if dtype is not None else base.dtype,
            name_scope=opened,
        )
        store.scopes.append(scope)
        try:
            yield scope
        finally:
            store.scopes.pop()


def _default_initializer(dtype: dtypes.DType) -> Any:
    """TF1's default: Glorot-uniform for floats, zeros for integers and booleans."""
    if dtype.is_floating:
        return init_ops.GlorotUniform()
    return init_ops.Zeros()


def get_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: bool | None = None,
    collections: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    validate_shape: bool = True,
    use_resource: Any = None,
    custom_getter: Any = None,
    constraint: Any = None,
    **unused: Any,
) -> Variable:
    """The variable ``<scope>/<name>``: the existing one when the scope reuses, else a new one
    started by ``initializer`` (the scope's, or Glorot-uniform for floats)."""
    scope = get_variable_scope()
    store = _store()
    full = f"{scope.name}/{name}" if scope.name else name
    existing = store.variables.get(full)
    if existing is not None:
        if scope.reuse is None or scope.reuse is False:
            raise ValueError(
                f"Variable {full} already exists, disallowed. Did you mean to set reuse=True "
                "or reuse=tf.AUTO_REUSE in VarScope?"
            )
        if shape is not None and not _same_shape(existing.shape, shape):
            raise ValueError(
                f"Trying to share variable {full}, but specified shape {TensorShape(shape)} and "
                f"found shape {existing.shape}."
            )
        return existing
    if scope.reuse is True:
        raise ValueError(
            f"Variable {full} does not exist, or was not created with tf.get_variable(). Did "
            "you mean to set reuse=tf.AUTO_REUSE in VarScope?"
        )
    dt = dtypes.as_dtype(dtype or scope.dtype or dtypes.float32)
    init = initializer if initializer is not None else scope.initializer
    if init is None:
        init = _default_initializer(dt)
    if isinstance(init, init_ops.Initializer) or (callable(init) and shape is not None):
        if shape is None:
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined")
        dims = [int(d) for d in TensorShape(shape).as_list()]  # type: ignore[arg-type]

        def initial_value() -> Any:
            return init(dims, dtype=dt)
    else:
        initial_value = init  # a tensor or a value; its shape is the variable's
    graph = get_default_graph()
    with graph.name_scope(None):
        variable = Variable(
            initial_value,
            dtype=dt,
            name=full,
            trainable=True if trainable is None else trainable,
            collections=collections,
        )
    store.variables[full] = variable
    return variable


def _same_shape(found: TensorShape, asked: Any) -> bool:
    wanted = TensorShape(asked)
    return found.dims is None or wanted.dims is None or found.dims == wanted.dims
