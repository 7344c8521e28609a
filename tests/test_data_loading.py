"""Tests for `gaussfit.data.load_data` and `Dataset`.

Expected values are written out literally (or generated here and formatted with `repr`), never
taken from an earlier run of the loader. Most text tests run three times through the `reader`
fixture: the careful line-by-line reader, the pandas fast path and the numpy fast path, which
must agree on values and on the exact error message.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gaussfit.data.csv_reader as csv_reader
from gaussfit.data import Dataset, load_data
from gaussfit.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED_LAB = [
    1.331, 3.775, 4.025, 1.505, 1.199, 1.839, 2.445, 4.915, 1.6, 2.333,
    4.764, 4.06, 3.11, 0.348, 1.878, 1.407, 4.618, 4.927, 1.862, 1.095,
]  # fmt: skip
NEVER = 1 << 62


@pytest.fixture(params=["careful", "pandas", "numpy"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Route text reads through one of the three readers, whatever the file size."""
    if request.param == "careful":
        monkeypatch.setattr(csv_reader, "FAST_PATH_MIN_BYTES", NEVER)
        return request.param
    monkeypatch.setattr(csv_reader, "FAST_PATH_MIN_BYTES", 0)
    if request.param == "pandas":
        pytest.importorskip("pandas")
    else:
        monkeypatch.setitem(sys.modules, "pandas", None)
    return request.param


def write(tmp_path: Path, content: str | bytes, name: str = "data.csv") -> str:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return str(path)


def values_of(dataset: Dataset) -> list[float]:
    return [float(v) for v in dataset.values]


def error_of(path: str, **options: object) -> str:
    with pytest.raises(DataError) as caught:
        load_data(path, **options)
    message = str(caught.value)
    assert "\n" not in message
    return message


def reading_with(mode: str) -> contextlib.AbstractContextManager:
    """Like the `reader` fixture, for use inside a hypothesis test (no function fixtures)."""
    stack = contextlib.ExitStack()
    threshold = NEVER if mode == "careful" else 0
    stack.enter_context(mock.patch.object(csv_reader, "FAST_PATH_MIN_BYTES", threshold))
    if mode == "numpy":
        stack.enter_context(mock.patch.dict(sys.modules, {"pandas": None}))
    return stack


def same_bits(actual: np.ndarray, expected: list[float]) -> bool:
    """Exact equality, down to the sign of zero."""
    wanted = np.asarray(expected, dtype=np.float64)
    return actual.shape == wanted.shape and bool(
        np.all(actual.view(np.uint64) == wanted.view(np.uint64))
    )


# --- layout: header, delimiters, quotes, encodings, comments -----------------------------------


def test_header_and_single_column(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "x\n1.5\n2\n-3e-2\n"))
    assert values_of(data) == [1.5, 2.0, -0.03]
    assert data.column == "x"
    assert data.weights is None
    assert data.dropped == 0
    assert data.source == str(tmp_path / "data.csv")


def test_no_header(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "1.5\n2\n"))
    assert values_of(data) == [1.5, 2.0]
    assert data.column == "column 1 (no header)"


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,10\n2,20\n",
        "a\tb\n1\t10\n2\t20\n",
        "a;b\n1;10\n2;20\n",
        "a b\n1 10\n2   20\n",
        "a\tb\n1 \t 10\n  2\t\t20\n",
        "a, b\n1, 10\n2,  20\n",
    ],
    ids=["comma", "tab", "semicolon", "spaces", "mixed-blanks", "comma-space"],
)
def test_delimiters(tmp_path: Path, reader: str, text: str) -> None:
    path = write(tmp_path, text)
    assert values_of(load_data(path)) == [1.0, 2.0]
    second = load_data(path, "b")
    assert values_of(second) == [10.0, 20.0]
    assert second.column == "b"


def test_tab_file_keeps_a_leading_empty_cell(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "a\tb\n1\t10\n\t20\n")
    assert values_of(load_data(path, "b")) == [10.0, 20.0]
    assert error_of(path, column="a") == f"{path}:3: column 'a': empty cell"


def test_quoted_numbers_and_names(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, '"x","w"\n"1.5","2"\n"2.5", "3"\n')
    data = load_data(path, weights="w")
    assert values_of(data) == [1.5, 2.5]
    assert [float(w) for w in data.weights] == [2.0, 3.0]


def test_quoted_cell_may_hold_the_delimiter(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, 'name,x\n"Smith, J",1.25\n"Lee, K",2.5\n')
    assert values_of(load_data(path)) == [1.25, 2.5]


