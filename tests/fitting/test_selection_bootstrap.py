"""compare's bootstrap of the ranking, against the same resamples refitted in closed form."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import gaussfit


def test_wins_are_those_of_closed_form_refits_on_the_same_resamples():
    x = np.random.default_rng(3).gamma(6.0, 1.0, 60)  # between normal and exponential
    result = gaussfit.compare(
        x, "normal,exponential,lognormal", selection_bootstrap=120, seed=8, references=False
    )
    index = np.random.default_rng(8).integers(0, len(x), size=(120, len(x)))
    wins = {"normal": 0, "exponential": 0, "lognormal": 0}
    for rows in x[index]:
        logs = np.log(rows)
        aic = {
            "normal": 4 - 2 * np.sum(stats.norm(np.mean(rows), np.std(rows)).logpdf(rows)),
            "exponential": 2 - 2 * np.sum(stats.expon(scale=np.mean(rows)).logpdf(rows)),
            "lognormal": 4
            - 2 * np.sum(stats.lognorm(np.std(logs), scale=np.exp(np.mean(logs))).logpdf(rows)),
        }
        wins[min(aic, key=aic.get)] += 1
    assert result.selection["undecided"] == 0
    assert result.selection["wins"] == pytest.approx({k: v / 120 for k, v in wins.items()})
