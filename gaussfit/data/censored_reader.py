"""Read censored and truncated observations from delimited text, in the layouts people use.

- fitdistrplus's two columns (``left``/``right``): an empty cell or ``NA`` is an open side, so
  ``(NA, 0.5)`` is left-censored, ``(1200, NA)`` right-censored, ``(2, 2)`` exact, ``(2, 3)``
  an interval;
- lifelines' value and event columns: event 1 observed, 0 right-censored (or the value given
  as ``event_censored``, every other value meaning observed);
- detection-limit marks in one column: ``<0.5`` (at most 0.5), ``>1200`` (at least 1200), a
  plain number exact.

A per-row entry column gives delayed entry (left truncation per row); a weight column works as
for plain data. Every cell problem names its file, line and column.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO, TextIO

import numpy as np

from gaussfit.data.columns import Column, ColumnChoice, resolve_column
from gaussfit.data.csv_layout import Layout, number_problem, sniff_layout
from gaussfit.data.observations import Observations
from gaussfit.data.text_format import parse_number
from gaussfit.data.text_source import TextSource
from gaussfit.errors import ConfigError, DataError

_OPEN = frozenset({"", "na", "n/a", "nan", "null", "none", "missing", "."})
_SNIFF_LINES = 20


@dataclass(frozen=True)
class CensoredLayout:
    """Which columns hold what: exactly one of ``left``/``right`` (both), ``event`` (with
    ``column``) or ``marks`` (``column`` holds ``<x``/``>x`` marks) describes the censoring."""

    column: ColumnChoice = None
    left: ColumnChoice = None
    right: ColumnChoice = None
    event: ColumnChoice = None
    event_censored: str | None = None
    marks: bool = False
    entry: ColumnChoice = None
    weights: ColumnChoice = None
    truncation: tuple[float, float] = (-math.inf, math.inf)

    def __post_init__(self) -> None:
        if (self.left is None) != (self.right is None):
            given, missing = (
                ("--left", "--right") if self.left is not None else ("--right", "--left")
            )
            raise ConfigError(
                f"{given} needs {missing}: two columns give each observation's lower and upper "
                "bound (an empty cell or NA for an open side)"
            )
        two = self.left is not None
        ways = sum([two, self.event is not None, self.marks])
        if ways > 1:
            raise ConfigError(
                "choose one way of giving censoring: --left/--right, --event or --censor-marks"
            )
        if two and self.column is not None:
            raise ConfigError("--column is not used with --left/--right (the bounds are the data)")
        if self.event_censored is not None and self.event is None:
            raise ConfigError("--event-censored needs --event")


def parse_window(text: str) -> tuple[float, float]:
    """``"300,inf"`` into (300.0, inf); ValueError saying what is wrong otherwise."""
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) != 2:
        raise ValueError(f"expected LO,HI (e.g. 300,inf), got {text!r}")
    try:
        low, high = (float(p) for p in pieces)
    except ValueError:
        raise ValueError(f"{text!r}: LO and HI must be numbers, -inf or inf") from None
    if math.isnan(low) or math.isnan(high) or low == math.inf or high == -math.inf:
        raise ValueError(f"{text!r}: LO may be -inf and HI inf, not the other way round")
    if not low < high:
        raise ValueError(f"{text!r}: LO must be less than HI")
    return low, high


_MARKS = ("<=", ">=", "<", ">")


def split_mark(cell: str) -> tuple[str, str]:
    """A detection-limit cell as its mark (``<``, ``<=``, ``>``, ``>=`` or ``""``) and the
    number's text: ``"<0.5"`` -> ``("<", "0.5")``."""
    text = cell.strip()
    mark = next((m for m in _MARKS if text.startswith(m)), "")
    return mark, text[len(mark) :]


def mark_bounds(mark: str, value: float) -> tuple[float, float]:
    """The bounds a mark gives its value: ``<x`` at most x, ``>x`` at least x, else exact."""
    if mark.startswith("<"):
        return -math.inf, value
    if mark.startswith(">"):
        return value, math.inf
    return value, value


