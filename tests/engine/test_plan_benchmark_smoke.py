"""The benchmark suite's quick path runs and writes every section of its report.

Only the shape of the report is checked: benchmarks are not tests, and no time is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_benchmark_writes_its_json(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ)
    env["GAUSSFIT_CACHE_DIR"] = str(tmp_path / "cache")  # fused kernels, if numba is installed
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    assert {"machine", "step", "fit", "csv", "startup", "scale", "e2e", "targets"} <= set(report)
    assert (
        report["startup"]["fit_lab_loads"] == []
    )  # the default fit loads neither scipy nor pandas
    assert {"gaussfit_s", "peer_s", "time_ratio", "memory_ratio"} <= set(report["e2e"]["csv"])
    modes = {(r["mode"], r["workers"]) for r in report["scale"]["rows"]}
    assert ("single process", 0) in modes
    assert report["scale"]["chunked"]["chunked"]["ok"]
    row = report["step"]["rows"][0]
    for key in ("n", "engine_s", "numpy_s", "read_s", "engine_vs_numpy", "engine_vs_read"):
        assert key in row
    assert all(r["log_p_agrees"] for r in report["step"]["rows"])
    assert {"engine", "numpy"} <= set(report["step"]["memory"])
    fit = report["fit"]["rows"][0]
    assert {"family", "n", "gaussfit_s", "gaussfit_loglik"} <= set(fit)
    assert {"gaussfit", "numpy", "pandas"} <= set(report["csv"]["readers"])
    assert all(r.get("same_values") for r in report["csv"]["readers"].values())
    for key in ("numpy_import_s", "engine_import_s", "cli_help_s", "engine_loads"):
        assert key in report["startup"]
    assert report["startup"]["engine_loads"] == []
    assert "The lab's step" in done.stdout
    gof = report["gof"]["bootstrap"][0]
    assert {"family", "gaussfit_s", "scipy_s", "speedup", "gaussfit_ks_pvalue"} <= set(gof)


def test_censored_benchmark_reports_each_fitter(tmp_path):
    from benchmarks.censored import censored_section

    report = censored_section(1000, repeats=1)
    assert 0.25 < report["censored_fraction"] < 0.35
    fitters = report["fitters"]
    assert {"gaussfit", "scipy"} <= set(fitters)
    for row in fitters.values():
        assert row["seconds"] > 0
        assert row["loglik_minus_gaussfit"] <= 1e-6  # nobody beats our optimum
