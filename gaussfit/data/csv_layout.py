"""Work out how a delimited text file is laid out: its delimiter, and whether it has a header.

Users hand gaussfit whatever their instrument or spreadsheet wrote, so the layout (including a
decimal comma, where nothing else is possible) is guessed from the first data lines instead of
being asked for; what the user does say (`text_format.TextFormat`) is not guessed. Cell splitting
lives here too, and every cell is read by the layout's own number reader, so that the guess and
the careful reader treat every cell the same way.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from gaussfit.data.columns import shorten
from gaussfit.data.text_format import (
    WHITESPACE,
    NumberReader,
    TextFormat,
    convention_hint,
    number_reader,
)
from gaussfit.errors import DataError

SINGLE = ""
_CANDIDATES = ("\t", ",", ";", WHITESPACE)
_WHITESPACE_TOKEN = re.compile(r'(?:"[^"]*"?|[^ \t"])+')
_BLANKS = re.compile(r"[ \t]+")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
_THOUSANDS_LIKE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")
_DECIMAL_POINT = re.compile(r"[+-]?\d*\.\d+(?:[eE][+-]?\d+)?")
_RUN_MIN_ROWS = 5
_MISSING_MARKERS = frozenset({"na", "n/a", "nan", "null", "none", "missing", "-", "?", "."})


@dataclass(frozen=True)
class Layout:
    """The sniffed layout: `delimiter` is one character, `WHITESPACE` or `SINGLE` (one column,
    lines not split); how numbers are written (`decimal`, `thousands`, `currency`); the header."""

    delimiter: str
    header: tuple[str, ...] | None
    decimal: str = "."
    thousands: str | None = None
    currency: str | None = None
    number: NumberReader = field(init=False, repr=False, compare=False)
    """Reads one stripped cell in this layout's convention (None when it is not a number)."""

    def __post_init__(self) -> None:
        reader = number_reader(self.decimal, self.thousands, self.currency)
        object.__setattr__(self, "number", reader)

    def split(self, text: str) -> list[str]:
        """Split one content line into its cells (still unstripped)."""
        return split_cells(text, self.delimiter)

    def without_header(self) -> Layout:
        return Layout(self.delimiter, None, self.decimal, self.thousands, self.currency)


def split_cells(text: str, delimiter: str) -> list[str]:
    """Split `text` on `delimiter`, honouring double quotes only when the line has any.

    "White space" means runs of spaces and tabs, as for the C parsers; other space characters
    (such as a no-break space) stay inside cells.
    """
    if delimiter == SINGLE:
        return [_unquote(text.strip())]
    if delimiter == WHITESPACE:
        if '"' not in text:
            return _BLANKS.split(text.strip(" \t"))
        return [token.replace('"', "") for token in _WHITESPACE_TOKEN.findall(text)]
    if '"' not in text:
        return text.split(delimiter)
    return next(csv.reader([text], delimiter=delimiter, skipinitialspace=True))


def _unquote(text: str) -> str:
    """A whole line as one cell: drop the quotes around it, as a CSV reader would."""
    if len(text) > 1 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def number_problem(cell: str, layout: Layout | None = None) -> str:
    """Why a (stripped) cell that did not read as a finite number is unusable, for messages.

    A cell that looks like a number in another convention (``1,5``, ``1,234.50``, ``$12``) says
    which option reads it.
    """
    if not cell:
        return "empty cell"
    layout = layout or Layout(SINGLE, None)
    if layout.number(cell) is None:
        hint = convention_hint(cell, layout.decimal, layout.currency)
        return f"cannot read {shorten(cell)} as a number{hint}"
    return f"not a finite number ({shorten(cell)})"


def sniff_layout(
    lines: Sequence[str], fmt: TextFormat | None = None, *, column_given: bool = False
) -> Layout:
    """Guess the layout from the first content lines (at least one), within what `fmt` fixes.

    The delimiter is the first candidate that splits every line into the same number (> 1) of
    cells. Failing that (ragged rows), it is the one that splits the first line and at least half
    of the others, the most lines winning. Otherwise the file has one column and lines are not
    split at all, so a decimal comma (``1,5``) is reported instead of silently read as 1.

    Decimal commas are recognised where they cannot be anything else: cells such as ``2,25``
    (not three digits after the comma, which could group thousands) in a file whose columns are
    separated by something other than commas, and no cell with a decimal point. A comma that
    splits every line as well as ``;`` or a tab does loses to them then (``1,5;2,3`` is two
    columns of decimal-comma numbers). Files in which a comma could be either are refused with
    an error naming the options that settle it; a column chosen by the user (`column_given`)
    says that commas separate columns.
    """
    fmt = fmt or TextFormat()
    candidates = (fmt.sep,) if fmt.sep is not None else _CANDIDATES
    if fmt.decimal == "," and fmt.sep is None:
        candidates = tuple(d for d in candidates if d != ",")
    consistent = [d for d in candidates if _splits_evenly(lines, d)]
    delimiter = _ragged_choice(lines, candidates) if not consistent else consistent[0]
    decimal = fmt.decimal
    if decimal is None and fmt.thousands in (",", "."):
        decimal = "." if fmt.thousands == "," else ","
    if decimal is None:
        decimal = "."
        others = [d for d in consistent if d != delimiter] if delimiter == "," else []
        for candidate in [delimiter, *others]:
            verdict = _comma_verdict(lines, candidate)
            if verdict == ",":
                delimiter, decimal = candidate, ","
                break
            if verdict == "?":
                raise DataError(_ambiguous_comma(lines, candidate))
        if fmt.sep is None and decimal == "." and not column_given:
            _refuse_split_decimals(lines, delimiter)
    layout = Layout(delimiter, None, decimal, fmt.thousands, fmt.currency)
    first = [cell.strip() for cell in layout.split(lines[0])]
    rows = [[cell.strip() for cell in layout.split(line)] for line in lines[1:]]
    if _is_header(first, rows, layout.number):
        layout = Layout(delimiter, tuple(first), decimal, fmt.thousands, fmt.currency)
    return layout


