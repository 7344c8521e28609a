"""``gaussfit batch`` through the command line: validation, isolation, outputs, exit codes."""

from __future__ import annotations

import csv
import json
import shutil
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


@pytest.mark.parametrize("name", ["example.yaml", "datasets.yaml"])
def test_every_shipped_config_runs_as_shipped(project, gaussfit, name):
    result = gaussfit("batch", project / "configs" / name, "--jobs", "2")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "failed" not in result.stdout.split("\n", 1)[1]
    summaries = list((project / "results").iterdir())
    assert summaries, "the summary file was not written"


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
    for name in ("lab", "sim-gamma", "which-family", "lr-sweep[lr=0.0001]"):
        assert name in result.stdout
    assert not (project / "results").exists()


def test_only_runs_the_named_jobs_and_output_overrides(project, gaussfit):
    config = project / "configs" / "example.yaml"
    target = project / "elsewhere" / "s.json"
    result = gaussfit("batch", config, "--only", "lab,lr-sweep", "--output", target)
    assert result.exit_code == 0, result.stderr
    names = [job["name"] for job in json.loads(target.read_text())["jobs"]]
    assert names[0] == "lab" and all(n == "lab" or n.startswith("lr-sweep[") for n in names)
    assert len(names) == 4


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
