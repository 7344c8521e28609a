"""`load_data`: one entry point that picks the reader from the path.

Callers (CLI, batch runner, tests) should not care whether the numbers came from a spreadsheet
export, a pipe, a NumPy dump or a Parquet table; they get the same `Dataset` and the same
one-line `DataError` wording for the same mistake.
"""

from __future__ import annotations

import os
from typing import BinaryIO, TextIO

from gaussfit.data.csv_reader import ReadProgress, read_text
from gaussfit.data.dataset import Dataset
from gaussfit.data.npy_reader import read_npy
from gaussfit.data.parquet_reader import read_parquet
from gaussfit.data.text_format import TextFormat
from gaussfit.data.text_source import TextSource
from gaussfit.errors import ConfigError

STDIN_PATH = "-"
_PARQUET_SUFFIXES = (".parquet", ".pq")


def load_data(
    path: str | os.PathLike[str],
    column: str | int | None = None,
    *,
    weights: str | int | None = None,
    drop_missing: bool = False,
    stdin: TextIO | BinaryIO | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    currency: str | None = None,
    progress: ReadProgress | None = None,
) -> Dataset:
    """Read one column of numbers (and optionally a column of weights) from `path`.

    `path` is a delimited text file (comma, tab, semicolon or whitespace; header optional),
    ``"-"`` for standard input (`stdin`, else `sys.stdin`), a ``.npy`` array or a ``.parquet``
    table. `column` is a header name or a 0-based index (a string of digits is an index unless a
    header column has that name); by default the first numeric column. With `drop_missing`, rows
    whose value or weight is empty, unreadable, NaN or infinite are skipped and counted in
    `Dataset.dropped` instead of raising. Every problem raises `DataError` with a one-line message
    naming the file, and for text the 1-based line and the column.

    Text is read once, as a stream when it is not a regular file (a pipe, a FIFO, a device), and
    no line may be longer than `text_source.MAX_LINE_BYTES` (1 MiB). The layout is worked out from
    the first lines; `sep` (a character, ``"tab"`` or ``"space"``), `decimal` (``"."`` or
    ``","``), `thousands` (``","``, ``"."``, ``"'"``, ``"_"`` or ``"space"``) and `currency` (a
    mark such as ``"$"`` allowed before or after each number) say what need not be guessed.
    `progress` is told the fraction of a large text file read so far.
    """
    name = os.fspath(path)
    fmt = TextFormat.from_options(sep, decimal, thousands, currency)
    if name == STDIN_PATH:
        source = TextSource.from_stream(stdin)
        return read_text(source, column, weights, drop_missing, fmt)
    suffix = os.path.splitext(name)[1].lower()
    if suffix in (".npy", *_PARQUET_SUFFIXES) and fmt != TextFormat():
        raise ConfigError(
            f"{name}: --sep, --decimal, --thousands and --currency describe text files; "
            "this one holds numbers already"
        )
    if suffix == ".npy":
        return read_npy(name, column, weights, drop_missing)
    if suffix in _PARQUET_SUFFIXES:
        return read_parquet(name, column, weights, drop_missing)
    source = TextSource.from_path(name)
    return read_text(source, column, weights, drop_missing, fmt, progress)
