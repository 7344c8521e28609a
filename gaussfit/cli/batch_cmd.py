"""``gaussfit batch CONFIG``: many fits from one YAML file.

Everything that can be known before running is checked first: the configuration, the data files
and their columns, the summary's destination (every mistake reported, exit 2, nothing written).
Jobs then run on worker processes; a failing job, even one that kills its worker, is recorded and
the others go on; the summary is printed and published. Exit 0 when every job produced a result,
1 when any failed, 2 when the summary could not be written where asked (it is then written
elsewhere and the place named), 130 on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from gaussfit.cli import options
from gaussfit.cli.environment import Environment
from gaussfit.cli.exit_codes import ExitCode
from gaussfit.cli.output import say_written
from gaussfit.errors import ConfigError


@click.command("batch", short_help="Run many fits from one YAML file.")
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    help="Worker processes (also of the local --dask cluster); more than the cores are capped "
    "at the cores unless --oversubscribe.  [default: the number of cores]",
)
@click.option(
    "--oversubscribe",
    is_flag=True,
    help="Start as many workers as --jobs says, even more than there are cores.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Summary file (.csv or .json); overrides the config's 'output'.",
)
@click.option("--only", metavar="NAME,...", help="Run only these jobs (by name).")
@click.option("--dry-run", is_flag=True, help="Validate and list the jobs; run nothing.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"partial", "jobs": [{name, status, error, result}, ...]} and nothing else.',
)
@options.dask_option("Run the jobs", " Its workers must see the data files at the same paths.")
@click.pass_obj
def batch(
    env: Environment,
    config: Path,
    workers: int | None,
    oversubscribe: bool,
    output: str | None,
    only: str | None,
    dry_run: bool,
    as_json: bool,
    dask_address: str | None,
) -> int:
    """Run the jobs of the YAML file CONFIG (see configs/ for commented examples).

    Paths in the file are relative to it. Every job gets its own graph and session; results do
    not depend on --jobs. Ctrl-C stops at once, keeping the finished jobs in a partial summary.
    """
    from gaussfit.batch import load_config
    from gaussfit.batch.runner import BatchInterrupted
    from gaussfit.report import batch_tables

    options.check_outputs((str(config),), output=output)
    summary = Path(output) if output is not None else None
    if summary is not None and summary.suffix.lower() not in (".csv", ".json"):
        raise ConfigError(f"--output: '{summary}' must end in .csv or .json")
    loaded = load_config(config, output=summary)
    jobs = _select(loaded.jobs, only)
    target = loaded.output
    console = env.console()
    if dry_run:
        if as_json:
            from gaussfit.report.json_out import dumps

            env.write(
                dumps(
                    {
                        "jobs": [
                            {"name": j.name, "what": j.describe(), "options": j.options}
                            for j in jobs
                        ]
                    }
                )
            )
        else:
            console.print(batch_tables.plan_table(jobs, target))
        return 0
    count = _worker_count(env, workers, oversubscribe, len(jobs))
    try:
        with batch_tables.progress(env, len(jobs), enabled=not as_json) as advance:
            if dask_address is None:
                from gaussfit.batch import run_jobs

                outcomes = run_jobs(jobs, workers=count, progress=advance)
            else:
                outcomes = _run_on_dask(jobs, dask_address, count if workers else None, advance)
    except BatchInterrupted as stop:
        with _second_interrupt_ends_at_once():
            return _report_interrupted(env, stop.outcomes, target, as_json)
    written, trouble = _publish(env, target, outcomes, partial=False)
    drawn = [
        Path(job.options["plot"])
        for job, outcome in zip(jobs, outcomes, strict=True)
        if job.options.get("plot") and outcome.status in ("ok", "not converged")
    ]
    _show(env, outcomes, written + drawn, as_json)
    if trouble:
        return ExitCode.BAD_INPUT
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _worker_count(env: Environment, workers: int | None, insist: bool, jobs: int) -> int:
    """The processes to start: --jobs (default: the cores), capped at the cores unless
    --oversubscribe, never more than the jobs; a cap is said on stderr."""
    from gaussfit.batch.runner import available_cores

    cores = available_cores()
    count = workers or cores
    if count > cores and not insist:
        env.stderr.write(
            f"note: --jobs {count} capped at the {cores} cores available "
            "(pass --oversubscribe to start them all)\n"
        )
        count = cores
    return max(1, min(count, jobs))


def _publish(
    env: Environment, target: Path | None, outcomes: list, *, partial: bool
) -> tuple[list[Path], bool]:
    """Write the summary; if that fails, write it to a fallback file (or stdout) and say where.

    Returns the files written and whether the summary missed its destination.
    """
    from gaussfit.batch.summary import csv_text, write_summary

    if target is None:
        return [], False
    try:
        return write_summary(target, outcomes, partial=partial), False
    except OSError as exc:
        problem = f"{exc.strerror or exc}"
    fallback = _fallback_path(target)
    try:
        written = write_summary(fallback, outcomes, partial=partial)
    except OSError:
        env.stderr.write(
            f"Error: cannot write the summary {target} ({problem}), nor a copy in "
            f"{fallback.parent}; here it is as CSV on standard output\n"
        )
        env.write(csv_text(outcomes))
        return [], True
    env.stderr.write(
        f"Error: cannot write the summary {target} ({problem}); "
        f"it was written to {written[0]} instead\n"
    )
    return written, True


def _fallback_path(target: Path) -> Path:
    import tempfile
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"gaussfit-batch-{target.stem}-{stamp}-{os.getpid()}{target.suffix}"
    return Path(tempfile.gettempdir()) / name


def _show(env: Environment, outcomes: list, written: list[Path], as_json: bool) -> None:
    from gaussfit.batch.summary import jobs_document
    from gaussfit.report import batch_tables

    if as_json:
        from gaussfit.report.json_out import dumps

        partial = any(o.status in ("cancelled", "not run") for o in outcomes)
        env.write(dumps(jobs_document(outcomes, partial=partial)))
        return
    from gaussfit.report.screen import print_fitted_table

    table = batch_tables.summary_table(outcomes)
    whole = [c.header for c in table.columns if c.header not in ("estimates", "error")]
    errors = any(o.status != "ok" for o in outcomes)
    optional = ("seconds", "iters", "log-lik") + (() if errors else ("error",))
    print_fitted_table(env.console(), table, keep_whole=whole, optional=optional)
    say_written(env, [str(path) for path in written])


def _report_interrupted(
    env: Environment, outcomes: list, target: Path | None, as_json: bool
) -> int:
    """After Ctrl-C: keep what finished (a partial summary) and say exactly what was written."""
    done = sum(o.status not in ("cancelled", "not run") for o in outcomes)
    written: list[Path] = []
    trouble = False
    if done and target is not None:
        written, trouble = _publish(env, target, outcomes, partial=True)
    _show(env, outcomes, written, as_json)
    if written:
        where = " and ".join(str(p) for p in written)
        message = f"partial summary of the {done} finished written to {where}"
    elif trouble:
        message = "the partial summary is above"
    elif target is None:
        message = "no summary file was asked for; nothing was written"
    else:
        message = f"no job had finished; nothing was written ({target} is unchanged)"
    env.stderr.write(f"Error: interrupted after {done} of {len(outcomes)} jobs; {message}\n")
    env.stderr.flush()
    return ExitCode.INTERRUPTED


@contextmanager
def _second_interrupt_ends_at_once() -> Iterator[None]:
    """While the partial summary is written, a second Ctrl-C exits at once (code 130)."""
    try:
        previous = signal.signal(signal.SIGINT, _exit_now)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _exit_now(signum: int, frame: Any) -> None:
    sys.stderr.write("Error: interrupted again; stopping now\n")
    sys.stderr.flush()
    os._exit(ExitCode.INTERRUPTED)


def _run_on_dask(
    jobs: list, address: str, workers: int | None, progress: Callable[[Any], None]
) -> list:
    """The jobs' outcomes from a Dask cluster (a LocalCluster of ``workers`` processes when no
    address is given), closed again afterwards."""
    from gaussfit.batch.dask_runner import run_jobs_on_dask
    from gaussfit.fitting.dask_data import connect

    client, owned = connect(options.scheduler_of(address), workers)
    try:
        return run_jobs_on_dask(jobs, client, progress)
    finally:
        for thing in owned:
            thing.close()


def _select(jobs: list, only: str | None) -> list:
    if not only:
        return jobs
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    base = {job.name.split("[", 1)[0] for job in jobs} | {job.name for job in jobs}
    unknown = [name for name in wanted if name not in base]
    if unknown:
        raise ConfigError(
            f"--only: no job named {', '.join(unknown)} (jobs: "
            f"{', '.join(sorted({j.name.split('[', 1)[0] for j in jobs}))})"
        )
    return [job for job in jobs if job.name in wanted or job.name.split("[", 1)[0] in wanted]