def test_byte_order_mark(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, b"\xef\xbb\xbfx\n1.5\n2.5\n"))
    assert data.column == "x"
    assert values_of(data) == [1.5, 2.5]


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_ends(tmp_path: Path, reader: str, newline: str) -> None:
    path = write(tmp_path, newline.join(["x,w", "1.5,1", "2.5,2", "abc,3", ""]))
    assert values_of(load_data(path, drop_missing=True)) == [1.5, 2.5]
    assert error_of(path) == f"{path}:4: column 'x': cannot read 'abc' as a number"


def test_comments_and_blank_lines(tmp_path: Path, reader: str) -> None:
    text = "# made by the bench\n\nx,w  # header comment\n1.5,1\n\n   \n# skipped\n2.5,2 # note\n"
    path = write(tmp_path, text)
    data = load_data(path, weights="w")
    assert data.column == "x"
    assert values_of(data) == [1.5, 2.5]
    assert error_of(write(tmp_path, text + "\n  \n bad,3\n", "late.csv")).endswith(
        ":11: column 'x': cannot read 'bad' as a number"
    )


def test_hash_inside_quotes_is_not_a_comment(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, '"run #1",x\n1,2.5\n'), "run #1")
    assert data.column == "run #1"
    assert values_of(data) == [1.0]


def test_single_quoted_column(tmp_path: Path, reader: str) -> None:
    assert values_of(load_data(write(tmp_path, 'x\n"1.5"\n "2" \n'))) == [1.5, 2.0]


def test_decimal_commas_in_a_one_column_file(tmp_path: Path, reader: str) -> None:
    """One column, so the comma separates nothing: it is a decimal mark, unless every comma is
    followed by three digits (then it may group thousands, and the reader asks)."""
    assert values_of(load_data(write(tmp_path, "x\n1,5\n2,25\n-0,125\n"))) == [1.5, 2.25, -0.125]
    path = write(tmp_path, "x\n1,000\n2,500\n")
    assert error_of(path) == (
        f"{path}: cannot tell whether the comma in '1,000' is a decimal comma or groups "
        "thousands: pass --decimal , or --thousands ,"
    )
    assert values_of(load_data(path, decimal=",")) == [1.0, 2.5]
    assert values_of(load_data(path, thousands=",")) == [1000.0, 2500.0]


def test_no_break_space_is_not_a_delimiter(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "a b\n1 2\n3\u00a04 5\n")
    assert error_of(path) == f"{path}:3: column 'a': cannot read '3\\xa04' as a number"
    assert values_of(load_data(path, "b")) == [2.0, 5.0]


def test_utf8_cut_off_at_the_end(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, b"x,note\n" + b"1,a\n" * 30 + b"2,\xc3")
    assert error_of(path) == f"{path}:32: not a text file (byte 0xc3 is not UTF-8)"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [('"1"x', "'1x'"), ('1"2"', "'1\"2\"'"), ('"1""2"', "'1\"2'")],
)
def test_stray_quotes(tmp_path: Path, reader: str, cell: str, shown: str) -> None:
    path = write(tmp_path, f"x,w\n1,1\n{cell},2\n")
    assert error_of(path) == f"{path}:3: column 'x': cannot read {shown} as a number"


def test_comment_after_a_quoted_cell(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, '"x","w"\n"1.5",1 # "note"\n"2.5",2\n'))
    assert values_of(data) == [1.5, 2.5]


# --- choosing columns -------------------------------------------------------------------------


def test_column_by_name_index_and_digit_string(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,y,z\n1,10,100\n2,20,200\n")
    assert values_of(load_data(path, "z")) == [100.0, 200.0]
    assert values_of(load_data(path, 1)) == [10.0, 20.0]
    assert values_of(load_data(path, np.int64(1))) == [10.0, 20.0]
    assert values_of(load_data(path, "2")) == [100.0, 200.0]
    assert load_data(path, 1).column == "y"


def test_digit_string_is_a_name_first(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,0,1\n5,6,7\n")
    assert values_of(load_data(path, "0")) == [6.0]
    assert values_of(load_data(path, 0)) == [5.0]


def test_headerless_column_by_index(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "1;10\n2;20\n"), "1")
    assert values_of(data) == [10.0, 20.0]
    assert data.column == "column 2 (no header)"


def test_default_is_first_numeric_column(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "name,site,x\nal,north,1.5\nbo,south,2.5\n"))
    assert data.column == "x"
    assert values_of(data) == [1.5, 2.5]


def test_default_skips_the_weights_column(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "w,x\n2,1.5\n3,2.5\n"), weights="w")
    assert data.column == "x"
    assert values_of(data) == [1.5, 2.5]


def test_default_skips_a_pandas_index_column(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, ",x\n0,1.5\n1,2.5\n"))
    assert data.column == "x"
    assert values_of(data) == [1.5, 2.5]


