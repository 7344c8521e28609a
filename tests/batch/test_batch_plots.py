"""The batch file's ``plot:`` key: one picture per job, checked before anything runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gaussfit.batch.config import load_config
from gaussfit.cli.main import main
from gaussfit.errors import ConfigError

DATA = Path(__file__).resolve().parents[2] / "data"


def _config(tmp_path: Path, text: str) -> Path:
    shutil.copy(DATA / "skewed.csv", tmp_path / "skewed.csv")
    path = tmp_path / "jobs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_name_placeholder_gives_every_job_its_own_file(tmp_path):
    config = load_config(
        _config(
            tmp_path,
            "defaults: {plot: 'pics/{name}.svg'}\n"
            "jobs:\n  - {name: a, data: skewed.csv, sweep: {dist: [gamma, weibull]}}\n",
        )
    )
    assert [job.options["plot"] for job in config.jobs] == [
        str(tmp_path / "pics" / "a_dist=gamma_.svg"),
        str(tmp_path / "pics" / "a_dist=weibull_.svg"),
    ]


@pytest.mark.parametrize(
    ("jobs", "fragment"),
    [
        ("  - {name: a, data: skewed.csv, plot: same.png}\n"
         "  - {name: b, data: skewed.csv, plot: same.png}\n", "plot: job 'b' and job 'a'"),
        ("  - {name: a, data: skewed.csv, plot: a.jpg}\n", "jobs[0].plot: 'a.jpg' must end in"),
        ("  - {name: a, data: skewed.csv, plot: 3}\n", "jobs[0].plot: must be a file name"),
        ("  - {name: a, data: skewed.csv, sweep: {dist: [gamma, weibull]}, plot: p.png}\n",
         "both draw to"),
    ],
)  # fmt: skip
def test_clashing_or_malformed_plot_keys_are_refused_before_running(tmp_path, jobs, fragment):
    with pytest.raises(ConfigError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        load_config(_config(tmp_path, "jobs:\n" + jobs))


def test_a_plot_over_a_data_file_is_refused(tmp_path):
    path = _config(tmp_path, "jobs:\n  - {name: a, data: skewed.csv, plot: skewed.svg}\n")
    shutil.copy(DATA / "skewed.csv", tmp_path / "skewed.svg")
    path.write_text("jobs:\n  - {name: a, data: skewed.svg, plot: skewed.svg}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="draw over the data file of job 'a'"):
        load_config(path)


@pytest.mark.slow
def test_batch_draws_each_jobs_picture(tmp_path):
    pytest.importorskip("matplotlib")
    path = _config(
        tmp_path,
        "defaults: {plot: '{name}.png', no_scipy: true}\n"
        "jobs:\n  - {name: fit, data: skewed.csv, dist: gamma}\n"
        "  - {name: cmp, data: skewed.csv, compare: 'gamma,lognormal'}\n",
    )
    result = CliRunner().invoke(main, ["batch", str(path), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    for name in ("fit", "cmp"):
        assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
        assert f"wrote {tmp_path / name}.png" in result.stderr
