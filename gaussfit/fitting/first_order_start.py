"""Where ``gd``, ``momentum`` and ``adam`` start when no ``init`` is given.

The first-order optimisers are here to show an optimisation, as the lab does. Started from the
data-driven start — for a family with a closed form, the answer itself — they would stop after
one iteration with nothing to show. So they start elsewhere, by a documented rule:

- the normal starts at the lab's mu = 1, sigma = 1, when that start is on the data's scale
  (the data's standard deviation between 0.1 and 10, and 1 within ten of them of the mean);
- otherwise, and for every other family, at the data-driven start moved off: each positive
  parameter doubled, each real one shifted up by one standard deviation of the data;
  probabilities (mixture weights, negative_binomial's p) are kept.

Parameters given in ``init`` or ``fixed`` keep their values.
"""

from __future__ import annotations

import math

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.distributions.weighted import weighted_mean_var

LAB_START = {"mu": 1.0, "sigma": 1.0}


def first_order_start(
    family: Family, x: np.ndarray, w: np.ndarray | None, data_driven: dict[str, float]
) -> dict[str, float]:
    """The documented start of a first-order optimiser for ``family`` on ``x``."""
    mean, variance = weighted_mean_var(x, w)
    sd = math.sqrt(variance) if variance > 0 else 1.0
    if family.name == "normal" and 0.1 <= sd <= 10.0 and abs(mean - 1.0) <= 10.0 * sd:
        return dict(LAB_START)
    start = dict(data_driven)
    for p in family.parameters:
        if p.constraint.name == "positive":
            start[p.name] = 2.0 * data_driven[p.name]
        elif p.constraint.name == "real":
            start[p.name] = data_driven[p.name] + sd
    return start
