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
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#7f7f7f",
    "#bcbd22", "#17becf", "#9467bd", "#e377c2", "#2ca02c", "#ff7f0e", "#1f77b4", "#d62728",
)  # fmt: skip


def draw_cullen_frey(description: Description, label: str = "x") -> Figure:
    from matplotlib.figure import Figure

    d = description
    observed = (d.skewness**2, d.kurtosis)
    boot = np.array(d.bootstrap) if d.bootstrap else np.empty((0, 2))
    s2_top = max(4.0, observed[0], float(np.quantile(boot[:, 0], 0.95)) if boot.size else 0) * 1.25
    k_top = max(10.0, observed[1], float(np.quantile(boot[:, 1], 0.95)) if boot.size else 0) + 1
    figure = Figure(figsize=(9.2, 6.2), layout="constrained")
    ax = figure.subplots()
    colours = iter(OTHER_COLOURS * 2)
    for locus in d.loci:
        name, kind = locus["family"], locus["kind"]
        s2, kurt = locus["s2"], locus["kurt"]
        if kind == "area" and "upper" in locus:
            ax.fill_between(s2, kurt, locus["upper"], color="#d9d9d9", lw=0, label=name)
        elif kind == "area":
            ax.plot(s2, kurt, ".", ms=1.5, alpha=0.5, color=next(colours), label=f"{name} (area)")
        elif kind == "line":
            if name in ("lognormal", "gamma", "poisson"):
                dash = "--" if name == "gamma" else ":"
                style = {"color": "black", "ls": dash, "zorder": 4}
            else:
                style = {"color": next(colours), "lw": 1.2}
            ax.plot(s2, kurt, label=name, **style)
        else:
            marker = POINT_MARKERS.get(name, "X")
            known = name in POINT_MARKERS
            ax.plot(s2, kurt, marker, ms=11 if known else 7, mec="black",
                    color="white" if known else next(colours), label=name,
                    zorder=4 if known else 3)  # fmt: skip
    if boot.size:
        ax.plot(boot[:, 0], boot[:, 1], "o", ms=3.5, mfc="none", mec="#e69f00", mew=0.8,
                label=f"bootstrapped values ({len(boot)})")  # fmt: skip
    ax.plot(*observed, "o", ms=9, color="#0072b2", mec="black", label="observation", zorder=5)
    ax.set_xlim(0, s2_top)
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