@pytest.mark.parametrize("first", ["1.5,NA", "1,NA", "1.5,abc", "1,-", "nan,null"])
def test_first_row_with_missing_markers_is_data(tmp_path: Path, reader: str, first: str) -> None:
    path = write(tmp_path, f"{first}\n2,3\n")
    data = load_data(path, 1, drop_missing=True)
    assert (data.column, values_of(data), data.dropped) == ("column 2 (no header)", [3.0], 1)


def test_integer_names_can_head_columns(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "site,2023,2024\n7,1.5,2.5\n"), "2024")
    assert (data.column, values_of(data)) == ("2024", [2.5])


# --- weights ----------------------------------------------------------------------------------


def test_weights_by_name_and_index(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,w\n1.5,0.5\n2.5,0\n3.5,2\n")
    for choice in ("w", 1, "1"):
        data = load_data(path, "x", weights=choice)
        assert values_of(data) == [1.5, 2.5, 3.5]
        assert [float(w) for w in data.weights] == [0.5, 0.0, 2.0]


def test_weights_column_before_value_column(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "w,x\n2,1.5\n3,2.5\n"), "x", weights=0)
    assert values_of(data) == [1.5, 2.5]
    assert [float(w) for w in data.weights] == [2.0, 3.0]


def test_negative_weight(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,w\n1.5,1\n2.5,-0.5\n")
    expected = f"{path}:3: column 'w': negative weight '-0.5'"
    assert error_of(path, weights="w") == expected
    assert error_of(path, weights="w", drop_missing=True) == expected


def test_all_weights_zero(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,w\n1.5,0\n2.5,0\n")
    assert error_of(path, weights="w") == f"{path}: all weights are zero"


def test_weights_and_values_in_one_column(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,w\n1.5,1\n")
    assert error_of(path, column="x", weights=0) == (
        f"{path}: the weights column is the value column 'x'"
    )


# --- drop_missing -----------------------------------------------------------------------------


def test_drop_missing_counts_rows(tmp_path: Path, reader: str) -> None:
    text = "x,w\n1.5,1\n,1\nabc,1\nnan,1\n-inf,1\n2.5,\n3.5,NA\n4.5,inf\n5.5,2\n"
    data = load_data(write(tmp_path, text), weights="w", drop_missing=True)
    assert values_of(data) == [1.5, 5.5]
    assert [float(w) for w in data.weights] == [1.0, 2.0]
    assert data.dropped == 7


def test_drop_missing_ignores_the_unused_columns(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "x,note\n1.5,\n2.5,n/a\n"), "x", drop_missing=True)
    assert values_of(data) == [1.5, 2.5]
    assert data.dropped == 0


def test_nothing_left_after_dropping(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x\nnan\n\n,\nNA\n")
    assert error_of(path, drop_missing=True) == (
        f"{path}: no data rows left after dropping 3 row(s) with missing values"
    )


def test_short_row_is_an_error_even_when_dropping(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,w\n1.5,1\n2.5\n")
    expected = f"{path}:3: column 'w': missing (the row has only 1 cell)"
    assert error_of(path, weights="w") == expected
    assert error_of(path, weights="w", drop_missing=True) == expected


# --- error messages: file, line and column ----------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("abc", "cannot read 'abc' as a number"),
        ("1_000", "cannot read '1_000' as a number"),
        ("\u0663", "cannot read '\u0663' as a number"),
        (
            "1.234,5",
            "cannot read '1.234,5' as a number (thousands grouped by '.' and a decimal comma: "
            "pass --thousands . --decimal ,)",
        ),
        ("$12", "cannot read '$12' as a number (a currency mark: pass --currency '$' to read it)"),
        ("", "empty cell"),
        ("nan", "not a finite number ('nan')"),
        ("-inf", "not a finite number ('-inf')"),
        ("Infinity", "not a finite number ('Infinity')"),
        ("1e400", "not a finite number ('1e400')"),
    ],
)
def test_bad_cell_names_file_line_and_column(
    tmp_path: Path, reader: str, cell: str, problem: str
) -> None:
    lines = ["# header comes next", "x;w", "1;1", "", "2;1", "3;1", f"{cell};1", "4;1"]
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert error_of(path) == f"{path}:7: column 'x': {problem}"


def test_bad_cell_in_headerless_file(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "1\t2\n3\tx\n")
    assert error_of(path, column=1) == (
        f"{path}:2: column 2 (no header): cannot read 'x' as a number"
    )


def test_long_bad_cell_is_shortened(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x\n1\n" + "z" * 200 + "\n")
    assert error_of(path) == f"{path}:3: column 'x': cannot read '{'z' * 37}...' as a number"


def test_bad_weight_cell(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, "x,w\n1,1\n2,heavy\n")
    assert error_of(path, weights="w") == f"{path}:3: column 'w': cannot read 'heavy' as a number"


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "data.csv")
    assert error_of(path) == f"{path}: no such file"
    for name in ("data.npy", "data.parquet"):
        assert error_of(str(tmp_path / name)) == f"{tmp_path / name}: no such file"


def test_directory(tmp_path: Path) -> None:
    assert error_of(str(tmp_path)) == f"{tmp_path}: is a directory, not a file"


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"")
    assert error_of(path) == f"{path}: empty file"


def test_only_comments_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n\n   \n")
    assert error_of(path) == f"{path}: no data (only blank lines and comments)"


def test_header_only(tmp_path: Path) -> None:
    path = write(tmp_path, "x,w\n# no rows\n")
    assert error_of(path) == f"{path}: no data rows (only a header line)"


def test_unknown_column_suggests_close_names(tmp_path: Path) -> None:
    path = write(tmp_path, "x,w,height\n1,2,3\n")
    columns = "(columns: 'x', 'w', 'height')"
    assert error_of(path, column="y") == f"{path}: unknown column 'y' {columns}"
    assert error_of(path, column="hieght") == (
        f"{path}: unknown column 'hieght' {columns}; did you mean 'height'?"
    )
    assert error_of(path, column="X") == (
        f"{path}: unknown column 'X' {columns}; did you mean 'x'?"
    )
    assert error_of(path, weights="weight") == (
        f"{path}: unknown weights column 'weight' {columns}; did you mean 'height'?"
    )


def test_unknown_column_without_header(tmp_path: Path) -> None:
    path = write(tmp_path, "1,2\n3,4\n")
    assert error_of(path, column="x") == (
        f"{path}: unknown column 'x': the source has no header row; "
        "give a 0-based index (it has 2 columns)"
    )


@pytest.mark.parametrize("index", [2, -1, "7"])
def test_column_index_out_of_range(tmp_path: Path, index: int | str) -> None:
    path = write(tmp_path, "x,w\n1,2\n")
    assert error_of(path, column=index) == (
        f"{path}: column index {int(index)} is out of range "
        "(the source has 2 columns, numbered from 0)"
    )


def test_column_of_the_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        load_data(write(tmp_path, "x\n1\n"), 1.5)  # type: ignore[arg-type]


def test_no_numeric_column(tmp_path: Path) -> None:
    path = write(tmp_path, "# names only\nname,city\nal,paris\n")
    assert error_of(path) == f"{path}:3: no numeric column (columns: 'name', 'city')"


def test_nul_byte_is_not_text(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, b"x,note\n1,a\n2,b\x00c\n")
    assert error_of(path) == f"{path}:3: not a text file (it contains NUL bytes)"


def test_invalid_utf8_names_the_line(tmp_path: Path, reader: str) -> None:
    path = write(tmp_path, b"x,note\n1,a\n2,b\n3,caf\xe9\n")
    assert error_of(path) == f"{path}:4: not a text file (byte 0xe9 is not UTF-8)"


def test_binary_garbage(tmp_path: Path) -> None:
    path = write(tmp_path, bytes(range(256)) * 4, "blob.csv")
    assert error_of(path) == f"{path}:1: not a text file (it contains NUL bytes)"


def test_utf8_names_are_fine(tmp_path: Path, reader: str) -> None:
    data = load_data(write(tmp_path, "température,x\n21.5,1\n"))
    assert data.column == "température"
    assert values_of(data) == [21.5]


# --- standard input ---------------------------------------------------------------------------


def test_stdin_text_stream(reader: str) -> None:
    data = load_data("-", stdin=io.StringIO("x\n1.5\n2.5\n"))
    assert (data.source, data.column, values_of(data)) == ("<stdin>", "x", [1.5, 2.5])


def test_stdin_binary_stream_and_buffer(reader: str) -> None:
    assert values_of(load_data("-", stdin=io.BytesIO(b"1\n2\n"))) == [1.0, 2.0]
    wrapped = io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfv\r\n3\r\n"), encoding="utf-8")
    assert values_of(load_data("-", stdin=wrapped)) == [3.0]


def test_stdin_defaults_to_sys_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("x\n4.5\n"))
    assert values_of(load_data("-")) == [4.5]


