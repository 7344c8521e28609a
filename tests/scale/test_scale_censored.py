"""Censored and truncated observations on a Dask cluster: the fit of the same rows in memory,
with every partition summed on the workers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gaussfit
from gaussfit.cli.main import main
from gaussfit.data.observations import Observations
from gaussfit.errors import DataError

pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")


def _survival(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    life = 3.0 * rng.weibull(1.4, n)
    entry = rng.uniform(0.0, 1.0, n)
    keep = life > entry
    life, entry = life[keep], entry[keep]
    end = entry + rng.uniform(0.5, 6.0, life.size)
    return np.minimum(life, end), life <= end, entry


def test_dask_observations_fit_as_in_memory(client) -> None:
    from gaussfit.fitting.censored_dask import DaskObservations

    time, event, entry = _survival(9000, 1)
    weights = 1.0 + np.arange(time.size) % 3
    memory = gaussfit.fit(
        Observations(time, np.where(event, time, np.inf), weights, (0.0, 20.0), entry), "weibull"
    )
    chunks = 2500
    remote = gaussfit.fit(
        DaskObservations.from_arrays(
            da.from_array(time, chunks=chunks),
            da.from_array(np.where(event, time, np.nan), chunks=chunks),
            da.from_array(weights, chunks=chunks),
            da.from_array(entry, chunks=chunks),
            (0.0, 20.0),
            client,
        ),
        "weibull",
    )
    assert remote.params == pytest.approx(memory.params, rel=1e-7)  # sums in another order
    assert remote.stderr == pytest.approx(memory.stderr, rel=1e-6)
    assert remote.censoring == memory.censoring
    assert remote.settings["backend"]["partitions"] == 4


def test_a_bad_row_in_a_late_partition_is_a_data_error(client) -> None:
    from gaussfit.fitting.censored_dask import DaskObservations

    lower = np.arange(1.0, 101.0)
    upper = lower + 1.0
    upper[77] = 0.5
    data = DaskObservations.from_arrays(
        da.from_array(lower, chunks=25), da.from_array(upper, chunks=25), client=client, name="x"
    )
    with pytest.raises(DataError, match=r"x \(partition 4\): item 3: lower bound 78"):
        gaussfit.fit(data, "weibull")


def test_cli_fits_censored_csv_files_on_the_users_cluster(client, tmp_path: Path) -> None:
    time, event, _ = _survival(6000, 2)
    for i, part in enumerate(np.array_split(np.arange(time.size), 3)):
        rows = "".join(f"{float(time[j])!r},{int(event[j])}\n" for j in part)
        (tmp_path / f"part{i}.csv").write_text("time,status\n" + rows)
    pattern = str(tmp_path / "part*.csv")
    done = CliRunner().invoke(
        main,
        ["fit", pattern, "-c", "time", "--event", "status", "-d", "weibull", "--json",
         "--dask", client.scheduler.address],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    remote = json.loads(done.stdout)
    memory = gaussfit.fit(Observations(time, np.where(event, time, np.inf)), "weibull")
    assert remote["params"] == pytest.approx(memory.params, rel=1e-7)
    assert remote["censoring"]["right"] == int(np.sum(~event))
    assert remote["settings"]["backend"]["kind"] == "dask"
