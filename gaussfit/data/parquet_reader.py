"""Read one numeric column of a Parquet file, through the optional pyarrow dependency.

pyarrow is heavy and only needed here, so it is imported when a Parquet file is actually read;
without it the user gets the exact install command instead of an ImportError traceback.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gaussfit.data.columnar import ColumnData, build_dataset
from gaussfit.data.columns import Column, ColumnChoice, first_column, resolve_column
from gaussfit.data.dataset import Dataset
from gaussfit.data.text_source import check_readable_file
from gaussfit.errors import DataError

INSTALL_HINT = "pip install 'gaussfit[io]'"


def read_parquet(
    path: str, column: ColumnChoice, weights: ColumnChoice, drop_missing: bool
) -> Dataset:
    """Load `column` (default: the first integer or floating column) and optional `weights`."""
    check_readable_file(path)
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise DataError(
            f"{path}: reading Parquet files needs pyarrow; install it with {INSTALL_HINT}"
        ) from None
    try:
        parquet = pyarrow.parquet.ParquetFile(path)
        schema = parquet.schema_arrow
    except (pyarrow.ArrowException, OSError) as exc:
        raise DataError(f"{path}: not a valid Parquet file ({exc})") from None
    names = list(schema.names)

    def numeric(index: int) -> bool:
        kind = schema.types[index]
        return bool(pyarrow.types.is_integer(kind) or pyarrow.types.is_floating(kind))

    def checked(choice: ColumnChoice, role: str) -> Column:
        found = resolve_column(choice, names, len(names), path, role)
        if not numeric(found.index):
            raise DataError(
                f"{path}: {found.describe()} is not numeric ({schema.types[found.index]})"
            )
        return found

    weight_column = checked(weights, "weights column") if weights is not None else None
    if column is None:
        skip = weight_column.index if weight_column is not None else None
        value_column = first_column(len(names), names, numeric, path, skip)
    else:
        value_column = checked(column, "column")
    if value_column == weight_column:
        raise DataError(f"{path}: the weights column is the value {value_column.describe()}")
    try:
        value = _column_data(pyarrow, parquet, value_column)
        weight = None
        if weight_column is not None:
            weight = _column_data(pyarrow, parquet, weight_column)
    except (pyarrow.ArrowException, OSError) as exc:
        raise DataError(f"{path}: cannot read Parquet data ({exc})") from None
    return build_dataset(path, value, weight, drop_missing)


def _column_data(pyarrow: Any, parquet: Any, column: Column) -> ColumnData:
    """Read one column as float64; nulls become NaN in `numbers` and are flagged in `missing`."""
    chunked = parquet.read(columns=[parquet.schema_arrow.names[column.index]]).column(0)
    missing = None
    if chunked.null_count:
        missing = np.asarray(chunked.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    floats = chunked.cast(pyarrow.float64(), safe=False).to_numpy(zero_copy_only=False)
    return ColumnData(column, np.ascontiguousarray(floats, dtype=np.float64), missing)
