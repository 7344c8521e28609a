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


def _split_csv(tmp_path: Path, header: str, rows: list[str], parts: int = 3) -> str:
    for i, piece in enumerate(np.array_split(np.arange(len(rows)), parts)):
        (tmp_path / f"part{i}.csv").write_text(header + "\n" + "".join(rows[j] for j in piece))
    return str(tmp_path / "part*.csv")


def _cli_json(*args: str) -> dict:
    done = CliRunner().invoke(main, [*args, "--json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_compare_on_dask_ranks_censored_files_as_in_memory(client, tmp_path: Path) -> None:
    time, event, entry = _survival(3000, 3)
    rows = [
        f"{t!r},{int(e)},{s!r}\n"
        for t, e, s in zip(time.tolist(), event, entry.tolist(), strict=True)
    ]
    pattern = _split_csv(tmp_path, "time,status,entry", rows)
    (tmp_path / "all.csv").write_text("time,status,entry\n" + "".join(rows))
    layout = ["-c", "time", "--event", "status", "--truncate-left", "entry"]
    dists = ["-d", "weibull,gamma,lognormal,exponential"]
    remote = _cli_json("compare", pattern, *layout, *dists, "--dask", client.scheduler.address)
    memory = _cli_json("compare", str(tmp_path / "all.csv"), *layout, *dists)
    assert [r["distribution"] for r in remote["ranking"]] == [
        r["distribution"] for r in memory["ranking"]
    ]
    for far, near in zip(remote["ranking"], memory["ranking"], strict=True):
        assert far["loglik"] == pytest.approx(near["loglik"], rel=1e-10)
        assert far["params"] == pytest.approx(near["params"], rel=1e-7)
        assert far["censoring"] == near["censoring"]
        assert far["settings"]["backend"]["kind"] == "dask"
    # the independent check of the sum: scipy's log-density and survival function
    from scipy import stats

    best = memory["ranking"][0]
    assert best["distribution"] == "weibull"
    dist = stats.weibull_min(best["params"]["shape"], scale=best["params"]["scale"])
    loglik = np.sum(np.where(event, dist.logpdf(time), dist.logsf(time)) - dist.logsf(entry))
    assert remote["ranking"][0]["loglik"] == pytest.approx(loglik, rel=1e-10)


def test_censor_marks_on_dask_fit_and_compare_as_in_memory(client, tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    x = rng.lognormal(0.0, 1.0, 1500).tolist()
    cells = [f"<{0.3}" if v < 0.3 else (f">{8.0}" if v > 8.0 else f"{v!r}") for v in x]
    pattern = _split_csv(tmp_path, "conc,site", [f"{c},{i % 4}\n" for i, c in enumerate(cells)])
    (tmp_path / "all.csv").write_text("conc,site\n" + "".join(f"{c},0\n" for c in cells))
    address = client.scheduler.address
    marks = ["-c", "conc", "--censor-marks"]
    remote = _cli_json("fit", pattern, *marks, "-d", "lognormal", "--dask", address)
    memory = _cli_json("fit", str(tmp_path / "all.csv"), *marks, "-d", "lognormal")
    assert remote["params"] == pytest.approx(memory["params"], rel=1e-7)
    assert remote["censoring"] == memory["censoring"]
    assert remote["censoring"]["left"] == sum(v < 0.3 for v in x) > 0
    assert remote["censoring"]["right"] == sum(v > 8.0 for v in x) > 0
    ranked = _cli_json("compare", pattern, *marks, "-d", "lognormal,gamma", "--dask", address)
    assert ranked["ranking"][0]["distribution"] == "lognormal"
    assert ranked["ranking"][0]["loglik"] == pytest.approx(memory["loglik"], rel=1e-10)


def test_a_bad_mark_on_dask_names_the_files_partition_and_cell(client, tmp_path: Path) -> None:
    rows = [f"{v}\n" for v in ["1.5", "<0.5", "2.5", ">9", "abc", "3.5"]]
    pattern = _split_csv(tmp_path, "conc", rows, parts=2)
    done = CliRunner().invoke(
        main,
        ["fit", pattern, "--censor-marks", "-d", "lognormal", "--dask", client.scheduler.address],
    )
    assert done.exit_code == 2, done.output
    assert "(partition 2): row 2: column 'conc': 'abc' is not a number" in done.output
    assert "Traceback" not in done.output


def test_an_event_coded_in_words_on_dask_as_in_memory(client, tmp_path: Path) -> None:
    time, event, _ = _survival(900, 6)
    rows = [f"{t!r},{'yes' if e else 'no'}\n" for t, e in zip(time.tolist(), event, strict=True)]
    pattern = _split_csv(tmp_path, "time,died", rows)
    (tmp_path / "all.csv").write_text("time,died\n" + "".join(rows))
    coded = ["-c", "time", "--event", "died", "--event-censored", "no", "-d", "weibull"]
    remote = _cli_json("fit", pattern, *coded, "--dask", client.scheduler.address)
    memory = _cli_json("fit", str(tmp_path / "all.csv"), *coded)
    assert remote["censoring"] == memory["censoring"]
    assert remote["censoring"]["right"] == int(np.sum(~event)) > 0
    assert remote["params"] == pytest.approx(memory["params"], rel=1e-7)
