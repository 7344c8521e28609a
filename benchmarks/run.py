"""Run the benchmark suite: ``python -m benchmarks [--quick] [--skip-slow] [--json PATH]``.

Sections (``--only`` picks some): ``step`` (the lab's step per iteration, engine against a
hand-written numpy step and one read of the data), ``fit`` (each family against scipy's fit),
``csv`` (loading a one-column CSV), ``startup`` (imports and ``gaussfit --help``), ``scale``
(Newton iterations on 1, 2 and 4 Dask workers, bytes per iteration, chunked peak memory),
``loop`` (a user's whole loop of lab steps in a fresh process: numpy, fused from a cold and from
a warm kernel cache), ``gof`` and ``e2e`` (what users wait for, end to end), ``small``
(fits per second of small samples in a loop, against scipy's fit). Prints one
table per section and writes every number, with the machine it ran on, to a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import peers, step, targets
from benchmarks.end_to_end import PARTS as E2E_PARTS
from benchmarks.end_to_end import end_to_end_section
from benchmarks.fitting import fit_row
from benchmarks.gof import gof_section
from benchmarks.loading import csv_section
from benchmarks.loops import loop_section
from benchmarks.scale import scale_section
from benchmarks.small_fits import small_fits_section, small_fits_table
from benchmarks.startup import startup_section
from benchmarks.tables import ratio, seconds, table
from benchmarks.timing import cache_bytecode_in, interleaved_medians, run_child

FULL = {
    "step_sizes": [20, 1_000, 100_000, 1_000_000, 10_000_000],
    "step_rounds": 7,
    "step_block_s": 0.05,
    "memory_n": 10_000_000,
    "fit_sizes": [100_000, 1_000_000],
    "fit_families": None,  # all of them
    "fit_mixtures": ["gamma+gamma", "lognormal+gamma", "poisson+poisson"],  # scipy has no fit
    "csv_rows": 10_000_000,
    "csv_repeats": 3,
    "startup_repeats": 7,
    "scale_sizes": [10_000_000, 100_000_000],
    "scale_workers": [1, 2, 4],
    "scale_repeats": 3,
    "chunked_rows": 10_000_000,
    "chunked_budget_mb": 40,
    "gof_n": 200,
    "gof_resamples": 999,
    "gof_families": ["normal", "gamma", "weibull", "lognormal", "exponential", "logistic"],
    "gof_default_n": 1_000_000,
    "coverage_reps": 300,
    "e2e_fit_n": 1_000_000,
    "e2e_timeout": 120.0,
    "e2e_csv_rows": 10_000_000,
    "e2e_compare_n": 100_000,
    "e2e_compare_dists": "all",
    "e2e_mixture_n": 100_000,
    "e2e_mixture_ks": [2, 3, 4],
    # (N, steps): the loops, and a long one at 1e7 where fusing can pay
    "loop_cases": [(100_000, 20), (100_000, 60), (1_000_000, 20), (1_000_000, 60), (10**7, 100)],
    "loop_repeats": 5,
    "small_sizes": [30, 1000],
    "small_rounds": 5,
    "small_block_s": 0.3,
}
QUICK = {
    "step_sizes": [20, 1_000, 10_000],
    "step_rounds": 3,
    "step_block_s": 0.01,
    "memory_n": 100_000,
    "fit_sizes": [10_000],
    "fit_families": ["normal", "gamma"],
    "fit_mixtures": ["gamma+gamma"],
    "csv_rows": 100_000,
    "csv_repeats": 1,
    "startup_repeats": 2,
    "scale_sizes": [200_000],
    "scale_workers": [2],
    "scale_repeats": 2,
    "chunked_rows": 200_000,
    "chunked_budget_mb": 1,
    "gof_n": 200,
    "gof_resamples": 199,
    "gof_families": ["normal", "gamma"],
    "gof_default_n": 100_000,
    "coverage_reps": 0,
    "e2e_fit_n": 20_000,
    "e2e_timeout": 10.0,
    "e2e_csv_rows": 20_000,
    "e2e_compare_n": 1_000,
    "e2e_compare_dists": "normal,gamma,lognormal,exponential",
    "e2e_mixture_n": 5_000,
    "e2e_mixture_ks": [2],
    "loop_cases": [(100_000, 20)],
    "loop_repeats": 1,
    "small_sizes": [30],
    "small_rounds": 2,
    "small_block_s": 0.02,
}
SECTIONS = ("step", "fit", "csv", "startup", "scale", "gof", "e2e", "loop", "small")


_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.blas_threads and os.environ.get(_BLAS_THREADS[0]) != str(args.blas_threads):
        # BLAS reads its thread count when numpy is imported: start again with it set.
        os.environ.update({name: str(args.blas_threads) for name in _BLAS_THREADS})
        os.execv(sys.executable, [sys.executable, "-m", "benchmarks", *sys.argv[1:]])
    settings = QUICK if args.quick else FULL
    if args.families:
        settings = {**settings, "fit_families": args.families.split(",")}
    if args.e2e_parts:
        settings = {**settings, "e2e_parts": _e2e_parts(args.e2e_parts)}
    timeout = 10.0 if args.skip_slow else args.scipy_timeout
    results: dict[str, Any] = {"machine": _machine(), "quick": args.quick}
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as bytecode:
        cache_bytecode_in(Path(bytecode))
        _run_sections(chosen, settings, timeout, results)
    results["targets"] = targets.check(results)
    print(_targets_table(results["targets"]))
    results["seconds"] = time.perf_counter() - started
    Path(args.json).write_text(json.dumps(results, indent=2, default=float) + "\n")
    print(f"wrote {args.json} ({results['seconds']:.0f} s)")
    return 0


def _run_sections(
    chosen: list[str], settings: dict[str, Any], timeout: float, results: dict[str, Any]
) -> None:
    sections = {
        "step": (lambda: step_section(settings), _step_table),
        "fit": (lambda: fit_section(settings, timeout), _fit_table),
        "csv": (lambda: csv_section(settings["csv_rows"], settings["csv_repeats"]), _csv_table),
        "startup": (lambda: startup_section(settings["startup_repeats"]), _startup_table),
        "scale": (lambda: scale_section(settings), _scale_table),
        "gof": (lambda: gof_section(settings), _gof_table),
        "e2e": (lambda: end_to_end_section(settings), _end_to_end_table),
        "loop": (
            lambda: loop_section(settings["loop_cases"], settings["loop_repeats"]),
            _loop_table,
        ),
        "small": (lambda: small_fits_section(settings), small_fits_table),
    }
    for name in chosen:
        measure, show = sections[name]
        before = _load()
        results[name] = measure()
        results[name]["load_average"] = [before, _load()]
        print(show(results[name]) + _load_note(results[name]["load_average"]))


def _load() -> float | None:
    """The machine's one-minute load average (other work competing for the cores)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def _load_note(load: list[float | None]) -> str:
    busiest = max((x for x in load if x is not None), default=None)
    if busiest is None or busiest < 0.5 * (os.cpu_count() or 1):
        return ""
    return (
        f"note: the machine was busy (load average up to {busiest:.1f} on {os.cpu_count()} "
        "cores): timings are noisier, and multi-threaded BLAS (numpy's @) suffers most\n"
    )


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a CI-sized run")
    parser.add_argument("--skip-slow", action="store_true", help="cut scipy fits off after 10 s")
    parser.add_argument(
        "--scipy-timeout", type=float, default=120.0, help="seconds before a scipy fit is cut off"
    )
    parser.add_argument("--only", help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument(
        "--families", help="comma-separated families for the fit section  [default: all]"
    )
    parser.add_argument(
        "--e2e-parts",
        help=f"comma-separated parts of the e2e section, of {', '.join(E2E_PARTS)}  [default: all]",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        help="threads numpy's BLAS may use (1 makes '@' immune to a busy machine)",
    )
    parser.add_argument("--json", default="benchmark-results.json", help="where to write JSON")
    return parser.parse_args(argv)


def _e2e_parts(text: str) -> list[str]:
    parts = [part.strip() for part in text.split(",")]
    unknown = [part for part in parts if part not in E2E_PARTS]
    if unknown:
        raise SystemExit(f"--e2e-parts: no part {unknown[0]!r} (parts: {', '.join(E2E_PARTS)})")
    return parts


def _machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "blas_threads": os.environ.get(_BLAS_THREADS[0], "default"),
        "peers": peers.available(),
    }


