"""``--plot``: the data against one or several fitted models, in four panels.

``fit --plot`` and ``compare --plot`` draw fitdistrplus's four panels (``plot(fitdist(...))``,
and ``denscomp``/``cdfcomp``/``qqcomp``/``ppcomp`` for several families): histogram with the
fitted densities, empirical and fitted CDFs, Q-Q and P-P (see :mod:`gaussfit.report.plot_panels`);
censored data get the NPMLE of the CDF instead (:mod:`gaussfit.report.plot_censored`). Each
family keeps one colour in every panel, in AIC order, and one legend under the panels names them.

matplotlib is optional (``pip install 'gaussfit[plot]'``) and imported only inside the
functions, without pyplot, so no GUI backend or global figure state is involved. Drawing never
changes a result: it reads the fit and the data and nothing else.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np

from gaussfit.errors import ConfigError
from gaussfit.report.numbers import assignments
from gaussfit.report.plot_models import Curve, Empirical, family_curves
from gaussfit.report.plot_view import choose_view

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from gaussfit.data.observations import Observations
    from gaussfit.distributions import Family
    from gaussfit.fitting import FitResult
    from gaussfit.fitting.compare import CompareResult

FORMATS = {".png": "png", ".pdf": "pdf", ".svg": "svg"}
INSTALL_HINT = "pip install 'gaussfit[plot]'"
DEFAULT_TOP = 4
PANEL_SIZE = (10.5, 8.4)
DPI = 110


def require_matplotlib(option: str = "--plot") -> None:
    """ConfigError with the install command when matplotlib is missing (checked before fitting,
    so nobody waits for a fit only to learn the plot cannot be drawn)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        message = f"{option} needs matplotlib, which is not installed: {INSTALL_HINT}"
        raise ConfigError(message) from None


def render(figure: Figure, fmt: str) -> bytes:
    """``figure`` as png, pdf or svg bytes, the same in every run (no dates, fixed SVG ids),
    so a regenerated picture differs only where the drawing does."""
    buffer = io.BytesIO()
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "gaussfit", "svg.fonttype": "path"}):
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=metadata[fmt])
    return buffer.getvalue()


def fit_figure(
    result: FitResult,
    family: Family,
    x: np.ndarray,
    w: np.ndarray | None,
    fmt: str = "png",
    *,
    log_scale: str = "auto",
    label: str | None = None,
) -> bytes:
    """The four-panel figure of one fit as ``fmt`` bytes."""
    return render(draw_fit(result, family, x, w, log_scale=log_scale, label=label), fmt)


def draw_fit(
    result: FitResult,
    family: Family,
    x: np.ndarray,
    w: np.ndarray | None,
    *,
    log_scale: str = "auto",
    label: str | None = None,
) -> Figure:
    """The four panels of one fit to exact values ``x`` (weights ``w``)."""
    curves = family_curves([(family, result.params, f"fitted {result.distribution}")])
    title = f"{result.distribution}: {assignments(result.params)}   (n = {result.n:,})"
    return _four_panels(curves, family.discrete, x, w, title, log_scale, label)


def draw_compare(
    result: CompareResult,
    x: np.ndarray,
    w: np.ndarray | None,
    *,
    top: int = DEFAULT_TOP,
    log_scale: str = "auto",
    label: str | None = None,
) -> Figure:
    """The four panels with the ``top`` best families by AIC, the legend in AIC order."""
    fits = result.ranking[:top] or result.apart[:top]
    curves = _ranked_curves(fits)
    discrete = curves[0].family.discrete
    shown = (
        f"the best {len(fits)} of {len(result.ranking)}"
        if len(result.ranking) > len(fits)
        else f"{len(fits)}"
    )
    title = f"{shown} families by AIC   (n = {fits[0].n:,})"
    return _four_panels(curves, discrete, x, w, title, log_scale, label)


def draw_censored(
    fits: list[FitResult],
    observations: Observations,
    *,
    log_scale: str = "auto",
    label: str | None = None,
    title: str | None = None,
) -> Figure:
    """Censored data: the data as intervals, the NPMLE of the CDF with the fitted CDFs, and
    the Q-Q and P-P panels read off the NPMLE (see :mod:`gaussfit.report.plot_censored`)."""
    from matplotlib.figure import Figure

    from gaussfit.report import plot_censored

    curves = (
        _ranked_curves(fits)
        if len(fits) > 1
        else family_curves([(fits[0].family(), fits[0].params, f"fitted {fits[0].distribution}")])
    )
    npmle = fits[0].empirical or plot_censored.npmle_of(observations)
    bounds = observations.finite_bounds()
    view = choose_view(bounds, None, log_scale, label or observations.column, False)
    figure = Figure(figsize=PANEL_SIZE, layout="constrained")
    (a, b), (c, d) = figure.subplots(2, 2)
    plot_censored.intervals_panel(a, observations, view)
    plot_censored.cdf_panel(b, npmle, curves, view)
    plot_censored.qq_panel(c, npmle, curves, view)
    plot_censored.pp_panel(d, npmle, curves)
    if title is None:
        fit = fits[0]
        title = f"{fit.distribution}: {assignments(fit.params)}   (n = {fit.n:,}, censored)"
    _finish(figure, title, [a, b, c])
    return figure


def _ranked_curves(fits: list[FitResult]) -> list[Curve]:
    best = fits[0].aic
    return family_curves(
        [
            (
                fit.family(),
                fit.params,
                f"{fit.distribution}  (AIC {fit.aic:.1f}, Δ {fit.aic - best:.1f})",
            )
            for fit in fits
        ]
    )


def _four_panels(
    curves: list[Curve],
    discrete: bool,
    x: np.ndarray,
    w: np.ndarray | None,
    title: str,
    log_scale: str,
    label: str | None,
) -> Figure:
    from matplotlib.figure import Figure

    from gaussfit.report import plot_panels

    x = np.asarray(x, dtype=np.float64)
    view = choose_view(x, w, log_scale, label or "x", discrete)
    empirical = Empirical.of(x, w)
    figure = Figure(figsize=PANEL_SIZE, layout="constrained")
    (a, b), (c, d) = figure.subplots(2, 2)
    if discrete:
        plot_panels.counts_panel(a, x, w, curves, view)
    else:
        plot_panels.density_panel(a, x, w, curves, view)
    plot_panels.cdf_panel(b, empirical, curves, view, discrete)
    plot_panels.qq_panel(c, empirical, curves, view)
    plot_panels.pp_panel(d, empirical, curves, discrete)
    _finish(figure, title, [a, b])
    return figure


def _finish(figure: Figure, title: str, sources: list) -> None:
    """The title, and one legend for the whole figure under the panels (entries gathered
    from ``sources``, each label once: the fitted models first in their order, then the
    data's), read row by row, so that no legend sits on the data."""
    figure.suptitle(title, fontsize=11)
    entries: dict[str, object] = {}
    for ax in sources:
        for handle, text in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(text, handle)
    data_words = ("data", "empirical", "exact", "censored", "NPMLE")
    ordered = sorted(entries, key=lambda t: any(w in t for w in data_words))
    columns = min(len(ordered), 3)
    rows = -(-len(ordered) // columns)
    # matplotlib fills a legend column by column: reorder so that it reads row by row
    by_row = [ordered[r * columns + c] for c in range(columns) for r in range(rows)
              if r * columns + c < len(ordered)]  # fmt: skip
    figure.legend(
        [entries[t] for t in by_row],
        by_row,
        loc="outside lower center",
        ncol=columns,
        frameon=False,
        fontsize=9,
    )
