"""The skew-normal's log-CDF and log-survival graphs, its start and its identifiability flag.

References: mpmath at 50 digits from the defining integral (``data/skew_normal_references.json``,
recorded by ``data/make_skew_normal_references.py``, which never uses Owen's T), from the
centre to far into both tails; and scipy.stats.skewnorm where scipy's own CDF is exact
(boost's Owen's T; below 1e-6 scipy integrates numerically, to about 1e-10 only).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from dist_cases import constants
from scipy import stats

import gaussfit.engine as tf
from gaussfit.distributions import get_family
from gaussfit.fitting.identifiability import identifiability_flags
from gaussfit.fitting.inference import Uncertainty

_DATA = json.loads((Path(__file__).parent / "data" / "skew_normal_references.json").read_text())
PARAMS = [dict(p) for p in {json.dumps(r["params"]): r["params"] for r in _DATA["rows"]}.values()]


def _graph_values(params: dict[str, float], side: str, x: np.ndarray) -> np.ndarray:
    family = get_family("skewnormal")
    graph = family.log_cdf if side == "cdf" else family.log_sf
    with tf.Session() as session:
        return session.run(graph(tf.constant(x), constants(params)))


@pytest.mark.parametrize("side", ["cdf", "sf"])
@pytest.mark.parametrize("params", PARAMS, ids=lambda p: f"a={p['a']:g}")
def test_log_cdf_and_log_sf_match_mpmath_into_both_tails(params, side) -> None:
    rows = [r for r in _DATA["rows"] if r["params"] == params and r["side"] == side]
    x = np.array([r["x"] for r in rows])
    expected = np.array([r["value"] for r in rows])
    np.testing.assert_allclose(_graph_values(params, side, x), expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("side", ["cdf", "sf"])
@pytest.mark.parametrize("params", PARAMS[:2], ids=lambda p: f"a={p['a']:g}")
def test_log_cdf_and_log_sf_match_scipy_where_its_owens_t_is_exact(params, side) -> None:
    dist = stats.skewnorm(params["a"], params["loc"], params["scale"])
    x = dist.ppf(np.linspace(0.001, 0.999, 41))
    expected = dist.logcdf(x) if side == "cdf" else dist.logsf(x)
    np.testing.assert_allclose(_graph_values(params, side, x), expected, rtol=1e-12)


@pytest.mark.parametrize("side", ["cdf", "sf"])
@pytest.mark.parametrize("params", PARAMS[:3], ids=lambda p: f"a={p['a']:g}")
def test_gradient_and_hessian_match_finite_differences_of_scipy(params, side) -> None:
    # Central points, where scipy's log-CDF is exact and can be differenced.
    names = list(params)
    dist = stats.skewnorm(params["a"], params["loc"], params["scale"])
    x = dist.ppf(np.array([0.05, 0.3, 0.5, 0.8, 0.97]))
    family = get_family("skewnormal")
    p = constants(params)
    y = tf.reduce_sum((family.log_cdf if side == "cdf" else family.log_sf)(tf.constant(x), p))
    gradient = tf.gradients(y, [p[n] for n in names])
    hessian = [tf.gradients(g, [p[n] for n in names]) for g in gradient]
    with tf.Session() as session:
        got_gradient, got_hessian = session.run((gradient, hessian))

    def total(shifts: dict[str, float]) -> float:
        q = {n: params[n] + shifts.get(n, 0.0) for n in names}
        d = stats.skewnorm(q["a"], q["loc"], q["scale"])
        return float(np.sum(d.logcdf(x) if side == "cdf" else d.logsf(x)))

    step = {n: 1e-4 * max(abs(params[n]), 0.1) for n in names}
    for i, a in enumerate(names):
        h = step[a]
        numeric = (total({a: h}) - total({a: -h})) / (2 * h)
        assert got_gradient[i] == pytest.approx(numeric, rel=1e-6, abs=1e-8)
        for j, b in enumerate(names):
            k = step[b]

            def at(sa, sb, a=a, b=b, h=h, k=k):
                shifts = {a: sa * h}
                shifts[b] = shifts.get(b, 0.0) + sb * k
                return total(shifts)

            numeric = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * k)
            assert got_hessian[i][j] == pytest.approx(numeric, rel=1e-4, abs=1e-5)


@pytest.mark.parametrize("row", _DATA["deep"], ids=lambda r: f"{r['side']}-x={r['x']:g}")
def test_deep_tail_derivatives_match_mpmath(row) -> None:
    params = constants(row["params"])
    names = list(row["params"])
    graph = (
        get_family("skewnormal").log_cdf
        if row["side"] == "cdf"
        else get_family("skewnormal").log_sf
    )
    y = tf.reduce_sum(graph(tf.constant(np.array([row["x"]])), params))
    gradient = tf.gradients(y, [params[n] for n in names])
    (d2_a,) = tf.gradients(gradient[names.index("a")], [params["a"]])
    with tf.Session() as session:
        value, got_gradient, got_d2_a = session.run((y, gradient, d2_a))
    scale = max(abs(row["value"]), 1e-300)
    assert value == pytest.approx(row["value"], rel=1e-12)
    np.testing.assert_allclose(got_gradient, row["gradient"], rtol=1e-9, atol=1e-12 * scale)
    assert got_d2_a == pytest.approx(row["d2_a"], rel=1e-7, abs=1e-11 * scale)


def test_the_two_sides_add_up_to_one() -> None:
    for params in PARAMS:
        x = np.array([r["x"] for r in _DATA["rows"] if r["params"] == params])
        total = np.exp(_graph_values(params, "cdf", x)) + np.exp(_graph_values(params, "sf", x))
        np.testing.assert_allclose(total, 1.0, rtol=1e-14)


def test_start_is_never_at_a_zero_where_the_information_is_singular() -> None:
    x = np.random.default_rng(3).normal(size=400)
    x = x - np.mean(x)
    x = np.concatenate([x, -x])  # sample skewness exactly 0
    assert abs(get_family("skewnormal").initial(x, None)["a"]) > 0.04


def test_a_drifting_to_infinity_is_flagged() -> None:
    # A half-normal sample: the skew-normal's likelihood keeps rising as a grows.
    family = get_family("skewnormal")
    params = {"loc": 0.001, "scale": 1.0, "a": 250.0}
    unc = Uncertainty(
        stderr={"loc": 0.001, "scale": 0.05, "a": 4e3},
        ci95={},
        covariance=None,
        positive_definite=True,
    )
    (flag,) = identifiability_flags(family, params, unc, {})
    assert flag.startswith("a = 250 drifts towards +infinity")
    assert family.degeneracy_flags({**params, "a": 3.0}, {"a": 0.5}) == []
