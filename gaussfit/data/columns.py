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
        """What `Dataset.column` records: the header name, else a ``"column 3"`` label."""
        return self.name if self.name else f"column {self.index}"

    def describe(self) -> str:
        """How error messages name the column: quoted when it is a header name."""
        return f"column {self.name!r}" if self.name else f"column {self.index}"


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
    listing = f" (columns: {', '.join(names)})" if names else " in the first data row"
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
            f"{source}: unknown {role} {choice!r}: the source has no header row; "
            f"give a 0-based index (it has {_count_columns(count)})"
        )
    message = f"{source}: unknown {role} {choice!r} (columns: {', '.join(names)})"
    folded = [name for name in names if name.casefold() == choice.casefold()]
    close = folded or difflib.get_close_matches(choice, names, n=3, cutoff=0.6)
    if close:
        message += "; did you mean " + " or ".join(repr(name) for name in close) + "?"
    return message
