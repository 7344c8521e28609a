"""Read delimited text (CSV, TSV, whitespace-separated) into a `Dataset`.

The layout and the columns are settled once from the first lines, then the rows are read by the
fast C path when the input is big and clean enough, else by the careful reader, whose verdict is
the reference either way: both paths give the same values and the same first error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice, pairwise

import numpy as np

from gaussfit.data.columns import Column, ColumnChoice, first_column, resolve_column
from gaussfit.data.csv_careful import read_careful
from gaussfit.data.csv_fast import read_fast
from gaussfit.data.csv_layout import Layout, sniff_layout
from gaussfit.data.dataset import Dataset
from gaussfit.data.line_map import LineMap, RescanLineMap
from gaussfit.data.text_format import TextFormat
from gaussfit.data.text_source import TextSource
from gaussfit.errors import DataError

FAST_PATH_MIN_BYTES = 1 << 20
"""Inputs at least this big try the C parser first; below it the careful reader is fast enough."""

ReadProgress = Callable[[float], None]
"""Told the fraction (0 to 1) of a file read so far, now and then, while it is read."""

_SNIFF_LINES = 20
_INDEX_MIN_ROWS = 3
_PLAIN_INTEGER = re.compile(r"[+-]?\d+")


def read_text(
    source: TextSource,
    column: ColumnChoice,
    weights: ColumnChoice,
    drop_missing: bool,
    fmt: TextFormat | None = None,
    progress: ReadProgress | None = None,
) -> Dataset:
    """Load one value column (and optionally a weight column) from a delimited text source.

    `progress`, when given, is told how far the reading got (files of known size only).
    """
    layout, value_column, weight_column, index = settle_columns(
        source, column, weights, fmt, skip_index=True
    )
    positions = [value_column.index] + ([weight_column.index] if weight_column is not None else [])
    fast = None
    size = source.size if source.path is not None else 0
    if source.size >= FAST_PATH_MIN_BYTES:
        phases = None
        if progress is not None and size:
            phases = (_share(progress, 0.0, size), _share(progress, 0.5, size))
        extra = [index.index] if index is not None else []
        fast = read_fast(source, layout, positions + extra, phases)
    notes: tuple[str, ...] = ()
    if index is not None:
        if fast is not None:
            counts_up, fast = _counts_up(fast[-1]), fast[:-1]
        else:
            counts_up = _careful_counts_up(source, layout, index)
        if not counts_up:
            return read_text(source, index.index, weights, drop_missing, fmt, progress)
        notes = (
            f"{index.describe()} counts up by one in every row, like a row index: fitted "
            f"{value_column.describe()} instead (pass --column to choose)",
        )
    lines: LineMap | RescanLineMap
    if fast is not None and (weight_column is None or not np.any(fast[1] < 0)):
        values, dropped = fast[0], 0
        weight_values = fast[1] if weight_column is not None else None
        lines = RescanLineMap(source, layout.header is not None)
    else:
        careful = _share(progress, 0.0, size, 1.0) if progress is not None and size else None
        values, weight_values, dropped, lines = read_careful(
            source.content_lines(careful),
            layout,
            source.name,
            value_column,
            weight_column,
            drop_missing,
        )
    described = value_column.describe()
    return Dataset(
        values=values,
        weights=weight_values,
        source=source.name,
        column=value_column.label,
        dropped=dropped,
        locate=lambda index: f"{source.name}:{lines.line_of(index)}: {described}",
        notes=notes,
    )


def _share(
    progress: ReadProgress, start: float, size: int, share: float = 0.5
) -> Callable[[int], None]:
    """Bytes read in one pass, as the fraction of the whole reading that this pass stands for."""
    return lambda done: progress(start + share * min(done, size) / size)


def settle_columns(
    source: TextSource,
    column: ColumnChoice,
    weights: ColumnChoice,
    fmt: TextFormat | None = None,
    *,
    skip_index: bool = False,
) -> tuple[Layout, Column, Column | None, Column | None]:
    """Sniff the layout from the first lines and resolve the value and weight columns.

    With `skip_index`, a default column that looks like a row index in the first lines is
    passed over; it is returned last (else None) so that the caller can check the whole column.
    """
    sample = list(islice(source.content_lines(), _SNIFF_LINES))
    if not sample:
        what = "empty file" if source.size == 0 else "no data (only blank lines and comments)"
        raise DataError(f"{source.name}: {what}")
    try:
        texts = [text for _, text in sample]
        layout = sniff_layout(texts, fmt, column_given=column is not None or weights is not None)
    except DataError as exc:
        raise DataError(f"{source.name}: {exc}") from None
    data_lines = sample[1:] if layout.header is not None else sample
    if not data_lines:
        raise DataError(f"{source.name}: no data rows (only a header line)")
    value_column, weight_column, index = _choose_columns(
        layout, data_lines, column, weights, source.name, skip_index
    )
    if value_column == weight_column:
        raise DataError(f"{source.name}: the weights column is the value {value_column.describe()}")
    return layout, value_column, weight_column, index


def _choose_columns(
    layout: Layout,
    data_lines: list[tuple[int, str]],
    column: ColumnChoice,
    weights: ColumnChoice,
    source: str,
    skip_index: bool,
) -> tuple[Column, Column | None, Column | None]:
    """Resolve the value and weight columns against the header, or the first row's width.

    A one-column file needs no guessing: its column is the value column even when the first
    value is malformed, so the error then names that value instead of "no numeric column".
    By default the first numeric column is taken, unless it counts 0, 1, 2, ... (or any other
    run of consecutive integers) down the sampled rows while another column holds numbers: such
    a column is a row index, not data, and is passed over (and returned last).
    """
    first_line = data_lines[0]
    first_row = layout.split(first_line[1])
    names = layout.header
    count = len(names) if names is not None else len(first_row)
    weight_column = (
        resolve_column(weights, names, count, source, "weights column")
        if weights is not None
        else None
    )
    if column is not None:
        return resolve_column(column, names, count, source), weight_column, None

    def first_value_numeric(index: int) -> bool:
        return index < len(first_row) and layout.number(first_row[index].strip()) is not None

    if count == 1:
        return Column(0, names[0] if names else None), weight_column, None
    skip = weight_column.index if weight_column is not None else None
    where = f"{source}:{first_line[0]}"
    chosen = first_column(count, names, first_value_numeric, where, skip)
    if not (skip_index and _is_row_index(layout, data_lines, chosen.index)):
        return chosen, weight_column, None

    def numeric_after(index: int) -> bool:
        return index > chosen.index and first_value_numeric(index)

    try:
        data = first_column(count, names, numeric_after, where, skip)
    except DataError:
        return chosen, weight_column, None
    return data, weight_column, chosen


def _is_row_index(layout: Layout, data_lines: list[tuple[int, str]], index: int) -> bool:
    """Whether the sampled cells of column `index` are consecutive integers (0, 1, 2, ...)."""
    if len(data_lines) < _INDEX_MIN_ROWS:
        return False
    numbers = []
    for _, text in data_lines:
        cells = layout.split(text)
        cell = cells[index].strip() if index < len(cells) else ""
        if not _PLAIN_INTEGER.fullmatch(cell):
            return False
        numbers.append(int(cell))
    return all(b - a == 1 for a, b in pairwise(numbers))


def _careful_counts_up(source: TextSource, layout: Layout, index: Column) -> bool:
    """`_counts_up` for column `index`, read by the careful reader (False if it cannot be)."""
    try:
        numbers = read_careful(source.content_lines(), layout, source.name, index, None, False)
    except DataError:
        return False
    return _counts_up(numbers[0])


def _counts_up(numbers: np.ndarray) -> bool:
    """Whether every number is an integer one more than the one before."""
    return bool(np.all(np.floor(numbers) == numbers) and np.all(np.diff(numbers) == 1))
