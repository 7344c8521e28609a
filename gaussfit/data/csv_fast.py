"""The fast CSV path for big files: hand the columns to a C parser, trust only a clean result.

Ten million rows take seconds in pandas' C parser (or numpy's C `loadtxt`) against most of a
minute line by line in Python. Both are told exactly what the sniffer found (delimiter, header,
comment character, quotes) and parse floats with correct rounding. They say nothing useful about
*where* a file is wrong, so any failure, or any result the careful reader would reject, returns
None and the caller re-reads the file carefully; the answer is then the careful reader's. Inputs
on which the C parsers would quietly disagree with the careful reader are screened out (see
`csv_screen`).

The file is read once. It is cut into blocks of whole lines (`line_blocks`); each block is
screened and then parsed, by a few threads at once (pandas' tokenizer and float conversion run
without the GIL), and the blocks' columns are copied in order into one float64 array per column,
grown in place. Memory is the columns plus the few blocks in flight, not a parser's whole-file
tables.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO

import numpy as np

from gaussfit.data.csv_layout import SINGLE, WHITESPACE, Layout
from gaussfit.data.csv_screen import screen_block, suits_fast_parser
from gaussfit.data.line_blocks import BOM, line_blocks
from gaussfit.data.text_source import MAX_LINE_BYTES, Progress, TextSource

_SEPARATORS = {WHITESPACE: r"\s+", SINGLE: ","}
_NUMPY_DELIMITERS = {WHITESPACE: None, SINGLE: ","}
_MAX_WORKERS = 4
"""Parser threads at most: each holds a block in flight, and more rarely pay on a file read
from disk."""
_GROWTH = 1.02
"""Headroom on the row count guessed from the bytes read so far, when a column must grow."""

BlockParser = Callable[[bytes], list[np.ndarray]]
"""Parses one block of whole lines into its columns (in sorted position order); raises on
anything it objects to."""


def read_fast(
    source: TextSource,
    layout: Layout,
    positions: list[int],
    progress: Progress | None = None,
) -> list[np.ndarray] | None:
    """Read the columns at `positions` as float64 arrays, or None if a careful read is needed.

    Returns one array per position, in the order given, only when there was at least one row and
    every cell parsed to a finite number. Thousands separators and currency marks are left to
    the careful reader (pandas would take ``12,34`` for 1234); a decimal comma needs pandas.
    `progress` is told the bytes read (screened and parsed) so far.
    """
    try:
        import pandas
    except ImportError:
        pandas = None
    if layout.thousands is not None or layout.currency is not None:
        return None
    if pandas is None and layout.decimal != ".":
        return None
    wanted = sorted(set(positions))
    plain_ascii = pandas is None and layout.delimiter == WHITESPACE
    if pandas is not None:
        parse, workers = _pandas_parser(pandas, layout, wanted), _workers()
    else:
        parse, workers = _numpy_parser(layout, wanted), 1

    def screened_columns(block: bytes) -> list[np.ndarray] | None:
        if not screen_block(block, layout.delimiter, plain_ascii):
            return None
        try:
            table = parse(block)
        except Exception:
            # Deliberately broad: whatever the C parser objects to (bad cell, short row, parser
            # limits), the careful reader re-reads the file and reports the first problem.
            return None
        columns = [table[wanted.index(p)] for p in positions]
        return columns if all(np.all(np.isfinite(c)) for c in columns) else None

    with source.open_binary() as stream, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if pandas is not None:
            # pandas only warns when rows are wider than the header; here that is a misfit.
            warnings.simplefilter("error", pandas.errors.ParserWarning)
        if not _skip_preamble(stream, source, layout, plain_ascii):
            return None
        blocks = _in_order(screened_columns, line_blocks(stream), workers)
        with contextlib.closing(blocks):
            columns = _gather(blocks, len(positions), source.size, progress)
    if columns is None or np.size(columns[0]) == 0:
        return None
    return columns


def _skip_preamble(stream: BinaryIO, source: TextSource, layout: Layout, plain_ascii: bool) -> bool:
    """Move `stream` past a byte-order mark and, with a header, past the header's line and the
    comments and blank lines before it; False when those bytes fail the screening.

    Lines are counted by ``\n`` here and by every line end in `content_lines`; they agree
    because the screening refuses lone ``\r``.
    """
    if layout.header is None:
        if stream.read(len(BOM)) != BOM:
            stream.seek(0)
        return True
    header_line = next(iter(source.content_lines()))[0]
    preamble = b"".join(stream.readline(MAX_LINE_BYTES + 2) for _ in range(header_line))
    return screen_block(preamble.removeprefix(BOM), layout.delimiter, plain_ascii)


def _workers() -> int:
    """Threads for the parser: the CPUs this process may run on, at most `_MAX_WORKERS`."""
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    return max(1, min(cpus, _MAX_WORKERS))


def _in_order(
    work: Callable[[bytes], list[np.ndarray] | None], blocks: Iterable[bytes], workers: int
) -> Iterator[tuple[list[np.ndarray] | None, int]]:
    """``(work(block), len(block))`` for each block, in order, with up to `workers` blocks being
    worked on at once; blocks are read only as fast as results are taken."""
    if workers == 1:
        for block in blocks:
            yield work(block), len(block)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="gaussfit-csv") as pool:
        running: deque[tuple[Future, int]] = deque()
        try:
            for block in blocks:
                running.append((pool.submit(work, block), len(block)))
                if len(running) > workers:
                    future, size = running.popleft()
                    yield future.result(), size
            while running:
                future, size = running.popleft()
                yield future.result(), size
        finally:
            for future, _ in running:
                future.cancel()


def _gather(
    results: Iterable[tuple[list[np.ndarray] | None, int]],
    count: int,
    total_bytes: int,
    progress: Progress | None,
) -> list[np.ndarray] | None:
    """Copy each block's `count` columns, in order, into one array per column (None as soon as
    a block is refused).

    The arrays are allocated once, for the rows the bytes read so far promise, and grown or
    shrunk in place (``realloc``: big arrays are remapped, not copied), so the peak is the
    columns themselves plus a block, never two copies of them.
    """
    arrays: list[np.ndarray] | None = None
    rows = 0
    done = 0
    for columns, size in results:
        if columns is None:
            return None
        done += size
        added = len(columns[0])
        promised = max(rows + added, int((rows + added) / done * max(total_bytes, done) * _GROWTH))
        if arrays is None:
            arrays = [np.empty(promised) for _ in range(count)]
        elif rows + added > len(arrays[0]):
            for array in arrays:
                array.resize(promised, refcheck=False)  # zero-fills only the new part
        for array, column in zip(arrays, columns, strict=True):
            np.copyto(array[rows : rows + added], column)
        rows += added
        if progress is not None:
            progress(done)
    if arrays is None:
        return [np.empty(0) for _ in range(count)]
    for array in arrays:
        array.resize(rows, refcheck=False)
    return arrays


def _pandas_parser(pandas: Any, layout: Layout, wanted: list[int]) -> BlockParser:
    """Blocks via `pandas.read_csv` with the C engine and correctly rounded float parsing."""
    # A block is small, so pandas' low-memory mode (parse in pieces, then concatenate) only
    # costs a copy.
    with_comments = {
        **_pandas_options(pandas, layout, wanted, header=False),
        "low_memory": False,
    }
    # Looking for '#' slows pandas' tokenizer by half; a block without one has none to find.
    without_comments = {k: v for k, v in with_comments.items() if k != "comment"}

    def parse(block: bytes) -> list[np.ndarray]:
        options = with_comments if b"#" in block else without_comments
        try:
            frame = pandas.read_csv(io.BytesIO(block), **options)
        except pandas.errors.EmptyDataError:
            return [np.empty(0) for _ in wanted]  # only comments and blank lines
        _check_width(layout, frame.shape[1])
        return [frame.iloc[:, index].to_numpy(dtype=np.float64) for index in range(len(wanted))]

    return parse


def _numpy_parser(layout: Layout, wanted: list[int]) -> BlockParser:
    """Blocks via numpy's C `loadtxt` when pandas is not installed."""

    def parse(block: bytes) -> list[np.ndarray]:
        text = io.TextIOWrapper(io.BytesIO(block), encoding="utf-8", newline=None)
        table = np.loadtxt(
            text,
            dtype=np.float64,
            comments="#",
            delimiter=_NUMPY_DELIMITERS.get(layout.delimiter, layout.delimiter),
            quotechar='"',
            usecols=_usecols(layout, wanted),
            ndmin=2,
        )
        if np.size(table) == 0:
            return [np.empty(0) for _ in wanted]  # only comments and blank lines
        _check_width(layout, np.shape(table)[1])
        return [table[:, index] for index in range(len(wanted))]

    return parse