# -- step -------------------------------------------------------------------------------------
def step_section(settings: dict[str, Any]) -> dict[str, Any]:
    with step.fusing_after(float("inf")):  # "engine" is the numpy tier; "fused" is numba's
        return _step_section(settings)


def _step_section(settings: dict[str, Any]) -> dict[str, Any]:
    rows = []
    with_numba = step.numba_installed()
    for n in settings["step_sizes"]:
        x = step.data(n)
        contestants = {name: build(x) for name, build in step.BUILDERS.items()}
        if with_numba:
            contestants["fused"] = step.fused_step(x)
        for name, build in peers.PEERS.items():
            made = build(x)
            if made is not None:
                contestants[name] = made
        for run in contestants.values():  # warm up: plans compile, caches fill
            for _ in range(5):
                run()
        agree = _same_log_p(contestants["engine"](), contestants["numpy"]())
        times = interleaved_medians(contestants, settings["step_rounds"], settings["step_block_s"])
        row: dict[str, Any] = {"n": n, **{f"{k}_s": v for k, v in times.items()}}
        row["engine_vs_numpy"] = times["engine"] / times["numpy"]
        row["engine_vs_read"] = times["engine"] / times["read"]
        row["numpy_vs_read"] = times["numpy"] / times["read"]
        if "fused" in times:
            row["fused_vs_read"] = times["fused"] / times["read"]
            row["fused_vs_numpy"] = times["fused"] / times["numpy"]
        for name in peers.PEERS:
            if name in times:
                row[f"{name}_vs_numpy"] = times[name] / times["numpy"]
        row["log_p_agrees"] = agree
        rows.append(row)
    who = ["engine", "numpy"] + (["fused"] if with_numba else [])
    memory = {w: run_child("step", w, settings["memory_n"], 10) for w in who}
    return {"rows": rows, "memory": {"n": settings["memory_n"], **memory}}


