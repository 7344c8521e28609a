"""Read delimited text (CSV, TSV, whitespace-separated) into a `Dataset`.

The layout and the columns are settled once from the first lines, then the rows are read by the
fast C path when the input is big and clean enough, else by the careful reader, whose verdict is
the reference either way: both paths give the same values and the same first error.
"""

from __future__ import annotations

from itertools import islice

import numpy as np

from gaussfit.data.columns import Column, ColumnChoice, first_column, resolve_column
from gaussfit.data.csv_careful import read_careful
from gaussfit.data.csv_fast import read_fast
from gaussfit.data.csv_layout import Layout, parse_number, sniff_layout
from gaussfit.data.dataset import Dataset
from gaussfit.data.text_source import TextSource
from gaussfit.errors import DataError

FAST_PATH_MIN_BYTES = 1 << 20
"""Inputs at least this big try the C parser first; below it the careful reader is fast enough."""

_SNIFF_LINES = 20


def read_text(
    source: TextSource,
    column: ColumnChoice,
    weights: ColumnChoice,
    drop_missing: bool,
) -> Dataset:
    """Load one value column (and optionally a weight column) from a delimited text source."""
    layout, value_column, weight_column = settle_columns(source, column, weights)
    positions = [value_column.index] + ([weight_column.index] if weight_column is not None else [])
    fast = None
    if source.size >= FAST_PATH_MIN_BYTES:
        fast = read_fast(source, layout, positions)
    if fast is not None and (weight_column is None or not np.any(fast[1] < 0)):
        values, dropped = fast[0], 0
        weight_values = fast[1] if weight_column is not None else None
    else:
        values, weight_values, dropped = read_careful(
            source.content_lines(), layout, source.name, value_column, weight_column, drop_missing
        )
    return Dataset(
        values=values,
        weights=weight_values,
        source=source.name,
        column=value_column.label,
        dropped=dropped,
    )


def settle_columns(
    source: TextSource, column: ColumnChoice, weights: ColumnChoice
) -> tuple[Layout, Column, Column | None]:
    """Sniff the layout from the first lines and resolve the value and weight columns."""
    sample = list(islice(source.content_lines(), _SNIFF_LINES))
    if not sample:
        what = "empty file" if source.size == 0 else "no data (only blank lines and comments)"
        raise DataError(f"{source.name}: {what}")
    layout = sniff_layout([text for _, text in sample])
    data_lines = sample[1:] if layout.header is not None else sample
    if not data_lines:
        raise DataError(f"{source.name}: no data rows (only a header line)")
    value_column, weight_column = _choose_columns(
        layout, data_lines[0], column, weights, source.name
    )
    if value_column == weight_column:
        raise DataError(f"{source.name}: the weights column is the value {value_column.describe()}")
    return layout, value_column, weight_column


def _choose_columns(
    layout: Layout,
    first_line: tuple[int, str],
    column: ColumnChoice,
    weights: ColumnChoice,
    source: str,
) -> tuple[Column, Column | None]:
    """Resolve the value and weight columns against the header, or the first row's width.

    A one-column file needs no guessing: its column is the value column even when the first
    value is malformed, so the error then names that value instead of "no numeric column".
    """
    first_row = layout.split(first_line[1])
    names = layout.header
    count = len(names) if names is not None else len(first_row)
    weight_column = (
        resolve_column(weights, names, count, source, "weights column")
        if weights is not None
        else None
    )
    if column is not None:
        return resolve_column(column, names, count, source), weight_column

    def first_value_numeric(index: int) -> bool:
        return index < len(first_row) and parse_number(first_row[index].strip()) is not None

    if count == 1:
        return Column(0, names[0] if names else None), weight_column
    skip = weight_column.index if weight_column is not None else None
    where = f"{source}:{first_line[0]}"
    return first_column(count, names, first_value_numeric, where, skip), weight_column
