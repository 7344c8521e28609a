"""``describe``'s statistics against R's fitdistrplus::descdist (recorded) and scipy, and the
Cullen and Frey loci against the families' moments."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from gaussfit.errors import DataError
from gaussfit.fitting.describe import describe, family_loci, kurtosis, skewness

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURE = json.loads((HERE / "descdist.json").read_text(encoding="utf-8"))


def _groundbeef() -> np.ndarray:
    lines = (REPO / "tests" / "fitting" / "reference" / "groundbeef.csv").read_text().splitlines()
    rows = [line for line in lines if line and not line.startswith("#")]
    return np.array([float(line.split(",")[0]) for line in rows[1:]])


@pytest.mark.parametrize(
    ("case", "values"),
    [
        ("groundbeef$serving", _groundbeef),
        ("counts", lambda: np.loadtxt(REPO / "data" / "counts.csv", skiprows=1)),
    ],
)
def test_statistics_equal_descdists(case, values):
    expected = FIXTURE["cases"][case]
    got = describe(values()).to_dict()
    for key in ("n", "min", "max", "median", "mean", "sd", "skewness", "kurtosis"):
        assert got[key] == pytest.approx(expected[key], rel=1e-12), key
    assert got["discrete"] is (case == "counts")


def test_skewness_and_kurtosis_are_scipys_unbiased_estimates():
    x = np.random.default_rng(5).gamma(2.0, size=37)
    assert skewness(x) == pytest.approx(stats.skew(x, bias=False), rel=1e-12)
    assert kurtosis(x) == pytest.approx(stats.kurtosis(x, fisher=False, bias=False), rel=1e-12)


def test_bootstrap_points_are_the_resamples_statistics():
    x = np.random.default_rng(6).normal(size=50)
    d = describe(x, bootstrap=20, seed=3)
    rng = np.random.default_rng(3)
    first = x[rng.integers(0, x.size, x.size)]
    assert len(d.bootstrap) == 20
    expected = (stats.skew(first, bias=False) ** 2, stats.kurtosis(first, fisher=False, bias=False))
    assert d.bootstrap[0] == pytest.approx(expected)


def test_descdist_loci_match_scipy_moments():
    loci = {locus["family"]: locus for locus in family_loci(discrete=False)}
    for name, dist in [("normal", stats.norm), ("uniform", stats.uniform),
                       ("exponential", stats.expon), ("logistic", stats.logistic)]:  # fmt: skip
        s, k = dist.stats(moments="sk")
        assert loci[name]["s2"][0] == pytest.approx(s**2, abs=1e-12)
        assert loci[name]["kurt"][0] == pytest.approx(k + 3, abs=1e-12)
    for shape in (0.5, 2.0, 9.0):  # gamma line: kurt = 3 + 1.5 s2
        s, k = stats.gamma(shape).stats(moments="sk")
        assert np.interp(s**2, loci["gamma"]["s2"], loci["gamma"]["kurt"]) == pytest.approx(k + 3)
    for sigma in (0.2, 0.5, 0.8):
        s, k = stats.lognorm(sigma).stats(moments="sk")
        line = loci["lognormal"]
        assert np.interp(s**2, line["s2"], line["kurt"]) == pytest.approx(k + 3, rel=1e-3)
    s, k = stats.beta(2.0, 5.0).stats(moments="sk")
    area = loci["beta"]
    low, high = (
        np.interp(s**2, area["s2"], area["kurt"]),
        np.interp(s**2, area["s2"], area["upper"]),
    )
    assert low <= k + 3 <= high


def test_other_families_loci_come_from_their_moments():
    loci = {locus["family"]: locus for locus in family_loci(discrete=False)}
    assert loci["laplace"]["kind"] == "point"
    assert loci["laplace"]["kurt"][0] == pytest.approx(6.0)
    assert loci["gumbel"]["s2"][0] == pytest.approx(stats.gumbel_r.stats(moments="s") ** 2)
    assert loci["weibull"]["kind"] == "line"
    assert loci["invgauss"]["kind"] == "line"  # two parameters, one shape: mu / lambda
    assert loci["burr12"]["kind"] == "area"
    assert "cauchy" not in loci  # no moments
    t = loci["student_t"]
    assert np.allclose(t["s2"], 0.0) and np.min(t["kurt"]) > 3.0
    discrete = {locus["family"] for locus in family_loci(discrete=True)}
    assert {"normal", "poisson", "negative_binomial", "geometric"} <= discrete


def test_too_few_or_constant_values_are_refused():
    with pytest.raises(DataError, match="at least 4"):
        describe(np.array([1.0, 2.0, 3.0]))
    with pytest.raises(DataError, match="every value is 2"):
        describe(np.full(10, 2.0))
