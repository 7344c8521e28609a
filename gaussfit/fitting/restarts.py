"""Restarts for families that start blind: a fixed start, then others when it fails.

A family with a data-driven start (every built-in one) converges from it or fails for a reason
worth reporting. A family that declares only its density (a user's ``--logpdf``, a ``Family``
subclass without ``initial``) starts at a fixed point inside each domain that may lie far from
the data, where the log-likelihood is -inf or Newton's steps wander. Its fit is then retried
from a fixed sequence of other points: two guesses on the data's scale (every real parameter
at the data's median, every positive one at their spread, then at the median's size), then, in
the optimiser's coordinates, every coordinate moved together by ±2 and ±4, then seeded
Gaussian draws around the start. The first converged fit is kept, else the best one that ended
without error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import FitError
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.optimizers import Outcome, Settings, optimize

SHIFTS = (-2.0, 2.0, -4.0, 4.0)
DRAWS = 8
SPREAD = 2.0


@dataclass
class Restarted:
    """The outcome kept, and how many other starts were tried to reach it (0: none)."""

    outcome: Outcome
    restarts: int


def starts_blind(family: Family) -> bool:
    """Whether the family uses the base class's data-blind start."""
    return type(family).initial is Family.initial


def optimize_with_restarts(
    model: LikelihoodModel, settings: Settings, family: Family, x: np.ndarray
) -> Restarted:
    """``optimize`` from the model's point; for a family that starts blind, on failure (an
    error or no convergence) again from the other points, the first converged fit kept."""
    origin = model.get_free()
    try:
        first: Outcome | None = optimize(model, settings)
        failure: FitError | None = None
    except FitError as error:
        first, failure = None, error
    if (first is not None and first.converged) or not starts_blind(family) or origin.size == 0:
        if first is None:
            raise failure  # type: ignore[misc]
        return Restarted(first, 0)
    best: tuple[float, np.ndarray, Outcome] | None = None
    if first is not None and math.isfinite(model.value()):
        best = (model.value(), model.get_free(), first)
    tried = 0
    for candidate in [*_data_scale(model, family, x), *_candidates(origin)]:
        tried += 1
        model.set_free(candidate)
        try:
            outcome = optimize(model, settings)
        except FitError:
            continue
        value = model.value()
        if outcome.converged:
            return Restarted(outcome, tried)
        if math.isfinite(value) and (best is None or value > best[0]):
            best = (value, model.get_free(), outcome)
    if best is None:
        assert failure is not None
        raise FitError(
            f"{failure}; {tried} other starting points failed too: give one near the "
            "answer with --init (init= in Python)"
        )
    model.set_free(best[1])
    return Restarted(best[2], tried)


def _data_scale(model: LikelihoodModel, family: Family, x: np.ndarray) -> list[np.ndarray]:
    """The optimiser's coordinates of the two guesses on the data's scale (a parameter that is
    neither real nor positive keeps its start)."""
    finite = x[np.isfinite(x)]
    if finite.size == 0 or model.space != "unconstrained":
        return []
    median = float(np.median(finite))
    spread = float(np.std(finite))
    start = model.natural_params()
    out = []
    for size in (spread, abs(median)):
        guess = dict(start)
        for p in family.parameters:
            if p.name in model.fixed:
                continue
            if p.constraint.name == "real":
                guess[p.name] = median
            elif p.constraint.name == "positive" and size > 0:
                guess[p.name] = size
        free = family.to_unconstrained(guess)
        values = np.array([free[name] for name in model.variable_names])
        if np.all(np.isfinite(values)):
            out.append(values)
    return out


def _candidates(origin: np.ndarray) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    shifted = [origin + shift for shift in SHIFTS]
    drawn = [origin + SPREAD * rng.standard_normal(origin.shape) for _ in range(DRAWS)]
    return shifted + drawn
