"""Running a graph: ``Session.run`` with TF1's semantics.

``run`` flattens any nesting of fetches, builds (once per fetches-and-feed-keys, then cached) a
plan holding only the ops those fetches need in dependency order, executes it with numpy, and
rebuilds the nesting around the results. Every value is computed once per ``run`` however many
fetches share it, so a loss and its gradient share their forward pass. Variable reads see the
values from the start of the ``run``; writes land when it ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np

from gaussfit.engine import errors
from gaussfit.engine.graph import Graph, Operation, Tensor, get_default_graph
from gaussfit.engine.scalars import as_scalar

_PURE, _STATEFUL, _NOOP = 0, 1, 2


class _Plan:
    """What one (fetches, feed keys) pair needs: ordered steps over numbered value slots."""

    __slots__ = ("feed_slots", "fetch_slots", "steps", "template", "var_reads")

    def __init__(self) -> None:
        self.steps: list[tuple[int, Operation, Callable[..., Any], tuple[int, ...], int, dict]] = []
        self.template: list[Any] = []
        self.feed_slots: dict[Tensor, int] = {}
        self.fetch_slots: list[int | None] = []
        self.var_reads: list[tuple[Operation, int, bool]] = []


class Session:
    """Holds variable values and runs a graph's ops (TF1's ``tf.Session``)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        if isinstance(target, Graph):  # Session(graph) positional, a common slip
            graph, target = target, ""
        self.graph = graph if graph is not None else get_default_graph()
        self._variables: dict[Operation, np.ndarray] = {}
        self._plans: dict[tuple, _Plan] = {}
        self._closed = False
        self._default_context: Any = None

    # -- lifetime ---------------------------------------------------------------------------
    def __enter__(self) -> Session:
        self._default_context = _as_default_session(self)
        self._default_context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._default_context.__exit__(*exc)
        self._default_context = None
        self.close()

    def as_default(self):
        """Make this session the one ``Tensor.eval`` and ``Operation.run`` use."""
        return _as_default_session(self)

    def close(self) -> None:
        self._closed = True
        self._variables.clear()
        self._plans.clear()

    # -- running ----------------------------------------------------------------------------
    def run(
        self,
        fetches: Any,
        feed_dict: dict | None = None,
        options: Any = None,
        run_metadata: Any = None,
    ) -> Any:
        """Evaluate ``fetches`` (a tensor, op, name, or nested list/tuple/dict of them)."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        leaves: list[Tensor | Operation] = []
        rebuild = _flatten(fetches, leaves, self.graph)
        feeds = self._convert_feeds(feed_dict or {})
        plan = self._plan(tuple(leaves), frozenset(feeds))
        results = self._execute(plan, feeds)
        return rebuild(results)

    def _plan(self, leaves: tuple, feed_keys: frozenset) -> _Plan:
        key = (leaves, feed_keys)
        plan = self._plans.get(key)
        if plan is None:
            plan = _build_plan(leaves, feed_keys)
            self._plans[key] = plan
        return plan

    def _execute(self, plan: _Plan, feeds: dict[Tensor, Any]) -> list[Any]:
        values = list(plan.template)
        for tensor, slot in plan.feed_slots.items():
            values[slot] = feeds[tensor]
        for var_op, slot, required in plan.var_reads:
            value = self._variables.get(var_op)
            if value is None and required:
                raise errors.FailedPreconditionError(
                    f"Attempting to use uninitialized value {var_op.name}", var_op
                )
            values[slot] = value
        writes: list[tuple[Operation, np.ndarray]] = []
        step = None
        try:
            with np.errstate(all="ignore"):
                for step in plan.steps:
                    kind, op, fn, inputs, out, attrs = step
                    if kind == _PURE:
                        values[out] = fn(*[values[i] for i in inputs], **attrs)
                    elif kind == _STATEFUL:
                        values[out], changed = fn(*[values[i] for i in inputs], **attrs)
                        writes.extend((op.inputs[i].op, v) for i, v in changed.items())
        except errors.OpError:
            raise
        except Exception as exc:  # a numpy failure inside one op: name the op, as TF does
            op = step[1] if step is not None else None
            where = f" [[node {op.name} ({op.type})]]" if op is not None else ""
            raise errors.InvalidArgumentError(f"{exc}{where}", op) from exc
        for var_op, value in writes:
            self._variables[var_op] = _private_copy(value, var_op.outputs[0].dtype.numpy)
        return [None if slot is None else _output(values[slot]) for slot in plan.fetch_slots]

    # -- feeds ------------------------------------------------------------------------------
    def _convert_feeds(self, feed_dict: dict) -> dict[Tensor, Any]:
        feeds: dict[Tensor, Any] = {}
        for key, value in feed_dict.items():
            tensor = _feed_key(key, self.graph)
            feeds[tensor] = _feed_value(tensor, value)
        return feeds

    def _load_variable(self, variable: Any, value: Any) -> None:
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        self._variables[variable.op] = _private_copy(
            _feed_value(variable._ref, value), variable.dtype.numpy
        )


def _private_copy(value: Any, dtype: type) -> np.ndarray:
    """A variable's value as the session keeps it: a read-only copy, so that neither the array
    it came from nor a fetched result (which ``_output`` copies) can change it afterwards."""
    array = np.array(value, dtype=dtype)
    array.setflags(write=False)
    return array


def _flatten(fetches: Any, leaves: list, graph: Graph) -> Callable[[list], Any]:
    """Collect the leaves of a nested fetch and return a function that rebuilds the nesting."""
    if isinstance(fetches, (list, tuple)):
        parts = [_flatten(f, leaves, graph) for f in fetches]
        if isinstance(fetches, tuple) and hasattr(fetches, "_fields"):
            return lambda r: type(fetches)(*[p(r) for p in parts])
        kind = type(fetches)
        return lambda r: kind(p(r) for p in parts)
    if isinstance(fetches, dict):
        items = [(k, _flatten(v, leaves, graph)) for k, v in fetches.items()]
        kind = type(fetches)
        return lambda r: kind((k, p(r)) for k, p in items)
    if fetches is None:
        raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
    element = graph.as_graph_element(fetches)
    index = len(leaves)
    leaves.append(element)
    return lambda r: r[index]


def _feed_key(key: Any, graph: Graph) -> Tensor:
    try:
        element = graph.as_graph_element(key)
    except (KeyError, TypeError, ValueError) as exc:
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {exc.args[0]}") from None
    if not isinstance(element, Tensor):
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {key!r} is an Operation")
    return element


def _feed_value(tensor: Tensor, value: Any) -> Any:
    """Convert a fed value to the tensor's dtype (no copy when it already fits) and check it."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        raise TypeError(
            "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
            "Python scalars, strings, lists, numpy ndarrays, or TensorHandles. "
            f"(fed to {tensor.name!r})"
        )
    target = tensor.dtype.numpy
    if _is_foreign_array(value):
        array = value if value.dtype == target else value.astype(target)
    else:
        raw = np.asarray(value)
        if raw.dtype.kind in "OSUV" or (
            tensor.dtype.is_integer and raw.dtype.kind == "f" and not np.all(np.mod(raw, 1) == 0)
        ):
            raise TypeError(
                f"Cannot feed value of dtype {raw.dtype} to tensor {tensor.name!r} of dtype "
                f"{tensor.dtype.name}"
            )
        array = np.asarray(raw, dtype=target)
    if not tensor.shape.is_compatible_with(tuple(np.shape(array))):
        raise ValueError(
            f"Cannot feed value of shape {tuple(np.shape(array))} for Tensor '{tensor.name}', "
            f"which has shape '{tensor.shape}'"
        )
    return array