def test_stdin_errors_name_stdin(reader: str) -> None:
    with pytest.raises(DataError, match=r"^<stdin>:3: column 'x': empty cell$"):
        load_data("-", stdin=io.StringIO("x,w\n1,1\n,1\n"))
    with pytest.raises(DataError, match=r"^<stdin>: empty file$"):
        load_data("-", stdin=io.StringIO(""))


def test_stdin_undecodable_bytes_name_the_line() -> None:
    text = b"x\n1\n\xff\n".decode("utf-8", "surrogateescape")
    with pytest.raises(DataError, match=r"^<stdin>:3: not a text file \(byte 0xff is not UTF-8\)$"):
        load_data("-", stdin=io.StringIO(text))


def test_no_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(DataError, match=r"^<stdin>: there is no standard input$"):
        load_data("-")


def test_stdin_lone_surrogate_is_not_text() -> None:
    with pytest.raises(DataError, match=r"^<stdin>:2: not a text file \(not UTF-8\)$"):
        load_data("-", stdin=io.StringIO("x\n\ud800\n"))


# --- .npy -------------------------------------------------------------------------------------


def test_npy_one_dimensional(tmp_path: Path) -> None:
    path = tmp_path / "x.npy"
    np.save(path, np.array([0.1, 2.5, -3.0]))
    data = load_data(path)
    assert values_of(data) == [0.1, 2.5, -3.0]
    assert (data.column, data.source) == ("column 1 (no header)", str(path))
    assert values_of(load_data(str(path), 0)) == [0.1, 2.5, -3.0]


