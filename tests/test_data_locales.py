"""Numbers written in other conventions: decimal commas, thousands groups, currency marks,
explicit separators, and the row-index column a default choice passes over.

Each expected value is the number as written, read by hand; each refusal must name the option
that reads the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_data_loading import error_of, reader, values_of, write  # noqa: F401 (a fixture)

from gaussfit.data import load_data
from gaussfit.errors import ConfigError

# --- decimal commas -----------------------------------------------------------------------------


@pytest.mark.usefixtures("reader")
def test_semicolons_and_decimal_commas_are_read_as_written(tmp_path: Path) -> None:
    """The spreadsheet layout of many locales, without a header: once fitted as 1, 2, 3."""
    path = write(tmp_path, "1,5;2,3\n2,95;1\n3,25;0,5\n")
    data = load_data(path)
    assert values_of(data) == [1.5, 2.95, 3.25]
    assert values_of(load_data(path, 1)) == [2.3, 1.0, 0.5]


@pytest.mark.usefixtures("reader")
def test_decimal_commas_with_a_header_and_tabs(tmp_path: Path) -> None:
    assert values_of(load_data(write(tmp_path, "a;b\n1,5;-2,25\n2;1e3\n"), "b")) == [-2.25, 1e3]
    assert values_of(load_data(write(tmp_path, "1\t2,5\n2\t3,75\n"), 1)) == [2.5, 3.75]


@pytest.mark.usefixtures("reader")
def test_a_decimal_point_anywhere_keeps_the_commas_out(tmp_path: Path) -> None:
    """One cell written ``0.5`` shows the file uses points; its commas then are no decimals."""
    path = write(tmp_path, "a;b\n1,5;2\n0.5;1\n")
    assert error_of(path, column="a") == (
        f"{path}:2: column 'a': cannot read '1,5' as a number (a decimal comma: pass --decimal ,)"
    )


@pytest.mark.usefixtures("reader")
def test_commas_that_may_group_thousands_are_not_guessed(tmp_path: Path) -> None:
    """``1,000`` is one thousand in some places and one in others: the error says both ways, and
    never that '.' is the decimal point."""
    path = write(tmp_path, "a;b\n1,000;2,500\n3,000;4,000\n")
    message = error_of(path)
    assert message == (
        f"{path}: cannot tell whether the comma in '1,000' is a decimal comma or groups "
        "thousands: pass --decimal , or --thousands ,"
    )
    assert values_of(load_data(path, "b", decimal=",")) == [2.5, 4.0]
    assert values_of(load_data(path, "b", thousands=",")) == [2500.0, 4000.0]


@pytest.mark.usefixtures("reader")
def test_two_integer_columns_or_one_decimal_column(tmp_path: Path) -> None:
    """``1,05`` is no way to write two integers; with no header it could still be either."""
    path = write(tmp_path, "1,05\n2,3\n")
    assert error_of(path) == (
        f"{path}: cannot tell whether '1,05' is two columns or a number with a decimal comma: "
        "pass --decimal , for one column of decimal-comma numbers, or --sep , for two columns"
    )
    assert values_of(load_data(path, decimal=",")) == [1.05, 2.3]
    assert values_of(load_data(path, sep=",")) == [1.0, 2.0]
    assert values_of(load_data(path, 1, sep=",")) == [5.0, 3.0]


@pytest.mark.usefixtures("reader")
def test_headerless_integer_pairs_are_asked_about_unless_numbered(tmp_path: Path) -> None:
    """``1,5`` / ``2,25`` / ``3,125`` may be one column of decimals: asked. A first column that
    counts 1, 2, 3, ... beside the values, or a column named by the user, settles it."""
    path = write(tmp_path, "1,5\n2,25\n3,125\n")
    assert error_of(path).endswith(
        "pass --decimal , for one column of decimal-comma numbers, or --sep , for two columns"
    )
    assert values_of(load_data(path, 0)) == [1.0, 2.0, 3.0]
    numbered = load_data(write(tmp_path, "".join(f"{i},{7 * i % 5}\n" for i in range(1, 7))))
    assert (numbered.column, values_of(numbered)) == ("column 2 (no header)", [2, 4, 1, 3, 0, 2])


@pytest.mark.usefixtures("reader")
def test_decimal_commas_read_exactly(tmp_path: Path) -> None:
    """Correctly rounded, on both readers: the digits of repr(x) with a comma give x back."""
    numbers = np.random.default_rng(7).normal(0, 1e3, 500) * 10.0 ** np.arange(-250, 250)
    text = "".join(f"{repr(float(x)).replace('.', ',')};1\n" for x in numbers)
    data = load_data(write(tmp_path, "x;w\n" + text))
    assert np.array_equal(data.values, numbers)


# --- thousands separators and currency marks ----------------------------------------------------


@pytest.mark.usefixtures("reader")
@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ('x\n"1,234.50"\n"-12,345,678"\n7\n', {"thousands": ","}, [1234.5, -12345678.0, 7.0]),
        ("x;y\n1.234,5;1\n12,25;1\n", {"thousands": "."}, [1234.5, 12.25]),
        ("x;y\n1 234,5;1\n1\u202f000;1\n", {"thousands": "space", "decimal": ","}, [1234.5, 1e3]),
        ("x\n1'234.5\n", {"thousands": "'"}, [1234.5]),
        ("x\n$12.50\n-$3\n$-4.25\n5\n", {"currency": "$"}, [12.5, -3.0, -4.25, 5.0]),
        ("x;y\n12,50 €;1\n3 €;1\n", {"currency": "€", "decimal": ","}, [12.5, 3.0]),
        ('x\n"$1,234.50"\n', {"currency": "$", "thousands": ","}, [1234.5]),
    ],
)
def test_options_read_other_conventions(
    tmp_path: Path, text: str, options: dict, expected: list[float]
) -> None:
    assert values_of(load_data(write(tmp_path, text), **options)) == expected


@pytest.mark.usefixtures("reader")
@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ('"1,234.50"', "(thousands grouped by ',': pass --thousands ,)"),
        ("$12.50", "(a currency mark: pass --currency '$' to read it)"),
        ("12.50€", "(a currency mark: pass --currency '€' to read it)"),
        ("1 234.5", "(thousands grouped by spaces: pass --thousands space)"),
        ('"1,5"', "(a decimal comma: pass --decimal ,)"),
    ],
)
def test_other_conventions_get_the_option_that_reads_them(
    tmp_path: Path, cell: str, hint: str
) -> None:
    path = write(tmp_path, f"x,y\n1,2\n{cell},3\n")
    shown = cell.strip('"')
    assert error_of(path) == f"{path}:3: column 'x': cannot read {shown!r} as a number {hint}"


@pytest.mark.usefixtures("reader")
def test_thousands_groups_must_be_whole(tmp_path: Path) -> None:
    path = write(tmp_path, 'x\n"1,234"\n"12,34"\n')
    assert error_of(path, thousands=",") == (
        f"{path}:3: column 'x': cannot read '12,34' as a number (a decimal comma: pass --decimal ,)"
    )


# --- explicit separators and option checks ------------------------------------------------------


@pytest.mark.usefixtures("reader")
def test_any_one_character_separator(tmp_path: Path) -> None:
    path = write(tmp_path, "a|b\n1.5|2\n2.5|3\n" + "".join(f"{i}.5|1\n" for i in range(50)))
    assert values_of(load_data(path, "b", sep="|"))[:2] == [2.0, 3.0]
    assert values_of(load_data(write(tmp_path, "1 2\n3  4\n"), 1, sep="space")) == [2.0, 4.0]


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"sep": "ab"}, "--sep: 'ab' is not a column separator"),
        ({"sep": "."}, "--sep: '.' is not a column separator"),
        ({"decimal": ";"}, "--decimal: ';' is not a decimal mark"),
        ({"decimal": ",", "sep": ","}, "--sep and --decimal are both ','"),
        ({"thousands": "x"}, "--thousands: 'x' is not a thousands separator"),
        ({"thousands": ".", "decimal": "."}, "--thousands '.' is also the decimal mark"),
    ],
)
def test_bad_reading_options(tmp_path: Path, options: dict, fragment: str) -> None:
    with pytest.raises(ConfigError, match="^" + __import__("re").escape(fragment)):
        load_data(write(tmp_path, "x\n1\n"), **options)


def test_reading_options_are_for_text(tmp_path: Path) -> None:
    path = tmp_path / "x.npy"
    np.save(path, np.array([1.0, 2.0]))
    with pytest.raises(ConfigError, match="describe text files"):
        load_data(path, decimal=",")


# --- a row index is not the data ----------------------------------------------------------------


@pytest.mark.usefixtures("reader")
def test_a_row_index_column_is_passed_over_with_a_note(tmp_path: Path) -> None:
    rows = [0.5, 2.5, 1.25, 4.0]
    data = load_data(write(tmp_path, "id,x\n" + "".join(f"{i},{v}\n" for i, v in enumerate(rows))))
    assert (data.column, values_of(data)) == ("x", rows)
    assert data.notes == (
        "column 'id' counts up by one in every row, like a row index: fitted column 'x' "
        "instead (pass --column to choose)",
    )
    headerless = load_data(write(tmp_path, "".join(f"{i + 1}\t{v}\n" for i, v in enumerate(rows))))
    assert (headerless.column, values_of(headerless)) == ("column 2 (no header)", rows)


@pytest.mark.usefixtures("reader")
def test_a_run_that_breaks_after_the_first_lines_is_data(tmp_path: Path) -> None:
    """The first lines only suggest an index; the whole column decides."""
    counts = [*range(1, 40), 41]
    text = "n,x\n" + "".join(f"{c},{c * 0.5}\n" for c in counts)
    data = load_data(write(tmp_path, text))
    assert (data.column, values_of(data), data.notes) == ("n", [float(c) for c in counts], ())


@pytest.mark.usefixtures("reader")
def test_an_index_is_kept_when_asked_for_or_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "id,x\n0,1.5\n1,2.5\n2,0.5\n")
    assert values_of(load_data(path, "id")) == [0.0, 1.0, 2.0]
    alone = load_data(write(tmp_path, "id,name\n0,a\n1,b\n2,c\n"))
    assert (alone.column, alone.notes) == ("id", ())
