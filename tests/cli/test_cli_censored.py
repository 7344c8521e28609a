"""``gaussfit fit`` on censored and truncated data: each input layout, the report and JSON,
and every bad input as one line, exit 2, nothing written."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from cli_helpers import assert_clean_error, write_lines
from click.testing import Result

from gaussfit.report.schema import FIT_SCHEMA

LIFELINES = json.loads(
    (Path(__file__).parents[1] / "fitting" / "fixtures" / "lifelines.json").read_text()
)
FITS = {case["name"]: case for case in LIFELINES["fits"]}


def _csv(path: Path, header: str, rows: list[tuple]) -> Path:
    cells = [",".join("" if v is None else f"{v!r}" for v in row) for row in rows]
    return write_lines(path, header, *cells)


def test_two_columns_match_lifelines_interval_fit(gaussfit_json, tmp_path: Path) -> None:
    case = FITS["weibull_interval"]
    rows = [
        (lo, None if math.isinf(hi) else hi)
        for lo, hi in zip(case["data"]["lower_bound"], case["data"]["upper_bound"], strict=True)
    ]
    path = _csv(tmp_path / "interval.csv", "left,right", rows)
    document = gaussfit_json("fit", path, "--left", "left", "--right", "right", "-d", "weibull")
    jsonschema.validate(document, FIT_SCHEMA)
    for name, value in case["params"].items():
        assert document["params"][name] == pytest.approx(value, rel=2e-5)
    assert document["loglik"] == pytest.approx(case["loglik"], abs=1e-6)
    lower = np.array(case["data"]["lower_bound"])
    upper = np.array(case["data"]["upper_bound"])
    assert document["censoring"] == {
        "exact": int(np.sum(lower == upper)),
        "left": 0,
        "right": int(np.sum(np.isinf(upper))),
        "interval": int(np.sum((lower != upper) & np.isfinite(upper))),
        "truncation": None,
    }
    assert document["gof"] == {}
    assert document["empirical"]["method"] == "turnbull"


def test_event_column_matches_lifelines_with_any_coding(gaussfit_json, tmp_path: Path) -> None:
    case = FITS["weibull_right"]
    time, event = case["data"]["durations"], case["data"]["event_observed"]
    plain = _csv(tmp_path / "plain.csv", "time,status", list(zip(time, event, strict=True)))
    coded = write_lines(
        tmp_path / "coded.csv",
        "time,status",
        *[f"{t!r},{'F' if e else 'C'}" for t, e in zip(time, event, strict=True)],
    )
    first = gaussfit_json("fit", plain, "-c", "time", "--event", "status", "-d", "weibull")
    second = gaussfit_json(
        "fit", coded, "-c", "time", "--event", "status", "--event-censored", "C", "-d", "weibull"
    )
    for document in (first, second):
        for name, value in case["params"].items():
            assert document["params"][name] == pytest.approx(value, rel=2e-5)
        assert document["empirical"]["method"] == "kaplan-meier"
    assert first["params"] == second["params"]


def test_delayed_entry_matches_lifelines(gaussfit_json, tmp_path: Path) -> None:
    case = FITS["weibull_entry"]
    data = case["data"]
    rows = list(zip(data["durations"], data["event_observed"], data["entry"], strict=True))
    path = _csv(tmp_path / "entry.csv", "time,status,entry", rows)
    document = gaussfit_json(
        "fit", path, "-c", "time", "--event", "status", "--truncate-left", "entry", "-d", "weibull"
    )
    for name, value in case["params"].items():
        assert document["params"][name] == pytest.approx(value, rel=2e-5)
    assert document["censoring"]["truncation"] == {
        "lower": None,
        "upper": None,
        "delayed_entry": True,
    }


def test_censor_marks_read_as_two_columns(gaussfit_json, tmp_path: Path) -> None:
    marks = write_lines(tmp_path / "marks.csv", "conc", "<0.5", "1.2", ">3", "2.2", "0.9", "<0.5")
    bounds = write_lines(
        tmp_path / "bounds.csv", "lo,hi", "NA,0.5", "1.2,1.2", "3,NA", "2.2,2.2", "0.9,0.9", ",0.5"
    )
    first = gaussfit_json("fit", marks, "--censor-marks", "-d", "weibull")
    second = gaussfit_json("fit", bounds, "--left", "lo", "--right", "hi", "-d", "weibull")
    assert first["params"] == pytest.approx(second["params"], rel=1e-12)
    assert first["censoring"] == {
        "exact": 3, "left": 2, "right": 1, "interval": 0, "truncation": None
    }  # fmt: skip


def test_truncate_gives_the_memoryless_exponential(gaussfit, tmp_path: Path) -> None:
    x = np.random.default_rng(6).exponential(400.0, 3000)
    x = x[x > 300.0]
    path = write_lines(tmp_path / "rivers.csv", "length", *[repr(float(v)) for v in x])
    result = gaussfit("fit", path, "--truncate", "300,inf", "-d", "exponential")
    assert result.exit_code == 0, result.stderr
    assert "truncation  [300, inf]" in result.stdout
    assert "fitted exponential truncated to [300, inf]" in result.stdout
    document = json.loads(
        gaussfit("fit", path, "--truncate", "300,inf", "-d", "exponential", "--json").stdout
    )
    assert document["params"]["rate"] == pytest.approx(1.0 / np.mean(x - 300.0), rel=1e-7)
    assert document["censoring"]["truncation"] == {
        "lower": 300.0,
        "upper": None,
        "delayed_entry": False,
    }


BAD = [
    ("lohi.csv", ["--left", "lo", "--right", "hi"], ["lohi.csv:3", "lower bound 3 is greater"]),
    ("both.csv", ["--left", "lo", "--right", "hi"], ["both.csv:3", "censored on both sides"]),
    ("empty.csv", ["--left", "lo", "--right", "hi"], ["empty.csv", "no observations"]),
    ("plain.csv", ["--truncate", "2,inf"], ["plain.csv:2", "truncation window [2, inf]"]),
    ("right.csv", ["-c", "t", "--event", "s"], ["all 3 observations are right-censored"]),
    ("lohi.csv", ["--left", "lo"], ["--left needs --right"]),
    ("lohi.csv", ["--right", "hi"], ["--right needs --left"]),
    ("right.csv", ["-c", "t", "--event", "s", "--censor-marks"], ["choose one way"]),
    ("event.csv", ["-c", "t", "--event", "s"], ["event.csv:3", "neither 1"]),
    ("plain.csv", ["--truncate", "5,1"], ["LO must be less than HI"]),
]


@pytest.mark.parametrize("name, args, fragments", BAD, ids=[" ".join(b[1]) for b in BAD])
def test_bad_censored_input(
    gaussfit: Callable[..., Result], tmp_path: Path, name: str, args: list, fragments: list
) -> None:
    write_lines(tmp_path / "lohi.csv", "lo,hi", "1,2", "3,2", "4,5")
    write_lines(tmp_path / "both.csv", "lo,hi", "1,2", "NA,", "4,5")
    write_lines(tmp_path / "empty.csv", "lo,hi")
    write_lines(tmp_path / "plain.csv", "x", "1.5", "2.5", "3.5")
    write_lines(tmp_path / "right.csv", "t,s", "1,0", "2,0", "3,0")
    write_lines(tmp_path / "event.csv", "t,s", "1,1", "2,7", "3,0")
    output = tmp_path / "out.json"
    result = gaussfit("fit", tmp_path / name, "-d", "weibull", *args, "--output", output)
    assert_clean_error(result, 2, *fragments)
    assert not output.exists()


def test_compare_ranks_families_on_censored_data(gaussfit, gaussfit_json, tmp_path) -> None:
    case = FITS["weibull_interval"]
    rows = [
        (lo, None if math.isinf(hi) else hi)
        for lo, hi in zip(case["data"]["lower_bound"], case["data"]["upper_bound"], strict=True)
    ]
    path = _csv(tmp_path / "interval.csv", "left,right", rows)
    args = ["compare", path, "--left", "left", "--right", "right"]
    document = gaussfit_json(*args, "--dists", "weibull,exponential,logistic")
    ranking = {fit["distribution"]: fit for fit in document["ranking"]}
    assert ranking["weibull"]["loglik"] == pytest.approx(case["loglik"], abs=1e-6)
    assert document["ranking"][0]["distribution"] == "weibull"
    assert all(fit["censoring"]["interval"] > 0 for fit in document["ranking"])
    shown = gaussfit(*args, "--dists", "weibull,exponential")
    assert shown.exit_code == 0, shown.stderr
    assert "interval-censored" in shown.stdout


def test_chunk_size_reads_censored_files_in_chunks(gaussfit, gaussfit_json, tmp_path) -> None:
    rows = [(None, 0.5), (1.2, 1.2), (2.0, 3.0), (4.0, None), (0.7, 0.7), (1.5, 2.0)] * 20
    path = _csv(tmp_path / "bounds.csv", "lo,hi", rows)
    args = ["fit", path, "--left", "lo", "--right", "hi", "-d", "gumbel"]
    whole = gaussfit_json(*args)
    chunked = gaussfit_json(*args, "--chunk-size", "25")
    assert chunked["params"] == pytest.approx(whole["params"], rel=1e-10)
    assert chunked["settings"]["backend"] == {"kind": "chunks", "chunk_rows": 25}
    bad = write_lines(tmp_path / "bad.csv", "lo,hi", *["1,2"] * 60, "5,3")
    result = gaussfit("fit", bad, "--left", "lo", "--right", "hi", "--chunk-size", "25")
    assert_clean_error(result, 2, "bad.csv:62", "lower bound 5 is greater")


def test_censor_marks_read_in_chunks_as_in_memory(gaussfit, gaussfit_json, tmp_path) -> None:
    cells = ["<0.5", "1.2", ">3", "2.2", "0.9", "<0.5", "1.7", ">=3", "2.6", "0.7", "<=0.5"]
    marks = write_lines(tmp_path / "marks.csv", "conc", *cells)
    args = ["fit", marks, "--censor-marks", "-d", "lognormal"]
    whole = gaussfit_json(*args)
    chunked = gaussfit_json(*args, "--chunk-size", "4")
    assert chunked["params"] == pytest.approx(whole["params"], rel=1e-10)
    assert chunked["censoring"] == whole["censoring"] == {
        "exact": 6, "left": 3, "right": 2, "interval": 0, "truncation": None
    }  # fmt: skip
    assert chunked["settings"]["backend"] == {"kind": "chunks", "chunk_rows": 4}
    bad = write_lines(tmp_path / "bad.csv", "conc", *cells, "<abc")
    result = gaussfit(*["fit", bad, "--censor-marks", "--chunk-size", "4"])
    assert_clean_error(result, 2, "bad.csv:13")


@pytest.mark.slow
def test_derived_quantities_and_bootstraps_of_a_censored_fit(gaussfit_json, tmp_path) -> None:
    case = FITS["weibull_right"]
    time, event = case["data"]["durations"][:120], case["data"]["event_observed"][:120]
    path = _csv(tmp_path / "right.csv", "time,status", list(zip(time, event, strict=True)))
    document = gaussfit_json(
        "fit", path, "-c", "time", "--event", "status", "-d", "weibull",
        "--quantiles", "0.1,0.5", "--prob-above", "2", "--ci", "profile",
        "--bootstrap", "10", "--parametric", "--gof-bootstrap", "10", "--seed", "3",
    )  # fmt: skip
    jsonschema.validate(document, FIT_SCHEMA)
    assert [(q["p"], q["method"]) for q in document["quantiles"]] == [
        (0.1, "delta"), (0.1, "bootstrap"), (0.5, "delta"), (0.5, "bootstrap")
    ]  # fmt: skip
    assert [a["method"] for a in document["prob_above"]] == ["delta", "bootstrap"]
    for name in ("shape", "scale"):
        low, high = document["profile_ci95"][name]
        assert low < document["params"][name] < high
    assert document["bootstrap"]["method"] == "parametric"
    gof = document["gof"]
    assert gof["method"] == "npmle_distance"
    assert set(gof["bootstrap"]) >= {"ks_pvalue", "ks_pvalue_se", "cvm_pvalue", "cvm_pvalue_se"}
    assert "simulated as observed" in gof["bootstrap"]["statistics"]
    assert document["empirical"]["method"] == "kaplan-meier"


REFUSED = [
    (["--weights", "w", "--gof-bootstrap", "9"], "not for weighted records"),
    (["--weights", "w", "--bootstrap", "9", "--parametric"], "not for weighted records"),
    (["--gof-bootstrap", "9", "--chunk-size", "2"], "not for chunked or Dask fits"),
    (["--ci", "profile", "--chunk-size", "2"], "not for chunked or Dask fits"),
    (["-d", "poisson", "--gof-bootstrap", "9"], "poisson is discrete"),
]


@pytest.mark.parametrize("args, fragment", REFUSED, ids=[" ".join(r[0]) for r in REFUSED])
def test_what_a_censored_fit_cannot_derive_is_refused_before_fitting(
    gaussfit: Callable[..., Result], tmp_path: Path, args: list, fragment: str
) -> None:
    path = write_lines(tmp_path / "lohi.csv", "lo,hi,w", "1,2,1", ",3,2", "4,5,1", "2,2,1", "3,,1")
    output = tmp_path / "out.json"
    result = gaussfit("fit", path, "--left", "lo", "--right", "hi", *args, "-o", output)
    assert_clean_error(result, 2, fragment)
    assert not output.exists()
