"""Running the lab: show each step's code, run it on the engine, show what it printed.

All steps share one namespace, as the cells of a notebook do. On a terminal the walk-through
pauses between steps; ``pause=False`` runs straight through (for CI and pipes).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable
from pathlib import Path

from gaussfit.lab.steps import STEPS, LabStep


def run_step(step: LabStep, namespace: dict) -> str:
    """Execute one step's code in ``namespace`` and return what it printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(step.code, f"<lab: {step.title}>", "exec"), namespace)
    return buffer.getvalue()


def run_lab(
    logdir: str | Path = "visualisation_files",
    show: Callable[[int, LabStep, str], None] | None = None,
    pause: Callable[[], None] | None = None,
) -> dict:
    """Run every step; ``show(index, step, output)`` after each and ``pause()`` between them.

    Returns the final namespace (the lab's variables), which tests and callers can inspect.
    """
    import numpy as np

    namespace: dict = {"__name__": "__lab__", "LOGDIR": str(logdir)}
    with np.printoptions():  # the lab sets print options; give the caller's back afterwards
        for index, step in enumerate(STEPS):
            output = run_step(step, namespace)
            if show is not None:
                show(index, step, output)
            if pause is not None and index < len(STEPS) - 1:
                pause()
    return namespace
