"""Fits of the families whose support moves with their parameters: against scipy's own fits
(loc free), closed forms, the boundary flag, compare on positive data with zeros, and the
errors for data outside a support that is held fixed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import gaussfit
from gaussfit.distributions import FAMILIES
from gaussfit.errors import ConfigError, DataError

# Seeded samples on which scipy's generic fit (Nelder-Mead from its own start) converges to the
# interior local maximum; gaussfit must find at least its log-likelihood, at the same point.
SCIPY_CASES = [
    ("lognormal3", stats.lognorm, (0.5,), 3.0, 2.0, ["sigma", "threshold", "scale"]),
    ("weibull3", stats.weibull_min, (2.5,), 3.0, 2.0, ["shape", "threshold", "scale"]),
    ("gamma3", stats.gamma, (3.5,), 3.0, 2.0, ["shape", "threshold", "scale"]),
]


def _ours(name: str, params: dict[str, float]) -> dict[str, float]:
    """Our parameters in scipy's (shape, loc, scale) names."""
    if name == "lognormal3":
        return {"sigma": params["sigma"], "threshold": params["threshold"],
                "scale": math.exp(params["mu"])}  # fmt: skip
    return params


@pytest.mark.parametrize("case", SCIPY_CASES, ids=[c[0] for c in SCIPY_CASES])
def test_threshold_fit_matches_scipys_fit_with_loc_free(case) -> None:
    name, dist, shapes, loc, scale, names = case
    x = dist(*shapes, loc=loc, scale=scale).rvs(size=400, random_state=2)
    fitted = dist.fit(x)
    scipy_loglik = float(np.sum(dist.logpdf(x, *fitted)))
    result = gaussfit.fit(x, name)
    assert result.converged and not result.likelihood_unbounded
    assert result.loglik >= scipy_loglik - 1e-6 * abs(scipy_loglik)
    ours = _ours(name, result.params)
    expected = dict(zip(names, fitted, strict=True))
    for key, value in expected.items():
        assert ours[key] == pytest.approx(value, rel=1e-4)


def test_pareto_and_uniform_fits_are_the_closed_forms_with_edge_flags() -> None:
    x = stats.pareto(2.5, scale=2.0).rvs(size=300, random_state=3)
    result = gaussfit.fit(x, "pareto")
    assert result.params["scale"] == np.min(x)
    assert result.params["shape"] == pytest.approx(x.size / np.sum(np.log(x / np.min(x))), rel=1e-9)
    b, _, _ = stats.pareto.fit(x, floc=0)
    assert result.params["shape"] == pytest.approx(b, rel=1e-6)
    assert result.stderr["scale"] is None and result.stderr["shape"] is not None
    # The shape's standard error given the scale: b / sqrt(n) (inverse Fisher information).
    assert result.stderr["shape"] == pytest.approx(
        result.params["shape"] / math.sqrt(x.size), rel=1e-6
    )
    assert "scale" in result.boundary and any("data's edge" in f for f in result.flags)
    assert result.aic == pytest.approx(2 * 2 - 2 * result.loglik)  # the edge counts as a parameter
    u = stats.uniform(-1.0, 3.0).rvs(size=200, random_state=4)
    fitted = gaussfit.fit(u, "uniform")
    assert fitted.params == {"loc": np.min(u), "scale": np.max(u) - np.min(u)}
    assert fitted.loglik == pytest.approx(-u.size * math.log(np.ptp(u)), rel=1e-12)
    assert sorted(fitted.boundary) == ["loc", "scale"]
    assert fitted.to_dict()["boundary"]["loc"].startswith("the density")


def test_threshold_at_the_minimum_is_flagged_and_not_ranked() -> None:
    # Exponential data: the Weibull shape falls below 1, where the likelihood climbs without
    # bound as the threshold reaches the smallest value (no local maximum).
    x = stats.expon(scale=2.0).rvs(size=300, random_state=5) + 1.0
    result = gaussfit.fit(x, "weibull3")
    assert result.likelihood_unbounded and "threshold" in result.boundary
    assert result.params["threshold"] < np.min(x) and result.stderr["threshold"] is None
    gap = np.sort(x)[1] - np.min(x)
    assert result.params["threshold"] == pytest.approx(np.min(x) - gap / 2, rel=1e-12)
    assert result.to_dict()["likelihood_unbounded"] is True
    compared = gaussfit.compare(x, "weibull3,gamma,lognormal3")
    assert "weibull3" in compared.failed and "not ranked" in compared.failed["weibull3"]
    assert "weibull3" not in [r.distribution for r in compared.ranking]


