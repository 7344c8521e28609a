"""The families with a moving support from the command line: a threshold fit, its JSON flags,
compare on positive data with zeros, and a fixed threshold above a value (exit 2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gaussfit.distributions import FAMILIES

READINGS = Path(__file__).resolve().parents[2] / "data" / "readings.csv"


def test_threshold_fit_json_carries_the_boundary_fields(gaussfit_json):
    document = gaussfit_json("fit", READINGS, "-d", "lognormal3", "--scipy")
    assert document["distribution"] == "lognormal3"
    assert document["params"]["threshold"] < 0.0  # below the three zeros
    assert document["boundary"] == {} and document["likelihood_unbounded"] is False
    assert any("ran its threshold into the smallest value" in n for n in document["notes"])


@pytest.mark.slow
def test_compare_all_on_readings_ranks_a_threshold_family_first(gaussfit_json):
    document = gaussfit_json("compare", READINGS, "--no-gof")
    ranked = [f["distribution"] for f in document["ranking"]]
    assert ranked[0] == "lognormal3" and ranked.index("lognormal3") < ranked.index("gumbel")
    failed = {f["distribution"] for f in document["failed"]}
    skipped = {f["distribution"]: f["reason"] for f in document["skipped"]}
    assert set(ranked) | failed | set(skipped) == set(FAMILIES)
    assert skipped["gamma"].startswith("3 values are 0, outside the support (0, inf)")


def test_fixed_threshold_above_a_value_exits_2_naming_the_line(gaussfit, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("x\n5\n6\n2.5\n7\n8\n")
    result = gaussfit("fit", path, "-d", "lognormal3", "--fix", "threshold=3")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {path}:4: column 'x': value 2.5 is outside the support (3, inf) of lognormal3 "
        "at the fixed values (threshold=3)"
    )
    assert "Traceback" not in result.stderr


def test_simulate_then_fit_a_pareto(gaussfit, gaussfit_json, tmp_path):
    out = tmp_path / "p.csv"
    assert (
        gaussfit("simulate", "-d", "pareto", "--n", "500", "--seed", "1", "-o", out).exit_code == 0
    )
    document = gaussfit_json("fit", out, "-d", "pareto")
    values = np.loadtxt(out, skiprows=1)
    assert document["params"]["scale"] == pytest.approx(np.min(values), rel=1e-5)
    assert "scale" in document["boundary"] and document["identifiable"] is False
