"""Tests for `atomic_write_text` / `atomic_write_bytes`: all or nothing, never a stray temp file."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from gaussfit.data import atomic as atomic_module
from gaussfit.data import atomic_write_bytes, atomic_write_text


def test_writes_new_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    atomic_write_text(target, "mu = 2.5\n")
    assert target.read_bytes() == b"mu = 2.5\n"
    assert os.listdir(tmp_path) == ["report.txt"]


def test_text_is_utf8_and_newlines_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    atomic_write_text(str(target), "σ = 1.5\r\nend\n")
    assert target.read_bytes() == "σ = 1.5\r\nend\n".encode()


def test_bytes_and_buffers(tmp_path: Path) -> None:
    target = tmp_path / "b.bin"
    atomic_write_bytes(target, bytes(range(256)))
    assert target.read_bytes() == bytes(range(256))
    atomic_write_bytes(target, memoryview(b"\x00\x01"))
    assert target.read_bytes() == b"\x00\x01"
    atomic_write_bytes(target, b"")
    assert target.read_bytes() == b""


def test_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "fit.json"
    target.write_text("old content that is longer than the new one")
    atomic_write_text(target, "{}")
    assert target.read_text() == "{}"
    assert os.listdir(tmp_path) == ["fit.json"]


def test_creates_missing_parent_directories(tmp_path: Path) -> None:
    target = tmp_path / "runs" / "2024" / "fit.txt"
    atomic_write_text(target, "ok")
    assert target.read_text() == "ok"


def test_failed_rename_keeps_old_content_and_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fit.txt"
    target.write_text("old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(atomic_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk unplugged"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["fit.txt"]


def test_failure_while_writing_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_module.os, "fsync", broken_fsync)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(tmp_path / "new.bin", b"data")
    assert os.listdir(tmp_path) == []


def test_target_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(OSError):
        atomic_write_text(tmp_path / "out", "x")
    assert os.listdir(tmp_path) == ["out"]


def test_text_that_cannot_be_encoded_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(tmp_path / "t.txt", "\udcff")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_permissions(tmp_path: Path) -> None:
    kept = tmp_path / "script.sh"
    kept.write_text("#!/bin/sh\n")
    kept.chmod(0o750)
    atomic_write_text(kept, "#!/bin/sh\necho hi\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o750

    fresh = tmp_path / "fresh.txt"
    old_mask = os.umask(0o027)
    try:
        atomic_write_text(fresh, "x")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640
