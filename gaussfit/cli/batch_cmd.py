"""``gaussfit batch CONFIG``: many fits from one YAML file.

The configuration is validated before anything runs (every mistake reported, exit 2, nothing
written); jobs then run on worker processes, a failing job is recorded and the others go on, and
the summary is printed and written atomically. Exit 0 when every job succeeded, 1 when any failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from gaussfit.cli import options
from gaussfit.cli.environment import Environment
from gaussfit.cli.output import say_written
from gaussfit.errors import ConfigError


@click.command("batch", short_help="Run many fits from one YAML file.")
@click.argument("config", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    help="Worker processes (also of the local --dask cluster).  [default: the number of cores]",
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
    help='Print {"jobs": [{name, status, error, result}, ...]} and nothing else.',
)
@options.dask_option("Run the jobs", " Its workers must see the data files at the same paths.")
@click.pass_obj
def batch(
    env: Environment,
    config: Path,
    workers: int | None,
    output: str | None,
    only: str | None,
    dry_run: bool,
    as_json: bool,
    dask_address: str | None,
) -> int:
    """Run the jobs of the YAML file CONFIG (see configs/ for commented examples).

    Paths in the file are relative to it. Every job gets its own graph and session; results do
    not depend on --jobs.
    """
    from gaussfit.batch import load_config, run_jobs
    from gaussfit.batch.summary import jobs_document, write_summary
    from gaussfit.report import batch_tables

    options.check_outputs((str(config),), output=output)
    loaded = load_config(config)
    jobs = _select(loaded.jobs, only)
    target = Path(output) if output is not None else loaded.output
    if target is not None and target.suffix.lower() not in (".csv", ".json"):
        raise ConfigError(f"--output: '{target}' must end in .csv or .json")
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
    count = workers or os.cpu_count() or 1
    with batch_tables.progress(env, len(jobs), enabled=not as_json) as advance:
        if dask_address is None:
            outcomes = run_jobs(jobs, workers=count, progress=advance)
        else:
            outcomes = _run_on_dask(jobs, dask_address, workers, advance)
    written = write_summary(target, outcomes) if target is not None else []
    if as_json:
        from gaussfit.report.json_out import dumps

        env.write(dumps(jobs_document(outcomes)))
    else:
        from gaussfit.report.screen import print_fitted_table

        table = batch_tables.summary_table(outcomes)
        whole = [c.header for c in table.columns if c.header not in ("estimates", "error")]
        errors = any(o.status != "ok" for o in outcomes)
        optional = ("seconds", "iters", "log-lik") + (() if errors else ("error",))
        print_fitted_table(console, table, keep_whole=whole, optional=optional)
    say_written(env, [str(path) for path in written])
    return 1 if any(o.status != "ok" for o in outcomes) else 0


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
