"""Decide, block by block, whether the C parsers can be trusted with the bytes they are given.

The fast path is only allowed to agree with the careful reader, never to differ from it, and the
C parsers differ on inputs that are rare in big numeric files but easy to spot in bulk: they skip
bytes they are not asked to convert (so a NUL or bad UTF-8 in an unused column goes unnoticed);
they resolve stray quotes their own way (text after a closing quote, quotes inside a cell,
quoted line breaks, ``#`` inside quotes); and pandas mislays a row's leading empty cell after a
blank line ended by a lone ``\\r``. A line longer than the careful reader's limit would be parsed
whole. A block showing any of these is refused, the whole source is then read carefully, and the
careful reader's verdict stands.

Blocks are runs of whole lines (see `line_blocks`), so each is screened on its own: no quote, line
or UTF-8 sequence spans two of them. The fast reader screens each block just before parsing it,
in the same pass over the file.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import numpy as np

from gaussfit.data.csv_layout import SINGLE, WHITESPACE
from gaussfit.data.line_blocks import BOM, line_blocks
from gaussfit.data.text_source import MAX_LINE_BYTES, Progress, TextSource

_PIECE = MAX_LINE_BYTES // 2
"""Blocks are checked in pieces of whole lines about this long: a line inside the first half
of a piece is always short enough, and the numpy arrays of the quote check stay small."""
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def screen_block(block: bytes, delimiter: str, plain_ascii: bool) -> bool:
    """True when the C parsers would see the same lines and cells in `block` as the careful
    reader: no NUL, no lone ``\\r``, valid UTF-8, no line over the limit, only whole-cell quotes.

    `block` starts at the start of a line and ends after a ``\\n`` or at the end of the input.
    `plain_ascii` also demands printable ASCII, tabs and line ends only; numpy needs it for
    white-space-separated files because it splits on every Unicode space, not just on blanks.
    """
    # The membership tests run at memchr speed; the counts only when a \r is there.
    if b"\x00" in block or (b"\r" in block and block.count(b"\r") != block.count(b"\r\n")):
        return False
    if plain_ascii and block.translate(None, _PLAIN_BYTES):
        return False
    ascii_only = block.isascii()
    quoted = b'"' in block
    if ascii_only and not quoted and len(block) < MAX_LINE_BYTES:
        return True
    view = memoryview(block)
    for start, end in _pieces(block):
        if _longest_line_from(block, start, end) >= MAX_LINE_BYTES:
            return False
        if not ascii_only:
            try:
                codecs.utf_8_decode(view[start:end], "strict", True)
            except UnicodeDecodeError:
                return False
        if quoted and not _quotes_wrap_cells(view[start:end], delimiter):
            return False
    return True


def suits_fast_parser(
    source: TextSource, delimiter: str, plain_ascii: bool, progress: Progress | None = None
) -> bool:
    """`screen_block` over the whole of `source`, for readers that cannot screen as they parse
    (pandas' own chunked reader); `progress` is told the bytes screened."""
    done = 0
    with source.open_binary() as stream:
        for block in line_blocks(stream):
            text = block.removeprefix(BOM) if done == 0 else block
            if not screen_block(text, delimiter, plain_ascii):
                return False
            done += len(block)
            if progress is not None:
                progress(done)
    return True


def _pieces(block: bytes) -> Iterator[tuple[int, int]]:
    """Ranges of whole lines about `_PIECE` bytes long covering `block`."""
    start, size = 0, len(block)
    while start < size:
        end = block.find(b"\n", min(start + _PIECE, size) - 1)
        end = size if end < 0 else end + 1
        yield start, end
        start = end


def _longest_line_from(block: bytes, start: int, end: int) -> int:
    """An upper bound on the longest line of the piece ``block[start:end]`` (line end included):
    lines within its first `_PIECE` bytes are shorter than that; only the one crossing it can be
    longer."""
    if end - start <= _PIECE:
        return end - start
    crossing = block.rfind(b"\n", start, start + _PIECE) + 1
    return end - max(crossing, start) - (1 if block[end - 1 : end] == b"\n" else 0)


def _quotes_wrap_cells(piece: memoryview, delimiter: str) -> bool:
    """Accept only quotes that wrap a whole cell on one line, e.g. ``1,"2.5",3``.

    An opening quote must follow a line start, the delimiter or a space; a closing quote must
    precede a line end or the delimiter; no line end or ``#`` may fall inside quotes. `piece`
    holds whole lines.
    """
    separators = b" \t" if delimiter == WHITESPACE else delimiter.encode()
    if delimiter == SINGLE:
        separators = b""
    may_precede = np.frombuffer(separators + b" \n\r", dtype=np.uint8)
    may_follow = np.frombuffer(separators + b"\n\r", dtype=np.uint8)
    codes = np.frombuffer(piece, dtype=np.uint8)
    is_quote = codes == ord('"')
    inside = np.bitwise_and(np.cumsum(is_quote, dtype=np.uint8), 1) == 1
    if inside[-1]:
        return False
    must_be_outside = (codes == ord("\n")) | (codes == ord("\r")) | (codes == ord("#"))
    if np.any(inside[must_be_outside]):
        return False
    before = np.concatenate(([ord("\n")], codes[:-1]))
    after = np.concatenate((codes[1:], [ord("\n")]))
    opening = is_quote & inside
    closing = is_quote & np.logical_not(inside)
    return bool(
        np.all(np.isin(before[opening], may_precede))
        and np.all(np.isin(after[closing], may_follow))
    )