def test_small_shape_says_the_hessian_errors_are_not_valid() -> None:
    x = stats.weibull_min(1.5, loc=3.0, scale=2.0).rvs(size=400, random_state=6)
    result = gaussfit.fit(x, "weibull3")
    if result.likelihood_unbounded:  # pragma: no cover - the seed gives an interior maximum
        pytest.fail("expected an interior local maximum")
    assert result.params["shape"] <= 2
    assert all(v is None for v in result.stderr.values())
    assert any("--bootstrap" in note and "not regular" in note for note in result.notes)


@pytest.mark.slow
def test_compare_all_on_positive_data_with_zeros_ranks_the_threshold_lognormal_first() -> None:
    rng = np.random.default_rng(0)
    x = np.concatenate([np.round(rng.lognormal(0.0, 0.8, 200), 2), [0.0, 0.0, 0.0]])
    result = gaussfit.compare(x, "all", gof=False)
    ranked = [r.distribution for r in result.ranking]
    assert ranked[0] == "lognormal3"
    assert {"lognormal3", "gamma3", "weibull3"} <= set(ranked) | set(result.failed)
    assert ranked.index("lognormal3") < ranked.index("gumbel")
    # Every family not tried is listed with why; the positive ones name the zeros.
    tried = set(ranked) | set(result.failed)
    assert tried | set(result.skipped) == set(FAMILIES)
    assert "3 values are 0" in result.skipped["lognormal"]
    assert "lognormal3" in result.skipped["gamma"]


def test_fixed_threshold_above_a_value_is_a_data_error_naming_it() -> None:
    x = np.array([5.0, 6.0, 2.5, 7.0, 8.0])
    with pytest.raises(
        DataError, match=r"^value 2\.5 \(item 3\) is outside the support \(3, inf\)"
    ):
        gaussfit.fit(x, "lognormal3", fixed={"threshold": 3.0})
    with pytest.raises(DataError, match=r"value 1 \(item 1\).*scale=2"):
        gaussfit.fit(np.array([1.0, 3.0, 4.0]), "pareto", fixed={"scale": 2.0})


def test_fixed_threshold_below_the_data_fits_the_rest() -> None:
    x = stats.lognorm(0.5, loc=3.0, scale=2.0).rvs(size=300, random_state=7)
    result = gaussfit.fit(x, "lognormal3", fixed={"threshold": 3.0})
    y = np.log(x - 3.0)
    assert result.params["mu"] == pytest.approx(np.mean(y), rel=1e-6)
    assert result.params["sigma"] == pytest.approx(np.std(y), rel=1e-6)


def test_chunked_fits_refuse_a_moving_support(tmp_path) -> None:
    from gaussfit.data.chunked_csv import open_chunked_csv

    path = tmp_path / "x.csv"
    path.write_text("x\n" + "\n".join(str(v) for v in np.arange(1.0, 50.0)) + "\n")
    with pytest.raises(ConfigError, match="moves with its parameters"):
        gaussfit.fit(open_chunked_csv(str(path), 10, column="x"), "pareto")


def test_bootstrap_and_derived_quantities_of_a_threshold_fit() -> None:
    x = stats.lognorm(0.4, loc=3.0, scale=2.0).rvs(size=300, random_state=8)
    result = gaussfit.fit(x, "lognormal3", bootstrap=20, seed=1, quantiles=[0.01], prob_above=[2.0])
    assert result.bootstrap["failed"] < 20
    row = result.quantiles[0]
    assert row["value"] == pytest.approx(
        stats.lognorm.ppf(0.01, result.params["sigma"], result.params["threshold"],
                          math.exp(result.params["mu"])), rel=1e-10)  # fmt: skip
    # Below the fitted threshold P(X > x) is exactly 1, not NaN.
    assert result.prob_above[0]["value"] == 1.0


