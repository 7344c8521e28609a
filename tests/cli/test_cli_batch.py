"""``gaussfit batch`` through the command line: validation, isolation, outputs, exit codes."""

from __future__ import annotations

import csv
import errno
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import parse_one_object, run_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped configs/ and data/ (so shipped relative paths hold)."""
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def write(project: Path, text: str, name: str = "mine.yaml") -> Path:
    path = project / "configs" / name
    path.write_text(text)
    return path


MIXED = """
jobs:
  - {name: good, data: ../data/seed_lab.csv}
  - {name: bad, data: ../data/bad.csv}
  - {name: sim, simulate: {dist: gamma, n: 500, seed: 2}, dist: gamma}
output: ../out/summary.csv
"""


def test_the_example_config_does_what_its_comments_say(project, gaussfit):
    result = gaussfit("batch", project / "configs" / "example.yaml", "--jobs", "2")
    # One job of the learning-rate sweep diverges and fails, so the batch exits 1.
    assert result.exit_code == 1, result.stdout + result.stderr
    rows = {
        r["name"]: r for r in csv.DictReader((project / "results" / "example-summary.csv").open())
    }
    status = {name: row["status"] for name, row in rows.items()}
    assert status == {
        "lab": "ok",
        "sim-gamma": "ok",
        "which-family": "ok",
        "lr-sweep[lr=1e-05]": "not converged",  # crawls: still climbing after 1000 steps
        "lr-sweep[lr=0.001]": "ok",
        "lr-sweep[lr=0.003]": "not converged",  # oscillates
        "lr-sweep[lr=0.01]": "failed",  # diverges
    }
    assert rows["lr-sweep[lr=1e-05]"]["iterations"] == "1000"
    assert "sigma left its domain" in rows["lr-sweep[lr=0.01]"]["error"]
    # "near the truth": shape 2, scale 3, within three standard errors.
    gamma = rows["sim-gamma"]
    for name, truth in (("shape", 2.0), ("scale", 3.0)):
        assert abs(float(gamma[f"est_{name}"]) - truth) < 3 * float(gamma[f"se_{name}"])
    assert rows["which-family"]["family"] == "gamma"
    assert int(rows["lab"]["iterations"]) <= 50
    assert "1 failed" in result.stdout and "2 not converged" in result.stdout


def test_the_datasets_config_fits_every_bundled_set(project, gaussfit):
    result = gaussfit("batch", project / "configs" / "datasets.yaml", "--jobs", "2")
    assert result.exit_code == 0, result.stdout + result.stderr
    jobs = json.loads((project / "results" / "datasets-summary.json").read_text())["jobs"]
    assert len(jobs) == 8 and all(job["status"] == "ok" for job in jobs)


def test_a_failing_job_is_recorded_and_the_exit_code_is_1(project, gaussfit):
    (project / "data" / "bad.csv").write_text("x\n1\nabc\n")
    config = write(project, MIXED)
    result = gaussfit("batch", config, "--jobs", "2")
    assert result.exit_code == 1
    rows = list(csv.DictReader((project / "out" / "summary.csv").open()))
    assert [(r["name"], r["status"]) for r in rows] == [
        ("good", "ok"),
        ("bad", "failed"),
        ("sim", "ok"),
    ]
    assert "bad.csv:3" in rows[1]["error"]
    assert "1 failed" in result.stdout


def test_json_output_is_one_object_with_every_job(project, gaussfit):
    (project / "data" / "bad.csv").write_text("x\n1\nabc\n")
    result = gaussfit("batch", write(project, MIXED), "--json", "--jobs", "1")
    assert result.exit_code == 1
    document = parse_one_object(result.stdout)
    assert [(j["name"], j["status"]) for j in document["jobs"]] == [
        ("good", "ok"),
        ("bad", "failed"),
        ("sim", "ok"),
    ]
    assert document["jobs"][0]["result"]["params"]["mu"] == pytest.approx(2.6518)
    assert document["jobs"][1]["result"] is None and document["jobs"][1]["error"]


def test_one_or_two_workers_give_identical_numbers(project, gaussfit):
    config = write(
        project,
        """
jobs:
  - {name: a, simulate: {dist: weibull, n: 3000}, dist: weibull}
  - {name: b, simulate: {dist: student_t, n: 2000, seed: 5}, dist: student_t}
  - {name: c, data: ../data/counts.csv, compare: [poisson, negative_binomial]}
