"""The pieces under the commands: option parsing, row selection, strict JSON, the error edge."""

from __future__ import annotations

import math

import click
import pytest
from jsonschema import Draft202012Validator

from gaussfit.cli import errors, options
from gaussfit.cli.exit_codes import ExitCode
from gaussfit.errors import ConfigError, DataError, FitError
from gaussfit.fitting import Step
from gaussfit.report import schema
from gaussfit.report.json_out import dumps
from gaussfit.report.tables import select_steps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mu=1", {"mu": 1.0}),
        ("mu=1,sigma=2.5", {"mu": 1.0, "sigma": 2.5}),
        (" mu = -1e-3 , sigma=4 ", {"mu": -0.001, "sigma": 4.0}),
    ],
)
def test_assignments_parse(text, expected):
    assert options.parse_assignments(text) == expected


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "got nothing"),
        ("mu", "'mu' is not NAME=VALUE"),
        ("=1", "no parameter name"),
        ("mu=", "no value"),
        ("mu=x", "'x' is not a number"),
        ("mu=nan", "not a finite number"),
        ("mu=1,", "empty item"),
        ("mu=1,mu=2", "mu is given twice"),
    ],
)
def test_malformed_assignments_name_the_piece(text, complaint):
    with pytest.raises(ValueError, match=complaint):
        options.parse_assignments(text)


def test_repeated_options_merge_and_refuse_duplicates():
    assert options.merge_assignments(({"a": 1.0}, {"b": 2.0}), "--param") == {"a": 1.0, "b": 2.0}
    with pytest.raises(ConfigError, match="--param: a is given twice"):
        options.merge_assignments(({"a": 1.0}, {"a": 2.0}), "--param")


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("1", True), ("1e-9", True), ("0", False), ("-2", False), ("inf", False), ("x", False)],
)
def test_positive_numbers(raw, ok):
    if ok:
        assert options.POSITIVE.convert(raw, None, None) == float(raw)
    else:
        with pytest.raises(click.BadParameter):
            options.POSITIVE.convert(raw, None, None)


def test_k_only_for_the_mixture():
    assert len(options.resolve_family("mixture", 3).parameters) == 9
    with pytest.raises(ConfigError, match="gamma takes no k"):
        options.resolve_family("gamma", 3)


def steps(n: int) -> list[Step]:
    return [Step(i, -float(i), 1.0, {"a": 0.0}) for i in range(1, n + 1)]


def test_about_ten_rows_by_default_and_always_the_last():
    assert [s.iteration for s in select_steps(steps(100))] == list(range(10, 101, 10))
    assert [s.iteration for s in select_steps(steps(7))] == list(range(1, 8))
    assert [s.iteration for s in select_steps(steps(23), 10)] == [10, 20, 23]
    assert select_steps([]) == []


def test_json_refuses_nan():
    with pytest.raises(ValueError):
        dumps({"x": math.nan})
    assert dumps({"x": 1.5}).endswith("}\n")


@pytest.mark.parametrize(
    "name", ["FIT_SCHEMA", "SIMULATE_FIT_SCHEMA", "COMPARE_SCHEMA", "DISTS_SCHEMA"]
)
def test_schemas_are_valid_json_schemas(name):
    Draft202012Validator.check_schema(getattr(schema, name))


def test_the_fit_schema_rejects_an_undocumented_key(gaussfit_json, lab_csv):
    document = gaussfit_json("fit", lab_csv)
    validator = Draft202012Validator(schema.FIT_SCHEMA)
    validator.validate(document)
    assert not validator.is_valid({**document, "surprise": 1})
    assert not validator.is_valid({**document, "loglik": None})


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (DataError("x"), ExitCode.BAD_INPUT),
        (ConfigError("x"), ExitCode.BAD_INPUT),
        (click.UsageError("x"), ExitCode.BAD_INPUT),
        (FitError("x"), ExitCode.FIT_FAILED),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED),
        (RuntimeError("x"), ExitCode.INTERNAL_ERROR),
    ],
)
def test_each_failure_has_its_exit_code(error, code):
    assert errors.exit_code_for(error) == code


def test_messages_are_one_line():
    assert errors.message_for(DataError("a\nb")) == "a b"
