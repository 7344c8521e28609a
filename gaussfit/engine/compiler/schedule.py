"""When fused loops pay for themselves, and keeping them only where they are faster.

A fused program (``fused.py``) runs the lab's step several times faster than the numpy one, but
getting it costs time: importing numba, then numba's first use in the process (it sets up its
compiler even to load a cached kernel; about as long as the import), then loading the kernels
from the disk cache (milliseconds) or compiling them (seconds). A loop of 60 steps at 1e6
points takes less than that in all, so paying it inside the loop makes the user wait longer,
not shorter. Each program that could be fused therefore carries a ``Schedule`` that fuses only
when the work it predicts is left saves more than fusing costs:

* the cost is read from the index beside the cache (``kernel_cache.py``): numba's import and
  first use as measured here (nothing once done in this process), plus a load when every
  kernel is already cached, else a compilation;
* the work left is the larger of what the plan has run so far in this process (a loop that has
  run for a while tends to run as long again) and what the last process running the same plan
  ran in all, minus what has run here; it counts in seconds of the numpy program;
* the saving is the share of a step the fused program saved the last time it was measured (one
  half before it ever was).

So a second process running the same long loop fuses on its first large run (a kernel already
cached is loaded at once), and a short loop never pays for numba at all. A kernel not yet cached
is compiled by a separate, lower-priority process (``build_kernels.py``) once the plan has run
``BACKGROUND_AFTER_SECONDS`` (or at once, if the last process's loop says fusing pays) and a
core is free: the user's steps keep running the numpy program and never wait for a compilation
(a compiling thread would hold the interpreter lock the steps need: measured, it made the
steps 2-3.5 times slower while it ran), and the kernel is swapped in once built and worth
loading. Whatever is swapped in runs on probation (``Trial``): if its first runs are slower
than the numpy program's, or it fails, the plan drops back to the numpy program, and the index
remembers not to fuse it again.

At exit, builders still running are stopped (the cache files they write appear whole or not at
all), and each plan's running time is recorded for the next process.
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gaussfit.engine.compiler import fused, kernel_cache

if TYPE_CHECKING:  # imported when a builder starts: most programs never start one
    import subprocess

IMPORT_GUESS_SECONDS = 1.0
"""Numba's import time before it was ever measured here."""

FIRST_LOAD_GUESS_SECONDS = 1.0
"""Loading a first cached kernel into a process, before it was measured here: numba sets up
its compiler on first use, which costs about as much as its import."""

COMPILE_GUESS_SECONDS = 2.0
"""A kernel's compilation time before one was measured here."""

LOAD_SECONDS = 0.02
"""Loading one more cached kernel once numba is set up."""

SAVING_GUESS = 0.5
"""The share of a step fused loops save, before it was measured for a plan."""

BACKGROUND_AFTER_SECONDS = 1.0
"""Running time (of the numpy program) after which uncached kernels are built in the
background: long enough that a short loop does not start a compilation it will never use (the
builder's seconds of work take a core a busy machine may not have spare)."""

BUILDER_NICENESS = 10
"""How much lower the builder's priority is than the user's process (on a machine without an
idle core it waits: the user's steps come first)."""

POLL_EVERY_SECONDS = 0.02
"""Running time between two looks at a builder or the load average (each a system call)."""

TRIAL_RUNS = 5
"""Runs of a fused program timed against the numpy program (the first one is not counted)."""

_BUILDER = Path(__file__).with_name("build_kernels.py")
_RECENT = 8


