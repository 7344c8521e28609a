"""Batches on Dask: jobs run on the workers, failures stay isolated, a dead worker loses none."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from gaussfit.batch import load_config, run_jobs
from gaussfit.batch.dask_runner import run_jobs_on_dask
from gaussfit.cli.main import main

distributed = pytest.importorskip("distributed")

CONFIG = """
defaults: {tol: 1.0e-10}
jobs:
  - {name: lab, data: data.csv, column: x}
  - {name: broken, data: words.csv}
  - {name: sim-gamma, simulate: {dist: gamma, n: 2000, params: {shape: 2.0, scale: 3.0},
     seed: 1}, dist: gamma}
  - {name: which, data: data.csv, compare: [normal, laplace]}
"""

SLOW = "\n".join(
    ["jobs:"]
    + [
        f"  - {{name: slow-{i}, simulate: {{dist: normal, n: 2500000, seed: {i}}}, no_scipy: true}}"
        for i in range(6)
    ]
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "data.csv").write_text("x\n1.331\n3.775\n4.025\n1.505\n1.199\n1.839\n2.445\n")
    (tmp_path / "words.csv").write_text("x\n1.0\nabc\n3.0\n")
    path = tmp_path / "batch.yaml"
    path.write_text(CONFIG)
    return path


def test_jobs_run_on_the_workers_with_the_local_summary(client, config: Path) -> None:
    jobs = load_config(config).jobs
    with distributed.get_task_stream(client) as stream:
        remote = run_jobs_on_dask(jobs, client)
    workers = {task["worker"] for task in stream.data if task["key"].startswith("gaussfit-job")}
    assert workers and workers <= set(client.scheduler_info()["workers"])
    local = run_jobs(jobs, workers=1)
    assert [o.name for o in remote] == [o.name for o in local]
    for a, b in zip(local, remote, strict=True):
        assert (a.status, a.error, a.summary) == (b.status, b.error, b.summary)
    assert "words.csv:3" in remote[1].error


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_no_job(client, tmp_path: Path) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text(SLOW + "\n")
    jobs = load_config(path).jobs
    pids = client.run(os.getpid)
    finished: list[str] = []
    killed = threading.Event()

    def kill_one_worker_after_the_first_job(outcome) -> None:
        finished.append(outcome.name)
        if not killed.is_set():
            killed.set()
            busy = client.processing()
            victim = next((w for w, keys in busy.items() if keys), next(iter(pids)))
            os.kill(pids[victim], signal.SIGKILL)

    outcomes = run_jobs_on_dask(jobs, client, kill_one_worker_after_the_first_job)
    assert killed.is_set()
    assert [o.name for o in outcomes] == [f"slow-{i}" for i in range(6)]
    assert all(o.status == "ok" and o.result is not None for o in outcomes), [
        o.error for o in outcomes
    ]
    assert sorted(finished) == sorted(o.name for o in outcomes)
    client.wait_for_workers(2, timeout=180)
    assert set(client.run(os.getpid).values()) != set(pids.values())  # one was restarted


def test_cli_batch_on_the_users_cluster(client, config: Path) -> None:
    address = client.scheduler.address
    done = CliRunner().invoke(main, ["batch", str(config), "--dask", address, "--json"])
    assert done.exit_code == 1, done.output  # the broken job fails; the others do not
    jobs = {job["name"]: job for job in json.loads(done.stdout)["jobs"]}
    assert {name: job["status"] for name, job in jobs.items()} == {
        "lab": "ok",
        "broken": "failed",
        "sim-gamma": "ok",
        "which": "ok",
    }


@pytest.mark.slow
def test_cli_batch_on_a_local_cluster(config: Path) -> None:
    done = CliRunner().invoke(main, ["batch", str(config), "--dask", "-j", "2", "--json"])
    assert done.exit_code == 1, done.output
    assert [job["status"] for job in json.loads(done.stdout)["jobs"]] == [
        "ok",
        "failed",
        "ok",
        "ok",
    ]
