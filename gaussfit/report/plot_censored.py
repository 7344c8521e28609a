"""Panels for censored data, after fitdistrplus's ``plotdistcens`` and ``cdfcompcens``.

The empirical curve is the nonparametric MLE of the CDF (:func:`gaussfit.fitting.empirical.
nonparametric_cdf`: Kaplan–Meier, or Turnbull's estimate with left- or interval-censored rows).
Turnbull's estimate puts its mass on "innermost" intervals and says nothing about how the mass
is spread inside one, so there the curve is drawn as a grey rectangle (from the CDF before the
interval to the CDF after it, as fitdistrplus draws the NPMLE) and flat steps between them; the
Q-Q and P-P panels read the same rectangles off each fitted model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gaussfit.errors import DataError
from gaussfit.report.plot_models import DATA_COLOUR, Curve
from gaussfit.report.plot_panels import MARKERS, qq_frame, value_axis
from gaussfit.report.plot_view import View, grid

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from gaussfit.data.observations import Observations

RECTANGLE = "#d9d9d9"
MAX_ROWS_SHOWN = 400
KIND_COLOURS = {
    "exact": "#000000",
    "left": "#0072b2",
    "right": "#d55e00",
    "interval": "#009e73",
}


def npmle_of(observations: Observations) -> dict[str, Any]:
    """The NPMLE of the CDF, or DataError saying why there is none for these data."""
    from gaussfit.fitting.empirical import nonparametric_cdf

    npmle, reason = nonparametric_cdf(observations)
    if npmle is None:
        raise DataError(f"{observations.source}: no empirical CDF to draw: {reason}")
    return npmle


def _arrays(npmle: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    lower = np.asarray(npmle["lower"], dtype=np.float64)
    upper = np.asarray(npmle["upper"], dtype=np.float64)
    after = np.asarray(npmle["cdf"], dtype=np.float64)
    before = np.concatenate([[0.0], after[:-1]])
    return lower, upper, before, after


def intervals_panel(ax: Axes, observations: Observations, view: View) -> None:
    """Each row as what is known of it: a point, or a segment running to the panel's edge
    for an open side; rows sorted by their representative value (``plotdistcens``)."""
    lower, upper = observations.lower, observations.upper
    order = np.argsort(observations.pseudo_values(), kind="stable")
    if order.size > MAX_ROWS_SHOWN:
        order = order[np.round(np.linspace(0, order.size - 1, MAX_ROWS_SHOWN)).astype(int)]
    rank = np.arange(order.size)
    low = np.where(np.isfinite(lower[order]), lower[order], view.low)
    high = np.where(np.isfinite(upper[order]), upper[order], view.high)
    kinds = observations.kinds()
    for kind, colour in KIND_COLOURS.items():
        mask = kinds[kind][order]
        if not np.any(mask):
            continue
        words = {"exact": "exact", "left": "left-censored", "right": "right-censored"}
        label = words.get(kind, "interval-censored")
        if kind == "exact":
            ax.plot(low[mask], rank[mask], "o", ms=2.2, color=colour, label=label)
        else:
            ax.hlines(rank[mask], low[mask], high[mask], color=colour, lw=0.9, label=label)
    value_axis(ax, view)
    ax.set_ylabel("row (sorted)")
    ax.set_title("Censored data")


def cdf_panel(ax: Axes, npmle: dict[str, Any], curves: list[Curve], view: View) -> None:
    """The NPMLE (steps; grey rectangles where Turnbull leaves it open) and the fitted CDFs."""
    lower, upper, before, after = _arrays(npmle)
    method = "Kaplan–Meier" if npmle["method"] == "kaplan-meier" else "Turnbull"
    _rectangles(ax, np.clip(lower, view.low, view.high), np.clip(upper, view.low, view.high),
                before, after)  # fmt: skip
    starts = np.concatenate([[view.low], upper])
    ends = np.concatenate([lower, [view.high]])
    levels = np.concatenate([[0.0], after])
    xs = np.column_stack([starts, ends, np.full(starts.size, np.nan)]).ravel()
    ys = np.repeat(levels, 3)
    ax.plot(xs, ys, color="black", lw=1.1, label=f"{method} NPMLE")
    risers = np.column_stack([lower, lower, np.full(lower.size, np.nan)]).ravel()
    ax.plot(risers, np.column_stack([before, after, before]).ravel(), color="black", lw=0.5)
    points = grid(view)
    for curve in curves:
        ax.plot(points, curve.cdf(points), color=curve.colour, lw=1.8, label=curve.label)
    value_axis(ax, view)
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("cumulative probability")
    ax.set_title("NPMLE and fitted CDFs")


def qq_panel(ax: Axes, npmle: dict[str, Any], curves: list[Curve], view: View) -> None:
    """Per innermost interval: the fitted quantiles of its probability range (x) against
    the interval (y), a rectangle; a point for Kaplan–Meier's exact event times."""
    lower, upper, before, after = _arrays(npmle)
    mass = after > before
    finite = np.concatenate([lower[np.isfinite(lower)], upper[np.isfinite(upper)]])
    limits = (max(float(np.min(finite)), view.low), min(float(np.max(finite)), view.high))
    for curve, marker in zip(curves, MARKERS, strict=False):
        q0 = curve.quantile(before[mass], finite)
        q1 = curve.quantile(after[mass], finite)
        if npmle["method"] == "kaplan-meier":
            mid = curve.quantile((before[mass] + after[mass]) / 2, finite)
            ax.plot(mid, lower[mass], marker, ms=2.8, alpha=0.75, mec="none", color=curve.colour)
        else:
            _rectangles(ax, q0, q1, lower[mass], upper[mass], edge=curve.colour)
    qq_frame(ax, view, limits)


def pp_panel(ax: Axes, npmle: dict[str, Any], curves: list[Curve]) -> None:
    """Per innermost interval: the fitted CDF across it (x) against the NPMLE's probability
    range (y)."""
    lower, upper, before, after = _arrays(npmle)
    mass = after > before
    for curve, marker in zip(curves, MARKERS, strict=False):
        if npmle["method"] == "kaplan-meier":
            at = curve.cdf(lower[mass])
            centre = (before[mass] + after[mass]) / 2
            ax.plot(at, centre, marker, ms=2.8, alpha=0.75, mec="none", color=curve.colour)
        else:
            _rectangles(ax, curve.cdf(lower[mass]), curve.cdf(upper[mass]), before[mass],
                        after[mass], edge=curve.colour)  # fmt: skip
    ax.plot([0, 1], [0, 1], color=DATA_COLOUR, lw=1, zorder=0)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("fitted probabilities")
    ax.set_ylabel("empirical probabilities")
    ax.set_title("P-P plot")


def _rectangles(
    ax: Axes,
    x0: np.ndarray,
    x1: np.ndarray,
    y0: np.ndarray,
    y1: np.ndarray,
    edge: str | None = None,
) -> None:
    """Axis-aligned rectangles in one collection (one SVG path, not one element each)."""
    from matplotlib.collections import PolyCollection

    keep = np.isfinite(x0) & np.isfinite(x1) & np.isfinite(y0) & np.isfinite(y1)
    corners = np.stack(
        [
            np.column_stack([x0, y0]),
            np.column_stack([x1, y0]),
            np.column_stack([x1, y1]),
            np.column_stack([x0, y1]),
        ],
        axis=1,
    )[keep]
    if edge is None:
        collection = PolyCollection(corners, facecolors=RECTANGLE, edgecolors="none")
    else:
        collection = PolyCollection(corners, facecolors="none", edgecolors=edge, linewidths=0.9)
    ax.add_collection(collection)
