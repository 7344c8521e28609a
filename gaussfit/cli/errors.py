"""The edge where exceptions become one line on stderr and an exit code.

Library code raises typed errors (``DataError``, ``ConfigError``, ``FitError``); click raises
usage errors. Nothing else in the command line formats an error or chooses an exit code, so the
same mistake always reads the same and exits the same.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import IO

import click

from gaussfit.cli.exit_codes import ExitCode
from gaussfit.errors import ConfigError, DataError, FitError, GaussfitError

DEBUG_VARIABLE = "GAUSSFIT_DEBUG"


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code a failure maps to (see ``exit_codes.ExitCode``)."""
    if isinstance(error, (DataError, ConfigError, click.ClickException, OSError)):
        return ExitCode.BAD_INPUT
    if isinstance(error, (FitError, GaussfitError)):
        return ExitCode.FIT_FAILED
    if isinstance(error, (KeyboardInterrupt, click.Abort)):
        return ExitCode.INTERRUPTED
    return ExitCode.INTERNAL_ERROR


def message_for(error: BaseException) -> str:
    """One line of text that says what went wrong (and what to do), without a traceback."""
    if isinstance(error, click.UsageError):
        text = error.format_message()
        if error.ctx is not None:
            text = text.rstrip()
            end = "" if text.endswith((".", "?", "!")) else "."
            text = f"{text}{end} See '{error.ctx.command_path} --help'."
    elif isinstance(error, click.ClickException):
        text = error.format_message()
    elif isinstance(error, (KeyboardInterrupt, click.Abort)):
        text = "interrupted"
    elif isinstance(error, GaussfitError):
        text = str(error)
    elif isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        text = f"{error.strerror or error}{where}"
    elif isinstance(error, MemoryError):
        text = "out of memory (try a smaller data set or fewer --bootstrap resamples)"
    else:
        text = (
            f"internal error ({type(error).__name__}: {error}); this is a bug in gaussfit, "
            f"please report it (set {DEBUG_VARIABLE}=1 to see the traceback)"
        )
    return " ".join(text.split())


def report(error: BaseException, stream: IO[str], *, color: bool = False) -> ExitCode:
    """Write ``Error: ...`` to ``stream`` and return the exit code for ``error``."""
    code = exit_code_for(error)
    if code is ExitCode.INTERNAL_ERROR and os.environ.get(DEBUG_VARIABLE):
        traceback.print_exception(error, file=stream)
    label = click.style("Error:", fg="red", bold=True) if color else "Error:"
    # A batch configuration reports every mistake at once: one line, one "Error:", each.
    pieces = str(error).splitlines() if isinstance(error, ConfigError) else [""]
    lines = [" ".join(p.split()) for p in pieces if p.strip()] if len(pieces) > 1 else None
    try:
        for line in lines or [message_for(error)]:
            stream.write(f"{label} {line}\n")
        stream.flush()
    except (OSError, ValueError):  # stderr itself is gone; the exit code still tells
        pass
    return code


def silence_broken_stdout() -> None:
    """After EPIPE (``gaussfit simulate ... | head``) point stdout at devnull so that Python's
    final flush does not complain on stderr."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
