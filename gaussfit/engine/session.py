"""Running a graph: ``Session.run`` with TF1's semantics.

``run`` flattens any nesting of fetches, finds (once per fetches-and-feed-keys, then cached) the
``Plan`` holding only the ops those fetches need, runs it (``plan.py``: interpreted, or by a
program the compiler made once the plan repeats) and rebuilds the nesting around the results.
Every value is computed once per ``run`` however many fetches share it, so a loss and its
gradient share their forward pass. Variable reads see the values from the start of the ``run``
(except reads ordered after a write by ``control_dependencies``); writes land when it ends. The
session also keeps one random generator per random op, so each session's streams start afresh.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from gaussfit.engine import default_session, errors
from gaussfit.engine.graph import Graph, Operation, Tensor, get_default_graph
from gaussfit.engine.plan import Plan
from gaussfit.engine.scalars import as_scalar


class Session:
    """Holds variable values and runs a graph's ops (TF1's ``tf.Session``)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        if isinstance(target, Graph):  # Session(graph) positional, a common slip
            graph, target = target, ""
        self.graph = graph if graph is not None else get_default_graph()
        self._variables: dict[Operation, np.ndarray | np.generic] = {}
        self._plans: dict[tuple, Plan] = {}
        self._generators: dict[Operation, np.random.Generator] = {}
        self._closed = False
        self._default_context: Any = None

    # -- lifetime ---------------------------------------------------------------------------
    def __enter__(self) -> Session:
        self._default_context = default_session.as_default(self)
        self._default_context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._default_context.__exit__(*exc)
        self._default_context = None
        self.close()

    def as_default(self):
        """Make this session the one ``Tensor.eval`` and ``Operation.run`` use."""
        return default_session.as_default(self)

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
        leaves, rebuild = _fetch_leaves(fetches, self.graph)
        feeds = self._convert_feeds(feed_dict) if feed_dict else {}
        key = (leaves, frozenset(feeds))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = Plan(leaves, key[1])
        inputs = [feeds[tensor] for tensor in plan.feeds]
        variables = self._variables
        for var_op, required in zip(plan.var_reads, plan.required, strict=True):
            value = variables.get(var_op)
            if value is None and required:
                raise errors.FailedPreconditionError(
                    f"Attempting to use uninitialized value {var_op.name}", var_op
                )
            inputs.append(value)
        results, writes = plan.run(inputs, self._generator)
        if any(_is_lazy(v) for v in results) or any(_is_lazy(v) for _, v in writes):
            results, writes = _materialise(results, writes)
        for var_op, value in writes:
            variables[var_op] = _private_copy(value, var_op.outputs[0].dtype.numpy)
        return rebuild([_output(value) for value in results])

    def _generator(self, op: Operation) -> np.random.Generator:
        """The random generator of one random op in this session.

        As in TF1, each op draws a new sample on every run from a stream that starts afresh in
        each session: seeded by the op's (graph seed, op seed) pair when either was set, so a
        seeded program prints the same numbers every time it runs, else from the OS.
        """
        generator = self._generators.get(op)
        if generator is None:
            seeds = op.attrs.get("seeds")
            generator = np.random.default_rng(list(seeds) if seeds is not None else None)
            self._generators[op] = generator
        return generator

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


class InteractiveSession(Session):
    """A session that makes itself the default when created (until closed), for shells and
    notebooks: ``Tensor.eval()`` and ``Operation.run()`` then need no ``with`` block."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        super().__init__(target, graph, config)
        default_session.push(self)

    def close(self) -> None:
        default_session.remove(self)
        super().close()


def _private_copy(value: Any, dtype: type) -> np.ndarray | np.generic:
    """A variable's value as the session keeps it: a read-only copy, so that neither the array
    it came from nor a fetched result (which ``_output`` copies) can change it afterwards."""
    if type(value) is dtype:  # a numpy scalar of the right type is immutable: keep it
        return value
    array = np.array(value, dtype=dtype)
    array.setflags(write=False)
    return array


def _fetch_leaves(fetches: Any, graph: Graph) -> tuple[tuple, Callable[[list], Any]]:
    """The graph elements ``fetches`` names, and a function rebuilding its nesting around their
    values. A tensor or op, or a flat list of them, skips the general walk (the common case in a
    training loop, where it is a measurable part of a small step)."""
    kind = type(fetches)
    if (kind is Tensor or kind is Operation) and fetches.graph is graph:
        return (fetches,), _first
    if kind is list and all(
        (type(f) is Tensor or type(f) is Operation) and f.graph is graph for f in fetches
    ):
        return tuple(fetches), list
    leaves: list[Tensor | Operation] = []
    rebuild = _flatten(fetches, leaves, graph)
    return tuple(leaves), rebuild


_first = operator.itemgetter(0)


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
    if type(key) is Tensor and key.op.graph is graph:
        return key
    try:
        element = graph.as_graph_element(key)
    except (KeyError, TypeError, ValueError) as exc:
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {exc.args[0]}") from None
    if not isinstance(element, Tensor):
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {key!r} is an Operation")
    return element


def _feed_value(tensor: Tensor, value: Any) -> Any:
    """Convert a fed value to the tensor's dtype (no copy when it already fits) and check it."""
    target = tensor.dtype.numpy
    if type(value) is np.ndarray and value.dtype == target:  # the common case: nothing to do
        array = value
    elif isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        raise TypeError(
            "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
            "Python scalars, strings, lists, numpy ndarrays, or TensorHandles. "
            f"(fed to {tensor.name!r})"
        )
    elif _is_foreign_array(value):
        array = value if value.dtype == target else value.astype(target)
    else:
        raw = np.asarray(value)
        if raw.dtype.kind in "SU" and not tensor.dtype.is_bool:
            raise ValueError(
                f"could not convert string to {tensor.dtype.name}: {value!r} (fed to "
                f"{tensor.name!r})"
            )
        if raw.dtype.kind in "OSUV" or (
            tensor.dtype.is_integer and raw.dtype.kind == "f" and not np.all(np.mod(raw, 1) == 0)
        ):
            raise TypeError(
                f"Cannot feed value of dtype {raw.dtype} to tensor {tensor.name!r} of dtype "
                f"{tensor.dtype.name}"
            )
        array = np.asarray(raw, dtype=target)
    if not tensor.shape.is_compatible_with(tuple(array.shape)):
        raise ValueError(
            f"Cannot feed value of shape {tuple(array.shape)} for Tensor '{tensor.name}', "
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


def _is_lazy(value: Any) -> bool:
    """A Dask collection: a fed Dask array makes every value computed from it lazy."""
    return hasattr(value, "__dask_graph__")


def _materialise(results: list[Any], writes: list) -> tuple[list[Any], list]:
    """Compute every lazy fetch and variable write of one run together, in one Dask call, so
    work they share (a pass over the data) is done once per run."""
    import dask

    lazy = [v for v in results if _is_lazy(v)] + [v for _, v in writes if _is_lazy(v)]
    done = iter(dask.compute(*lazy))
    results = [np.asarray(next(done)) if _is_lazy(v) else v for v in results]
    writes = [(op, np.asarray(next(done)) if _is_lazy(v) else v) for op, v in writes]
    return results, writes


def _output(value: Any) -> Any:
    """A fetched value as the caller gets it: 0-d values as printable numpy scalars, and a
    read-only array (a variable's value, a constant) as a copy the caller may change."""
    if isinstance(value, np.generic):
        return as_scalar(value)
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return as_scalar(value)
        if not value.flags.writeable:
            return np.array(value)
    return value


get_default_session = default_session.get_default_session
