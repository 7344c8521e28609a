"""``compare`` on counts: the discrete families are ranked, continuous ones only on request and
apart; families not tried say which values are at fault and what to do."""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import parse_one_object, write_lines
from jsonschema import Draft202012Validator
from scipy import stats

from gaussfit.distributions import FAMILIES, get_family
from gaussfit.fitting import compare
from gaussfit.report.schema import COMPARE_SCHEMA

VALIDATOR = Draft202012Validator(COMPARE_SCHEMA)
DISCRETE = [name for name in FAMILIES if get_family(name).discrete]
# The discrete families a plain `compare --dists all` fits on counts with zeros: not those that
# need their number of trials given (binomial, betabinom), nor the log-series (counts from 1).
GIVEN_N = [n for n in DISCRETE if any(p.given for p in get_family(n).parameters)]
FROM_ZERO = [n for n in DISCRETE if n not in GIVEN_N and get_family(n).support.lower == 0]
CONTINUOUS = [name for name in FAMILIES if not get_family(name).discrete]
POSITIVE = [n for n in CONTINUOUS if get_family(n).support.describe() == "(0, inf)"]


@pytest.fixture
def counts(tmp_path):
    """120 negative binomial counts, exactly three of them 0."""
    x = np.random.default_rng(5).negative_binomial(6, 0.35, size=400)
    x = np.concatenate([[0, 0, 0], x[x > 0][:117]])
    return write_lines(tmp_path / "counts.csv", "x", *map(str, x)), x.astype(float)


def test_all_on_counts_ranks_only_the_discrete_families(gaussfit, counts):
    path, x = counts
    result = gaussfit("compare", path, "--json")
    assert result.exit_code == 0, result.stderr
    document = parse_one_object(result.stdout)
    VALIDATOR.validate(document)
    assert sorted(f["distribution"] for f in document["ranking"]) == sorted(FROM_ZERO)
    assert document["apart"] == []
    poisson = next(f for f in document["ranking"] if f["distribution"] == "poisson")
    # scipy's log-likelihood at the closed-form estimate (the mean)
    assert poisson["loglik"] == pytest.approx(stats.poisson.logpmf(x, x.mean()).sum(), rel=1e-10)
    skipped = {s["distribution"]: s["reason"] for s in document["skipped"]}
    for name in ("lognormal", "gamma", "weibull", "exponential"):
        assert skipped[name].startswith("3 values are 0, outside the support (0, inf); drop them")
        assert "shift the data" in skipped[name] and "threshold" in skipped[name]
    for name in ("normal", "gumbel", "student_t"):
        assert "--continuous" in skipped[name]


def test_the_table_says_which_values_and_what_to_do(gaussfit, counts):
    result = gaussfit("compare", counts[0], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    text = result.stdout
    positive = ", ".join(POSITIVE)
    assert (
        f"not tried: {positive}: 3 values are 0, outside the support "
        "(0, inf); drop them, shift the data (x + c), or use a family with a threshold such "
        "as lognormal3, weibull3 or gamma3" in " ".join(text.split())
    )
    ranked = text.split("Families ranked by AIC", 1)[1].split("not tried", 1)[0]
    assert "gumbel" not in ranked and "normal " not in ranked


def test_continuous_families_come_apart_and_marked(gaussfit, counts):
    result = gaussfit("compare", counts[0], "--continuous", "--json")
    document = parse_one_object(result.stdout)
    VALIDATOR.validate(document)
    assert sorted(f["distribution"] for f in document["ranking"]) == sorted(FROM_ZERO)
    apart = [f["distribution"] for f in document["apart"]]
    assert set(apart) <= set(CONTINUOUS) and "gumbel" in apart
    assert document["apart"][0]["delta_aic"] == 0.0  # ranked among themselves only
    assert sum(f["akaike_weight"] for f in document["apart"]) == pytest.approx(1.0)
    assert sum(f["akaike_weight"] for f in document["ranking"]) == pytest.approx(1.0)
    table = gaussfit("compare", counts[0], "--continuous", env={"COLUMNS": "300"}).stdout
    assert "Continuous families, apart: the data are counts" in " ".join(table.split())
    assert table.index("negative_binomial") < table.index("Continuous families, apart")
    assert table.index("Continuous families, apart") < table.index("gumbel")


def test_named_continuous_families_on_counts_are_apart_too(gaussfit, counts):
    document = parse_one_object(
        gaussfit("compare", counts[0], "-d", "poisson,gumbel,normal", "--json").stdout
    )
    assert [f["distribution"] for f in document["ranking"]] == ["poisson"]
    assert sorted(f["distribution"] for f in document["apart"]) == ["gumbel", "normal"]


def test_named_families_outside_their_support_say_which_values(gaussfit, counts):
    document = parse_one_object(
        gaussfit("compare", counts[0], "-d", "gamma,poisson", "--json").stdout
    )
    assert document["failed"] == [
        {
            "distribution": "gamma",
            "error": "3 values are 0, outside the support (0, inf); drop them, shift the data "
            "(x + c), or use a family with a threshold such as lognormal3, weibull3 or gamma3",
        }
    ]


def test_one_value_is_not_one_value_are(gaussfit, tmp_path):
    path = write_lines(tmp_path / "one.csv", "x", "0", "1.5", "2.5", "3.5", "4.5", "2.2")
    document = parse_one_object(gaussfit("compare", path, "-d", "gamma,normal", "--json").stdout)
    assert document["failed"][0]["error"].startswith("1 value is 0, outside the support")
    assert "drop it," in document["failed"][0]["error"]


def test_compare_reports_which_family_of_how_many_it_fits():
    x = np.random.default_rng(1).gamma(2.0, 3.0, size=200)
    seen = []
    compare(x, "gamma,weibull,lognormal", on_family=lambda i, n, name: seen.append((i, n, name)))
    assert seen == [(1, 3, "gamma"), (2, 3, "weibull"), (3, 3, "lognormal")]


def test_the_status_line_names_the_family_and_the_count():
    from gaussfit.cli.progress import StatusLine

    class Status:
        text = ""

        def update(self, text: str) -> None:
            self.text = text

    line = StatusLine(Status(), "comparing families")
    line.on_family(3, 11, "gamma")
    assert line.status.text == "fitting gamma (3 of 11)"
