"""Numbers written in every way a CSV writer or a person might: the fast path (pandas or numpy)
reads them to the same bits as the careful reader, or fails with the careful reader's message.

The careful reader is the reference (`test_data_loading` checks it against Python's `float`);
these cells are the ones where C parsers are most likely to differ from it: exponents, signs,
blanks and quotes around a number, subnormals and overflow, digit separators, hexadecimal, and
the spellings of NaN and infinity that the careful reader refuses (or drops with
``drop_missing``), with CRLF line ends and with or without a final line end.
"""

from __future__ import annotations

import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_data_loading import reading_with

from gaussfit.data import load_data
from gaussfit.errors import DataError

TRICKY_CELLS = [
    "1e5", "1E-5", "-2.5e+3", "+7", "+.5", "5.", ".25", " 8 ", "\t9", '"10"', '" 11 "',
    "0.1", "-0", "-0.0", "1e-320", "1.7976931348623157e308", "4.9e-324", "123456789012345678901",
    "0.30000000000000004", "1_0", "0x10", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
    "+inf", "1e400", "-1e400", "", "NA", "abc", "1,5",
]  # fmt: skip


def read_as(mode: str, text: str, drop_missing: bool) -> tuple[list[int], int] | str:
    """The bits of the values and the drop count, or the error message, of one reader."""
    with reading_with(mode):
        try:
            got = load_data(
                "-", stdin=io.BytesIO(text.encode()), column=1, drop_missing=drop_missing
            )
        except DataError as exc:
            return str(exc)
    return got.values.view(np.uint64).tolist(), got.dropped


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.sampled_from(TRICKY_CELLS), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", "\t", ";", " "]),
    newline=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    header=st.booleans(),
    drop_missing=st.booleans(),
)
def test_tricky_numbers_read_as_the_careful_reader_reads_them(
    cells: list[str],
    delimiter: str,
    newline: str,
    final_newline: bool,
    header: bool,
    drop_missing: bool,
) -> None:
    rows = [delimiter.join(["1", cell]) for cell in cells]
    if header:
        rows.insert(0, delimiter.join(["i", "x"]))
    text = newline.join(rows) + (newline if final_newline else "")
    careful = read_as("careful", text, drop_missing)
    assert read_as("pandas", text, drop_missing) == careful
    assert read_as("numpy", text, drop_missing) == careful


def test_the_reference_reads_plain_spellings_as_python_does() -> None:
    """The careful reader itself: these cells mean what Python's `float` says they mean."""
    plain = ["1e5", "1E-5", "-2.5e+3", "+7", "+.5", "5.", ".25", "-0.0", "1e-320", "4.9e-324"]
    text = "\r\n".join(f"1,{cell}" for cell in plain)
    expected = np.array([float(cell) for cell in plain]).view(np.uint64).tolist()
    assert read_as("careful", text, drop_missing=False) == (expected, 0)
