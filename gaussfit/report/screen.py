"""The fit report as people read it: header, iterations, estimates, statistics, messages.

The order tells the lab's story: what was fitted, how the optimiser climbed, what it found next
to the closed form and scipy's answer (and the truth, for simulated data), and how much to trust
it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from gaussfit.data.columns import column_phrase
from gaussfit.report import derived_tables, tables
from gaussfit.report.numbers import assignments, count_of, num

if TYPE_CHECKING:
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
    for label, text in censoring_rows(result):
        grid.add_row(label, text)
    grid.add_row("family", f"{result.distribution}: {title}" if title else result.distribution)
    if result.method is not None:
        grid.add_row("method", method_phrase(result.method))
    settings = result.settings
    parts = [result.optimizer]
    if settings.get("lr") is not None:
        parts.append(f"lr {num(settings['lr'], 4)}")
    parts.append(f"at most {settings.get('max_iter')} iterations")
    parts.append(f"tol {num(settings.get('tol'), 3)}")
    parts.append(f"{settings.get('space')} space")
    if result.optimizer not in tables.SOLVED:
        grid.add_row("optimizer", ", ".join(parts))
    if result.fixed:
        grid.add_row("fixed", assignments(result.fixed))
    return grid


def method_phrase(method: dict[str, Any]) -> str:
    """The estimator in words, e.g. 'mge: maximum goodness of fit, AD distance'."""
    from gaussfit.fitting.estimation import Method

    probs = tuple(method.get("probs") or ())
    return Method(method["name"], probs, method.get("distance")).describe()


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
            data += f" ({count_of(source['dropped'], 'row')} with missing values dropped)"
    weights = f"column {source['weights']}" if source.get("weights") else None
    return data, weights


def censoring_rows(result: FitResult) -> list[tuple[str, str]]:
    """``censoring`` and ``truncation`` rows: how many values of each kind, and the window."""
    if result.censoring is None:
        return []
    counts = result.censoring
    words = {"exact": "exact", "left": "left-censored", "right": "right-censored"}
    words["interval"] = "interval-censored"
    parts = [f"{counts[k]} {w}" for k, w in words.items() if counts.get(k)]
    rows = [("censoring", ", ".join(parts) or "none")]
    window = counts.get("truncation")
    if window is not None:
        low = "-inf" if window["lower"] is None else num(window["lower"], 6)
        high = "inf" if window["upper"] is None else num(window["upper"], 6)
        text = (
            f"[{low}, {high}]" if window["lower"] is not None or window["upper"] is not None else ""
        )
        if window.get("delayed_entry"):
            text = (text + " and " if text else "") + "per-row entry times (delayed entry)"
        rows.append(("truncation", text))
    return rows


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
        print_results(console, result, truth)
        return
    console.print(header(result, title, truth))
    console.print()
    passes = result.settings.get("passes")
    objective = "log p(X)" if result.method is None else "score"
    if result.optimizer not in tables.SOLVED:
        console.print(tables.iteration_table(result.trace, every, passes, objective))
    print_results(console, result, truth)
    boot = tables.bootstrap_table(result)
    if boot is not None:
        console.print(boot)
    quantities = derived_tables.quantity_table(result)
    if quantities is not None and tables.natural_width(console, quantities) > console.width:
        quantities = derived_tables.quantity_table(result, stacked=True)
    for derived in (derived_tables.profile_table(result), quantities):
        if derived is not None:
            console.print(derived)
    console.print(tables.fit_statistics(result))
    console.print(tables.messages(result))


def print_results(console: Console, result: FitResult, truth: dict[str, float] | None) -> None:
    """The results table, without its reference columns when the screen is too narrow."""
    table, left_out = tables.fitted(
        console, tables.results_table(result, truth), tables.RESULTS_OPTIONAL
    )
    if left_out:
        table.caption = (table.caption + "\n" if table.caption else "") + narrow_note(left_out)
        table.caption_justify = "left"
    console.print(table)


def narrow_note(left_out: Sequence[str]) -> str:
    """Which columns a narrow screen left out, and how to get them back."""
    return f"({', '.join(left_out)} left out to fit {COLUMNS_HINT})"


COLUMNS_HINT = "the width; set COLUMNS wider to see them"


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
    console.print(tables.messages(result, notes=False))


def print_compare(console: Console, result: CompareResult, *, quiet: bool = False) -> None:
    """The data, the ranking table (and on counts the continuous fits, apart), then failures,
    skipped families and the fits' notes; with ``quiet`` the tables alone."""
    fits = [*result.ranking, *result.apart]
    if not quiet:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        data, weights = describe_data(fits[0], None)
        grid.add_row("data", data)
        if weights:
            grid.add_row("weights", weights)
        for label, text in censoring_rows(fits[0]):
            grid.add_row(label, text)
        if fits[0].method is not None:
            grid.add_row("method", method_phrase(fits[0].method))
        console.print(grid)
    if result.ranking:
        print_ranking(console, result, result.ranking, None)
    if result.apart:
        print_ranking(
            console,
            result,
            result.apart,
            "Continuous families, apart: the data are counts, and these densities are not on "
            "the scale of the probabilities above (their ΔAIC and weights compare them with "
            "each other only)",
        )
    if quiet:
        return
    console.print(tables.failed_lines(result))
    notes = dict.fromkeys(note for fit in fits for note in fit.notes)
    for note in notes:
        console.print(f"note: {note}", style="dim")


