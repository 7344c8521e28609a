"""The stack of default sessions that ``Tensor.eval`` and ``Operation.run`` use.

Kept apart from ``session.py`` so that graphs and variables can find the default session
without importing the session (which imports them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

_DEFAULT_SESSIONS: list[Any] = []


@contextlib.contextmanager
def as_default(session: Any) -> Iterator[Any]:
    """Make ``session`` the default inside the ``with`` block."""
    _DEFAULT_SESSIONS.append(session)
    try:
        yield session
    finally:
        _DEFAULT_SESSIONS.remove(session)


def push(session: Any) -> None:
    """Make ``session`` the default until it is closed (``InteractiveSession``)."""
    _DEFAULT_SESSIONS.append(session)


def remove(session: Any) -> None:
    if session in _DEFAULT_SESSIONS:
        _DEFAULT_SESSIONS.remove(session)


def get_default_session() -> Any:
    """The innermost default session, or None (TF1's ``tf.get_default_session``)."""
    return _DEFAULT_SESSIONS[-1] if _DEFAULT_SESSIONS else None


def session_or_default(session: Any) -> Any:
    """``session`` if given, else the default one; TF1's ValueError when there is none."""
    if session is not None:
        return session
    default = get_default_session()
    if default is None:
        raise ValueError(
            "Cannot evaluate tensor using `eval()`: No default session is registered. Use "
            "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`"
        )
    return default