def _same_log_p(engine_result: Any, numpy_result: Any) -> bool:
    """Both steps start from mu = sigma = 1 and take equal steps, so their losses agree."""
    return bool(np.isclose(engine_result[1], numpy_result, rtol=1e-9))


def _step_table(section: dict[str, Any]) -> str:
    fused = any("fused_s" in r for r in section["rows"])
    extra = [name for name in peers.PEERS if any(f"{name}_s" in r for r in section["rows"])]
    header = ["N", "engine", "numpy", "read", *(["fused"] if fused else []), *extra]
    header += ["engine/numpy", "engine/read", *(["fused/read"] if fused else []), "numpy/read"]
    rows = [
        [
            f"{r['n']:g}",
            seconds(r["engine_s"]),
            seconds(r["numpy_s"]),
            seconds(r["read_s"]),
            *([seconds(r["fused_s"])] if fused else []),
            *[seconds(r.get(f"{name}_s")) for name in extra],
            ratio(r["engine_vs_numpy"]),
            ratio(r["engine_vs_read"]),
            *([ratio(r["fused_vs_read"])] if fused else []),
            ratio(r["numpy_vs_read"]),
        ]
        for r in section["rows"]
    ]
    memory = section["memory"]
    notes = [
        f"peak memory above the data over 10 steps at N={memory['n']:g}: "
        + ", ".join(
            f"{who} +{memory[who].get('extra_mib', float('nan')):.0f} MiB"
            for who in ("engine", "numpy", "fused")
            if who in memory
        )
    ]
    return table("The lab's step, per iteration (medians)", header, rows) + "\n".join(notes) + "\n"


# -- fit --------------------------------------------------------------------------------------
def fit_section(settings: dict[str, Any], timeout: float) -> dict[str, Any]:
    from gaussfit.distributions import FAMILIES

    families = (settings["fit_families"] or list(FAMILIES)) + settings["fit_mixtures"]
    rows = []
    for n in settings["fit_sizes"]:
        for name in families:
            repeats = 3 if n <= 100_000 else 1
            rows.append(fit_row(name, n, seed=0, repeats=repeats, timeout=timeout))
    return {"rows": rows, "scipy_timeout_s": timeout}


def _fit_table(section: dict[str, Any]) -> str:
    header = ["family", "N", "gaussfit", "scipy", "scipy/gaussfit", "loglik gaussfit", "gain"]
    rows = []
    for r in section["rows"]:
        speed = r.get("speedup")
        shown = (
            ratio(speed)
            if speed
            else f"> {r['speedup_at_least']:.0f}×"
            if "speedup_at_least" in r
            else "–"
        )
        rows.append(
            [
                r["family"] + (f" (vs {r['reference']})" if "reference" in r else ""),
                f"{r['n']:g}",
                seconds(r["gaussfit_s"]),
                seconds(r.get("scipy_s")) if r.get("scipy_s") else r.get("scipy_status", "–"),
                shown,
                r["gaussfit_loglik"],
                r.get("loglik_gain"),
            ]
        )
    return table("Time to fit (gaussfit.fitting.fit vs scipy's fit, like with like)", header, rows)


