"""Grouping and control flow: ``group``, ``no_op``, ``cond`` and ``while_loop``.

``cond`` and ``while_loop`` trace their Python functions once into *branch graphs*: graphs
nested in the calling graph whose inputs are placeholders standing for the tensors of the
outer graph that the functions use (captured on first use). The ``If`` and ``While`` ops run
a branch graph with the session's plain interpreter each time they run, so only the branch
taken is computed, and a loop runs as many times as its condition says.

A cond's gradient is another cond: each branch graph is extended with the gradient of its
output with respect to its inputs, and the op that picks the branch picks its gradient too, so
derivatives of any order work. A loop's gradient replays the loop keeping every state (TF1
keeps them on a stack) and runs the body's gradient graph backwards through them; it has no
second derivative.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gaussfit.engine.dtypes import bool_
from gaussfit.engine.graph import Graph, Operation, Tensor, _op_of, get_default_graph
from gaussfit.engine.ops.array_ops import PLACEHOLDER, zeros_like
from gaussfit.engine.ops.op_def import OpDef, convert_to_tensor, make_op, register
from gaussfit.engine.plan import Plan
from gaussfit.engine.shapes import UNKNOWN, TensorShape

NO_OP = register(
    OpDef("NoOp", None, lambda s, a: TensorShape(()), None, kind="noop", has_output=False)
)


def no_op(name: str | None = None, control_inputs: Sequence[Any] = ()) -> Operation:
    """An op that does nothing; with ``control_inputs`` it runs them (see ``group``)."""
    return make_op(NO_OP, [], name or "NoOp", control_inputs=[_op_of(x) for x in control_inputs])


def group(*inputs: Any, name: str | None = None) -> Operation:
    """One op that runs all ``inputs`` (TF1's ``tf.group``); running it returns None."""
    graph = get_default_graph()
    for item in inputs:
        if isinstance(item, (Tensor, Operation)):
            graph = item.graph
            break
    with graph.as_default():
        return no_op(name=name or "group_deps", control_inputs=list(inputs))


# -- branch graphs ----------------------------------------------------------------------------
class BranchGraph(Graph):
    """A graph traced from a Python function inside another graph.

    Tensors of the enclosing graphs become placeholders of this one the first time an op here
    uses them (``captures`` pairs each outer tensor with its placeholder).
    """

    def __init__(self, outer: Graph) -> None:
        super().__init__()
        self.outer = outer
        self.seed = outer.seed
        self.captures: dict[Tensor, Tensor] = {}

    def capture(self, tensor: Tensor) -> Tensor:
        if tensor.graph is self:
            return tensor
        if tensor.op.op_def.kind == "variable":
            raise NotImplementedError(
                f"Using the variable {tensor.op.name!r} itself (to assign it) inside tf.cond or "
                "tf.while_loop is not implemented in gaussfit.engine; read it with .value()"
            )
        inner = self.captures.get(tensor)
        if inner is None:
            with self.as_default():
                inner = make_op(PLACEHOLDER, [], "capture", dtype=tensor.dtype, shape=tensor.shape)
            self.captures[tensor] = inner
        return inner


class Branch:
    """Part of a branch graph run as a function: ``inputs`` (placeholders) to ``outputs``."""

    def __init__(self, inputs: Sequence[Tensor], outputs: Sequence[Tensor]) -> None:
        self.inputs = tuple(inputs)
        self.outputs = tuple(outputs)
        self._plan: Plan | None = None

    def __call__(self, values: Sequence[Any], random: Any) -> list[Any]:
        if self._plan is None:
            self._plan = Plan(self.outputs, frozenset(self.inputs))
        by_input = dict(zip(self.inputs, values, strict=True))
        results, _ = self._plan.interpret([by_input[t] for t in self._plan.feeds], random)
        return results


def _trace(fn: Callable[..., Any], args: Sequence[Tensor], graph: Graph):
    """Call ``fn`` on placeholders like ``args`` in a new branch graph of ``graph``."""
    branch = BranchGraph(graph)
    with branch.as_default():
        holders = [
            make_op(PLACEHOLDER, [], "arg", dtype=a.dtype, shape=TensorShape(a.shape.dims))
            for a in args
        ]
        result = fn(*holders)
    return branch, holders, result


def _as_outputs(result: Any, branch: BranchGraph) -> list[Tensor]:
    items = list(result) if isinstance(result, (list, tuple)) else [result]
    with branch.as_default():
        return [branch.capture(convert_to_tensor(item)) for item in items]


# -- cond -----------------------------------------------------------------------------------
def _np_if(random: Any, pred: np.ndarray, *values: Any, branches: tuple[Branch, Branch]):
    branch = branches[0] if bool(pred) else branches[1]
    return branch(values, random)[0]


def _merged_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.dims is None or b.dims is None or len(a.dims) != len(b.dims):
        return UNKNOWN
    return TensorShape([x if x == y else None for x, y in zip(a.dims, b.dims, strict=True)])


def _if_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """Each branch differentiated inside its own graph; an ``If`` picks the gradient."""
    from gaussfit.engine.gradients import gradients

    pred, captured = op.inputs[0], op.inputs[1:]
    per_branch = []
    for branch in op.attrs["branches"]:
        graph = branch.outputs[0].graph
        with graph.as_default():
            g_in = make_op(PLACEHOLDER, [], "grad", dtype=g.dtype, shape=g.shape)
            wanted = list(branch.inputs)
            grads = gradients(branch.outputs[0], wanted, grad_ys=g_in)
            grads = [
                zeros_like(x) if grad is None and x.dtype.is_floating else grad
                for x, grad in zip(wanted, grads, strict=True)
            ]
        per_branch.append(((*branch.inputs, g_in), grads))
    results: list[Any] = [None]
    for i, x in enumerate(captured):
        if not needs[i + 1]:
            results.append(None)
            continue
        (true_in, true_grads), (false_in, false_grads) = per_branch
        branches = (Branch(true_in, [true_grads[i]]), Branch(false_in, [false_grads[i]]))
        results.append(
            make_op(
                IF,
                [pred, *captured, g],
                "If_grad",
                branches=branches,
                dtype=x.dtype,
                shape=_merged_shape(true_grads[i].shape, false_grads[i].shape),
            )
        )
    return results


IF = register(OpDef("If", _np_if, lambda s, a: UNKNOWN, _if_grad, kind="control", compilable=False))


def cond(
    pred: Any,
    true_fn: Callable[[], Any] | None = None,
    false_fn: Callable[[], Any] | None = None,
    strict: bool = False,
    name: str | None = None,
    fn1: Any = None,
    fn2: Any = None,
) -> Any:
    """``true_fn()`` if ``pred`` else ``false_fn()``, deciding when the graph runs; only the
    branch taken is computed. Both functions must return the same structure of tensors (one
    tensor, or a list or tuple of them)."""
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if true_fn is None or false_fn is None:
        raise TypeError("cond needs both true_fn and false_fn")
    graph = get_default_graph()
    with graph.name_scope(name or "cond"):
        pred_t = convert_to_tensor(pred)
        if pred_t.dtype != bool_:
            raise TypeError(f"cond: pred must be a bool tensor, not {pred_t.dtype.name}")
        traced = [_trace(fn, [], graph) for fn in (true_fn, false_fn)]
        outputs = [_as_outputs(result, branch) for branch, _, result in traced]
        if len(outputs[0]) != len(outputs[1]):
            raise ValueError("cond: true_fn and false_fn must return the same number of tensors")
        captured = list(dict.fromkeys([*traced[0][0].captures, *traced[1][0].captures]))
        for branch, _, _ in traced:
            for tensor in captured:
                branch.capture(tensor)
        results = []
        for true_out, false_out in zip(*outputs, strict=True):
            if true_out.dtype != false_out.dtype:
                raise ValueError(
                    f"cond: the branches return {true_out.dtype.name} and {false_out.dtype.name}"
                )
            branches = tuple(
                Branch([b.captures[t] for t in captured], [out])
                for (b, _, _), out in zip(traced, (true_out, false_out), strict=True)
            )
            results.append(
                make_op(
                    IF,
                    [pred_t, *captured],
                    "If",
                    branches=branches,
                    dtype=true_out.dtype,
                    shape=_merged_shape(true_out.shape, false_out.shape),
                )
            )
    result = traced[0][2]  # the structure follows what the functions returned
    if isinstance(result, (list, tuple)):
        return type(result)(results)
    return results[0]


# -- while_loop -------------------------------------------------------------------------------
def _loop(random: Any, values: Sequence[Any], attrs: dict[str, Any]) -> list[list[Any]]:
    """Every state the loop passes through, the initial one first and the final one last."""
    n_vars, n_cond = attrs["n_vars"], attrs["n_cond"]
    cond_extra = list(values[n_vars : n_vars + n_cond])
    body_extra = list(values[n_vars + n_cond :])
    states = [list(values[:n_vars])]
    while bool(attrs["condition"]([*states[-1], *cond_extra], random)[0]):
        states.append(attrs["body"]([*states[-1], *body_extra], random))
    return states


def _np_while(random: Any, *values: Any, index: int, **attrs: Any) -> Any:
    return _loop(random, values, attrs)[-1][index]


def _np_while_grad(random: Any, *values: Any, index: int, wrt: int, **attrs: Any) -> Any:
    """Run the loop forward keeping every state, then back through each iteration with the
    body's gradient graph: the gradient of loop output ``index`` for input ``wrt``."""
    *values, g = values
    n_vars, n_cond = attrs["n_vars"], attrs["n_cond"]
    states = _loop(random, values, attrs)
    body_extra = list(values[n_vars + n_cond :])
    grads = [np.zeros_like(v) for v in states[-1]]
    grads[index] = g
    extra_grads = [np.zeros_like(v) for v in body_extra]
    for state in reversed(states[:-1]):
        back = attrs["body_grad"]([*state, *body_extra, *grads], random)
        grads = back[:n_vars]
        extra_grads = [a + b for a, b in zip(extra_grads, back[n_vars:], strict=True)]
    cond_grads = [np.zeros_like(v) for v in values[n_vars : n_vars + n_cond]]
    return [*grads, *cond_grads, *extra_grads][wrt]


def _while_grad(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    """One ``WhileGrad`` op per input wanted (each replays the loop: simple, not fast)."""
    attrs = {k: v for k, v in op.attrs.items() if k != "index"}
    results: list[Any] = []
    for wrt, (x, need) in enumerate(zip(op.inputs, needs, strict=True)):
        if not need:
            results.append(None)
            continue
        results.append(
            make_op(
                WHILE_GRAD,
                [*op.inputs, g],
                "WhileGrad",
                index=op.attrs["index"],
                wrt=wrt,
                dtype=x.dtype,
                shape=x.shape,
                **attrs,
            )
        )
    return results


def _no_second_derivative(op: Operation, g: Tensor, needs: Sequence[bool]) -> list[Any]:
    raise LookupError(
        f"Second derivatives of tf.while_loop ({op.name}) are not implemented in gaussfit.engine"
    )


WHILE = register(
    OpDef("While", _np_while, lambda s, a: UNKNOWN, _while_grad, kind="control", compilable=False)
)
WHILE_GRAD = register(
    OpDef(
        "WhileGrad",
        _np_while_grad,
        lambda s, a: UNKNOWN,
        _no_second_derivative,
        kind="control",
        compilable=False,
    )
)


def _body_gradient(body_graph: BranchGraph, inputs: list[Tensor], outputs: list[Tensor]) -> Branch:
    """The body's vector-Jacobian product as a branch: (state, captures, output gradients) to
    the gradients of the state and the captures."""
    from gaussfit.engine.gradients import gradients

    with body_graph.as_default():
        seeds = [
            make_op(PLACEHOLDER, [], "grad", dtype=out.dtype, shape=out.shape) for out in outputs
        ]
        floating = [(out, seed) for out, seed in zip(outputs, seeds, strict=True)]
        floating = [(out, seed) for out, seed in floating if out.dtype.is_floating]
        if floating:
            ys, grad_ys = zip(*floating, strict=True)
            grads = gradients(list(ys), inputs, grad_ys=list(grad_ys), name="while_gradients")
        else:
            grads = [None] * len(inputs)
        grads = [
            zeros_like(x) if grad is None else grad for x, grad in zip(inputs, grads, strict=True)
        ]
    return Branch([*inputs, *seeds], grads)


def while_loop(
    cond: Callable[..., Any],
    body: Callable[..., Any],
    loop_vars: Any,
    shape_invariants: Any = None,
    parallel_iterations: int = 10,
    back_prop: bool = True,
    swap_memory: bool = False,
    name: str | None = None,
    maximum_iterations: Any = None,
) -> Any:
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` holds; returns the
    final loop variables in the structure given (a single tensor for a single variable).

    Each final variable is its own ``While`` op (fetching several replays the loop for each),
    and its gradient replays the loop keeping every state, then runs the body's gradient
    backwards through them; second derivatives of a loop are not available.
    """
    graph = get_default_graph()
    single = not isinstance(loop_vars, (list, tuple))
    items = [loop_vars] if single else list(loop_vars)
    if maximum_iterations is not None:
        raise NotImplementedError(
            "while_loop(maximum_iterations=...) is not implemented in gaussfit.engine"
        )
    with graph.name_scope(name or "while"):
        initial = [convert_to_tensor(v) for v in items]
        cond_graph, cond_args, cond_result = _trace(cond, initial, graph)
        body_graph, body_args, body_result = _trace(body, initial, graph)
        (cond_out,) = _as_outputs(cond_result, cond_graph)
        body_outs = _as_outputs(body_result, body_graph)
        if len(body_outs) != len(initial):
            raise ValueError(
                f"while_loop: body returned {len(body_outs)} values for {len(initial)} loop_vars"
            )
        for out, start in zip(body_outs, initial, strict=True):
            if out.dtype != start.dtype:
                raise TypeError(
                    f"while_loop: body changes a loop variable from {start.dtype.name} to "
                    f"{out.dtype.name}"
                )
        body_inputs = [*body_args, *body_graph.captures.values()]
        attrs = {
            "n_vars": len(initial),
            "n_cond": len(cond_graph.captures),
            "condition": Branch([*cond_args, *cond_graph.captures.values()], [cond_out]),
            "body": Branch(body_inputs, body_outs),
            "body_grad": _body_gradient(body_graph, body_inputs, body_outs),
        }
        inputs = [*initial, *cond_graph.captures, *body_graph.captures]
        outputs = [
            make_op(
                WHILE,
                inputs,
                "While",
                index=i,
                dtype=start.dtype,
                shape=_merged_shape(start.shape, out.shape),
                **attrs,
            )
            for i, (start, out) in enumerate(zip(initial, body_outs, strict=True))
        ]
    if single:
        return outputs[0]
    return type(loop_vars)(outputs) if isinstance(loop_vars, tuple) else outputs
