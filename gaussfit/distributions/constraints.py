"""Where a parameter may live, and the unconstrained coordinate the optimiser moves instead.

Optimisers work best on the whole real line, so each constrained parameter is reached through a
smooth bijection built from engine ops: ``exp`` for positive parameters (a log-scale step is a
relative change, which suits scales and rates), ``sigmoid`` for probabilities. A whole number of
trials is never moved by the optimiser (it is given, then held fixed), so it is its own
coordinate: the graph sees exactly the number given, not exp(log(20)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import gaussfit.engine as tf


@dataclass(frozen=True)
class Constraint:
    """A parameter's domain: open interval (lower, upper) and its bijection from the reals."""

    name: str
    lower: float
    upper: float

    def contains(self, value: float) -> bool:
        if self.name == "positive_integer":
            return math.isfinite(value) and value >= 1 and value == math.floor(value)
        return (
            math.isfinite(value) and self.lower < value < self.upper
            if self.name != "real"
            else math.isfinite(value)
        )

    def to_constrained(self, free: tf.Tensor) -> tf.Tensor:
        """Graph ops mapping an unconstrained tensor into the domain."""
        if self.name == "positive":
            return tf.exp(free)
        if self.name == "unit_interval":
            return tf.sigmoid(free)
        return free

    def to_unconstrained(self, value: float) -> float:
        """The unconstrained coordinate of a value inside the domain."""
        if self.name == "positive":
            return math.log(value)
        if self.name == "unit_interval":
            return math.log(value) - math.log1p(-value)
        return float(value)

    def jacobian(self, value: float) -> float:
        """d(value)/d(free) at ``value``: the delta method's factor for standard errors."""
        if self.name == "positive":
            return value
        if self.name == "unit_interval":
            return value * (1.0 - value)
        return 1.0


REAL = Constraint("real", -math.inf, math.inf)
POSITIVE = Constraint("positive", 0.0, math.inf)
UNIT_INTERVAL = Constraint("unit_interval", 0.0, 1.0)
POSITIVE_INTEGER = Constraint("positive_integer", 0.0, math.inf)
