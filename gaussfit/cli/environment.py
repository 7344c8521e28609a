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

from gaussfit.cli.streams import AsciiText, TrimmedLines, can_encode

if TYPE_CHECKING:
    from rich.console import Console

# The width of output that goes to a pipe or a file when COLUMNS does not say otherwise, as
# for other command-line tools; the tables fit in it.
PIPE_WIDTH = 80


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
            stdout=text_stream(sys.stdout),
            stderr=text_stream(sys.stderr),
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            no_color=bool(os.environ.get("NO_COLOR")),
            width=_columns(),
        )

    def console(self, *, stderr: bool = False) -> Console:
        """A rich console on stdout (or stderr): colour only on a terminal and without NO_COLOR.

        Its width is ``COLUMNS`` when set, else the terminal's, else 80; on a pipe or a file
        the padding at the ends of lines is dropped.
        """
        from rich.console import Console

        class _Console(Console):
            def on_broken_pipe(self) -> None:
                # rich would exit 1 ("the fit diverged"); the command line's edge decides.
                self.quiet = True
                raise BrokenPipeError

        terminal = self.stderr_isatty if stderr else self.stdout_isatty
        stream = self.stderr if stderr else self.stdout
        return _Console(
            file=stream if terminal else TrimmedLines(stream),
            force_terminal=terminal,
            no_color=self.no_color,
            color_system="auto" if terminal and not self.no_color else None,
            highlight=False,
            emoji=False,
            width=self.width or (None if terminal else PIPE_WIDTH),
        )

    def write(self, text: str) -> None:
        """Plain text on stdout, exactly as given (JSON, CSV); on an ASCII-only stream any
        non-ASCII character is written as a JSON-style escape."""
        if isinstance(self.stdout, AsciiText):
            self.stdout.write_exact(text)
        else:
            self.stdout.write(text)
        self.stdout.flush()


def text_stream(stream: IO[str]) -> IO[str]:
    """``stream`` itself, or an ASCII-spelling wrapper when its encoding cannot hold the
    report's symbols (``LC_ALL=C`` without UTF-8 mode, ``PYTHONIOENCODING=ascii``)."""
    return stream if can_encode(stream) else AsciiText(stream)  # type: ignore[return-value]


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _columns() -> int | None:
    """``COLUMNS`` when it holds a sensible width; None lets the terminal (or 80) decide."""
    try:
        width = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        return None
    return width if width >= 20 else None
