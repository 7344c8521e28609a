"""Censored and truncated fits against independent references: lifelines' fitters (recorded
with their provenance), scipy's ``CensoredData`` fits, closed forms, and direct numerical
maximisation of the truncated likelihood written with scipy.stats."""

from __future__ import annotations

import json
import math
from pathlib import Path

import mpmath
import numpy as np
import pytest
from censored_helpers import needs_tail_graphs
from scipy import optimize, stats

import gaussfit
import gaussfit.engine as tf
from gaussfit.data.observations import Observations
from gaussfit.distributions import get_family
from gaussfit.errors import DataError
from gaussfit.fitting import censored
from gaussfit.fitting.censored_fit import censored_loglik_numpy

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "lifelines.json").read_text())
FAMILY_OF = {"weibull": "weibull", "exponential": "exponential", "lognormal": "lognormal"}


def _observations(case: dict) -> Observations:
    data = case["data"]
    if "lower_bound" in data:
        return Observations(np.array(data["lower_bound"]), np.array(data["upper_bound"]))
    t = np.array(data["durations"])
    observed = np.array(data["event_observed"]) == 1
    entry = np.array(data["entry"]) if "entry" in data else None
    if case["call"].split(".")[1].startswith("fit_left_censoring"):
        return Observations(np.where(observed, t, -np.inf), t)
    return Observations(t, np.where(observed, t, np.inf), entry=entry)


@pytest.mark.parametrize("case", FIXTURES["fits"], ids=lambda c: c["name"])
def test_matches_lifelines(case: dict) -> None:
    family = case["name"].split("_")[0]
    needs_tail_graphs(FAMILY_OF[family])
    result = gaussfit.fit(_observations(case), FAMILY_OF[family])
    assert result.converged
    # lifelines' optimiser stops within about 1e-7 of the maximum log-likelihood
    for name, value in case["params"].items():
        assert result.params[name] == pytest.approx(value, rel=1e-4), name
    assert result.loglik == pytest.approx(case["loglik"], abs=1e-6)
    assert result.loglik >= case["loglik"] - 1e-9


def test_exponential_right_censoring_has_the_closed_form() -> None:
    rng = np.random.default_rng(4)
    t = rng.exponential(2.0, 500)
    c = rng.uniform(0.0, 4.0, 500)
    time, event = np.minimum(t, c), t <= c
    w = rng.integers(1, 4, 500).astype(float)
    result = gaussfit.fit(Observations(time, np.where(event, time, np.inf), w), "exponential")
    rate = np.sum(w * event) / np.sum(w * time)  # events / total time at risk
    assert result.params["rate"] == pytest.approx(rate, rel=1e-7)
    assert result.stderr["rate"] == pytest.approx(rate / math.sqrt(np.sum(w * event)), rel=1e-7)
    expected = np.sum(w * event) * math.log(rate) - rate * np.sum(w * time)
    assert result.loglik == pytest.approx(expected, rel=1e-12)


def test_exponential_left_truncation_is_memoryless() -> None:
    rng = np.random.default_rng(5)
    x = rng.exponential(1.5, 4000)
    x = x[x > 0.7]
    result = gaussfit.fit(Observations(x, x, truncation=(0.7, math.inf)), "exponential")
    assert result.params["rate"] == pytest.approx(1.0 / np.mean(x - 0.7), rel=1e-7)
    assert result.censoring["truncation"] == {"lower": 0.7, "upper": None, "delayed_entry": False}


def _scipy_censored(lower: np.ndarray, upper: np.ndarray):
    exact = lower == upper
    return stats.CensoredData(
        uncensored=lower[exact],
        left=upper[np.isneginf(lower)],
        right=lower[np.isposinf(upper)],
        interval=np.column_stack(
            [lower[~exact & np.isfinite(lower) & np.isfinite(upper)],
             upper[~exact & np.isfinite(lower) & np.isfinite(upper)]]
        ),
    )  # fmt: skip


SCIPY_CASES = [
    ("logistic", lambda r: r.logistic(2.0, 1.5, 400), lambda d: stats.logistic.fit(d)),
    ("gumbel", lambda r: r.gumbel(1.0, 2.0, 400), lambda d: stats.gumbel_r.fit(d)),
    ("cauchy", lambda r: r.standard_cauchy(400) * 0.5 + 1.0, lambda d: stats.cauchy.fit(d)),
    ("laplace", lambda r: r.laplace(-1.0, 2.0, 400), lambda d: stats.laplace.fit(d)),
    ("weibull", lambda r: 3.0 * r.weibull(1.7, 400), lambda d: stats.weibull_min.fit(d, floc=0)),
]


