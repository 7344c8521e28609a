"""Small fits in a loop: what a bootstrap, a simulation study or a test suite pays per fit.

For each family and size, the same seeded samples are fitted one after another by
``gaussfit.fit`` (at its defaults with goodness of fit and the reference fit off, and with
``ci="profile"``) and by scipy's ``fit`` of the same model (location held at 0 where our
family has none), timed in alternating rounds in this process (``interleaved_medians``), and
reported as fits per second. The first fit of a family in a process builds its graphs; the
rounds measure the loop after it, which is what a loop of fits waits for. The baseline in the
same run: the same fits with the pool of models switched off (``model_pool.disabled``), each
building its graphs and compiling its plans again, as every fit did before the pool.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

import gaussfit
from benchmarks.tables import table
from benchmarks.timing import interleaved_medians
from gaussfit.fitting import model_pool

FAMILIES = ("normal", "gamma", "weibull")


def _samples(family: str, n: int, count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(17)
    draw: dict[str, Callable[[], np.ndarray]] = {
        "normal": lambda: rng.normal(1.0, 2.0, n),
        "gamma": lambda: rng.gamma(2.0, 1.5, n),
        "weibull": lambda: 1.5 * rng.weibull(1.7, n),
    }
    return [draw[family]() for _ in range(count)]


def _scipy_fit(family: str) -> Callable[[np.ndarray], Any]:
    from scipy import stats

    fits: dict[str, Callable[[np.ndarray], Any]] = {
        "normal": stats.norm.fit,
        "gamma": lambda x: stats.gamma.fit(x, floc=0),
        "weibull": lambda x: stats.weibull_min.fit(x, floc=0),
    }
    return fits[family]


def _looping(fit: Callable[[np.ndarray], Any], samples: list[np.ndarray]) -> Callable[[], None]:
    """One call fits the next sample (round robin), so no call repeats its predecessor."""
    position = [0]

    def call() -> None:
        fit(samples[position[0] % len(samples)])
        position[0] += 1

    return call


def small_fits_section(settings: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for n in settings["small_sizes"]:
        for family in FAMILIES:
            samples = _samples(family, n, 16)
            ours = _looping(
                lambda x, f=family: gaussfit.fit(x, f, references=False, gof=False), samples
            )
            profiled = _looping(
                lambda x, f=family: gaussfit.fit(x, f, ci="profile", references=False, gof=False),
                samples,
            )
            theirs = _looping(_scipy_fit(family), samples)
            agree = _same_estimates(family, samples[0])
            contestants = {
                "defaults": ours,
                "profile": profiled,
                "scipy": theirs,
                "defaults_fresh": _fresh(ours),
                "profile_fresh": _fresh(profiled),
            }
            times = interleaved_medians(
                contestants, settings["small_rounds"], settings["small_block_s"]
            )
            rows.append(
                {
                    "family": family,
                    "n": n,
                    "fits_per_s": 1.0 / times["defaults"],
                    "profile_fits_per_s": 1.0 / times["profile"],
                    "scipy_fits_per_s": 1.0 / times["scipy"],
                    "defaults_vs_scipy": times["scipy"] / times["defaults"],
                    "profile_vs_scipy": times["scipy"] / times["profile"],
                    "fresh_fits_per_s": 1.0 / times["defaults_fresh"],
                    "fresh_profile_fits_per_s": 1.0 / times["profile_fresh"],
                    "pool_gain": times["defaults_fresh"] / times["defaults"],
                    "profile_pool_gain": times["profile_fresh"] / times["profile"],
                    "same_estimates": agree,
                }
            )
    return {"rows": rows}


def _fresh(call: Callable[[], None]) -> Callable[[], None]:
    """``call`` with every fit building its own models (the pool switched off)."""

    def fresh() -> None:
        with model_pool.disabled():
            call()

    return fresh


def _same_estimates(family: str, x: np.ndarray) -> bool:
    """Whether our estimates and scipy's agree on ``x`` (both maximise the same likelihood)."""
    ours = gaussfit.fit(x, family, references=False, gof=False).params
    theirs = _scipy_fit(family)(x)
    if family == "normal":
        ours_in_scipys_order = (ours["mu"], ours["sigma"])
    else:  # scipy's (shape, loc, scale), loc held at 0
        ours_in_scipys_order = (ours["shape"], 0.0, ours["scale"])
    return all(
        math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-9)
        for a, b in zip(ours_in_scipys_order, theirs, strict=True)
    )


def small_fits_table(section: dict[str, Any]) -> str:
    rows = [
        [
            r["family"],
            f"{r['n']:g}",
            f"{r['fits_per_s']:.0f} ({r['fresh_fits_per_s']:.0f})",
            f"{r['profile_fits_per_s']:.0f} ({r['fresh_profile_fits_per_s']:.0f})",
            f"{r['scipy_fits_per_s']:.0f}",
            f"{r['defaults_vs_scipy']:.2g}×",
            f"{r['profile_vs_scipy']:.2g}×",
            "yes" if r["same_estimates"] else "NO",
        ]
        for r in section["rows"]
    ]
    header = [
        "family",
        "n",
        "fits/s (pool off)",
        "profile CI fits/s (pool off)",
        "scipy fits/s",
        "vs scipy",
        "profile vs scipy",
        "same estimates",
    ]
    title = "Small fits in a loop (fits per second; ×: our rate over scipy's fit's)"
    return table(title, header, rows)
