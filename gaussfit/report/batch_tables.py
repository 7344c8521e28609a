"""What ``gaussfit batch`` shows: the job plan, a progress bar, and the summary table."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from gaussfit.report.numbers import count_of

if TYPE_CHECKING:
    from gaussfit.batch import Job, JobOutcome
    from gaussfit.cli.environment import Environment


def plan_table(jobs: Sequence[Job], output: Path | None) -> Table:
    table = Table(
        title=f"{count_of(len(jobs), 'job')}; summary to {output or '(none)'}",
        title_justify="left",
        box=None,
        header_style="bold",
    )
    for column in ("job", "what", "options"):
        table.add_column(column)
    for job in jobs:
        shown = {k: v for k, v in job.options.items() if k != "dist" or not job.compare}
        table.add_row(
            escape(job.name),
            escape(job.describe()),
            escape(", ".join(f"{k}={v}" for k, v in shown.items()) or "-"),
        )
    return table


def _number(value: Any, digits: int = 6) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def summary_table(outcomes: Sequence[JobOutcome]) -> Table:
    from gaussfit.batch.summary import format_estimates, summary_rows

    failed = sum(o.status != "ok" for o in outcomes)
    title = f"{count_of(len(outcomes), 'job')}: {len(outcomes) - failed} ok, {failed} failed"
    table = Table(title=title, title_justify="left", box=None, header_style="bold")
    for column in (
        "job",
        "status",
        "family",
        "n",
        "estimates",
        "log-lik",
        "AIC",
        "converged",
        "iters",
        "seconds",
        "error",
    ):
        table.add_column(column, overflow="fold")
    for row in summary_rows(list(outcomes)):
        status = "[green]ok[/]" if row["status"] == "ok" else "[bold red]failed[/]"
        converged = row["converged"]
        table.add_row(
            escape(row["name"]),
            status,
            row["family"] or "-",
            _number(row["n"]),
            escape(format_estimates(row["estimates"]) or "-"),
            _number(row["loglik"], 8),
            _number(row["aic"], 8),
            "-" if converged is None else ("yes" if converged else "[yellow]NO[/]"),
            _number(row["iterations"]),
            f"{row['seconds']:.2f}",
            escape(row["error"] or ""),
        )
    return table


@contextmanager
def progress(
    env: Environment, total: int, *, enabled: bool
) -> Iterator[Callable[[JobOutcome], None] | None]:
    """A progress bar of jobs done on a terminal's stderr; nothing elsewhere."""
    if not (enabled and env.stderr_isatty):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("jobs"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=env.console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def advance(outcome: JobOutcome) -> None:
            bar.update(task, advance=1, description=escape(f"{outcome.name}: {outcome.status}"))

        yield advance