def test_an_edge_held_exactly_where_exp_of_its_log_misses_it() -> None:
    # exp(log(6.56)) != 6.56 in doubles: a scale held through the log coordinate would leave
    # the largest value outside the support and the log-likelihood at -inf.
    assert np.exp(np.log(6.56)) != 6.56
    x = np.array([0.0, 1.5, 2.25, 6.56, 3.0])
    result = gaussfit.fit(x, "uniform")
    assert result.loglik == pytest.approx(-5 * math.log(6.56), rel=1e-14)
    pareto = gaussfit.fit(np.array([6.56, 7.0, 9.5, 12.0]), "pareto")
    assert pareto.params["scale"] == 6.56 and math.isfinite(pareto.loglik)


def test_bootstrap_moves_the_edge_with_each_resample() -> None:
    x = stats.pareto(2.5, scale=2.0).rvs(size=200, random_state=9)
    result = gaussfit.fit(x, "pareto", bootstrap=40, seed=2)
    low, high = result.bootstrap["ci95"]["scale"]
    # Each resample's scale is its own smallest value: never below the data's, sometimes above.
    assert low >= np.min(x) and high > np.min(x)
    assert high <= np.sort(x)[5]


def test_triangular_fit_is_at_least_scipys_with_the_mode_on_a_value() -> None:
    x = stats.triang(0.3, loc=1.0, scale=4.0).rvs(size=300, random_state=3)
    c, loc, scale = stats.triang.fit(x)
    scipy_loglik = float(np.sum(stats.triang.logpdf(x, c, loc, scale)))
    result = gaussfit.fit(x, "triangular", references=False)
    assert result.loglik >= scipy_loglik - 1e-6 * abs(scipy_loglik)
    assert result.params["mode"] in x and "mode" in result.boundary
    expected = {"lower": loc, "mode": loc + c * scale, "upper": loc + scale}
    for key, value in expected.items():
        assert result.params[key] == pytest.approx(value, rel=1e-4)
    # No other value as the mode does better (the search over the order statistics).
    p = result.params
    for mode in np.sort(x)[::15]:
        width = p["upper"] - p["lower"]
        other = stats.triang.logpdf(x, (mode - p["lower"]) / width, p["lower"], width)
        assert np.sum(other) <= result.loglik + 1e-9


def test_right_censored_threshold_fit_matches_scipys_censored_fit() -> None:
    from gaussfit.data.observations import Observations

    x = stats.lognorm(0.5, loc=3.0, scale=2.0).rvs(size=300, random_state=11)
    limit = 7.0
    above = x > limit
    obs = Observations(np.where(above, limit, x), np.where(above, np.inf, x))
    result = gaussfit.fit(obs, "lognormal3")
    censored = stats.CensoredData(uncensored=x[~above], right=np.full(np.sum(above), limit))
    s, loc, scale = stats.lognorm.fit(censored)
    scipy_loglik = float(
        np.sum(stats.lognorm.logpdf(x[~above], s, loc, scale))
        + np.sum(above) * stats.lognorm.logsf(limit, s, loc, scale)
    )
    assert result.loglik >= scipy_loglik - 1e-6 * abs(scipy_loglik)
    assert result.params["threshold"] == pytest.approx(loc, rel=1e-4)
    assert result.params["sigma"] == pytest.approx(s, rel=1e-4)
    # An edge parameter has no edge among censored values: refused unless held fixed.
    with pytest.raises(ConfigError, match="pareto: scale would sit on the data's edge"):
        gaussfit.fit(obs, "pareto")
    held = gaussfit.fit(obs, "pareto", fixed={"scale": 3.0})
    assert held.converged and math.isfinite(held.loglik)


def test_gof_bootstrap_refits_each_simulated_sample_with_its_own_edges() -> None:
    u = stats.uniform(0.0, 2.0).rvs(size=200, random_state=8)
    result = gaussfit.fit(u, "uniform", gof_bootstrap=40, seed=1, references=False)
    boot = result.gof["bootstrap"]
    assert boot["resamples"] == 40 and boot["refitted_individually"] == 40
    assert boot["ks_pvalue"] > 0.05
    # Exponential data are no uniform: the test rejects.
    x = stats.expon(scale=2.0).rvs(size=200, random_state=8)
    rejected = gaussfit.fit(x, "uniform", gof_bootstrap=40, seed=1, references=False)
    assert rejected.gof["bootstrap"]["ks_pvalue"] == pytest.approx(1 / 41)
