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


def quick_report(tmp_path: Path, sections: str) -> tuple[dict, str]:
    """Run ``python -m benchmarks --quick --only SECTIONS``; its JSON report and its output.

    Each test runs a few sections in its own process, so that the suite's workers share them."""
    out = tmp_path / "bench.json"
    env = dict(os.environ)
    env["GAUSSFIT_CACHE_DIR"] = str(tmp_path / "cache")  # fused kernels, if numba is installed
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", sections, "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    assert {"machine", "targets", *sections.split(",")} <= set(report)
    return report, done.stdout


@pytest.mark.slow
def test_quick_step_and_fit_sections(tmp_path):
    report, stdout = quick_report(tmp_path, "step,fit")
    row = report["step"]["rows"][0]
    for key in ("n", "engine_s", "numpy_s", "read_s", "engine_vs_numpy", "engine_vs_read"):
        assert key in row
    assert all(r["log_p_agrees"] for r in report["step"]["rows"])
    assert {"engine", "numpy"} <= set(report["step"]["memory"])
    fit = report["fit"]["rows"][0]
    assert {"family", "n", "gaussfit_s", "gaussfit_loglik"} <= set(fit)
    assert "The lab's step" in stdout


@pytest.mark.slow
def test_quick_csv_and_startup_sections(tmp_path):
    report, _ = quick_report(tmp_path, "csv,startup")
    assert {"gaussfit", "numpy", "pandas"} <= set(report["csv"]["readers"])
    assert all(r.get("same_values") for r in report["csv"]["readers"].values())
    for key in ("numpy_import_s", "engine_import_s", "cli_help_s", "engine_loads"):
        assert key in report["startup"]
    assert report["startup"]["engine_loads"] == []
    assert (
        report["startup"]["fit_lab_loads"] == []
    )  # the default fit loads neither scipy nor pandas


@pytest.mark.slow
def test_quick_scale_section(tmp_path):
    report, _ = quick_report(tmp_path, "scale")
    modes = {(r["mode"], r["workers"]) for r in report["scale"]["rows"]}
    assert ("single process", 0) in modes
    assert report["scale"]["chunked"]["chunked"]["ok"]


@pytest.mark.slow
def test_quick_gof_section(tmp_path):
    report, _ = quick_report(tmp_path, "gof")
    gof = report["gof"]["bootstrap"][0]
    assert {"family", "gaussfit_s", "scipy_s", "speedup", "gaussfit_ks_pvalue"} <= set(gof)


@pytest.mark.slow
def test_quick_end_to_end_section(tmp_path):
    report, _ = quick_report(tmp_path, "e2e")
    assert {"gaussfit_s", "peer_s", "time_ratio", "memory_ratio"} <= set(report["e2e"]["csv"])
    assert [r["family"] for r in report["e2e"]["defaults"]] == ["gamma", "weibull", "student_t"]
    assert report["e2e"]["compare"]["gaussfit_families"] >= 1
    assert all(r["gaussfit_loglik"] < 0 for r in report["e2e"]["mixtures"])


def test_censored_benchmark_reports_each_fitter(tmp_path):
    from benchmarks.censored import censored_section

    report = censored_section(1000, repeats=1)
    assert 0.25 < report["censored_fraction"] < 0.35
    fitters = report["fitters"]
    assert {"gaussfit", "scipy"} <= set(fitters)
    for row in fitters.values():
        assert row["seconds"] > 0
        assert row["loglik_minus_gaussfit"] <= 1e-6  # nobody beats our optimum
