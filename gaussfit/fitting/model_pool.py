"""Likelihood graphs kept between fits, so that a loop of small fits builds each one once.

A fit on 30 values spends most of its time on what does not depend on the values: building
the family's log-likelihood graph and its gradient and Hessian graphs, numbering the plans
of its session, and compiling those plans. A bootstrap, a simulation study or a test suite
refits the same family again and again; here the finished model (graph, session, its plans
and their compiled programs) is handed back after use and lent to the next fit that asks for
the same thing.

A model is lent to one user at a time (it leaves the pool while borrowed), so no two fits,
threads included, share one; and it is only pooled where nothing about it can differ between
two fits that ask with equal keys:

* the family is one of the registered built-in families (a user's own family may build from
  anything), and its instance holds only public plain values (a binomial's ``trials``, a
  mixture's ``k``), which join the key; a family keeping state between calls (a three
  parameter family's last fit, a ``_``-prefixed attribute) is never pooled;
* everything baked into the graph as a constant (held parameters) is part of the key, by
  its exact bits;
* what changes between fits (data, statistics, parameter values) is fed or loaded, never
  built in.

``GAUSSFIT_MODEL_POOL=off`` in the environment, or ``set_enabled(False)``, builds a fresh
model for every fit (as before). Results are the same either way up to the last bits of sums:
a lent model's plans are already compiled, where a fresh model interprets its first runs (see
``gaussfit.engine.plan``), so a fit may differ in its last digit from the same fit in a fresh
process.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

from gaussfit.distributions.base import Family

MAX_KEYS = 32
"""Distinct (kind, family, options) keys kept; the least recently used is closed first."""

MAX_VALUES = 1 << 16
"""Models fed more values than this in one run are not kept: their compiled programs hold
buffers of that size, and on such data building the graph is a small part of the fit."""

_PLAIN = (bool, int, float, str, type(None))


class Closable(Protocol):
    def close(self) -> None: ...


M = TypeVar("M", bound=Closable)

_lock = threading.Lock()
_free: OrderedDict[tuple, list[Any]] = OrderedDict()
_state = {"enabled": os.environ.get("GAUSSFIT_MODEL_POOL", "on").lower() not in ("off", "0")}


def small(values: int) -> bool:
    """Whether a model fed ``values`` numbers per run is small enough to keep."""
    return values <= MAX_VALUES


def family_key(family: Family) -> tuple | None:
    """What identifies ``family``'s graphs: its class and its public options; None where it
    cannot be pooled (a user's family, or one keeping state in private attributes)."""
    cls = type(family)
    if not cls.__module__.startswith("gaussfit.distributions."):
        return None
    options = []
    for name, value in sorted(vars(family).items()):
        if name.startswith("_") or type(value) not in _PLAIN:
            return None
        options.append((name, exact(value)))
    return (cls, tuple(options))


def exact(value: Any) -> Any:
    """A value as a key that tells apart everything a graph could: floats by their bits
    (0.0 and -0.0 differ), the type beside it (1 and 1.0 and True differ)."""
    if isinstance(value, float):
        return (float, value.hex())
    return (type(value), value)


def fixed_key(fixed: dict[str, float] | None) -> tuple:
    """Held parameters as part of a key (they become constants of the graph)."""
    return tuple(sorted((name, exact(float(v))) for name, v in (fixed or {}).items()))


@contextlib.contextmanager
def borrowed(key: tuple | None, build: Callable[[], M]) -> Iterator[M]:
    """A model for ``key`` from the pool (``build()`` when none is free), handed back after
    the block; with ``key`` None (not poolable) or the pool switched off, a fresh model that
    is closed after the block."""
    model = _take(key) if key is not None and _state["enabled"] else None
    if model is None:
        model = build()
    try:
        yield model
    finally:
        if key is not None and _state["enabled"]:
            _give_back(key, model)
        else:
            model.close()


def _take(key: tuple) -> Any:
    with _lock:
        models = _free.get(key)
        if not models:
            return None
        _free.move_to_end(key)
        return models.pop()


def _give_back(key: tuple, model: Any) -> None:
    evicted: list[Any] = []
    with _lock:
        _free.setdefault(key, []).append(model)
        _free.move_to_end(key)
        while len(_free) > MAX_KEYS:
            evicted.extend(_free.popitem(last=False)[1])
    for old in evicted:
        old.close()


def clear() -> None:
    """Close and forget every pooled model."""
    with _lock:
        models = [m for group in _free.values() for m in group]
        _free.clear()
    for model in models:
        model.close()


def set_enabled(enabled: bool) -> bool:
    """Switch pooling on or off; returns the old setting. While it is off every fit builds
    and closes its own models, and the pooled ones wait untouched (``clear`` frees them)."""
    old = _state["enabled"]
    _state["enabled"] = bool(enabled)
    return old


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Build a fresh model for every fit inside the block (a baseline to measure against)."""
    old = set_enabled(False)
    try:
        yield
    finally:
        set_enabled(old)


def pooled_count() -> int:
    """How many models wait in the pool now (for tests and benchmarks)."""
    with _lock:
        return sum(len(group) for group in _free.values())