def parse_marks(cells: Sequence[object], where: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of a column of detection-limit cells (a piece of a file read
    elsewhere, e.g. a Dask partition: ``where`` names it); a cell that is no number, with or
    without its mark (an empty or NA cell too), is a DataError naming ``where``, the column
    and the cell."""
    lower = np.empty(len(cells))
    upper = np.empty(len(cells))
    for i, cell in enumerate(cells):
        text = _cell_text(cell)
        mark, number = split_mark(text)
        value = parse_number(number.strip())
        if value is None or not math.isfinite(value):
            raise DataError(
                f"{where}: row {i + 1}: column {column!r}: {text.strip()!r} is not a number, "
                "nor a number marked <x or >x"
            )
        lower[i], upper[i] = mark_bounds(mark, value)
    return lower, upper


def _cell_text(cell: object) -> str:
    """A cell as read by a data-frame library: text, a number, or a missing marker (None,
    NaN, pandas' NA) as the empty string."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, (int, float)) and cell == cell:
        return repr(float(cell))
    return ""


def load_observations(
    path: str | os.PathLike[str],
    layout: CensoredLayout,
    *,
    drop_missing: bool = False,
    stdin: TextIO | BinaryIO | None = None,
) -> Observations:
    """Read ``path`` (delimited text, or ``-`` for ``stdin``) as observations in ``layout``."""
    return next(read_observations(path, layout, None, drop_missing=drop_missing, stdin=stdin))


def read_observations(
    path: str | os.PathLike[str],
    layout: CensoredLayout,
    rows: int | None,
    *,
    drop_missing: bool = False,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Observations]:
    """The observations of ``path`` in chunks of ``rows`` rows (all at once when None), so
    that a file larger than memory can be passed over; errors name the file line as ever."""
    name = os.fspath(path)
    suffix = os.path.splitext(name)[1].lower()
    if suffix in (".npy", ".parquet", ".pq"):
        raise ConfigError(
            f"{name}: censored and truncated data are read from delimited text; "
            "export the columns to CSV"
        )
    source = TextSource.from_stream(stdin) if name == "-" else TextSource.from_path(name)
    text_layout, (value_columns, event, entry, weight) = _settle(source, layout)
    columns = [c for c in [*value_columns, event, entry, weight] if c is not None]
    width = max(c.index for c in columns) + 1
    label = value_columns[0].label if len(value_columns) == 1 else None
    reader = _RowReader(source.name, layout, drop_missing)
    lines = iter(source.content_lines())
    if text_layout.header is not None:
        next(lines, None)
    produced = False
    for lineno, text in lines:
        cells = text_layout.split(text)
        if len(cells) < width:
            short = next(c for c in columns if c.index >= len(cells))
            raise DataError(
                f"{source.name}:{lineno}: {short.describe()}: missing "
                f"(the row has only {len(cells)} cell{'s' if len(cells) != 1 else ''})"
            )
        reader.row(lineno, cells, value_columns, event, entry, weight)
        if rows is not None and len(reader.lower) >= rows:
            yield reader.observations(layout, label, entry is not None)
            reader.clear()
            produced = True
    if reader.lower or not produced:
        yield reader.observations(layout, label, entry is not None)


def check_columns(path: str | os.PathLike[str], layout: CensoredLayout) -> None:
    """Resolve ``layout``'s columns in ``path`` from its first lines, as reading would (a
    typed error naming the file and column that is missing), without reading every row."""
    name = os.fspath(path)
    if os.path.splitext(name)[1].lower() in (".npy", ".parquet", ".pq"):
        raise ConfigError(
            f"{name}: censored and truncated data are read from delimited text; "
            "export the columns to CSV"
        )
    _settle(TextSource.from_path(name), layout)


def _settle(
    source: TextSource, layout: CensoredLayout
) -> tuple[Layout, tuple[list[Column | None], Column | None, Column | None, Column | None]]:
    """The text layout sniffed from the first lines, and the value, event, entry and weight
    columns ``layout`` names in it."""
    sample = list(islice(source.content_lines(), _SNIFF_LINES))
    if not sample:
        raise DataError(f"{source.name}: no observations (the file is empty)")
    text_layout = sniff_layout([text for _, text in sample])
    names = text_layout.header
    first = text_layout.split(sample[0][1])
    count = len(names) if names is not None else len(first)

    def column(choice: ColumnChoice, role: str) -> Column | None:
        if choice is None:
            return None
        return resolve_column(choice, names, count, source.name, role)

    event = column(layout.event, "--event column")
    entry = column(layout.entry, "--truncate-left column")
    weight = column(layout.weights, "weights column")
    if layout.left is not None:
        value_columns = [
            column(layout.left, "--left column"),
            column(layout.right, "--right column"),
        ]
    else:
        taken = {c.index for c in (event, entry, weight) if c is not None}
        default = next((i for i in range(count) if i not in taken), 0)
        chosen = layout.column if layout.column is not None else default
        value_columns = [column(chosen, "column")]
    return text_layout, (value_columns, event, entry, weight)


class _RowReader:
    """Turns rows of cells into bounds, remembering each row's line for later messages."""

    def __init__(self, source: str, layout: CensoredLayout, drop_missing: bool) -> None:
        self.source = source
        self.layout = layout
        self.drop_missing = drop_missing
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.entry: list[float] = []
        self.weights: list[float] = []
        self.lines: list[int] = []
        self.dropped = 0

    def row(
        self,
        lineno: int,
        cells: list[str],
        values: list[Column | None],
        event: Column | None,
        entry: Column | None,
        weight: Column | None,
    ) -> None:
        try:
            if self.layout.left is not None:
                assert values[0] is not None and values[1] is not None
                low = self._bound(cells[values[0].index], -math.inf, lineno, values[0])
                high = self._bound(cells[values[1].index], math.inf, lineno, values[1])
            elif self.layout.marks:
                assert values[0] is not None
                low, high = self._mark(cells[values[0].index], lineno, values[0])
            else:
                assert values[0] is not None
                low = high = self._number(cells[values[0].index], lineno, values[0])
                if event is not None and self._censored(cells[event.index], lineno, event):
                    high = math.inf
            start = (
                -math.inf
                if entry is None
                else self._bound(cells[entry.index], -math.inf, lineno, entry)
            )
            w = 1.0 if weight is None else self._number(cells[weight.index], lineno, weight)
        except _Missing:
            self.dropped += 1
            return
        if weight is not None and w < 0:
            raise DataError(f"{self.source}:{lineno}: {weight.describe()}: negative weight {w:g}")
        self.lower.append(low)
        self.upper.append(high)
        self.entry.append(start)
        self.weights.append(w)
        self.lines.append(lineno)

    def _number(self, cell: str, lineno: int, column: Column) -> float:
        text = cell.strip()
        number = parse_number(text)
        if number is None or not math.isfinite(number):
            if self.drop_missing:
                raise _Missing
            raise DataError(f"{self.source}:{lineno}: {column.describe()}: {number_problem(text)}")
        return number

    def _bound(self, cell: str, open_value: float, lineno: int, column: Column) -> float:
        """A bound, or ``open_value`` for an empty/NA cell (or an infinity on the open side)."""
        text = cell.strip()
        if text.casefold() in _OPEN:
            return open_value
        number = parse_number(text)
        if number == open_value:
            return open_value
        return self._number(text, lineno, column)

    def _mark(self, cell: str, lineno: int, column: Column) -> tuple[float, float]:
        mark, number = split_mark(cell)
        value = self._number(number, lineno, column)
        return mark_bounds(mark, value)

    def _censored(self, cell: str, lineno: int, column: Column) -> bool:
        """Whether the event cell says right-censored."""
        text = cell.strip()
        coded = self.layout.event_censored
        if coded is not None:
            if text == coded.strip():
                return True
            number, wanted = parse_number(text), parse_number(coded.strip())
            return number is not None and wanted is not None and number == wanted
        number = parse_number(text)
        if number in (0.0, 1.0):
            return number == 0.0
        if not text and self.drop_missing:
            raise _Missing
        raise DataError(
            f"{self.source}:{lineno}: {column.describe()}: event {text!r} is neither 1 "
            "(observed) nor 0 (right-censored); --event-censored VALUE names another code"
        )

    def clear(self) -> None:
        """Forget the rows taken so far (after a chunk is handed on); the count dropped stays."""
        for rows in (self.lower, self.upper, self.entry, self.weights, self.lines):
            rows.clear()

    def observations(
        self, layout: CensoredLayout, label: str | None, per_row: bool
    ) -> Observations:
        if not self.lower:
            what = f" after dropping {self.dropped} row(s)" if self.dropped else ""
            raise DataError(f"{self.source}: no observations{what} (the file holds no data rows)")
        weights = np.array(self.weights) if layout.weights is not None else None
        return Observations(
            np.array(self.lower),
            np.array(self.upper),
            weights,
            layout.truncation,
            np.array(self.entry) if per_row else None,
            self.source,
            label if label is not None else f"{layout.left}/{layout.right}",
            np.array(self.lines),
            self.dropped,
        )


class _Missing(Exception):
    """A row skipped by --drop-missing."""
