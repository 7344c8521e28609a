"""Dask fits: the data stay on two worker processes and the fit equals the in-process one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gaussfit
from gaussfit.cli.main import main
from gaussfit.errors import DataError
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.worker_models import ModelSpec, worker_model

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

RELATIVE = 1e-10


def sample(dist: str, n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return {
        "normal": lambda: rng.normal(2.5, 1.5, n),
        "gamma": lambda: rng.gamma(2.0, 3.0, n),
        "weibull": lambda: 2.0 * rng.weibull(1.5, n),
        "student_t": lambda: rng.standard_t(4.0, n),
    }[dist]()


def assert_same_fit(memory, remote) -> None:
    for name, value in memory.params.items():
        assert remote.params[name] == pytest.approx(value, rel=RELATIVE, abs=1e-13)
        assert remote.stderr[name] == pytest.approx(memory.stderr[name], rel=1e-8)
    assert remote.loglik == pytest.approx(memory.loglik, rel=RELATIVE)
    assert remote.n == memory.n


@pytest.mark.parametrize("dist", ["normal", "gamma", "weibull", "student_t"])
def test_dask_fit_equals_the_single_process_fit(client, dist: str) -> None:
    x = sample(dist, 30_000)
    memory = gaussfit.fit(x, dist)
    remote = gaussfit.fit(da.from_array(x, chunks=4_000), dist)
    assert_same_fit(memory, remote)
    backend = remote.settings["backend"]
    assert backend["kind"] == "dask" and backend["workers"] == 2 and backend["partitions"] == 8
    assert backend["scheduler"] == client.scheduler.address
    expected = "statistics" if dist in ("normal", "gamma") else "data"
    assert remote.settings["evaluation"] == expected
    if expected == "statistics":
        assert remote.settings["passes"] == 1


def test_weighted_lbfgs_fit_on_dask(client) -> None:
    rng = np.random.default_rng(2)
    x, w = sample("weibull", 9_000), rng.integers(0, 3, 9_000).astype(float)
    memory = gaussfit.fit(x, "weibull", weights=w, optimizer="lbfgs")
    remote = gaussfit.fit(
        da.from_array(x, chunks=2_000),
        "weibull",
        weights=da.from_array(w, chunks=2_000),
        optimizer="lbfgs",
    )
    assert_same_fit(memory, remote)


def test_compare_on_dask_ranks_as_in_memory(client) -> None:
    x = sample("gamma", 8_000, seed=4)
    memory = gaussfit.compare(x, "all")
    remote = gaussfit.compare(da.from_array(x, chunks=3_000), "all")
    # Families whose support moves with their parameters need the data in memory: on Dask
    # they are skipped, with that reason, and the others rank as in memory.
    moving = {f for f, why in remote.skipped.items() if "support moves" in why}
    assert moving == {"pareto", "uniform", "lognormal3", "weibull3", "gamma3", "triangular"}
    in_memory = [r for r in memory.ranking if r.distribution not in moving]
    assert [r.distribution for r in remote.ranking] == [r.distribution for r in in_memory]
    assert set(remote.failed) == set(memory.failed) - moving
    for a, b in zip(in_memory, remote.ranking, strict=True):
        assert b.converged == a.converged
        if not a.converged:  # (loggamma on gamma data: c runs off towards the normal limit)
            continue  # where an unfinished fit stops depends on its path, not on the data
        assert b.aic == pytest.approx(a.aic, rel=1e-9)
        if b.settings["evaluation"] == "statistics":
            assert b.settings["passes"] == 1  # this fit's passes, not the compare's so far


def test_a_bad_value_in_a_late_partition_is_named_as_in_memory(client) -> None:
    x = sample("gamma", 10_000)
    x[8_765] = -3.0
    with pytest.raises(DataError) as memory:
        gaussfit.fit(x, "gamma")
    with pytest.raises(DataError) as remote:
        gaussfit.fit(da.from_array(x, chunks=1_000), "gamma")
    assert str(remote.value) == str(memory.value)
    assert "(item 8766)" in str(remote.value)


def test_a_worker_builds_each_graph_once() -> None:
    model = LikelihoodModel(
        gaussfit.get_family("weibull"), statistic_names=None, weighted=False,
        start={"shape": 1.0, "scale": 1.0},
    )  # fmt: skip
    spec = ModelSpec.of(model)
    assert worker_model(spec) is worker_model(ModelSpec.of(model))
    model.close()


def write_parts(folder: Path, x: np.ndarray, parts: int) -> list[Path]:
    paths = []
    for i, piece in enumerate(np.array_split(x, parts)):
        path = folder / f"part{i}.csv"
        path.write_text("id;x\n" + "".join(f"{j};{float(v)!r}\n" for j, v in enumerate(piece)))
        paths.append(path)
    return paths


def test_cli_fits_a_glob_of_csv_files_on_the_users_cluster(client, tmp_path: Path) -> None:
    x = sample("weibull", 12_000, seed=7)
    write_parts(tmp_path, x, 3)
    runner = CliRunner()
    address = client.scheduler.address
    done = runner.invoke(
        main, ["fit", str(tmp_path / "part*.csv"), "-c", "x", "-d", "weibull", "--dask", address,
               "--json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    remote = json.loads(done.stdout)
    memory = gaussfit.fit(x, "weibull")
    for name, value in memory.params.items():
        assert remote["params"][name] == pytest.approx(value, rel=RELATIVE)
    assert remote["settings"]["backend"]["scheduler"] == address
    assert remote["source"]["path"] == str(tmp_path / "part*.csv")
    assert remote["n"] == 12_000


def test_cli_reports_an_unreadable_cell_as_one_line(client, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1.0\n2.0\n")
    (tmp_path / "b.csv").write_text("x\n1.5\noops\n")
    pattern = str(tmp_path / "*.csv")
    done = CliRunner().invoke(main, ["fit", pattern, "--dask", client.scheduler.address])
    assert done.exit_code == 2
    assert done.stderr == (
        f"Error: {pattern}: cannot read the data (could not convert string to float: 'oops')\n"
    )


@pytest.mark.slow
def test_cli_starts_a_local_cluster_and_reads_parquet(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    x = sample("gamma", 6_000, seed=8)
    for i, piece in enumerate(np.array_split(x, 2)):
        pandas.DataFrame({"label": ["a"] * len(piece), "x": piece}).to_parquet(
            tmp_path / f"{i}.parquet"
        )
    done = CliRunner().invoke(
        main, ["fit", str(tmp_path / "*.parquet"), "-d", "gamma", "--dask", "--json"]
    )
    assert done.exit_code == 0, done.output
    remote = json.loads(done.stdout)
    memory = gaussfit.fit(x, "gamma")
    for name, value in memory.params.items():
        assert remote["params"][name] == pytest.approx(value, rel=RELATIVE)
    assert remote["settings"]["backend"]["kind"] == "dask"
    assert remote["source"]["column"] == "x"


def test_cli_compare_on_the_users_cluster_ranks_as_in_memory(client, tmp_path: Path) -> None:
    x = sample("gamma", 9_000, seed=9)
    write_parts(tmp_path, x, 3)
    done = CliRunner().invoke(
        main, ["compare", str(tmp_path / "part*.csv"), "-c", "x", "--dists",
               "normal,gamma,weibull", "--dask", client.scheduler.address, "--json"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    remote = json.loads(done.stdout)["ranking"]
    memory = gaussfit.compare(x, ["normal", "gamma", "weibull"]).ranking
    assert [f["distribution"] for f in remote] == [f.distribution for f in memory]
    for ours, theirs in zip(remote, memory, strict=True):
        assert ours["loglik"] == pytest.approx(theirs.loglik, rel=RELATIVE)