def _splits_evenly(lines: Sequence[str], delimiter: str) -> bool:
    widths = [len(split_cells(line, delimiter)) for line in lines]
    return widths[0] > 1 and all(width == widths[0] for width in widths)


def _ragged_choice(lines: Sequence[str], candidates: Sequence[str]) -> str:
    best, best_hits = SINGLE, 0
    for delimiter in candidates:
        widths = [len(split_cells(line, delimiter)) for line in lines]
        hits = sum(width > 1 for width in widths)
        if widths[0] > 1 and 2 * (hits - 1) >= len(lines) - 1 and hits > best_hits:
            best, best_hits = delimiter, hits
    return best


def _comma_verdict(lines: Sequence[str], delimiter: str) -> str:
    """``","`` when the cells split at `delimiter` use decimal commas, ``"?"`` when their commas
    could as well group thousands, ``"."`` otherwise."""
    if delimiter == ",":
        return "."
    cells = [cell.strip() for line in lines for cell in split_cells(line, delimiter)]
    if any(_DECIMAL_POINT.fullmatch(cell) for cell in cells):
        return "."
    commas = [cell for cell in cells if _DECIMAL_COMMA.fullmatch(cell)]
    if not commas:
        return "."
    if all(_THOUSANDS_LIKE.fullmatch(cell) for cell in commas):
        return "?"
    return ","


def _ambiguous_comma(lines: Sequence[str], delimiter: str) -> str:
    cell = next(
        c.strip()
        for line in lines
        for c in split_cells(line, delimiter)
        if _THOUSANDS_LIKE.fullmatch(c.strip())
    )
    return (
        f"cannot tell whether the comma in {shorten(cell)} is a decimal comma or groups "
        "thousands: pass --decimal , or --thousands ,"
    )


def _refuse_split_decimals(lines: Sequence[str], delimiter: str) -> None:
    """Refuse a headerless file whose every line is ``INTEGER,DIGITS``.

    ``1,5`` on every line is either two integer columns or one column of decimal-comma numbers,
    and reading it either way could fit wrong numbers without a word. Only a first column
    counting 1, 2, 3, ... down several lines (a row number beside its value) settles it as two
    columns, unless a second cell is written with a leading zero (``05``), as no integer is.
    """
    if delimiter != ",":
        return
    rows = [[cell.strip() for cell in split_cells(line, ",")] for line in lines]
    if not all(
        len(row) == 2 and _INTEGER.fullmatch(row[0]) and row[1].isdigit() and row[1].isascii()
        for row in rows
    ):
        return
    firsts = [int(row[0]) for row in rows]
    padded = any(len(row[1]) > 1 and row[1].startswith("0") for row in rows)
    if len(rows) >= _RUN_MIN_ROWS and not padded and all(b - a == 1 for a, b in pairwise(firsts)):
        return
    raise DataError(
        f"cannot tell whether {shorten(','.join(rows[0]))} is two columns or a number with a "
        "decimal comma: pass --decimal , for one column of decimal-comma numbers, or --sep , "
        "for two columns"
    )


def _is_header(first: list[str], rows: list[list[str]], number: NumberReader) -> bool:
    """A first line is a header if it names at least one column that holds numbers below it.

    Two exceptions keep data rows from being mistaken for headers, which would silently lose
    them: a missing-value marker (``NA``, ``null``, ``-``...) does not count as a name, and a
    first line holding a number that is not a plain integer (``1.5``, ``nan``) is data (plain
    integers may be names, such as years). When no cell below parses at all, a first line of
    words is taken as names, so errors then point at the malformed data lines.
    """
    if any(number(cell) is not None and not _INTEGER.fullmatch(cell) for cell in first):
        return False
    numeric_below = [
        any(index < len(row) and number(row[index]) is not None for row in rows)
        for index in range(len(first))
    ]
    names = [_is_name(cell, number) for cell in first]
    if not any(numeric_below):
        return any(names)
    return any(name and below for name, below in zip(names, numeric_below, strict=True))


def _is_name(cell: str, number: NumberReader) -> bool:
    return bool(cell) and number(cell) is None and cell.casefold() not in _MISSING_MARKERS
