"""Bytes in, numbered text lines out: the part of CSV reading that knows about files and lines.

Every text error message names a physical line of the input, so line numbering lives here, in one
place, and both CSV readers (careful and fast) agree on what a line, a comment and a blank is.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, TextIO

from gaussfit.errors import DataError

_BOM = "\ufeff"


@dataclass(frozen=True)
class TextSource:
    """A text input that can be read more than once: a file path, or stdin's bytes in memory.

    Standard input is read whole up front because sniffing the layout needs its first lines and
    the careful reader may have to start over after the fast one gives up.
    """

    name: str
    size: int
    path: str | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str) -> TextSource:
        """Check that `path` is a readable file before any parser sees it."""
        return cls(name=path, size=check_readable_file(path), path=path)

    @classmethod
    def from_stream(cls, stream: TextIO | BinaryIO | None) -> TextSource:
        """Slurp standard input (text or binary), keeping undecodable bytes for the checks."""
        name = "<stdin>"
        if stream is None:
            stream = sys.stdin
        if stream is None:
            raise DataError(f"{name}: there is no standard input")
        raw = getattr(stream, "buffer", stream)
        content = raw.read()
        if isinstance(content, str):
            try:
                content = content.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError as exc:
                line = content.count("\n", 0, exc.start) + 1
                raise DataError(f"{name}:{line}: not a text file (not UTF-8)") from None
        return cls(name=name, size=len(content), data=bytes(content))

    def open_binary(self) -> BinaryIO:
        """A fresh binary stream positioned at the start."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise DataError(f"{self.name}: {describe_os_error(exc)}") from None

    def content_lines(self) -> Iterator[tuple[int, str]]:
        r"""Yield ``(line number, text)`` for each line that holds data or a header.

        Lines are numbered as an editor shows them (1-based; ``\n``, ``\r\n`` and a lone ``\r``
        all end a line). A UTF-8 byte-order mark and ``#`` comments (outside double quotes) are
        removed, and lines left blank are skipped. Other white space is kept: in a tab-separated
        file a leading tab is an empty first cell. A NUL byte or invalid UTF-8 raises `DataError`
        naming the line, because such input is not text.
        """
        lineno = 0
        with self.open_binary() as stream:
            for raw in stream:
                for piece in raw.splitlines():
                    lineno += 1
                    text = self._decode(piece, lineno)
                    if "#" in text:
                        text = strip_comment(text)
                    if text and not text.isspace():
                        yield lineno, text

    def _decode(self, raw: bytes, lineno: int) -> str:
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


def check_readable_file(path: str) -> int:
    """Return the size of `path`, or raise a one-line `DataError` saying why it cannot be read."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DataError(f"{path}: {describe_os_error(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError(f"{path}: is a directory, not a file")
    if not os.access(path, os.R_OK):
        raise DataError(f"{path}: permission denied")
    return info.st_size


def describe_os_error(exc: OSError) -> str:
    """Short wording for the operating-system errors users actually meet."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"
