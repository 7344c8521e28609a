"""The log-gamma on data not skewed to the left: its likelihood rises toward the normal limit
(c -> infinity) without reaching a maximum, and an unfinished fit says so instead of advising
more iterations. The rise is checked against scipy's log-gamma, profiled over c with
scipy.optimize, independently of gaussfit's fit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats
from scipy.special import polygamma, psi

import gaussfit


def _scipy_profile(x: np.ndarray, c: float) -> float:
    """max over loc and scale of scipy's log-gamma log-likelihood at shape c."""
    sd = np.std(x)
    scale = sd / np.sqrt(polygamma(1, c))
    start = [np.mean(x) - scale * psi(c), np.log(scale)]

    def nll(t: np.ndarray) -> float:
        return -np.sum(stats.loggamma.logpdf(x, c, loc=t[0], scale=np.exp(t[1])))

    done = optimize.minimize(nll, start, method="Nelder-Mead", options={"xatol": 1e-9})
    return -done.fun


def test_right_skewed_data_send_c_to_the_normal_limit_and_the_fit_says_so():
    x = np.random.default_rng(1).gamma(2.0, 1.5, 1000)
    profile = [_scipy_profile(x, c) for c in (10.0, 100.0, 1000.0)]
    normal = np.sum(stats.norm.logpdf(x, np.mean(x), np.std(x)))
    assert profile[0] < profile[1] < profile[2] < normal  # rising toward the normal's

    result = gaussfit.fit(x, "loggamma", references=False, gof=False)
    assert not result.converged
    assert result.params["c"] > 1e3
    assert profile[2] <= result.loglik + 1e-6 < normal
    (warning,) = result.warnings
    assert "normal limit" in warning and "fit it instead" in warning
    assert "raise --iters" not in warning


def test_left_skewed_data_have_a_finite_c_and_no_limit_note():
    y = -np.random.default_rng(2).gamma(3.0, 1.0, 1000)  # log-gamma-like: skewed left
    result = gaussfit.fit(y, "loggamma", references=False, gof=False)
    assert result.converged
    assert result.params["c"] < 1e3
    assert result.warnings == []
    best = _scipy_profile(y, result.params["c"])
    assert result.loglik == pytest.approx(best, abs=1e-6)
