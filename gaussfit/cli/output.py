"""What fit-like commands share after the fit: the ``source`` object, files, the screen."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from gaussfit.cli.environment import Environment

if TYPE_CHECKING:
    from gaussfit.data import Dataset
    from gaussfit.fitting import FitResult


def source_of(dataset: Dataset, weights_column: str | None) -> dict[str, object]:
    """The ``source`` object of the JSON: where the numbers came from."""
    return {
        "path": dataset.source,
        "column": dataset.column,
        "weights": weights_column,
        "dropped": dataset.dropped,
    }


def write_file(path: str | os.PathLike[str], payload: str | bytes) -> None:
    """``payload`` in ``path``, replaced whole or not at all (text as UTF-8); an OSError that
    does not say which file (a full disk fails in ``write``) is given the file's name."""
    from gaussfit.data import atomic_write_bytes

    try:
        atomic_write_bytes(path, payload.encode("utf-8") if isinstance(payload, str) else payload)
    except OSError as error:
        if error.filename is None:
            raise OSError(error.errno, error.strerror or str(error), os.fspath(path)) from None
        raise


def say_written(env: Environment, paths: list[str]) -> None:
    """``wrote FILE`` on stderr for each file written: the same words in every command, with or
    without ``--quiet`` and ``--json``, and never mixed into the results on stdout."""
    if not paths:
        return
    console = env.console(stderr=True)
    for path in paths:
        console.print(f"wrote {path}", style="dim", soft_wrap=True)


def write_fit(result: FitResult, path: str, kind: str) -> None:
    """The fit as JSON or CSV in ``path``, replaced whole or not at all."""
    if kind == "json":
        from gaussfit.report.json_out import dumps, fit_document

        write_file(path, dumps(fit_document(result)))
    else:
        from gaussfit.report.csv_out import fit_csv

        write_file(path, fit_csv(result))


def show_fit(
    env: Environment,
    result: FitResult,
    *,
    title: str,
    every: int | None,
    as_json: bool,
    quiet: bool,
    truth: dict[str, float] | None = None,
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
