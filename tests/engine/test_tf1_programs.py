"""TF1-course programs print what TensorFlow printed, with the compiler on and off.

Each program in ``tf1_programs/`` imports ``gaussfit.engine as tf``; its expected output was
recorded by running the same file on ``tensorflow.compat.v1`` (``record_with_tensorflow.py``;
the first line of each ``expected/*.txt`` says with what). Output is compared token by token:
text exactly (whitespace ignored, since numpy pads columns by the digits printed, and numpy's
``np.float32(...)`` wrappers removed, since TF returns plain numpy scalars that NumPy 2 prints
that way and TF1 under NumPy 1 did not), numbers to the relative tolerance the program declares
(``# rtol: 1e-9`` for float64 programs, ``1e-5`` for float32), with an absolute floor of
``rtol / 100`` for numbers that are zero up to rounding. TensorFlow 2's ``compat.v1`` prints an
unknown dimension as ``None`` where TF1 printed ``?`` (as this engine does); the recording is
read with TF1's spelling.
"""

from __future__ import annotations

import contextlib
import io
import re
import runpy
from pathlib import Path

import pytest

import gaussfit.engine as tf
from gaussfit.engine import compiler_hook
from gaussfit.engine import plan as plan_module

HERE = Path(__file__).resolve().parent / "tf1_programs"
PROGRAMS = sorted(p for p in HERE.glob("*.py") if p.stem != "record_with_tensorflow")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b")
UNKNOWN_DIM = re.compile(r"\((?:\s*(?:None|\d+)\s*,)*\s*(?:None|\d+)?\s*\)")  # a shape
WRAPPER = re.compile(r"np\.(?:float|int|uint)\d+\(([^()]*)\)|np\.(True|False)_")


def _tokens(text: str) -> tuple[list[str], list[float]]:
    text = WRAPPER.sub(lambda m: m.group(1) or m.group(2), text)
    words = [re.sub(r"\s+", "", part) for part in NUMBER.split(text)]
    return words, [float(n) for n in NUMBER.findall(text)]


def _expected(program: Path) -> str:
    lines = (HERE / "expected" / f"{program.stem}.txt").read_text().splitlines(keepends=True)
    assert lines[0].startswith("# recorded with tensorflow")
    return UNKNOWN_DIM.sub(lambda m: m.group(0).replace("None", "?"), "".join(lines[1:]))


def _rtol(program: Path) -> float:
    match = re.search(r"^# rtol: (\S+)$", program.read_text(), re.MULTILINE)
    assert match, f"{program.name} declares no '# rtol:'"
    return float(match.group(1))


def _run(program: Path) -> str:
    tf.reset_default_graph()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(program), run_name="__main__")
    tf.reset_default_graph()
    return out.getvalue()


@pytest.mark.parametrize("compiler", ["on", "off"])
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.stem)
def test_program_prints_what_tensorflow_printed(program, compiler, monkeypatch):
    if compiler == "on":
        monkeypatch.setattr(plan_module, "COMPILE_AFTER", 0)  # compile every repeated plan
        got = _run(program)
    else:
        with compiler_hook.disabled():
            got = _run(program)
    want = _expected(program)
    got_words, got_numbers = _tokens(got)
    want_words, want_numbers = _tokens(want)
    assert got_words == want_words, f"\n--- got:\n{got}\n--- TensorFlow printed:\n{want}"
    rtol = _rtol(program)
    assert len(got_numbers) == len(want_numbers)
    for index, (g, w) in enumerate(zip(got_numbers, want_numbers, strict=True)):
        assert abs(g - w) <= rtol * max(abs(g), abs(w)) + rtol / 100, (
            f"number {index}: {g} != {w}\n--- got:\n{got}\n--- TensorFlow printed:\n{want}"
        )


def test_every_program_has_its_recording():
    recorded = {p.stem for p in (HERE / "expected").glob("*.txt")}
    assert {p.stem for p in PROGRAMS} <= recorded
