"""Where the plots look: the x range of the value panels and which axes are logarithmic.

Heavy tails would otherwise squash a picture into one spot: a Cauchy sample of 500 has values
hundreds of scales from its centre. When some values lie more than ``FENCE`` interquartile
ranges beyond the quartiles (on the log scale for a log axis), the panels show the quartiles
widened by ``SHOWN`` interquartile ranges on each side, cut to the data's range, and say how
many values lie beyond; otherwise they show the data's whole range. The Q-Q panel takes its
limits from the same view, never from the fitted extremes, and the P-P panel shows the tails.
``--log-scale auto`` puts the value axes on a log scale when positive data
span ``AUTO_DECADES`` decades or more between their 1st and 99th percentiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaussfit.errors import ConfigError

LOG_SCALES = ("auto", "x", "y", "none")
AUTO_DECADES = 3.0
FENCE = 6.0
SHOWN = 3.0


@dataclass(frozen=True)
class View:
    """The value panels' x range, the values outside it, and the log axes."""

    low: float
    high: float
    outside: float
    """Weight of the values beyond ``[low, high]``."""
    log_x: bool
    log_y: bool
    label: str


def check_log_scale(values: np.ndarray, log_scale: str, option: str = "--log-scale") -> None:
    """ConfigError when a log x axis is asked for data it cannot show (values <= 0)."""
    if log_scale not in LOG_SCALES:
        raise ConfigError(f"{option}: must be one of {', '.join(LOG_SCALES)}, not {log_scale!r}")
    if log_scale == "x" and values.size and float(np.min(values)) <= 0:
        raise ConfigError(
            f"{option} x: the data hold values <= 0 (smallest {float(np.min(values)):g}), "
            "which a log axis cannot show; use --log-scale y or none"
        )


def choose_view(
    values: np.ndarray, weights: np.ndarray | None, log_scale: str, label: str, discrete: bool
) -> View:
    """The view of ``values`` (finite bounds, for censored data) under ``log_scale``."""
    check_log_scale(values, log_scale)
    log_x = log_scale == "x" or (
        log_scale == "auto"
        and not discrete
        and float(np.min(values)) > 0
        and _decades(values, weights) >= AUTO_DECADES
    )
    log_y = log_scale == "y"
    if discrete:
        low, high = float(np.min(values)), float(np.max(values))
        return View(min(low, 0.0) - 0.5, high + 0.5, 0.0, False, log_y, label)
    scaled = np.log10(values) if log_x else values
    low, high = float(np.min(scaled)), float(np.max(scaled))
    q1, q3 = _weighted_quantiles(scaled, weights, (0.25, 0.75))
    spread = q3 - q1
    if spread > 0 and (low < q1 - FENCE * spread or high > q3 + FENCE * spread):
        low, high = max(low, q1 - SHOWN * spread), min(high, q3 + SHOWN * spread)
    pad = 0.04 * (high - low or 1.0)
    view_low, view_high = low - pad, high + pad
    if log_x:
        view_low, view_high = 10.0**view_low, 10.0**view_high
    w = np.ones(values.size) if weights is None else weights
    beyond = float(np.sum(w[(values < view_low) | (values > view_high)]))
    return View(view_low, view_high, beyond, log_x, log_y, label)


def _decades(values: np.ndarray, weights: np.ndarray | None) -> float:
    q_low, q_high = _weighted_quantiles(values, weights, (0.01, 0.99))
    return float(np.log10(q_high / q_low)) if q_low > 0 else 0.0


def _weighted_quantiles(
    values: np.ndarray, weights: np.ndarray | None, probs: tuple[float, ...]
) -> tuple[float, ...]:
    if weights is None:
        return tuple(float(q) for q in np.quantile(values, probs))
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    positions = (cumulative - weights[order] / 2) / cumulative[-1]
    return tuple(float(q) for q in np.interp(probs, positions, values[order]))


def grid(view: View, points: int = 512) -> np.ndarray:
    """Evenly spaced x values across the view (on the log scale when the axis is)."""
    if view.log_x:
        return np.geomspace(view.low, view.high, points)
    return np.linspace(view.low, view.high, points)
