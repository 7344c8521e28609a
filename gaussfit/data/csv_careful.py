"""The reference CSV reader: line by line, so every problem is reported with its line number.

It is the only reader that decides what a file *means*. The fast reader is trusted only when it
reaches the same answer without complaint; otherwise this one runs and its verdict (values or
the first error) is the result. Values go into `array.array` buffers, 8 bytes per number.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

import numpy as np

from gaussfit.data.columns import Column, shorten
from gaussfit.data.csv_layout import Layout, number_problem
from gaussfit.data.line_map import LineMap, LineRuns
from gaussfit.data.text_format import NumberReader
from gaussfit.errors import DataError


def read_careful(
    lines: Iterable[tuple[int, str]],
    layout: Layout,
    source: str,
    value_column: Column,
    weight_column: Column | None,
    drop_missing: bool,
) -> tuple[np.ndarray, np.ndarray | None, int, LineMap]:
    """Read the value (and weight) column from content `lines`.

    Returns values, weights, the number of rows dropped, and the line of every value.
    `lines` are all content lines, header included when `layout` has one. With `drop_missing`,
    a row whose value or weight cell is empty, unreadable or not finite is skipped and counted;
    a row too short to have the column, or a negative weight, is an error either way.
    """
    rows = iter(lines)
    if layout.header is not None:
        next(rows, None)
    value_at = value_column.index
    weight_at = weight_column.index if weight_column is not None else -1
    width = max(value_at, weight_at) + 1
    split = layout.split
    number = layout.number
    runs = LineRuns()
    expected = -1
    values: array[float] = array("d")
    weights: array[float] = array("d")
    dropped = 0
    for lineno, text in rows:
        cells = split(text)
        if len(cells) < width:
            short = value_column if len(cells) <= value_at else weight_column
            assert short is not None
            raise DataError(
                f"{source}:{lineno}: {short.describe()}: missing "
                f"(the row has only {_cells(len(cells))})"
            )
        value = _finite(cells[value_at], number)
        weight = _finite(cells[weight_at], number) if weight_column is not None else 1.0
        if value is None or weight is None:
            if drop_missing:
                dropped += 1
                continue
            bad = value_column if value is None else weight_column
            assert bad is not None
            problem = number_problem(cells[bad.index].strip(), layout)
            raise DataError(f"{source}:{lineno}: {bad.describe()}: {problem}")
        if weight_column is not None:
            if weight < 0:
                raise DataError(
                    f"{source}:{lineno}: {weight_column.describe()}: "
                    f"negative weight {shorten(cells[weight_at].strip())}"
                )
            weights.append(weight)
        if lineno != expected:
            runs.start_run(len(values), lineno)
        expected = lineno + 1
        values.append(value)
    return (
        np.frombuffer(values, dtype=np.float64),
        np.frombuffer(weights, dtype=np.float64) if weight_column is not None else None,
        dropped,
        runs.build(),
    )


def _finite(cell: str, number: NumberReader) -> float | None:
    """The cell as a finite float, or None; the common case costs one `float` call."""
    value = number(cell.strip())
    if value is None or not math.isfinite(value):
        return None
    return value


def _cells(count: int) -> str:
    return "1 cell" if count == 1 else f"{count} cells"
