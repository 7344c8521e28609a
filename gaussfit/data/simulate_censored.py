"""Censoring simulated draws, so that a censored fit can be checked against the truth.

``--censor`` takes comma-separated pieces:

- ``right:Q``: every draw above the truth's Q-quantile is right-censored there (type I
  censoring, as at the end of a study; about a fraction 1 - Q censored);
- ``left:Q``: every draw below the truth's Q-quantile is left-censored there (a detection
  limit; about a fraction Q censored);
- ``interval:W``: every other draw is reported as the interval of width W that holds it
  (inspections every W time units, from 0).
"""

from __future__ import annotations

import math

import numpy as np

from gaussfit.data.observations import Observations
from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError

KINDS = ("right", "left", "interval")


def parse_censor(text: str) -> list[tuple[str, float]]:
    """``"left:0.1,right:0.9"`` into ``[("left", 0.1), ("right", 0.9)]``, checked."""
    out: list[tuple[str, float]] = []
    for piece in text.split(","):
        kind, sep, raw = piece.strip().partition(":")
        if not sep or kind not in KINDS:
            raise ConfigError(
                f"--censor: {piece.strip()!r} is not KIND:VALUE with KIND one of "
                f"{', '.join(KINDS)} (e.g. right:0.7)"
            )
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"--censor: {raw!r} in {piece.strip()!r} is not a number") from None
        if kind == "interval" and not (value > 0 and math.isfinite(value)):
            raise ConfigError(f"--censor: interval width must be > 0, not {raw}")
        if kind != "interval" and not 0 < value < 1:
            raise ConfigError(f"--censor: {kind}:{raw}: the quantile must lie in (0, 1)")
        if any(k == kind for k, _ in out):
            raise ConfigError(f"--censor: {kind} is given twice")
        out.append((kind, value))
    return out


def censor_draws(
    values: np.ndarray, family: Family, truth: dict[str, float], spec: list[tuple[str, float]]
) -> Observations:
    """The draws as observations censored by ``spec`` (see the module docstring)."""
    dist = family.scipy_dist(truth)
    if dist is None and any(kind != "interval" for kind, _ in spec):
        raise ConfigError(f"--censor: {family.name} has no quantile function for left/right")
    values = np.asarray(values, dtype=np.float64)
    lower, upper = values.copy(), values.copy()
    settings = dict(spec)
    if "interval" in settings:
        width = settings["interval"]
        start = np.floor(values / width) * width
        every_other = np.arange(values.size) % 2 == 1
        lower[every_other] = start[every_other]
        upper[every_other] = start[every_other] + width
    if "left" in settings:
        limit = float(dist.ppf(settings["left"]))
        below = values < limit
        lower[below], upper[below] = -np.inf, limit
    if "right" in settings:
        limit = float(dist.ppf(settings["right"]))
        above = values > limit
        lower[above], upper[above] = limit, np.inf
    if family.discrete:
        lower = np.where(np.isfinite(lower), np.round(lower), lower)
        upper = np.where(np.isfinite(upper), np.round(upper), upper)
    return Observations(lower, upper, source="<simulated>", column="left/right")


def bounds_csv(obs: Observations) -> str:
    """``left,right`` columns (fitdistrplus's layout; an empty cell is an open side)."""

    def cell(value: float) -> str:
        return "" if math.isinf(value) else repr(float(value))

    rows = (f"{cell(lo)},{cell(hi)}" for lo, hi in zip(obs.lower, obs.upper, strict=True))
    return "left,right\n" + "\n".join(rows) + "\n"
