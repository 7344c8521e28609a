"""Decide, in one cheap pass over the bytes, whether the C parsers can be trusted with a source.

The fast path is only allowed to agree with the careful reader, never to differ from it, and the
C parsers differ on inputs that are rare in big numeric files but easy to spot in bulk: they skip
bytes they are not asked to convert (so a NUL or bad UTF-8 in an unused column goes unnoticed);
they resolve stray quotes their own way (text after a closing quote, quotes inside a cell,
quoted line breaks, ``#`` inside quotes); and pandas mislays a row's leading empty cell after a
blank line ended by a lone ``\\r``. A line longer than the careful reader's limit would be parsed
whole. A source showing any of these is read carefully instead, and the careful reader's verdict
stands.
"""

from __future__ import annotations

import codecs

import numpy as np

from gaussfit.data.csv_layout import SINGLE, WHITESPACE
from gaussfit.data.text_source import MAX_LINE_BYTES, Progress, TextSource

_CHUNK = MAX_LINE_BYTES // 2
"""Half the line limit: a line inside one chunk is then always short enough, and only lines
that span chunks need measuring."""
_BOM = b"\xef\xbb\xbf"
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_LINE_ENDS = b"\n\r"


def suits_fast_parser(
    source: TextSource, delimiter: str, plain_ascii: bool, progress: Progress | None = None
) -> bool:
    """True when the C parsers would see the same lines and cells as the careful reader.

    `plain_ascii` also demands printable ASCII, tabs and line ends only; numpy needs it for
    white-space-separated files because it splits on every Unicode space, not just on blanks.
    """
    quotes = _QuoteChecker(delimiter)
    decoder = codecs.getincrementaldecoder("utf-8")()
    run = 0  # bytes since the last \n: lone \r are refused below, so \n ends every line
    done = 0
    with source.open_binary() as stream:
        chunk = stream.read(_CHUNK)
        if chunk.startswith(_BOM):
            chunk = chunk[len(_BOM) :]
        while chunk:
            while chunk.endswith((b"\r", b'"')) and (extra := stream.read(1)):
                chunk += extra
            # The membership tests run at memchr speed; the counts only when a \r is there.
            if b"\x00" in chunk or (b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n")):
                return False
            if plain_ascii and chunk.translate(None, _PLAIN_BYTES):
                return False
            ascii_only = chunk.isascii() and not decoder.getstate()[0]
            try:
                if not ascii_only:  # ASCII is UTF-8 already (unless a sequence is pending)
                    decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
            if not quotes.accept(chunk):
                return False
            first_end = chunk.find(b"\n")
            if first_end < 0:
                run += len(chunk)
            else:
                run += first_end
                if run >= MAX_LINE_BYTES:
                    return False
                run = len(chunk) - chunk.rfind(b"\n") - 1
            if run >= MAX_LINE_BYTES:
                return False
            done += len(chunk)
            if progress is not None:
                progress(done)
            chunk = stream.read(_CHUNK)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return not quotes.open


class _QuoteChecker:
    """Accept only quotes that wrap a whole cell on one line, e.g. ``1,"2.5",3``.

    An opening quote must follow a line start, the delimiter or a space; a closing quote must
    precede a line end or the delimiter; no line end or ``#`` may fall inside quotes.
    """

    def __init__(self, delimiter: str) -> None:
        separators = b" \t" if delimiter == WHITESPACE else delimiter.encode()
        if delimiter == SINGLE:
            separators = b""
        self._before = np.frombuffer(separators + b" " + _LINE_ENDS, dtype=np.uint8)
        self._after = np.frombuffer(separators + _LINE_ENDS, dtype=np.uint8)
        self.open = False
        self._last = ord("\n")

    def accept(self, chunk: bytes) -> bool:
        """Check the next chunk (which must not end in a quote unless the input ends there)."""
        codes = np.frombuffer(chunk, dtype=np.uint8)
        if b'"' not in chunk:
            if self.open:
                return False
            self._last = int(codes[-1])
            return True
        is_quote = codes == ord('"')
        inside = np.bitwise_and(np.cumsum(is_quote, dtype=np.uint8) + np.uint8(self.open), 1) == 1
        must_be_outside = (codes == ord("\n")) | (codes == ord("\r")) | (codes == ord("#"))
        if np.any(inside[must_be_outside]):
            return False
        before = np.concatenate(([self._last], codes[:-1]))
        after = np.concatenate((codes[1:], [ord("\n")]))
        opening = is_quote & inside
        closing = is_quote & np.logical_not(inside)
        if not np.all(np.isin(before[opening], self._before)):
            return False
        if not np.all(np.isin(after[closing], self._after)):
            return False
        self.open = bool(inside[-1])
        self._last = int(codes[-1])
        return True
