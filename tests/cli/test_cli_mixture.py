"""Two-family mixtures from the command line: ``-d gamma+gamma`` in fit, compare and simulate,
and clear errors for mixtures that cannot be built."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import write_lines

DATA = Path(__file__).parents[1] / "distributions" / "data" / "mixtools_gamma_mixture.json"


@pytest.fixture
def two_groups(tmp_path: Path) -> Path:
    x = json.loads(DATA.read_text())["x"]
    return write_lines(tmp_path / "hours.csv", "hours", *map(repr, x))


def test_fit_names_the_mixture_and_its_prefixed_parameters(gaussfit_json, two_groups):
    document = gaussfit_json("fit", two_groups, "-d", "gamma+gamma", "--no-scipy")
    assert document["distribution"] == "gamma+gamma"
    assert list(document["params"]) == ["w", "shape1", "scale1", "shape2", "scale2"]
    assert document["converged"]
    # Sorted by median: the smaller component first.
    assert document["params"]["shape1"] * document["params"]["scale1"] < (
        document["params"]["shape2"] * document["params"]["scale2"]
    )


def test_compare_ranks_a_named_mixture_beside_single_families(gaussfit_json, two_groups):
    document = gaussfit_json("compare", two_groups, "--dists", "gamma,lognormal,gamma+gamma")
    names = [fit["distribution"] for fit in document["ranking"]]
    assert sorted(names) == ["gamma", "gamma+gamma", "lognormal"]
    assert names[0] == "gamma+gamma"


@pytest.mark.parametrize(
    ("dist", "message"),
    [("gamma+poisson", "supports differ"), ("gamma+gama", "did you mean gamma")],
)
def test_a_mixture_that_cannot_be_built_is_a_one_line_error(gaussfit, two_groups, dist, message):
    result = gaussfit("fit", two_groups, "-d", dist)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_simulate_draws_a_mixture_from_its_defaults(gaussfit):
    result = gaussfit("simulate", "-d", "poisson+poisson", "--n", "2000", "--seed", "3")
    assert result.exit_code == 0, result.stderr
    x = np.array([float(v) for v in result.stdout.split()[1:]])
    # Half rate 4, half rate 16 (the second component moved away from the first).
    assert np.mean(x) == pytest.approx(10.0, rel=0.05)
    assert np.all(x == np.floor(x))
