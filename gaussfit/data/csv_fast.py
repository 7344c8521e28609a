"""The fast CSV path for big files: hand the columns to a C parser, trust only a clean result.

Ten million rows take seconds in pandas' C parser (or numpy's C `loadtxt`) against most of a
minute line by line in Python. Both are told exactly what the sniffer found (delimiter, header,
comment character, quotes) and parse floats with correct rounding. They say nothing useful about
*where* a file is wrong, so any failure, or any result the careful reader would reject, returns
None and the caller re-reads the file carefully; the answer is then the careful reader's. Inputs
on which the C parsers would quietly disagree with the careful reader are screened out first
(see `csv_prescan`).
"""

from __future__ import annotations

import importlib.util
import io
import mmap
import os
import re
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

from gaussfit.data.csv_layout import SINGLE, WHITESPACE, Layout
from gaussfit.data.csv_prescan import suits_fast_parser
from gaussfit.data.text_source import Progress, TextSource

_SEPARATORS = {WHITESPACE: r"\s+", SINGLE: ","}
_NUMPY_DELIMITERS = {WHITESPACE: None, SINGLE: ","}


def read_fast(
    source: TextSource,
    layout: Layout,
    positions: list[int],
    progress: tuple[Progress, Progress] | None = None,
) -> list[np.ndarray] | None:
    """Read the columns at `positions` as float64 arrays, or None if a careful read is needed.

    Returns one array per position, in the order given, only when there was at least one row and
    every cell parsed to a finite number. Thousands separators and currency marks are left to
    the careful reader (pandas would take ``12,34`` for 1234); a decimal comma needs pandas.
    `progress` is told the bytes screened, then the bytes parsed (by pandas all at once, at the
    end: it parses a file in several threads only when it reads the path itself).
    """
    try:
        import pandas
    except ImportError:
        pandas = None
    if layout.thousands is not None or layout.currency is not None:
        return None
    if pandas is None and layout.decimal != ".":
        return None
    plain_ascii = pandas is None and layout.delimiter == WHITESPACE
    screened, parsed = progress if progress is not None else (None, None)
    if not suits_fast_parser(source, layout.delimiter, plain_ascii, screened):
        return None
    wanted = sorted(set(positions))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if pandas is not None:
                # pandas only warns when rows are wider than the header; here that is a misfit.
                warnings.simplefilter("error", pandas.errors.ParserWarning)
                table = _read_pandas(pandas, source, layout, wanted, parsed)
            else:
                table = _read_numpy(source, layout, wanted, parsed)
    except Exception:
        # Deliberately broad: whatever the C parser objects to (bad cell, short row, encoding,
        # parser limits), the careful reader re-reads the file and reports the first problem.
        return None
    columns = [np.ascontiguousarray(table[wanted.index(p)], dtype=np.float64) for p in positions]
    if np.size(columns[0]) == 0 or not all(np.all(np.isfinite(column)) for column in columns):
        return None
    return columns


def _read_pandas(
    pandas: Any, source: TextSource, layout: Layout, wanted: list[int], progress: Progress | None
) -> list:
    """Columns via `pandas.read_csv` with the C engine and correctly rounded float parsing."""
    target: Any = source.path if source.path is not None else io.BytesIO(source.data or b"")
    options = _pandas_options(pandas, layout, wanted)
    if not _has_comment_sign(source):
        del options["comment"]  # looking for '#' slows pandas' tokenizer by half; none to find
    # Given a path, pandas parses the file in several threads; given a stream (one counting its
    # bytes for `progress`), in one. So the parse is reported whole, when it is done.
    frame = pandas.read_csv(target, **options)
    if progress is not None:
        progress(source.size)
    _check_width(layout, frame.shape[1])
    return [frame.iloc[:, index].to_numpy(dtype=np.float64) for index in range(len(wanted))]


class _Counting(io.RawIOBase):
    """A binary stream that tells `progress` how many bytes were read from it so far."""

    def __init__(self, stream: Any, progress: Progress) -> None:
        self._stream = stream
        self._progress = progress
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._stream.readinto(buffer)
        self._done += count or 0
        self._progress(self._done)
        return count


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
    options = {**_pandas_options(pandas, layout, wanted), "chunksize": rows}
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


def _pandas_options(pandas: Any, layout: Layout, wanted: list[int]) -> dict[str, Any]:
    """What `pandas.read_csv` is told: exactly the sniffed layout, C engine, exact floats."""
    options: dict[str, Any] = {
        "sep": _SEPARATORS.get(layout.delimiter, layout.delimiter),
        "header": 0 if layout.header is not None else None,
        "usecols": _usecols(layout, wanted),
        "dtype": np.float64,
        "engine": "c",
        "comment": "#",
        "quotechar": '"',
        "skip_blank_lines": True,
        "skipinitialspace": True,
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


def _read_numpy(
    source: TextSource, layout: Layout, wanted: list[int], progress: Progress | None
) -> list:
    """Columns via numpy's C `loadtxt` when pandas is not installed.

    `skiprows` counts physical lines, so the header is skipped by dropping every line up to and
    including the first content line.
    """
    skip = 0
    if layout.header is not None:
        skip = next(iter(source.content_lines()))[0]
    with source.open_binary() as raw:
        stream: Any = raw if progress is None else io.BufferedReader(_Counting(raw, progress))
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline=None)
        table = np.loadtxt(
            text,
            dtype=np.float64,
            comments="#",
            delimiter=_NUMPY_DELIMITERS.get(layout.delimiter, layout.delimiter),
            quotechar='"',
            skiprows=skip,
            usecols=_usecols(layout, wanted),
            ndmin=2,
        )
    _check_width(layout, np.shape(table)[1])
    return [table[:, index] for index in range(len(wanted))]


def _has_comment_sign(source: TextSource) -> bool:
    """Whether a ``#`` occurs anywhere in the source (one memchr-speed scan of a mapped file)."""
    if source.path is None:
        return b"#" in (source.data or b"")
    with open(source.path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return mapped.find(b"#") != -1


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