def print_ranking(
    console: Console, result: CompareResult, fits: Sequence[FitResult], title: str | None
) -> None:
    """One compare table that fits the screen: when the estimates do not fit on their rows,
    they are listed below the table, one family a line."""
    table = tables.compare_table(result, fits, title)
    separate = tables.natural_width(console, table) > console.width
    if separate:
        tables.without_columns(table, ["estimates"])
    table, left_out = tables.fitted(console, table, tables.COMPARE_OPTIONAL)
    if left_out:
        table.caption = (table.caption + "\n" if table.caption else "") + narrow_note(left_out)
        table.caption_justify = "left"
    console.print(table)
    if separate:
        if table.caption:
            console.print()
        console.print(Text("Estimates", style="italic"))
        console.print(tables.estimates_lines(fits))
        console.print()


def print_dists(console: Console, records: Sequence[dict[str, Any]]) -> None:
    """The families' table; on a narrow screen one parameter group a line, then without the
    aliases (and a note saying so)."""
    table = tables.dists_table(records)
    if tables.natural_width(console, table) > console.width:
        table = tables.dists_table(records, stacked=True)
    table, left_out = tables.fitted(console, table, tables.DISTS_OPTIONAL)
    if left_out:
        table.caption = narrow_note(left_out)
        table.caption_justify = "left"
    console.print(table)


def print_fitted_table(
    console: Console,
    table: Table,
    *,
    keep_whole: Sequence[str] = (),
    optional: Sequence[str] = (),
    listed: str = "estimates",
) -> None:
    """A table whose ``listed`` column, when the table is too wide for the screen, is printed
    under it instead, one row a line, headed by the first column (so no cell is folded into
    a tower of fragments); then ``optional`` columns are left out, in order, until it fits."""
    for column in table.columns:
        if column.header in keep_whole:
            column.no_wrap = True
    if tables.natural_width(console, table) <= console.width:
        console.print(table)
        return
    names = next(iter(table.columns))
    moved = next((c for c in table.columns if c.header == listed), None)
    if moved is None:
        console.print(table)
        return
    pairs = list(zip(names.cells, moved.cells, strict=True))
    tables.without_columns(table, [listed])
    table, left_out = tables.fitted(console, table, optional)
    if left_out:
        table.caption = narrow_note(left_out)
        table.caption_justify = "left"
    console.print(table)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for name, cell in pairs:
        grid.add_row(name, cell)
    console.print(Text(listed.capitalize(), style="italic"))
    console.print(grid)