def suits_fast_chunks(source: TextSource, layout: Layout) -> bool:
    """Whether `read_fast_chunks` may read `source`: pandas is installed and the screening of
    `read_fast` passes (one pass over the bytes; the verdict holds for every later read)."""
    if importlib.util.find_spec("pandas") is None or source.path is None:
        return False
    if layout.thousands is not None or layout.currency is not None:
        return False
    return suits_fast_parser(source, layout.delimiter, False)


def read_fast_chunks(
    source: TextSource, layout: Layout, positions: list[int], rows: int
) -> Iterator[list[np.ndarray]]:
    """The columns at `positions`, `rows` rows at a time, of a source that `suits_fast_chunks`.

    The same C parser as `read_fast`, one chunk in memory at a time. A chunk the C parser
    objects to, or that holds a value or weight the careful reader would reject, raises
    `FastChunkRefused`; rows yielded before it are exactly the careful reader's.
    """
    import pandas

    assert source.path is not None
    wanted = sorted(set(positions))
    return _pandas_chunks(pandas, source.path, layout, wanted, positions, rows)


class FastChunkRefused(Exception):
    """The C parser could not vouch for a chunk; read on carefully from the rows already given."""


def _pandas_chunks(
    pandas: Any, path: str, layout: Layout, wanted: list[int], positions: list[int], rows: int
) -> Iterator[list[np.ndarray]]:
    header = layout.header is not None
    options = {**_pandas_options(pandas, layout, wanted, header=header), "chunksize": rows}
    with pandas.read_csv(path, **options) as reader:
        while True:
            try:
                # Warning filters are set per chunk: a generator must not hold them while
                # suspended, or they would leak into the caller.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    warnings.simplefilter("error", pandas.errors.ParserWarning)
                    frame = next(reader)
                _check_width(layout, frame.shape[1])
            except StopIteration:
                return
            except Exception:
                # As in read_fast: whatever the C parser objects to, the careful reader decides.
                raise FastChunkRefused from None
            columns = [
                np.ascontiguousarray(frame.iloc[:, wanted.index(p)], dtype=np.float64)
                for p in positions
            ]
            if not all(np.all(np.isfinite(column)) for column in columns):
                raise FastChunkRefused
            if len(columns) > 1 and np.any(columns[1] < 0):
                raise FastChunkRefused  # the careful reader names the negative weight's line
            yield columns


