"""The fast CSV path reads a file once, in blocks of whole lines, each screened just before it is
parsed (by several threads): blocks lose and split nothing, the screening refuses what the C
parsers would read differently, and however a file falls into blocks the values and errors are
the careful reader's, down to the last bit."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_data_loading import NEVER, reading_with, same_bits, write

import gaussfit.data.csv_fast as csv_fast
import gaussfit.data.csv_reader as csv_reader
import gaussfit.data.csv_screen as csv_screen
import gaussfit.data.line_blocks as line_blocks
from gaussfit.data import load_data
from gaussfit.data.csv_layout import SINGLE, WHITESPACE
from gaussfit.data.text_source import MAX_LINE_BYTES
from gaussfit.errors import DataError


@contextmanager
def small_blocks(block_bytes: int, workers: int = 3) -> Iterator[None]:
    """Blocks of about `block_bytes` bytes, parsed by `workers` threads."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(line_blocks, "BLOCK_BYTES", block_bytes))
        stack.enter_context(mock.patch.object(csv_fast, "_workers", lambda: workers))
        yield


def outcome(path: str, mode: str, **options: object) -> tuple | str:
    """Values, weights and drop count, or the error message, of one reader."""
    with reading_with(mode):
        try:
            data = load_data(path, **options)
        except DataError as exc:
            return str(exc)
    weights = None if data.weights is None else data.weights.tolist()
    return data.values.tolist(), weights, data.dropped


# --- line_blocks ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 5, 7, 64])
@pytest.mark.parametrize(
    "content",
    [
        b"x\n1\n22\n333\n4444\n",
        b"x\r\n1\r\n22\r\n333",  # CRLF, no final line end
        b"no line end at all",
        b"\n\n\nlast\n",
        b"",
    ],
)
def test_blocks_are_whole_lines_and_lose_nothing(
    monkeypatch: pytest.MonkeyPatch, content: bytes, size: int
) -> None:
    monkeypatch.setattr(line_blocks, "BLOCK_BYTES", size)
    blocks = list(line_blocks.line_blocks(io.BytesIO(content)))
    assert b"".join(blocks) == content
    assert all(block.endswith(b"\n") for block in blocks[:-1])
    assert all(blocks)