def test_npy_integers_become_floats(tmp_path: Path) -> None:
    path = tmp_path / "counts.npy"
    np.save(path, np.array([3, 0, 7], dtype=np.int32))
    data = load_data(path)
    assert data.values.dtype == np.float64
    assert values_of(data) == [3.0, 0.0, 7.0]


def test_npy_two_dimensional_columns_and_weights(tmp_path: Path) -> None:
    path = tmp_path / "table.npy"
    np.save(path, np.array([[1.0, 10.0, 0.5], [2.0, 20.0, 1.5]]))
    assert values_of(load_data(path)) == [1.0, 2.0]
    data = load_data(path, "1", weights=2)
    assert values_of(data) == [10.0, 20.0]
    assert [float(w) for w in data.weights] == [0.5, 1.5]
    assert data.column == "column 2 (no header)"
    assert values_of(load_data(path, weights=0)) == [10.0, 20.0]
    assert error_of(str(path), column=3) == (
        f"{path}: column index 3 is out of range (the source has 3 columns, numbered from 0)"
    )


def test_npy_non_finite_and_drop_missing(tmp_path: Path) -> None:
    path = tmp_path / "x.npy"
    np.save(path, np.array([1.0, np.nan, 2.0, np.inf]))
    assert error_of(str(path)) == (
        f"{path}: row index 1: column 1 (no header): not a finite number (nan)"
    )
    data = load_data(path, drop_missing=True)
    assert (values_of(data), data.dropped) == ([1.0, 2.0], 2)


def test_npy_weights_problems(tmp_path: Path) -> None:
    path = tmp_path / "t.npy"
    np.save(path, np.array([[1.0, 1.0], [2.0, -1.0], [3.0, np.nan]]))
    assert error_of(str(path), weights=1) == (
        f"{path}: row index 1: column 2 (no header): negative weight -1.0"
    )
    assert error_of(str(path), weights=1, drop_missing=True) == (
        f"{path}: row index 1: column 2 (no header): negative weight -1.0"
    )
    flat = tmp_path / "flat.npy"
    np.save(flat, np.array([1.0, 2.0]))
    assert error_of(str(flat), weights=0) == (
        f"{flat}: weights need a 2-D array with a weights column"
    )


@pytest.mark.parametrize(
    ("array", "problem"),
    [
        (np.array(["a", "b"]), "the array holds <U1 values, not real numbers"),
        (np.array([1 + 2j]), "the array holds complex128 values, not real numbers"),
        (np.zeros((2, 2, 2)), "expected a 1-D or 2-D array, got shape (2, 2, 2)"),
        (np.float64(3.0), "expected a 1-D or 2-D array, got shape ()"),
        (np.array([]), "no data rows"),
    ],
)
def test_npy_unusable_arrays(tmp_path: Path, array: np.ndarray, problem: str) -> None:
    path = tmp_path / "bad.npy"
    np.save(path, array)
    assert error_of(str(path)) == f"{path}: {problem}"


def test_npy_that_is_not_npy(tmp_path: Path) -> None:
    path = write(tmp_path, "x\n1\n", "fake.npy")
    assert error_of(path).startswith(f"{path}: not a valid .npy file (")


def test_npz_named_npy(tmp_path: Path) -> None:
    path = tmp_path / "two.npy"
    with path.open("wb") as handle:
        np.savez(handle, a=np.ones(2), b=np.zeros(2))
    assert error_of(str(path)) == (
        f"{path}: not a .npy file (it holds several arrays; save just one)"
    )


def test_npy_weights_and_values_in_one_column(tmp_path: Path) -> None:
    path = tmp_path / "t.npy"
    np.save(path, np.ones((2, 2)))
    assert error_of(str(path), column=1, weights="1") == (
        f"{path}: the weights column is the value column 2 (no header)"
    )


def test_npy_refuses_pickles(tmp_path: Path) -> None:
    path = tmp_path / "obj.npy"
    np.save(path, np.array([1.0, None], dtype=object), allow_pickle=True)
    assert error_of(str(path)).startswith(f"{path}: not a valid .npy file (")


