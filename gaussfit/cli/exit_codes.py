"""Exit codes of the ``gaussfit`` command, in one place.

A script driving gaussfit branches on these: 0 means results were produced (possibly with a
loud "did not converge" warning), 1 that a fit diverged, 2 that the input or the command line was
at fault. The rest follow shell conventions (sysexits' EX_SOFTWARE for our own bugs, 128 + signal
number for interrupts and a closed pipe).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FIT_FAILED = 1
    BAD_INPUT = 2
    INTERNAL_ERROR = 70
    INTERRUPTED = 130
    BROKEN_PIPE = 141
