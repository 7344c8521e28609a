"""Which line of the file each value came from, so that later errors can name the line.

A fit finds some problems only after loading (a value outside a family's support); by then the
values are a plain array, and its positions differ from file lines by the header, blank lines,
comments and dropped rows. A `LineMap` stores the lines as runs of consecutive lines (one run
for a clean file), so keeping it costs almost nothing.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from gaussfit.data.text_source import TextSource


@dataclass(frozen=True, eq=False)
class LineMap:
    """Value ``starts[k] + j`` came from line ``lines[k] + j`` (within run ``k``)."""

    starts: np.ndarray
    lines: np.ndarray

    def line_of(self, index: int) -> int:
        run = int(np.searchsorted(self.starts, index, side="right")) - 1
        return int(self.lines[run]) + index - int(self.starts[run])


class LineRuns:
    """Builds a `LineMap` while values are appended, one run per break in the line numbers."""

    def __init__(self) -> None:
        self.starts: array[int] = array("q")
        self.lines: array[int] = array("q")

    def start_run(self, count: int, line: int) -> None:
        """Value number `count` came from `line`, which does not follow the previous one."""
        self.starts.append(count)
        self.lines.append(line)

    def build(self) -> LineMap:
        return LineMap(np.frombuffer(self.starts, np.int64), np.frombuffer(self.lines, np.int64))


@dataclass(frozen=True)
class RescanLineMap:
    """The lines of a source whose every data line became a value, found when asked.

    The fast reader gives no line numbers; asking is rare (an error message), so the source is
    read again then instead of numbering millions of lines that are never named.
    """

    source: TextSource
    header: bool

    def line_of(self, index: int) -> int:
        lines: Iterator[tuple[int, str]] = self.source.content_lines()
        found = next(islice(lines, index + int(self.header), None), None)
        return found[0] if found is not None else -1
