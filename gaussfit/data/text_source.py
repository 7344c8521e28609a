"""Bytes in, numbered text lines out: the part of CSV reading that knows about files and lines.

Every text error message names a physical line of the input, so line numbering lives here, in one
place, and both CSV readers (careful and fast) agree on what a line, a comment and a blank is.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from gaussfit.errors import DataError

_BOM = "\ufeff"
_BLOCK = 1 << 16
_LINE_ENDS = b"\r\n"

MAX_LINE_BYTES = 1 << 20
"""The longest line read (1 MiB, line end excluded). A longer line is no row of numbers a
person wrote, and parsing it whole (a 50 MB line, or the endless one of /dev/zero) would take
unbounded time and memory; it is an error naming the line."""
_MIB = "1 MiB"

Progress = Callable[[int], None]
"""Called with the number of bytes read so far, now and then, while a source is read."""


@dataclass(frozen=True)
class TextSource:
    """A text input that can be read more than once: a file on disk, or a stream's bytes.

    A regular file is read from its path as often as needed (sniffing, screening, parsing). Any
    other input (standard input, a FIFO, ``<(command)``, a device) can be read only once, so it is
    read once, as a stream, into memory, stopping early at the first line longer than
    `MAX_LINE_BYTES` or the first NUL byte (whose error then comes from `content_lines`).
    """

    name: str
    size: int
    path: str | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str) -> TextSource:
        """Check that `path` is a readable file before any parser sees it."""
        size = check_readable_file(path)
        if size is not None:
            return cls(name=path, size=size, path=path)
        try:
            with open(path, "rb") as stream:
                return cls._from_bytes(path, _read_bounded(stream, path))
        except OSError as exc:
            raise DataError(f"{path}: {describe_os_error(exc)}") from None

    @classmethod
    def from_stream(cls, stream: TextIO | BinaryIO | None) -> TextSource:
        """Read standard input (text or binary) once, keeping undecodable bytes for the checks."""
        name = "<stdin>"
        if stream is None:
            stream = sys.stdin
        if stream is None:
            raise DataError(f"{name}: there is no standard input")
        raw = getattr(stream, "buffer", stream)
        return cls._from_bytes(name, _read_bounded(raw, name))

    @classmethod
    def _from_bytes(cls, name: str, content: bytes) -> TextSource:
        return cls(name=name, size=len(content), data=content)

    def open_binary(self) -> BinaryIO:
        """A fresh binary stream positioned at the start."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise DataError(f"{self.name}: {describe_os_error(exc)}") from None

    def content_lines(self, progress: Progress | None = None) -> Iterator[tuple[int, str]]:
        r"""Yield ``(line number, text)`` for each line that holds data or a header.

        Lines are numbered as an editor shows them (1-based; ``\n``, ``\r\n`` and a lone ``\r``
        all end a line). A UTF-8 byte-order mark and ``#`` comments (outside double quotes) are
        removed, and lines left blank are skipped. Other white space is kept: in a tab-separated
        file a leading tab is an empty first cell. A NUL byte, invalid UTF-8 or a line longer
        than `MAX_LINE_BYTES` raises `DataError` naming the line, because such input is not text.
        """
        lineno = 0
        decode = self._decode
        for block in self._line_blocks(progress):
            for raw in block:
                lineno += 1
                text = decode(raw, lineno)
                if "#" in text:
                    text = strip_comment(text)
                if text and not text.isspace():
                    yield lineno, text

    def _line_blocks(self, progress: Progress | None) -> Iterator[list[bytes]]:
        """Every physical line without its end, a block of lines at a time, read so that no
        line is held whole past `MAX_LINE_BYTES`."""
        done = 0
        pending = b""
        with self.open_binary() as stream:
            while block := stream.read(_BLOCK):
                if block.endswith(b"\r"):
                    block += stream.read(1)  # keep a \r\n pair in one block
                done += len(block)
                if progress is not None:
                    progress(done)
                pieces = block.splitlines()
                if pending:
                    pieces[0] = pending + pieces[0]
                    pending = b""
                if block[-1] not in _LINE_ENDS:
                    pending = pieces.pop()
                yield pieces
                if len(pending) > MAX_LINE_BYTES:
                    yield [pending]  # refused by _decode, which knows the line number
                    return
        if pending:
            yield [pending]

    def _decode(self, raw: bytes, lineno: int) -> str:
        if len(raw) > MAX_LINE_BYTES:
            raise DataError(
                f"{self.name}:{lineno}: line longer than {_MIB} (the limit on one line); "
                "is this a text file with one row of numbers per line?"
            )
        if b"\x00" in raw:
            raise DataError(f"{self.name}:{lineno}: not a text file (it contains NUL bytes)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(
                f"{self.name}:{lineno}: not a text file (byte 0x{raw[exc.start]:02x} is not UTF-8)"
            ) from None
        if lineno == 1 and text.startswith(_BOM):
            text = text[1:]
        return text


def _read_bounded(stream: BinaryIO | TextIO, name: str) -> bytes:
    """Read a stream whole, but stop after the first NUL byte or over-long line.

    What was read up to there is kept, so that `content_lines` reports the problem at its line;
    an endless stream (``/dev/zero``) or one endless line therefore costs at most about
    `MAX_LINE_BYTES`.
    """
    blocks: list[bytes] = []
    run = 0  # bytes since the last line end
    while block := stream.read(_BLOCK):
        if isinstance(block, str):
            block = _encode_text(block, name, blocks)
        blocks.append(block)
        last_end = max(block.rfind(b"\n"), block.rfind(b"\r"))
        if last_end < 0:
            run += len(block)
        else:
            first_end = min(i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0)
            if run + first_end > MAX_LINE_BYTES:
                break
            run = len(block) - last_end - 1
        if run > MAX_LINE_BYTES or b"\x00" in block:
            break
    return b"".join(blocks)


def _encode_text(text: str, name: str, before: list[bytes]) -> bytes:
    """A text stream's characters back as bytes; undecodable input kept as it came in."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:
        line = sum(b.count(b"\n") for b in before) + text.count("\n", 0, exc.start) + 1
        raise DataError(f"{name}:{line}: not a text file (not UTF-8)") from None


def strip_comment(text: str) -> str:
    """Cut a ``#`` comment off `text`, ignoring ``#`` inside double-quoted cells."""
    cut = text.find("#")
    if '"' not in text[:cut]:
        return text[:cut]
    quoted = False
    for position, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return text[:position]
    return text


def check_readable_file(path: str) -> int | None:
    """Return the size of the regular file `path` (None for a FIFO, a device or another
    stream), or raise a one-line `DataError` saying why it cannot be read."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DataError(f"{path}: {describe_os_error(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{path}: is a directory, not a file")
    if not os.access(path, os.R_OK):
        raise DataError(f"{path}: permission denied")
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def describe_os_error(exc: OSError) -> str:
    """Short wording for the operating-system errors users actually meet."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"
