"""Parameter maps, starting points, data checks and the registry."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from dist_cases import CASES, FIRST_CASES, Case, constants, draw

import gaussfit.engine as tf
from gaussfit.distributions import FAMILIES, get_family
from gaussfit.errors import ConfigError, DataError


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_constrained_unconstrained_round_trip(case: Case) -> None:
    family = case.make()
    free = family.to_unconstrained(case.params)
    assert list(free) == family.free_names()
    assert all(math.isfinite(v) for v in free.values())
    with tf.Session() as session:
        back = session.run(family.to_constrained(constants(free)))
    assert sorted(back) == sorted(family.parameter_names)
    for name, value in case.params.items():
        assert back[name] == pytest.approx(value, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_initial_lies_in_the_domain(case: Case, weighted: bool) -> None:
    family = case.make()
    x = draw(case, 300, seed=6)
    family.check_data(x)
    w = np.random.default_rng(7).uniform(0.0, 2.0, size=x.size) if weighted else None
    start = family.initial(x, w)
    assert sorted(start) == sorted(family.parameter_names)
    family.check_params(start)
    assert all(math.isfinite(v) for v in family.to_unconstrained(start).values())


@pytest.mark.parametrize("case", FIRST_CASES, ids=lambda c: c.family)
def test_initial_survives_constant_data(case: Case) -> None:
    # All values equal: the MLE may not exist, but the start must still be a valid point.
    family = case.make()
    unit = {"beta": 0.25, "kumaraswamy": 0.25}
    value = {**unit, "poisson": 3.0, "negative_binomial": 3.0, "geometric": 3.0}.get(
        case.family, 2.0
    )
    family.check_params(family.initial(np.full(10, value), None))


_BAD_DATA = {
    "positive": ([1.0, 2.5, -0.5, 0.0], "value -0.5 (item 3)"),
    "unit": ([0.2, 0.9, 1.0, 0.0], "value 1 (item 3)"),
    "count": ([0.0, 3.0, 2.5, -1.0], "value 2.5 (item 3)"),
    "count from 1": ([1.0, 3.0, 0.0, 2.5], "value 0 (item 3)"),
}
_SUPPORT_KIND = {
    "lognormal": "positive",
    "exponential": "positive",
    "gamma": "positive",
    "weibull": "positive",
    "beta": "unit",
    "poisson": "count",
    "negative_binomial": "count",
    "genpareto": "positive",
    "lomax": "positive",
    "frechet": "positive",
    "burr12": "positive",
    "loglogistic": "positive",
    "rayleigh": "positive",
    "kumaraswamy": "unit",
    "halfnormal": "positive",
    "maxwell": "positive",
    "chi2": "positive",
    "invgamma": "positive",
    "nakagami": "positive",
    "invgauss": "positive",
    "geometric": "count",
    "pareto": "positive",
    "binomial": "count",
    "zip": "count",
    "zinb": "count",
    "betabinom": "count",
    "logser": "count from 1",
}


@pytest.mark.parametrize("name", list(_SUPPORT_KIND))
def test_check_data_names_first_offender(name: str) -> None:
    data, message = _BAD_DATA[_SUPPORT_KIND[name]]
    with pytest.raises(DataError, match="^" + re.escape(message)):
        get_family(name).check_data(np.array(data))


@pytest.mark.parametrize("name", [n for n in FAMILIES if n not in _SUPPORT_KIND])
def test_real_line_families_accept_any_real(name: str) -> None:
    get_family(name).check_data(np.array([-1e300, -1.5, 0.0, 2.0, 1e300]))


@pytest.mark.parametrize("name", ["binomial", "betabinom"])
def test_a_family_bound_to_n_trials_refuses_counts_above_n(name: str) -> None:
    family = get_family(name).bind({"n": 5.0})
    family.check_data(np.array([0.0, 5.0, 3.0]))
    with pytest.raises(DataError, match=r"^value 6 \(item 2\) .*\(integers 0 to 5\)"):
        family.check_data(np.array([0.0, 6.0, 3.0]))


@pytest.mark.parametrize("name", ["binomial", "betabinom"])
def test_the_number_of_trials_must_be_given_and_whole(name: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name}: the number of trials n is given, .*--fix n=N"):
        get_family(name).bind({})
    for bad in (20.5, 0.0, -3.0, True, "x"):
        with pytest.raises(ConfigError, match=f"^{name}: n="):
            get_family(name).bind({"n": bad})  # type: ignore[dict-item]
    with pytest.raises(ConfigError, match="n=7 in fixed, but the family was built with n=5"):
        get_family(name, n=5).bind({"n": 7.0})
    assert get_family(name, n=5).bind({}).given_values() == {"n": 5.0}


def test_counts_may_be_zero_and_positive_data_may_not() -> None:
    get_family("poisson").check_data(np.array([0.0, 0.0, 7.0]))
    with pytest.raises(DataError, match="item 1"):
        get_family("gamma").check_data(np.array([0.0, 1.0]))


_ALIASES = {
    "lognorm": "lognormal",
    "expon": "exponential",
    "weibull_min": "weibull",
    "t": "student_t",
    "gumbel_r": "gumbel",
    "nbinom": "negative_binomial",
    "mixture": "normal_mixture",
    "Student-T": "student_t",
    " Gamma ": "gamma",
}


@pytest.mark.parametrize("name", list(FAMILIES) + list(_ALIASES))
def test_registry_resolves_names_and_aliases(name: str) -> None:
    assert get_family(name).name == _ALIASES.get(name, name)


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("gama", "gamma"), ("weibul", "weibull"), ("possion", "poisson"), ("logistc", "logistic")],
)
def test_registry_suggests_close_names(typo: str, suggestion: str) -> None:
    with pytest.raises(ConfigError, match=f"did you mean {suggestion}\\?"):
        get_family(typo)


def test_registry_rejects_options_a_family_does_not_take() -> None:
    with pytest.raises(ConfigError, match="gamma"):
        get_family("gamma", k=3)


# -- the normal mixture's own parameter handling ----------------------------------------------
@pytest.mark.parametrize("k", [1, 0, 2.5, "3", True])
def test_mixture_rejects_bad_k(k: object) -> None:
    with pytest.raises(ConfigError, match="k must"):
        get_family("normal_mixture", k=k)


def test_mixture_parameters_follow_k() -> None:
    family = get_family("mixture", k=3)
    assert family.parameter_names == [
        "w1", "w2", "w3", "mu1", "mu2", "mu3", "sigma1", "sigma2", "sigma3"
    ]  # fmt: skip
    assert family.free_names() == [
        "logit_w2", "logit_w3", "mu1", "mu2", "mu3", "log_sigma1", "log_sigma2", "log_sigma3"
    ]  # fmt: skip


def test_mixture_weights_are_a_softmax() -> None:
    family = get_family("normal_mixture", k=3)
    free = {"logit_w2": 1.0, "logit_w3": -40.0, "mu1": 0, "mu2": 1, "mu3": 2}
    free.update({f"log_sigma{j}": 0.0 for j in (1, 2, 3)})
    with tf.Session() as session:
        p = session.run(family.to_constrained(constants(free)))
    expected = np.exp([0.0, 1.0, -40.0]) / np.sum(np.exp([0.0, 1.0, -40.0]))
    np.testing.assert_allclose([p["w1"], p["w2"], p["w3"]], expected, rtol=1e-13)


def test_mixture_check_params_needs_weights_summing_to_one() -> None:
    family = get_family("normal_mixture")
    params = {"w1": 0.5, "w2": 0.6, "mu1": 0.0, "mu2": 1.0, "sigma1": 1.0, "sigma2": 1.0}
    with pytest.raises(ValueError, match=r"sum to 1\.1"):
        family.check_params(params)
    with pytest.raises(ValueError, match="sigma2"):
        family.check_params({**params, "w2": 0.5, "sigma2": -1.0})


def test_mixture_order_components_sorts_by_mean() -> None:
    family = get_family("normal_mixture", k=3)
    params = {"w1": 0.2, "w2": 0.5, "w3": 0.3, "mu1": 4.0, "mu2": -1.0, "mu3": 0.5}
    params.update({"sigma1": 1.0, "sigma2": 2.0, "sigma3": 3.0})
    assert family.order_components(params) == {
        "w1": 0.5, "w2": 0.3, "w3": 0.2,
        "mu1": -1.0, "mu2": 0.5, "mu3": 4.0,
        "sigma1": 2.0, "sigma2": 3.0, "sigma3": 1.0,
    }  # fmt: skip


def test_mixture_initial_finds_well_separated_components() -> None:
    case = Case("normal_mixture", {"w1": 0.3, "w2": 0.7, "mu1": -6.0, "mu2": 5.0,
                                   "sigma1": 1.0, "sigma2": 1.5}, {"k": 2})  # fmt: skip
    start = case.make().initial(draw(case, 4000, seed=8), None)
    assert start["mu1"] == pytest.approx(-6.0, abs=0.5)
    assert start["mu2"] == pytest.approx(5.0, abs=1.0)
    assert start["w1"] + start["w2"] == pytest.approx(1.0)
