"""The figures, checked through matplotlib's objects: panels, curves, limits and labels."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

pytest.importorskip("matplotlib")

from gaussfit.data.observations import Observations
from gaussfit.distributions import get_family
from gaussfit.errors import ConfigError
from gaussfit.fitting import FitResult, fit
from gaussfit.report import plot_diagnostics, plots
from gaussfit.report.plot_models import PALETTE
from gaussfit.report.plot_view import choose_view

TITLES = ["Histogram and fitted densities", "Empirical and fitted CDFs", "Q-Q plot", "P-P plot"]


def _fit(x: np.ndarray, name: str, **kw) -> FitResult:
    return fit(x, get_family(name), references="closed_form", gof=False, **kw)


def test_fit_figure_has_four_panels_with_the_fitted_curves():
    x = np.random.default_rng(1).gamma(2.0, 3.0, 300)
    result = _fit(x, "gamma")
    figure = plots.draw_fit(result, get_family("gamma"), x, None, label="weight (kg)")
    axes = figure.axes
    assert [ax.get_title() for ax in axes] == TITLES
    assert axes[0].get_xlabel() == "weight (kg)"
    density = axes[0].lines[0]
    xs, ys = density.get_data()
    assert np.allclose(
        ys, stats.gamma(result.params["shape"], scale=result.params["scale"]).pdf(xs)
    )
    assert density.get_color() == PALETTE[0]
    assert axes[1].lines[1].get_color() == PALETTE[0]  # the same colour in every panel
    assert "gamma: shape=" in figure.get_suptitle() and "n = 300" in figure.get_suptitle()
    legend = figure.legends[0]
    assert next(t.get_text() for t in legend.get_texts()) == "fitted gamma"


@pytest.mark.slow
def test_every_format_is_written():
    x = np.random.default_rng(2).normal(size=50)
    result = _fit(x, "normal")
    for fmt, head in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        assert plots.fit_figure(result, get_family("normal"), x, None, fmt).startswith(head)


def test_cauchy_qq_limits_come_from_the_data_not_the_fitted_extremes():
    x = stats.cauchy(1.0, 2.0).rvs(500, random_state=3)
    result = _fit(x, "cauchy")
    figure = plots.draw_fit(result, get_family("cauchy"), x, None)
    qq = figure.axes[2]
    low, high = qq.get_xlim()
    q1, q3 = np.quantile(x, [0.25, 0.75])
    assert low >= np.min(x) and high <= np.max(x)  # not the whole range: heavy tails cut
    assert high - low < 20 * (q3 - q1)  # the centre stays readable
    assert "beyond the axes" in qq.texts[0].get_text()


def test_log_scale_auto_for_data_spanning_decades():
    x = np.random.default_rng(4).lognormal(0.0, 2.0, 400)
    assert choose_view(x, None, "auto", "x", False).log_x
    assert not choose_view(
        np.random.default_rng(4).normal(5, 1, 400), None, "auto", "x", False
    ).log_x
    result = _fit(x, "lognormal")
    figure = plots.draw_fit(result, get_family("lognormal"), x, None)
    assert figure.axes[0].get_xscale() == "log" and figure.axes[2].get_yscale() == "log"
    figure = plots.draw_fit(result, get_family("lognormal"), x, None, log_scale="none")
    assert figure.axes[0].get_xscale() == "linear"
    with pytest.raises(ConfigError, match="values <= 0"):
        choose_view(np.array([-1.0, 2.0, 3.0]), None, "x", "x", False)


def test_counts_get_bars_with_the_fitted_mass_and_a_step_cdf():
    x = np.random.default_rng(5).poisson(4.0, 300).astype(float)
    result = _fit(x, "poisson")
    figure = plots.draw_fit(result, get_family("poisson"), x, None)
    bars = figure.axes[0].patches
    assert len(bars) == int(np.max(x)) + 1
    heights = np.array([b.get_height() for b in bars])
    assert np.allclose(heights, np.bincount(x.astype(int)) / x.size)
    xs, ys = figure.axes[0].lines[0].get_data()
    assert np.allclose(ys, stats.poisson(result.params["rate"]).pmf(xs))
    assert figure.axes[1].lines[1].get_drawstyle() == "steps-post"


def test_compare_figure_has_one_curve_per_family_in_aic_order():
    from gaussfit.fitting import compare

    x = np.random.default_rng(6).gamma(2.0, 3.0, 200)
    result = compare(x, ["lognormal", "gamma", "weibull", "exponential"], gof=False)
    figure = plots.draw_compare(result, x, None, top=3)
    density = figure.axes[0]
    assert len(density.lines) == 3
    names = [line.get_label().split()[0] for line in density.lines]
    assert names == [r.distribution for r in result.ranking[:3]]
    shown = {t.get_text().split()[0] for t in figure.legends[0].get_texts()}
    assert shown == {*names, "data", "empirical"}
    colours = [line.get_color() for line in density.lines]
    assert colours == [line.get_color() for line in figure.axes[1].lines[1:]]


def test_censored_figure_draws_the_npmle_and_the_fitted_cdf():
    from gaussfit.fitting.empirical import nonparametric_cdf

    lower = np.array([0.5, 1.0, 1.5, -np.inf, 2.0, 2.2, 3.0, 0.7, 1.2, 2.5])
    upper = np.array([1.0, 1.5, 2.0, 0.8, np.inf, 2.2, np.inf, 0.7, 1.8, 3.5])
    obs = Observations(lower, upper)
    result = fit(obs, get_family("weibull"), gof=False)
    figure = plots.draw_censored([result], obs)
    assert [ax.get_title() for ax in figure.axes] == [
        "Censored data", "NPMLE and fitted CDFs", "Q-Q plot", "P-P plot"]  # fmt: skip
    npmle, _ = nonparametric_cdf(obs)
    steps = figure.axes[1].lines[0].get_ydata()
    assert set(np.round(npmle["cdf"], 12)) <= set(np.round(steps[np.isfinite(steps)], 12))
    labels = [t.get_text() for t in figure.legends[0].get_texts()]
    assert "fitted weibull" in labels and "Turnbull NPMLE" in labels


def test_profile_figure_marks_the_interval_where_the_curve_crosses_the_cut():
    from gaussfit.fitting.profile import CHI2_1_95

    x = np.random.default_rng(7).exponential(2.0, 80)
    result = _fit(x, "exponential", ci="profile")
    figure = plot_diagnostics.draw_profile(result, get_family("exponential"), x)
    ax = figure.axes[0]
    xs, ys = ax.lines[0].get_data()
    # closed form: l(rate) = n log rate - rate sum x (one parameter: the profile is l itself)
    assert np.allclose(ys, x.size * np.log(xs) - xs * np.sum(x), rtol=1e-9)
    low, high = result.profile_ci95["rate"]
    for end in (low, high):
        assert x.size * np.log(end) - end * np.sum(x) == pytest.approx(
            result.loglik - CHI2_1_95 / 2, abs=1e-6)  # fmt: skip
    assert "95% interval" in ax.get_title()


def test_trace_figure_shows_every_recorded_iteration():
    x = np.random.default_rng(8).gamma(2.0, 1.0, 100)
    result = _fit(x, "gamma", optimizer="adam", max_iter=40)
    figure = plot_diagnostics.draw_trace(result)
    xs, ys = figure.axes[0].lines[0].get_data()
    assert list(xs) == [s.iteration for s in result.trace]
    assert list(ys) == [s.loglik for s in result.trace]
    assert figure.axes[1].get_ylabel() == "shape"
