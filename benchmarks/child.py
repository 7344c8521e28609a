"""Work measured in a fresh interpreter: ``python -m benchmarks.child TASK ARGS...``.

Prints one line of JSON. ``extra_mib`` is how far the task raised the process's peak resident
memory above what it held just before the task began, so interpreter, imports and the data the
task is given are not counted. On Linux the peak (``VmHWM``) is reset just before the task;
elsewhere it is ``ru_maxrss``, which cannot be reset, so a task peaking lower than the set-up
before it reports 0.

Tasks:
  import MODULE              seconds to import MODULE; heavy modules it loaded
  load READER PATH           read a one-column CSV with gaussfit, numpy, pandas or pyarrow
  scipy_fit FAMILY N SEED    scipy's own fit of FAMILY on gaussfit's simulated data
  step WHO N STEPS           peak memory of the lab's step (engine or numpy) on N points
  loop RULE N STEPS          a user's loop of STEPS lab steps on N points, timed whole:
                             RULE "numpy" never fuses (as without numba), "default" fuses
                             when it pays,
                             "now" fuses at the first run (to fill the kernel cache)
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
import time
from typing import Any

HEAVY = ("scipy", "pandas", "pyarrow", "numba", "gaussfit.distributions", "gaussfit.fitting")


def reset_peak() -> float:
    """Forget the peak so far (Linux), then return the current peak, in MiB."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass
    return peak_mib()


def peak_mib() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / (1 << 20) if sys.platform == "darwin" else kib / 1024  # bytes on macOS


def task_import(module: str) -> dict[str, Any]:
    before = reset_peak()
    start = time.perf_counter()
    __import__(module)
    seconds = time.perf_counter() - start
    heavy = sorted({m for m in sys.modules for h in HEAVY if m == h or m.startswith(h + ".")})
    roots = sorted({m.split(".")[0] if not m.startswith("gaussfit") else m for m in heavy})
    return {"seconds": seconds, "extra_mib": peak_mib() - before, "heavy": roots}


def read_with(reader: str, path: str) -> Any:
    import numpy as np

    if reader == "gaussfit":
        from gaussfit.data import load_data

        return load_data(path).values
    if reader == "numpy":
        return np.loadtxt(path, skiprows=1)
    if reader == "pandas":
        import pandas

        return pandas.read_csv(path)["x"].to_numpy()
    if reader == "pyarrow":
        import pyarrow.csv

        return pyarrow.csv.read_csv(path).column("x").to_numpy()
    raise ValueError(f"unknown reader {reader}")


def task_load(reader: str, path: str) -> dict[str, Any]:
    import numpy as np

    if reader == "pandas":
        import pandas
    if reader == "pyarrow":
        import pyarrow.csv  # noqa: F401
    if reader == "gaussfit":
        import gaussfit.data  # noqa: F401

        # gaussfit's fast path imports pandas on first use: an import, not the reading.
        with contextlib.suppress(ImportError):
            import pandas  # noqa: F401
    before = reset_peak()
    start = time.perf_counter()
    values = read_with(reader, path)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "extra_mib": peak_mib() - before,
        "rows": int(values.size),
        "checksum": float(np.sum(values)),
    }


def task_scipy_fit(family_name: str, n: str, seed: str) -> dict[str, Any]:
    import scipy.stats  # noqa: F401  (the import is not part of the fit)

    from gaussfit.data.simulate import simulate
    from gaussfit.distributions import get_family

    family = get_family(family_name)
    x, truth = simulate(family, int(n), seed=int(seed))
    family = family.bind(truth)  # the binomial's n, given as the data were drawn
    start = time.perf_counter()
    params = family.scipy_fit(x)
    seconds = time.perf_counter() - start
    if params is None:
        return {"unavailable": True}
    loglik = float(family.log_pdf_numpy(x, params).sum())
    return {"seconds": seconds, "params": params, "loglik": loglik}


def task_step(who: str, n: str, steps: str) -> dict[str, Any]:
    from benchmarks.step import BUILDERS, data, fused_step, fusing_after

    x = data(int(n))
    with fusing_after(float("inf")):
        run = fused_step(x) if who == "fused" else BUILDERS[who](x)
        before = reset_peak()
        for _ in range(int(steps)):
            run()
    return {"extra_mib": peak_mib() - before, "data_mib": x.nbytes / (1 << 20)}


def task_loop(rule: str, n: str, steps: str) -> dict[str, Any]:
    from benchmarks.step import data, engine_step, fusing_after
    from gaussfit.engine.compiler import fused

    x = data(int(n))
    if rule == "numpy":  # the program a user without numba runs, with nothing weighing fusing
        fused.available = lambda: False
    seconds = {"numpy": float("inf"), "default": None, "now": 0.0}[rule]
    with fusing_after(seconds):
        run = engine_step(x)
        started = time.perf_counter()
        for _ in range(int(steps)):
            run()
        loop = time.perf_counter() - started
    sources = [p.source for p in _programs()]
    return {
        "seconds": loop,
        "fused": any("call_kernel(" in s for s in sources),
        "numba_imported": "numba" in sys.modules,
    }


def _programs() -> list[Any]:
    """The compiled programs of every live session (to tell whether the loop was fused)."""
    import gc

    from gaussfit.engine.session import Session

    sessions = [o for o in gc.get_objects() if isinstance(o, Session)]
    return [p for s in sessions for plan in s._plans.values() for p in plan.programs.values()]


TASKS = {
    "import": task_import,
    "load": task_load,
    "scipy_fit": task_scipy_fit,
    "step": task_step,
    "loop": task_loop,
}

if __name__ == "__main__":
    print(json.dumps(TASKS[sys.argv[1]](*sys.argv[2:])))
