"""Running the jobs: each in its own worker process, with its own graph and session.

A job never takes another down: any error it raises is recorded against it and the others go on.
Results come back in the config's order and do not depend on the number of workers: every random
draw is seeded (a job without a seed gets one derived from its name).
"""

from __future__ import annotations

import os
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gaussfit.batch.config import READING_KEYS, Job, censoring_layout
from gaussfit.errors import GaussfitError

STATUSES = ("ok", "not converged", "failed", "cancelled", "not run")
"""A job's status: fitted; fitted but the optimiser stopped short (its numbers are not the
maximum); failed with an error; stopped by Ctrl-C while running; never started."""


@dataclass
class JobOutcome:
    """What became of one job: its status, the error if it failed, the full result if not."""

    name: str
    status: str  # see STATUSES
    kind: str  # "fit" or "compare"
    error: str | None = None
    result: dict[str, Any] | None = None
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "kind": self.kind,
            "error": self.error,
            "seconds": self.seconds,
            "result": self.result,
        }


def job_seed(job: Job, explicit: Any) -> int:
    """The job's seed, or a stable one derived from its name (so reruns reproduce)."""
    return int(explicit) if explicit is not None else zlib.crc32(job.name.encode()) % (2**31)


def run_job(job: Job) -> JobOutcome:
    """Run one job; never raises (a failure becomes a 'failed' outcome with its message)."""
    started = time.perf_counter()
    kind = _kind(job)
    try:
        result, summary = _run(job)
        status = "not converged" if summary.get("converged") is False else "ok"
        return JobOutcome(
            job.name, status, kind, None, result, time.perf_counter() - started, summary
        )
    except GaussfitError as exc:
        error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    except Exception as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"internal error: {type(exc).__name__}: {exc} (at {last.name}:{last.lineno})"
    return JobOutcome(job.name, "failed", kind, error, None, time.perf_counter() - started, {})


def _run(job: Job) -> tuple[dict[str, Any], dict[str, Any]]:
    from gaussfit.data import load_data
    from gaussfit.data.simulate import simulate
    from gaussfit.distributions import get_family
    from gaussfit.fitting import compare, fit

    options = dict(job.options)
    source: dict[str, Any]
    if job.simulate is not None:
        spec = job.simulate
        sim_family = get_family(spec["dist"], **({"k": spec["k"]} if "k" in spec else {}))
        values, truth = simulate(
            sim_family, spec["n"], spec.get("params"), job_seed(job, spec.get("seed"))
        )
        data: Any = values
        weights = None
        source = {
            "path": None,
            "column": None,
            "simulated": {"dist": sim_family.name, "n": spec["n"], "params": truth},
        }
    elif censoring_layout(options) is not None:
        from gaussfit.data.censored_reader import load_observations

        data = load_observations(
            job.data,
            censoring_layout(options),
            drop_missing=bool(options.get("drop_missing", False)),
        )
        weights = None
        source = {"path": data.source, "column": data.column}
    else:
        dataset = load_data(
            job.data,
            options.get("column"),
            weights=options.get("weights"),
            drop_missing=bool(options.get("drop_missing", False)),
            **{key: options[key] for key in READING_KEYS if key in options},
        )
        data, weights = dataset, dataset.weights  # the Dataset: errors name its lines
        source = {"path": dataset.source, "column": dataset.column}
    fit_options = _fit_options(job, options)
    if job.compare:
        compared = compare(data, job.compare, weights=weights, **fit_options)
        if options.get("plot"):
            _draw(options["plot"], data, compared=compared)
        result = compared.to_dict()
        best = compared.best
        summary = _summary_of(best.to_dict()) if best is not None else {}
        summary["family"] = best.distribution if best is not None else None
        return result | {"source": source}, summary
    if "logpdf" in options:
        from gaussfit.distributions.user_family import UserFamily

        family = UserFamily(
            options["logpdf"],
            options["params"],
            options.get("support"),
            logcdf=options.get("logcdf"),
        )
    else:
        family = get_family(
            str(options.get("dist", "normal")), **({"k": options["k"]} if "k" in options else {})
        )
    fitted = fit(data, family, weights=weights, source=source, **fit_options)
    if options.get("plot"):
        _draw(options["plot"], data, fitted=fitted)
    result = fitted.to_dict()
    return result, _summary_of(result)


