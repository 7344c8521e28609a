"""How a text file is read: ``--sep``, ``--decimal``, ``--thousands``, ``--currency``, and a
progress line while a large file is read.

The options are declared once, as one decorator, and reach the command as one ``reading``
mapping that goes to ``load_data`` as it is; the data layer checks the values, so a batch file's
keys of the same names mean the same.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from gaussfit.cli.environment import Environment

READING_KEYS = ("sep", "decimal", "thousands", "currency")
PROGRESS_MIN_BYTES = 16 << 20
"""Files smaller than this are read in well under a second: no progress line for them."""
_REFRESH_SECONDS = 0.1

_OPTIONS = (
    click.option(
        "--sep",
        metavar="CHAR",
        help="Column separator of a text file: one character, 'tab' or 'space' "
        "(runs of blanks).  [default: worked out from the first lines]",
    ),
    click.option(
        "--decimal",
        type=click.Choice([".", ","]),
        help="Decimal mark: '.' or ','.  [default: ',' only where no other reading is "
        "possible, as in 1,5;2,3]",
    ),
    click.option(
        "--thousands",
        metavar="CHAR",
        help="Thousands separator to read, as in 1,234.50: ',' '.' \"'\" '_' or 'space'.",
    ),
    click.option(
        "--currency",
        metavar="MARK",
        help="Currency mark allowed before or after a number, as in $12.50.",
    ),
)


def reading_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the four reading options; the command receives them as ``**reading``."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def given(reading: dict[str, Any]) -> dict[str, Any]:
    """The reading options the user actually gave."""
    return {key: value for key, value in reading.items() if value is not None}


@contextmanager
def read_progress(
    env: Environment, path: str, *, enabled: bool = True
) -> Iterator[Callable[[float], None] | None]:
    """Yield a ``progress(fraction)`` callback that shows ``reading PATH: 42%`` on stderr while
    a large file is read, or None (no terminal, a small file, standard input)."""
    if not (enabled and env.stderr_isatty and _size(path) >= PROGRESS_MIN_BYTES):
        yield None
        return
    label = f"reading {path}"
    last = 0.0
    with env.console(stderr=True).status(label) as status:

        def progress(fraction: float) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= _REFRESH_SECONDS:
                last = now
                status.update(f"{label}: {fraction:.0%}")

        yield progress


def _size(path: str) -> int:
    try:
        return os.path.getsize(path) if path != "-" else 0
    except OSError:
        return 0
