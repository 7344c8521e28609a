"""The lab's story through the command line: the iteration table and the estimate it printed."""

from __future__ import annotations

import re

from cli_helpers import run_process

LAB_ARGS = (
    "--optimizer",
    "gd",
    "--lr",
    "0.05",
    "--iters",
    "50",
    "--tol",
    "0",
    "--init",
    "mu=1,sigma=1",
    "--every",
    "10",
)
LAB_TABLE = {10: "-43.110", 20: "-35.691", 30: "-35.691", 40: "-35.691", 50: "-35.691"}
ROW = re.compile(r"^\s*(\d+)\s+(-?\d+\.\d{3})\s")


def iteration_rows(text: str) -> dict[int, str]:
    """iteration -> log p(X) as printed, from the rows of the iteration table."""
    block = text.split("Iterations", 1)[1].split("Estimates", 1)[0]
    return {int(m[1]): m[2] for m in map(ROW.match, block.splitlines()) if m}


def estimate_of(text: str, name: str) -> str:
    line = next(
        line for line in text.split("Estimates", 1)[1].splitlines() if line.split()[:1] == [name]
    )
    return line.split()[1]


def test_the_lab_run_prints_the_labs_log_likelihoods_and_estimate(gaussfit, lab_csv):
    result = gaussfit("fit", lab_csv, *LAB_ARGS)
    assert result.exit_code == 0, result.stderr
    assert iteration_rows(result.stdout) == LAB_TABLE
    assert estimate_of(result.stdout, "mu") == "2.6518"


def test_the_lab_run_says_loudly_that_fifty_steps_with_tol_0_did_not_converge(gaussfit, lab_csv):
    result = gaussfit("fit", lab_csv, *LAB_ARGS)
    assert re.search(r"^converged\s+NO", result.stdout, re.MULTILINE)
    assert "warning: did not converge: hit the iteration limit (50)" in result.stdout


def test_the_lab_run_as_a_real_process(lab_csv):
    process = run_process("fit", str(lab_csv), *LAB_ARGS)
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    assert iteration_rows(process.stdout) == LAB_TABLE
    assert estimate_of(process.stdout, "mu") == "2.6518"
    assert "\x1b[" not in process.stdout  # a pipe gets no colour
