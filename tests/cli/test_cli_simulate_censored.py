"""``gaussfit simulate --censor``: censored draws written as left,right columns, read back by
``fit --left/--right``, and fitted back against the truth."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import assert_clean_error
from click.testing import Result
from scipy import stats


def test_right_censored_exponential_has_the_closed_form(
    gaussfit: Callable[..., Result], gaussfit_json: Callable[..., dict], tmp_path: Path
) -> None:
    out = tmp_path / "draws.csv"
    args = ["simulate", "--n", "3000", "-d", "exponential", "--param", "rate=0.5", "--seed", "3"]
    document = gaussfit_json(*args, "--censor", "right:0.6", "--fit", "--output", out)
    bounds = np.genfromtxt(out, delimiter=",", names=True, filling_values=np.nan)
    time, censored = bounds["left"], np.isnan(bounds["right"])
    limit = stats.expon(scale=2.0).ppf(0.6)
    assert np.all(time[censored] == pytest.approx(limit))
    assert document["params"]["rate"] == pytest.approx(np.sum(~censored) / np.sum(time), rel=1e-7)
    assert document["censoring"]["right"] == int(np.sum(censored))
    assert document["truth"] == {"rate": 0.5}
    refit = gaussfit_json("fit", out, "--left", "left", "--right", "right", "-d", "exponential")
    assert refit["params"] == pytest.approx(document["params"], rel=1e-12)


def test_left_and_interval_censoring_recover_the_truth(
    gaussfit_json: Callable[..., dict],
) -> None:
    document = gaussfit_json(
        "simulate", "--n", "4000", "-d", "weibull", "--param", "shape=2", "--param", "scale=3",
        "--seed", "5", "--censor", "left:0.2,interval:0.5", "--fit",
    )  # fmt: skip
    counts = document["censoring"]
    assert counts["left"] > 600 and counts["interval"] > 1200 and counts["exact"] > 1200
    for name, true in document["truth"].items():
        z = (document["params"][name] - true) / document["stderr"][name]
        assert abs(z) < 4


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("right", "is not KIND:VALUE"),
        ("up:0.5", "is not KIND:VALUE"),
        ("right:1.5", "must lie in (0, 1)"),
        ("interval:-1", "must be > 0"),
        ("right:0.5,right:0.6", "given twice"),
    ],
)
def test_bad_censor_specs(gaussfit: Callable[..., Result], spec: str, fragment: str) -> None:
    assert_clean_error(gaussfit("simulate", "--n", "10", "--censor", spec), 2, fragment)
