"""The Cullen and Frey graph of ``gaussfit describe --plot``, drawn as fitdistrplus's
``descdist`` draws it: skewness² across, kurtosis down (the axis reversed), the observation a
large dot, bootstrap resamples small circles, the families as points, lines and areas.
descdist's own families keep its look (grey beta area, marker points); the other families of
gaussfit are coloured lines (a cloud of small dots for a two-shape family's area).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from gaussfit.fitting.describe import Description

POINT_MARKERS = {
    "normal": "*",
    "uniform": "^",
    "exponential": "s",
    "logistic": "P",
}
OTHER_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip
"""matplotlib's ten distinct colours; beyond ten families the line style changes instead."""
OTHER_STYLES = ("-", "-.", (0, (5, 1, 1, 1, 1, 1)))
OTHER_MARKERS = ("X", "D", "v", "p", "h", "<", ">", "d")


def draw_cullen_frey(description: Description, label: str = "x") -> Figure:
    from matplotlib.figure import Figure

    d = description
    observed = (d.skewness**2, d.kurtosis)
    boot = np.array(d.bootstrap) if d.bootstrap else np.empty((0, 2))
    s2_top = max(4.0, observed[0], float(np.quantile(boot[:, 0], 0.95)) if boot.size else 0) * 1.25
    k_top = max(10.0, observed[1], float(np.quantile(boot[:, 1], 0.95)) if boot.size else 0) + 1
    figure = Figure(figsize=(9.2, 6.2), layout="constrained")
    ax = figure.subplots()
    others = 0
    points = 0

    def next_style() -> dict[str, object]:
        nonlocal others
        colour = OTHER_COLOURS[others % len(OTHER_COLOURS)]
        dash = OTHER_STYLES[(others // len(OTHER_COLOURS)) % len(OTHER_STYLES)]
        others += 1
        return {"color": colour, "ls": dash}

    for locus in d.loci:
        name, kind = locus["family"], locus["kind"]
        s2, kurt = locus["s2"], locus["kurt"]
        if kind == "area" and "upper" in locus:
            ax.fill_between(s2, kurt, locus["upper"], color="#d9d9d9", lw=0, label=name)
        elif kind == "area":
            colour = next_style()["color"]
            ax.plot(s2, kurt, ".", ms=1.5, alpha=0.5, color=colour, label=f"{name} (area)")
        elif kind == "line":
            if name in ("lognormal", "gamma", "poisson"):
                dash = "--" if name == "gamma" else ":"
                style = {"color": "black", "ls": dash, "zorder": 4}
            else:
                style = {**next_style(), "lw": 1.2}
            ax.plot(s2, kurt, label=name, **style)
        else:
            if name in POINT_MARKERS:
                ax.plot(s2, kurt, POINT_MARKERS[name], ms=11, mec="black", color="white",
                        label=name, zorder=4)  # fmt: skip
            else:
                marker = OTHER_MARKERS[points % len(OTHER_MARKERS)]
                points += 1
                ax.plot(s2, kurt, marker, ms=7, mec="black", color=next_style()["color"],
                        label=name, zorder=3)  # fmt: skip
    if boot.size:
        ax.plot(boot[:, 0], boot[:, 1], "o", ms=3.5, mfc="none", mec="#e69f00", mew=0.8,
                label=f"bootstrapped values ({len(boot)})")  # fmt: skip
    ax.plot(*observed, "o", ms=9, color="#0072b2", mec="black", label="observation", zorder=5)
    ax.set_xlim(-0.015 * s2_top, s2_top)  # points at 0 (normal, Student t) stay visible
    ax.set_ylim(k_top, min(1.0, observed[1]) - 0.2)  # reversed, as descdist draws it
    ax.set_xlabel(f"square of skewness of {label}")
    ax.set_ylabel(f"kurtosis of {label}")
    ax.set_title(
        f"Cullen and Frey graph  (n = {d.n:,}; unbiased estimates: skewness {d.skewness:.3g}, "
        f"kurtosis {d.kurtosis:.3g})",
        fontsize=11,
    )
    figure.legend(
        *ax.get_legend_handles_labels(), loc="outside right upper", fontsize=8, frameon=False
    )
    return figure
