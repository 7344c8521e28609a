"""Reading is bounded and done once: pipes, FIFOs and devices, over-long lines, huge headers,
hostile text in messages, progress, and the file lines that later errors name."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from test_data_loading import ROOT, error_of, reader, values_of, write  # noqa: F401 (a fixture)

from gaussfit import fit
from gaussfit.data import load_data
from gaussfit.data.text_source import MAX_LINE_BYTES
from gaussfit.errors import DataError

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")


@contextmanager
def feeding(path: str | int, chunks: Iterator[bytes]) -> Iterator[None]:
    """Write `chunks` to a FIFO path (or a pipe's write end) from a thread, until the reader
    has all of them or goes away."""

    def write_all() -> None:
        try:
            with open(path, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
        except (BrokenPipeError, OSError):
            pass  # the reader stopped reading: what a bounded reader should do

    writer = threading.Thread(target=write_all, daemon=True)
    writer.start()
    try:
        yield
    finally:
        writer.join(timeout=30)
    assert not writer.is_alive()


@pytest.mark.usefixtures("reader")
def test_a_fifo_is_read_once(tmp_path: Path) -> None:
    """Sniffing and parsing share one read: a second open would wait for a writer for ever."""
    fifo = str(tmp_path / "data.fifo")
    os.mkfifo(fifo)
    rows = [f"{float(v)!r}\n".encode() for v in np.linspace(0.5, 9.5, 4000)]
    with feeding(fifo, iter([b"x\n", *rows])):
        data = load_data(fifo)
    assert np.array_equal(data.values, np.linspace(0.5, 9.5, 4000))
    assert (data.source, data.column) == (fifo, "x")


def test_process_substitution_is_read_once(tmp_path: Path) -> None:
    """``gaussfit fit <(cat file)`` hands over /dev/fd/N, a pipe that can be opened once."""
    read_end, write_end = os.pipe()
    try:
        with feeding(write_end, iter([b"x\n1.5\n2.5\n4\n"])):
            data = load_data(f"/dev/fd/{read_end}")
        assert values_of(data) == [1.5, 2.5, 4.0]
    finally:
        os.close(read_end)


def test_dev_zero_is_refused_quickly() -> None:
    """An endless stream of NUL bytes: one block is enough to say it is not text."""
    done = subprocess.run(
        [sys.executable, "-m", "gaussfit", "fit", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "Error: /dev/zero:1: not a text file (it contains NUL bytes)\n"


def test_an_endless_line_from_a_pipe_stops_at_the_limit(tmp_path: Path) -> None:
    """A writer that never ends its line: the reader stops after about 1 MiB, and the writer
    then finds the pipe closed."""
    fifo = str(tmp_path / "endless.fifo")
    os.mkfifo(fifo)

    def endless() -> Iterator[bytes]:
        yield b"x\n"
        while True:
            yield b"1" * 65536

    with feeding(fifo, endless()):
        assert error_of(fifo) == (
            f"{fifo}:2: line longer than 1 MiB (the limit on one line); is this a text file "
            "with one row of numbers per line?"
        )


@pytest.mark.usefixtures("reader")
@pytest.mark.parametrize("where", [2, 40], ids=["sniffed", "later"])
def test_an_over_long_line_is_an_error(tmp_path: Path, where: int) -> None:
    """A 3 MB line (once minutes inside pandas) is refused at its line, by every reader."""
    lines = ["x", *(f"{i}.5" for i in range(60))]
    lines[where - 1] = "7" * (3 * MAX_LINE_BYTES)
    path = write(tmp_path, "\n".join(lines) + "\n")
    assert error_of(path).startswith(f"{path}:{where}: line longer than 1 MiB")


@pytest.mark.usefixtures("reader")
def test_a_line_at_the_limit_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "x\n" + " " * (MAX_LINE_BYTES - 3) + "2.5\n1.5\n" * 1000)
    assert values_of(load_data(path))[:3] == [2.5, 1.5, 2.5]


# --- what messages quote ------------------------------------------------------------------------


def test_an_unknown_column_among_many_lists_a_few(tmp_path: Path) -> None:
    count = 100_000
    header = ",".join(f"c{i}" for i in range(count))
    path = write(tmp_path, header + "\n" + ",".join(["1"] * count) + "\n")
    message = error_of(path, column="nope")
    assert message == (
        f"{path}: unknown column 'nope' (columns: 'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', "
        f"'c7', 'c8', 'c9', ... ({count} columns))"
    )


def test_text_from_the_file_is_quoted_short_and_escaped(tmp_path: Path) -> None:
    """Words with a terminal escape sequence, no number anywhere: a few names, escaped."""
    line = ("The quick \x1b[31mred\x1b[0m fox " + "a" * 300 + " ") * 20
    path = write(tmp_path, f"{line}\n{line}\n")
    message = error_of(path)
    assert "\x1b" not in message and len(message) < len(path) + 300
    assert message.startswith(f"{path}:2: no numeric column (columns: 'The', 'quick', ")
    assert "'\\x1b[31mred\\x1b[0m'" in message


# --- the lines that errors after loading name ---------------------------------------------------


@pytest.mark.usefixtures("reader")
def test_support_errors_name_the_file_line(tmp_path: Path) -> None:
    """Header, comments, blank lines and dropped rows lie between the values and their lines."""
    text = "# made by hand\nx,w\n0.5,1\n\n1.5,1\n# a comment\nNA,1\n2.5,1\n-3,1\n4,1\n"
    path = write(tmp_path, text + "".join(f"{i}.25,1\n" for i in range(1, 40)))
    data = load_data(path, drop_missing=True)
    with pytest.raises(DataError) as caught:
        fit(data, "gamma")
    assert str(caught.value) == (
        f"{path}:9: column 'x': value -3 is outside the support of gamma ((0, inf))"
    )


@pytest.mark.usefixtures("reader")
def test_support_errors_in_headerless_and_clean_files(tmp_path: Path) -> None:
    path = write(tmp_path, "".join(f"{v}\n" for v in [*range(1, 50), 0, 3]))
    with pytest.raises(DataError) as caught:
        fit(load_data(path), "lognormal")
    assert str(caught.value).startswith(f"{path}:50: column 1 (no header): value 0 is outside")


# --- progress -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("reader")
def test_progress_runs_up_to_the_whole_file(tmp_path: Path) -> None:
    path = write(tmp_path, "x\n" + "".join(f"{i}.5\n" for i in range(300_000)))
    seen: list[float] = []
    data = load_data(path, progress=seen.append)
    assert len(data.values) == 300_000
    assert seen and seen == sorted(seen) and 0 < seen[-1] <= 1.0
    assert seen[-1] == pytest.approx(1.0)


def test_progress_leaves_pandas_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Showing progress must not slow the parse: pandas parses a file in several threads only
    when it is given the path, not a stream."""
    pandas = pytest.importorskip("pandas")
    path = write(tmp_path, "x\n" + "".join(f"{i}.5\n" for i in range(300_000)))
    given: list[object] = []
    read_csv = pandas.read_csv

    def recording(target: object, **options: object) -> object:
        given.append(target)
        return read_csv(target, **options)

    monkeypatch.setattr(pandas, "read_csv", recording)
    seen: list[float] = []
    data = load_data(path, progress=seen.append)
    assert given == [path]
    assert np.array_equal(data.values, np.arange(300_000) + 0.5)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)
