"""The families whose support moves with their parameters (Pareto, uniform, the threshold
lognormal, Weibull and gamma) against scipy: log-density, log-CDF and log-survival on grids
into both tails and outside the support, their gradients and Hessians against central
differences of scipy's, and the closed forms.

They are kept out of the generic parametrised family tests (dist_cases.CASES) on purpose:
those difference scipy across points near the support's edge, where moving the edge by a step
changes which points have density at all, and run plain L-BFGS on every parameter, which
cannot reach an estimate that sits on the data's edge (Pareto's scale, the uniform's ends).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from scipy import stats

import gaussfit.engine as tf
from gaussfit.distributions import get_family
from gaussfit.distributions.scipy_counterparts import scipy_counterpart

# Written from scipy's parameterisations here, not taken from the families' scipy_dist.
REFERENCES = {
    "pareto": lambda p: stats.pareto(p["shape"], scale=p["scale"]),
    "uniform": lambda p: stats.uniform(p["loc"], p["scale"]),
    "lognormal3": lambda p: stats.lognorm(p["sigma"], p["threshold"], np.exp(p["mu"])),
    "weibull3": lambda p: stats.weibull_min(p["shape"], p["threshold"], p["scale"]),
    "gamma3": lambda p: stats.gamma(p["shape"], p["threshold"], p["scale"]),
    "triangular": lambda p: stats.triang(
        (p["mode"] - p["lower"]) / (p["upper"] - p["lower"]), p["lower"], p["upper"] - p["lower"]
    ),
}
CASES = [
    ("pareto", {"shape": 2.5, "scale": 2.0}),
    ("pareto", {"shape": 0.7, "scale": 0.01}),
    ("uniform", {"loc": -1.0, "scale": 4.0}),
    ("uniform", {"loc": 0.0625, "scale": 2.0**-7}),
    ("lognormal3", {"mu": 0.5, "sigma": 0.4, "threshold": 2.0}),
    ("lognormal3", {"mu": -1.0, "sigma": 1.5, "threshold": -3.0}),
    ("weibull3", {"shape": 2.5, "scale": 3.0, "threshold": 1.0}),
    ("weibull3", {"shape": 0.8, "scale": 0.5, "threshold": -2.0}),
    ("gamma3", {"shape": 3.0, "scale": 2.0, "threshold": 1.0}),
    ("gamma3", {"shape": 0.5, "scale": 1.0, "threshold": 0.2}),
    ("triangular", {"lower": 1.0, "mode": 2.2, "upper": 5.0}),
    ("triangular", {"lower": -4.0, "mode": -3.5, "upper": 0.5}),
]
IDS = [f"{name}-{i % 2}" for i, (name, _) in enumerate(CASES)]
GRAPHS = ("log_prob", "log_cdf", "log_sf")


def _lower(name: str, p: dict[str, float]) -> float:
    ends = {"pareto": p.get("scale"), "uniform": p.get("loc"), "triangular": p.get("lower")}
    return ends.get(name, p.get("threshold"))


def inside_points(name: str, p: dict[str, float]) -> np.ndarray:
    """Quantiles from 1e-200 to 1 - 1e-12 (both tails), strictly inside the support."""
    dist = REFERENCES[name](p)
    q = np.array([1e-200, 1e-50, 1e-10, 1e-3, 0.1, 0.5, 0.9, 0.999])
    points = np.concatenate([dist.ppf(q), dist.isf(q[:-3])])
    if name == "uniform":  # distances from both ends that are exact in binary
        points = p["loc"] + p["scale"] * np.array(
            [2.0**-30, 2.0**-10, 0.5, 1 - 2.0**-10, 1 - 2.0**-30]
        )
    points = points[np.isfinite(points) & (points > _lower(name, p))]
    return points[points < p["upper"]] if name == "triangular" else points


def outside_points(name: str, p: dict[str, float]) -> np.ndarray:
    low = _lower(name, p)
    points = [low - 1.0, low - 1e-9 * max(abs(low), 1.0)]
    if name == "uniform":
        points += [p["loc"] + p["scale"] * 1.5]
    if name == "triangular":
        points += [p["upper"] + 1e-9, p["upper"] + 1.0]
    return np.array(points)


def _run(name: str, graph: str, x: np.ndarray, p: dict[str, float]):
    """The graph's values at x, with its gradient and Hessian in the parameters (summed)."""
    family = get_family(name)
    params = {k: tf.constant(v, dtype=tf.float64) for k, v in p.items()}
    y = getattr(family, graph)(tf.constant(x), params)
    names = list(p)
    variables = [params[n] for n in names]

    def gradients(total: tf.Tensor) -> list[tf.Tensor]:  # None where y does not depend on it
        found = tf.gradients(total, variables)
        return [tf.zeros_like(v) if g is None else g for g, v in zip(found, variables, strict=True)]

    gradient = gradients(tf.reduce_sum(y))
    hessian = [gradients(g) for g in gradient]
    with tf.Session() as session:
        return session.run((y, gradient, hessian))


