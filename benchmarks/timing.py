"""Timing helpers: interleaved medians in this process, and fresh child processes.

Competing callables are timed in alternating rounds, so a burst of load from elsewhere on the
machine lands on all of them rather than on whichever ran at the time, and each gets the median
of its rounds. Anything that must start cold (imports, loading a file, peak memory) runs in a
child process, ``python -m benchmarks.child``, which reports its own timings as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_BYTECODE_CACHE: list[Path] = []


def cache_bytecode_in(directory: Path) -> None:
    """Let child processes write and reuse compiled bytecode in ``directory``.

    An installed package has its bytecode compiled at install time; a checkout run with
    ``PYTHONDONTWRITEBYTECODE`` would instead compile every module on every import, and import
    times would measure the compiler. A private cache directory keeps the working tree clean.
    """
    _BYTECODE_CACHE[:] = [directory]


def repetitions(fn: Callable[[], Any], block_seconds: float) -> int:
    """How many calls of ``fn`` fill about ``block_seconds`` (at least 3)."""
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    return max(3, int(block_seconds / once))


def interleaved_medians(
    contestants: dict[str, Callable[[], Any]], rounds: int, block_seconds: float
) -> dict[str, float]:
    """Median seconds per call of each callable, timed in ``rounds`` alternating blocks."""
    reps = {name: repetitions(fn, block_seconds) for name, fn in contestants.items()}
    samples: dict[str, list[float]] = {name: [] for name in contestants}
    for _ in range(rounds):
        for name, fn in contestants.items():
            n = reps[name]
            start = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - start) / n)
    return {name: statistics.median(values) for name, values in samples.items()}


def median_seconds(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``repeats`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    if _BYTECODE_CACHE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(_BYTECODE_CACHE[0])
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_child(task: str, *args: Any, timeout: float | None = None) -> dict[str, Any]:
    """Run ``benchmarks.child`` ``task`` in a fresh interpreter; its JSON report, or
    ``{"error": ...}`` (``{"timeout": seconds}`` when it ran out of time)."""
    command = [sys.executable, "-m", "benchmarks.child", task, *map(str, args)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, env=child_env(), cwd=ROOT, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def wall_seconds(command: list[str], repeats: int) -> float:
    """Best wall time of a whole command (start-up included), over ``repeats`` runs."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=child_env(), cwd=ROOT, check=True)
        best = min(best, time.perf_counter() - start)
    return best
