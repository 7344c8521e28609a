"""The fit report as people read it: header, iterations, estimates, statistics, messages.

The order tells the lab's story: what was fitted, how the optimiser climbed, what it found next
to the closed form and scipy's answer (and the truth, for simulated data), and how much to trust
it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from gaussfit.data.columns import column_phrase
from gaussfit.report import tables
from gaussfit.report.numbers import assignments, num

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rich.console import Console

    from gaussfit.fitting import CompareResult, FitResult


def header(result: FitResult, title: str, truth: dict[str, float] | None = None) -> Table:
    """What was fitted to what: source, column, n, family and the optimiser's settings."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    data, weights = describe_data(result, truth)
    grid.add_row("data", data)
    if weights:
        grid.add_row("weights", weights)
    grid.add_row("family", f"{result.distribution}: {title}" if title else result.distribution)
    settings = result.settings
    parts = [result.optimizer]
    if settings.get("lr") is not None:
        parts.append(f"lr {num(settings['lr'], 4)}")
    parts.append(f"at most {settings.get('max_iter')} iterations")
    parts.append(f"tol {num(settings.get('tol'), 3)}")
    parts.append(f"{settings.get('space')} space")
    grid.add_row("optimizer", ", ".join(parts))
    if result.fixed:
        grid.add_row("fixed", assignments(result.fixed))
    return grid


def describe_data(result: FitResult, truth: dict[str, float] | None) -> tuple[str, str | None]:
    """``(data, weights)``: where the numbers came from and the weights column, if any."""
    source = result.source or {}
    if source.get("simulated"):
        seed = source.get("seed")
        data = f"{result.n} draws from {result.distribution}({assignments(truth or {})})"
        data += f", seed {seed}" if seed is not None else ", no seed"
    elif not source.get("path"):
        data = f"{result.n} values"
    else:
        column = column_phrase(str(source.get("column", "?")), quoted=False)
        data = f"{source.get('path', '?')}, {column}, n = {result.n}"
        if source.get("dropped"):
            data += f" ({source['dropped']} rows with missing values dropped)"
    weights = f"column {source['weights']}" if source.get("weights") else None
    return data, weights


def print_fit(
    console: Console,
    result: FitResult,
    *,
    title: str = "",
    every: int | None = None,
    truth: dict[str, float] | None = None,
    quiet: bool = False,
) -> None:
    """The whole fit report on ``console``; with ``quiet`` only the results table."""
    if quiet:
        console.print(tables.results_table(result, truth))
        return
    console.print(header(result, title, truth))
    console.print()
    passes = result.settings.get("passes")
    console.print(tables.iteration_table(result.trace, every, passes))
    console.print(tables.results_table(result, truth))
    boot = tables.bootstrap_table(result)
    if boot is not None:
        console.print(boot)
    console.print(tables.fit_statistics(result))
    console.print(tables.messages(result), soft_wrap=True)


def fit_text(result: FitResult, width: int | None = None) -> str:
    """The report ``gaussfit fit`` prints, as plain text (what ``print(result)`` shows)."""
    return _render(lambda console: print_fit(console, result), width)


def compare_text(result: CompareResult, width: int | None = None) -> str:
    """The ranking ``gaussfit compare`` prints, as plain text (``print(ranked)``)."""
    if not result.ranking:
        failed = "; ".join(f"{k}: {v}" for k, v in result.failed.items())
        return f"no family could be fitted ({failed})" if failed else "no families compared"
    return _render(lambda console: print_compare(console, result), width)


def _render(draw: Callable[[Console], None], width: int | None) -> str:
    """What ``draw`` prints on a console without colour, as text without trailing spaces."""
    import io
    import shutil

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or shutil.get_terminal_size((100, 24)).columns,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
    )
    draw(console)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip("\n")


def print_warnings(console: Console, result: FitResult) -> None:
    """Warnings and identifiability flags alone (for stderr under ``--quiet``)."""
    console.print(tables.messages(result, notes=False), soft_wrap=True)


def print_compare(console: Console, result: CompareResult, skipped: Sequence[str] = ()) -> None:
    """The data, the ranking table, then failures, skipped families and the fits' notes."""
    best = result.ranking[0]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    data, weights = describe_data(best, None)
    grid.add_row("data", data)
    if weights:
        grid.add_row("weights", weights)
    console.print(grid)
    console.print(tables.compare_table(result))
    console.print(tables.failed_lines(result, skipped), soft_wrap=True)
    notes = dict.fromkeys(note for fit in result.ranking for note in fit.notes)
    for note in notes:
        console.print(f"note: {note}", style="dim", soft_wrap=True)
