"""Wrappers that make any output stream safe to print to.

Two things go wrong with text on real streams: a terminal or pipe whose encoding is ASCII (an
``LC_ALL=C`` shell, ``PYTHONIOENCODING=ascii``) cannot encode the report's ``Δ``, ``²`` or
``─``, and piped tables carry the padding rich adds to fill each cell. ``AsciiText`` spells such
characters in ASCII (anything else becomes ``?``); ``TrimmedLines`` drops spaces at the ends of
lines. Both keep the wrapped stream's ``encoding`` so rich still picks its ASCII box style.
"""

from __future__ import annotations

import codecs
import re
from typing import IO, Any

# Characters the report uses, in ASCII; the rest of non-ASCII text becomes "?".
ASCII_SPELLING = {
    "Δ": "d",
    "χ": "chi",
    "²": "^2",
    "—": "-",
    "–": "-",
    "─": "-",
    "━": "-",
    "│": "|",
    "…": "...",
    "·": "*",
    "±": "+/-",
    "≥": ">=",
    "≤": "<=",
    "×": "x",
    "σ": "sigma",
    "μ": "mu",
    "⁷": "^7",
    "\u00a0": " ",
}
_SPELL = str.maketrans(ASCII_SPELLING)
_TRAILING = re.compile(r"[ \t]+(?=\r?\n)")
SAMPLE = "Δ²─"


def can_encode(stream: IO[Any], sample: str = SAMPLE) -> bool:
    """Whether ``stream``'s encoding can write the report's non-ASCII characters."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        codecs.lookup(encoding)
        sample.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def to_ascii(text: str) -> str:
    """``text`` with the report's symbols spelled in ASCII and any other non-ASCII as ``?``."""
    return text.translate(_SPELL).encode("ascii", "replace").decode("ascii")


class _Wrapper:
    """A text stream that forwards everything but ``write`` to the stream it wraps."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        try:
            return bool(self.stream.isatty())
        except (AttributeError, ValueError):
            return False


class AsciiText(_Wrapper):
    """Writes through ``to_ascii``: for streams whose encoding cannot hold the symbols."""

    def write(self, text: str) -> int:
        self.stream.write(to_ascii(text))
        return len(text)

    def write_exact(self, text: str) -> None:
        """Machine-readable text (JSON): non-ASCII as ``\\uXXXX`` escapes, which JSON reads
        back as the same characters."""
        self.stream.write(text.encode("ascii", "backslashreplace").decode("ascii"))


class TrimmedLines(_Wrapper):
    """Writes with the spaces before each line end removed (for pipes and files).

    rich writes a whole rendering, newline included, in one call, so a line's trailing padding
    never straddles two writes.
    """

    def write(self, text: str) -> int:
        self.stream.write(_TRAILING.sub("", text))
        return len(text)