# --- Parquet ----------------------------------------------------------------------------------


@pytest.fixture
def parquet_file(tmp_path: Path) -> Path:
    pyarrow = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pyarrow.table(
        {
            "name": ["a", "b", "c", "d"],
            "x": [1.5, None, 2.5, float("nan")],
            "count": pyarrow.array([3, 4, 5, 6], type=pyarrow.int64()),
            "w": [1.0, 2.0, -1.0, 0.5],
        }
    )
    path = tmp_path / "table.parquet"
    pq.write_table(table, path)
    return path


def test_parquet_columns(parquet_file: Path) -> None:
    assert values_of(load_data(parquet_file, "count")) == [3.0, 4.0, 5.0, 6.0]
    assert values_of(load_data(parquet_file, 2)) == [3.0, 4.0, 5.0, 6.0]
    data = load_data(parquet_file, drop_missing=True)
    assert (data.column, values_of(data), data.dropped) == ("x", [1.5, 2.5], 2)


def test_parquet_missing_and_non_finite(parquet_file: Path) -> None:
    path = str(parquet_file)
    assert error_of(path) == f"{path}: row index 1: column 'x': empty cell (null)"
    assert error_of(path, column="x", weights="count", drop_missing=False) == (
        f"{path}: row index 1: column 'x': empty cell (null)"
    )


def test_parquet_weights(parquet_file: Path) -> None:
    path = str(parquet_file)
    assert error_of(path, column="count", weights="w") == (
        f"{path}: row index 2: column 'w': negative weight -1.0"
    )
    data = load_data(path, "x", weights="count", drop_missing=True)
    assert [float(w) for w in data.weights] == [3.0, 5.0]


def test_parquet_column_errors(parquet_file: Path) -> None:
    path = str(parquet_file)
    assert error_of(path, column="name") == f"{path}: column 'name' is not numeric (string)"
    assert error_of(path, column="nmae") == (
        f"{path}: unknown column 'nmae' (columns: 'name', 'x', 'count', 'w'); did you mean 'name'?"
    )


def test_parquet_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, b"PAR1", "t.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert error_of(path) == (
        f"{path}: reading Parquet files needs pyarrow; install it with pip install 'gaussfit[io]'"
    )


def test_parquet_that_is_not_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow.parquet")
    path = write(tmp_path, "x\n1\n", "t.parquet")
    assert error_of(path).startswith(f"{path}: not a valid Parquet file (")


# --- big inputs: fast path and careful path agree ---------------------------------------------


@pytest.fixture(scope="module")
def big_values() -> list[float]:
    """About 1.3 MB of text once written: random magnitudes, signs and awkward decimals."""
    rng = np.random.default_rng(20240611)
    mantissa = rng.standard_normal(60_000)
    exponent = rng.integers(-30, 30, size=60_000)
    return [float(m) * 10.0 ** int(e) for m, e in zip(mantissa, exponent, strict=True)]


def big_text(values: list[float], bad_row: int | None = None, cell: str = "oops") -> str:
    rows = [f"{v!r},{i % 7}" for i, v in enumerate(values)]
    if bad_row is not None:
        rows[bad_row] = f"{cell},1"
    return "# big\nx,w\n" + "\n".join(rows) + "\n"


def read_three_ways(path: str, monkeypatch: pytest.MonkeyPatch, **options: object) -> list:
    """Outcomes (values or message) of the careful, pandas and numpy readers, in that order."""
    outcomes = []
    for mode in ("careful", "pandas", "numpy"):
        with monkeypatch.context() as patch:
            patch.setattr(csv_reader, "FAST_PATH_MIN_BYTES", NEVER if mode == "careful" else 0)
            if mode == "numpy":
                patch.setitem(sys.modules, "pandas", None)
            try:
                data = load_data(path, **options)
                outcomes.append((data.values, data.weights, data.column, data.dropped))
            except DataError as exc:
                outcomes.append(str(exc))
    return outcomes


def test_big_file_reads_identically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big_values: list[float]
) -> None:
    pytest.importorskip("pandas")
    path = write(tmp_path, big_text(big_values))
    assert Path(path).stat().st_size > 1 << 20
    weights = [float(i % 7) for i in range(len(big_values))]
    for values, read_weights, column, dropped in read_three_ways(path, monkeypatch, weights="w"):
        assert same_bits(values, big_values)
        assert same_bits(read_weights, weights)
        assert (column, dropped) == ("x", 0)


def test_big_clean_file_takes_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big_values: list[float]
) -> None:
    path = write(tmp_path, big_text(big_values))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the careful reader ran on a clean big file")

    monkeypatch.setattr(csv_reader, "read_careful", refuse)
    assert same_bits(load_data(path).values, big_values)
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert same_bits(load_data(path).values, big_values)


