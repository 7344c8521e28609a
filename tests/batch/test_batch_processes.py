"""A batch under signals and crashes, with real processes: the batch is a ``python -m gaussfit``
child of the test, its workers are found in ``/proc`` and signalled by PID.

A "slow" job is gradient descent with a tiny learning rate, no tolerance and a huge iteration
limit: it runs until something stops it. Its ``logdir`` makes it write TensorBoard files as it
starts, which tells the test, without guessing at timings, that the jobs before it have finished.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_helpers import write_config

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc"
)

QUICK = "{name: %s, data: ../data/lab.csv, optimizer: newton, no-scipy: true}"
SLOW = (
    "{name: %s, simulate: {n: 2000, seed: 1}, optimizer: gd, lr: 1.0e-9, tol: 0, "
    "iters: 100000000, no-scipy: true, logdir: ../runs}"
)


def config(workdir: Path, *jobs: str, output: str = "../out/summary.csv") -> Path:
    lines = "".join(f"  - {job}\n" for job in jobs)
    return write_config(workdir, f"jobs:\n{lines}output: {output}\n")


def start(path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gaussfit", "batch", str(path), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        start_new_session=True,  # so a test failure can kill whatever is left, as a group
    )


def children_of() -> dict[int, list[int]]:
    table: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            table.setdefault(parent, []).append(int(entry))
    return table


def workers_of(pid: int) -> list[int]:
    """The batch's workers: started by its fork server, so grandchildren of the batch."""
    table = children_of()
    return [w for child in table.get(pid, []) for w in table.get(child, [])]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_for(condition, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def started(workdir: Path, job: str) -> bool:
    folder = workdir / "runs" / job
    return folder.is_dir() and any(folder.iterdir())


@pytest.fixture
def batch_process():
    """Start batches; whatever is left of them is killed at the end, by process group."""
    processes: list[subprocess.Popen[str]] = []

    def run(path: Path, *args: str) -> subprocess.Popen[str]:
        process = start(path, *args)
        processes.append(process)
        return process

    yield run
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)


def test_a_job_that_kills_its_worker_fails_alone_and_the_batch_goes_on(workdir, batch_process):
    path = config(workdir, QUICK % "before", SLOW % "victim", QUICK % "after")
    process = batch_process(path, "--jobs", "1")
    wait_for(lambda: started(workdir, "victim"), what="the slow job to start")
    (worker,) = workers_of(process.pid)
    os.kill(worker, signal.SIGKILL)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    rows = {r["name"]: r for r in csv.DictReader((workdir / "out" / "summary.csv").open())}
    assert [rows[n]["status"] for n in ("before", "victim", "after")] == ["ok", "failed", "ok"]
    assert "killed by signal 9 (SIGKILL)" in rows["victim"]["error"]
    assert "Traceback" not in err


def test_ctrl_c_cancels_running_jobs_and_keeps_the_finished_ones(workdir, batch_process):
    path = config(workdir, QUICK % "first", SLOW % "slow", QUICK % "never")
    process = batch_process(path, "--jobs", "1")
    wait_for(lambda: started(workdir, "slow"), what="the slow job to start")
    workers = workers_of(process.pid)
    sent = time.monotonic()
    os.kill(process.pid, signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    elapsed = time.monotonic() - sent
    assert process.returncode == 130, err
    assert elapsed < 2.0, f"took {elapsed:.2f} s to stop"
    assert not any(alive(w) for w in workers)
    assert not (workdir / "out" / "summary.csv").exists(), "a partial run replaced the summary"
    partial = workdir / "out" / "summary.partial.csv"
    rows = {r["name"]: r["status"] for r in csv.DictReader(partial.open())}
    assert rows == {"first": "ok", "slow": "cancelled", "never": "not run"}
    sidecar = json.loads((workdir / "out" / "summary.partial.results.json").read_text())
    assert sidecar["partial"] is True
    assert "interrupted after 1 of 3 jobs" in err and str(partial) in err


def test_ctrl_c_before_anything_finished_says_nothing_was_written(workdir, batch_process):
    path = config(workdir, SLOW % "slow", QUICK % "never")
    process = batch_process(path, "--jobs", "1")
    wait_for(lambda: started(workdir, "slow"), what="the slow job to start")
    os.kill(process.pid, signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "nothing was written" in err
    assert not (workdir / "out").exists()


def test_a_second_ctrl_c_while_stopping_ends_at_once(workdir, batch_process):
    path = config(workdir, QUICK % "first", SLOW % "slow")
    process = batch_process(path, "--jobs", "1")
    wait_for(lambda: started(workdir, "slow"), what="the slow job to start")
    sent = time.monotonic()
    os.kill(process.pid, signal.SIGINT)
    os.kill(process.pid, signal.SIGINT)
    process.communicate(timeout=30)
    assert process.returncode == 130
    assert time.monotonic() - sent < 2.0


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(workdir, batch_process, sig):
    path = config(workdir, SLOW % "a", SLOW % "b")
    process = batch_process(path, "--jobs", "2", "--oversubscribe")
    wait_for(lambda: started(workdir, "a") and started(workdir, "b"), what="both jobs")
    workers = workers_of(process.pid)
    assert len(workers) == 2
    os.kill(process.pid, sig)
    process.communicate(timeout=30)
    wait_for(lambda: not any(alive(w) for w in workers), timeout=10, what="the workers to die")
