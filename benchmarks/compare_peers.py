"""``gaussfit compare`` against fitter, the Python package that fits scipy's families in turn.

Three measurements on one sample of 1e5 gamma(2, 1.5) draws, each with the settings of the
command (``gaussfit compare`` runs the closed-form references only: ``references="closed_form"``),
imports done beforehand on both sides (fitter imports scipy.stats when it is imported):

- like for like: our families that are fitter's common families (``get_common_distributions``),
  matched by their scipy counterpart, against ``Fitter`` on the same scipy names. fitter's
  ``exponpow`` and ``powerlaw`` have no family here and are left out of both sides. scipy's
  ``fit`` frees loc (and scale) for every family, so fitter fits three parameters where our
  gamma, lognormal and chi2 fit two (one for chi2) with loc at 0;
- ``"all"`` (every family whose support holds the data: 33 of them) against fitter's ten common
  families, with each family's own time, so that it shows which take it;
- ``"all"`` in two worker processes (``jobs=2``) against one, for the scaling on two cores.

fitter runs its families in worker processes on every core by default (joblib); it is timed
that way, as a user gets it. Each figure is one run; the machine's load average is recorded
beside it.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

FITTER_COMMON = {
    "cauchy": "cauchy",
    "chi2": "chi2",
    "expon": "exponential",
    "gamma": "gamma",
    "lognorm": "lognormal",
    "norm": "normal",
    "rayleigh": "rayleigh",
    "uniform": "uniform",
}
"""fitter's common families (scipy names) that have a family here (our name): its scipy
counterpart has that name, with loc at 0 where ours has no location (``scipy_counterparts``)."""

COMPARE_SETTINGS: dict[str, Any] = {"references": "closed_form"}
"""What ``gaussfit compare`` passes to each fit unless told otherwise (``--scipy`` adds
scipy's own fit)."""


def compare_with_fitter(n: int, dists: str = "all", jobs: int = 2) -> dict[str, Any]:
    """The three measurements above (``dists`` is ``"all"`` in a full run, a few families in a
    quick one; ``jobs`` the worker processes of the parallel run, 0 for none)."""
    import scipy.stats  # noqa: F401  (imported before timing, as fitter's import does)

    import gaussfit

    x = np.random.default_rng(1).gamma(2.0, 1.5, n)
    gaussfit.compare(x[:500], "normal,lognormal", **COMPARE_SETTINGS)  # imports are not timed
    row: dict[str, Any] = {"n": n, "dists": dists, "load_before": os.getloadavg()[0]}
    seconds, result, each = _timed_compare(x, dists, jobs=1)
    row.update(
        gaussfit_s=seconds,
        gaussfit_families=len(result.ranking) + len(result.apart),
        gaussfit_best=result.ranking[0].distribution if result.ranking else None,
        gaussfit_ranking=[r.distribution for r in result.ranking],
        per_family_s=dict(sorted(each.items(), key=lambda item: -item[1])),
    )
    if jobs > 1:
        parallel_s, parallel, _ = _timed_compare(x, dists, jobs=jobs)
        row.update(
            jobs=jobs,
            jobs_s=parallel_s,
            jobs_speedup=seconds / parallel_s,
            jobs_same_ranking=[r.distribution for r in parallel.ranking] == row["gaussfit_ranking"],
        )
    ours = list(FITTER_COMMON.values())
    like_s, like, _ = _timed_compare(x, ",".join(ours), jobs=1)
    row.update(like_families=ours, like_gaussfit_s=like_s)
    try:
        from fitter import Fitter, get_common_distributions
    except ImportError:
        row["fitter_status"] = "fitter not installed"
        return _finish(row)
    common = list(get_common_distributions())
    matched = [name for name in common if name in FITTER_COMMON]
    Fitter(x[:500], distributions=["norm"]).fit(progress=False)  # its workers, untimed
    fitter_s = _timed_fitter(Fitter, x, common)
    like_fitter_s = _timed_fitter(Fitter, x, matched)
    row.update(
        fitter_s=fitter_s,
        fitter_families=len(common),
        fitter_missing=[name for name in common if name not in FITTER_COMMON],
        ratio=seconds / fitter_s,
        like_fitter_s=like_fitter_s,
        like_ratio=like_s / like_fitter_s,
        like_best=like.ranking[0].distribution if like.ranking else None,
    )
    if jobs > 1:
        row["jobs_ratio"] = row["jobs_s"] / fitter_s
    return _finish(row)


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    row["load_after"] = os.getloadavg()[0]
    return row


def _timed_compare(x: np.ndarray, dists: str, jobs: int) -> tuple[float, Any, dict[str, float]]:
    """Seconds of one ``compare``, its result, and (in this process) each family's seconds,
    from one progress call to the next."""
    import gaussfit

    each: dict[str, float] = {}
    mark: list[Any] = [None, 0.0]

    def on_family(_index: int, _total: int, name: str) -> None:
        now = time.perf_counter()
        if mark[0] is not None:
            each[mark[0]] = now - mark[1]
        mark[:] = [name, now]

    started = time.perf_counter()
    result = gaussfit.compare(
        x, dists, jobs=jobs, on_family=on_family if jobs == 1 else None, **COMPARE_SETTINGS
    )
    finished = time.perf_counter()
    if mark[0] is not None:
        each[mark[0]] = finished - mark[1]
    return finished - started, result, each


def _timed_fitter(fitter: Any, x: np.ndarray, names: list[str]) -> float:
    started = time.perf_counter()
    fitter(x, distributions=names, timeout=600).fit(progress=False)
    return time.perf_counter() - started


def main() -> int:
    """``python -m benchmarks.compare_peers``: the measurements at 1e5, printed."""
    row = compare_with_fitter(100_000)
    print(f"load average {row['load_before']:.1f} before, {row['load_after']:.1f} after")
    print(
        f"like for like ({len(row['like_families'])} families): gaussfit "
        f"{row['like_gaussfit_s']:.2f} s, fitter {row.get('like_fitter_s', float('nan')):.2f} s"
        f" ({row.get('like_ratio', float('nan')):.2f}×)"
    )
    print(
        f"all ({row['gaussfit_families']} families): {row['gaussfit_s']:.2f} s; fitter's "
        f"{row.get('fitter_families')}: {row.get('fitter_s', float('nan')):.2f} s "
        f"({row.get('ratio', float('nan')):.2f}×)"
    )
    if "jobs_s" in row:
        print(
            f"all with jobs={row['jobs']}: {row['jobs_s']:.2f} s ({row['jobs_speedup']:.2f}× "
            f"faster than one; same ranking: {row['jobs_same_ranking']})"
        )
    for name, seconds in row["per_family_s"].items():
        print(f"  {name:<16} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
