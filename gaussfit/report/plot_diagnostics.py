"""Pictures of how a fit got its numbers: profile log-likelihoods and the optimiser's path.

``--plot-profile`` draws each free parameter's profile log-likelihood l_p (the log-likelihood
maximised over the other parameters with this one held; :func:`gaussfit.fitting.profile.
profile_curve`) with the 95% cut l_hat - chi2(1, 0.95)/2 and the interval where the curve stays
above it, as fitdistrplus's ``llplot`` shows the likelihood around the estimate. The interval is
the fit's own ``profile_ci95`` when ``--ci profile`` computed it, else computed here: a plot
never changes the fit.

``--plot-trace`` draws what the iteration table lists: log p(X) and each parameter at the start
of every iteration, the final estimate dashed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from gaussfit.errors import ConfigError
from gaussfit.report.plot_models import DATA_COLOUR, PALETTE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from gaussfit.distributions import Family
    from gaussfit.fitting import FitResult


def draw_profile(result: FitResult, family: Family, x: np.ndarray) -> Figure:
    """One panel per free parameter: l_p, the cut, the estimate and the interval."""
    from matplotlib.figure import Figure

    from gaussfit.fitting.batched import batchable
    from gaussfit.fitting.model import free_to_param
    from gaussfit.fitting.profile import (
        CHI2_1_95,
        profile_curve,
        profile_grid,
        profile_intervals,
    )

    if not batchable(family):
        raise ConfigError(
            f"--plot-profile: {family.name} cannot be profiled (its parameters share the "
            "optimiser's coordinates)"
        )
    names = [
        n for n in free_to_param(family).values() if n not in result.fixed and result.stderr.get(n)
    ]
    if not names:
        raise ConfigError(
            f"--plot-profile: {family.name} has no parameter that can be profiled here "
            "(held, without a standard error, or sharing its coordinates)"
        )
    intervals = result.profile_ci95 or profile_intervals(
        family, x, result.params, result.fixed, result.stderr
    )
    columns = min(len(names), 3)
    rows = -(-len(names) // columns)
    figure = Figure(figsize=(3.9 * columns, 3.3 * rows + 0.5), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    cut = result.loglik - CHI2_1_95 / 2
    for ax, name in zip(axes, names, strict=False):
        values = profile_grid(family, result.params, result.stderr, name, intervals.get(name))
        curve = profile_curve(family, x, result.params, result.fixed, name, values)
        ax.plot(values, curve, color=PALETTE[1], lw=1.8, label="profile log-likelihood")
        ax.axhline(cut, color=DATA_COLOUR, lw=1, ls="--", label="95% cut (χ²₁ / 2 below the top)")
        ax.axvline(result.params[name], color=PALETTE[0], lw=1, label="estimate")
        interval = intervals.get(name)
        if interval is not None:
            low = interval[0] if interval[0] is not None else values[0]
            high = interval[1] if interval[1] is not None else values[-1]
            ax.axvspan(low, high, color=PALETTE[1], alpha=0.12, lw=0, label="95% profile interval")
            shown = [f"{v:.4g}" if v is not None else "open" for v in interval]
            ax.set_title(f"{name}: 95% interval [{shown[0]}, {shown[1]}]", fontsize=10)
        else:
            ax.set_title(name, fontsize=10)
        finite = curve[np.isfinite(curve)]
        if finite.size:
            bottom = min(float(np.min(finite)), cut - 1.0)
            ax.set_ylim(bottom, result.loglik + 0.08 * (result.loglik - bottom))
        ax.set_xlabel(name)
        ax.set_ylabel("log-likelihood")
    for ax in axes[len(names) :]:
        ax.set_axis_off()
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False, fontsize=9)
    figure.suptitle(
        f"Profile log-likelihoods of {result.distribution} (n = {result.n:,})", fontsize=11
    )
    return figure


def draw_trace(result: FitResult) -> Figure:
    """log p(X) and every parameter per iteration, as the iteration table lists them."""
    from matplotlib.figure import Figure

    if not result.trace:
        raise ConfigError("--plot-trace: this fit recorded no iterations (a closed form)")
    names = list(result.trace[0].params)
    panels = 1 + len(names)
    columns = min(panels, 3)
    rows = -(-panels // columns)
    figure = Figure(figsize=(3.9 * columns, 3.0 * rows + 0.4), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, columns)).ravel()
    iterations = [step.iteration for step in result.trace]
    marker = "o" if len(iterations) <= 60 else None
    axes[0].plot(iterations, [s.loglik for s in result.trace], marker=marker, ms=3,
                 color="black", lw=1.4)  # fmt: skip
    axes[0].axhline(result.loglik, color=DATA_COLOUR, ls="--", lw=1)
    axes[0].set_ylabel("log p(X)")
    axes[0].set_title("log-likelihood", fontsize=10)
    for i, (ax, name) in enumerate(zip(axes[1:], names, strict=False)):
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(iterations, [s.params[name] for s in result.trace], marker=marker, ms=3,
                color=colour, lw=1.4)  # fmt: skip
        if name in result.params:
            ax.axhline(result.params[name], color=DATA_COLOUR, ls="--", lw=1)
        ax.set_ylabel(name)
        ax.set_title(name, fontsize=10)
    from matplotlib.ticker import MaxNLocator

    for ax in axes[:panels]:
        ax.set_xlabel("iteration")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.ticklabel_format(axis="y", useOffset=False)
    for ax in axes[panels:]:
        ax.set_axis_off()
    state = "converged" if result.converged else f"stopped: {result.stopped}"
    figure.suptitle(
        f"{result.optimizer} on {result.distribution}: {result.iterations} iterations, {state}"
        "  (dashed: the final value)",
        fontsize=11,
    )
    return figure
