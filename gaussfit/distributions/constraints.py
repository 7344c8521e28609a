"""Where a parameter may live, and the unconstrained coordinate the optimiser moves instead.

Optimisers work best on the whole real line, so each constrained parameter is reached through a
smooth bijection built from engine ops: ``exp`` for positive parameters (a log-scale step is a
relative change, which suits scales and rates), ``sigmoid`` for probabilities. A user's own
family may bound a parameter anywhere: ``lower + exp(u)`` above a bound, ``upper - exp(u)``
below one, ``lower + (upper - lower) sigmoid(u)`` between two. An integer parameter (a number
of trials) is never estimated: it has no bijection and is only ever held fixed, so the graph
sees exactly the number given, not exp(log(20)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import gaussfit.engine as tf

_KINDS = (
    "real",
    "positive",
    "unit_interval",
    "greater_than",
    "less_than",
    "interval",
    "integer",
    "positive_integer",
)


@dataclass(frozen=True)
class Constraint:
    """A parameter's domain: the interval (lower, upper) and its bijection from the reals.

    ``name`` says which bijection (one of ``_KINDS``). The bounds are open, except that a
    closed bound (``lower_closed``/``upper_closed``, e.g. ``>= 0``) may be taken by a value
    held fixed; a free parameter always stays strictly inside.
    """

    name: str
    lower: float
    upper: float
    lower_closed: bool = False
    upper_closed: bool = False

    def __post_init__(self) -> None:
        if self.name not in _KINDS:
            raise ValueError(f"unknown constraint kind {self.name!r}")

    @property
    def integer(self) -> bool:
        return self.name in ("integer", "positive_integer")

    def contains(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.integer and value != math.floor(value):
            return False
        above = value >= self.lower if self.lower_closed else value > self.lower
        below = value <= self.upper if self.upper_closed else value < self.upper
        return above and below

    def to_constrained(self, free: tf.Tensor) -> tf.Tensor:
        """Graph ops mapping an unconstrained tensor into the domain."""
        if self.name == "positive":
            return tf.exp(free)
        if self.name == "unit_interval":
            return tf.sigmoid(free)
        if self.name == "greater_than":
            return self.lower + tf.exp(free)
        if self.name == "less_than":
            return self.upper - tf.exp(free)
        if self.name == "interval":
            return self.lower + (self.upper - self.lower) * tf.sigmoid(free)
        return free

    def to_unconstrained(self, value: float) -> float:
        """The unconstrained coordinate of a value inside the domain (-inf or inf at a closed
        bound, which only a fixed value may sit on)."""
        if self.name == "positive":
            return _log(value)
        if self.name == "unit_interval":
            return _log(value) - _log(1.0 - value)
        if self.name == "greater_than":
            return _log(value - self.lower)
        if self.name == "less_than":
            return _log(self.upper - value)
        if self.name == "interval":
            t = (value - self.lower) / (self.upper - self.lower)
            return _log(t) - _log(1.0 - t)
        return float(value)

    def from_unconstrained(self, u: float) -> float:
        """The value of an unconstrained coordinate (numbers, not graph): to_constrained's
        inverse partner, for intervals and differences computed outside the engine."""
        if self.name == "positive":
            return math.exp(min(u, 709.0))
        if self.name == "unit_interval":
            return _expit(u)
        if self.name == "greater_than":
            return self.lower + math.exp(min(u, 709.0))
        if self.name == "less_than":
            return self.upper - math.exp(min(u, 709.0))
        if self.name == "interval":
            return self.lower + (self.upper - self.lower) * _expit(u)
        return u

    def jacobian(self, value: float) -> float:
        """d(value)/d(free) at ``value``: the delta method's factor for standard errors."""
        if self.name == "positive":
            return value
        if self.name == "unit_interval":
            return value * (1.0 - value)
        if self.name == "greater_than":
            return value - self.lower
        if self.name == "less_than":
            return value - self.upper  # upper - exp(u) falls as u rises
        if self.name == "interval":
            return (value - self.lower) * (self.upper - value) / (self.upper - self.lower)
        return 1.0

    def describe(self) -> str:
        """The domain as a user writes it in ``--params``: ``>0``, ``(0,1)``, ``real``."""
        if self.name == "real":
            return "real"
        if self.name == "positive":
            return ">0"
        if self.name == "unit_interval":
            return "(0,1)"
        if self.integer:
            return f">={self.lower:g} integer"
        if self.name == "greater_than":
            return f"{'>=' if self.lower_closed else '>'}{self.lower:g}"
        if self.name == "less_than":
            return f"{'<=' if self.upper_closed else '<'}{self.upper:g}"
        left = "[" if self.lower_closed else "("
        right = "]" if self.upper_closed else ")"
        return f"{left}{self.lower:g},{self.upper:g}{right}"


def _log(value: float) -> float:
    return math.log(value) if value > 0 else -math.inf


def _expit(u: float) -> float:
    return 1.0 / (1.0 + math.exp(-u)) if u >= 0 else math.exp(u) / (1.0 + math.exp(u))


REAL = Constraint("real", -math.inf, math.inf)
POSITIVE = Constraint("positive", 0.0, math.inf)
UNIT_INTERVAL = Constraint("unit_interval", 0.0, 1.0)
POSITIVE_INTEGER = Constraint("positive_integer", 1.0, math.inf, lower_closed=True)
