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


STATUS_STYLE = {
    "ok": "green",
    "not converged": "bold yellow",
    "failed": "bold red",
    "cancelled": "dim",
    "not run": "dim",
}
"""How each job status is shown: only a fit that reached the optimum is green."""


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
    """One row per job; the status says whether the optimiser converged (no separate column)."""
    from gaussfit.batch.summary import format_estimates

    counts = {status: sum(o.status == status for o in outcomes) for status in STATUS_STYLE}
    shown = [f"{counts[s]} {s}" for s in STATUS_STYLE if counts[s] or s in ("ok", "failed")]
    title = f"{count_of(len(outcomes), 'job')}: " + ", ".join(shown)
    table = Table(title=title, title_justify="left", box=None, header_style="bold")
    for column in ("job", "status", "family", "n", "estimates", "log-lik", "AIC", "iters"):
        table.add_column(column, overflow="fold")
    table.add_column("seconds")
    table.add_column("error", overflow="fold")
    for outcome in outcomes:
        s = outcome.summary
        table.add_row(
            escape(outcome.name),
            f"[{STATUS_STYLE[outcome.status]}]{outcome.status}[/]",
            s.get("family") or "-",
            _number(s.get("n")),
            escape(format_estimates(s.get("estimates")) or "-"),
            _number(s.get("loglik"), 8),
            _number(s.get("aic"), 8),
            _number(s.get("iterations")),
            f"{outcome.seconds:.2f}",
            escape(outcome.error or ""),
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
