"""Chunked fits: the same answer as an in-memory fit, the same errors, bounded passes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gaussfit
from gaussfit.cli.main import main
from gaussfit.data.chunked_csv import open_chunked_csv
from gaussfit.errors import ConfigError, DataError
from gaussfit.fitting import scan

RELATIVE = 1e-10
FAMILIES = {
    "normal": lambda rng, n: rng.normal(2.5, 1.5, n),
    "gamma": lambda rng, n: rng.gamma(2.0, 3.0, n),
    "lognormal": lambda rng, n: rng.lognormal(0.5, 0.7, n),
    "weibull": lambda rng, n: 2.0 * rng.weibull(1.5, n),
    "student_t": lambda rng, n: rng.standard_t(4.0, n),
}


def write_csv(path: Path, x: np.ndarray, w: np.ndarray | None = None) -> Path:
    header = "x" if w is None else "x,w"
    if w is None:
        rows = [repr(float(v)) for v in x]
    else:
        rows = [f"{float(a)!r},{float(b)!r}" for a, b in zip(x, w, strict=True)]
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def assert_same_fit(memory, chunked) -> None:
    for name, value in memory.params.items():
        assert chunked.params[name] == pytest.approx(value, rel=RELATIVE, abs=1e-13)
        assert chunked.stderr[name] == pytest.approx(memory.stderr[name], rel=1e-8)
    assert chunked.loglik == pytest.approx(memory.loglik, rel=RELATIVE)
    assert chunked.n == memory.n


@pytest.mark.parametrize("dist", sorted(FAMILIES))
def test_chunked_fit_matches_the_in_memory_fit(tmp_path: Path, dist: str) -> None:
    rng = np.random.default_rng(11)
    path = write_csv(tmp_path / "data.csv", FAMILIES[dist](rng, 12_000))
    memory = gaussfit.fit(gaussfit.load_data(path), dist)
    chunked = gaussfit.fit(open_chunked_csv(path, 2_500), dist)
    assert_same_fit(memory, chunked)
    assert chunked.gof["ks_statistic"] == pytest.approx(memory.gof["ks_statistic"], rel=1e-8)
    passes = chunked.settings["passes"]
    if chunked.settings["evaluation"] == "statistics":
        assert passes == 1
    else:
        assert 3 <= passes <= 3 + 2 * memory.iterations + 40
    assert chunked.settings["backend"] == {"kind": "chunks", "chunk_rows": 2_500}


@pytest.mark.parametrize("optimizer", ["newton", "lbfgs"])
def test_weighted_chunked_fit_matches(tmp_path: Path, optimizer: str) -> None:
    rng = np.random.default_rng(3)
    x, w = 2.0 * rng.weibull(2.0, 6_000), rng.integers(0, 4, 6_000).astype(float)
    path = write_csv(tmp_path / "weighted.csv", x, w)
    memory = gaussfit.fit(
        gaussfit.load_data(path, "x", weights="w"), "weibull", optimizer=optimizer
    )
    chunked = gaussfit.fit(open_chunked_csv(path, 1_000, "x", weights="w"), "weibull",
                           optimizer=optimizer)  # fmt: skip
    assert_same_fit(memory, chunked)
    assert chunked.weighted


def test_data_beyond_the_sample_still_fit_to_the_same_optimum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "SAMPLE_SIZE", 700)
    rng = np.random.default_rng(5)
    path = write_csv(tmp_path / "big.csv", 2.0 * rng.weibull(1.5, 9_000))
    memory = gaussfit.fit(gaussfit.load_data(path), "weibull")
    chunked = gaussfit.fit(open_chunked_csv(path, 1_000), "weibull")
    for name, value in memory.params.items():
        # Another start (from the sample), the same optimum to the optimiser's tolerance.
        assert chunked.params[name] == pytest.approx(value, rel=1e-7)
    assert any("every 16-th value (563 of 9,000)" in note for note in chunked.notes)
    assert chunked.reference["closed_form"] is None and chunked.reference["scipy"] is None


def test_a_bad_cell_in_a_late_chunk_names_its_line(tmp_path: Path) -> None:
    lines = ["x"] + [repr(0.5 + i / 1000) for i in range(5_000)]
    lines[4_321] = "oops"
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as memory:
        gaussfit.load_data(path)
    with pytest.raises(DataError) as chunked:
        gaussfit.fit(open_chunked_csv(path, 500), "weibull")
    assert (
        str(chunked.value)
        == str(memory.value)
        == f"{path}:4322: column 'x': cannot read 'oops' as a number"
    )


def test_support_and_weight_errors_count_items_from_the_top(tmp_path: Path) -> None:
    x = np.linspace(0.5, 5.0, 4_000)
    x[3_210] = -1.0
    path = write_csv(tmp_path / "negative.csv", x)
    with pytest.raises(DataError) as memory:
        gaussfit.fit(gaussfit.load_data(path), "gamma")
    with pytest.raises(DataError) as chunked:
        gaussfit.fit(open_chunked_csv(path, 300), "gamma")
    # In memory the Dataset knows each value's line; the chunked scan counts items instead.
    assert str(memory.value) == (
        f"{path}:3212: column 'x': value -1 is outside the support of gamma ((0, inf))"
    )
    assert str(chunked.value) == (
        f"{path}: column 'x': value -1 (item 3211) is outside the support of gamma ((0, inf))"
    )
    weighted = write_csv(tmp_path / "w.csv", np.ones(3_000), np.r_[np.ones(2_999), -2.0])
    with pytest.raises(DataError, match=r"w\.csv:3001: column 'w': negative weight"):
        gaussfit.fit(open_chunked_csv(weighted, 400, "x", weights="w"), "normal")


def test_constant_and_tiny_data_are_refused_as_in_memory(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "constant.csv", np.full(2_000, 3.0))
    with pytest.raises(DataError) as memory:
        gaussfit.fit(gaussfit.load_data(path), "normal")
    with pytest.raises(DataError) as chunked:
        gaussfit.fit(open_chunked_csv(path, 300), "normal")
    assert str(chunked.value) == str(memory.value)


def test_careful_path_quoted_cells_and_drop_missing(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    x = rng.gamma(3.0, 1.0, 3_000)
    cells = [f'"{float(v)!r}"' if i % 7 == 0 else repr(float(v)) for i, v in enumerate(x)]
    cells[2_500] = "NA"
    path = tmp_path / "quoted.csv"
    path.write_text("x\n" + "\n".join(cells) + "\n")
    memory = gaussfit.fit(gaussfit.load_data(path, drop_missing=True), "gamma")
    file = open_chunked_csv(path, 400, drop_missing=True)
    chunked = gaussfit.fit(file, "gamma")
    assert_same_fit(memory, chunked)
    assert file.dropped == 1


def test_first_order_optimisers_and_memory_only_options_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "data.csv", np.linspace(1.0, 2.0, 100))
    with pytest.raises(ConfigError, match="--optimizer adam needs thousands of passes"):
        gaussfit.fit(open_chunked_csv(path, 10), "normal", optimizer="adam")
    with pytest.raises(ConfigError, match="bootstrap"):
        gaussfit.fit(open_chunked_csv(path, 10), "normal", bootstrap=10)
    with pytest.raises(DataError, match="chunked reading takes a delimited text file"):
        open_chunked_csv(tmp_path / "data.npy", 10)


def test_cli_chunk_size_and_memory_budget(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    path = write_csv(tmp_path / "data.csv", 3.0 * rng.weibull(1.2, 60_000))  # over 1 MB
    runner = CliRunner()
    whole = runner.invoke(main, ["fit", str(path), "-d", "weibull", "--json"])
    chunked = runner.invoke(
        main, ["fit", str(path), "-d", "weibull", "--json", "--chunk-size", "3000"]
    )
    budget = runner.invoke(
        main, ["fit", str(path), "-d", "weibull", "--json", "--memory-budget", "1"]
    )
    assert whole.exit_code == chunked.exit_code == budget.exit_code == 0, chunked.output
    a, b, c = (json.loads(r.stdout) for r in (whole, chunked, budget))
    for name in a["params"]:
        assert b["params"][name] == pytest.approx(a["params"][name], rel=RELATIVE)
    assert b["settings"]["backend"] == {"kind": "chunks", "chunk_rows": 3000}
    assert c["settings"]["backend"]["chunk_rows"] == 5_000  # 1 MB at 200 bytes a row
    assert "backend" not in a["settings"]
    table = runner.invoke(main, ["fit", str(path), "-d", "weibull", "--chunk-size", "3000"])
    passes = b["settings"]["passes"]
    assert f"Iterations ({passes} passes over the data)" in table.stdout
    refused = runner.invoke(main, ["fit", str(path), "--chunk-size", "10", "--optimizer", "gd"])
    assert refused.exit_code == 2
    assert "newton or lbfgs" in refused.stderr
