"""A live status line on stderr while a fit runs, only when stderr is a terminal.

Pipes, files and ``--json``/``--quiet`` runs get nothing: progress is for people watching.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from gaussfit.cli.environment import Environment

if TYPE_CHECKING:
    from gaussfit.fitting import Step

REFRESH_SECONDS = 0.1


@contextmanager
def fit_progress(
    env: Environment, label: str, *, enabled: bool = True
) -> Iterator[Callable[[Step], None] | None]:
    """Yield an ``on_step`` callback that updates a spinner, or None when there is no terminal."""
    if not (enabled and env.stderr_isatty):
        yield None
        return
    console = env.console(stderr=True)
    last = 0.0
    with console.status(label) as status:

        def on_step(step: Step) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= REFRESH_SECONDS:
                last = now
                status.update(f"{label}: iteration {step.iteration}, log p(X) = {step.loglik:.3f}")

        yield on_step
