"""Running a batch: failures isolated, results independent of the number of workers."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import threading

import numpy as np
import pytest
from batch_helpers import LAB_VALUES, write_config

from gaussfit.batch import load_config, run_jobs
from gaussfit.batch.summary import write_summary

MIXED = """
defaults: {tol: 1.0e-10}
jobs:
  - {name: lab, data: ../data/lab.csv, column: x}
  - {name: broken, data: ../data/words.csv}
  - {name: sim-gamma, simulate: {dist: gamma, n: 2000, params: {shape: 2.0, scale: 3.0},
     seed: 1}, dist: gamma}
  - {name: diverges, data: ../data/lab.csv, optimizer: gd, lr: 5.0, init: {mu: 1, sigma: 1}}
  - {name: which, data: ../data/lab.csv, compare: [normal, laplace]}
"""


def test_a_failing_job_does_not_stop_the_others(workdir):
    outcomes = run_jobs(load_config(write_config(workdir, MIXED)).jobs, workers=1)
    status = {o.name: o.status for o in outcomes}
    assert status == {
        "lab": "ok",
        "broken": "failed",
        "sim-gamma": "ok",
        "diverges": "failed",
        "which": "ok",
    }
    broken = next(o for o in outcomes if o.name == "broken")
    assert "words.csv:3" in broken.error and "abc" in broken.error
    diverges = next(o for o in outcomes if o.name == "diverges")
    assert "learning rate" in diverges.error
    lab = next(o for o in outcomes if o.name == "lab")
    assert lab.result["params"]["mu"] == pytest.approx(np.mean(LAB_VALUES), rel=1e-10)
    which = next(o for o in outcomes if o.name == "which")
    assert which.result["ranking"][0]["distribution"] in ("normal", "laplace")


def test_results_do_not_depend_on_the_number_of_workers(workdir):
    jobs = load_config(write_config(workdir, MIXED)).jobs
    one = run_jobs(jobs, workers=1)
    two = run_jobs(jobs, workers=2)
    assert [o.name for o in one] == [o.name for o in two]
    for a, b in zip(one, two, strict=True):
        assert a.status == b.status and a.error == b.error
        if a.result is not None:
            assert a.result.get("params") == b.result.get("params")
            assert a.result.get("loglik") == b.result.get("loglik")


def test_simulated_jobs_without_a_seed_still_reproduce(workdir):
    jobs = load_config(write_config(workdir, "jobs:\n  - {name: s, simulate: {n: 300}}\n")).jobs
    first, second = run_jobs(jobs), run_jobs(jobs)
    assert first[0].result["params"] == second[0].result["params"]
    assert abs(first[0].result["params"]["mu"] - 2.5) < 0.5


def test_sweep_jobs_run_with_their_own_values(workdir):
    jobs = load_config(
        write_config(
            workdir,
            """
jobs:
  - name: lr
    simulate: {n: 200, seed: 3}
    optimizer: gd
    iters: 3
    sweep: {lr: [0.0001, 0.001]}