def _reference(name: str, graph: str, x: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """scipy's log of the side that is at most 1/2, log1p of minus the other side otherwise
    (scipy's own log of a value near 1 keeps no digits)."""
    dist = REFERENCES[name](p)
    if graph == "log_prob":
        return dist.logpdf(x)
    if name == "pareto":  # scipy's log(x) keeps no digits of x / scale near 1: mpmath's
        return _pareto_mpmath(graph, x, p)
    if name == "triangular":  # nor scipy's (x - loc) / scale those of upper - x: mpmath's
        return _triangular_mpmath(graph, x, p)
    this, other = (dist.cdf(x), dist.sf(x)) if graph == "log_cdf" else (dist.sf(x), dist.cdf(x))
    own = dist.logcdf(x) if graph == "log_cdf" else dist.logsf(x)
    with np.errstate(divide="ignore"):
        return np.where(this <= 0.5, own, np.log1p(-other))


def _pareto_mpmath(graph: str, x: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """log S = -b log(x / scale) and log F = log(1 - S) at 50 digits (0 and -inf below)."""
    with mpmath.workdps(50):
        out = []
        for v in x:
            if v < p["scale"]:
                out.append(-np.inf if graph == "log_cdf" else 0.0)
                continue
            log_s = -mpmath.mpf(p["shape"]) * mpmath.log(mpmath.mpf(v) / mpmath.mpf(p["scale"]))
            if graph == "log_sf":
                value = log_s
            elif log_s < -1:
                value = mpmath.log1p(-mpmath.exp(log_s))
            else:
                value = mpmath.log(-mpmath.expm1(log_s))
            out.append(float(value))
    return np.array(out)


def _triangular_mpmath(graph: str, x: np.ndarray, p: dict[str, float]) -> np.ndarray:
    """F = (x - a)^2 / ((b - a)(m - a)) up to the mode, S = (b - x)^2 / ((b - a)(b - m))
    above it, at 50 digits from the exact doubles."""
    a, m, b = (mpmath.mpf(p[k]) for k in ("lower", "mode", "upper"))
    out = []
    with mpmath.workdps(50):
        for v in x:
            v = mpmath.mpf(v)
            if v <= a or v >= b:
                low_side = v <= a
                out.append(-np.inf if (graph == "log_cdf") == low_side else 0.0)
                continue
            if v <= m:
                cdf = (v - a) ** 2 / ((b - a) * (m - a))
                sf = 1 - cdf
            else:
                sf = (b - v) ** 2 / ((b - a) * (b - m))
                cdf = 1 - sf
            out.append(float(mpmath.log(cdf if graph == "log_cdf" else sf)))
    return np.array(out)


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize(("name", "p"), CASES, ids=IDS)
def test_graphs_match_scipy_into_both_tails(name: str, p: dict[str, float], graph: str) -> None:
    x = inside_points(name, p)
    got, _, _ = _run(name, graph, x, p)
    expected = _reference(name, graph, x, p)
    finite = np.isfinite(expected)  # scipy's Pareto density overflows to -inf past 1e280
    assert np.sum(finite) >= len(x) - 1 and np.all(np.isfinite(got))
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize(("name", "p"), CASES, ids=IDS)
def test_outside_the_support_density_and_tails_are_exact_not_nan(
    name: str, p: dict[str, float]
) -> None:
    x = outside_points(name, p)
    above = x > _lower(name, p)  # only the uniform's point above its upper end
    for graph in GRAPHS:
        got, gradient, hessian = _run(name, graph, x, p)
        if graph == "log_sf":
            expected = np.where(above, -np.inf, 0.0)
        elif graph == "log_cdf":
            expected = np.where(above, 0.0, -np.inf)
        else:
            expected = np.full(x.shape, -np.inf)
        assert np.array_equal(got, expected), graph
        assert not np.any(np.isnan(gradient)) and not np.any(np.isnan(hessian)), graph
        np.testing.assert_array_equal(expected, _reference(name, graph, x, p))


def _central(f, value: float, step: float) -> float:
    """Central difference with one Richardson extrapolation."""

    def d(h: float) -> float:
        return (f(value + h) - f(value - h)) / (2.0 * h)

    return (4.0 * d(step / 2.0) - d(step)) / 3.0


@pytest.mark.slow
@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize(("name", "p"), CASES, ids=IDS)
def test_gradient_and_hessian_match_finite_differences(
    name: str, p: dict[str, float], graph: str
) -> None:
    # Points in the body (quantiles 0.05..0.95): no step of 1e-4 relative moves the edge
    # past them.
    dist = REFERENCES[name](p)
    x = dist.ppf(np.linspace(0.05, 0.95, 9))
    _, gradient, hessian = _run(name, graph, x, p)
    names = list(p)
    steps = {k: 1e-4 * max(abs(v), 1e-2) for k, v in p.items()}

    def total(q: dict[str, float]) -> float:
        return float(np.sum(_reference(name, graph, x, q)))

    noise = 1e-13 * float(np.sum(np.abs(_reference(name, graph, x, p)))) + 1e-300

    for i, a in enumerate(names):
        numeric = _central(lambda v, a=a: total({**p, a: v}), p[a], steps[a])
        assert gradient[i] == pytest.approx(numeric, rel=1e-6, abs=1e-8), (a,)
        for j, b in enumerate(names):

            def partial(v: float, a: str = a, b: str = b) -> float:
                shifted = {**p, b: v}
                return _central(lambda u: total({**shifted, a: u}), shifted[a], steps[a])

            numeric = _central(partial, p[b], steps[b])
            tolerance = 1e-4 * abs(numeric) + 16.0 * noise / (steps[a] * steps[b])
            assert abs(hessian[i][j] - numeric) <= tolerance, (a, b, hessian[i][j], numeric)


@pytest.mark.parametrize(("name", "p"), CASES[::2], ids=IDS[::2])
def test_numpy_reference_and_sampler(name: str, p: dict[str, float]) -> None:
    family = get_family(name)
    x = family.sample(p, 4000, np.random.default_rng(3))
    dist = REFERENCES[name](p)
    np.testing.assert_allclose(family.log_pdf_numpy(x, p), dist.logpdf(x), rtol=1e-12)
    assert stats.kstest(x, dist.cdf).pvalue > 1e-3
    assert np.all(~family.support_at(p).violations(x))


def test_pareto_closed_form_is_the_textbook_mle() -> None:
    x = stats.pareto(3.0, scale=1.5).rvs(size=500, random_state=4)
    got = get_family("pareto").closed_form(x, None)
    assert got["scale"] == np.min(x)
    assert got["shape"] == pytest.approx(x.size / np.sum(np.log(x / np.min(x))), rel=1e-12)
    # scipy's pareto.fit with loc 0 gives the same (its own closed form).
    b, _, scale = stats.pareto.fit(x, floc=0)
    assert got["shape"] == pytest.approx(b, rel=1e-8) and got["scale"] == pytest.approx(scale)


def test_weighted_closed_forms_equal_repeated_data() -> None:
    x = stats.pareto(3.0, scale=1.5).rvs(size=50, random_state=5)
    w = np.random.default_rng(6).integers(1, 4, size=50).astype(float)
    for name in ("pareto", "uniform"):
        family = get_family(name)
        got = family.closed_form(x, w)
        expected = family.closed_form(np.repeat(x, w.astype(int)), None)
        for key, value in expected.items():
            assert got[key] == pytest.approx(value, rel=1e-12)


def test_uniform_closed_form_is_min_and_range() -> None:
    x = np.array([0.3, -0.2, 1.7, 0.9])
    assert get_family("uniform").closed_form(x, None) == {"loc": -0.2, "scale": 1.7 - -0.2}
    loc, scale = stats.uniform.fit(x)
    assert (loc, scale) == pytest.approx((-0.2, 1.9))


def test_the_scipy_map_gives_scipy_the_same_distribution() -> None:
    from test_dist_scipy_map import _evaluate  # the map's reader: numbers, names, + - * /, exp

    cases = {
        "pareto": ({"shape": 2.5, "scale": 2.0}, stats.pareto(2.5, scale=2.0)),
        "uniform": ({"loc": -1.0, "scale": 3.0}, stats.uniform(-1.0, 3.0)),
        "lognormal3": (
            {"mu": 0.5, "sigma": 0.4, "threshold": 2.0},
            stats.lognorm(0.4, 2.0, np.exp(0.5)),
        ),
        "weibull3": ({"shape": 2.5, "scale": 3.0, "threshold": 1.0}, stats.weibull_min(2.5, 1, 3)),
        "gamma3": ({"shape": 3.0, "scale": 2.0, "threshold": 1.0}, stats.gamma(3.0, 1.0, 2.0)),
        "triangular": ({"lower": 1.0, "mode": 2.2, "upper": 5.0}, stats.triang(0.3, 1.0, 4.0)),
    }
    for name, (params, reference) in cases.items():
        entry = scipy_counterpart(name)
        shapes = [_evaluate(text, params) for text in entry["shapes"].values()]
        dist = getattr(stats, entry["name"])(
            *shapes, loc=_evaluate(entry["loc"], params), scale=_evaluate(entry["scale"], params)
        )
        x = reference.ppf(np.linspace(0.01, 0.99, 25))
        np.testing.assert_allclose(dist.logpdf(x), reference.logpdf(x), rtol=1e-12)
