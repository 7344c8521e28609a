"""Running the jobs on a Dask cluster instead of local processes.

Each job is one task, ``run_job`` on some worker; it never raises, so a failing job is an
outcome like any other, exactly as with local processes. A worker that dies mid-job takes no
result with it: the scheduler sees the worker go and runs its unfinished jobs again elsewhere
(every job is seeded, so the rerun gives the same answer). Only a job that keeps killing its
workers fails, with the scheduler's reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from gaussfit.batch.config import Job
from gaussfit.batch.runner import JobOutcome, run_job


def run_jobs_on_dask(
    jobs: list[Job], client: Any, progress: Callable[[JobOutcome], None] | None = None
) -> list[JobOutcome]:
    """Run ``jobs`` on ``client``'s cluster; outcomes in job order, as ``run_jobs`` gives."""
    from distributed import as_completed

    batch = uuid.uuid4().hex[:8]
    futures = [
        client.submit(run_job, job, key=f"gaussfit-job-{batch}-{index}", pure=False)
        for index, job in enumerate(jobs)
    ]
    index_of = {future.key: index for index, future in enumerate(futures)}
    outcomes: dict[int, JobOutcome] = {}
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
    return [outcomes[i] for i in range(len(jobs))]