def _is_foreign_array(value: Any) -> bool:
    """Another array library's array (e.g. Dask): evaluated through numpy's dispatch."""
    return (
        not isinstance(value, np.ndarray)
        and hasattr(value, "__array_function__")
        and hasattr(value, "dtype")
        and hasattr(value, "shape")
    )


def _output(value: Any) -> Any:
    if isinstance(value, (np.ndarray, np.generic)):
        if np.ndim(value) == 0:
            return as_scalar(value)
        if isinstance(value, np.ndarray) and not value.flags.writeable:
            return np.array(value)
    return value


def _build_plan(leaves: tuple, feed_keys: frozenset) -> _Plan:
    """Order the ops the fetches need (inputs before users), stopping at fed tensors."""
    plan = _Plan()
    slots: dict[Tensor, int] = {}
    order: list[Operation] = []
    seen: set[Operation] = set()
    roots = [leaf.op if isinstance(leaf, Tensor) else leaf for leaf in leaves]
    for tensor in feed_keys:
        slots[tensor] = len(plan.template)
        plan.template.append(None)
        plan.feed_slots[tensor] = slots[tensor]
    stack: list[tuple[Operation, bool]] = [(op, False) for op in reversed(roots)]
    while stack:
        op, expanded = stack.pop()
        if expanded:
            order.append(op)
            continue
        if op in seen or (op.outputs and op.outputs[0] in feed_keys):
            continue
        seen.add(op)
        stack.append((op, True))
        for dep in reversed(op.control_inputs):
            stack.append((dep, False))
        for tensor in reversed(op.inputs):
            if tensor not in feed_keys:
                stack.append((tensor.op, False))
    required: dict[Operation, bool] = {}
    for op in order:
        kind = op.op_def.kind
        out = -1
        if op.outputs:
            out = len(plan.template)
            slots[op.outputs[0]] = out
            plan.template.append(None)
        if kind == "const":
            plan.template[out] = op.attrs["value"]
            continue
        if kind == "placeholder":
            shape = op.outputs[0].shape
            extra = f" and shape {shape.as_list()}" if shape.is_fully_defined else ""
            raise errors.InvalidArgumentError(
                f"You must feed a value for placeholder tensor '{op.name}' with dtype "
                f"{op.outputs[0].dtype.message_name}{extra}",
                op,
            )
        if kind == "variable":
            required.setdefault(op, False)
            continue
        for index, tensor in enumerate(op.inputs):
            if tensor.op.op_def.kind == "variable" and not (index == 0 and op.type == "Assign"):
                required[tensor.op] = True
        inputs = tuple(slots[t] for t in op.inputs)
        code = {"pure": _PURE, "stateful": _STATEFUL, "noop": _NOOP}[kind]
        if code != _NOOP:
            plan.steps.append((code, op, op.op_def.forward, inputs, out, op.attrs))  # type: ignore[arg-type]
    for leaf in leaves:
        if isinstance(leaf, Tensor):
            plan.fetch_slots.append(slots[leaf])
            if leaf.op.op_def.kind == "variable":
                required[leaf.op] = True
        else:
            plan.fetch_slots.append(None)
    plan.var_reads = [  # a fed variable is read from its feed, like any fed tensor
        (op, slots[op.outputs[0]], req)
        for op, req in required.items()
        if op.outputs[0] not in feed_keys
    ]
    plan.steps = [
        (k, op, fn, ins, out, _forward_attrs(attrs)) for k, op, fn, ins, out, attrs in plan.steps
    ]
    return plan


_GRAPH_ONLY_ATTRS = frozenset({"static_shape"})


def _forward_attrs(attrs: dict) -> dict:
    """The attributes a forward rule takes (static shapes are for graph building only)."""
    return {k: v for k, v in attrs.items() if k not in _GRAPH_ONLY_ATTRS}


_DEFAULT_SESSIONS: list[Session] = []


@contextlib.contextmanager
def _as_default_session(session: Session):
    _DEFAULT_SESSIONS.append(session)
    try:
        yield session
    finally:
        _DEFAULT_SESSIONS.remove(session)


def get_default_session() -> Session | None:
    return _DEFAULT_SESSIONS[-1] if _DEFAULT_SESSIONS else None


def _session_or_default(session: Session | None) -> Session:
    if session is not None:
        return session
    default = get_default_session()
    if default is None:
        raise ValueError(
            "Cannot evaluate tensor using `eval()`: No default session is registered. Use "
            "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`"
        )
    return default
