"""``gaussfit simulate``: reproducible draws with sensible defaults, fitted back on request."""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import run_process
from jsonschema import Draft202012Validator

from gaussfit.data import load_data
from gaussfit.data.simulate import default_params
from gaussfit.distributions import FAMILIES, get_family
from gaussfit.report.schema import SIMULATE_FIT_SCHEMA


def draws(text: str) -> np.ndarray:
    lines = text.splitlines()
    assert lines[0] == "x"
    return np.array([float(v) for v in lines[1:]])


def test_the_same_seed_gives_the_same_output(gaussfit):
    first = gaussfit("simulate", "--seed", "7", "--n", "100")
    second = gaussfit("simulate", "--seed", "7", "--n", "100")
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    assert len(first.stdout.splitlines()) == 101
    assert gaussfit("simulate", "--seed", "8", "--n", "100").stdout != first.stdout


def test_the_same_seed_gives_the_same_output_across_processes():
    first = run_process("simulate", "--seed", "7", "--n", "100")
    second = run_process("simulate", "--seed", "7", "--n", "100")
    assert first.returncode == 0
    assert first.stdout == second.stdout


def test_values_are_written_at_full_precision(gaussfit):
    lines = gaussfit("simulate", "--seed", "1", "--n", "50").stdout.splitlines()[1:]
    assert all(repr(float(line)) == line for line in lines)


def test_the_default_is_the_labs_normal(gaussfit):
    x = draws(gaussfit("simulate", "--seed", "3", "--n", "40000").stdout)
    assert x.mean() == pytest.approx(2.5, abs=0.05)
    assert x.std() == pytest.approx(1.5, abs=0.05)


def test_param_overrides_one_default_and_keeps_the_others(gaussfit):
    x = draws(gaussfit("simulate", "--seed", "3", "--n", "40000", "--param", "mu=-10").stdout)
    assert x.mean() == pytest.approx(-10, abs=0.05)
    assert x.std() == pytest.approx(1.5, abs=0.05)
    y = draws(
        gaussfit("simulate", "--seed", "3", "--n", "20", "-p", "mu=1", "-p", "sigma=2").stdout
    )
    assert np.all(np.isfinite(y))


@pytest.mark.parametrize("name", FAMILIES)
def test_every_family_has_defaults_inside_its_domains(name):
    family = get_family(name)
    params = default_params(family)
    assert sorted(params) == sorted(family.parameter_names)
    family.check_params(params)


@pytest.mark.parametrize("name", FAMILIES)
def test_every_family_can_be_simulated(gaussfit, name):
    result = gaussfit("simulate", "--n", "30", "--seed", "1", "-d", name)
    assert result.exit_code == 0, result.stderr
    family = get_family(name)
    assert not np.any(family.support.violations(draws(result.stdout)))


def test_counts_are_written_as_integers(gaussfit):
    lines = gaussfit("simulate", "-d", "poisson", "--n", "20", "--seed", "2").stdout.split()[1:]
    assert all(line.isdigit() for line in lines)


def test_k_gives_a_mixture_with_k_bumps(gaussfit):
    x = draws(
        gaussfit(
            "simulate", "-d", "normal_mixture", "--k", "3", "--n", "3000", "--seed", "1"
        ).stdout
    )
    # components at 0, 4 and 8 with unit spread: about a third of the draws near each
    for centre in (0.0, 4.0, 8.0):
        assert np.mean(np.abs(x - centre) < 2) == pytest.approx(1 / 3, abs=0.05)


@pytest.mark.parametrize("suffix", [".csv", ".npy"])
def test_output_writes_the_same_draws_to_a_file(gaussfit, tmp_path, suffix):
    target = tmp_path / f"draws{suffix}"
    result = gaussfit("simulate", "--n", "25", "--seed", "5", "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    expected = draws(gaussfit("simulate", "--n", "25", "--seed", "5").stdout)
    assert np.array_equal(load_data(target).values, expected)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_fit_recovers_the_truth_within_four_standard_errors(gaussfit_json):
    document = gaussfit_json("simulate", "--n", "1000", "--seed", "11", "--fit")
    Draft202012Validator(SIMULATE_FIT_SCHEMA).validate(document)
    assert document["truth"] == {"mu": 2.5, "sigma": 1.5}
    for name, truth in document["truth"].items():
        assert abs(document["params"][name] - truth) < 4 * document["stderr"][name]


@pytest.mark.parametrize("name", ["gamma", "poisson", "negative_binomial", "weibull"])
def test_fit_recovers_other_families_too(gaussfit_json, name):
    document = gaussfit_json("simulate", "--n", "1000", "--seed", "5", "--fit", "-d", name)
    for param, truth in document["truth"].items():
        assert abs(document["params"][param] - truth) < 4 * document["stderr"][param]


def test_fit_shows_a_truth_column(gaussfit):
    result = gaussfit("simulate", "--n", "1000", "--seed", "11", "--fit", "-d", "gamma")
    assert result.exit_code == 0
    header = next(line for line in result.stdout.splitlines() if "parameter" in line)
    assert header.split()[-2:] == ["truth", "z"]
    assert "1000 draws from gamma(shape=2, scale=3), seed 11" in result.stdout


def test_fit_quiet_and_output_together(gaussfit, tmp_path):
    target = tmp_path / "d.csv"
    result = gaussfit("simulate", "--n", "200", "--seed", "1", "--fit", "-q", "-o", target)
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("Estimates: normal")
    assert len(target.read_text().splitlines()) == 201
