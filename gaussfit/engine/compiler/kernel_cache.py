"""What the disk cache of fused kernels holds, known without importing numba.

Each fused loop is a small module ``kernel_<digest>.py`` (the digest is its source's) in
``cache_dir()``; numba compiles it with ``cache=True`` and keeps the machine code in the
``__pycache__`` beside it. Asking numba whether a kernel is cached means importing numba, which
alone costs more than a short training loop, so the project keeps its own index beside numba's:

* ``kernel_<digest>.json``: written once a process has compiled (or loaded) the kernel, with the
  stamp of the numba installation that did it and how long compiling took;
* ``plan_<key>.json``: for one plan's set of loops, how long the last process ran it (in seconds
  of the unfused program) and how much the loops saved, or that they were slower;
* ``numba.json``: how long importing numba took here.

A kernel counts as cached when its index entry carries the current numba stamp and numba's own
index file for it exists. Every file is written whole (a temporary file renamed over it), so a
concurrent process reads either the old content or the new one.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """Where kernels and numba's compiled code are kept: ``$GAUSSFIT_CACHE_DIR``, else the
    user's cache directory, else a temporary one."""
    base = os.environ.get("GAUSSFIT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gaussfit"
    )
    return _writable_folder(base)


@functools.lru_cache(maxsize=8)
def _writable_folder(base: str) -> Path:
    """The kernel folder under ``base`` (made if missing), else a temporary one: checked once
    per process, as every look at the index asks for it."""
    for candidate in (Path(base) / "kernels", Path(tempfile.gettempdir()) / "gaussfit-kernels"):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return candidate
    raise OSError("no writable directory for compiled kernels")


def digest(text: str) -> str:
    """A short name for a kernel's source (or a plan's list of kernel digests)."""
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@functools.cache
def numba_stamp() -> str:
    """The installed numba, told apart by its package file's size and time (no import):
    a kernel compiled by another numba is not in the cache for this one."""
    spec = importlib.util.find_spec("numba")
    if spec is None or spec.origin is None:
        return ""
    info = os.stat(spec.origin)
    return f"{info.st_size}:{info.st_mtime_ns}"


def kernel_path(key: str, folder: Path | None = None) -> Path:
    """The module file of the kernel with digest ``key``."""
    return (folder or cache_dir()) / f"kernel_{key}.py"


def write_kernel(source: str, folder: Path | None = None) -> Path:
    """The kernel's module file, written (whole) if it is not there yet."""
    path = kernel_path(digest(source), folder)
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(source)
        partial.replace(path)  # atomic: a concurrent process sees all of it or nothing
    return path


def is_cached(key: str, folder: Path | None = None) -> bool:
    """Whether the kernel ``key`` was compiled by this numba and saved where numba looks."""
    folder = folder or cache_dir()
    entry = read(f"kernel_{key}", folder)
    if entry.get("numba") != numba_stamp() or not kernel_path(key, folder).exists():
        return False
    if os.environ.get("NUMBA_CACHE_DIR"):  # numba keeps its index elsewhere: trust ours
        return True
    return any((folder / "__pycache__").glob(f"kernel_{key}.kernel-*.nbi"))


def mark_cached(key: str, compile_seconds: float | None, folder: Path | None = None) -> None:
    """Record that kernel ``key`` is in numba's cache (and what compiling it cost)."""
    entry = read(f"kernel_{key}", folder)
    entry["numba"] = numba_stamp()
    if compile_seconds is not None:
        entry["compile_s"] = compile_seconds
    write(f"kernel_{key}", entry, folder)


def read(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The index entry ``name`` (empty when missing or unreadable: the index is a hint)."""
    try:
        with open((folder or cache_dir()) / f"{name}.json") as file:
            entry = json.load(file)
    except (OSError, ValueError):
        return {}
    return entry if isinstance(entry, dict) else {}


def write(name: str, entry: dict[str, Any], folder: Path | None = None) -> None:
    """Replace the index entry ``name`` whole; a failure only loses a hint."""
    path = (folder or cache_dir()) / f"{name}.json"
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        partial.write_text(json.dumps(entry))
        partial.replace(path)
    except OSError:
        pass


def load(key: str, folder: Path | None = None) -> Callable[..., Any]:
    """The function of kernel ``key``: loaded from numba's cache, or compiled and saved there
    (the module compiles it on import); the index records which, and what it cost."""
    global _warm
    import_numba(folder)
    name = f"gaussfit_kernel_{key}"
    spec = importlib.util.spec_from_file_location(name, kernel_path(key, folder))
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module  # numba's disk cache finds the kernel's module by name
    started = time.perf_counter()
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    seconds = time.perf_counter() - started
    kernel = module.kernel
    compiled = sum(kernel.stats.cache_hits.values()) == 0
    mark_cached(key, seconds if compiled else None, folder)
    if not compiled and not _warm:  # numba's first use in a process costs far more
        entry = read("numba", folder)
        if entry.get("numba") == numba_stamp():
            write("numba", {**entry, "first_load_s": seconds}, folder)
    _warm = True
    return kernel


_warm = False
"""Whether this process has loaded or compiled a kernel (numba's first use is behind it)."""


def import_numba(folder: Path | None = None) -> None:
    """Import numba, recording how long that took (the price of a first fused loop)."""
    if "numba" in sys.modules:
        return
    started = time.perf_counter()
    import numba  # noqa: F401

    write("numba", {"numba": numba_stamp(), "import_s": time.perf_counter() - started}, folder)


def setup_seconds(import_guess: float, first_load_guess: float) -> float:
    """What getting numba ready for a first kernel costs here, as measured last time: its
    import (unless done) and its first use, when it sets up its compiler (unless done)."""
    if _warm:
        return 0.0
    entry = read("numba")
    if entry.get("numba") != numba_stamp():
        entry = {}
    first_load = float(entry.get("first_load_s") or first_load_guess)
    if "numba" in sys.modules:
        return first_load
    return float(entry.get("import_s") or import_guess) + first_load
