"""The count families with a given number of trials, and every new count family's log_cdf /
log_sf graphs in a fit to censored counts, against likelihoods written with scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, special, stats

import gaussfit
from gaussfit.batch import load_config, run_jobs
from gaussfit.data.observations import Observations
from gaussfit.distributions import get_family
from gaussfit.errors import ConfigError
from gaussfit.fitting import compare


def test_a_family_built_with_n_fits_as_fixed_n() -> None:
    x = np.random.default_rng(3).binomial(12, 0.6, size=400).astype(float)
    built = gaussfit.fit(x, get_family("binomial", n=12), references=False)
    fixed = gaussfit.fit(x, "binomial", fixed={"n": 12}, references=False)
    assert built.params == fixed.params == {"n": 12.0, "p": pytest.approx(np.mean(x) / 12)}
    assert built.fixed == fixed.fixed == {"n": 12.0}
    with pytest.raises(ConfigError, match=r"^binomial: the number of trials n is given"):
        gaussfit.fit(x, "binomial")


def test_compare_with_named_families_reports_the_missing_n() -> None:
    x = np.random.default_rng(4).binomial(12, 0.6, size=200).astype(float)
    result = compare(x, ["binomial", "poisson"])
    assert [r.distribution for r in result.ranking] == ["poisson"]
    assert "--fix n=N" in result.failed["binomial"]


@pytest.mark.slow
def test_batch_jobs_take_n_from_fix(tmp_path) -> None:
    x = np.random.default_rng(5).binomial(10, 0.25, size=300)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "k.csv").write_text("k\n" + "\n".join(map(str, x)) + "\n")
    config = tmp_path / "batch.yaml"
    config.write_text(
        "jobs:\n"
        "  - {name: trials, data: data/k.csv, dist: binomial, fix: {n: 10}}\n"
        "  - {name: which, data: data/k.csv, compare: [binomial, betabinom], fix: {n: 10}}\n"
        "  - {name: missing, data: data/k.csv, dist: binomial}\n"
    )
    outcomes = {o.name: o for o in run_jobs(load_config(config).jobs, workers=1)}
    assert outcomes["trials"].status == "ok"
    assert outcomes["trials"].result["params"]["p"] == pytest.approx(np.mean(x) / 10, rel=1e-10)
    ranked = outcomes["which"].result["ranking"]
    assert {f["distribution"] for f in ranked} == {"binomial", "betabinom"}
    assert outcomes["missing"].status == "failed"
    assert "--fix n=N" in outcomes["missing"].error


# -- censored counts ------------------------------------------------------------------------
def _zip_law(pi: float, rate: float):
    """F and S of the zero-inflated Poisson from scipy's Poisson (pi + (1 - pi) F, (1 - pi) S)
    and its hand-written pmf."""
    base = stats.poisson(rate)
    return (
        lambda k: np.where(k == 0, pi + (1 - pi) * math.exp(-rate), (1 - pi) * base.pmf(k)),
        lambda k: pi + (1 - pi) * base.cdf(k),
        lambda k: (1 - pi) * base.sf(k),
    )


def _zinb_law(pi: float, n: float, p: float):
    base = stats.nbinom(n, p)
    return (
        lambda k: np.where(k == 0, pi + (1 - pi) * p**n, (1 - pi) * base.pmf(k)),
        lambda k: pi + (1 - pi) * base.cdf(k),
        lambda k: (1 - pi) * base.sf(k),
    )


def _scipy_law(dist):
    return dist.pmf, dist.cdf, dist.sf


CENSORED = {
    # family: (draw, law of the natural parameters, their names, their unconstrained maps)
    "binomial": (
        lambda rng: rng.binomial(25, 0.35, size=400),
        lambda t: _scipy_law(stats.binom(25, special.expit(t[0]))),
        {"n": 25},
        lambda t: {"p": special.expit(t[0])},
    ),
    "betabinom": (
        lambda rng: rng.binomial(25, rng.beta(2.0, 3.0, size=400)),
        lambda t: _scipy_law(stats.betabinom(25, math.exp(t[0]), math.exp(t[1]))),
        {"n": 25},
        lambda t: {"a": math.exp(t[0]), "b": math.exp(t[1])},
    ),
    "zip": (
        lambda rng: np.where(rng.uniform(size=400) < 0.3, 0, rng.poisson(5.0, size=400)),
        lambda t: _zip_law(special.expit(t[0]), math.exp(t[1])),
        {},
        lambda t: {"pi": special.expit(t[0]), "rate": math.exp(t[1])},
    ),
    "zinb": (
        lambda rng: np.where(rng.uniform(size=600) < 0.3, 0, rng.negative_binomial(3, 0.4, 600)),
        lambda t: _zinb_law(special.expit(t[0]), math.exp(t[1]), special.expit(t[2])),
        {},
        lambda t: {"pi": special.expit(t[0]), "n": math.exp(t[1]), "p": special.expit(t[2])},
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CENSORED))
def test_censored_counts_reach_the_scipy_likelihoods_maximum(name: str) -> None:
    """Counts above 8 right-censored (X >= 9), 2..3 reported as an interval, the rest exact:
    the fit through log_cdf / log_sf reaches the maximum of the same likelihood written with
    scipy's pmf, cdf and sf (Nelder-Mead from our estimate)."""
    draw, law, given, natural = CENSORED[name]
    x = draw(np.random.default_rng(17)).astype(float)
    lower, upper = x.copy(), x.copy()
    above = x >= 9
    lower[above], upper[above] = 9.0, np.inf
    middle = (x >= 2) & (x <= 3)
    lower[middle], upper[middle] = 2.0, 3.0
    exact = ~(above | middle)
    result = gaussfit.fit(Observations(lower, upper), name, fixed=given or None, references=False)
    assert result.converged, result.warnings

    def loglik(t: np.ndarray) -> float:
        pmf, cdf, sf = law(t)
        with np.errstate(divide="ignore"):
            return float(
                np.sum(np.log(pmf(x[exact])))
                + np.sum(above) * math.log(sf(8.0))
                + np.sum(middle) * math.log(cdf(3.0) - cdf(1.0))
            )

    family = get_family(name)
    free = family.to_unconstrained({**result.params})
    start = np.array([free[f] for f in family.free_names() if f not in given])
    best = optimize.minimize(
        lambda t: -loglik(t),
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-13 * abs(loglik(start)), "maxiter": 20000},
    )
    assert result.loglik == pytest.approx(loglik(start), rel=1e-10)
    assert result.loglik >= -best.fun - 1e-8 * abs(best.fun)
    for key, value in natural(best.x).items():
        assert result.params[key] == pytest.approx(value, rel=1e-4)