class Schedule:
    """The fusing decision for one compiled numpy program (one plan at one input shape)."""

    def __init__(self, sources: list[str]) -> None:
        self.sources = sources
        self.keys = [kernel_cache.digest(s) for s in sources]
        self.key = kernel_cache.digest(" ".join(self.keys))
        self.record = kernel_cache.read(f"plan_{self.key}")
        self.seconds = 0.0  # this process's running time, in seconds of the numpy program
        self.failed = bool(self.record.get("slower"))  # failed or slower: not again here
        self._history = float(self.record.get("history_s", 0.0))
        self._saving = float(self.record.get("saving", SAVING_GUESS))
        self._recent: list[float] = []
        self._builder: subprocess.Popen | None = None
        self._build_started = False
        self._compile_here = False
        self._next_poll = 0.0
        self._cached = False
        self._cost = 0.0
        self._known = False  # the cache and the costs are looked up when they could matter
        _SCHEDULES.append(self)

    def ran(self, seconds: float) -> None:
        """Count one run of the numpy program."""
        self.seconds += seconds
        self._recent.append(seconds)
        if len(self._recent) > _RECENT:
            del self._recent[0]

    def ran_fused(self) -> None:
        """Count one run of the fused program, as the numpy run it replaced."""
        self.seconds += self.numpy_run_seconds()

    def numpy_run_seconds(self) -> float:
        """A typical run of the numpy program (the median of its recent runs)."""
        return _median(self._recent) if self._recent else 0.0

    def due(self) -> bool:
        """Whether to build the fused program now (called after each numpy run)."""
        if fused.FUSE_AFTER_SECONDS is not None:  # a fixed rule (tests, benchmarks)
            return self.seconds >= fused.FUSE_AFTER_SECONDS
        if self.failed:
            return False
        left = max(self.seconds, self._history - self.seconds)
        if not self._known:  # no cost is below a load: until then, save looking at the cache
            if left * self._saving < LOAD_SECONDS and self.seconds < BACKGROUND_AFTER_SECONDS:
                return False
            self._refresh()
            self._known = True
        pays = left * self._saving >= self._cost
        if not self._cached:  # never compile in the user's step: build in the background
            if self._builder is not None:
                if not self._look_again() or self._builder.poll() is None:
                    return False
                self._builder = None  # built (or failed): what is in the cache now?
                self._refresh()
                if not self._cached:
                    self.failed = True
                return False  # the cost changed: decide on the next run
            due = pays or self.seconds >= BACKGROUND_AFTER_SECONDS
            if not self._build_started and due and self._look_again() and _spare_core():
                self._build_started = True
                self._compile_here = not self._start_builder()
            if not self._compile_here:  # only when no builder can start
                return False
        return pays

    def _look_again(self) -> bool:
        """Whether to ask the system again (at most every ``POLL_EVERY_SECONDS`` of running)."""
        if self.seconds < self._next_poll:
            return False
        self._next_poll = self.seconds + POLL_EVERY_SECONDS
        return True

    def judge(self, fused_seconds: float) -> bool:
        """Record a trial: True when the fused program (typical run ``fused_seconds``) is
        faster than the numpy one."""
        numpy_seconds = self.numpy_run_seconds()
        faster = fused_seconds < numpy_seconds
        self.record["saving"] = max(0.0, 1.0 - fused_seconds / numpy_seconds) if faster else 0.0
        self.record["slower"] = not faster
        self.failed = not faster
        return faster

    def give_up(self) -> None:
        """Fusing failed (a kernel did not compile or its program raised)."""
        self.failed = True

    def _refresh(self) -> None:
        """Whether every kernel is cached, and what fusing costs now."""
        self._cached = all(kernel_cache.is_cached(key) for key in self.keys)
        if self._cached:
            build = LOAD_SECONDS * len(self.keys)
        else:
            build = sum(
                float(kernel_cache.read(f"kernel_{key}").get("compile_s", COMPILE_GUESS_SECONDS))
                for key in self.keys
            )
        setup = kernel_cache.setup_seconds(IMPORT_GUESS_SECONDS, FIRST_LOAD_GUESS_SECONDS)
        self._cost = setup + build

    def _start_builder(self) -> bool:
        """Start compiling the kernels in a separate process; False if that cannot start."""
        import subprocess

        folder = kernel_cache.cache_dir()
        for source in self.sources:
            kernel_cache.write_kernel(source, folder)
        try:
            self._builder = subprocess.Popen(
                [sys.executable, str(_BUILDER), str(BUILDER_NICENESS), str(folder), *self.keys],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return False
        return True

    def stop(self) -> None:
        """Stop a builder still running (its cache files are written whole or not at all)."""
        if self._builder is not None and self._builder.poll() is None:
            self._builder.terminate()
            import subprocess

            try:
                self._builder.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._builder.kill()
                self._builder.wait()

    def save(self) -> None:
        """Record this process's running time and any trial for the next process."""
        if self.seconds <= 0.0 and "slower" not in self.record:
            return
        record = kernel_cache.read(f"plan_{self.key}")
        record.update({k: v for k, v in self.record.items() if k in ("saving", "slower")})
        record["history_s"] = self.seconds
        kernel_cache.write(f"plan_{self.key}", record)


class Trial:
    """A fused program on probation: it runs in place of the numpy program while its first
    ``TRIAL_RUNS`` are timed; slower than the numpy program, or failing, it is dropped and the
    numpy program runs from then on."""

    wants_fusing = False

    def __init__(self, fused_program: Any, numpy_program: Any, schedule: Schedule) -> None:
        self.fused = fused_program
        self.numpy = numpy_program
        self.schedule = schedule
        self.dropped = False
        self._times: list[float] = []

    @property
    def source(self) -> str:
        """The source of the program that runs now."""
        return self.numpy.source if self.dropped else self.fused.source

    def run(self, inputs: list[Any]) -> tuple[list[Any], list]:
        if self.dropped:
            return self.numpy.run(inputs)
        started = time.perf_counter()
        try:
            results = self.fused.run(inputs)
        except Exception:  # the numpy program raises the error, if it is one of the data's
            self.dropped = True
            self.schedule.give_up()
            return self.numpy.run(inputs)
        seconds = time.perf_counter() - started
        self.schedule.ran_fused()
        if len(self._times) < TRIAL_RUNS:
            self._times.append(seconds)
            if len(self._times) == TRIAL_RUNS:
                self.dropped = not self.schedule.judge(_median(self._times[1:]))
        return results


def _spare_core() -> bool:
    """Whether a core is free for a builder (the load average, this process included, is at
    least half a core short of the cores)."""
    try:
        return os.getloadavg()[0] <= (os.cpu_count() or 1) - 0.5
    except OSError:  # no load average on this system: assume a free core
        return True


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


_SCHEDULES: list[Schedule] = []


@atexit.register
def _at_exit() -> None:
    """Leave no builder running, and record each plan's running time."""
    for schedule in _SCHEDULES:
        schedule.stop()
        schedule.save()