# -- csv and start-up -------------------------------------------------------------------------
def _csv_table(section: dict[str, Any]) -> str:
    rows = []
    for reader, r in section["readers"].items():
        if "seconds" not in r:
            rows.append([reader, r.get("error"), None, None])
            continue
        rows.append([reader, seconds(r["seconds"]), f"+{r['extra_mib']:.0f} MiB", r["same_values"]])
    title = (
        f"Loading a one-column CSV of {section['rows']:g} rows "
        f"({section['file_mib']:.0f} MiB; gaussfit/pandas "
        f"{ratio(section.get('gaussfit_vs_pandas'))})"
    )
    return table(title, ["reader", "time", "peak memory", "same values"], rows)


def _startup_table(section: dict[str, Any]) -> str:
    rows = [
        ["python -c pass", seconds(section["python_s"]), ""],
        ["import numpy", seconds(section["numpy_import_s"]), ""],
        [
            "import gaussfit.engine",
            seconds(section["engine_import_s"]),
            f"{ratio(section.get('engine_vs_numpy'))} numpy; "
            f"loads {section['engine_loads'] or 'nothing heavy'}",
        ],
        [
            "gaussfit --help (whole command)",
            seconds(section["cli_help_s"]),
            f"loads {section['cli_help_loads'] or 'nothing heavy'}",
        ],
        ["python -c 'import numpy' (whole command)", seconds(section["numpy_command_s"]), ""],
        [
            "gaussfit fit data/seed_lab.csv (whole command)",
            seconds(section["fit_lab_s"]),
            f"{ratio(section.get('fit_lab_vs_numpy'))} the numpy command; "
            f"loads {section['fit_lab_loads'] or 'nothing heavy'}",
        ],
    ]
    return table("Start-up (best of several fresh processes)", ["what", "time", "note"], rows)


def _end_to_end_table(section: dict[str, Any]) -> str:
    rows = []
    for r in section.get("defaults", []):
        peer = seconds(r["scipy_s"]) if r.get("scipy_s") else r.get("scipy_status", "")
        rows.append(
            [
                f"fit({r['family']}) with defaults, n={r['n']:g}",
                seconds(r["gaussfit_s"]),
                peer,
                ratio(r.get("speedup") or r.get("speedup_at_least")) + " faster",
            ]
        )
    if "csv" in section:
        csv = section["csv"]
        rows.append(
            [
                f"gaussfit fit big.csv --dist gamma, {csv['rows']:g} rows",
                f"{seconds(csv['gaussfit_s'])}, {csv['gaussfit_peak_mib']:.0f} MiB",
                f"{seconds(csv['peer_s'])}, {csv['peer_peak_mib']:.0f} MiB (pandas + scipy)",
                f"time {ratio(csv['time_ratio'])}, memory {ratio(csv['memory_ratio'])}",
            ]
        )
    if "compare" in section:
        comp = section["compare"]
        rows.append(
            [
                f"compare --dists {comp['dists']}, n={comp['n']:g} "
                f"({comp['gaussfit_families']} families)",
                seconds(comp["gaussfit_s"]),
                f"{seconds(comp['fitter_s'])} (fitter, {comp['fitter_families']} families)"
                if "fitter_s" in comp
                else comp.get("fitter_status", ""),
                ratio(comp.get("ratio")) + " fitter's time" if "ratio" in comp else "",
            ]
        )
    for r in section.get("mixtures", []):
        peer = (
            f"{seconds(r['sklearn_s'])} (GaussianMixture)"
            if "sklearn_s" in r
            else r.get("sklearn_status", "")
        )
        gain = (
            f"; loglik {r['gaussfit_loglik'] - r['sklearn_loglik']:+.3g}"
            if "sklearn_s" in r
            else ""
        )
        rows.append(
            [
                f"normal_mixture k={r['k']}, n={r['n']:g}",
                seconds(r["gaussfit_s"]),
                peer,
                (ratio(r.get("ratio")) + " sklearn's time" if "ratio" in r else "") + gain,
            ]
        )
    return table("End to end (Fast by default)", ["what", "gaussfit", "peer", "ratio"], rows)


