"""Hostile batch files cost a quick error, never minutes or gigabytes.

Alias bombs run in a child process under an address-space limit and a timeout, so a regression
fails the test instead of taking the machine down.
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import time

import pytest
from batch_helpers import write_config

from gaussfit.batch import load_config
from gaussfit.batch.config import MAX_JOBS
from gaussfit.errors import ConfigError

MEMORY_LIMIT = 1536 * 1024 * 1024

# Nine anchors, each nine aliases of the one before: a 1 kB file standing for 9**9 values.
LAUGHS = "".join(
    f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]\n" if i else "x0: &x0 [lol, lol]\n"
    for i in range(10)
)


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize(
    "place",
    [
        "simulate: {n: *x9}",
        "simulate: {n: 10}, lr: *x9",
        "data: ../data/lab.csv, compare: *x9",
        "simulate: {n: 10}, sweep: {lr: *x9}",
        "simulate: {n: 10}, init: {mu: *x9}",
        "simulate: {n: 10}, dist: *x9",
    ],
)
def test_an_alias_bomb_anywhere_is_refused_fast_in_bounded_memory(workdir, place):
    path = write_config(workdir, LAUGHS + f"jobs:\n  - {{name: b, {place}}}\n")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "gaussfit", "batch", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 2, done.stderr
    assert "aliases expand the document to more than the limit of 5,000,000" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 30


def test_an_alias_that_contains_itself_is_refused(workdir):
    with pytest.raises(ConfigError, match="contains it"):
        load_config(write_config(workdir, "jobs: &j [{name: a, data: *j}]\n"))


def test_a_sweep_is_counted_before_it_is_expanded(workdir):
    values = "[" + ", ".join(str(i) for i in range(1, 1001)) + "]"
    text = f"jobs:\n  - {{name: s, simulate: {{n: 10}}, sweep: {{iters: {values}, seed: {values},"
    text += f" bootstrap: {values}}}}}\n"
    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        load_config(write_config(workdir, text))
    assert time.monotonic() - started < 10
    assert f"1000 x 1000 x 1000 = 1,000,000,000 jobs, more than the limit of {MAX_JOBS:,}" in str(
        info.value
    )


def test_too_many_jobs_in_all_are_refused_with_the_number(workdir):
    def values(count: int) -> str:
        return "[" + ", ".join(str(i) for i in range(1, count + 1)) + "]"

    job = "  - {name: s%d, simulate: {n: 10}, sweep: {iters: %s, seed: %s}}\n"
    text = "jobs:\n" + "".join(job % (i, values(300), values(200)) for i in range(2))
    started = time.monotonic()
    with pytest.raises(ConfigError, match=f"120,000 jobs .* more than the limit of {MAX_JOBS:,}"):
        load_config(write_config(workdir, text))
    assert time.monotonic() - started < 10


def test_an_oversized_value_is_echoed_short(workdir):
    text = "jobs:\n  - {name: a, simulate: {n: %s}}\n" % ("x" * 100_000)
    with pytest.raises(ConfigError) as info:
        load_config(write_config(workdir, text))
    assert len(str(info.value)) < 400


def test_validating_jobs_takes_time_linear_in_their_number(workdir):
    """Five times the jobs cost about five times the processor time (quadratic would be 25x).

    The garbage collector is paused while timing: its passes over a growing heap are the
    interpreter's cost, not the validation's, and make small timings noisy.
    """

    def cpu_seconds(count: int) -> float:
        job = "  - {name: j%d, data: ../data/lab.csv, dist: normal, lr: 0.01, init: {mu: 1}}\n"
        path = write_config(workdir, "jobs:\n" + "".join(job % i for i in range(count)))
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            assert len(load_config(path).jobs) == count
            return time.process_time() - started
        finally:
            gc.enable()

    cpu_seconds(200)  # imports and caches
    small, large = cpu_seconds(2_000), cpu_seconds(10_000)
    assert large < 10 * small, (small, large)
