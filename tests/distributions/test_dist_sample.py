"""Each family's sampler against the reference distribution's moments and quantiles."""

from __future__ import annotations

import numpy as np
import pytest
from dist_cases import DISCRETE, FIRST_CASES, Case, reference_mean_var, scipy_reference

_N = 200_000
_TOLERANCE_IN_STANDARD_ERRORS = 5.0
_NO_FOURTH_MOMENT = {"cauchy"}


def _sample(case: Case, seed: int) -> np.ndarray:
    x = case.make().sample(case.params, _N, np.random.default_rng(seed))
    assert x.shape == (_N,)
    assert x.dtype == np.float64
    return x


@pytest.mark.parametrize(
    "case", [c for c in FIRST_CASES if c.family not in _NO_FOURTH_MOMENT], ids=lambda c: c.family
)
def test_sample_moments(case: Case) -> None:
    x = _sample(case, seed=20)
    mean, var = reference_mean_var(case)
    centred = x - np.mean(x)
    m2, m4 = np.mean(centred**2), np.mean(centred**4)
    assert abs(np.mean(x) - mean) < _TOLERANCE_IN_STANDARD_ERRORS * np.sqrt(m2 / _N)
    assert abs(np.var(x) - var) < _TOLERANCE_IN_STANDARD_ERRORS * np.sqrt((m4 - m2**2) / _N)


@pytest.mark.parametrize(
    "case",
    [c for c in FIRST_CASES if c.family not in DISCRETE | {"normal_mixture"}],
    ids=lambda c: c.family,
)
def test_sample_quartiles(case: Case) -> None:
    # The fraction of draws below each true quartile is binomial: q ± a few sqrt(q (1-q) / N).
    x = _sample(case, seed=21)
    for q in (0.25, 0.5, 0.75):
        below = np.mean(x <= scipy_reference(case).ppf(q))
        assert abs(below - q) < _TOLERANCE_IN_STANDARD_ERRORS * np.sqrt(q * (1 - q) / _N)


@pytest.mark.parametrize("case", FIRST_CASES, ids=lambda c: c.family)
def test_samples_lie_in_the_support(case: Case) -> None:
    family = case.make()
    family.check_data(family.sample(case.params, 1000, np.random.default_rng(22)))
