"""The empirical curve of censored data: Kaplan–Meier against lifelines' KaplanMeierFitter
(recorded, with ties and delayed entry), Turnbull's estimate against cases solved by hand and
against Kaplan–Meier where the two must agree."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from gaussfit.data.observations import Observations
from gaussfit.fitting.empirical import kaplan_meier, nonparametric_cdf, turnbull

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "lifelines.json").read_text())


@pytest.mark.parametrize("case", FIXTURES["kaplan_meier"], ids=lambda c: c["name"])
def test_kaplan_meier_matches_lifelines(case: dict) -> None:
    data = case["data"]
    t = np.array(data["durations"])
    observed = np.array(data["event_observed"]) == 1
    entry = np.array(data["entry"]) if "entry" in data else None
    times, cdf = kaplan_meier(Observations(t, np.where(observed, t, np.inf), entry=entry))
    # lifelines lists every distinct time (censorings too) and time 0; compare at event times
    reference = dict(zip(case["time"], case["survival"], strict=True))
    expected = [1.0 - reference[v] for v in times]
    np.testing.assert_allclose(cdf, expected, rtol=1e-12, atol=1e-14)


def test_turnbull_without_overlaps_puts_each_weight_on_its_interval() -> None:
    obs = Observations(np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0, 4.0]), np.array([1, 2, 1.0]))
    lower, upper, cdf = turnbull(obs)
    assert (lower, upper) == ([0.0, 1.0, 3.0], [1.0, 2.0, 4.0])
    np.testing.assert_allclose(cdf, [0.25, 0.75, 1.0])


def test_turnbull_splits_overlapping_intervals_self_consistently() -> None:
    # (0, 2] and (1, 3]: innermost interval (1, 2] holds all the mass
    obs = Observations(np.array([0.0, 1.0]), np.array([2.0, 3.0]))
    lower, upper, cdf = turnbull(obs)
    assert (lower, upper) == ([1.0], [2.0])
    np.testing.assert_allclose(cdf, [1.0])
    # left-censored at 1, exact 2, right-censored at 1.5: the innermost intervals are
    # (-inf, 1] (inside the first only) and {2} (inside the other two): masses 1/3 and 2/3
    obs = Observations(np.array([-np.inf, 2.0, 1.5]), np.array([1.0, 2.0, np.inf]))
    lower, upper, cdf = turnbull(obs)
    assert upper[0] == 1.0 and lower[1] == 2.0
    np.testing.assert_allclose(cdf, [1 / 3, 1.0], atol=1e-8)


def test_turnbull_equals_kaplan_meier_for_right_censored_data() -> None:
    rng = np.random.default_rng(9)
    t = np.round(rng.exponential(2.0, 80), 1) + 0.1
    c = np.round(rng.uniform(0.5, 4.0, 80), 1)
    time, event = np.minimum(t, c), t <= c
    obs = Observations(time, np.where(event, time, np.inf))
    km_times, km_cdf = kaplan_meier(obs)
    lower, upper, cdf = turnbull(obs)
    points = [u for lo, u in zip(lower, upper, strict=True) if lo == u]
    assert points == km_times
    turnbull_at = dict(zip(upper, cdf, strict=True))
    np.testing.assert_allclose([turnbull_at[v] for v in km_times], km_cdf, atol=1e-7)
    assert nonparametric_cdf(obs)[0]["method"] == "kaplan-meier"


def test_turnbull_with_delayed_entry_is_kaplan_meier_of_lifelines() -> None:
    case = next(c for c in FIXTURES["kaplan_meier"] if c["name"] == "km_entry")
    data = case["data"]
    t = np.array(data["durations"])
    observed = np.array(data["event_observed"]) == 1
    obs = Observations(t, np.where(observed, t, np.inf), entry=np.array(data["entry"]))
    lower, upper, cdf = turnbull(obs)  # the truncated EM, not the product-limit formula
    at = {u: f for lo, u, f in zip(lower, upper, cdf, strict=True) if lo == u}
    reference = dict(zip(case["time"], case["survival"], strict=True))
    events = sorted(set(t[observed].tolist()))
    np.testing.assert_allclose(
        [at[v] for v in events], [1 - reference[v] for v in events], atol=1e-9
    )


def test_turnbull_with_entry_solved_by_hand() -> None:
    # 1 and 2 watched from 0, 3 from 1.5: risk sets {1,2,3 not yet}, {2,3}, {3}:
    # S = 1/2, 1/4, 0, so the masses are 1/2, 1/4, 1/4
    values, entry = np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.0, 1.5])
    obs = Observations(values, values, entry=entry)
    lower, upper, cdf = turnbull(obs)
    assert lower == upper == [1.0, 2.0, 3.0]
    np.testing.assert_allclose(cdf, [0.5, 0.75, 1.0], atol=1e-8)


def _cdf_at(curve: tuple, t: float) -> float:
    _, upper, cdf = curve
    return max([f for u, f in zip(upper, cdf, strict=True) if u <= t], default=0.0)


def test_turnbull_cuts_censored_ranges_to_the_truncation_window() -> None:
    # inside [0, 4]: "at most 1" is (0, 1], "more than 3" is (3, 4]; no overlaps: 1/3 each
    low, high = np.array([-np.inf, 2.0, 3.0]), np.array([1.0, 2.0, np.inf])
    obs = Observations(low, high, truncation=(0.0, 4.0))
    curve = turnbull(obs)
    assert min(curve[0]) >= 0.0 and max(curve[1]) <= 4.0
    np.testing.assert_allclose([_cdf_at(curve, v) for v in (1.0, 2.0, 4.0)], [1 / 3, 2 / 3, 1.0])
    result, reason = nonparametric_cdf(obs)
    assert reason is None and result["method"] == "turnbull"


def test_turnbull_with_truncation_satisfies_the_npmle_conditions() -> None:
    """Interval censoring with delayed entry. At the NPMLE of sum_i log P(A_i) - log P(B_i)
    over the simplex, the gradient in each cell's mass, sum_i a_ij / P(A_i) - b_ij / P(B_i),
    is 0 where the mass is positive and <= 0 elsewhere (Gentleman & Geyer 1994's conditions,
    with the truncation terms). The cells and memberships are built here again, one by one."""
    rng = np.random.default_rng(11)
    n = 60
    x = rng.gamma(2.0, 1.0, n)
    entry = np.round(rng.uniform(0.0, 1.0, n), 1)
    keep = x > entry
    x, entry = x[keep], entry[keep]
    low, high = np.floor(x * 2) / 2, np.floor(x * 2) / 2 + 0.5
    low = np.maximum(low, entry)
    exact = rng.uniform(size=x.size) < 0.3
    low, high = np.where(exact, x, low), np.where(exact, x, high)
    high = np.where(low >= 3.0, np.inf, high)
    obs = Observations(low, high, entry=entry)
    lower, upper, cdf = turnbull(obs)
    mass = np.diff(np.concatenate([[0.0], cdf]))
    ends = sorted(set(np.concatenate([low, high[np.isfinite(high)], entry]).tolist()))
    cells = [(v, v) for v in ends] + list(zip([-np.inf, *ends], [*ends, np.inf], strict=True))
    p = np.zeros(len(cells))
    for lo, up, m in zip(lower, upper, mass, strict=True):
        p[cells.index((lo, up))] = m
    assert p.sum() == pytest.approx(1.0)

    def within(cell, left, right, open_left):  # the cell inside (left, right] or [left, right]
        c0, c1 = cell
        if c0 == c1:
            return (left < c0 if open_left else left <= c0) and c1 <= right
        return left <= c0 and c1 <= right

    a = np.array(
        [
            [within(c, lo, up, True) if lo < up else c == (lo, lo) for c in cells]
            for lo, up in zip(low, high, strict=True)
        ],
        float,
    )
    b = np.array([[within(c, e, np.inf, True) for c in cells] for e in entry], float)
    b = np.maximum(a, b)
    gradient = a.T @ (1.0 / (a @ p)) - b.T @ (1.0 / (b @ p))
    support = p > 1e-6
    assert np.max(np.abs(gradient[support])) < 1e-3 * x.size
    assert np.max(gradient[~support]) < 1e-3 * x.size
