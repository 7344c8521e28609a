"""The streams and terminal facts a command talks to, gathered in one object.

Commands never touch ``sys.stdout`` or ``os.environ`` directly: they ask the Environment for a
console. Tests build an Environment around their own streams (or pretend to be a terminal) and
pass it as click's ``obj``; the real command builds one from ``sys`` at start-up.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

# Tables have up to nine columns; when the output is a file or a pipe there is no terminal width
# to respect, so use one wide enough that the results table never wraps its numbers.
PIPE_WIDTH = 200


@dataclass
class Environment:
    """Standard streams, whether each is a terminal, and the user's colour preference."""

    stdin: IO[Any]
    stdout: IO[str]
    stderr: IO[str]
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    no_color: bool = False
    width: int | None = None

    @classmethod
    def from_system(cls) -> Environment:
        """The process's own streams (read at call time, so click's test runner is honoured)."""
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            no_color=bool(os.environ.get("NO_COLOR")),
            width=_columns(),
        )

    def console(self, *, stderr: bool = False) -> Console:
        """A rich console on stdout (or stderr): colour only on a terminal and without NO_COLOR."""
        from rich.console import Console

        terminal = self.stderr_isatty if stderr else self.stdout_isatty
        return Console(
            file=self.stderr if stderr else self.stdout,
            force_terminal=terminal,
            no_color=self.no_color,
            color_system="auto" if terminal and not self.no_color else None,
            highlight=False,
            emoji=False,
            width=self.width if terminal else max(self.width or 0, PIPE_WIDTH),
        )

    def write(self, text: str) -> None:
        """Plain text on stdout, exactly as given (JSON, CSV)."""
        self.stdout.write(text)
        self.stdout.flush()


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _columns() -> int | None:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return None
