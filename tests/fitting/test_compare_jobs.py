"""``compare(jobs=N)``: the families fitted by this process and N - 1 workers from one queue."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gaussfit
from gaussfit.batch.pool import TaskQueue


def test_a_task_queue_hands_out_each_index_once_to_competing_threads() -> None:
    tasks = TaskQueue(range(5000))
    taken: list[list[int]] = [[], [], []]

    def take(into: list[int]) -> None:
        while (index := tasks.take()) is not None:
            into.append(index)

    threads = [threading.Thread(target=take, args=(into,)) for into in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = sorted(i for into in taken for i in into)
    assert every == list(range(5000))
    assert not tasks


def test_a_task_queue_gives_back_first_and_closes_empty() -> None:
    tasks = TaskQueue([3, 1, 2])
    first = tasks.take()
    tasks.give_back(first)  # a worker found dead never ran it: it goes out next
    assert tasks.take() == 3
    tasks.close()
    assert tasks.take() is None
    assert not tasks


@pytest.mark.slow
def test_jobs_give_the_same_fits_as_one_process_and_report_each_family_once() -> None:
    x = np.random.default_rng(3).gamma(2.0, 1.5, 400)
    dists = "normal,gamma,lognormal,weibull,gev,triangular"
    one = gaussfit.compare(x, dists, references="closed_form")
    seen: list[str] = []
    two = gaussfit.compare(
        x, dists, references="closed_form", jobs=2, on_family=lambda i, n, name: seen.append(name)
    )
    assert sorted(seen) == sorted(dists.split(","))
    assert [r.distribution for r in two.ranking] == [r.distribution for r in one.ranking]
    for a, b in zip(one.ranking, two.ranking, strict=True):
        assert b.params == pytest.approx(a.params, rel=1e-9)
    normal = next(r for r in two.ranking if r.distribution == "normal")
    # the normal's MLE in closed form: the mean and the standard deviation with divisor n
    assert normal.params["mu"] == pytest.approx(float(np.mean(x)), rel=1e-10)
    assert normal.params["sigma"] == pytest.approx(float(np.std(x)), rel=1e-8)
