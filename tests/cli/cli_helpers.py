"""Helpers shared by the command-line tests (a uniquely named module, importable from any test
file in this folder without clashing with other folders' conftest modules)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import Result

REPO = Path(__file__).resolve().parents[2]
BUNDLED_LAB = REPO / "data" / "seed_lab.csv"
LAB_VALUES = [
    "1.331",
    "3.775",
    "4.025",
    "1.505",
    "1.199",
    "1.839",
    "2.445",
    "4.915",
    "1.6",
    "2.333",
    "4.764",
    "4.06",
    "3.11",
    "0.348",
    "1.878",
    "1.407",
    "4.618",
    "4.927",
    "1.862",
    "1.095",
]


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def parse_one_object(text: str) -> dict:
    """The text is exactly one JSON object (raw_decode then nothing but whitespace)."""
    document, end = json.JSONDecoder().raw_decode(text)
    assert text[end:].strip() == "", f"more than one JSON value: {text[end:]!r}"
    assert isinstance(document, dict)
    return document


def run_process(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m gaussfit ARGS`` as a real process, without colour."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "gaussfit", *args],
        input=input,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def assert_clean_error(result: Result, code: int, *fragments: str) -> str:
    """Exit ``code``; stderr is one ``Error: ...`` line holding the fragments; no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]