def _pandas_options(
    pandas: Any, layout: Layout, wanted: list[int], *, header: bool
) -> dict[str, Any]:
    """What `pandas.read_csv` is told: exactly the sniffed layout, C engine, exact floats;
    `header` says whether the text it is given starts with the header line.

    Blanks before a cell are left to the float converter, which skips them as the careful
    reader's strip does (``skipinitialspace`` would slow the tokenizer by a quarter); a quoted
    cell after a blank (``1, "2"``) then fails to convert, and the careful reader reads it.
    """
    options: dict[str, Any] = {
        "sep": _SEPARATORS.get(layout.delimiter, layout.delimiter),
        "header": 0 if header else None,
        "usecols": _usecols(layout, wanted),
        "dtype": np.float64,
        "engine": "c",
        "comment": "#",
        "quotechar": '"',
        "skip_blank_lines": True,
        "na_filter": False,
        "index_col": False,
        "encoding": "utf-8",
        "decimal": layout.decimal,
    }
    if _pandas_version(pandas) < (3, 1):
        # Before 3.1 the default float converter may be off by one ulp; 3.1 made every mode
        # exact and deprecated the option.
        options["float_precision"] = "round_trip"
    return options


def _usecols(layout: Layout, wanted: list[int]) -> list[int] | None:
    """Columns to keep; none for a one-column file, whose lines are never split.

    Both C parsers silently ignore surplus cells when given `usecols`, which is what the careful
    reader does for a delimited file; but a comma in a one-column file means a malformed value
    (``1,5``), and only without `usecols` do they reject a line that grows a second cell.
    """
    return None if layout.delimiter == SINGLE else wanted


def _check_width(layout: Layout, width: int) -> None:
    """Refuse a one-column file in which the parser found more columns than one."""
    if layout.delimiter == SINGLE and width != 1:
        raise ValueError(f"a one-column file parsed into {width} columns")


def _pandas_version(pandas: Any) -> tuple[int, int]:
    """Major and minor version; tolerant of suffixes like ``3.1.0rc1`` or ``3.2.0.dev0``."""
    match = re.match(r"(\d+)\.(\d+)", pandas.__version__)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)
