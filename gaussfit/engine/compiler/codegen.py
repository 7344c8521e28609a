"""Turning a lowered plan into one straight-line Python function.

An interpreter pays for its loop on every op of every run: fetching the step, gathering the
inputs, calling through. For the lab's step at a thousand points that loop costs more than the
arithmetic. A compiled plan instead becomes the function one would write by hand; for the lab's
Gaussian step it reads, in part::

    def program(v0, v1, v2, buffers):
        (b0,) = buffers
        v1 = v1[()]
        v2 = v2[()]
        v7 = v2 * v2  # pow (Square)
        ...
        v11 = subtract(v0, v1, out=b0)  # sub (Sub)
        v12 = v6 * v7  # mul_2 (Mul)
        v14 = v10 * v13  # Sum (Mul)
        v15 = sum_of_squares(v11)  # Sum (SumOfSquares)
        ...
        v20 = sum_all(v11)  # gradients/sub_grad/SumToShape (Sum)
        ...
        v25 = v1 - v24  # GradientDescent/update_mu/ApplyGradientDescent (Sub)
        ...
        return (None, v17,), (v25, v36,)

(the data ``v0`` is read three times, as in a step written by hand). Each line names the graph
op it was made for and the kind of node it became.

Scalars (0-d floats) use Python's operators on numpy scalars, which round exactly like the numpy
functions but skip their call overhead; constants are bound as globals; pooled arrays write into
``buffers``. ``Program.source`` holds the text, so a student can print what actually runs.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import numpy as np

from gaussfit.engine import errors
from gaussfit.engine.compiler import fused, kernels
from gaussfit.engine.compiler.buffers import BufferPlan, assign_buffers
from gaussfit.engine.compiler.lowering import lower
from gaussfit.engine.compiler.nodes import Lowered, Node
from gaussfit.engine.compiler.schedule import Schedule, Trial
from gaussfit.engine.graph import Operation
from gaussfit.engine.plan import Plan, Writes, op_failure

_SCALAR_OPERATORS = {"Add": "{} + {}", "Sub": "{} - {}", "Mul": "{} * {}", "RealDiv": "{} / {}"}
_NAMES = itertools.count()


def compile_plan(plan: Plan, shapes: tuple, fuse: bool = False) -> Any:
    """Lower ``plan`` for inputs of these shapes and compile the result; with ``fuse``, its
    sums over large arrays become numba loops (``fused.py``) where that works, on probation
    against the numpy program it replaces (``schedule.Trial``)."""
    lowered = lower(plan, shapes)
    if not fuse:
        sources = fused.kernel_sources(lowered) if fused.available() else []
        return Program(lowered, assign_buffers(lowered), Schedule(sources) if sources else None)
    current = plan.programs.get(shapes)
    schedule = getattr(current, "schedule", None)
    try:
        lowered = fused.fuse(lowered) or lowered
    except Exception:  # numba could not compile a loop: keep the numpy program
        if schedule is not None:
            schedule.give_up()
            return current
        lowered = lower(plan, shapes)
    program = Program(lowered, assign_buffers(lowered), None)
    if schedule is None or fused.FUSE_AFTER_SECONDS is not None:
        return program
    return Trial(program, current, schedule)


class Program:
    """A compiled plan: call ``run(inputs)`` with the feeds then the variable values."""

    def __init__(self, lowered: Lowered, buffers: BufferPlan, schedule: Schedule | None) -> None:
        self.schedule = schedule  # when fusing its sums would pay (None: never)
        self._buffers = buffers
        self._spare: list[tuple[np.ndarray, ...]] = []
        self._writes = [(w.variable, w.changes) for w in lowered.writes]
        emitter = _Emitter(lowered, buffers)
        self.source = emitter.source
        self._origin_at_line = emitter.origin_at_line
        filename = f"<gaussfit plan {next(_NAMES)}>"
        namespace = dict(emitter.globals)
        exec(compile(self.source, filename, "exec"), namespace)
        self._function: Callable[..., Any] = namespace["program"]

    def run(self, inputs: list[Any]) -> tuple[list[Any], Writes]:
        """The fetched values and the variable writes, as ``Plan.interpret`` returns them."""
        # Each concurrent run takes its own set of buffers; sets are kept for reuse.
        buffers = self._spare.pop() if self._spare else self._buffers.allocate()
        start = time.perf_counter() if self.schedule is not None else 0.0
        try:
            with np.errstate(all="ignore"):
                fetched, changed = self._function(*inputs, buffers)
        except errors.OpError:
            raise
        except Exception as exc:
            raise op_failure(exc, self._failing_op(exc.__traceback__)) from exc
        finally:
            self._spare.append(buffers)
        if self.schedule is not None:
            self.schedule.ran(time.perf_counter() - start)
        writes: Writes = []
        for (target, changes), value in zip(self._writes, changed, strict=True):
            if changes:  # a stateful op run whole: its {input index: new value}
                writes.extend((target.inputs[i].op, v) for i, v in value.items())
            else:
                writes.append((target, value))
        return list(fetched), writes

    @property
    def wants_fusing(self) -> bool:
        """Whether fused loops would now pay for what getting them costs (``schedule.py``)."""
        return self.schedule is not None and self.schedule.due()

    def _failing_op(self, tb: TracebackType | None) -> Operation | None:
        """The op whose line of the generated function raised."""
        code = self._function.__code__
        while tb is not None:
            if tb.tb_frame.f_code is code:
                return self._origin_at_line.get(tb.tb_lineno)
            tb = tb.tb_next
        return None


class _Emitter:
    """Writes the source of ``program``, one line per node."""

    def __init__(self, lowered: Lowered, buffers: BufferPlan) -> None:
        self.globals: dict[str, Any] = {"program": None}  # the name is taken
        self.origin_at_line: dict[int, Operation | None] = {}
        self._names: dict[int, str] = {}
        self._buffers = buffers
        args = [f"v{n.index}" for n in lowered.inputs]
        lines = [f"def program({', '.join([*args, 'buffers'])}):"]
        if buffers.specs:
            slots = ", ".join(f"b{i}" for i in range(len(buffers.specs)))
            lines.append(f"    ({slots},) = buffers")
        for node in lowered.inputs:
            if node.is_scalar and node.dtype.kind == "f":  # numpy scalars: fast operators
                lines.append(f"    v{node.index} = v{node.index}[()]")
        dead_after = _dead_arrays(lowered, buffers)
        for node in lowered.nodes:
            if node.kind == "const":
                value = node.value
                self.globals[f"v{node.index}"] = value[()] if np.ndim(value) == 0 else value
            elif node.kind in ("pure", "stateful"):
                self.origin_at_line[len(lines) + 1] = node.origin
                lines.append(self._line(node))
                if node in dead_after:  # free large temporaries as soon as they are dead
                    lines.append(f"    del {', '.join(f'v{x.index}' for x in dead_after[node])}")
        fetched = [self._leaving(n) for n in lowered.fetches]
        writes = [
            f"w{w.node.index}" if w.changes else self._leaving(w.node) for w in lowered.writes
        ]
        lines.append(f"    return ({_tuple(fetched)}), ({_tuple(writes)})")
        self.source = "\n".join(lines) + "\n"

    def _leaving(self, node: Node | None) -> str:
        """A value as it leaves the run: copied if it may share a reused buffer."""
        if node is None:
            return "None"
        if node in self._buffers.copy_on_exit:
            return f"{self._bind(np.array)}(v{node.index})"
        return f"v{node.index}"

    def _line(self, node: Node) -> str:
        if node.kind == "stateful":
            args = [self._leaving(x) for x in node.inputs]
        else:
            args = [f"v{x.index}" for x in node.inputs]
        expression = self._scalar_expression(node, args) or self._call(node, args)
        target = f"v{node.index}, w{node.index}" if node.kind == "stateful" else f"v{node.index}"
        where = node.origin.name if node.origin is not None else ""
        return f"    {target} = {expression}  # {where} ({node.type})"

    def _scalar_expression(self, node: Node, args: list[str]) -> str | None:
        """Python operators for float scalar arithmetic (the same IEEE operations)."""
        if node.kind != "pure" or not node.is_scalar or node.dtype.kind != "f":
            return None
        if not all(x.is_scalar and x.dtype == node.dtype for x in node.inputs):
            return None
        if node.type in _SCALAR_OPERATORS:
            return _SCALAR_OPERATORS[node.type].format(*args)
        if node.type == "Neg":
            return f"-{args[0]}"
        if node.type == "Square":
            return f"{args[0]} * {args[0]}"
        return None

    def _call(self, node: Node, args: list[str]) -> str:
        if node.type == "Fused":  # a numba loop (fused.py): arrays first, then scalars
            call = self._bind(fused.call_kernel)
            return f"{call}({self._bind(node.fn)}, {node.attrs['arrays']}, {', '.join(args)})"
        if node.type == "Item":
            return f"{args[0]}[{node.attrs['index']}]"
        if node.type == "Sum" and node.inputs[0].shape is not None and _sums_everything(node):
            return f"{self._bind(kernels.sum_all)}({args[0]})"
        words = list(args)
        words += [f"{k}={self._literal(k, v, node)}" for k, v in node.attrs.items()]
        if node in self._buffers.slot_of:
            words.append(f"out=b{self._buffers.slot_of[node]}")
        return f"{self._bind(node.fn)}({', '.join(words)})"

    def _bind(self, fn: Any) -> str:
        """The global name of a function, made from its own name."""
        name = self._names.get(id(fn))
        if name is None:
            base = getattr(fn, "__name__", "f").strip("_").replace("<lambda>", "f") or "f"
            name = base
            for k in itertools.count(1):
                if name not in self.globals:
                    break
                name = f"{base}_{k}"
            self.globals[name] = fn
            self._names[id(fn)] = name
        return name

    def _literal(self, key: str, value: Any, node: Node) -> str:
        """An attribute written as a literal when that is exact, else bound as a global."""
        if _is_plain(value):
            return repr(value)
        name = f"a{node.index}_{key}"
        self.globals[name] = value
        return name


def _dead_arrays(lowered: Lowered, buffers: BufferPlan) -> dict[Node, list[Node]]:
    """For each node, the array temporaries last read by it (to ``del`` after its line)."""
    leaving = {n for n in lowered.fetches if n is not None} | {w.node for w in lowered.writes}
    last_reader: dict[Node, Node] = {}
    for node in lowered.nodes:
        for x in node.inputs:
            last_reader[x] = node
    dead: dict[Node, list[Node]] = {}
    for x, reader in last_reader.items():
        temporary = x.kind in ("pure", "stateful") and x not in buffers.slot_of
        if temporary and x not in leaving and not x.is_scalar:
            dead.setdefault(reader, []).append(x)
    return dead


def _sums_everything(node: Node) -> bool:
    return (
        node.attrs.get("axis") is None
        and not node.attrs.get("keepdims")
        and node.dtype.kind == "f"
        and node.inputs[0].dtype == node.dtype
    )


def _is_plain(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(_is_plain(v) for v in value)
    return value is None or type(value) in (bool, int, str)


def _tuple(items: list[str]) -> str:
    return ", ".join(items) + "," if items else ""
