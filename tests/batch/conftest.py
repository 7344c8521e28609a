from __future__ import annotations

from pathlib import Path

import pytest

LAB_VALUES = [
    1.331,
    3.775,
    4.025,
    1.505,
    1.199,
    1.839,
    2.445,
    4.915,
    1.6,
    2.333,
    4.764,
    4.06,
    3.11,
    0.348,
    1.878,
    1.407,
    4.618,
    4.927,
    1.862,
    1.095,
]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder with a data file beside a configs folder, for relative paths."""
    (tmp_path / "data").mkdir()
    (tmp_path / "configs").mkdir()
    (tmp_path / "data" / "lab.csv").write_text("x\n" + "\n".join(map(str, LAB_VALUES)) + "\n")
    (tmp_path / "data" / "words.csv").write_text("x\n1.0\nabc\n3.0\n")
    return tmp_path


def write_config(workdir: Path, text: str) -> Path:
    path = workdir / "configs" / "batch.yaml"
    path.write_text(text)
    return path
