"""No quiet wrong answers: convergence that means the same everywhere, flags that do not depend
on the data's units, divergence never called convergence, and the estimates' covariance."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import scipy.optimize
from click.testing import CliRunner
from scipy import stats

from gaussfit.cli.main import main
from gaussfit.errors import FitError
from gaussfit.fitting import fit

LAB_CSV = Path(__file__).resolve().parents[2] / "data" / "seed_lab.csv"
LAB = np.loadtxt(LAB_CSV, skiprows=1)


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# -- L-BFGS converges by gaussfit's rule, whatever scipy's line search does ---------------------
def test_lbfgs_converges_by_the_same_rule_when_scipy_stops_early(monkeypatch):
    """A scipy that gives up early (here: a loose ftol) must not leave the fit unconverged."""
    real = scipy.optimize.minimize

    def impatient(*args, **kwargs):
        kwargs["options"] = {**kwargs["options"], "ftol": 1e-4}
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "minimize", impatient)
    x = np.random.default_rng(3).normal(-4.0, 0.3, size=500)
    result = fit(x, "normal", optimizer="lbfgs", evaluation="data", init={"mu": 0, "sigma": 2})
    assert result.converged and result.stopped == "converged"
    assert result.params["mu"] == pytest.approx(np.mean(x), rel=1e-9)
    assert result.params["sigma"] == pytest.approx(np.std(x), rel=1e-7)


# -- identifiability flags are scale-free --------------------------------------------------------
@pytest.mark.parametrize("family", ["normal", "gamma", "weibull", "exponential", "student_t"])
@pytest.mark.parametrize("factor", [1e9, 1e-9])
def test_rescaling_the_data_never_changes_a_flag(family, factor):
    rng = np.random.default_rng(2)
    x = rng.gamma(3.0, 2.0, size=200) if family != "student_t" else rng.normal(size=40)
    base = fit(x, family, references=False, gof=False)
    scaled = fit(factor * x, family, references=False, gof=False)
    assert base.converged and scaled.converged
    assert base.identifiable == scaled.identifiable
    assert [f.split(" = ")[0] for f in base.flags] == [f.split(" = ")[0] for f in scaled.flags]


def test_a_normal_fit_in_the_billions_is_not_flagged():
    x = 3e9 + 2e8 * np.random.default_rng(1).standard_normal(500)
    result = fit(x, "normal")
    assert result.identifiable is True and not result.flags
    assert result.params["mu"] == pytest.approx(np.mean(x), rel=1e-12)


def test_a_df_whose_interval_spans_ten_orders_of_magnitude_is_flagged_in_fit_and_compare(
    tmp_path,
):
    x = np.random.default_rng(7).normal(size=40)
    result = fit(x, "student_t")
    low, high = result.ci95["df"]
    assert high / low > 1e9  # the interval the flag is about: [7e-05, 2e7]
    assert result.identifiable is False
    assert any(flag.startswith("df = ") for flag in result.flags)
    path = tmp_path / "t.csv"
    np.savetxt(path, x, header="x", comments="")
    code, out, _ = run_cli("compare", str(path), "--dists", "normal,student_t")
    assert code == 0
    row = next(line for line in out.splitlines() if "student_t" in line)
    assert "student_t ?" in row
    assert "? student_t: df = " in out


def test_a_first_order_fit_stopped_short_says_not_converged_not_unidentifiable():
    code, out, err = run_cli(
        "fit", str(LAB_CSV), "--optimizer", "gd", "--iters", "3", "--init", "mu=1,sigma=1", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["converged"] is False and doc["identifiable"] is None
    assert doc["flags"] == []
    assert any("did not converge" in w for w in doc["warnings"])
    assert not any("determine" in w for w in doc["warnings"])


# -- a diverging fit is never converged ----------------------------------------------------------
def test_a_diverging_gradient_descent_is_an_error_not_a_convergence():
    code, out, err = run_cli(
        "fit", str(LAB_CSV), "--optimizer", "gd", "--lr", "1e6", "--init", "mu=0,sigma=1", "--json"
    )
    assert code == 1
    assert out == ""
    assert err.startswith("Error: the fit diverged") and "--lr" in err


def test_no_optimizer_reports_convergence_below_its_start():
    for optimizer in ("gd", "momentum", "adam"):
        for lr in (1e3, 1e6):
            try:
                result = fit(
                    LAB, "normal", optimizer=optimizer, lr=lr, init={"mu": 0.0, "sigma": 1.0}
                )
            except FitError:
                continue
            if result.converged:
                assert result.loglik >= result.trace[0].loglik - 1e-9


# -- first-order optimisers start where an optimisation shows ------------------------------------
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_first_order_fits_start_at_the_labs_point_and_climb(optimizer):
    result = fit(LAB, "normal", optimizer=optimizer)
    assert result.trace[0].params == {"mu": 1.0, "sigma": 1.0}
    assert result.iterations > 20 and result.converged
    assert result.trace[-1].loglik > result.trace[0].loglik + 10
    assert result.params["mu"] == pytest.approx(np.mean(LAB), rel=1e-6)


def test_first_order_start_of_other_families_is_away_from_the_answer():
    x = np.random.default_rng(4).gamma(2.5, 3.0, size=300)
    result = fit(x, "gamma", optimizer="adam", max_iter=20000)
    shape, _, scale = stats.gamma.fit(x, floc=0)
    assert result.iterations > 20 and result.converged
    assert result.params["shape"] == pytest.approx(shape, rel=1e-4)
    assert result.params["scale"] == pytest.approx(scale, rel=1e-4)


def test_the_readme_tensorboard_command_draws_real_curves(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    logdir = tmp_path / "runs" / "lab"
    code, _, err = run_cli("fit", str(LAB_CSV), "--optimizer", "gd", "--logdir", str(logdir))
    assert code == 0, err
    events = EventAccumulator(str(logdir))
    events.Reload()
    loglik = [e.value for e in events.Scalars("log_likelihood")]
    assert len(loglik) > 20
    assert loglik[-1] - loglik[0] > 10
    assert len({e.value for e in events.Scalars("parameters/sigma")}) > 20


# -- covariance and correlation of the estimates ------------------------------------------------
def test_normal_covariance_is_the_inverse_fisher_information():
    x = np.random.default_rng(5).normal(10.0, 2.0, size=2000)
    result = fit(x, "normal")
    sigma, n = np.std(x), len(x)
    assert result.cov["mu"]["mu"] == pytest.approx(sigma**2 / n, rel=1e-6)
    assert result.cov["sigma"]["sigma"] == pytest.approx(sigma**2 / (2 * n), rel=1e-6)
    assert abs(result.cov["mu"]["sigma"]) < 1e-9 * sigma**2 / n
    assert result.corr["mu"]["mu"] == 1.0
    assert abs(result.corr["mu"]["sigma"]) < 1e-6


def numeric_covariance(logpdf, theta: np.ndarray, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Inverse of minus the central-difference Hessian of sum(logpdf(x, *theta))."""
    k = len(theta)
    hess = np.zeros((k, k))
    steps = h * np.abs(theta)
    for i in range(k):
        for j in range(k):
            total = 0.0
            for si, sj, sign in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)):
                t = theta.copy()
                t[i] += si * steps[i]
                t[j] += sj * steps[j]
                total += sign * np.sum(logpdf(x, *t))
            hess[i, j] = total / (4 * steps[i] * steps[j])
    return np.linalg.inv(-hess)


