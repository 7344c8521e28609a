"""Config validation: every mistake reported at once, with its place."""

from __future__ import annotations

import pytest
from batch_helpers import write_config

from gaussfit.batch import load_config
from gaussfit.errors import ConfigError


def errors_of(workdir, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write_config(workdir, text))
    return str(info.value)


def test_a_valid_config_resolves_paths_relative_to_the_file(workdir):
    config = load_config(
        write_config(
            workdir,
            """
jobs:
  - name: one
    data: ../data/lab.csv
output: ../out/summary.csv
""",
        )
    )
    assert config.jobs[0].data == str((workdir / "data" / "lab.csv").resolve())
    assert config.output == (workdir / "out" / "summary.csv").resolve()


def test_unknown_family_is_named_with_a_suggestion(workdir):
    message = errors_of(
        workdir,
        """
jobs:
  - {name: a, data: ../data/lab.csv}
  - {name: b, data: ../data/lab.csv}
  - {name: c, data: ../data/lab.csv, dist: gama}
""",
    )
    assert "jobs[2].dist: unknown family 'gama' (did you mean gamma?)" in message


def test_every_mistake_is_reported_together(workdir):
    message = errors_of(
        workdir,
        """
defaults: {optimiser: newton}
jobs:
  - {name: a, data: ../data/missing.csv}
  - {name: b, data: ../data/lab.csv, simulate: {n: 10}}
  - {name: c}
  - {name: d, data: ../data/lab.csv, lr: fast, iters: 0, init: {nu: 1}}
  - {name: e, simulate: {n: -5, params: {mu: x}}}
  - {name: f, data: ../data/lab.csv, colour: red}
  - {name: f, data: ../data/lab.csv}
output: summary.txt
""",
    )
    lines = message.splitlines()
    expected = [
        "defaults.optimiser: unknown option (did you mean optimizer?)",
        "jobs[0].data: no such file '../data/missing.csv'",
        "jobs[1]: give exactly one of 'data' or 'simulate' (it has both)",
        "jobs[2]: give exactly one of 'data' or 'simulate' (it has neither)",
        "jobs[3].lr: must be a number > 0, not 'fast'",
        "jobs[3].iters: must be a whole number >= 1, not 0",
        "jobs[3].init: normal has no parameter 'nu'",
        "jobs[4].simulate.n: must be a whole number from 1 to 100,000,000, not -5",
        "jobs[4].simulate.params.mu: must be a number, not 'x'",
        "jobs[5]: unknown key 'colour'",
        "job name 'f' is used twice",
        "output: 'summary.txt' must end in .csv or .json",
    ]
    for piece in expected:
        assert any(piece in line for line in lines), (piece, lines)


def test_wrong_types_are_named(workdir):
    message = errors_of(
        workdir,
        """
jobs:
  - name: a
    data: ../data/lab.csv
    fix: [1, 2]
    drop-missing: "yes"
    optimizer: sgd
""",
    )
    assert "jobs[0].fix: must be a mapping" in message
    assert "jobs[0].drop_missing: must be true or false" in message
    assert "jobs[0].optimizer: unknown optimizer 'sgd'" in message


@pytest.mark.parametrize(
    "text,piece",
    [
        ("just a string", "must be a mapping with a 'jobs' list"),
        ("jobs: []", "jobs: must be a non-empty list"),
        ("jobs:\n  - 3", "jobs[0]: must be a mapping"),
        ("jobs: [{name: a, data: ../data/lab.csv}]\nextra: 1", "unknown key 'extra'"),
    ],
)
def test_structural_mistakes(workdir, text, piece):
    assert piece in errors_of(workdir, text)


def test_python_object_tags_are_refused(workdir):
    message = errors_of(
        workdir,
        """
jobs:
  - name: evil
    data: !!python/object/apply:os.system ["echo hacked"]
""",
    )
    assert "batch.yaml:4" in message
    assert "constructor" in message


def test_yaml_syntax_errors_name_the_line(workdir):
    message = errors_of(workdir, "jobs:\n  - name: [unclosed\n")
    assert "batch.yaml:" in message


def test_missing_config_file(workdir):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(workdir / "nope.yaml")


def test_sweep_expands_into_one_job_per_value(workdir):
    config = load_config(
        write_config(
            workdir,
            """
jobs:
  - name: sweep
    simulate: {n: 50, seed: 1}
    optimizer: gd
    sweep: {lr: [0.001, 0.01], iters: [5, 10]}
""",
        )
    )
    names = [job.name for job in config.jobs]
    assert names == [
        "sweep[lr=0.001,iters=5]",
        "sweep[lr=0.001,iters=10]",
        "sweep[lr=0.01,iters=5]",
        "sweep[lr=0.01,iters=10]",
    ]
    assert config.jobs[3].options["lr"] == 0.01 and config.jobs[3].options["iters"] == 10


def test_sweep_values_are_validated(workdir):
    message = errors_of(
        workdir,
        """
jobs:
  - {name: s, simulate: {n: 10}, sweep: {lr: [0.1, -1]}}
""",
    )
    assert "jobs[0][lr=-1].lr: must be a number > 0, not -1" in message
