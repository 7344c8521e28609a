"""Worker processes for a batch, each job sent to one and its outcome read back over a pipe.

``concurrent.futures.ProcessPoolExecutor`` does not fit a batch: one worker killed by the kernel
(out of memory, a crash in a native library) breaks the whole pool and fails every pending job,
Ctrl-C waits for the running jobs, and its workers outlive a parent killed by SIGKILL. Here each
worker is watched on its own:

* a worker that dies mid-job fails that job only, with the cause (``killed by signal 9
  (SIGKILL)``); a fresh worker takes its place and the job is not run again;
* :meth:`WorkerPool.cancel` kills the running workers at once (Ctrl-C is the parent's to handle:
  workers ignore SIGINT, so a terminal's Ctrl-C, which reaches the whole process group, cannot
  half-kill them);
* a worker dies with its parent: it holds the read end of a "lifeline" pipe whose only write end
  is the parent's, and a thread in the worker exits the process when that pipe reports end of
  file, which the kernel does whenever the parent goes, however it goes. On Linux the worker
  also asks for SIGKILL when its parent process dies (``prctl(PR_SET_PDEATHSIG)``).

Workers are started by a fork server that has already imported the fitting code (on Linux and
macOS), so replacing a worker costs milliseconds, not an interpreter start.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

_PRELOAD = [
    "gaussfit.batch.runner",
    "gaussfit.fitting",
    "gaussfit.data",
    "gaussfit.data.simulate",
    "gaussfit.distributions",
    "gaussfit.engine.compiler.codegen",
    "scipy.optimize",
    "scipy.stats",
    "gaussfit.batch.forkserver_exit",
]
"""What the fork server imports once for every worker: scipy.stats alone takes seconds, which
each worker would otherwise pay on its first job."""


class TaskQueue:
    """The indices of the items still to run, in order, shared between a pool's loop and the
    thread that called it, which may take items to run itself (``compare --jobs`` fits in the
    parent process too): each index is taken once."""

    def __init__(self, order: Iterable[int]) -> None:
        self._left = deque(order)
        self._lock = threading.Lock()

    def take(self) -> int | None:
        """The next index, or None when none is left."""
        with self._lock:
            return self._left.popleft() if self._left else None

    def give_back(self, index: int) -> None:
        """Put back an index that was taken but never ran (its worker was found dead)."""
        with self._lock:
            self._left.appendleft(index)

    def close(self) -> None:
        """Take every index left: nothing more is handed out (an interrupt)."""
        with self._lock:
            self._left.clear()

    def __bool__(self) -> bool:
        return bool(self._left)


@dataclass
class Worker:
    """One worker process, the parent's ends of its pipes, and the job it is running."""

    process: Any
    jobs: Connection
    lifeline: Connection
    task: int | None = None


def _context() -> Any:
    if sys.platform != "win32" and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def death_cause(exitcode: int | None) -> str:
    """Why a worker process ended without answering, in the words of a shell."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "an unknown signal"
        hint = " (out of memory?)" if number == signal.SIGKILL else ""
        return f"its worker process was killed by signal {number} ({name}){hint}"
    return f"its worker process exited with code {exitcode} before answering"


class WorkerPool:
    """At most ``size`` worker processes running ``function`` on one item at a time each."""

    def __init__(self, function: Callable[[Any], Any], size: int) -> None:
        self._function = function
        self._size = max(1, size)
        self._context = _context()
        self._workers: list[Worker] = []
        self.running: set[int] = set()

    def run(
        self,
        items: list[Any],
        on_result: Callable[[int, Any], None],
        on_death: Callable[[int, str], None],
        tasks: TaskQueue | None = None,
    ) -> None:
        """Run every item; report each answer (or the death of the worker running it) by index.

        Items are handed out in order as workers become free; with ``tasks``, those its
        indices name, in its order, while another thread may take some of them itself. Raises
        whatever interrupts it (KeyboardInterrupt) with the unfinished items still marked in
        :attr:`running`.
        """
        queue = tasks if tasks is not None else TaskQueue(range(len(items)))
        while queue or self.running:
            for worker in list(self._workers):
                if worker.task is None and queue:
                    self._hand_out(worker, queue, items)
            while queue and len(self._workers) < self._size:
                self._hand_out(self._start(), queue, items)
            busy = [w for w in self._workers if w.task is not None]
            if not busy:  # every hand-out met a dead worker: start fresh ones
                continue
            ready = wait([w.jobs for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.jobs in ready or worker.process.sentinel in ready:
                    self._collect(worker, on_result, on_death)

    def _hand_out(self, worker: Worker, queue: TaskQueue, items: list[Any]) -> None:
        """Send the next item to an idle worker; one found dead is replaced later, and the item,
        which it never received, goes back to the queue."""
        task = queue.take()
        if task is None:  # another thread took the last one
            return
        try:
            if not worker.process.is_alive():  # died while idle (killed from outside)
                raise BrokenPipeError
            worker.jobs.send(items[task])
        except OSError:
            queue.give_back(task)
            worker.process.join(timeout=5)
            self._retire(worker)
            return
        worker.task = task
        self.running.add(task)

    def _collect(
        self,
        worker: Worker,
        on_result: Callable[[int, Any], None],
        on_death: Callable[[int, str], None],
    ) -> None:
        task = worker.task
        assert task is not None
        try:
            if worker.jobs.poll():
                answer = worker.jobs.recv()
                worker.task = None
                self.running.discard(task)
                on_result(task, answer)
                return
        except (EOFError, OSError):
            pass
        # Readable with nothing to read, or the process is gone: the worker died on this job.
        worker.process.join(timeout=5)
        worker.task = None
        self.running.discard(task)
        self._retire(worker)
        on_death(task, death_cause(worker.process.exitcode))

    def _start(self) -> Worker:
        parent_jobs, child_jobs = self._context.Pipe()
        child_life, parent_life = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_serve,
            args=(self._function, child_jobs, child_life),
            name="gaussfit-batch-worker",
            daemon=True,
        )
        process.start()
        child_jobs.close()
        child_life.close()
        worker = Worker(process, parent_jobs, parent_life)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        with contextlib.suppress(OSError):
            worker.jobs.close()
        with contextlib.suppress(OSError):
            worker.lifeline.close()
        if worker in self._workers:
            self._workers.remove(worker)

    def kill(self) -> None:
        """Send every worker SIGKILL without waiting: safe from a thread other than the one in
        :meth:`run`, whose wait then sees them die and returns."""
        for worker in list(self._workers):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                worker.process.kill()

    def cancel(self) -> None:
        """Kill every worker now (SIGKILL): what they were running is lost, on purpose."""
        self.kill()
        for worker in list(self._workers):
            worker.process.join(timeout=2)
            self._retire(worker)

    def close(self) -> None:
        """Let idle workers finish their loop; kill any that do not leave promptly."""
        for worker in self._workers:
            with contextlib.suppress(OSError, ValueError):
                worker.jobs.send(None)
        for worker in list(self._workers):
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=2)
            self._retire(worker)


def _serve(function: Callable[[Any], Any], jobs: Connection, lifeline: Connection) -> None:
    """A worker's life: answer items until told to stop (None), dying with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(lifeline)
    while True:
        try:
            item = jobs.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        jobs.send(function(item))


def _die_with_parent(lifeline: Connection) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL)

    def watch() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()
        os._exit(1)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()
