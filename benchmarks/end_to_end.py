"""What users wait for, end to end: the "Fast by default" targets, each against its peer in
the same run.

- ``gaussfit.fit(x, family)`` with every default (goodness of fit included) at 1e6, next to
  scipy's fit of the same model (``gamma.fit(x, floc=0)``, ``weibull_min.fit(x, floc=0)``,
  ``t.fit(x)``);
- ``gaussfit fit big.csv --dist gamma`` on a 1e7-row file as a whole command, next to a child
  running ``pandas.read_csv`` plus ``gamma.fit(floc=0)``: wall time and peak memory (the
  children's own maximum resident sets, from ``wait4``);
- ``gaussfit.compare(x, "all")`` at 1e5, next to fitter's ``Fitter(x).fit()`` on its common
  families (when fitter is installed), like for like too (``benchmarks.compare_peers``);
- normal mixtures with k = 2..4 at 1e5, next to scikit-learn's ``GaussianMixture`` (when
  installed), with both log-likelihoods.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.compare_peers import compare_with_fitter
from benchmarks.fitting import fit_row
from benchmarks.timing import ROOT, child_env, median_seconds

DEFAULT_FAMILIES = ("gamma", "weibull", "student_t")
PARTS = ("defaults", "csv", "compare", "mixtures")
"""The targets of this section, each measurable alone (``--e2e-parts csv``)."""


def end_to_end_section(settings: dict[str, Any]) -> dict[str, Any]:
    measures = {
        "defaults": lambda: [
            fit_row(name, settings["e2e_fit_n"], 0, 3, settings["e2e_timeout"], defaults=True)
            for name in DEFAULT_FAMILIES
        ],
        "csv": lambda: csv_gamma(settings["e2e_csv_rows"]),
        "compare": lambda: compare_with_fitter(
            settings["e2e_compare_n"], settings["e2e_compare_dists"]
        ),
        "mixtures": lambda: [
            mixture_row(k, settings["e2e_mixture_n"]) for k in settings["e2e_mixture_ks"]
        ],
    }
    return {part: measures[part]() for part in settings.get("e2e_parts", PARTS)}


def measured_command(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one child process (its own, from wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=child_env(),
        cwd=ROOT,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    error = child.stderr.read().decode() if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {error.strip()[-300:]}")
    return seconds, usage.ru_maxrss / 1024.0


_PEER_SCRIPT = (
    "import sys, pandas, scipy.stats as st\n"
    "x = pandas.read_csv(sys.argv[1])['x'].to_numpy()\n"
    "st.gamma.fit(x, floc=0)\n"
)


def csv_gamma(rows: int) -> dict[str, Any]:
    """``gaussfit fit big.csv --dist gamma`` against pandas' reader plus scipy's fit, both as
    whole processes (imports included, as a user waits for them), best of two runs each."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        _write_positive(path, rows)
        ours = [measured_command(_gaussfit("fit", str(path), "--dist", "gamma")) for _ in range(2)]
        peer = [measured_command([sys.executable, "-c", _PEER_SCRIPT, str(path)]) for _ in range(2)]
    seconds, peak = min(s for s, _ in ours), min(m for _, m in ours)
    peer_seconds, peer_peak = min(s for s, _ in peer), min(m for _, m in peer)
    return {
        "rows": rows,
        "gaussfit_s": seconds,
        "gaussfit_peak_mib": peak,
        "peer_s": peer_seconds,
        "peer_peak_mib": peer_peak,
        "time_ratio": seconds / peer_seconds,
        "memory_ratio": peak / peer_peak,
    }


def _write_positive(path: Path, rows: int) -> None:
    """A one-column CSV of gamma(2, 1.5) draws, written a million rows at a time."""
    values = np.random.default_rng(0).gamma(2.0, 1.5, rows)
    with path.open("w") as out:
        out.write("x\n")
        for start in range(0, rows, 1_000_000):
            out.write("\n".join(map(repr, values[start : start + 1_000_000].tolist())))
            out.write("\n")


def _gaussfit(*args: str) -> list[str]:
    return [sys.executable, "-m", "gaussfit", *args]


def mixture_row(k: int, n: int) -> dict[str, Any]:
    """A k-component normal mixture, against scikit-learn's EM (same data, log-likelihoods
    from the same numpy expression)."""
    import gaussfit
    from gaussfit.distributions.normal_mixture import NormalMixture

    rng = np.random.default_rng(k)
    means = np.arange(k) * 3.0
    x = rng.normal(means[rng.integers(0, k, n)], 1.0)
    family = NormalMixture(k)
    gaussfit.fit(x[:1000], family, references=False, gof=False)
    seconds, result = median_seconds(
        lambda: gaussfit.fit(x, family, references=False, gof=False), 3
    )
    row: dict[str, Any] = {
        "k": k,
        "n": n,
        "gaussfit_s": seconds,
        "gaussfit_loglik": _mixture_loglik(x, result.params, k),
    }
    try:
        from sklearn.mixture import GaussianMixture
    except ImportError:
        row["sklearn_status"] = "scikit-learn not installed"
        return row
    column = x[:, None]
    sk_seconds, model = median_seconds(
        lambda: GaussianMixture(n_components=k, random_state=0).fit(column), 3
    )
    row.update(
        sklearn_s=sk_seconds,
        sklearn_loglik=float(model.score(column)) * n,
        ratio=seconds / sk_seconds,
    )
    return row


def _mixture_loglik(x: np.ndarray, params: dict[str, float], k: int) -> float:
    terms = [
        params[f"w{j}"]
        * np.exp(-0.5 * np.square((x - params[f"mu{j}"]) / params[f"sigma{j}"]))
        / (params[f"sigma{j}"] * np.sqrt(2.0 * np.pi))
        for j in range(1, k + 1)
    ]
    return float(np.sum(np.log(np.sum(terms, axis=0))))
