"""A kernel builder (``gaussfit/engine/compiler/build_kernels.py``) never outlives the process
that started it, even one killed by a signal, which runs no exit handlers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BUILDER = (
    Path(__file__).resolve().parents[2] / "gaussfit" / "engine" / "compiler" / "build_kernels.py"
)

# The parent starts a child that watches it (as a builder does) and then works for a minute;
# the parent prints the child's PID and waits to be killed.
PARENT = f"""
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", '''
import importlib.util, os, time
spec = importlib.util.spec_from_file_location("build_kernels", {str(BUILDER)!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.exit_with_parent(os.getppid())
print("watching", flush=True)
time.sleep(60)
'''], stdout=subprocess.PIPE, text=True)
assert child.stdout.readline().strip() == "watching"
print(child.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states in /proc")
def test_a_builder_leaves_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        if parent.poll() is None:
            parent.kill()
