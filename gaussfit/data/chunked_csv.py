"""Read a delimited text file in chunks of rows, as many times as a fit needs, in bounded memory.

A file larger than memory cannot become a `Dataset`, but a log-likelihood is a sum over rows, so
a fit only needs to see the rows a chunk at a time. The layout and the columns are settled once,
exactly as `load_data` settles them (same sniffer, same column rules, same messages); each pass
then reads chunks with the C parser when the file suits it, and with the careful reader
otherwise. Should the C parser balk at some chunk, the careful reader takes over from the first
row not yet given, so the rows (and the first error, with its line) are the careful reader's.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from gaussfit.data.columns import Column, ColumnChoice
from gaussfit.data.csv_careful import read_careful
from gaussfit.data.csv_fast import FastChunkRefused, read_fast_chunks, suits_fast_chunks
from gaussfit.data.csv_layout import Layout
from gaussfit.data.csv_reader import settle_columns
from gaussfit.data.text_format import TextFormat
from gaussfit.data.text_source import TextSource
from gaussfit.errors import DataError

_WHOLE_FILE_SUFFIXES = (".npy", ".parquet", ".pq")

DEFAULT_CHUNK_ROWS = 1_000_000
"""The most rows per chunk chosen automatically: beyond it, bigger chunks save no time."""

BYTES_PER_ROW = 200
"""Memory a chunk takes per row while it is parsed and evaluated (about 100 bytes measured for
a Weibull fit of 10^7 rows: the parsed column and the graph's intermediates), with a margin."""

MEMORY_BUDGET_FRACTION = 0.25
"""Without a budget of its own, ``gaussfit fit`` reads a text file in chunks when the file is
larger than this fraction of the memory available: parsed numbers take about as many bytes as
their text, and an in-memory fit's intermediates several times that."""

Chunk = tuple[np.ndarray, np.ndarray | None]


@dataclass
class ChunkedCsv:
    """One column (and optional weight column) of a text file, readable chunk by chunk.

    ``rows`` bounds the rows held at once. ``dropped`` counts the rows ``drop_missing`` skipped
    in the last complete pass.
    """

    source: TextSource
    layout: Layout
    value_column: Column
    weight_column: Column | None
    rows: int
    drop_missing: bool = False
    dropped: int = 0
    _fast: bool | None = field(default=None, repr=False)
    """Whether the C parser reads this file: settled by the first pass, kept for the rest."""

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def column(self) -> str:
        return self.value_column.label

    @property
    def weighted(self) -> bool:
        return self.weight_column is not None

    def chunks(self) -> Iterator[Chunk]:
        """Yield (values, weights) chunks of at most ``rows`` rows, from the top of the file."""
        if self._fast is None:
            self._fast = not self.drop_missing and suits_fast_chunks(self.source, self.layout)
        given = 0
        if self._fast:
            try:
                for columns in read_fast_chunks(
                    self.source, self.layout, self._positions(), self.rows
                ):
                    given += len(columns[0])
                    yield columns[0], columns[1] if self.weighted else None
            except FastChunkRefused:
                self._fast = False
            else:
                self.dropped = 0
                return
        self.dropped = yield from self._careful_chunks(skip=given)

    def _positions(self) -> list[int]:
        weight = [self.weight_column.index] if self.weight_column is not None else []
        return [self.value_column.index, *weight]

    def _careful_chunks(self, skip: int) -> Generator[Chunk, None, int]:
        """Careful chunks from data row ``skip`` on; returns how many rows were dropped."""
        dropped = 0
        lines = self.source.content_lines()
        if self.layout.header is not None:
            next(lines, None)
        rows = islice(lines, skip, None)
        plain = self.layout.without_header()
        while True:
            block = list(islice(rows, self.rows))
            if not block:
                return dropped
            values, weights, skipped, _ = read_careful(
                block,
                plain,
                self.source.name,
                self.value_column,
                self.weight_column,
                self.drop_missing,
            )
            dropped += skipped
            if len(values):
                yield values, weights


def available_memory() -> int | None:
    """Bytes of memory available now (Linux and most Unixes), or None where unknown."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def chunk_rows_for(budget: int | None) -> int:
    """Rows per chunk that keep a chunk's memory within ``budget`` bytes (by default
    ``MEMORY_BUDGET_FRACTION`` of the available memory), between 1,000 and
    ``DEFAULT_CHUNK_ROWS``. The interpreter and its libraries come on top."""
    if budget is None:
        available = available_memory()
        budget = int(MEMORY_BUDGET_FRACTION * available) if available else 0
    return max(1_000, min(DEFAULT_CHUNK_ROWS, budget // BYTES_PER_ROW))


def needs_chunks(path: str, budget: int | None = None) -> bool:
    """Whether the text file at ``path`` is larger than ``budget`` bytes (by default
    ``MEMORY_BUDGET_FRACTION`` of the available memory) and should be read in chunks."""
    if path == "-" or os.path.splitext(path)[1].lower() in _WHOLE_FILE_SUFFIXES:
        return False
    if budget is None:
        available = available_memory()
        if available is None:
            return False
        budget = int(MEMORY_BUDGET_FRACTION * available)
    try:
        return os.path.getsize(path) > budget
    except OSError:
        return False


def open_chunked_csv(
    path: str | os.PathLike[str],
    rows: int,
    column: ColumnChoice = None,
    *,
    weights: ColumnChoice = None,
    drop_missing: bool = False,
    text_format: TextFormat | None = None,
) -> ChunkedCsv:
    """Settle the layout and columns of the text file at ``path`` as `load_data` would
    (`text_format` says what the sniffer need not guess, as `load_data`'s options do)."""
    name = os.fspath(path)
    if rows < 1:
        raise DataError(f"chunk size must be at least 1 row, not {rows}")
    if name == "-" or os.path.splitext(name)[1].lower() in _WHOLE_FILE_SUFFIXES:
        raise DataError(
            f"{name}: chunked reading takes a delimited text file (CSV, TSV, whitespace) on "
            "disk; read standard input, .npy or .parquet whole, or Parquet with --dask"
        )
    source = TextSource.from_path(name)
    layout, value_column, weight_column, _ = settle_columns(source, column, weights, text_format)
    return ChunkedCsv(source, layout, value_column, weight_column, rows, drop_missing)
