"""How numbers are written in a text file: the decimal mark, thousands groups, a currency mark.

Spreadsheets in many locales write ``1,5`` for one and a half (and then separate cells with
``;``), accounting exports write ``"1,234.50"`` or ``$12.50``. Read with the wrong convention such
a file gives silently wrong numbers, so every convention other than the plain ``1.5`` is either
detected with certainty (see `csv_layout.sniff_layout`) or asked for with an option, and a cell
that looks written in another convention gets an error naming the option that reads it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from gaussfit.errors import ConfigError

WHITESPACE = " "
"""The delimiter meaning runs of spaces and tabs."""
SEPARATOR_NAMES = {"tab": "\t", "\\t": "\t", "space": WHITESPACE, "whitespace": WHITESPACE}

DECIMAL_MARKS = (".", ",")
THOUSANDS_NAMES = {",": ",", ".": ".", "'": "'", "space": " ", " ": " ", "_": "_"}
_SPACES = " \u00a0\u202f"
"""What a "space" thousands separator matches: a space, a no-break space, a narrow one."""

NumberReader = Callable[[str], "float | None"]


@dataclass(frozen=True)
class TextFormat:
    """What the user said about a text file's layout; None leaves a choice to the sniffer.

    `sep` is one delimiter character or `WHITESPACE`; `decimal` ``"."`` or ``","``;
    `thousands` the character grouping thousands (``" "`` also matches no-break spaces);
    `currency` a mark (``$``, ``€``, ``EUR``) allowed before or after a number.
    """

    sep: str | None = None
    decimal: str | None = None
    thousands: str | None = None
    currency: str | None = None

    @classmethod
    def from_options(
        cls,
        sep: str | None = None,
        decimal: str | None = None,
        thousands: str | None = None,
        currency: str | None = None,
    ) -> TextFormat:
        """Check the option values (as typed on the command line or in a batch file)."""
        if sep is not None:
            sep = SEPARATOR_NAMES.get(sep.lower(), sep) if isinstance(sep, str) else sep
            if not isinstance(sep, str) or len(sep) != 1 or sep in '"#.+-' or sep.isalnum():
                raise ConfigError(
                    f"--sep: {sep!r} is not a column separator; give one character such as "
                    "',' ';' '|', or 'tab' or 'space' (runs of blanks)"
                )
        if decimal is not None and decimal not in DECIMAL_MARKS:
            raise ConfigError(f"--decimal: {decimal!r} is not a decimal mark; give '.' or ','")
        if thousands is not None:
            if not isinstance(thousands, str) or thousands.lower() not in THOUSANDS_NAMES:
                raise ConfigError(
                    f"--thousands: {thousands!r} is not a thousands separator; give one of "
                    "',' '.' \"'\" '_' or 'space'"
                )
            thousands = THOUSANDS_NAMES[thousands.lower()]
        if currency is not None and (
            not isinstance(currency, str) or not currency.strip() or len(currency) > 5
        ):
            raise ConfigError(f"--currency: {currency!r} is not a currency mark such as '$'")
        fmt = cls(sep, decimal, thousands, currency.strip() if currency else None)
        fmt._check_distinct()
        return fmt

    def _check_distinct(self) -> None:
        decimal = self.decimal or ("," if self.thousands == "." else ".")
        if self.thousands == decimal:
            raise ConfigError(f"--thousands {self.thousands!r} is also the decimal mark")
        if self.sep is not None and self.sep == self.decimal:
            raise ConfigError(
                f"--sep and --decimal are both {self.sep!r}; a decimal comma needs another "
                "separator, such as --sep ';'"
            )
        if self.thousands == " " and self.sep == WHITESPACE:
            raise ConfigError("--thousands space cannot be read in a space-separated file")


def number_reader(decimal: str, thousands: str | None, currency: str | None) -> NumberReader:
    """A function reading one stripped cell as a float (None when it is not a number).

    The plain convention is `parse_number` itself, so the common case pays nothing.
    Otherwise the currency mark, then the thousands groups (which must be whole groups of three
    digits: ``12,34`` is refused), then the decimal mark are translated before parsing.
    """
    if decimal == "." and thousands is None and currency is None:
        return parse_number
    grouped = _grouping(thousands, decimal) if thousands is not None else None

    def read(cell: str) -> float | None:
        text = cell
        if currency is not None:
            text = _without_currency(text, currency)
            if text is None:
                return None
        if grouped is not None and any(mark in text for mark in _marks(thousands)):
            if not grouped.fullmatch(text):
                return None
            for mark in _marks(thousands):
                text = text.replace(mark, "")
        if decimal == ",":
            if "." in text:
                return None
            text = text.replace(",", ".")
        return parse_number(text)

    return read


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


def _marks(thousands: str | None) -> str:
    return _SPACES if thousands == " " else (thousands or "")


def _grouping(thousands: str, decimal: str) -> re.Pattern[str]:
    mark = f"[{re.escape(_SPACES)}]" if thousands == " " else re.escape(thousands)
    return re.compile(
        rf"[+-]?\d{{1,3}}(?:{mark}\d{{3}})+(?:{re.escape(decimal)}\d*)?(?:[eE][+-]?\d+)?"
    )


def _without_currency(text: str, currency: str) -> str | None:
    """``$12.50``, ``-$12.50``, ``$-12.50``, ``12,50 €`` without their mark (and spaces)."""
    sign = ""
    if text[:1] in "+-" and text[1:].startswith(currency):
        sign, text = text[0], text[1:]
    if text.startswith(currency):
        text = text[len(currency) :].lstrip(_SPACES)
    elif text.endswith(currency):
        text = text[: -len(currency)].rstrip(_SPACES)
    if not text:
        return None
    return sign + text


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")
_THREE_AFTER_COMMA = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")
_COMMA_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+\.\d*")
_DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?")
_SPACE_THOUSANDS = re.compile(rf"[+-]?\d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d*)?")
_APOSTROPHE_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:'\d{3})+(?:\.\d*)?")


def convention_hint(cell: str, decimal: str, currency: str | None = None) -> str:
    """Why a cell that is not a number may be one written in another convention, naming the
    option that reads it (``""`` when it does not look like a number at all). `currency` is
    the mark already allowed, looked past."""
    if currency is not None:
        cell = _without_currency(cell, currency) or cell
    mark = currency_mark(cell)
    if mark is not None:
        return f" (a currency mark: pass --currency '{mark}' to read it)"
    if decimal == ",":
        if _DOT_THOUSANDS.fullmatch(cell) and "," in cell:
            return " (thousands grouped by '.': pass --thousands .)"
        if re.fullmatch(r"[+-]?\d*\.\d+(?:[eE][+-]?\d+)?", cell):
            return " (this file is read with ',' as the decimal mark; pass --decimal . if not)"
        return ""
    if _COMMA_THOUSANDS.fullmatch(cell):
        return " (thousands grouped by ',': pass --thousands ,)"
    if _THREE_AFTER_COMMA.fullmatch(cell):
        return (
            " (pass --thousands , if the comma groups thousands, or --decimal , if it is a "
            "decimal comma)"
        )
    if _DOT_THOUSANDS.fullmatch(cell):
        return " (thousands grouped by '.' and a decimal comma: pass --thousands . --decimal ,)"
    if _DECIMAL_COMMA.fullmatch(cell):
        return " (a decimal comma: pass --decimal ,)"
    if _SPACE_THOUSANDS.fullmatch(cell):
        extra = " --decimal ," if "," in cell else ""
        return f" (thousands grouped by spaces: pass --thousands space{extra})"
    if _APOSTROPHE_THOUSANDS.fullmatch(cell):
        return ' (thousands grouped by "\'": pass --thousands "\'")'
    return ""


def currency_mark(cell: str) -> str | None:
    """The currency symbol before or after a number in `cell` (``$12.50``, ``12,50 €``)."""
    body = cell.lstrip("+-")
    for text, inner in ((body, body[1:]), (body[::-1], body[-2::-1])):
        if text and unicodedata.category(text[0]) == "Sc" and inner.strip(_SPACES)[:1].isdigit():
            return text[0]
    return None
