"""``fit`` and ``compare`` options for valid goodness of fit, derived quantities, profile
intervals and the parametric bootstrap."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import assert_clean_error, parse_one_object, write_lines
from jsonschema import Draft202012Validator
from scipy import stats

from gaussfit.report.schema import COMPARE_SCHEMA, FIT_SCHEMA


@pytest.fixture
def positive_csv(tmp_path: Path) -> Path:
    x = np.random.default_rng(12).exponential(3.0, 80)
    return write_lines(tmp_path / "positive.csv", "x", *(repr(v) for v in x.tolist()))


def test_fit_json_holds_valid_pvalues_quantiles_and_profile_intervals(gaussfit, positive_csv):
    result = gaussfit(
        "fit", positive_csv, "--dist", "exponential", "--json", "--gof-bootstrap", "99",
        "--seed", "3", "--quantiles", "0.1,0.9", "--prob-above", "5", "--ci", "profile",
        "--bootstrap", "50",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = parse_one_object(result.stdout)
    Draft202012Validator(FIT_SCHEMA).validate(document)
    boot = document["gof"]["bootstrap"]
    assert boot["resamples"] == 99
    for statistic in ("ks", "cvm", "ad"):
        p = boot[f"{statistic}_pvalue"]
        assert boot[f"{statistic}_pvalue_se"] == pytest.approx(math.sqrt(p * (1 - p) / 99))
    x = np.loadtxt(positive_csv, skiprows=1)
    rate = 1.0 / np.mean(x)
    methods = [(q["p"], q["method"]) for q in document["quantiles"]]
    assert methods == [
        (0.1, "delta"), (0.1, "profile"), (0.1, "bootstrap"),
        (0.9, "delta"), (0.9, "profile"), (0.9, "bootstrap"),
    ]  # fmt: skip
    assert document["quantiles"][3]["value"] == pytest.approx(math.log(10.0) / rate)
    assert document["prob_above"][0]["value"] == pytest.approx(math.exp(-5.0 * rate))
    low, high = document["profile_ci95"]["rate"]
    n = len(x)
    for end in (low, high):  # the deviance equals the chi-square point at both ends
        deviance = 2 * n * (end / rate - 1 - math.log(end / rate))
        assert deviance == pytest.approx(stats.chi2.ppf(0.95, 1), rel=1e-8)
    # The 90% quantile's profile interval is the rate's, transformed (q = log 10 / rate).
    assert document["quantiles"][4]["ci95"] == pytest.approx(
        [math.log(10.0) / high, math.log(10.0) / low], rel=1e-7
    )
    assert document["prob_above"][1]["method"] == "profile"
    assert document["prob_above"][1]["ci95"] == pytest.approx(
        [math.exp(-5.0 * high), math.exp(-5.0 * low)], rel=1e-7
    )


def test_fit_screen_says_pvalues_are_nominal_and_shows_the_valid_ones(gaussfit, positive_csv):
    plain = gaussfit("fit", positive_csv, "--dist", "gamma")
    assert "nominal p-values" in plain.stdout and "valid ones: --gof-bootstrap B" in plain.stdout
    valid = gaussfit("fit", positive_csv, "--dist", "gamma", "--gof-bootstrap", "50", "--seed", "1")
    assert valid.exit_code == 0
    assert "valid p-values" in valid.stdout and "50 parametric-bootstrap refits" in valid.stdout
    shown = gaussfit(
        "fit", positive_csv, "--dist", "gamma", "--quantiles", "0.5", "--ci", "profile",
        "--bootstrap", "30", "--parametric", "--seed", "1",
    )  # fmt: skip
    assert shown.exit_code == 0, shown.stderr
    for text in ("Derived quantities", "95% CI (profile likelihood)",
                 "30 parametric resamples"):  # fmt: skip
        assert text in shown.stdout
    # the three intervals, side by side or (on a narrow screen) one method a row
    derived = shown.stdout[shown.stdout.index("Derived quantities") :]
    for method in ("delta", "profile", "bootstrap"):
        assert method in derived


def test_three_intervals_that_do_not_fit_the_screen_are_stacked(positive_csv):
    # At 70 columns the delta, profile and bootstrap intervals side by side would wrap each
    # cell; they are listed one method a row instead, each interval whole.
    import gaussfit as api
    from gaussfit.report.screen import fit_text

    x = np.loadtxt(positive_csv, skiprows=1)
    result = api.fit(
        x, "gamma", quantiles=[0.5], prob_above=[5.0], ci="profile", bootstrap=30, seed=1
    )
    narrow, wide = fit_text(result, width=70), fit_text(result, width=140)
    assert "95% CI (profile)" in wide and "95% CI (profile)" not in narrow
    block = narrow[narrow.index("Derived quantities") :].splitlines()
    methods = [line.split()[-3] for line in block if line.rstrip().endswith("]")]
    assert methods == ["delta", "profile", "bootstrap"] * 2
    for row in result.quantiles + result.prob_above:
        text = f"[{row['ci95'][0]:.5g}, {row['ci95'][1]:.5g}]"
        assert text in narrow and text in wide


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--quantiles", "0.5,1.2"], "strictly between 0 and 1"),
        (["--quantiles", "0.5,,"], "is not a finite number"),
        (["--gof-bootstrap", "1"], "at least 2"),
        (["--gof-bootstrap", "lots"], "neither a whole number nor 'auto'"),
        (["--parametric"], "give --bootstrap B"),
        (["--prob-above", "inf"], "is not a finite number"),
        (["--dist", "laplace", "--quantiles", "0.5", "--ci", "bogus"], "bogus"),
    ],
)
def test_bad_requests_are_one_line_errors(gaussfit, positive_csv, args, fragment):
    assert_clean_error(gaussfit("fit", positive_csv, *args), 2, fragment)


def test_compare_reports_bootstrap_wins_and_valid_pvalues(gaussfit, positive_csv):
    result = gaussfit(
        "compare", positive_csv, "--dists", "exponential,gamma,lognormal", "--json",
        "--bootstrap", "40", "--gof-bootstrap", "40", "--seed", "5",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = parse_one_object(result.stdout)
    Draft202012Validator(COMPARE_SCHEMA).validate(document)
    wins = document["bootstrap"]["wins"]
    assert set(wins) == {"exponential", "gamma", "lognormal"}
    assert sum(wins.values()) == pytest.approx(1.0 - document["bootstrap"]["undecided"] / 40)
    for fit in document["ranking"]:
        assert fit["gof"]["bootstrap"]["resamples"] == 40
    screen = gaussfit("compare", positive_csv, "--dists", "exponential,gamma", "--bootstrap", "20")
    assert "wins" in screen.stdout and "AD p (boot)" not in screen.stdout
