"""``--method``, ``--probs`` and ``--gof-distance`` on the command line and in batch files: the
fit they give equals the library's, the report names the estimator, and every misuse is one
line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import numpy as np
import pytest
from cli_helpers import REPO, assert_clean_error, parse_one_object, write_lines

from gaussfit import fit
from gaussfit.cli.method_options import DISTANCE_NAMES, METHOD_NAMES
from gaussfit.fitting.estimation import GOF_DISTANCES, METHODS
from gaussfit.report.schema import COMPARE_SCHEMA, FIT_SCHEMA

SKEWED = REPO / "data" / "skewed.csv"
COUNTS = REPO / "data" / "counts.csv"


def test_the_command_line_spells_the_fitting_layers_names() -> None:
    assert METHOD_NAMES == METHODS
    assert DISTANCE_NAMES == GOF_DISTANCES


def test_fit_json_is_the_librarys_method_fit(gaussfit_json) -> None:
    document = gaussfit_json(
        "fit", SKEWED, "-d", "weibull", "--method", "mge", "--gof-distance", "ad"
    )
    jsonschema.validate(document, FIT_SCHEMA)
    x = np.loadtxt(SKEWED, skiprows=1)
    expected = fit(x, "weibull", method="mge", gof_distance="AD")
    assert document["params"] == pytest.approx(expected.params, rel=1e-12)
    assert document["method"]["name"] == "mge" and document["method"]["distance"] == "AD"
    assert document["stderr"] == {"shape": None, "scale": None}


def test_fit_report_names_the_method_and_its_score(gaussfit) -> None:
    result = gaussfit("fit", SKEWED, "-d", "weibull", "--method", "qme", "--probs", "0.25,0.75")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("method") and "qme: quantile matching at p = 0.25, 0.75" in line
        for line in lines
    )
    assert any("score" in line and "max |grad|" in line for line in lines)
    assert "evaluated at the qme estimates" in " ".join(result.stdout.split())


@pytest.mark.slow
def test_bootstrap_gives_intervals_for_a_method_fit(gaussfit_json) -> None:
    document = gaussfit_json(
        "fit", SKEWED, "-d", "weibull", "--method", "mse", "--bootstrap", "20", "--seed", "4"
    )
    boot = document["bootstrap"]
    assert boot["resamples"] == 20
    low, high = boot["ci95"]["shape"]
    assert low < document["params"]["shape"] < high


def test_simulate_fits_back_by_the_method(gaussfit_json) -> None:
    document = gaussfit_json(
        "simulate", "--n", "400", "-d", "gamma", "--seed", "1", "--fit", "--method", "mme"
    )
    assert document["method"]["name"] == "mme"
    assert document["optimizer"] == "closed_form"


def test_compare_ranks_method_fits_by_the_aic_at_their_estimates(gaussfit_json) -> None:
    document = gaussfit_json("compare", SKEWED, "--dists", "lognormal,weibull", "--method", "mse")
    jsonschema.validate(document, COMPARE_SCHEMA)
    assert {fit["method"]["name"] for fit in document["ranking"]} == {"mse"}


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["fit", SKEWED, "-d", "gamma", "--method", "qme"], ["--probs", "0.25,0.75"]),
        (
            ["fit", SKEWED, "-d", "gamma", "--method", "qme", "--probs", "0.5"],
            ["--probs", "needs 2 probabilities, not 1"],
        ),
        (["fit", SKEWED, "-d", "gamma", "--gof-distance", "ks"], ["give --method mge"]),
        (["fit", SKEWED, "-d", "gamma", "--probs", "0.5,0.6"], ["give --method qme"]),
        (["fit", COUNTS, "-d", "poisson", "--method", "mse"], ["count family"]),
        (["fit", SKEWED, "-d", "gamma", "--method", "mse", "--ci", "profile"], ["--ci profile"]),
        (
            ["fit", SKEWED, "-d", "gamma", "--method", "mse", "--gof-bootstrap", "20"],
            ["--gof-bootstrap"],
        ),
        (
            ["compare", SKEWED, "--method", "mse", "--bootstrap", "5"],
            ["compare's --bootstrap refits by maximum likelihood"],
        ),
        (["fit", SKEWED, "--method", "mze"], ["--method"]),
    ],
)
def test_misuse_is_one_line_and_exit_2(gaussfit, args, fragments) -> None:
    assert_clean_error(gaussfit(*args), 2, *fragments)


def test_censored_data_take_maximum_likelihood_only(gaussfit, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.csv", "time,event", "1.5,1", "2.0,0", "3.1,1", "0.7,1")
    result = gaussfit(
        "fit", path, "--column", "time", "--event", "event", "-d", "weibull", "--method", "mse"
    )
    assert_clean_error(result, 2, "maximum likelihood only")


def test_simulate_refuses_a_method_without_fit(gaussfit) -> None:
    result = gaussfit("simulate", "--n", "10", "--method", "mse")
    assert result.exit_code == 2 and "--method applies to --fit" in result.stderr


def test_batch_checks_method_keys_before_running_anything(gaussfit, tmp_path: Path) -> None:
    config = tmp_path / "jobs.yaml"
    config.write_text(
        f"jobs:\n"
        f"  - {{name: a, data: {SKEWED}, dist: gamma, method: qme, probs: [0.5]}}\n"
        f"  - {{name: b, data: {COUNTS}, dist: poisson, method: mge}}\n"
        f"  - {{name: c, data: {SKEWED}, dist: gamma, gof_distance: KS}}\n"
    )
    out = tmp_path / "out.json"
    result = gaussfit("batch", config, "-o", out)
    assert result.exit_code == 2
    assert "jobs[0].probs: gamma has 2 free parameters" in result.stderr
    assert "jobs[1].method mge: poisson is a count family" in result.stderr
    assert "jobs[2].gof_distance" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_batch_runs_a_method_job(gaussfit, tmp_path: Path) -> None:
    config = tmp_path / "jobs.yaml"
    config.write_text(
        f"jobs:\n  - {{name: q, data: {SKEWED}, dist: weibull, method: qme, probs: '0.25,0.75'}}\n"
    )
    out = tmp_path / "out.json"
    result = gaussfit("batch", config, "-o", out)
    assert result.exit_code == 0, result.output
    document = parse_one_object(out.read_text())
    job = document["jobs"][0]
    assert job["result"]["method"] == {
        "name": "qme",
        "distance": None,
        "probs": [0.25, 0.75],
        "objective": pytest.approx(0.0, abs=1e-12),
    }