@pytest.mark.parametrize("name, draw, scipy_fit", SCIPY_CASES, ids=[c[0] for c in SCIPY_CASES])
def test_mixed_censoring_matches_scipy_censored_data(name, draw, scipy_fit) -> None:
    rng = np.random.default_rng(11)
    x = draw(rng)
    lo_q, hi_q = np.quantile(x, [0.15, 0.8])
    lower, upper = x.copy(), x.copy()
    lower[x < lo_q] = -np.inf  # below a detection limit: left-censored at it
    upper[x < lo_q] = lo_q
    upper[x > hi_q] = np.inf  # still running: right-censored
    lower[x > hi_q] = hi_q
    middle = (x > np.quantile(x, 0.4)) & (x < np.quantile(x, 0.6))
    lower[middle], upper[middle] = np.floor(x[middle] * 2) / 2, np.floor(x[middle] * 2) / 2 + 0.5
    if name == "weibull":
        lower[np.isneginf(lower)] = -np.inf
    obs = Observations(lower, upper)
    result = gaussfit.fit(obs, name, references=False)
    family = get_family(name)
    expected = scipy_fit(_scipy_censored(lower, upper))
    names = family.parameter_names
    theirs = dict(zip(names, [expected[0], expected[-1]], strict=True))
    ours_ll = result.loglik
    theirs_ll = censored_loglik_numpy(family, obs, theirs)
    # scipy's generic optimiser stops early; ours is at least as good, and close
    assert ours_ll >= theirs_ll - 1e-9
    assert ours_ll == pytest.approx(theirs_ll, abs=1e-3)
    for key in names:
        assert result.params[key] == pytest.approx(theirs[key], rel=2e-3, abs=2e-3)
    # and the graph's value at our optimum is scipy's logpdf/logcdf/logsf sum
    assert ours_ll == pytest.approx(censored_loglik_numpy(family, obs, result.params), rel=1e-12)


def test_truncated_weibull_matches_direct_maximisation() -> None:
    rng = np.random.default_rng(8)
    x = 2.0 * rng.weibull(1.3, 2000)
    a, b = 0.5, 3.5
    x = x[(x > a) & (x < b)]

    def negative(theta: np.ndarray) -> float:
        dist = stats.weibull_min(c=math.exp(theta[0]), scale=math.exp(theta[1]))
        return -(np.sum(dist.logpdf(x)) - x.size * math.log(dist.cdf(b) - dist.cdf(a)))

    best = optimize.minimize(negative, [0.0, 0.5], method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 5000})  # fmt: skip
    result = gaussfit.fit(Observations(x, x, truncation=(a, b)), "weibull")
    assert result.params["shape"] == pytest.approx(math.exp(best.x[0]), rel=1e-5)
    assert result.params["scale"] == pytest.approx(math.exp(best.x[1]), rel=1e-5)
    assert result.loglik == pytest.approx(-best.fun, abs=1e-7)


def test_gradient_and_hessian_match_finite_differences_of_scipy_terms() -> None:
    rng = np.random.default_rng(3)
    x = rng.logistic(0.5, 2.0, 60)
    lower, upper = x.copy(), x.copy()
    lower[:15] = -np.inf
    upper[15:30] = np.inf
    upper[30:45] = x[30:45] + 1.0
    obs = Observations(lower, upper, rng.uniform(0.5, 2.0, 60))
    family = get_family("logistic")
    terms = censored.prepare(family, obs)
    with tf.Graph().as_default():
        params = {"loc": tf.constant(0.3, tf.float64), "scale": tf.constant(1.7, tf.float64)}
        inputs = censored.placeholders(terms.groups)
        total = censored.log_likelihood(family, params, inputs) + tf.reduce_sum(
            tf.constant(terms.w) * family.log_prob(tf.constant(terms.x), params)
        )
        gradient = tf.gradients(total, list(params.values()))
        hessian = [tf.gradients(g, list(params.values())) for g in gradient]
        with tf.Session() as session:
            value, grad, hess = session.run(
                [total, gradient, hessian], feed_dict=censored.feed(inputs, terms)
            )

    def reference(p: np.ndarray) -> float:
        return censored_loglik_numpy(family, obs, {"loc": p[0], "scale": p[1]})

    point, e = np.array([0.3, 1.7]), np.eye(2)
    assert value == pytest.approx(reference(point), rel=1e-12)
    step = 1e-5
    fd = [(reference(point + e[i] * step) - reference(point - e[i] * step)) / (2 * step)
          for i in range(2)]  # fmt: skip
    np.testing.assert_allclose(grad, fd, rtol=1e-6)
    h = 1e-4
    fd_hess = [[(reference(point + (e[i] + e[j]) * h) - reference(point + (e[i] - e[j]) * h)
                 - reference(point - (e[i] - e[j]) * h) + reference(point - (e[i] + e[j]) * h))
                / (4 * h * h) for j in range(2)] for i in range(2)]  # fmt: skip
    np.testing.assert_allclose(hess, fd_hess, rtol=1e-4)


