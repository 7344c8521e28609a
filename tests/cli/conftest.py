"""Fixtures for driving the ``gaussfit`` command in-process with click's runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import BUNDLED_LAB, LAB_VALUES, parse_one_object, write_lines
from click.testing import CliRunner, Result

from gaussfit.cli.main import main


@pytest.fixture
def lab_csv(tmp_path: Path) -> Path:
    """The lab's 20 values: the bundled file when it exists, else the same numbers in tmp."""
    if BUNDLED_LAB.exists():
        return BUNDLED_LAB
    return write_lines(tmp_path / "seed_lab.csv", "x", *LAB_VALUES)


@pytest.fixture
def gaussfit() -> Callable[..., Result]:
    """Run ``gaussfit ARGS`` in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def run(*args: Any, input: str | None = None, **kwargs: Any) -> Result:
        return runner.invoke(main, [str(a) for a in args], input=input, **kwargs)

    return run


@pytest.fixture
def gaussfit_json(gaussfit: Callable[..., Result]) -> Callable[..., dict]:
    """Run ``gaussfit ARGS --json``, check it succeeded quietly and parse its one object."""

    def run(*args: Any, input: str | None = None) -> dict:
        result = gaussfit(*args, "--json", input=input)
        assert result.exit_code == 0, result.stderr
        # Nothing on stderr but the names of files written with --output.
        assert all(line.startswith("wrote ") for line in result.stderr.splitlines()), result.stderr
        return parse_one_object(result.stdout)

    return run