""",
    )
    one = parse_one_object(gaussfit("batch", config, "--json", "--jobs", "1").stdout)
    two = parse_one_object(gaussfit("batch", config, "--json", "--jobs", "2").stdout)

    def numbers(result: dict) -> list:
        fits = result.get("ranking", [result])
        return [(f["distribution"], f["params"], f["loglik"], f["stderr"]) for f in fits]

    for a, b in zip(one["jobs"], two["jobs"], strict=True):
        assert numbers(a["result"]) == numbers(b["result"])


def test_config_mistakes_are_all_reported_and_nothing_runs(project, gaussfit):
    config = write(
        project,
        """
jobs:
  - {name: a, data: ../data/seed_lab.csv}
  - {name: b, data: ../data/seed_lab.csv}
  - {name: c, data: ../data/seed_lab.csv, dist: gama}
  - {name: d, data: ../data/nowhere.csv}
output: ../out/summary.csv
""",
    )
    result = gaussfit("batch", config)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert all(line.startswith("Error: ") for line in lines)
    assert any("jobs[2].dist: unknown family 'gama' (did you mean gamma?)" in x for x in lines)
    assert any("jobs[3].data: no such file" in x for x in lines)
    assert result.stdout == ""
    assert not (project / "out").exists()


def test_python_tags_are_refused_cleanly(project, gaussfit):
    config = write(project, "jobs:\n  - !!python/object/apply:os.getcwd []\n")
    result = gaussfit("batch", config)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_dry_run_lists_jobs_and_writes_nothing(project, gaussfit):
    config = project / "configs" / "example.yaml"
    result = gaussfit("batch", config, "--dry-run")
    assert result.exit_code == 0
    for name in ("lab", "sim-gamma", "which-family", "lr-sweep[lr=1e-05]"):
        assert name in result.stdout
    assert not (project / "results").exists()


def test_only_runs_the_named_jobs_and_output_overrides(project, gaussfit):
    config = project / "configs" / "example.yaml"
    target = project / "elsewhere" / "s.json"
    result = gaussfit("batch", config, "--only", "lab,which-family", "--output", target)
    assert result.exit_code == 0, result.stderr
    names = [job["name"] for job in json.loads(target.read_text())["jobs"]]
    assert names == ["lab", "which-family"]


def test_unknown_only_name_is_an_error(project, gaussfit):
    result = gaussfit("batch", project / "configs" / "example.yaml", "--only", "nope")
    assert result.exit_code == 2
    assert "--only: no job named nope" in result.stderr


def test_missing_config_file(gaussfit, tmp_path):
    result = gaussfit("batch", tmp_path / "none.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_batch_as_a_real_process(project):
    done = run_process("batch", str(project / "configs" / "example.yaml"), "--only", "lab")
    assert done.returncode == 0, done.stderr
    assert "lab" in done.stdout and "Traceback" not in done.stderr


def test_only_with_a_swept_name_selects_every_variant(project, gaussfit):
    config = project / "configs" / "example.yaml"
    result = gaussfit("batch", config, "--only", "lr-sweep", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    names = [job["name"] for job in parse_one_object(result.stdout)["jobs"]]
    assert names == [f"lr-sweep[lr={v}]" for v in ("1e-05", "0.001", "0.003", "0.01")]


def test_everything_knowable_is_reported_before_anything_runs(project, gaussfit):
    (project / "blocker").write_text("a file where a folder should be\n")
    config = write(
        project,
        """
jobs:
  - {name: a, data: ../data/seed_lab.csv, column: nope}
  - {name: b, data: ../data/durations.csv, weights: wieght, logdir: ../runs}
  - {name: e, simulate: {n: 10}, logdir: ../blocker/runs}
  - {name: c, data: ../data/seed_lab.csv, dist: gama}
  - {name: d, data: ../data/seed_lab.csv, column: nope}
