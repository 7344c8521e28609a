"""Work out how a delimited text file is laid out: its delimiter, and whether it has a header.

Users hand gaussfit whatever their instrument or spreadsheet wrote, so the layout is guessed from
the first data lines instead of being asked for. Cell splitting and number parsing live here too,
so that the guess and the careful reader treat every cell the same way.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass

WHITESPACE = " "
SINGLE = ""
_CANDIDATES = ("\t", ",", ";", WHITESPACE)
_WHITESPACE_TOKEN = re.compile(r'(?:"[^"]*"?|[^ \t"])+')
_BLANKS = re.compile(r"[ \t]+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_INTEGER = re.compile(r"[+-]?\d+")
_MISSING_MARKERS = frozenset({"na", "n/a", "nan", "null", "none", "missing", "-", "?", "."})


@dataclass(frozen=True)
class Layout:
    """The sniffed layout: `delimiter` is tab, comma, semicolon, `WHITESPACE` or `SINGLE`."""

    delimiter: str
    header: tuple[str, ...] | None

    def split(self, text: str) -> list[str]:
        """Split one content line into its cells (still unstripped)."""
        return split_cells(text, self.delimiter)


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


def parse_number(cell: str) -> float | None:
    """Read a stripped cell as a float exactly as written (correctly rounded), else None.

    Python's `float` is correctly rounded, but it also accepts digit separators (``1_000``) and
    non-ASCII digits, which no CSV writer means as numbers and C parsers reject, so those are
    refused here too. ``nan`` and ``inf`` parse; callers decide whether they are allowed.
    """
    try:
        number = float(cell)
    except ValueError:
        return None
    if "_" in cell or not cell.isascii():
        return None
    return number


def number_problem(cell: str) -> str:
    """Why a (stripped) cell that did not read as a finite number is unusable, for messages."""
    if not cell:
        return "empty cell"
    if parse_number(cell) is None:
        hint = " (use '.' as the decimal point)" if _DECIMAL_COMMA.fullmatch(cell) else ""
        return f"cannot read {_shorten(cell)} as a number{hint}"
    return f"not a finite number ({_shorten(cell)})"


def sniff_layout(lines: Sequence[str]) -> Layout:
    """Guess the layout from the first content lines (at least one).

    The delimiter is the first candidate that splits every line into the same number (> 1) of
    cells. Failing that (ragged rows), it is the one that splits the first line and at least half
    of the others, the most lines winning. Otherwise the file has one column and lines are not
    split at all, so a decimal comma (``1,5``) is reported instead of silently read as 1.
    """
    best, best_hits = SINGLE, 0
    for delimiter in _CANDIDATES:
        widths = [len(split_cells(line, delimiter)) for line in lines]
        if widths[0] > 1 and all(width == widths[0] for width in widths):
            best = delimiter
            break
        hits = sum(width > 1 for width in widths)
        if widths[0] > 1 and 2 * (hits - 1) >= len(lines) - 1 and hits > best_hits:
            best, best_hits = delimiter, hits
    first = [cell.strip() for cell in split_cells(lines[0], best)]
    rows = [[cell.strip() for cell in split_cells(line, best)] for line in lines[1:]]
    return Layout(best, tuple(first) if _is_header(first, rows) else None)


def _is_header(first: list[str], rows: list[list[str]]) -> bool:
    """A first line is a header if it names at least one column that holds numbers below it.

    Two exceptions keep data rows from being mistaken for headers, which would silently lose
    them: a missing-value marker (``NA``, ``null``, ``-``...) does not count as a name, and a
    first line holding a number that is not a plain integer (``1.5``, ``nan``) is data (plain
    integers may be names, such as years). When no cell below parses at all, a first line of
    words is taken as names, so errors then point at the malformed data lines.
    """
    if any(parse_number(cell) is not None and not _INTEGER.fullmatch(cell) for cell in first):
        return False
    numeric_below = [
        any(index < len(row) and parse_number(row[index]) is not None for row in rows)
        for index in range(len(first))
    ]
    names = [_is_name(cell) for cell in first]
    if not any(numeric_below):
        return any(names)
    return any(name and below for name, below in zip(names, numeric_below, strict=True))


def _is_name(cell: str) -> bool:
    return bool(cell) and parse_number(cell) is None and cell.casefold() not in _MISSING_MARKERS


def _shorten(cell: str, limit: int = 40) -> str:
    """Quote a cell for a message, cut so one bad cell cannot flood the terminal."""
    return repr(cell if len(cell) <= limit else cell[: limit - 3] + "...")
