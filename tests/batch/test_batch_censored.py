"""Censored and truncated data in batch files: the command line's keys, checked up front, and
the same fits as ``gaussfit fit``'s (whose numbers are tested against lifelines and scipy)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from batch_helpers import write_config

import gaussfit
from gaussfit.batch import load_config, run_jobs
from gaussfit.data.censored_reader import CensoredLayout, load_observations
from gaussfit.errors import ConfigError

FIXTURES = json.loads(
    (Path(__file__).parents[1] / "fitting" / "fixtures" / "lifelines.json").read_text()
)


@pytest.fixture
def survival(workdir: Path) -> Path:
    case = next(c for c in FIXTURES["fits"] if c["name"] == "weibull_right")
    rows = zip(case["data"]["durations"], case["data"]["event_observed"], strict=True)
    path = workdir / "data" / "survival.csv"
    path.write_text("time,status\n" + "".join(f"{t!r},{e}\n" for t, e in rows))
    return path


def test_censored_jobs_match_lifelines(workdir: Path, survival: Path) -> None:
    config = write_config(
        workdir,
        """
jobs:
  - {name: right, data: ../data/survival.csv, column: time, event: status, dist: weibull}
  - {name: which, data: ../data/survival.csv, column: time, event: status,
     compare: [weibull, exponential]}
  - {name: window, data: ../data/survival.csv, column: time, event: status,
     truncate: [0.01, .inf], dist: exponential}
""",
    )
    outcomes = {o.name: o for o in run_jobs(load_config(config).jobs, workers=1)}
    assert all(o.status == "ok" for o in outcomes.values()), [o.error for o in outcomes.values()]
    case = next(c for c in FIXTURES["fits"] if c["name"] == "weibull_right")
    right = outcomes["right"].result
    for name, value in case["params"].items():
        assert right["params"][name] == pytest.approx(value, rel=2e-5)
    assert right["censoring"]["right"] == sum(1 for e in case["data"]["event_observed"] if not e)
    assert outcomes["which"].result["ranking"][0]["distribution"] == "weibull"
    layout = CensoredLayout(column="time", event="status", truncation=(0.01, np.inf))
    direct = gaussfit.fit(load_observations(survival, layout), "exponential")
    assert outcomes["window"].result["params"] == pytest.approx(direct.params, rel=1e-12)
    assert outcomes["window"].result["censoring"]["truncation"]["lower"] == 0.01


def test_censored_jobs_take_the_bootstrap_keys(workdir: Path, survival: Path) -> None:
    config = write_config(
        workdir,
        """
jobs:
  - {name: valid, data: ../data/survival.csv, column: time, event: status, dist: weibull,
     gof_bootstrap: 5, bootstrap: 5, seed: 1}
  - {name: each, data: ../data/survival.csv, column: time, event: status,
     compare: [weibull, exponential], gof_bootstrap: 4, seed: 1}
""",
    )
    outcomes = {o.name: o for o in run_jobs(load_config(config).jobs, workers=1)}
    assert all(o.status == "ok" for o in outcomes.values()), [o.error for o in outcomes.values()]
    valid = outcomes["valid"].result
    assert valid["gof"]["method"] == "npmle_distance"
    assert valid["gof"]["bootstrap"]["resamples"] + valid["gof"]["bootstrap"]["failed"] == 5
    assert valid["bootstrap"]["resamples"] == 5
    ranking = outcomes["each"].result["ranking"]
    assert [fit["gof"]["method"] for fit in ranking] == ["npmle_distance"] * 2


@pytest.mark.parametrize(
    "job, message",
    [
        ("{data: ../data/survival.csv, left: time}", "jobs[0]: --left needs --right"),
        ("{data: ../data/survival.csv, truncate: [3]}", "jobs[0].truncate: must be [LO, HI]"),
        ("{data: ../data/survival.csv, truncate: '5,1'}", "LO must be less than HI"),
        ("{data: ../data/survival.csv, censor_marks: 1}", "censor_marks: must be true or false"),
        ("{simulate: {n: 10}, event: status}", "not with simulate"),
        ("{data: ../data/survival.csv, event: status, censor_marks: true}", "choose one way"),
    ],
)
def test_bad_censoring_keys_are_reported_before_running(
    workdir: Path, survival: Path, job: str, message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write_config(workdir, f"jobs:\n  - {job}\n"))
    assert message in str(error.value)


@pytest.mark.parametrize(
    "job, message",
    [
        ("{data: ../data/survival.csv, column: time, event: stauts}", "--event column 'stauts'"),
        ("{data: ../data/survival.csv, left: time, right: tme}", "--right column 'tme'"),
        (
            "{data: ../data/survival.csv, column: time, truncate_left: entry}",
            "--truncate-left column 'entry'",
        ),
    ],
)
def test_censored_columns_are_resolved_before_running(
    workdir: Path, survival: Path, job: str, message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(write_config(workdir, f"jobs:\n  - {job}\n"))
    assert "job 'job-1'" in str(error.value)
    assert message in str(error.value)