def test_gamma_covariance_matches_a_numeric_hessian_of_scipys_density():
    x = np.random.default_rng(8).gamma(2.0, 1.5, size=400)
    result = fit(x, "gamma")
    theta = np.array([result.params["shape"], result.params["scale"]])
    expected = numeric_covariance(lambda v, a, s: stats.gamma.logpdf(v, a, scale=s), theta, x)
    got = np.array([[result.cov[a][b] for b in ("shape", "scale")] for a in ("shape", "scale")])
    np.testing.assert_allclose(got, expected, rtol=1e-4)
    corr = expected[0, 1] / math.sqrt(expected[0, 0] * expected[1, 1])
    assert result.corr["shape"]["scale"] == pytest.approx(corr, rel=1e-4)


def test_cov_and_corr_are_in_the_json_and_leave_out_fixed_parameters():
    code, out, err = run_cli("fit", str(LAB_CSV), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc["cov"]) == {"mu", "sigma"} and set(doc["corr"]["mu"]) == {"mu", "sigma"}
    assert doc["cov"]["mu"]["mu"] == pytest.approx(doc["stderr"]["mu"] ** 2, rel=1e-12)
    held = fit(LAB, "normal", fixed={"mu": 2.0})
    assert set(held.cov) == {"sigma"}


# -- the convergence test does not depend on the data's units ---------------------------------
@pytest.mark.parametrize("optimizer", ["newton", "lbfgs", "gd"])
@pytest.mark.parametrize("factor", [1.0, 1e9, 1e-9])
def test_a_fit_one_sd_off_converges_to_the_answer_in_any_units(optimizer, factor):
    x = factor * np.random.default_rng(6).normal(5.0, 0.5, size=400)
    mean, sd = np.mean(x), np.std(x)
    result = fit(x, "normal", optimizer=optimizer, init={"mu": mean + sd, "sigma": 2 * sd})
    assert result.converged
    assert result.iterations > 1
    assert abs(result.params["mu"] - mean) < 1e-6 * sd
    assert result.params["sigma"] == pytest.approx(sd, rel=1e-6)
