"""Cut a byte stream into blocks of whole lines, so that each can be screened and parsed alone.

A big file is parsed a block at a time (by several threads, in order of the blocks), and every
check the fast path makes is about lines: a line end inside quotes, a line over the length limit,
a UTF-8 sequence (never cut by a ``\\n``). Blocks that end after a ``\\n`` keep all of these
inside one block.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from gaussfit.data.text_source import MAX_LINE_BYTES

BOM = b"\xef\xbb\xbf"
BLOCK_BYTES = 4 << 20
"""About how much one block holds: big enough that the per-block cost of a parser call is
nothing, small enough that a few blocks in flight cost little memory next to the columns."""


def line_blocks(stream: BinaryIO) -> Iterator[bytes]:
    """Blocks of about `BLOCK_BYTES` from `stream`, each ending after a ``\\n``, the last one
    where the input ends. A line is never split; a run of more than `MAX_LINE_BYTES` without a
    line end is yielded as it is, for the line-length check to refuse, and the rest is not read."""
    size = BLOCK_BYTES
    pending = b""
    while chunk := stream.read(size):
        if pending:
            chunk = pending + chunk
        cut = chunk.rfind(b"\n") + 1
        if cut == len(chunk):
            pending = b""
            yield chunk
        elif cut:
            pending = chunk[cut:]
            yield chunk[:cut]
        elif len(chunk) > MAX_LINE_BYTES:
            yield chunk
            return
        else:
            pending = chunk
    if pending:
        yield pending
