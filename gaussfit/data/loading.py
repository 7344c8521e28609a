"""`load_data`: one entry point that picks the reader from the path.

Callers (CLI, batch runner, tests) should not care whether the numbers came from a spreadsheet
export, a pipe, a NumPy dump or a Parquet table; they get the same `Dataset` and the same
one-line `DataError` wording for the same mistake.
"""

from __future__ import annotations

import os
from typing import BinaryIO, TextIO

from gaussfit.data.csv_reader import read_text
from gaussfit.data.dataset import Dataset
from gaussfit.data.npy_reader import read_npy
from gaussfit.data.parquet_reader import read_parquet
from gaussfit.data.text_source import TextSource

STDIN_PATH = "-"
_PARQUET_SUFFIXES = (".parquet", ".pq")


def load_data(
    path: str | os.PathLike[str],
    column: str | int | None = None,
    *,
    weights: str | int | None = None,
    drop_missing: bool = False,
    stdin: TextIO | BinaryIO | None = None,
) -> Dataset:
    """Read one column of numbers (and optionally a column of weights) from `path`.

    `path` is a delimited text file (comma, tab, semicolon or whitespace; header optional),
    ``"-"`` for standard input (`stdin`, else `sys.stdin`), a ``.npy`` array or a ``.parquet``
    table. `column` is a header name or a 0-based index (a string of digits is an index unless a
    header column has that name); by default the first numeric column. With `drop_missing`, rows
    whose value or weight is empty, unreadable, NaN or infinite are skipped and counted in
    `Dataset.dropped` instead of raising. Every problem raises `DataError` with a one-line message
    naming the file, and for text the 1-based line and the column.
    """
    name = os.fspath(path)
    if name == STDIN_PATH:
        return read_text(TextSource.from_stream(stdin), column, weights, drop_missing)
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".npy":
        return read_npy(name, column, weights, drop_missing)
    if suffix in _PARQUET_SUFFIXES:
        return read_parquet(name, column, weights, drop_missing)
    return read_text(TextSource.from_path(name), column, weights, drop_missing)
