"""``gaussfit compare``: one ranking by AIC, failures listed, JSON for scripts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cli_helpers import write_lines
from jsonschema import Draft202012Validator

from gaussfit.report.schema import COMPARE_SCHEMA

VALIDATOR = Draft202012Validator(COMPARE_SCHEMA)
WIDE = {"COLUMNS": "200"}


@pytest.fixture
def skewed(tmp_path: Path) -> Path:
    x = np.random.default_rng(9).gamma(2.0, 3.0, 300)
    return write_lines(tmp_path / "skewed.csv", "x", *map(repr, x.tolist()))


def test_json_ranks_by_aic_with_deltas_and_weights(gaussfit_json, skewed):
    document = gaussfit_json("compare", skewed, "--dists", "normal,lognormal,gamma")
    VALIDATOR.validate(document)
    ranking = document["ranking"]
    aics = [fit["aic"] for fit in ranking]
    assert aics == sorted(aics)
    assert {fit["distribution"] for fit in ranking} == {"normal", "lognormal", "gamma"}
    assert ranking[0]["distribution"] == "gamma"
    assert [fit["delta_aic"] for fit in ranking] == pytest.approx([a - aics[0] for a in aics])
    weights = np.exp(-0.5 * (np.array(aics) - aics[0]))
    assert [fit["akaike_weight"] for fit in ranking] == pytest.approx(weights / weights.sum())
    assert document["failed"] == []


def test_all_tries_the_families_whose_support_holds_the_data(gaussfit_json, skewed):
    document = gaussfit_json("compare", skewed)
    VALIDATOR.validate(document)
    names = {fit["distribution"] for fit in document["ranking"]}
    assert {"normal", "gamma", "weibull", "lognormal", "exponential"} <= names
    assert "beta" not in names  # values above 1
    assert "poisson" not in names  # not integers


def test_all_on_the_lab_data_ranks_every_real_line_and_positive_family(gaussfit_json, lab_csv):
    document = gaussfit_json("compare", lab_csv)
    VALIDATOR.validate(document)
    names = {fit["distribution"] for fit in document["ranking"]}
    assert {"normal", "student_t", "gamma", "lognormal", "normal_mixture"} <= names


def test_the_table_shows_the_ranking_and_the_failures(gaussfit, skewed):
    result = gaussfit("compare", skewed, "--dists", "normal,gamma,poisson", env=WIDE)
    assert result.exit_code == 0
    text = result.stdout
    for header in (
        "family",
        "log-lik",
        "AIC",
        "ΔAIC",
        "weight",
        "BIC",
        "KS D",
        "KS p",
        "estimates",
    ):
        assert header in text
    assert text.index(" gamma ") < text.index(" normal ")
    assert "shape=" in text
    assert "failed: poisson:" in text
    assert "values are not whole numbers" in " ".join(text.split())


def test_failures_are_in_the_json_too(gaussfit_json, skewed):
    document = gaussfit_json("compare", skewed, "--dists", "gamma,beta")
    VALIDATOR.validate(document)
    assert [f["distribution"] for f in document["failed"]] == ["beta"]
    assert "values are ≥ 1" in document["failed"][0]["error"]
    assert "outside the support (0, 1); rescale the data" in document["failed"][0]["error"]


def test_when_no_family_fits_the_data_it_says_why(gaussfit, skewed):
    result = gaussfit("compare", skewed, "--dists", "beta")
    assert result.exit_code == 2  # the data are outside every support: bad input
    assert "no family could be fitted" in result.stderr
    assert "beta: 282 values are ≥ 1 (largest 23.4075), outside the support (0, 1)" in (
        result.stderr
    )


def test_column_weights_drop_missing_optimizer_and_time_budget(gaussfit_json, tmp_path):
    rng = np.random.default_rng(4)
    columns = (rng.normal(5, 1, 80), rng.gamma(2, 1, 80), rng.integers(1, 4, 80))
    rows = [f"{a!r},{b!r},{c}" for a, b, c in zip(*(c.tolist() for c in columns), strict=True)]
    path = write_lines(tmp_path / "cols.csv", "a,b,w", *rows, "1.0,,1")
    document = gaussfit_json(
        "compare",
        path,
        "-c",
        "b",
        "--weights",
        "w",
        "--drop-missing",
        "--optimizer",
        "lbfgs",
        "--time-budget",
        "30",
        "--dists",
        "gamma,exponential",
    )
    VALIDATOR.validate(document)
    for fit in document["ranking"]:
        assert fit["optimizer"] == "lbfgs"
        assert fit["weighted"] is True
        assert fit["source"]["column"] == "b"
        assert fit["n"] == 80


def test_k_sets_the_mixture_components(gaussfit_json, tmp_path):
    rng = np.random.default_rng(9)
    values = np.concatenate(
        [rng.normal(-5, 0.5, 150), rng.normal(0, 0.5, 150), rng.normal(5, 0.5, 150)]
    )
    path = tmp_path / "three.csv"
    path.write_text("x\n" + "\n".join(str(float(v)) for v in values) + "\n")
    document = gaussfit_json("compare", str(path), "--dists", "normal,normal_mixture", "--k", "3")
    mixture = next(f for f in document["ranking"] if f["distribution"] == "normal_mixture")
    assert set(mixture["params"]) >= {"mu1", "mu2", "mu3"}


def test_jobs_fit_the_families_in_worker_processes_with_the_same_ranking(
    gaussfit_json, skewed, monkeypatch
):
    """Worker processes (the batch runner's pool) change where the fits run, not what they
    give: the same families, order, estimates and failures as one process."""
    monkeypatch.setattr("gaussfit.batch.runner.available_cores", lambda: 2)
    dists = "gamma,lognormal,weibull,normal,cauchy"
    one = gaussfit_json("compare", skewed, "-d", dists)
    two = gaussfit_json("compare", skewed, "-d", dists, "--jobs", "2")
    assert [f["distribution"] for f in two["ranking"]] == [
        f["distribution"] for f in one["ranking"]
    ]
    for a, b in zip(one["ranking"], two["ranking"], strict=True):
        # equal up to the last bits of sums: a fresh worker interprets a plan's first runs,
        # while this process may be lent a model (model_pool) whose plans are compiled
        assert a["params"] == pytest.approx(b["params"], rel=1e-13)
    assert two["failed"] == one["failed"]
