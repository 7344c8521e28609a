"""Beyond one machine: a fit's cost per iteration on Dask workers and in chunks.

A Newton iteration is one value-and-gradient pass plus one Hessian pass over the data. The Dask
rows time it with 1, 2 and 4 local worker processes (the data generated on the workers, so none
leaves this process) next to the single-process engine, and count the bytes sent over loopback
per iteration (all Dask traffic, both directions: the parameters out, a few numbers back, and
the scheduler's own messages). The chunked rows fit a CSV file several times larger than the
memory budget in a child process and report its peak memory next to the budget.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

DIST = "weibull"  # no sufficient statistics: every evaluation is a real pass over the data

# Runs `gaussfit ARGS` in this child process and reports the child's own peak memory, so that
# nothing else this benchmark started (worker processes, earlier children) is counted.
_MEASURED_RUN = """
import resource, runpy, sys
sys.argv = ["gaussfit", *sys.argv[1:]]
try:
    runpy.run_module("gaussfit", run_name="__main__")
except SystemExit:
    pass
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # Linux keeps ru_maxrss across fork and exec; VmHWM is this program's own high-water mark
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
except (OSError, StopIteration):
    pass
print("PEAK_KB", peak, file=sys.stderr)
"""


def _loopback_bytes() -> int | None:
    try:
        import psutil
    except ImportError:
        return None
    counters = psutil.net_io_counters(pernic=True).get("lo")
    return None if counters is None else counters.bytes_sent


def _per_iteration(model: Any, repeats: int) -> float:
    model.value_and_gradient()  # warm up: graphs built, plans compiled, caches filled
    model.hessian()
    started = time.perf_counter()
    for _ in range(repeats):
        model.value_and_gradient()
        model.hessian()
    return (time.perf_counter() - started) / repeats


def dask_rows(n: int, worker_counts: list[int], repeats: int) -> list[dict[str, Any]]:
    """Seconds and loopback bytes per Newton iteration at N = n."""
    from gaussfit.distributions import get_family
    from gaussfit.fitting.model import LikelihoodModel

    family = get_family(DIST)
    x = 2.0 * np.random.default_rng(0).weibull(1.5, n)
    start = family.initial(x[:100_000], None)
    single = LikelihoodModel(family, statistic_names=None, weighted=False, start=start)
    single.set_data(x, None)
    rows = [
        {
            "n": n,
            "mode": "single process",
            "workers": 0,
            "seconds": _per_iteration(single, repeats),
            "bytes": 0,
        }
    ]
    single.close()
    del x
    try:
        import dask.array as da
        from distributed import Client, LocalCluster, wait
    except ImportError:
        return rows
    from gaussfit.fitting.dask_data import DaskData
    from gaussfit.fitting.pass_model import PassModel

    for workers in worker_counts:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0", host="127.0.0.1") as cluster, \
                Client(cluster) as client:  # fmt: skip
            parts = max(4, 2 * workers)
            array = 2.0 * da.random.default_rng(0).weibull(1.5, size=n, chunks=-(-n // parts))
            data = DaskData.from_collection(array, client=client)
            wait(data.values)
            base = LikelihoodModel(family, statistic_names=None, weighted=False, start=start)
            remote = PassModel(base, data.reducer())
            seconds = _per_iteration(remote, repeats)
            before = _loopback_bytes()
            for _ in range(repeats):
                remote.value_and_gradient()
                remote.hessian()
            after = _loopback_bytes()
            sent = None if before is None or after is None else (after - before) / repeats
            rows.append(
                {
                    "n": n,
                    "mode": "dask",
                    "workers": workers,
                    "partitions": parts,
                    "seconds": seconds,
                    "bytes": sent,
                }
            )
            base.close()
    return rows


def _write_csv(path: Path, rows: int) -> None:
    values = 2.0 * np.random.default_rng(1).weibull(1.5, rows)
    with path.open("w") as handle:
        handle.write("x\n")
        for start in range(0, rows, 1_000_000):
            np.savetxt(handle, values[start : start + 1_000_000], fmt="%.10g")


def _measured_fit(path: Path, extra: list[str]) -> dict[str, Any]:
    """Run `gaussfit fit PATH ...` in a child; its wall time and its own peak memory."""
    args = ["fit", str(path), "-d", DIST, "-q", "--no-scipy", *extra]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED_RUN, *args], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    peak_kb = int(last.split()[1]) if last.startswith("PEAK_KB") else None
    return {
        "ok": done.returncode == 0,
        "seconds": elapsed,
        "peak_mb": None if peak_kb is None else peak_kb / 1024,
    }


MB = 1_000_000


def chunked_row(rows: int, budget_mb: int) -> dict[str, Any]:
    """Peak memory of `gaussfit fit FILE --memory-budget MB` on a file larger than MB, next to
    the same fit held in memory and to a baseline: the same chunked fit of a file ten times
    smaller. Bounded memory means the peak does not grow with the file: what the baseline
    holds (the interpreter, its libraries, the graph, one chunk) is all there is."""
    from gaussfit.data.chunked_csv import chunk_rows_for

    with tempfile.TemporaryDirectory() as folder:
        path, small = Path(folder) / "big.csv", Path(folder) / "small.csv"
        _write_csv(path, rows)
        _write_csv(small, max(rows // 10, 1_000))
        size_mb = path.stat().st_size / 1e6
        result = {
            "rows": rows,
            "file_mb": size_mb,
            "budget_mb": budget_mb,
            "baseline": _measured_fit(small, ["--chunk-size", str(chunk_rows_for(budget_mb * MB))]),
            "chunked": _measured_fit(path, ["--memory-budget", str(budget_mb)]),
            "in memory": _measured_fit(path, ["--memory-budget", str(10 * int(size_mb) + 10)]),
        }
    base = result["baseline"]["peak_mb"]
    for label in ("chunked", "in memory"):
        peak = result[label]["peak_mb"]
        result[label]["above_baseline_mb"] = None if None in (peak, base) else peak - base
    return result


def scale_section(settings: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for n in settings["scale_sizes"]:
        rows.extend(dask_rows(n, settings["scale_workers"], settings["scale_repeats"]))
    chunked = chunked_row(settings["chunked_rows"], settings["chunked_budget_mb"])
    return {"dist": DIST, "rows": rows, "chunked": chunked}