def test_a_run_without_line_end_past_the_limit_stops_the_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An endless line costs about the line limit, not the file, and is refused."""
    monkeypatch.setattr(line_blocks, "BLOCK_BYTES", 1 << 16)
    content = b"1\n" + b"9" * (3 * MAX_LINE_BYTES) + b"\n2\n"
    blocks = list(line_blocks.line_blocks(io.BytesIO(content)))
    assert blocks[0] == b"1\n"
    assert MAX_LINE_BYTES < len(blocks[-1]) <= MAX_LINE_BYTES + (1 << 16)
    assert b"\n" not in blocks[-1]
    assert not csv_screen.screen_block(blocks[-1], SINGLE, plain_ascii=False)


def test_a_long_line_that_ends_is_yielded_whole_and_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(line_blocks, "BLOCK_BYTES", 1 << 16)
    content = b"1\n" + b"9" * (MAX_LINE_BYTES - 100) + b"\n2\n"
    blocks = list(line_blocks.line_blocks(io.BytesIO(content)))
    assert b"".join(blocks) == content
    assert csv_screen.screen_block(blocks[-1], SINGLE, plain_ascii=False)
    longer = b"1\n" + b"9" * (MAX_LINE_BYTES + 10) + b"\n2\n"
    blocks = list(line_blocks.line_blocks(io.BytesIO(longer)))
    assert b"".join(blocks) == longer
    assert not csv_screen.screen_block(blocks[-1], SINGLE, plain_ascii=False)


# --- screen_block -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "delimiter", "passes"),
    [
        (b"1.5,2\n3,4\n", ",", True),
        (b"1.5,2\r\n3,4\r\n", ",", True),
        (b"1.5,2\r3,4\n", ",", False),  # a lone \r: pandas mislays cells after it
        (b"1.5,\x002\n", ",", False),
        (b"1.5,\xff\n", ",", False),
        (b"1.5,\xc3\xa9\n", ",", True),  # UTF-8 text in another column
        (b'"1.5","2"\n', ",", True),
        (b'1, "2"\n', ",", True),  # a blank may open a cell
        (b'1,2"x"\n', ",", False),
        (b'"1"x,2\n', ",", False),
        (b'"1\n2"\n', ",", False),  # a quoted line end
        (b'"1#2",3\n', ",", False),
        (b'"1,2\n', ",", False),  # a quote left open
        (b'"1" "2"\n', WHITESPACE, True),
        (b'"1.5"\n', SINGLE, True),
    ],
)
def test_screening_refuses_what_the_c_parsers_read_their_own_way(
    block: bytes, delimiter: str, passes: bool
) -> None:
    assert csv_screen.screen_block(block, delimiter, plain_ascii=False) is passes


def test_screening_for_numpy_whitespace_files_wants_plain_ascii() -> None:
    assert csv_screen.screen_block(b"1 2\n3\t4\n", WHITESPACE, plain_ascii=True)
    assert not csv_screen.screen_block(b"1\xc2\xa02\n", WHITESPACE, plain_ascii=True)


@pytest.mark.parametrize(
    ("length", "passes"), [(MAX_LINE_BYTES - 1, True), (MAX_LINE_BYTES, False)]
)
def test_screening_measures_long_lines_across_its_pieces(length: int, passes: bool) -> None:
    """A long line that starts far into a block, after many short ones, is still measured."""
    short = b"1.25\n" * (MAX_LINE_BYTES // 7)
    block = short + b"7" * length + b"\n" + short
    assert csv_screen.screen_block(block, SINGLE, plain_ascii=False) is passes


def test_screening_checks_utf8_and_quotes_in_every_piece() -> None:
    short = "é,1\n" * (MAX_LINE_BYTES // 4)  # several pieces, none cut inside a character
    assert csv_screen.screen_block(short.encode(), ",", plain_ascii=False)
    assert not csv_screen.screen_block(
        (short + "\udcff,1\n").encode(errors="surrogateescape"), ",", False
    )
    assert not csv_screen.screen_block((short + 'x"y,1\n').encode(), ",", plain_ascii=False)


# --- whole reads: any blocks, any threads, the careful reader's answer ------------------------

TRICKY_CELLS = [
    "1e5", "1E-5", "-2.5e+3", "+7", "+.5", "5.", ".25", " 8 ", "\t9", '"10"', '" 11 "',
    "0.1", "-0", "-0.0", "1e-320", "1.7976931348623157e308", "4.9e-324", "123456789012345678901",
    "0.30000000000000004", "1_0", "0x10", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
    "+inf", "1e400", "-1e400", "", "NA", "abc", "1,5",
]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.sampled_from(TRICKY_CELLS), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", "\t", ";", " "]),
    newline=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    header=st.booleans(),
    drop_missing=st.booleans(),
    block_bytes=st.integers(1, 40),
    workers=st.integers(1, 3),
)
def test_tricky_numbers_read_as_the_careful_reader_reads_them(
    cells: list[str],
    delimiter: str,
    newline: str,
    final_newline: bool,
    header: bool,
    drop_missing: bool,
    block_bytes: int,
    workers: int,
) -> None:
    """Exponents, signs, blanks, quotes, CRLF, a missing last line end, and spellings of NaN
    and infinity that the careful reader refuses or drops: the same values or the same error."""
    rows = [delimiter.join(["1", cell]) for cell in cells]
    if header:
        rows.insert(0, delimiter.join(["i", "x"]))
    text = newline.join(rows) + (newline if final_newline else "")
    outcomes = []
    for mode in ("careful", "pandas", "numpy"):
        with reading_with(mode), small_blocks(block_bytes, workers):
            try:
                got = load_data(
                    "-", stdin=io.BytesIO(text.encode()), column=1, drop_missing=drop_missing
                )
                outcomes.append((got.values.view(np.uint64).tolist(), got.dropped))
            except DataError as exc:
                outcomes.append(str(exc))
    assert outcomes[1] == outcomes[0]
    assert outcomes[2] == outcomes[0]


def clean_values(count: int) -> list[float]:
    rng = np.random.default_rng(7)
    return [float(v) for v in rng.standard_normal(count) * 10.0 ** rng.integers(-8, 8, count)]


@pytest.mark.parametrize("mode", ["pandas", "numpy"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("header", [True, False])
def test_a_clean_file_in_many_blocks_needs_no_careful_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, bom: bytes, header: bool
) -> None:
    """Comments, blank lines, a byte-order mark and a header before the data, comment-only
    blocks and comments after values: every value, in order, without the careful reader."""
    if mode == "pandas":
        pytest.importorskip("pandas")
    values = clean_values(3000)
    lines = [f"{v!r},{i}" for i, v in enumerate(values)]
    lines[1000:1000] = ["# a comment block"] * 40 + [""] * 5
    lines[2000] += "  # trailing comment"
    preamble = ["# made by hand", ""] + (["x,i"] if header else [])
    path = write(tmp_path, bom + "\n".join(preamble + lines).encode())

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the careful reader ran on a clean file")

    monkeypatch.setattr(csv_reader, "read_careful", refuse)
    with reading_with(mode), small_blocks(997):
        data = load_data(path, weights=1)
    assert same_bits(data.values, values)
    assert same_bits(data.weights, [float(i) for i in range(len(values))])
    assert data.column == ("x" if header else "column 1 (no header)")


def test_a_header_after_a_preamble_longer_than_a_block(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    values = clean_values(500)
    text = "# note\n" * 300 + "x\n" + "\n".join(map(repr, values)) + "\n"
    path = write(tmp_path, text)
    with reading_with("pandas"), small_blocks(256):
        assert same_bits(load_data(path).values, values)


@pytest.mark.parametrize("where", [0, 1500, 2999])
def test_a_bad_cell_in_any_block_is_named_by_its_line(tmp_path: Path, where: int) -> None:
    pytest.importorskip("pandas")
    lines = [repr(v) for v in clean_values(3000)]
    lines[where] = "1.5.2"
    path = write(tmp_path, "x\n" + "\n".join(lines) + "\n")
    expected = f"{path}:{where + 2}: column 'x': cannot read '1.5.2' as a number"
    for mode in ("careful", "pandas", "numpy"):
        with small_blocks(512):
            assert outcome(path, mode) == expected


def test_the_columns_hold_exactly_the_rows_read(tmp_path: Path) -> None:
    """The arrays are sized from the bytes read so far and trimmed at the end: no spare rows,
    however wrong the first block's guess of the row count was."""
    pytest.importorskip("pandas")
    short = ["1"] * 2000
    long = [repr(v) for v in clean_values(2000)]
    for lines in (short + long, long + short):
        path = write(tmp_path, "\n".join(lines) + "\n")
        with reading_with("pandas"), small_blocks(300):
            data = load_data(path)
        assert same_bits(data.values, [float(cell) for cell in lines])


def test_the_careful_reader_alone_agrees(tmp_path: Path) -> None:
    """The reference for the tests above reads the same values as Python's own `float`."""
    lines = [repr(v) for v in clean_values(200)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    with mock.patch.object(csv_reader, "FAST_PATH_MIN_BYTES", NEVER):
        assert same_bits(load_data(path).values, [float(cell) for cell in lines])