@pytest.mark.parametrize("boundary", ['"', "\r"])
def test_quotes_and_crlf_across_the_scan_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big_values: list[float], boundary: str
) -> None:
    """The fast path's byte scan reads 1 MiB chunks; a chunk ending inside ``"\r\n`` is fine."""
    body = "".join(f'"{v!r}"\r\n' for v in big_values).encode()
    chunk = 1 << 20
    offset = body.index(boundary.encode(), chunk - 40)  # the byte that should end chunk 1
    header = b"x\r\n"
    padding = chunk - 1 - offset - len(header) - len(b"#\r\n")
    text = b"#" + b" " * padding + b"\r\n" + header + body
    assert text[chunk - 1 : chunk] == boundary.encode()
    path = write(tmp_path, text)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the careful reader ran on a clean big file")

    monkeypatch.setattr(csv_reader, "read_careful", refuse)
    assert same_bits(load_data(path).values, big_values)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("oops", "cannot read 'oops' as a number"),
        ("", "empty cell"),
        ("nan", "not a finite number ('nan')"),
        ("-inf", "not a finite number ('-inf')"),
    ],
)
def test_big_file_errors_identically(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    big_values: list[float],
    cell: str,
    problem: str,
) -> None:
    pytest.importorskip("pandas")
    bad_row = len(big_values) - 5
    path = write(tmp_path, big_text(big_values, bad_row, cell))
    line = bad_row + 3  # comment line, header line, then 1-based rows
    assert read_three_ways(path, monkeypatch) == [f"{path}:{line}: column 'x': {problem}"] * 3
    dropped = read_three_ways(path, monkeypatch, drop_missing=True)
    expected = big_values[:bad_row] + big_values[bad_row + 1 :]
    for values, _, _, count in dropped:
        assert same_bits(values, expected)
        assert count == 1


def test_big_file_binary_byte_in_unused_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big_values: list[float]
) -> None:
    pytest.importorskip("pandas")
    text = big_text(big_values).encode()
    cut = text.rindex(b",")
    for junk, problem in ((b"\x00", "it contains NUL bytes"), (b"\xff", "byte 0xff is not UTF-8")):
        path = write(tmp_path, text[: cut + 1] + junk + text[cut + 1 :])
        line = text.count(b"\n", 0, cut) + 1
        assert (
            read_three_ways(path, monkeypatch)
            == [f"{path}:{line}: not a text file ({problem})"] * 3
        )


# --- properties -------------------------------------------------------------------------------

finite_floats = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(finite_floats, min_size=1, max_size=30),
    delimiter=st.sampled_from([",", "\t", ";", " ", "  "]),
    quoted=st.booleans(),
    header=st.booleans(),
    crlf=st.booleans(),
    mode=st.sampled_from(["careful", "pandas", "numpy"]),
)
def test_repr_floats_read_back_exactly(
    values: list[float],
    delimiter: str,
    quoted: bool,
    header: bool,
    crlf: bool,
    mode: str,
) -> None:
    def cell(value: float) -> str:
        return f'"{value!r}"' if quoted else repr(value)

    rows = [delimiter.join([cell(v), cell(-v)]) for v in values]
    if header:
        rows.insert(0, delimiter.join(['"x"', '"y"'] if quoted else ["x", "y"]))
    text = ("\r\n" if crlf else "\n").join(rows) + "\n"
    with reading_with(mode):
        data = load_data("-", stdin=io.StringIO(text), weights=None)
        second = load_data("-", stdin=io.StringIO(text), column=1)
    assert same_bits(data.values, values)
    assert same_bits(second.values, [-v for v in values])


MESSY_CELLS = [
    "1.5", "-2", "3e-5", " 4.25 ", '"5.5"', '" 6 "', "", "nan", "-inf", "1e400", "abc", "1_0",
    "7.", ".8", "+9", "0x10", "NA", "1,5", '"a,b"', '"', 'a"b', '"2"x', '""', "\xa0", "\u3000",
    "\x0c", "\u0663", "# c",
]  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.lists(st.one_of(st.sampled_from(MESSY_CELLS), finite_floats.map(repr)), max_size=4),
        min_size=1,
        max_size=6,
    ),
    delimiter=st.sampled_from([",", "\t", ";", " "]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    header=st.booleans(),
    weights=st.sampled_from([None, 1, "w"]),
    drop_missing=st.booleans(),
)
def test_fast_and_careful_readers_agree_on_messy_input(
    rows: list[list[str]],
    delimiter: str,
    newline: str,
    header: bool,
    weights: int | str | None,
    drop_missing: bool,
) -> None:
    lines = [delimiter.join(row) for row in rows]
    if header:
        lines.insert(0, delimiter.join(["x", "w", "z"]))
    data = newline.join(lines).encode("utf-8")
    outcomes = []
    for mode in ("careful", "pandas", "numpy"):
        with reading_with(mode):
            try:
                got = load_data(
                    "-", stdin=io.BytesIO(data), weights=weights, drop_missing=drop_missing
                )
                weight_list = None if got.weights is None else got.weights.tolist()
                outcomes.append((got.values.tolist(), weight_list, got.column, got.dropped))
            except DataError as exc:
                outcomes.append(str(exc))
    assert outcomes[1] == outcomes[0]
    assert outcomes[2] == outcomes[0]


