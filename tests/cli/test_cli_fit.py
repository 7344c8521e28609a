"""``gaussfit fit``: each option does what its help says."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import LAB_VALUES, assert_clean_error, parse_one_object, write_lines
from jsonschema import Draft202012Validator
from scipy import stats

from gaussfit.report.schema import FIT_SCHEMA

LAB = np.array([float(v) for v in LAB_VALUES])
VALIDATOR = Draft202012Validator(FIT_SCHEMA)


@pytest.fixture
def xyw(tmp_path: Path) -> Path:
    """Three columns: x (positive), y, and integer frequency weights w."""
    rng = np.random.default_rng(5)
    x = rng.gamma(3.0, 2.0, 60)
    y = rng.normal(-4.0, 0.5, 60)
    w = rng.integers(1, 5, 60)
    rows = zip(x.tolist(), y.tolist(), w.tolist(), strict=True)
    lines = ["x,y,w", *(f"{a!r},{b!r},{c}" for a, b, c in rows)]
    return write_lines(tmp_path / "xyw.csv", *lines)


def table_rows(text: str, title: str) -> list[list[str]]:
    """The whitespace-split data rows of the rich table titled ``title``: the lines between the
    rule under the header and the next blank line."""
    lines = text.split(title, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("─")) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(line.split())
    return rows


def test_json_is_one_schema_valid_object_and_nothing_else(gaussfit, lab_csv):
    result = gaussfit("fit", lab_csv, "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    document = parse_one_object(result.stdout)
    VALIDATOR.validate(document)
    assert document["params"]["mu"] == pytest.approx(LAB.mean(), rel=1e-12)
    assert document["source"]["path"] == str(lab_csv)


def test_json_keeps_the_not_converged_warning_inside_the_object(gaussfit_json, lab_csv):
    document = gaussfit_json(
        "fit", lab_csv, "--optimizer", "gd", "--iters", "3", "--tol", "0", "--init", "mu=1,sigma=1"
    )
    assert document["converged"] is False
    assert document["iterations"] == 3
    assert any("did not converge" in w for w in document["warnings"])


def test_column_by_name_and_by_index(gaussfit_json, xyw):
    by_name = gaussfit_json("fit", xyw, "--column", "y")
    by_index = gaussfit_json("fit", xyw, "-c", "1")
    assert by_name["params"] == by_index["params"]
    assert by_name["params"]["mu"] == pytest.approx(-4.0, abs=0.3)


def test_dist_and_its_aliases(gaussfit_json, xyw):
    gamma = gaussfit_json("fit", xyw, "--dist", "gamma")
    a, _, scale = stats.gamma.fit(np.loadtxt(xyw, delimiter=",", skiprows=1)[:, 0], floc=0)
    assert gamma["distribution"] == "gamma"
    assert gamma["params"]["shape"] == pytest.approx(a, rel=1e-4)
    assert gamma["params"]["scale"] == pytest.approx(scale, rel=1e-4)
    assert gaussfit_json("fit", xyw, "-d", "Gaussian")["distribution"] == "normal"


def test_k_sets_the_number_of_mixture_components(gaussfit_json, tmp_path):
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(0, 1, 150), rng.normal(6, 1, 150), rng.normal(12, 1, 150)])
    path = write_lines(tmp_path / "three.csv", "x", *map(repr, x.tolist()))
    document = gaussfit_json("fit", path, "-d", "normal_mixture", "--k", "3")
    assert sorted(document["params"]) == sorted(
        f"{p}{j}" for p in ("w", "mu", "sigma") for j in (1, 2, 3)
    )
    means = [document["params"][f"mu{j}"] for j in (1, 2, 3)]
    assert means == pytest.approx([0, 6, 12], abs=0.5)


@pytest.mark.parametrize("optimizer", ["newton", "lbfgs", "adam", "momentum"])
def test_every_optimizer_reaches_the_closed_form(gaussfit_json, lab_csv, optimizer):
    document = gaussfit_json("fit", lab_csv, "--optimizer", optimizer, "--iters", "20000")
    assert document["optimizer"] == optimizer
    assert document["params"]["mu"] == pytest.approx(LAB.mean(), rel=1e-4)
    assert document["params"]["sigma"] == pytest.approx(LAB.std(), rel=1e-4)


def test_lr_iters_and_tol_reach_the_optimizer(gaussfit_json, lab_csv):
    document = gaussfit_json(
        "fit",
        lab_csv,
        "--optimizer",
        "gd",
        "--lr",
        "0.01",
        "--iters",
        "7",
        "--tol",
        "0",
        "--init",
        "mu=1",
    )
    assert document["settings"]["lr"] == 0.01
    assert document["settings"]["max_iter"] == 7
    assert document["settings"]["tol"] == 0
    assert [s["iteration"] for s in document["trace"]] == list(range(1, 8))


def test_init_is_where_the_climb_starts(gaussfit_json, lab_csv):
    document = gaussfit_json(
        "fit",
        lab_csv,
        "--optimizer",
        "gd",
        "--lr",
        "0.05",
        "--iters",
        "1",
        "--tol",
        "0",
        "--init",
        "mu=1, sigma=1",
    )
    start = stats.norm(1.0, 1.0).logpdf(LAB).sum()
    assert document["trace"][0]["loglik"] == pytest.approx(start, rel=1e-12)


def test_fix_holds_a_parameter(gaussfit_json, lab_csv):
    document = gaussfit_json("fit", lab_csv, "--fix", "mu=0")
    assert document["params"]["mu"] == 0
    assert document["fixed"] == {"mu": 0}
    assert document["stderr"]["mu"] is None
    assert document["params"]["sigma"] == pytest.approx(np.sqrt(np.mean(LAB**2)), rel=1e-6)


def test_weights_give_the_weighted_estimate(gaussfit_json, xyw):
    data = np.loadtxt(xyw, delimiter=",", skiprows=1)
    document = gaussfit_json("fit", xyw, "-c", "x", "--weights", "w")
    assert document["weighted"] is True
    assert document["params"]["mu"] == pytest.approx(np.average(data[:, 0], weights=data[:, 2]))
    assert document["source"]["weights"] == "w"


def test_bootstrap_with_a_seed_is_repeatable_and_shown(gaussfit, gaussfit_json, lab_csv):
    first = gaussfit_json("fit", lab_csv, "--bootstrap", "25", "--seed", "4")
    second = gaussfit_json("fit", lab_csv, "--bootstrap", "25", "--seed", "4")
    assert first["bootstrap"]["resamples"] == 25
    assert first["bootstrap"]["ci95"] == second["bootstrap"]["ci95"]
    low, high = first["bootstrap"]["ci95"]["mu"]
    assert low < first["params"]["mu"] < high
    screen = gaussfit("fit", lab_csv, "--bootstrap", "25", "--seed", "4").stdout
    assert "Bootstrap: 25 resamples" in screen


def test_every_chooses_the_rows_of_the_iteration_table(gaussfit, lab_csv):
    args = ("fit", lab_csv, "--optimizer", "gd", "--lr", "0.05", "--tol", "0", "--init", "mu=1")
    rows = table_rows(gaussfit(*args, "--iters", "20", "--every", "5").stdout, "Iterations")
    assert [row[0] for row in rows] == ["5", "10", "15", "20"]
    rows = table_rows(gaussfit(*args, "--iters", "100").stdout, "Iterations")
    assert [row[0] for row in rows] == [str(i) for i in range(10, 101, 10)]


def test_the_results_table_compares_with_closed_form_and_scipy(gaussfit, lab_csv):
    text = gaussfit("fit", lab_csv, "--scipy", env={"COLUMNS": "120"}).stdout
    rows = table_rows(text, "Estimates: normal")
    mu = next(row for row in rows if row[0] == "mu")
    # parameter, estimate, std. error, [low, high], closed form, scipy, max |diff|
    assert mu[1] == mu[5] == mu[6] == "2.6518"
    assert float(mu[7]) < 1e-9


def test_without_scipy_the_table_has_no_scipy_column(gaussfit, lab_csv):
    text = gaussfit("fit", lab_csv, env={"COLUMNS": "120"}).stdout
    header = next(line for line in text.splitlines() if "parameter" in line)
    assert "closed form" in header and "scipy" not in header


def test_the_report_has_the_fit_statistics(gaussfit, lab_csv):
    text = gaussfit("fit", lab_csv).stdout
    for label in ("log-likelihood", "AIC / AICc / BIC", "KS D", "CvM", "AD", "iterations"):
        assert label in text
    assert re.search(r"^converged\s+yes", text, re.MULTILINE)
    assert "-35.691" in text


def test_counts_get_a_chi_square_test(gaussfit, tmp_path):
    counts = np.random.default_rng(0).poisson(3.0, 300)
    path = write_lines(tmp_path / "counts.csv", "k", *map(str, counts))
    assert "chi-square = " in gaussfit("fit", path, "-d", "poisson").stdout


def test_quiet_prints_only_the_results_table(gaussfit, lab_csv):
    result = gaussfit("fit", lab_csv, "--quiet")
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("Estimates: normal")
    assert "Iterations" not in result.stdout
    assert "log-likelihood" not in result.stdout


def test_quiet_still_warns_on_stderr_when_not_converged(gaussfit, lab_csv):
    result = gaussfit("fit", lab_csv, "-q", "--optimizer", "gd", "--iters", "2", "--init", "mu=1")
    assert result.exit_code == 0
    assert "did not converge" in result.stderr
    assert "did not converge" not in result.stdout


def test_drop_missing_skips_and_says_how_many(gaussfit, gaussfit_json, tmp_path):
    path = write_lines(tmp_path / "gaps.csv", "x,y", "1.5,1", ",2", "2.5,3", "nan,4", "3.0,5")
    assert_clean_error(gaussfit("fit", path), 2, "gaps.csv:3")
    document = gaussfit_json("fit", path, "--drop-missing")
    assert document["n"] == 3
    assert document["source"]["dropped"] == 2
    assert any("skipped 2 row" in note for note in document["notes"])
    screen = " ".join(gaussfit("fit", path, "--drop-missing").stdout.split())
    assert "2 rows with missing values dropped" in screen


def test_no_scipy_skips_only_scipys_fit(gaussfit_json, lab_csv):
    document = gaussfit_json("fit", lab_csv, "--no-scipy")
    assert document["reference"]["scipy"] is None
    assert document["reference"]["closed_form"]["params"]["mu"] == pytest.approx(LAB.mean())


def test_standard_input(gaussfit_json):
    document = gaussfit_json("fit", "-", input="x\n" + "\n".join(LAB_VALUES) + "\n")
    assert document["n"] == 20
    assert document["source"]["path"] == "<stdin>"


def test_npy_and_tsv_files(gaussfit_json, tmp_path):
    np.save(tmp_path / "lab.npy", LAB)
    write_lines(tmp_path / "lab.tsv", "a\tb", *(f"{v}\t0" for v in LAB_VALUES))
    from_npy = gaussfit_json("fit", tmp_path / "lab.npy")
    from_tsv = gaussfit_json("fit", tmp_path / "lab.tsv")
    assert from_npy["params"]["mu"] == pytest.approx(from_tsv["params"]["mu"], rel=1e-14)


def test_output_json_is_written_atomically_replacing_the_old_file(gaussfit, lab_csv, tmp_path):
    target = tmp_path / "fit.json"
    target.write_text("old content " * 10_000)
    result = gaussfit("fit", lab_csv, "--output", target)
    assert result.exit_code == 0
    assert result.stderr == f"wrote {target}\n"
    document = json.loads(target.read_text())
    VALIDATOR.validate(document)
    assert document["params"]["mu"] == pytest.approx(LAB.mean())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.json"]


def test_output_csv_has_one_row_per_parameter(gaussfit_json, lab_csv, tmp_path):
    target = tmp_path / "fit.csv"
    document = gaussfit_json("fit", lab_csv, "-o", target)
    with target.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["parameter"] for row in rows] == ["mu", "sigma"]
    for row in rows:
        name = row["parameter"]
        assert float(row["estimate"]) == document["params"][name]
        assert float(row["stderr"]) == document["stderr"][name]
        assert [float(row["ci_low"]), float(row["ci_high"])] == document["ci95"][name]
        assert float(row["loglik"]) == document["loglik"]
        assert row["distribution"] == "normal"
        assert row["converged"] == "true"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.csv"]


def test_plot_draws_a_png(gaussfit, lab_csv, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "fit.png"
    result = gaussfit("fit", lab_csv, "--plot", target, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.png"]


def test_plot_of_counts_and_of_a_mixture(gaussfit, tmp_path):
    pytest.importorskip("matplotlib")
    counts = write_lines(tmp_path / "c.csv", "k", *map(str, [0, 1, 1, 2, 2, 2, 3, 3, 4, 6]))
    assert gaussfit("fit", counts, "-d", "poisson", "--plot", tmp_path / "c.svg").exit_code == 0
    rng = np.random.default_rng(1)
    bimodal = np.r_[rng.normal(0, 1, 80), rng.normal(5, 1, 80)]
    mix = write_lines(tmp_path / "m.csv", "x", *map(repr, bimodal.tolist()))
    assert gaussfit("fit", mix, "-d", "mixture", "--plot", tmp_path / "m.png").exit_code == 0
    assert (tmp_path / "c.svg").read_text().lstrip().startswith("<?xml")


def test_plot_without_matplotlib_names_the_extra(gaussfit, lab_csv, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = gaussfit("fit", lab_csv, "--plot", tmp_path / "fit.png")
    assert_clean_error(result, 2, "pip install 'gaussfit[plot]'")
    assert not (tmp_path / "fit.png").exists()