output: ../blocker/summary.csv
""",
    )
    result = gaussfit("batch", config)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert all(line.startswith("Error: ") for line in lines), lines
    expected = [
        "job 'a' (and 1 more jobs): ",
        "unknown column 'nope'",
        "job 'b': ",
        "unknown weights column 'wieght'",
        "jobs[3].dist: unknown family 'gama'",
        "output: cannot create the folder of",
        "logdir: cannot create '",
    ]
    for piece in expected:
        assert any(piece in line for line in lines), (piece, lines)
    assert result.stdout == ""
    assert not (project / "runs").exists() and not (project / "results").exists()


@pytest.mark.parametrize("how", ["same path", "hard link"])
def test_a_summary_over_a_jobs_data_file_is_refused(project, gaussfit, how):
    data = project / "data" / "seed_lab.csv"
    before = data.read_bytes()
    target = data
    if how == "hard link":
        target = project / "out.csv"
        os.link(data, target)
    config = write(project, "jobs:\n  - {name: lab, data: ../data/seed_lab.csv}\n")
    result = gaussfit("batch", config, "--output", target)
    assert result.exit_code == 2
    assert "is the data file of job 'lab'" in result.stderr
    assert data.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_a_read_only_destination_is_refused_before_running(project, gaussfit):
    locked = project / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    config = write(project, "jobs:\n  - {name: lab, data: ../data/seed_lab.csv}\n")
    result = gaussfit("batch", config, "--output", locked / "s.csv")
    assert result.exit_code == 2
    assert "cannot write in" in result.stderr


def test_jobs_above_the_cores_are_capped_unless_insisted(project, gaussfit):
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    config = write(project, "jobs:\n  - {name: lab, data: ../data/seed_lab.csv, no-scipy: true}\n")
    capped = gaussfit("batch", config, "--jobs", str(cores + 7))
    assert capped.exit_code == 0, capped.stderr
    assert f"note: --jobs {cores + 7} capped at the {cores} cores available" in capped.stderr
    insisted = gaussfit("batch", config, "--jobs", str(cores + 7), "--oversubscribe")
    assert insisted.exit_code == 0 and "capped" not in insisted.stderr


def test_when_the_summary_cannot_be_written_it_goes_to_a_named_fallback(
    project, gaussfit, monkeypatch, tmp_path
):
    import tempfile

    from gaussfit.batch import summary

    real = summary.write_summary
    target = project / "out" / "summary.csv"

    def disk_full_at_target(path, outcomes, **kwargs):
        if path == target:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, outcomes, **kwargs)

    monkeypatch.setattr(summary, "write_summary", disk_full_at_target)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "fallback"))
    (tmp_path / "fallback").mkdir()
    config = write(project, "jobs:\n  - {name: lab, data: ../data/seed_lab.csv}\n")
    result = gaussfit("batch", config, "--output", target)
    assert result.exit_code == 2
    (saved,) = (tmp_path / "fallback").glob("gaussfit-batch-summary-*.csv")
    assert f"cannot write the summary {target} (No space left on device)" in result.stderr
    assert f"it was written to {saved} instead" in result.stderr
    rows = list(csv.DictReader(saved.open()))
    assert rows[0]["name"] == "lab" and float(rows[0]["est_mu"]) == pytest.approx(2.6518)


def test_a_full_disk_keeps_the_old_pair_whole_and_prints_the_results(project):
    """RLIMIT_FSIZE makes every file write past 1 kB fail with EFBIG, as a full disk would:
    the new sidecar cannot be written, so neither file of the old pair may change."""
    config = write(project, "jobs:\n  - {name: lab, data: ../data/seed_lab.csv}\n")
    out = project / "out"
    out.mkdir()
    (out / "s.csv").write_text("old csv\n")
    (out / "s.results.json").write_text('{"old": true}\n')

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    done = subprocess.run(
        [sys.executable, "-m", "gaussfit", "batch", str(config), "-o", str(out / "s.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_files,
        env={**os.environ, "NO_COLOR": "1", "TMPDIR": str(project / "tmp")},
    )
    assert done.returncode == 2, done.stderr
    assert (out / "s.csv").read_text() == "old csv\n"
    assert (out / "s.results.json").read_text() == '{"old": true}\n'
    assert sorted(p.name for p in out.iterdir()) == ["s.csv", "s.results.json"]
    assert "as CSV on standard output" in done.stderr
    table = done.stdout[done.stdout.index("name,status,") :]
    rows = list(csv.DictReader(table.splitlines()))
    assert rows[0]["name"] == "lab" and float(rows[0]["est_mu"]) == pytest.approx(2.6518)
