"""Write files so that readers only ever see the old content or the complete new one.

Reports, fitted-parameter files and generated datasets are often read by other tools while a long
run is going; a crash or Ctrl-C half-way through a plain ``open(path, "w")`` would leave them a
truncated file that still parses. Writing beside the target and renaming over it makes the switch
a single atomic step on POSIX and Windows alike.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace `path` with `text` atomically; newlines are written exactly as given."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes | bytearray | memoryview) -> None:
    """Replace `path` with `data` atomically, creating missing parent directories.

    The temporary file lives in the target's own directory because `os.replace` is only atomic
    within one file system. It is flushed to disk before the rename, so after a crash the target
    holds either its old bytes or all of the new ones, and it is removed if anything fails.
    An existing target keeps its permission bits; a new one gets the usual umask-based mode.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp, fd = _create_temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _sync_directory(target.parent)


def _create_temp_beside(target: Path) -> tuple[Path, int]:
    """Create a fresh hidden file next to `target`; `os.open` (unlike mkstemp) honours the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue


def _sync_directory(directory: Path) -> None:
    """Persist the rename itself; best effort, since some systems cannot open directories."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_together(files: dict[Path, bytes]) -> None:
    """Replace several files as one set: every file is written in full before any is renamed.

    A batch's CSV summary and its ``.results.json`` only make sense as a pair. If any write fails
    (a full disk, a read-only folder) no target is touched, so the previous pair survives whole.
    The renames happen under an exclusive lock on the first target's folder, so two runs
    publishing to the same place at once leave one run's pair, never a mix of both.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            temp, fd = _create_temp_beside(target)
            staged.append((temp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileNotFoundError):
                os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
        first = next(iter(files))
        with _exclusive_lock(first.parent):
            for temp, target in staged:
                os.replace(temp, target)
    except BaseException:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        raise
    for directory in {target.parent for target in files}:
        _sync_directory(directory)


@contextlib.contextmanager
def _exclusive_lock(directory: Path) -> Iterator[None]:
    """Hold an advisory ``flock`` on a folder (no lock file left behind); where folders cannot be
    locked (Windows), do nothing: each rename is still atomic on its own."""
    try:
        import fcntl

        fd = os.open(directory, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
