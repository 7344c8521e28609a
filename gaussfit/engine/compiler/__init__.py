"""The engine's compiler: faster programs for the core's plans, on request.

The core never imports this package. ``gaussfit.engine`` installs ``COMPILER`` behind
``gaussfit.engine.compiler_hook``; a plan that repeats asks it for a program for its input
shapes. The compiler lowers the plan for those shapes (``lowering.py`` with the rules of
``rewrite.py``: algebraic rewrites, constant folding, common subexpressions, dead code), gives
it reusable buffers (``buffers.py``), writes it out as one straight-line Python function
(``codegen.py``) and, for plans on large data whose remaining work pays for it
(``schedule.py``), fuses its sums into numba loops (``fused.py``) kept in a disk cache
(``kernel_cache.py``). It declines plans it cannot run faster or not exactly as the interpreter:
random ops (their generators live in the session), control flow, and reads ordered by
``control_dependencies``. A new backend (a GPU) is a new compiler installed the same way.
"""

from __future__ import annotations

from typing import Any

_KINDS = frozenset({"pure", "stateful", "const", "placeholder", "variable", "noop"})


class NumpyCompiler:
    """Compiles plans to numpy code (and numba loops when it pays)."""

    def supports(self, plan: Any) -> bool:
        """Whether every op of the plan is one this compiler lowers exactly."""
        return not plan.ordered_reads and all(
            op.op_def.kind in _KINDS and op.op_def.compilable for op in plan.ops
        )

    def compile(self, plan: Any, shapes: tuple, fuse: bool = False) -> Any:
        """A program for ``plan`` at input ``shapes``, or None when declined."""
        if not self.supports(plan):
            return None
        from gaussfit.engine.compiler.codegen import compile_plan

        return compile_plan(plan, shapes, fuse=fuse)


COMPILER = NumpyCompiler()
