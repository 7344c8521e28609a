"""``--plot``: the data against the fitted model, and a quantile (or probability) plot.

Left panel: a histogram of continuous data with the fitted density, or bars of observed count
frequencies with the fitted probability mass. Right panel: a QQ plot where the family has a
quantile function (points on the diagonal mean the family fits), otherwise a PP plot from its
CDF. matplotlib is optional (``pip install 'gaussfit[plot]'``) and imported only here, without
pyplot, so no GUI backend or global figure state is involved.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from gaussfit.errors import ConfigError
from gaussfit.report.numbers import assignments

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from gaussfit.distributions import Family
    from gaussfit.fitting import FitResult

FORMATS = {".png": "png", ".pdf": "pdf", ".svg": "svg"}
INSTALL_HINT = "pip install 'gaussfit[plot]'"
QUANTILE_POINTS = 1000


def require_matplotlib() -> None:
    """ConfigError with the install command when matplotlib is missing (checked before fitting,
    so nobody waits for a fit only to learn the plot cannot be drawn)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        message = f"--plot needs matplotlib, which is not installed: {INSTALL_HINT}"
        raise ConfigError(message) from None


def fit_figure(
    result: FitResult, family: Family, x: np.ndarray, w: np.ndarray | None, fmt: str = "png"
) -> bytes:
    """The two-panel figure as ``fmt`` bytes (png, pdf or svg)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4.2), layout="constrained")
    left, right = figure.subplots(1, 2)
    if family.discrete:
        _counts_panel(left, result, family, x, w)
    else:
        _density_panel(left, result, family, x, w)
    _probability_panel(right, result, family, x)
    figure.suptitle(f"{result.distribution}: {assignments(result.params)}  (n = {result.n})")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=120)
    return buffer.getvalue()


def _density_panel(
    ax: Axes, result: FitResult, family: Family, x: np.ndarray, w: np.ndarray | None
) -> None:
    ax.hist(
        x,
        bins=min(60, max(10, int(np.sqrt(len(x))))),
        weights=w,
        density=True,
        color="#9ecae1",
        edgecolor="white",
        label="data",
    )
    low, high = float(np.min(x)), float(np.max(x))
    pad = 0.05 * (high - low or 1.0)
    grid = np.linspace(low - pad, high + pad, 400)
    grid = grid[~family.support.violations(grid)]
    try:
        density = np.exp(family.log_pdf_numpy(grid, result.params))
        ax.plot(grid, density, color="#d62728", lw=2, label="fitted density")
    except NotImplementedError:
        pass
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend()


def _counts_panel(
    ax: Axes, result: FitResult, family: Family, x: np.ndarray, w: np.ndarray | None
) -> None:
    values = np.arange(0, int(np.max(x)) + 1)
    counts = np.bincount(x.astype(np.int64), weights=w, minlength=len(values))
    ax.bar(values, counts / counts.sum(), color="#9ecae1", label="observed frequency")
    try:
        pmf = np.exp(family.log_pdf_numpy(values.astype(np.float64), result.params))
        ax.plot(values, pmf, "o-", color="#d62728", ms=4, label="fitted pmf")
    except NotImplementedError:
        pass
    ax.set_xlabel("count")
    ax.set_ylabel("probability")
    ax.legend()


def _probability_panel(ax: Axes, result: FitResult, family: Family, x: np.ndarray) -> None:
    probs = (np.arange(1, min(len(x), QUANTILE_POINTS) + 1) - 0.5) / min(len(x), QUANTILE_POINTS)
    empirical = np.quantile(x, probs)
    frozen = family.scipy_dist(result.params)
    if frozen is not None and not family.discrete:
        theoretical = frozen.ppf(probs)
        ax.plot(theoretical, empirical, ".", color="#1f77b4", ms=4)
        both = np.concatenate([theoretical, empirical])
        ax.plot([both.min(), both.max()], [both.min(), both.max()], color="grey", lw=1)
        ax.set_xlabel("fitted quantile")
        ax.set_ylabel("data quantile")
        ax.set_title("QQ plot")
        return
    if family.discrete:  # one point per count value: empirical CDF against the fitted CDF
        empirical = np.arange(0, int(np.max(x)) + 1, dtype=np.float64)
        probs = np.cumsum(np.bincount(x.astype(np.int64))) / len(x)
    try:
        fitted = family.cdf(empirical, result.params)
    except NotImplementedError:
        ax.set_axis_off()
        ax.set_title(f"no CDF for {family.name}")
        return
    ax.plot(probs, fitted, "o" if family.discrete else ".", color="#1f77b4", ms=4)
    ax.plot([0, 1], [0, 1], color="grey", lw=1)
    ax.set_xlabel("empirical probability")
    ax.set_ylabel("fitted probability")
    ax.set_title("PP plot")