def _draw(target: str, data: Any, *, fitted: Any = None, compared: Any = None) -> None:
    """The job's picture, as ``gaussfit fit --plot`` or ``compare --plot`` draws it, written
    atomically; it reads the result and changes nothing in it."""
    import numpy as np

    from gaussfit.data import atomic_write_bytes
    from gaussfit.report import plots

    label = getattr(data, "column", None) or "x"
    if hasattr(data, "lower"):
        fits = [fitted] if fitted is not None else compared.ranking[: plots.DEFAULT_TOP]
        figure = plots.draw_censored(fits, data, label=label)
    else:
        values = np.asarray(getattr(data, "values", data), dtype=np.float64)
        weights = getattr(data, "weights", None)
        if fitted is not None:
            figure = plots.draw_fit(fitted, fitted.family(), values, weights, label=label)
        else:
            figure = plots.draw_compare(compared, values, weights, label=label)
    fmt = plots.FORMATS[os.path.splitext(target)[1].lower()]
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    atomic_write_bytes(target, plots.render(figure, fmt))


def _fit_options(job: Job, options: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ours, theirs in (
        ("optimizer", "optimizer"),
        ("lr", "lr"),
        ("iters", "max_iter"),
        ("tol", "tol"),
        ("init", "init"),
        ("fix", "fixed"),
        ("bootstrap", "bootstrap"),
        ("time_budget", "time_budget"),
        ("gof_bootstrap", "gof_bootstrap"),
        ("method", "method"),
        ("gof_distance", "gof_distance"),
    ):
        if ours in options:
            out[theirs] = options[ours]
    if "probs" in options:
        probs = options["probs"]
        out["probs"] = probs.split(",") if isinstance(probs, str) else probs
    if options.get("bootstrap") or options.get("gof_bootstrap"):
        out["seed"] = job_seed(job, options.get("seed"))
    if options.get("no_scipy"):
        out["references"] = "closed_form"
    if options.get("logdir") and not job.compare:
        # One run folder per job, so TensorBoard shows the jobs side by side.
        out["logdir"] = os.path.join(options["logdir"], _folder_name(job.name))
    return out


def _folder_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.=," else "_" for c in name)


def _summary_of(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "family": result.get("distribution"),
        "n": result.get("n"),
        "estimates": result.get("params"),
        "stderr": result.get("stderr"),
        "loglik": result.get("loglik"),
        "aic": result.get("aic"),
        "converged": result.get("converged"),
        "iterations": result.get("iterations"),
    }


class BatchInterrupted(Exception):
    """Ctrl-C during a batch: the running jobs were cancelled; ``outcomes`` holds every job's
    outcome so far (finished ones as they ended, the rest ``cancelled`` or ``not run``)."""

    def __init__(self, outcomes: list[JobOutcome]) -> None:
        super().__init__("interrupted")
        self.outcomes = outcomes


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_jobs(
    jobs: list[Job], workers: int = 1, progress: Callable[[JobOutcome], None] | None = None
) -> list[JobOutcome]:
    """Run ``jobs`` on ``workers`` processes; their outcomes in job order.

    Every job runs in a worker process, also with one worker, so a job that kills its process
    (out of memory, a crash in native code) fails alone, named with the signal, and the batch
    goes on with a fresh worker. Ctrl-C cancels the running jobs and raises
    :class:`BatchInterrupted` carrying what finished.
    """
    from gaussfit.batch.pool import WorkerPool

    outcomes: dict[int, JobOutcome] = {}

    def finished(index: int, outcome: JobOutcome) -> None:
        outcomes[index] = outcome
        if progress is not None:
            progress(outcome)

    def died(index: int, cause: str) -> None:
        job = jobs[index]
        finished(index, JobOutcome(job.name, "failed", _kind(job), f"job failed: {cause}"))

    pool = WorkerPool(run_job, min(workers, len(jobs)))
    try:
        pool.run(jobs, finished, died)
    except BaseException as error:
        pool.cancel()
        if isinstance(error, KeyboardInterrupt):
            raise BatchInterrupted(with_unfinished(jobs, outcomes, pool.running)) from None
        raise
    pool.close()
    return [outcomes[i] for i in range(len(jobs))]


def _kind(job: Job) -> str:
    return "compare" if job.compare else "fit"


def with_unfinished(
    jobs: list[Job], outcomes: dict[int, JobOutcome], running: set[int]
) -> list[JobOutcome]:
    """Every job's outcome after an interrupt: the finished, the cancelled, the never started."""
    return [
        outcomes.get(index)
        or JobOutcome(
            job.name,
            "cancelled" if index in running else "not run",
            _kind(job),
            "interrupted while running" if index in running else "interrupted before it started",
        )
        for index, job in enumerate(jobs)
    ]
