"""Helpers shared by the batch tests (a uniquely named module, so that importing it works
whichever other test folders are collected in the same run)."""

from __future__ import annotations

from pathlib import Path

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


def write_config(workdir: Path, text: str) -> Path:
    path = workdir / "configs" / "batch.yaml"
    path.write_text(text)
    return path
