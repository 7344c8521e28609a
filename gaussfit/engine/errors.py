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


class NotFoundError(OpError):
    """Something named does not exist (a checkpoint file, a variable in a checkpoint)."""


def not_implemented(namespace: str, name: str) -> AttributeError:
    """The AttributeError for a TF1 name this engine lacks: it says so, and suggests nothing
    (a "did you mean" pointing at a different function would mislead a TF1 user)."""
    return AttributeError(
        f"{namespace}.{name} is not implemented in gaussfit.engine (the engine implements the "
        f"TensorFlow 1 names listed in its README)"
    )
