"""fitdistrplus's own censored data sets (smokedfish, salinity, fluazinam) against its
``fitdistcens`` answers, recorded with provenance in ``fixtures/fitdistrplus.json``.

fitdistcens maximises with R's Nelder–Mead, which stops about 1e-4 short of the optimum, so
the estimates agree to 1e-3 and our log-likelihood is never lower; its standard errors come
from optim's finite-difference Hessian and agree to 1%."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from censored_helpers import needs_tail_graphs

import gaussfit
from gaussfit.data.observations import Observations

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "fitdistrplus.json").read_text())
FAMILY = {"lnorm": "lognormal", "weibull": "weibull", "exp": "exponential", "logis": "logistic",
          "norm": "normal", "cauchy": "cauchy"}  # fmt: skip
NAMES = {"meanlog": "mu", "sdlog": "sigma", "location": "loc", "mean": "mu", "sd": "sigma"}


def _observations(name: str) -> Observations:
    data = FIXTURES["data"][name]
    left = np.array([np.nan if v is None else v for v in data["left"]])
    right = np.array([np.nan if v is None else v for v in data["right"]])
    return Observations(np.nan_to_num(left, nan=-np.inf), np.nan_to_num(right, nan=np.inf))


@pytest.mark.parametrize("case", FIXTURES["fits"], ids=lambda c: c["call"])
def test_matches_fitdistcens(case: dict) -> None:
    needs_tail_graphs(FAMILY[case["distr"]])
    result = gaussfit.fit(_observations(case["data"]), FAMILY[case["distr"]], references=False)
    assert result.converged
    assert result.loglik >= case["loglik"] - 1e-6
    assert result.loglik == pytest.approx(case["loglik"], abs=2e-3)
    for name, value, sd in zip(case["names"], case["estimate"], case["sd"], strict=True):
        ours = NAMES.get(name, name)
        assert result.params[ours] == pytest.approx(value, rel=2e-3), ours
        assert result.stderr[ours] == pytest.approx(sd, rel=2e-2), ours
