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
