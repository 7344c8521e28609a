"""TensorFlow-1-named errors raised while running a graph.

Class names and message wording follow TF1 so that a user who knows TensorFlow recognises them;
every message names the node at fault.
"""

from __future__ import annotations

from gaussfit.errors import GaussfitError


class OpError(GaussfitError):
    """A failure while executing an operation; ``op`` is the operation at fault (or None)."""

    def __init__(self, message: str, op: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.op = op


class InvalidArgumentError(OpError, ValueError):
    """An op received an input it cannot use (unfed placeholder, bad feed, bad shapes)."""


class FailedPreconditionError(OpError):
    """The graph's state does not allow the op to run (e.g. an uninitialised variable)."""


class UnimplementedError(OpError):
    """The op exists but this engine cannot run it for these inputs."""
