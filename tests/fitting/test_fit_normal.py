"""The normal fit against closed forms: the lab's numbers, Fisher information, hard data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from gaussfit.errors import ConfigError, DataError, FitError
from gaussfit.fitting import fit

# The 20 values the lab printed, as bundled (data/seed_lab.csv).
LAB = np.loadtxt(Path(__file__).resolve().parents[2] / "data" / "seed_lab.csv", skiprows=1)


def test_lab_gradient_descent_trace_is_reproduced():
    result = fit(
        LAB, "normal", optimizer="gd", lr=0.05, max_iter=50, tol=0, init={"mu": 1.0, "sigma": 1.0}
    )
    printed = {s.iteration: f"{s.loglik:0.3f}" for s in result.trace if s.iteration % 10 == 0}
    assert printed == {10: "-43.110", 20: "-35.691", 30: "-35.691", 40: "-35.691", 50: "-35.691"}
    assert result.params["mu"] == pytest.approx(np.mean(LAB), rel=1e-12)
    assert result.params["sigma"] == pytest.approx(np.std(LAB), rel=1e-12)
    assert result.settings["space"] == "natural"
    assert not result.converged and result.warnings  # tol=0 can never be met: said loudly


@pytest.mark.parametrize("optimizer", ["newton", "lbfgs", "gd", "momentum", "adam"])
@pytest.mark.parametrize("evaluation", ["data", "statistics"])
def test_every_optimizer_reaches_the_closed_form(optimizer, evaluation):
    x = np.random.default_rng(3).normal(-4.0, 0.3, size=500)
    result = fit(
        x, "normal", optimizer=optimizer, evaluation=evaluation, init={"mu": 0.0, "sigma": 2.0}
    )
    assert result.converged
    assert result.params["mu"] == pytest.approx(np.mean(x), rel=1e-7)
    assert result.params["sigma"] == pytest.approx(np.std(x), rel=1e-6)


def test_standard_errors_match_fisher_information():
    x = np.random.default_rng(5).normal(10.0, 2.0, size=2000)
    result = fit(x, "normal")
    sigma = np.std(x)
    assert result.stderr["mu"] == pytest.approx(sigma / math.sqrt(len(x)), rel=1e-6)
    assert result.stderr["sigma"] == pytest.approx(sigma / math.sqrt(2 * len(x)), rel=1e-6)
    low, high = result.ci95["sigma"]
    assert 0 < low < result.params["sigma"] < high


def test_values_near_1e7_with_small_spread_keep_their_digits():
    x = 1e7 + 0.1 * np.random.default_rng(11).standard_normal(5000)
    mean = math.fsum(x) / len(x)
    std = math.sqrt(math.fsum((v - mean) ** 2 for v in x) / len(x))
    for evaluation in ("data", "statistics"):
        result = fit(x, "normal", evaluation=evaluation, init={"mu": 1e7, "sigma": 1.0})
        assert result.params["mu"] == pytest.approx(mean, rel=1e-12)
        assert result.params["sigma"] == pytest.approx(std, rel=1e-7)


def test_weights_act_as_frequencies():
    x = np.array([1.0, 2.0, 3.0, 7.0])
    w = np.array([1.0, 3.0, 2.0, 1.0])
    repeated = np.repeat(x, w.astype(int))
    weighted = fit(x, "normal", weights=w)
    assert weighted.params["mu"] == pytest.approx(np.mean(repeated), rel=1e-10)
    assert weighted.params["sigma"] == pytest.approx(np.std(repeated), rel=1e-9)
    assert weighted.loglik == pytest.approx(fit(repeated, "normal").loglik, rel=1e-10)


def test_fixed_parameter_is_held_and_has_no_error():
    x = np.random.default_rng(2).normal(1.0, 1.0, size=300)
    result = fit(x, "normal", fixed={"mu": 0.0})
    assert result.params["mu"] == 0.0
    assert result.stderr["mu"] is None
    assert result.params["sigma"] == pytest.approx(math.sqrt(np.mean(x**2)), rel=1e-8)


def test_information_criteria_follow_their_definitions():
    result = fit(LAB, "normal")
    k, n = 2, len(LAB)
    assert result.aic == pytest.approx(2 * k - 2 * result.loglik)
    assert result.bic == pytest.approx(k * math.log(n) - 2 * result.loglik)
    assert result.aicc == pytest.approx(result.aic + 2 * k * (k + 1) / (n - k - 1))


def test_references_agree_with_scipy_and_closed_form():
    from scipy import stats

    result = fit(LAB, "normal")
    loc, scale = stats.norm.fit(LAB)
    assert result.reference["scipy"].params == pytest.approx({"mu": loc, "sigma": scale})
    assert result.reference["closed_form"].loglik == pytest.approx(
        np.sum(stats.norm.logpdf(LAB, np.mean(LAB), np.std(LAB)))
    )


def test_goodness_of_fit_matches_scipy_tests():
    from scipy import stats

    result = fit(LAB, "normal")
    mu, sigma = result.params["mu"], result.params["sigma"]
    ks = stats.kstest(LAB, stats.norm(mu, sigma).cdf)
    cvm = stats.cramervonmises(LAB, stats.norm(mu, sigma).cdf)
    assert result.gof["ks_statistic"] == pytest.approx(ks.statistic)
    assert result.gof["ks_pvalue"] == pytest.approx(ks.pvalue)
    assert result.gof["cvm_statistic"] == pytest.approx(cvm.statistic)
    assert result.gof["cvm_pvalue"] == pytest.approx(cvm.pvalue)
    assert 0 <= result.gof["ad_pvalue"] <= 1


def test_bootstrap_is_reproducible_and_brackets_the_estimate():
    one = fit(LAB, "normal", bootstrap=50, seed=4)
    two = fit(LAB, "normal", bootstrap=50, seed=4)
    assert one.bootstrap == two.bootstrap
    low, high = one.bootstrap["ci95"]["mu"]
    assert low < one.params["mu"] < high
    assert one.bootstrap["stderr"]["mu"] == pytest.approx(one.stderr["mu"], rel=0.5)


def test_json_object_is_strict_json():
    import json

    text = json.dumps(fit(LAB, "normal").to_dict(), allow_nan=False)
    data = json.loads(text)
    assert set(data["params"]) == {"mu", "sigma"}
    assert data["reference"]["closed_form"]["params"]["mu"] == pytest.approx(np.mean(LAB))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([3.0], "too few"),
        ([2.0, 2.0, 2.0], "all 3 values are equal"),
        ([1.0, float("nan"), 2.0], "item 2"),
        ([], "no data"),
    ],
)
def test_bad_data_raise_clear_errors(data, message):
    with pytest.raises(DataError, match=message):
        fit(data, "normal")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"init": {"nu": 1.0}}, "no parameter 'nu'"),
        ({"fixed": {"sigma": -1.0}}, "outside its domain"),
        ({"optimizer": "sgd"}, "unknown optimizer"),
        ({"max_iter": 0}, "at least 1"),
        ({"optimizer": "gd", "lr": -0.1}, "positive"),
    ],
)
def test_bad_options_raise_config_errors(options, message):
    with pytest.raises(ConfigError, match=message):
        fit(LAB, "normal", **options)


def test_a_learning_rate_too_large_stops_with_advice():
    with pytest.raises(FitError, match="learning rate"):
        fit(LAB, "normal", optimizer="gd", lr=5.0, init={"mu": 1.0, "sigma": 1.0})


def test_iteration_limit_is_reported_not_hidden():
    result = fit(
        LAB, "normal", optimizer="gd", lr=0.001, max_iter=3, init={"mu": 0.0, "sigma": 3.0}
    )
    assert not result.converged and result.stopped == "max_iter"
    assert "did not converge" in result.warnings[0]
