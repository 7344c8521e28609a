"""Running the jobs on a Dask cluster instead of local processes.

Each job is one task, ``run_job`` on some worker; it never raises, so a failing job is an
outcome like any other, exactly as with local processes. A worker that dies mid-job takes no
result with it: the scheduler sees the worker go and runs its unfinished jobs again elsewhere
(every job is seeded, so the rerun gives the same answer). Only a job that keeps killing its
workers fails, with the scheduler's reason. Ctrl-C cancels every unfinished task and raises
``BatchInterrupted`` with what finished, as the local runner does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from gaussfit.batch.config import Job
from gaussfit.batch.runner import BatchInterrupted, JobOutcome, run_job, with_unfinished


def run_jobs_on_dask(
    jobs: list[Job], client: Any, progress: Callable[[JobOutcome], None] | None = None
) -> list[JobOutcome]:
    """Run ``jobs`` on ``client``'s cluster; outcomes in job order, as ``run_jobs`` gives."""
    batch = uuid.uuid4().hex[:8]
    futures = [
        client.submit(run_job, job, key=f"gaussfit-job-{batch}-{index}", pure=False)
        for index, job in enumerate(jobs)
    ]
    index_of = {future.key: index for index, future in enumerate(futures)}
    outcomes: dict[int, JobOutcome] = {}
    try:
        _collect(futures, index_of, jobs, outcomes, progress)
    except KeyboardInterrupt:
        client.cancel([f for i, f in enumerate(futures) if i not in outcomes], force=True)
        running = set(range(len(jobs))) - set(outcomes)
        raise BatchInterrupted(with_unfinished(jobs, outcomes, running)) from None
    return [outcomes[i] for i in range(len(jobs))]


def _collect(
    futures: list[Any],
    index_of: dict[Any, int],
    jobs: list[Job],
    outcomes: dict[int, JobOutcome],
    progress: Callable[[JobOutcome], None] | None,
) -> None:
    from distributed import as_completed

    for future in as_completed(futures):
        index = index_of[future.key]
        try:
            outcomes[index] = future.result()
        except Exception as exc:
            job = jobs[index]
            outcomes[index] = JobOutcome(
                job.name,
                "failed",
                "compare" if job.compare else "fit",
                f"worker process failed: {type(exc).__name__}: {exc}",
            )
        future.release()
        if progress is not None:
            progress(outcomes[index])
