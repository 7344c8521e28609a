"""Turn the user's column choice (name, index or nothing) into one checked column position.

Shared by the CSV, .npy and Parquet readers so that ``--column`` means the same thing, and fails
with the same wording, whatever the file format.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gaussfit.errors import DataError

ColumnChoice = str | int | None


@dataclass(frozen=True)
class Column:
    """A resolved column: its 0-based position and its header name, if the source has one."""

    index: int
    name: str | None = None

    @property
    def label(self) -> str:
        """What `Dataset.column` records: the header name, else ``"column 4 (no header)"``
        (counted from 1, as a person counts the columns they see)."""
        return self.name if self.name else unnamed_label(self.index)

    def describe(self) -> str:
        """How error messages name the column: quoted (and cut short) when it is a header
        name."""
        return f"column {shorten(self.name)}" if self.name else unnamed_label(self.index)


def unnamed_label(index: int) -> str:
    """The words for the column at 0-based `index` of a source without a header row."""
    return f"column {index + 1} (no header)"


def column_phrase(label: str, *, quoted: bool = True) -> str:
    """``column 'x'`` for a header name, the label itself for an unnamed column: for messages
    written from a `Dataset.column` label."""
    if label.endswith(" (no header)"):
        return label
    return f"column {shorten(label) if quoted else label}"


def shorten(text: str, limit: int = 40) -> str:
    """Quote text from a file for a message, escaped and cut short, so that a long or hostile
    cell or name cannot flood the terminal (or a batch summary) or drive it."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def list_names(names: Sequence[str], limit: int = 10) -> str:
    """The column names for a message: the first `limit` of them, each cut short."""
    shown = ", ".join(shorten(name) for name in names[:limit])
    more = len(names) - limit
    return shown + (f", ... ({len(names)} columns)" if more > 0 else "")


def resolve_column(
    choice: ColumnChoice,
    names: Sequence[str] | None,
    count: int,
    source: str,
    role: str = "column",
) -> Column:
    """Resolve an explicit `choice` among `count` columns (`names` is None without a header).

    A string is a header name first; only if no header column is called that does a string of
    digits count as an index, so a column literally named ``"1"`` stays reachable by name.
    `role` ("column" or "weights column") only changes the wording of errors.
    """
    if isinstance(choice, str):
        if names is not None and choice in names:
            index = list(names).index(choice)
            return Column(index, names[index] or None)
        if not (choice.isascii() and choice.isdigit()):
            raise DataError(_unknown(choice, names, count, source, role))
        choice = int(choice)
    elif isinstance(choice, bool) or not hasattr(choice, "__index__"):
        raise TypeError(f"{role} must be a name, an index or None, not {choice!r}")
    choice = operator.index(choice)
    if not 0 <= choice < count:
        raise DataError(
            f"{source}: {role} index {choice} is out of range "
            f"(the source has {_count_columns(count)}, numbered from 0)"
        )
    return Column(choice, _name_at(names, choice))


def first_column(
    count: int,
    names: Sequence[str] | None,
    is_numeric: Callable[[int], bool],
    where: str,
    skip: int | None = None,
) -> Column:
    """The default column: the first one `is_numeric` accepts, never the weights column `skip`.

    A column with an empty header name is passed over: it is the row index that pandas'
    ``to_csv`` writes, not data. `where` places the error (the source, or its first data line).
    """
    for index in range(count):
        if index != skip and is_numeric(index) and (names is None or names[index]):
            return Column(index, _name_at(names, index))
    listing = f" (columns: {list_names(names)})" if names else " in the first data row"
    raise DataError(f"{where}: no numeric column{listing}")


def _name_at(names: Sequence[str] | None, index: int) -> str | None:
    if names is None or index >= len(names):
        return None
    return names[index] or None


def _count_columns(count: int) -> str:
    return "1 column" if count == 1 else f"{count} columns"


def _unknown(choice: str, names: Sequence[str] | None, count: int, source: str, role: str) -> str:
    if names is None:
        return (
            f"{source}: unknown {role} {shorten(choice)}: the source has no header row; "
            f"give a 0-based index (it has {_count_columns(count)})"
        )
    message = f"{source}: unknown {role} {shorten(choice)} (columns: {list_names(names)})"
    folded = [name for name in names if name.casefold() == choice.casefold()]
    # difflib compares against every name: bounded to keep a million-column header quick.
    close = folded[:3] or difflib.get_close_matches(choice, names[:1000], n=3, cutoff=0.6)
    if close:
        message += "; did you mean " + " or ".join(shorten(name) for name in close) + "?"
    return message
