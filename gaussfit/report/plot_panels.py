"""The four panels of fitdistrplus's ``plot(fitdist(...))`` for exact values, each drawing the
data once and every fitted :class:`Curve` in its own colour.

* density: a histogram (counts: bars of observed frequencies) with each fitted density (mass);
* CDF: the empirical CDF as a step with each fitted CDF (counts: steps too);
* Q-Q: fitted quantiles (x) against the data's (y), limits from the data's range;
* P-P: fitted probabilities (x) against the empirical ones (y), which shows the tails' fit on
  a scale where heavy tails take no more room than the centre.

Every panel gets its own axis labels and title; the legend belongs to the figure (below the
panels), so it never covers data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from gaussfit.report.plot_models import DATA_COLOUR, DATA_FILL, Curve, Empirical
from gaussfit.report.plot_view import View, grid

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MIN_BINS, MAX_BINS = 10, 60
SPIKE_RATIO = 2.5
"""A fitted density more than this many times the histogram's tallest bar (a gamma with shape
below 1 at 0) is clipped at the top instead of flattening the histogram."""
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def density_panel(
    ax: Axes, x: np.ndarray, w: np.ndarray | None, curves: list[Curve], view: View
) -> None:
    """Histogram of the values inside the view, as a density of the whole sample (so the
    fitted densities are on its scale even when the view leaves tail values out). On a log
    axis both are densities of log10(x), so that a lognormal looks like the bell it is there
    rather than a spike against the axis."""
    weights = np.ones(x.size) if w is None else w
    inside = (x >= view.low) & (x <= view.high)
    edges = _bin_edges(x[inside], weights[inside], view)
    counts, _ = np.histogram(x[inside], bins=edges, weights=weights[inside])
    widths = np.diff(np.log10(edges)) if view.log_x else np.diff(edges)
    heights = counts / (np.sum(weights) * widths)
    ax.stairs(heights, edges, fill=True, color=DATA_FILL, label="data")
    ax.stairs(heights, edges, color=DATA_COLOUR, lw=0.6)
    top = float(np.max(heights)) if heights.size else 1.0
    xs = grid(view)
    tallest = 0.0
    for curve in curves:
        xs_in = xs[~curve.family.support.violations(xs)]
        ys = curve.density(xs_in) * (xs_in * np.log(10.0) if view.log_x else 1.0)
        finite = np.isfinite(ys)
        if np.any(finite):
            tallest = max(tallest, float(np.max(ys[finite])))
        ax.plot(xs_in, ys, color=curve.colour, lw=1.8, label=curve.label)
    ceiling = max(top, min(tallest, SPIKE_RATIO * top))
    if view.log_y:
        positive = heights[heights > 0]
        ax.set_yscale("log")
        ax.set_ylim(float(np.min(positive)) / 3 if positive.size else None, ceiling * 2)
    else:
        ax.set_ylim(0, 1.08 * ceiling)
    value_axis(ax, view)
    ax.set_ylabel(f"density of log10({view.label})" if view.log_x else "density")
    ax.set_title("Histogram and fitted densities")
    _note_outside(ax, view, float(np.sum(weights)))


def counts_panel(
    ax: Axes, x: np.ndarray, w: np.ndarray | None, curves: list[Curve], view: View
) -> None:
    """Observed frequencies as bars, each fitted probability mass as markers beside them."""
    values = np.arange(0, int(np.max(x)) + 1)
    counts = np.bincount(x.astype(np.int64), weights=w, minlength=len(values))
    frequencies = counts / np.sum(counts)
    ax.bar(values, frequencies, width=0.8, color=DATA_FILL, edgecolor=DATA_COLOUR, lw=0.4,
           label="data")  # fmt: skip
    offsets = _offsets(len(curves))
    size = 4 if len(values) <= 40 else 2.5
    for curve, offset, marker in zip(curves, offsets, MARKERS, strict=False):
        ax.plot(
            values + offset,
            curve.density(values.astype(np.float64)),
            marker=marker,
            ms=size,
            lw=0.9,
            color=curve.colour,
            label=curve.label,
        )
    if view.log_y:
        ax.set_yscale("log")
        positive = frequencies[frequencies > 0]
        ax.set_ylim(float(np.min(positive)) / 3, float(np.max(positive)) * 2)
    ax.set_xlim(view.low, view.high)
    ax.set_xlabel(view.label)
    ax.set_ylabel("probability")
    ax.set_title("Observed and fitted probabilities")


def cdf_panel(
    ax: Axes, empirical: Empirical, curves: list[Curve], view: View, discrete: bool
) -> None:
    values = np.concatenate([[view.low], empirical.values, [view.high]])
    levels = np.concatenate([[0.0], empirical.cdf, [1.0]])
    ax.step(values[:-1], levels[:-1], where="post", color="black", lw=1.1, label="empirical")
    if discrete:
        xs = np.arange(max(0, int(np.floor(view.low))), int(np.ceil(view.high)) + 1)
        for curve in curves:
            ax.step(xs, curve.cdf(xs.astype(np.float64)), where="post", color=curve.colour, lw=1.5)
    else:
        xs = grid(view)
        for curve in curves:
            ax.plot(xs, curve.cdf(xs), color=curve.colour, lw=1.8)
    value_axis(ax, view)
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("cumulative probability")
    ax.set_title("Empirical and fitted CDFs")


def qq_panel(ax: Axes, empirical: Empirical, curves: list[Curve], view: View) -> None:
    """Fitted quantiles at the plotting positions against the sorted data; both axes span the
    view of the data (see :mod:`gaussfit.report.plot_view`), so a fitted extreme far beyond it
    (Cauchy) cannot squash the picture."""
    data, positions = empirical.rank_points()
    limits = (view.low, view.high)
    beyond = 0
    for curve, marker in zip(curves, MARKERS, strict=False):
        fitted = curve.quantile(positions, data)
        hidden = (
            (fitted < limits[0]) | (fitted > limits[1]) | (data < limits[0]) | (data > limits[1])
        )
        beyond = max(beyond, int(np.sum(hidden)))
        ax.plot(
            fitted,
            data,
            marker,
            ms=2.8,
            alpha=0.7,
            mec="none",
            color=curve.colour,
            label=curve.label,
        )
    qq_frame(ax, view, limits)
    if beyond:
        note = f"{beyond} {'point lies' if beyond == 1 else 'points lie'} beyond the axes"
        ax.text(0.98, 0.02, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=7.5)


def pp_panel(ax: Axes, empirical: Empirical, curves: list[Curve], discrete: bool) -> None:
    if discrete:
        values, positions = empirical.values, empirical.cdf
    else:
        values, positions = empirical.rank_points()
    for curve, marker in zip(curves, MARKERS, strict=False):
        ax.plot(
            curve.cdf(values),
            positions,
            marker,
            ms=2.8 if not discrete else 4,
            alpha=0.7,
            mec="none",
            color=curve.colour,
        )
    ax.plot([0, 1], [0, 1], color=DATA_COLOUR, lw=1, zorder=0)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("fitted probabilities")
    ax.set_ylabel("empirical probabilities")
    ax.set_title("P-P plot")


def _bin_edges(x: np.ndarray, w: np.ndarray, view: View) -> np.ndarray:
    """numpy's 'auto' bins (Sturges or Freedman-Diaconis) or sqrt(n), whichever is more,
    between MIN_BINS and MAX_BINS of them, spaced evenly on the axis's own scale."""
    n = max(int(np.sum(w)), 1)
    if view.log_x:
        logged = np.log10(x)
        count = len(np.histogram_bin_edges(logged, bins="auto")) - 1 if x.size > 1 else MIN_BINS
        count = int(np.clip(max(count, int(np.sqrt(n))), MIN_BINS, MAX_BINS))
        return np.geomspace(np.min(x), np.max(x), count + 1)
    count = len(np.histogram_bin_edges(x, bins="auto")) - 1 if x.size > 1 else MIN_BINS
    count = max(count, int(np.sqrt(n)))
    count = int(np.clip(count, MIN_BINS, min(MAX_BINS, max(MIN_BINS, n // 5))))
    return np.linspace(np.min(x), np.max(x), count + 1)


def _offsets(k: int) -> np.ndarray:
    """Side-by-side x offsets of k families' markers on a count axis."""
    if k <= 1:
        return np.zeros(max(k, 1))
    return np.linspace(-0.25, 0.25, k)


def qq_frame(ax: Axes, view: View, limits: Any) -> None:
    """A Q-Q panel's frame: the diagonal, equal limits (log where the values are), labels and
    title; shared by the exact and the censored panels."""
    ax.plot(limits, limits, color=DATA_COLOUR, lw=1, zorder=0)
    if view.log_x:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlim(limits)
    ax.set_ylim(limits)
    ax.set_xlabel(f"fitted quantiles of {view.label}")
    ax.set_ylabel(f"empirical quantiles of {view.label}")
    ax.set_title("Q-Q plot")


def value_axis(ax: Axes, view: View) -> None:
    if view.log_x:
        ax.set_xscale("log")
    ax.set_xlim(view.low, view.high)
    ax.set_xlabel(view.label)


def _note_outside(ax: Axes, view: View, total: float) -> None:
    if view.outside > 0:
        share = view.outside / total
        ax.text(
            0.98,
            0.97,
            f"{view.outside:g} values ({share:.1%}) beyond the axis",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=7.5,
        )