def _loop_table(section: dict[str, Any]) -> str:
    if not section["rows"]:
        return f"A user's loop: {section.get('status', 'not measured')}\n"
    rows = [
        [
            f"{r['n']:g}",
            str(r["steps"]),
            seconds(r["numpy_loop_s"]),
            f"{seconds(r['cold_loop_s'])} ({ratio(r['cold_loop_ratio'])}, best "
            f"{ratio(r['cold_best_ratio'])})",
            f"{seconds(r['warm_loop_s'])} ({ratio(r['warm_loop_ratio'])}, best "
            f"{ratio(r['warm_best_ratio'])})",
            f"{ratio(r['cold_process_ratio'])} / {ratio(r['warm_process_ratio'])}",
            f"{r['cold_fused_runs']} / {r['warm_fused_runs']} of {section['repeats']}",
        ]
        for r in section["rows"]
    ]
    header = ["N", "steps", "numpy loop", "fused, cold", "fused, warm"]
    header += ["whole process cold / warm", "fused in the end cold / warm"]
    title = "A user's loop of lab steps in a fresh process (medians; ratios to numpy)"
    return table(title, header, rows)


def _gof_table(result: dict[str, Any]) -> str:
    rows = [
        [
            r["family"],
            r["n"],
            r["resamples"],
            seconds(r["gaussfit_s"]),
            seconds(r["scipy_s"]),
            ratio(r["speedup"]),
            " / ".join(f"{r[f'gaussfit_{s}_pvalue']:.3f}" for s in ("ks", "cvm", "ad")),
            " / ".join(f"{r[f'scipy_{s}_pvalue']:.3f}" for s in ("ks", "cvm", "ad")),
        ]
        for r in result["bootstrap"]
    ]
    out = table(
        "Parametric-bootstrap GOF: all three statistics, gaussfit (one batched computation) "
        "against scipy.stats.goodness_of_fit (three calls)",
        ["family", "n", "B", "gaussfit", "scipy", "speed-up", "p KS/CvM/AD", "scipy p"],
        rows,
    )
    d = result["default"]
    out += table(
        f"Default GOF of a gamma fit at n={d['n']:g}",
        ["previous (3 sorts, 3 CDFs)", "now (1 sort, 1 CDF)", "speed-up", "fit", "fit, no GOF",
         "scipy gamma.fit"],
        [[seconds(d["gof_previous_s"]), seconds(d["gof_now_s"]), ratio(d["gof_speedup"]),
          seconds(d["fit_s"]), seconds(d["fit_without_gof_s"]), seconds(d["scipy_fit_s"])]],
    )  # fmt: skip
    c = result.get("coverage")
    if c:
        out += table(
            f"Coverage of 95% intervals, Weibull n={c['n']}, {c['reps']} seeded samples "
            f"(bootstrap: {c['bootstrap']})",
            ["interval of", "Wald / delta", "profile", "bootstrap"],
            [
                ["shape", c["shape_wald"], c["shape_profile"], c["shape_bootstrap"]],
                ["10% quantile", c["q10_delta"], c["q10_profile"], c["q10_bootstrap"]],
            ],
        )
    return out


def _targets_table(rows: list[dict[str, Any]]) -> str:
    shown = [
        [
            r["target"],
            "–" if r["measured"] is None else f"{r['measured']:.3g}",
            {True: "met", False: "NOT met", None: "not measured"}[r["met"]],
        ]
        for r in rows
    ]
    return table("Issue 7 targets (this run)", ["target", "measured", ""], shown)


# -- scale ------------------------------------------------------------------------------------
def _scale_table(section: dict[str, Any]) -> str:
    single = {r["n"]: r["seconds"] for r in section["rows"] if r["mode"] == "single process"}
    header = ["N", "mode", "workers", "per iteration", "vs single", "bytes / iteration"]
    rows = [
        [
            f"{r['n']:g}",
            r["mode"],
            r["workers"] or "–",
            seconds(r["seconds"]),
            ratio(r["seconds"] / single[r["n"]]),
            "–" if r["bytes"] is None else f"{r['bytes'] / 1e3:.1f} kB",
        ]
        for r in section["rows"]
    ]
    chunked = section["chunked"]
    low, full = chunked["chunked"], chunked["in memory"]
    note = (
        f"chunked fit of a {chunked['file_mb']:.0f} MB CSV ({chunked['rows']:g} rows) with a "
        f"{chunked['budget_mb']} MB budget: {_mb(low['above_baseline_mb'])} above the baseline "
        f"(peak {_mb(low['peak_mb'])}, {low['seconds']:.1f} s); in memory: "
        f"{_mb(full['above_baseline_mb'])} above it (peak {_mb(full['peak_mb'])}); baseline "
        f"(the same chunked fit of a file 10× smaller) {_mb(chunked['baseline']['peak_mb'])}\n"
    )
    title = f"Newton iterations of {section['dist']} (value+gradient pass and Hessian pass)"
    return table(title, header, rows) + note


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} MB"