@pytest.mark.parametrize("name, params", [("weibull", {"shape": 1.5, "scale": 1.0}),
                                          ("gumbel", {"loc": 0.0, "scale": 1.0}),
                                          ("logistic", {"loc": 0.0, "scale": 1.0})])  # fmt: skip
def test_narrow_intervals_far_in_either_tail_stay_finite_and_accurate(name, params) -> None:
    family = get_family(name)
    lower = (
        np.array([20.0, 30.0, 0.5, -30.0, -20.0])
        if name != "weibull"
        else np.array([20.0, 30.0, 0.5, 1e-8, 1e-5])
    )
    upper = lower + np.abs(lower) * 1e-6
    with tf.Graph().as_default():
        t = {k: tf.constant(v, tf.float64) for k, v in params.items()}
        got = tf.Session().run(
            censored.log_interval(family, tf.constant(lower), tf.constant(upper), t)
        )
    mpmath.mp.dps = 80

    def cdf(v: float) -> mpmath.mpf:
        v = mpmath.mpf(v)
        if name == "weibull":
            return -mpmath.expm1(-((v / params["scale"]) ** params["shape"]))
        if name == "gumbel":
            return mpmath.exp(-mpmath.exp(-v))
        return 1 / (1 + mpmath.exp(-v))

    expected = [float(mpmath.log(cdf(u) - cdf(l))) for l, u in zip(lower, upper, strict=True)]
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_exact_observations_fit_as_a_plain_column() -> None:
    x = np.random.default_rng(2).gamma(2.0, 3.0, 300)
    plain = gaussfit.fit(x, "weibull")
    observed = gaussfit.fit(Observations(x, x), "weibull")
    assert observed.params == plain.params
    assert observed.to_dict()["censoring"] == {
        "exact": 300, "left": 0, "right": 0, "interval": 0, "truncation": None
    }  # fmt: skip


@pytest.mark.parametrize(
    "lower, upper, kwargs, message",
    [
        ([1.0, 3.0], [2.0, 2.0], {}, "item 2: lower bound 3 is greater than upper bound 2"),
        ([1.0, -np.inf], [2.0, np.inf], {}, "item 2: both bounds are missing"),
        ([], [], {}, "no observations"),
        ([1.0, 2.0, 5.0], [1.0, 2.0, 5.0], {"truncation": (0.0, 4.0)}, "excludes the observed"),
        ([1.0, 2.0], [np.inf, np.inf], {}, "all 2 observations are right-censored"),
        ([-np.inf, -np.inf], [1.0, 2.0], {}, "all 2 observations are left-censored"),
        ([-1.0, 2.0], [-1.0, 2.0], {}, "value -1 (item 1) is outside the support of weibull"),
        ([-np.inf, 2.0, 3.0], [-1.0, 2.0, 3.0], {}, "range [-inf, -1] is outside the support"),
    ],
)
def test_bad_observations_are_data_errors(lower, upper, kwargs, message) -> None:
    with pytest.raises(DataError, match=None) as error:
        gaussfit.fit(Observations(np.array(lower), np.array(upper), **kwargs), "weibull")
    assert message in str(error.value)


def test_one_sided_censoring_is_fitted_when_a_parameter_is_held() -> None:
    t = np.array([1.0, 2.0, 4.0])
    result = gaussfit.fit(Observations(t, np.full(3, np.inf)), "weibull", fixed={"shape": 2.0})
    assert any("scale" in flag and "not determined" in flag for flag in result.flags)


def test_truncated_exact_values_are_tested_against_the_truncated_law() -> None:
    rng = np.random.default_rng(12)
    x = rng.exponential(400.0, 800)
    x = x[x > 300.0]
    result = gaussfit.fit(Observations(x, x, truncation=(300.0, math.inf)), "exponential")
    dist = stats.expon(scale=1.0 / result.params["rate"])
    ks = stats.kstest(x, lambda v: (dist.cdf(v) - dist.cdf(300.0)) / dist.sf(300.0))
    assert result.gof["ks_statistic"] == pytest.approx(ks.statistic, rel=1e-10)
    assert result.gof["ks_pvalue"] == pytest.approx(ks.pvalue, rel=1e-8)
    assert "truncated to [300, inf]" in result.notes[0]


