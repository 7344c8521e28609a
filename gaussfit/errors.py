"""Typed errors that carry the place at fault.

Library code raises these; only the command-line edge turns them into a one-line message and an
exit code, so the same failure reads the same whether it came from the API, the CLI or a batch.
"""

from __future__ import annotations


class GaussfitError(Exception):
    """Base class of every error gaussfit raises on purpose (never a bug)."""


class DataError(GaussfitError, ValueError):
    """The input data cannot be used: unreadable, malformed, or outside a family's support.

    When the problem is one value of an array, `item` is its 0-based position and `detail` the
    message without the position, so that a caller who knows where the array came from (a
    file's lines) can say so instead.
    """

    def __init__(self, message: str, *, item: int | None = None, detail: str | None = None):
        super().__init__(message)
        self.item = item
        self.detail = detail if detail is not None else message


class ConfigError(GaussfitError, ValueError):
    """A batch configuration or a command-line option is malformed."""


class FitError(GaussfitError, RuntimeError):
    """Optimisation failed (divergence, NaN); the message says what to change."""
