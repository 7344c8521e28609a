"""What one ``Session.run`` call needs, and the two ways of running it.

A ``Plan`` is built once per (fetches, feed keys) and cached by the session. It holds only the
ops the fetches need, inputs before users, stopping at fed tensors. A plan runs in one of two
tiers:

* **interpreted** (tier 0, this module): a loop over the ops calling each forward rule. It needs
  no preparation, so a graph that runs once (an initializer, a single evaluation) costs nothing
  extra, and it accepts any array type numpy dispatches to (e.g. Dask arrays).
* **compiled** (tier 1): once a plan has run with the same input shapes ``COMPILE_AFTER`` times
  (at once if an input has ``COMPILE_AT_ONCE_ELEMENTS`` elements or more), the plan asks the
  compiler installed behind ``compiler_hook`` for a program for those shapes. The compiler (the
  package ``gaussfit.engine.compiler``, never imported here) may decline, e.g. for plans with
  random ops or control flow; the plan then keeps interpreting. Shapes are part of the cache
  key because most rewrites need them.

Both tiers keep TF1's semantics: each value is computed once per run, variables are read as they
were when the run started, and writes land when it ends (the session applies them). The one
exception is TF1's ordering by ``control_dependencies``: an op created under
``control_dependencies([update])`` that reads a variable ``update`` writes (directly or through
identities) sees the written value, as TF1's reference variables do. The compiled tier may differ
from the interpreter in the last bits of a sum; that is why a plan run only once or twice is
interpreted: a printed loss matches TensorFlow's digits until it runs in a loop.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gaussfit.engine import compiler_hook, errors
from gaussfit.engine.graph import Operation, Tensor

COMPILE_AFTER = 2
"""Runs with the same input shapes after which a plan is compiled for them (0: at once)."""

COMPILE_AT_ONCE_ELEMENTS = 1 << 16
"""Inputs this large make a plan compile on its first run."""

MAX_PROGRAMS = 8
"""Compiled programs kept per plan; each holds buffers sized for its shapes."""

Step = tuple[str, Operation, Any, tuple[int, ...], int, dict, tuple[int, ...], tuple]
"""(kind, op, forward rule, input slots, output slot, attributes, slots dead after it, and for a
stateful op the (input index, slot) pairs that keep written values for ordered reads)"""
Writes = list[tuple[Operation, Any]]
_STEP_KINDS = ("pure", "stateful", "random", "control")


class Plan:
    """The ops one (fetches, feed keys) pair needs, and the programs compiled from them.

    Values live in numbered slots: the fed tensors first (``feeds``), then the variables read
    from the session (``var_reads``), then one slot per op output in dependency order.
    """

    def __init__(self, leaves: tuple[Tensor | Operation, ...], feed_keys: frozenset) -> None:
        self.leaves = leaves
        self.feeds: tuple[Tensor, ...] = tuple(sorted(feed_keys, key=lambda t: t.op))
        self.ops = _ops_needed(leaves, feed_keys)
        self.var_reads: tuple[Operation, ...] = ()
        self.required: tuple[bool, ...] = ()
        self.steps: list[Step] = []
        self.template: list[Any] = []
        self.fetch_slots: list[int | None] = []
        self.ordered_reads = False
        self._programs: dict[tuple, Any] = {}
        self._seen: dict[tuple, int] = {}
        self._declined: set[tuple] = set()
        self._number_slots()

    # -- building -------------------------------------------------------------------------
    def _number_slots(self) -> None:
        slots: dict[Tensor, int] = {t: i for i, t in enumerate(self.feeds)}
        fed = set(self.feeds)
        required: dict[Operation, bool] = {}
        for op in self.ops:
            for index, tensor in enumerate(op.inputs):
                if tensor.op.op_def.kind == "variable" and not (index == 0 and op.type == "Assign"):
                    required[tensor.op] = True
            if op.op_def.kind == "variable" and op.outputs[0] not in fed:
                required.setdefault(op, False)
        for leaf in self.leaves:
            if isinstance(leaf, Tensor) and leaf.op.op_def.kind == "variable":
                required[leaf.op] = True
        reads = [op for op in self.ops if op in required]  # a fed variable is not among them
        self.var_reads = tuple(reads)
        self.required = tuple(required[op] for op in reads)
        self.template = [None] * (len(self.feeds) + len(reads))
        for op in reads:
            slots[op.outputs[0]] = len(slots)
        kept: dict[tuple[Operation, Operation], int] = {}  # (writer, variable) -> slot
        wanted, writers = self._ordered_writes(fed)
        for op in self.ops:
            kind = op.op_def.kind
            if kind == "variable" or (op.outputs and op.outputs[0] in slots):
                continue
            out = -1
            if op.outputs:
                out = len(self.template)
                slots[op.outputs[0]] = out
                self.template.append(op.attrs["value"] if kind == "const" else None)
            if kind in _STEP_KINDS:
                inputs = tuple(
                    kept[(wanted[(op, i)], _variable_behind(t))] if (op, i) in wanted else slots[t]
                    for i, t in enumerate(op.inputs)
                )
                keep: tuple = ()
                if kind == "stateful":
                    for i in op.op_def.ref_inputs:
                        if (op, op.inputs[i].op) in writers:
                            kept[(op, op.inputs[i].op)] = len(self.template)
                            keep += ((i, len(self.template)),)
                            self.template.append(None)
                attrs = forward_attrs(op.attrs)
                self.steps.append((kind, op, op.op_def.forward, inputs, out, attrs, (), keep))
        self.fetch_slots = [
            slots[leaf] if isinstance(leaf, Tensor) else None for leaf in self.leaves
        ]
        self._free_dead_values()

    def _ordered_writes(self, fed: set[Tensor]) -> tuple[dict, set]:
        """Which inputs read a variable after a write their op is ordered behind.

        Returns ``{(op, input index): writer}`` for each such read, and the set of (writer,
        variable) pairs whose written values must be kept for them.
        """
        wanted: dict[tuple[Operation, int], Operation] = {}
        writers: set[tuple[Operation, Operation]] = set()
        position = {op: i for i, op in enumerate(self.ops)}
        for op in self.ops:
            if not op.control_inputs or op.op_def.kind not in _STEP_KINDS:
                continue
            before = _writers_before(op.control_inputs)
            if not before:
                continue
            for index, tensor in enumerate(op.inputs):
                variable = _variable_behind(tensor)
                if variable is None or tensor in fed or variable.outputs[0] in fed:
                    continue
                mine = [w for w in before.get(variable, ()) if w in position]
                if mine:
                    writer = max(mine, key=position.__getitem__)
                    wanted[(op, index)] = writer
                    writers.add((writer, variable))
                    self.ordered_reads = True
        return wanted, writers

    def _free_dead_values(self) -> None:
        """Let each step drop the values no later step reads, so that a large intermediate is
        freed as soon as it is dead rather than when the run ends."""
        last_read: dict[int, int] = {}
        for index, step in enumerate(self.steps):
            for slot in step[3]:
                last_read[slot] = index
        keep = set(self.fetch_slots) | set(range(len(self.feeds) + len(self.var_reads)))
        dead: dict[int, list[int]] = {}
        for slot, index in last_read.items():
            if slot not in keep and self.template[slot] is None:
                dead.setdefault(index, []).append(slot)
        self.steps = [
            (*step[:6], tuple(dead.get(i, ())), step[7]) for i, step in enumerate(self.steps)
        ]

    @property
    def programs(self) -> dict[tuple, Any]:
        """The compiled programs, by input shapes (print one's ``source`` to see what runs)."""
        return dict(self._programs)

    # -- running --------------------------------------------------------------------------
    def run(self, inputs: list[Any], random: Any = None) -> tuple[list[Any], Writes]:
        """Compute the fetches from ``inputs`` (feeds then variable values, in slot order).

        ``random(op)`` gives the random generator of a random op (the session keeps them).
        Returns the fetched values (None for ops) and the variable writes, in op order.
        """
        compiler = compiler_hook.active
        if compiler is None:
            return self.interpret(inputs, random)
        signature = _signature(inputs)
        program = self._programs.get(signature)  # type: ignore[arg-type]
        if program is None and signature is not None and signature not in self._declined:
            program = self._maybe_compile(compiler, signature)
        if program is None:
            return self.interpret(inputs, random)
        results = program.run(inputs)
        if program.wants_fusing:  # tier 2: the compiler has a faster program for hot plans
            better = compiler.compile(self, signature, fuse=True)  # type: ignore[arg-type]
            if better is not None:
                self._programs[signature] = better  # type: ignore[index]
        return results

    def _maybe_compile(self, compiler: compiler_hook.Compiler, signature: tuple) -> Any:
        """Ask for a program for ``signature`` once it has been seen ``COMPILE_AFTER`` times."""
        seen = self._seen.get(signature, 0) + 1
        large = any(shape and math.prod(shape) >= COMPILE_AT_ONCE_ELEMENTS for shape in signature)
        if seen <= COMPILE_AFTER and not large:
            self._seen[signature] = seen
            return None
        self._seen.pop(signature, None)
        program = compiler.compile(self, signature)
        if program is None:
            self._declined.add(signature)
            return None
        if len(self._programs) >= MAX_PROGRAMS:  # forget the oldest shapes and their buffers
            del self._programs[next(iter(self._programs))]
        self._programs[signature] = program
        return program

    def interpret(self, inputs: list[Any], random: Any = None) -> tuple[list[Any], Writes]:
        """Tier 0: call each op's forward rule in turn."""
        values = list(self.template)
        values[: len(inputs)] = inputs
        writes: Writes = []
        step = None
        try:
            with np.errstate(all="ignore"):
                for step in self.steps:
                    kind, op, fn, ins, out, attrs, dead, keep = step
                    if kind == "pure":
                        values[out] = fn(*[values[i] for i in ins], **attrs)
                    elif kind == "random":
                        values[out] = fn(random(op), *[values[i] for i in ins], **attrs)
                    elif kind == "control":  # runs branch graphs, which may draw numbers
                        values[out] = fn(random, *[values[i] for i in ins], **attrs)
                    else:
                        values[out], changed = fn(*[values[i] for i in ins], **attrs)
                        writes.extend((op.inputs[i].op, v) for i, v in changed.items())
                        for i, slot in keep:
                            values[slot] = changed[i]
                    for slot in dead:
                        values[slot] = None
        except errors.OpError:
            raise
        except Exception as exc:
            raise op_failure(exc, step[1] if step is not None else None) from exc
        return [None if slot is None else values[slot] for slot in self.fetch_slots], writes


def _variable_behind(tensor: Tensor) -> Operation | None:
    """The variable a tensor reads, directly or through identities (``mu/read``), else None:
    in TF1 an identity shares its input's buffer, so it sees later in-place writes."""
    while True:
        kind = tensor.op.op_def.kind
        if kind == "variable":
            return tensor.op
        if tensor.op.type != "Identity":
            return None
        tensor = tensor.op.inputs[0]


def _writers_before(controls: tuple[Operation, ...]) -> dict[Operation, list[Operation]]:
    """The stateful ops that must run before an op with these control inputs, by variable."""
    found: dict[Operation, list[Operation]] = {}
    seen: set[Operation] = set()
    stack = list(controls)
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.op_def.kind == "stateful":
            for i in op.op_def.ref_inputs:
                found.setdefault(op.inputs[i].op, []).append(op)
        stack.extend(op.control_inputs)
        stack.extend(t.op for t in op.inputs)
    return found


def op_failure(exc: Exception, op: Operation | None) -> errors.InvalidArgumentError:
    """A numpy failure inside one op, naming the op as TF does."""
    where = f" [[node {op.name} ({op.type})]]" if op is not None else ""
    return errors.InvalidArgumentError(f"{exc}{where}", op)


_GRAPH_ONLY_ATTRS = frozenset({"static_shape"})


def forward_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """The attributes a forward rule takes (static shapes are for graph building only)."""
    return {k: v for k, v in attrs.items() if k not in _GRAPH_ONLY_ATTRS}


def _signature(inputs: list[Any]) -> tuple | None:
    """The shapes of the inputs, or None when one is not a numpy value (then: interpret)."""
    shapes = []
    for value in inputs:
        if isinstance(value, (np.ndarray, np.generic)):
            shapes.append(value.shape)
        elif value is None:  # an unread variable (the target of an Assign)
            shapes.append(None)
        else:
            return None
    return tuple(shapes)


def _ops_needed(leaves: tuple, feed_keys: frozenset) -> list[Operation]:
    """The ops the fetches need, inputs before users, stopping at fed tensors.

    An unfed placeholder among them is TF1's InvalidArgumentError, raised here (before
    anything runs).
    """
    order: list[Operation] = []
    seen: set[Operation] = set()
    roots = [leaf.op if isinstance(leaf, Tensor) else leaf for leaf in leaves]
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
    for op in order:
        if op.op_def.kind == "placeholder":
            shape = op.outputs[0].shape
            extra = f" and shape {shape.as_list()}" if shape.is_fully_defined else ""
            raise errors.InvalidArgumentError(
                f"You must feed a value for placeholder tensor '{op.name}' with dtype "
                f"{op.outputs[0].dtype.message_name}{extra}",
                op,
            )
    return order
