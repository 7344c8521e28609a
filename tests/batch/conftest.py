"""Fixtures for the batch tests: a scratch project with data beside a configs folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import LAB_VALUES


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder with a data file beside a configs folder, for relative paths."""
    (tmp_path / "data").mkdir()
    (tmp_path / "configs").mkdir()
    (tmp_path / "data" / "lab.csv").write_text("x\n" + "\n".join(map(str, LAB_VALUES)) + "\n")
    (tmp_path / "data" / "words.csv").write_text("x\n1.0\nabc\n3.0\n")
    return tmp_path