# --- Dataset ----------------------------------------------------------------------------------


def test_dataset_normalises_arrays() -> None:
    data = Dataset(values=[1, 2, 3], weights=None, source="made", column="x")
    assert data.values.dtype == np.float64
    assert data.values.flags["C_CONTIGUOUS"]
    strided = Dataset(values=np.arange(6.0)[::2], weights=np.ones(3), source="s", column="x")
    assert strided.values.flags["C_CONTIGUOUS"]
    assert values_of(strided) == [0.0, 2.0, 4.0]


@pytest.mark.parametrize(
    ("values", "weights", "message"),
    [
        ([1.0, math.nan], None, "made: values contain NaN or infinite numbers"),
        ([[1.0, 2.0]], None, "made: values must be 1-D, got shape (1, 2)"),
        ([], None, "made: no data rows"),
        ([1.0, 2.0], [1.0], "made: 1 weights for 2 values"),
        ([1.0, 2.0], [1.0, -1.0], "made: weights must not be negative"),
        ([1.0, 2.0], [0.0, 0.0], "made: all weights are zero"),
        ([1.0], [math.inf], "made: weights contain NaN or infinite numbers"),
    ],
)
def test_dataset_rejects_bad_arrays(values: list, weights: list | None, message: str) -> None:
    with pytest.raises(DataError, match=f"^{re.escape(message)}$"):
        Dataset(values=values, weights=weights, source="made", column="x")


def test_dataset_rejects_non_numbers_and_negative_drop_counts() -> None:
    with pytest.raises(DataError, match=r"^made: values are not numbers \("):
        Dataset(values=["a"], weights=None, source="made", column="x")
    with pytest.raises(ValueError, match="dropped must be >= 0"):
        Dataset(values=[1.0], weights=None, source="made", column="x", dropped=-1)


def test_dataset_is_frozen() -> None:
    data = Dataset(values=[1.0], weights=None, source="made", column="x")
    with pytest.raises(AttributeError):
        data.column = "y"  # type: ignore[misc]


def test_data_error_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        load_data(tmp_path / "absent.csv")


# --- import cost ------------------------------------------------------------------------------


def test_import_does_not_pull_pandas_or_scipy() -> None:
    code = (
        "import sys, gaussfit.data; "
        "print([m for m in ('pandas', 'scipy', 'pyarrow') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


# --- bundled datasets -------------------------------------------------------------------------


def test_seed_lab_holds_the_printed_values() -> None:
    data = load_data(DATA / "seed_lab.csv")
    assert data.column == "x"
    assert values_of(data) == SEED_LAB


@pytest.mark.parametrize(
    ("name", "size", "low", "high"),
    [
        ("skewed.csv", 500, 0.0, math.inf),
        ("heavy_tailed.csv", 500, -math.inf, math.inf),
        ("counts.csv", 400, -1.0, math.inf),
        ("bimodal.csv", 600, -math.inf, math.inf),
        ("durations.csv", 300, 0.0, math.inf),
        ("proportions.csv", 300, 0.0, 1.0),
    ],
)
def test_bundled_datasets_load(name: str, size: int, low: float, high: float) -> None:
    data = load_data(DATA / name, "x")
    assert np.size(data.values) == size
    assert bool(np.all((data.values > low) & (data.values < high)))
    assert (data.source, data.column) == (str(DATA / name), "x")


def test_bundled_counts_are_integers_and_durations_have_weights() -> None:
    counts = load_data(DATA / "counts.csv").values
    assert bool(np.all(counts == np.round(counts)))
    weights = load_data(DATA / "durations.csv", weights="weight").weights
    assert set(np.unique(weights).tolist()) <= {1.0, 2.0, 3.0, 4.0, 5.0}


def test_bundled_datasets_regenerate_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["make_datasets.py", "--out", str(tmp_path)])
    runpy.run_path(str(DATA / "make_datasets.py"), run_name="__main__")
    made = sorted(p.name for p in tmp_path.iterdir())
    expected = ["bimodal.csv", "counts.csv", "durations.csv", "heavy_tailed.csv"]
    expected += ["readings.csv"]
    expected += ["germination.csv", "visits.csv"]
    assert made == sorted(
        [*expected, "proportions.csv", "skewed.csv", "inspections.csv", "long_rivers.csv"]
    )
    for name in made:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