@pytest.mark.parametrize(
    ("name", "fixed"),
    [("binomial", {"n": 10}), ("betabinom", {"n": 10}), ("zip", None), ("logser", None)],
)
def test_a_file_read_in_chunks_fits_as_in_memory(tmp_path, name: str, fixed) -> None:
    """The families' sufficient statistics (count tables, totals) add up across chunks."""
    from gaussfit.data.chunked_csv import open_chunked_csv

    family = get_family(name).bind(fixed or {})
    x = family.sample(
        {**{"n": 10.0, "p": 0.4, "a": 2.0, "b": 3.0, "pi": 0.3, "rate": 3.0}, **(fixed or {})}
        if name != "logser"
        else {"p": 0.7},
        2000,
        np.random.default_rng(8),
    )
    path = tmp_path / "counts.csv"
    path.write_text("x\n" + "\n".join(str(int(v)) for v in x) + "\n")
    whole = gaussfit.fit(x, name, fixed=fixed, references=False, gof=False)
    chunked = gaussfit.fit(open_chunked_csv(path, 300), name, fixed=fixed, gof=False)
    assert chunked.loglik == pytest.approx(whole.loglik, rel=1e-12)
    for key, value in whole.params.items():
        assert chunked.params[key] == pytest.approx(value, rel=1e-9)


def test_bootstrap_refits_hold_the_given_n() -> None:
    """The batched refits (a fit's bootstrap, compare's selection bootstrap) keep n fixed and
    read the beta-binomial's count table row by row."""
    rng = np.random.default_rng(9)
    x = rng.binomial(20, rng.beta(6.0, 3.0, size=80)).astype(float)
    result = gaussfit.fit(x, "betabinom", fixed={"n": 20}, bootstrap=30, seed=2)
    assert result.bootstrap["failed"] == 0
    assert result.bootstrap["ci95"]["a"][0] < result.params["a"] < result.bootstrap["ci95"]["a"][1]
    ranked = compare(x, ["binomial", "betabinom"], fixed={"n": 20}, selection_bootstrap=20, seed=1)
    assert ranked.best.distribution == "betabinom"
    assert ranked.selection is not None
