"""What fit-like commands share after the fit: the ``source`` object, files, the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gaussfit.cli.environment import Environment

if TYPE_CHECKING:
    from gaussfit.data import Dataset
    from gaussfit.data.observations import Observations
    from gaussfit.fitting import FitResult


def source_of(dataset: Dataset | Observations, weights_column: str | None) -> dict[str, object]:
    """The ``source`` object of the JSON: where the numbers came from."""
    return {
        "path": dataset.source,
        "column": dataset.column,
        "weights": weights_column,
        "dropped": dataset.dropped,
    }


def write_fit(result: FitResult, path: str, kind: str) -> None:
    """The fit as JSON or CSV in ``path``, replaced whole or not at all."""
    from gaussfit.data import atomic_write_text

    if kind == "json":
        from gaussfit.report.json_out import dumps, fit_document

        atomic_write_text(path, dumps(fit_document(result)))
    else:
        from gaussfit.report.csv_out import fit_csv

        atomic_write_text(path, fit_csv(result))


def show_fit(
    env: Environment,
    result: FitResult,
    *,
    title: str,
    every: int | None,
    as_json: bool,
    quiet: bool,
    truth: dict[str, float] | None = None,
    written: list[str] | None = None,
) -> None:
    """Print the fit: one JSON object, the results table alone, or the whole report."""
    if as_json:
        from gaussfit.report.json_out import dumps, fit_document

        env.write(dumps(fit_document(result, truth=truth)))
        return
    from gaussfit.report import screen

    console = env.console()
    screen.print_fit(console, result, title=title, every=every, truth=truth, quiet=quiet)
    if quiet:
        screen.print_warnings(env.console(stderr=True), result)
        return
    for path in written or ():
        console.print(f"wrote {path}", style="dim")
