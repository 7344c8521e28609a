"""A live status line on stderr while fits run, only when stderr is a terminal.

Pipes, files and ``--json``/``--quiet`` runs get nothing: progress is for people watching.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from gaussfit.cli.environment import Environment

if TYPE_CHECKING:
    from gaussfit.fitting import Step

REFRESH_SECONDS = 0.1


class StatusLine:
    """What the status line says: a label (``fitting gamma (3 of 11)``) and the latest step."""

    def __init__(self, status: Any, label: str) -> None:
        self.status = status
        self.label = label
        self.last = 0.0

    def relabel(self, label: str) -> None:
        self.label = label
        self.last = 0.0
        self.status.update(label)

    def on_family(self, index: int, total: int, name: str) -> None:
        """For ``compare``: which family of how many is being fitted."""
        self.relabel(f"fitting {name} ({index} of {total})")

    def on_step(self, step: Step) -> None:
        now = time.monotonic()
        if now - self.last >= REFRESH_SECONDS:
            self.last = now
            self.status.update(
                f"{self.label}: iteration {step.iteration}, log p(X) = {step.loglik:.3f}"
            )


@contextmanager
def status_line(
    env: Environment, label: str, *, enabled: bool = True
) -> Iterator[StatusLine | None]:
    """A ``StatusLine`` on stderr, or None when there is no terminal to show it on."""
    if not (enabled and env.stderr_isatty):
        yield None
        return
    console = env.console(stderr=True)
    with console.status(label) as status:
        yield StatusLine(status, label)


@contextmanager
def fit_progress(
    env: Environment, label: str, *, enabled: bool = True
) -> Iterator[Callable[[Step], None] | None]:
    """Yield an ``on_step`` callback that updates the status line, or None without a terminal."""
    with status_line(env, label, enabled=enabled) as line:
        yield line.on_step if line is not None else None