def test_laplace_standard_errors_add_the_censored_information_to_the_expected_one() -> None:
    # a few right-censored values far out: the information is nearly that of exact data,
    # n / scale^2 for each parameter (the observed Hessian in loc would be zero)
    x = np.random.default_rng(1).laplace(1.0, 2.0, 5000)
    lower, upper = np.minimum(x, 8.0), np.where(x > 8.0, np.inf, x)
    result = gaussfit.fit(Observations(lower, upper), "laplace")
    expected = result.params["scale"] / math.sqrt(5000)
    assert result.stderr["loc"] == pytest.approx(expected, rel=0.02)
    assert result.stderr["scale"] == pytest.approx(expected, rel=0.02)


def test_chunked_file_fits_as_the_file_in_memory(tmp_path: Path) -> None:
    from gaussfit.data.censored_reader import CensoredLayout, load_observations
    from gaussfit.fitting.censored_chunked import ChunkedObservations

    case = next(c for c in FIXTURES["fits"] if c["name"] == "weibull_entry")
    data = case["data"]
    rows = zip(data["durations"], data["event_observed"], data["entry"], strict=True)
    path = tmp_path / "entry.csv"
    path.write_text(
        "time,status,entry,n\n"
        + "".join(f"{t!r},{e},{s!r},{1 + i % 3}\n" for i, (t, e, s) in enumerate(rows))
    )
    layout = CensoredLayout(
        column="time", event="status", entry="entry", weights="n", truncation=(0.05, 30.0)
    )
    whole = gaussfit.fit(load_observations(path, layout), "weibull")
    chunked = gaussfit.fit(ChunkedObservations(path, layout, 200), "weibull")
    assert chunked.params == pytest.approx(whole.params, rel=1e-10)
    assert chunked.stderr == pytest.approx(whole.stderr, rel=1e-8)
    assert chunked.loglik == pytest.approx(whole.loglik, rel=1e-12)
    assert chunked.censoring == whole.censoring
    assert chunked.settings["passes"] > 2
    # compare takes the chunked file too, each family summed over the chunks
    families = "weibull,lognormal,exponential"
    ranked = gaussfit.compare(ChunkedObservations(path, layout, 200), families)
    in_memory = gaussfit.compare(load_observations(path, layout), families)
    assert [r.distribution for r in ranked.ranking] == [r.distribution for r in in_memory.ranking]
    for far, near in zip(ranked.ranking, in_memory.ranking, strict=True):
        assert far.loglik == pytest.approx(near.loglik, rel=1e-12)
    from gaussfit.distributions import get_family

    candidates = [get_family(name) for name in ("normal", "beta", "weibull", "poisson")]
    held = ChunkedObservations(path, layout, 200).supports(candidates)  # what "all" tries
    assert held == ["normal", "weibull"]  # times above 1 and not whole numbers


def test_counts_use_inclusive_bounds() -> None:
    needs_tail_graphs("poisson")
    # [l, u] means l <= X <= u; a left bound u means X <= u, a right bound l means X >= l
    rng = np.random.default_rng(21)
    x = rng.poisson(4.0, 300).astype(float)
    lower, upper = x.copy(), x.copy()
    lower[x <= 2] = -np.inf
    upper[x <= 2] = 2.0
    lower[x >= 7], upper[x >= 7] = 7.0, np.inf
    middle = (x >= 4) & (x <= 5)
    lower[middle], upper[middle] = 4.0, 5.0
    result = gaussfit.fit(Observations(lower, upper), "poisson", references=False)

    def negative(log_rate: float) -> float:
        d = stats.poisson(math.exp(log_rate))
        exact = lower == upper
        return -float(np.sum(d.logpmf(x[exact])) + np.sum(np.isneginf(lower)) * d.logcdf(2.0)
                      + np.sum(np.isposinf(upper)) * d.logsf(6.0)
                      + np.sum(middle) * math.log(d.cdf(5.0) - d.cdf(3.0)))  # fmt: skip

    best = optimize.minimize_scalar(negative, bracket=(1.0, 1.6), tol=1e-12)
    assert result.params["rate"] == pytest.approx(math.exp(best.x), rel=1e-7)
    assert result.loglik == pytest.approx(-best.fun, abs=1e-8)


def test_bootstrap_resamples_censored_rows() -> None:
    case = next(c for c in FIXTURES["fits"] if c["name"] == "weibull_right")
    obs = _observations(case)
    result = gaussfit.fit(obs, "weibull", bootstrap=20, seed=4)
    boot = result.bootstrap
    assert boot["resamples"] == 20 and boot["failed"] == 0
    for name in ("shape", "scale"):
        # the bootstrap's spread agrees with the Hessian's standard error to sampling noise
        assert boot["stderr"][name] == pytest.approx(result.stderr[name], rel=0.5)
        low, high = boot["ci95"][name]
        assert low < result.params[name] < high
