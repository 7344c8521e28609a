"""Read one column of many files as a Dask array, for fits whose sums run on a cluster.

The files are opened by ``dask.dataframe`` on the workers, a block at a time, so nothing is
gathered on the client. The columns are chosen as ``load_data`` chooses them: for text, the
layout and the columns are settled from the first file with the same sniffer and rules (the
other files must share them); for Parquet, from the first file's schema. Unlike ``load_data``,
a bad cell is reported by file and message but without its line: the C parser that reads the
blocks on the workers does not count lines.
"""

from __future__ import annotations

import glob
import os
from typing import Any

import numpy as np

from gaussfit.data.columns import Column, ColumnChoice, first_column, resolve_column
from gaussfit.data.csv_layout import SINGLE, WHITESPACE
from gaussfit.data.csv_reader import settle_columns
from gaussfit.data.text_source import TextSource
from gaussfit.errors import DataError

_PARQUET_SUFFIXES = (".parquet", ".pq")
_SEPARATORS = {WHITESPACE: r"\s+", SINGLE: ","}


def read_dask_columns(
    pattern: str, column: ColumnChoice, weights: ColumnChoice
) -> tuple[Any, Any, str]:
    """The value column (and weight column) of every file matching ``pattern`` as 1-D Dask
    arrays with known partition lengths, and the value column's label."""
    files = sorted(glob.glob(pattern)) or ([pattern] if os.path.exists(pattern) else [])
    if not files:
        raise DataError(f"{pattern}: no such file")
    if os.path.splitext(files[0])[1].lower() in _PARQUET_SUFFIXES:
        frame, value_column, weight_column = _parquet(files, column, weights)
    else:
        frame, value_column, weight_column = _text(files, column, weights)
    values = frame.iloc[:, 0].astype(np.float64).to_dask_array(lengths=True)
    weight_values = None
    if weight_column is not None:
        weight_values = frame.iloc[:, 1].astype(np.float64).to_dask_array(lengths=True)
    return values, weight_values, value_column.label


def _text(files: list[str], column: ColumnChoice, weights: ColumnChoice) -> tuple[Any, Column, Any]:
    import dask.dataframe as dd

    layout, value_column, weight_column, _ = settle_columns(
        TextSource.from_path(files[0]), column, weights
    )
    wanted = [value_column.index] + ([weight_column.index] if weight_column is not None else [])
    frame = dd.read_csv(
        files,
        sep=_SEPARATORS.get(layout.delimiter, layout.delimiter),
        header=0 if layout.header is not None else None,
        usecols=wanted,
        comment="#",
        quotechar='"',
        skip_blank_lines=True,
        skipinitialspace=True,
        na_filter=False,
        dtype=np.float64,
        engine="c",
        decimal=layout.decimal,
    )
    order = sorted(wanted)
    return frame.iloc[:, [order.index(i) for i in wanted]], value_column, weight_column


def _parquet(
    files: list[str], column: ColumnChoice, weights: ColumnChoice
) -> tuple[Any, Column, Any]:
    import dask.dataframe as dd
    import pyarrow
    import pyarrow.parquet

    try:
        schema = pyarrow.parquet.read_schema(files[0])
    except (pyarrow.ArrowException, OSError) as exc:
        raise DataError(f"{files[0]}: not a valid Parquet file ({exc})") from None
    names = list(schema.names)

    def numeric(index: int) -> bool:
        kind = schema.types[index]
        return bool(pyarrow.types.is_integer(kind) or pyarrow.types.is_floating(kind))

    weight_column = (
        resolve_column(weights, names, len(names), files[0], "weights column")
        if weights is not None
        else None
    )
    if column is None:
        skip = weight_column.index if weight_column is not None else None
        value_column = first_column(len(names), names, numeric, files[0], skip)
    else:
        value_column = resolve_column(column, names, len(names), files[0])
    for chosen in (value_column, weight_column):
        if chosen is not None and not numeric(chosen.index):
            raise DataError(
                f"{files[0]}: {chosen.describe()} is not numeric ({schema.types[chosen.index]})"
            )
    wanted = [names[value_column.index]]
    if weight_column is not None:
        wanted.append(names[weight_column.index])
    return dd.read_parquet(files, columns=wanted), value_column, weight_column
