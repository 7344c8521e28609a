"""The one door between the engine's core and its compiler.

The core (graphs, ops, gradients, the session and its plain interpreter) runs every program
on its own. A compiler is an optional helper installed from outside: when a plan has repeated
with the same input shapes, the plan asks the installed compiler for a faster program, and the
compiler may decline (return None), in which case the plan keeps interpreting. Nothing in the
core imports a compiler; ``gaussfit.engine`` (the package's front door) installs the numpy
compiler of ``gaussfit.engine.compiler`` when it is imported.

The switch: ``GAUSSFIT_ENGINE_COMPILER=off`` in the environment, ``set_enabled(False)``, or
``with disabled():`` runs everything on the interpreter. Results are the same either way, up to
the last bits of sums the compiler reassociates.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any, Protocol


class Program(Protocol):
    """A faster way to run one plan for one tuple of input shapes."""

    def run(self, inputs: list[Any]) -> tuple[list[Any], list[tuple[Any, Any]]]:
        """The fetched values and the variable writes, exactly as ``Plan.interpret`` returns."""

    @property
    def wants_fusing(self) -> bool:
        """Whether the compiler would now make a still faster program for the same shapes."""


class Compiler(Protocol):
    """Turns a plan into a ``Program`` for given input shapes, or declines with None."""

    def compile(self, plan: Any, shapes: tuple, fuse: bool = False) -> Program | None: ...


_state: dict[str, Any] = {
    "compiler": None,
    "enabled": os.environ.get("GAUSSFIT_ENGINE_COMPILER", "on").lower() not in ("off", "0"),
}

active: Compiler | None = None
"""The compiler plans ask now: None when none is installed or it is switched off. (A plain
module attribute, read once per ``Session.run``: the cheapest check there is.)"""


def _update() -> None:
    global active
    active = _state["compiler"] if _state["enabled"] else None


def install(compiler: Compiler | None) -> None:
    """Make ``compiler`` the one plans ask (None: interpret everything)."""
    _state["compiler"] = compiler
    _update()


def current() -> Compiler | None:
    """The compiler plans should ask now: None when none is installed or it is switched off."""
    return active


def set_enabled(enabled: bool) -> bool:
    """Switch the compiler on or off; returns the old setting. While it is off every plan is
    interpreted, including those compiled before."""
    old = _state["enabled"]
    _state["enabled"] = bool(enabled)
    _update()
    return old


def is_enabled() -> bool:
    return bool(_state["enabled"])


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Interpret every plan compiled inside the block."""
    old = set_enabled(False)
    try:
        yield
    finally:
        set_enabled(old)
