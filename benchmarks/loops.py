"""A user's training loop, timed whole: what the fused (numba) path costs or saves end to end.

Each measurement is a fresh interpreter (``benchmarks.child loop``) running the lab's Gaussian
graph for STEPS gradient-descent steps on N points, the way a user's script does, three ways:

* ``numpy``: the compiled numpy program, never fused (the baseline);
* ``cold``: the default rule with an empty kernel cache (a first run on a new machine);
* ``warm``: the default rule with the lab step's kernel already compiled into the cache and
  the same loop run once before (so the cache's index knows how long the loop runs).

The three are run in turn, ``repeats`` times, and compared: the loop's own time (from the
first step to the last; medians, and the best of the repeats, which a busy machine disturbs
least) and the child's whole wall time (start-up, imports, exit, where a background build is
stopped). Ratios are fused / numpy: 1.0 is "never slower". Where a row says the loop was never
fused, both ran the same numpy program and the ratio shows the machine's noise.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.timing import ROOT, child_env

MODES = ("numpy", "cold", "warm")


def loop_section(cases: list[tuple[int, int]], repeats: int) -> dict[str, Any]:
    """One row per (N, steps): each mode's median loop and process seconds, and the ratios."""
    from benchmarks.step import numba_installed

    if not numba_installed():
        return {"status": "numba not installed (pip install 'gaussfit[fast]')", "rows": []}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for n, count in cases:
            warm = root / f"warm-{n}-{count}"
            _child(warm, "now", n, 3)  # compile the kernel into the cache
            _child(warm, "default", n, count)  # the index learns how long this loop runs
            runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
            for repeat in range(repeats):
                for mode in MODES:
                    cache = warm if mode == "warm" else root / f"{mode}-{n}-{count}-{repeat}"
                    rule = "numpy" if mode == "numpy" else "default"
                    runs[mode].append(_child(cache, rule, n, count))
            rows.append(_row(n, count, runs))
    return {"rows": rows, "repeats": repeats}


def _row(n: int, steps: int, runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    row: dict[str, Any] = {"n": n, "steps": steps}
    for mode in MODES:
        row[f"{mode}_loop_s"] = statistics.median(r["seconds"] for r in runs[mode])
        row[f"{mode}_loop_best_s"] = min(r["seconds"] for r in runs[mode])
        row[f"{mode}_process_s"] = statistics.median(r["process_s"] for r in runs[mode])
        row[f"{mode}_fused_runs"] = sum(r["fused"] for r in runs[mode])
    for mode in ("cold", "warm"):
        row[f"{mode}_loop_ratio"] = row[f"{mode}_loop_s"] / row["numpy_loop_s"]
        row[f"{mode}_best_ratio"] = row[f"{mode}_loop_best_s"] / row["numpy_loop_best_s"]
        row[f"{mode}_process_ratio"] = row[f"{mode}_process_s"] / row["numpy_process_s"]
    return row


def _child(cache: Path, rule: str, n: int, steps: int) -> dict[str, Any]:
    """Run the loop in a fresh interpreter with its own kernel cache."""
    env = child_env()
    env["GAUSSFIT_CACHE_DIR"] = str(cache)
    command = [sys.executable, "-m", "benchmarks.child", "loop", rule, str(n), str(steps)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result