""",
        )
    ).jobs
    outcomes = run_jobs(jobs)
    assert [o.result["settings"]["lr"] for o in outcomes] == [0.0001, 0.001]


def test_summary_has_a_column_per_parameter_and_standard_error(workdir):
    outcomes = run_jobs(load_config(write_config(workdir, MIXED)).jobs)
    target = workdir / "out" / "summary.csv"
    written = write_summary(target, outcomes)
    rows = list(csv.DictReader(target.open()))
    assert [r["name"] for r in rows] == ["lab", "broken", "sim-gamma", "diverges", "which"]
    assert list(rows[0])[:10] == [
        "name", "status", "family", "n",
        "est_mu", "est_sigma", "est_shape", "est_scale",
        "se_mu", "se_sigma",
    ]  # fmt: skip
    # The normal's maximum-likelihood estimates and their standard errors in closed form:
    # the mean, the population standard deviation, sigma/sqrt(n) and sigma/sqrt(2n).
    x = np.array(LAB_VALUES)
    sigma = np.std(x)
    lab = rows[0]
    assert float(lab["est_mu"]) == pytest.approx(np.mean(x), rel=1e-9)
    assert float(lab["est_sigma"]) == pytest.approx(sigma, rel=1e-7)
    assert float(lab["se_mu"]) == pytest.approx(sigma / np.sqrt(x.size), rel=1e-6)
    assert float(lab["se_sigma"]) == pytest.approx(sigma / np.sqrt(2 * x.size), rel=1e-6)
    assert lab["est_shape"] == "" and lab["se_scale"] == ""
    assert rows[2]["est_mu"] == "" and float(rows[2]["est_shape"]) > 0
    assert rows[1]["status"] == "failed" and rows[1]["error"] and rows[1]["est_mu"] == ""
    full = json.loads(written[1].read_text())
    assert [j["name"] for j in full["jobs"]] == [r["name"] for r in rows]
    assert full["summary"]["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "summary.csv",
        "summary.results.json",
    ]
    as_json = workdir / "out" / "summary.json"
    write_summary(as_json, outcomes)
    assert json.loads(as_json.read_text())["jobs"][2]["status"] == "ok"


def test_a_fit_that_stops_short_is_not_converged_not_ok(workdir):
    jobs = load_config(
        write_config(
            workdir,
            """
jobs:
  - {name: short, data: ../data/lab.csv, optimizer: gd, lr: 0.01, iters: 5,
     init: {mu: 1, sigma: 1}}
  - {name: full, data: ../data/lab.csv, optimizer: newton}
""",
        )
    ).jobs
    short, full = run_jobs(jobs)
    assert short.status == "not converged" and short.result["converged"] is False
    assert short.result["iterations"] == 5
    assert full.status == "ok" and full.result["converged"] is True


def test_logdir_gives_each_job_its_own_run_folder(workdir):
    pytest.importorskip("tensorboard")
    jobs = load_config(
        write_config(
            workdir,
            """
defaults: {logdir: ../runs}
jobs:
  - {name: a, data: ../data/lab.csv, optimizer: gd, iters: 5}
  - name: b
    simulate: {n: 100, seed: 1}
    optimizer: gd
    sweep: {lr: [0.001]}
""",
        )
    ).jobs
    # five gd steps from the first-order start do not converge: a status, not a failure
    assert all(o.status in ("ok", "not converged") for o in run_jobs(jobs))
    runs = sorted(p.name for p in (workdir / "runs").iterdir())
    assert runs == ["a", "b_lr=0.001_"]
    assert any(p.name.startswith("events.out.tfevents") for p in (workdir / "runs" / "a").iterdir())


def test_overlapping_writers_never_leave_a_mixed_pair(workdir):
    """Two runs publishing to one place at once: whenever the folder is not being published to
    (its lock is free), the sidecar's SHA-256 is the CSV's, i.e. both files are one run's."""
    fcntl = pytest.importorskip("fcntl")
    from gaussfit.batch.runner import JobOutcome

    target = workdir / "out" / "summary.csv"
    target.parent.mkdir()

    def run_of(writer: int, round_: int) -> list[JobOutcome]:
        summary = {"family": "normal", "n": 20, "estimates": {"mu": writer + round_ / 1000}}
        return [JobOutcome(f"w{writer}", "ok", "fit", None, {"round": round_}, 0.1, summary)]

    def write_many(writer: int) -> None:
        for round_ in range(40):
            write_summary(target, run_of(writer, round_))

    mismatches = []
    stop = threading.Event()

    def check() -> None:
        while not stop.is_set():
            fd = os.open(target.parent, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if target.exists():
                    side = json.loads(target.with_suffix(".results.json").read_text())
                    digest = hashlib.sha256(target.read_bytes()).hexdigest()
                    if side["summary"]["sha256"] != digest:
                        mismatches.append(side["jobs"][0]["name"])
            finally:
                os.close(fd)

    checker = threading.Thread(target=check)
    writers = [threading.Thread(target=write_many, args=(w,)) for w in (1, 2)]
    checker.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    checker.join()
    assert mismatches == []
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "summary.csv",
        "summary.results.json",
    ]
