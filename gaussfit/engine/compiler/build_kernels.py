"""Compile fused kernels into the disk cache, in a process of their own.

``python build_kernels.py NICENESS FOLDER KEY...`` compiles each ``FOLDER/kernel_<KEY>.py``
with numba (saving it in numba's cache) and records it in the index (``kernel_cache.py``), at
a priority lowered by NICENESS. A training loop starts this in the background once its plan
has run long enough to make fused loops likely to pay (``schedule.py``): compiling here takes
none of the loop's interpreter lock, and the lowered priority keeps it off the loop's core on a
busy machine. It imports nothing of gaussfit but its sibling ``kernel_cache.py`` (loaded by
path), so it starts as fast as numba allows.
"""

import contextlib
import importlib.util
import os
import sys
import threading
import time
from pathlib import Path


def exit_with_parent(parent: int) -> None:
    """Exit as soon as the process that started this one is gone. A parent stopped by a
    signal runs no exit handlers and so cannot stop its builder; re-parented, the builder
    notices within a fifth of a second and leaves (numba writes each cache file whole or not
    at all, so nothing half-written stays behind)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main(folder: str, keys: list[str]) -> None:
    here = Path(__file__).resolve().parent
    spec = importlib.util.spec_from_file_location("gaussfit_kernel_cache", here / "kernel_cache.py")
    cache = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(cache)  # type: ignore[union-attr]
    for key in keys:
        cache.load(key, Path(folder))


if __name__ == "__main__":
    exit_with_parent(os.getppid())
    sys.path.pop(0)  # not this folder: its module names must not shadow numba's imports
    with contextlib.suppress(OSError):
        os.nice(int(sys.argv[1]))
    main(sys.argv[2], sys.argv[3:])
