"""``--plot``, ``--plot-profile``, ``--plot-trace``, ``compare --plot`` and ``describe``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import assert_clean_error, parse_one_object

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"


def _without_timing(document: dict) -> dict:
    document.pop("seconds", None)
    for ref in (document.get("reference") or {}).values():
        if ref:
            ref.pop("seconds", None)
    return document


def test_plotting_never_changes_the_fit(gaussfit, tmp_path):
    pytest.importorskip("matplotlib")
    args = ("fit", DATA / "skewed.csv", "-d", "gamma", "--json", "--no-scipy")
    plain = gaussfit(*args)
    drawn = gaussfit(*args, "--plot", tmp_path / "a.svg", "--plot-profile", tmp_path / "p.png",
                     "--plot-trace", tmp_path / "t.pdf")  # fmt: skip
    assert plain.exit_code == drawn.exit_code == 0, drawn.stderr
    assert _without_timing(parse_one_object(plain.stdout)) == _without_timing(
        parse_one_object(drawn.stdout)
    )
    assert drawn.stderr.splitlines() == [
        f"wrote {tmp_path / n}" for n in ("a.svg", "p.png", "t.pdf")
    ]
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")


def test_censored_data_are_drawn_with_their_npmle(gaussfit, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "c.png"
    result = gaussfit("fit", DATA / "inspections.csv", "--left", "left", "--right", "right",
                      "-d", "weibull", "--plot", target, "-q")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"\x89PNG")


def test_compare_plot_and_its_top(gaussfit, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "cmp.svg"
    result = gaussfit("compare", DATA / "counts.csv", "--plot", target, "--plot-top", "2", "-q")
    assert result.exit_code == 0, result.stderr
    assert target.read_text().lstrip().startswith("<?xml")
    assert result.stderr.strip() == f"wrote {target}"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["fit", "{skewed}", "--plot", "{skewed}"], ["--plot", "input file"]),
        (["fit", "{skewed}", "--plot-trace", "{d}/t.gif"], ["--plot-trace", ".png"]),
        (
            ["fit", "{skewed}", "--plot", "{d}/a.png", "--plot-profile", "{d}/a.png"],
            ["--plot-profile", "--plot"],
        ),
        (
            ["fit", "{bimodal}", "--plot", "{d}/a.png", "--log-scale", "x"],
            ["--log-scale x", "<= 0"],
        ),
        (["fit", "{skewed}", "--plot", "{d}/a.png", "--chunk-size", "100"], ["--plot", "memory"]),
        (["compare", "{skewed}", "--plot", "{d}/a.jpg"], ["--plot", ".png"]),
        (["describe", "{skewed}", "--plot", "{skewed}"], ["--plot", "input file"]),
        (
            ["fit", "{bimodal}", "-d", "normal_mixture", "--plot-profile", "{d}/p.png"],
            ["--plot-profile", "cannot be profiled"],
        ),
        (
            ["fit", "{durations}", "--weights", "weight", "--plot-profile", "{d}/p.png"],
            ["--plot-profile", "unweighted"],
        ),
        (
            [
                "fit",
                "{inspections}",
                "--left",
                "left",
                "--right",
                "right",
                "--plot-profile",
                "{d}/p.png",
            ],
            ["--plot-profile", "censored"],
        ),
        (["describe", "{skewed}", "--column", "nope"], ["nope"]),
    ],
)
def test_bad_plot_requests_fail_cleanly_and_write_nothing(gaussfit, tmp_path, args, fragments):
    pytest.importorskip("matplotlib")
    names = {
        name: DATA / f"{name}.csv" for name in ("skewed", "bimodal", "durations", "inspections")
    }
    names["d"] = tmp_path
    result = gaussfit(*[a.format(**names) for a in args])
    assert_clean_error(result, 2, *fragments)
    assert list(tmp_path.iterdir()) == []


def test_weighted_data_are_drawn_with_their_weights(gaussfit, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "w.png"
    result = gaussfit("fit", DATA / "durations.csv", "--weights", "weight", "-d", "weibull",
                      "--plot", target, "-q")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"\x89PNG")


def test_describe_json_and_graph(gaussfit, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "cf.png"
    result = gaussfit("describe", DATA / "proportions.csv", "--plot", target, "--bootstrap", "30",
                      "--seed", "1", "--json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["n"] == 300 and len(document["bootstrap"]) == 30
    assert {"normal", "beta", "gamma"} <= {locus["family"] for locus in document["loci"]}
    assert target.read_bytes().startswith(b"\x89PNG")


def test_describe_reads_files_as_fit_does(gaussfit, tmp_path):
    semicolons = tmp_path / "eu.csv"
    semicolons.write_text("a;b\n1,5;x\n2,5;y\n4,0;z\n8,25;w\n3,5;v\n", encoding="utf-8")
    result = gaussfit("describe", semicolons, "--sep", ";", "--decimal", ",", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["n"] == 5 and document["max"] == 8.25
