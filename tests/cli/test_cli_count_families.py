"""The count families added beside poisson, negative_binomial and geometric, from the command
line: the binomial's given number of trials (``--fix n=20``), the zero-inflated families
winning ``compare --dists all`` on over-dispersed counts with excess zeros, and their entries
in ``dists --json``. References: scipy's logpmf and the closed form p = mean / n."""

from __future__ import annotations

import numpy as np
import pytest
from cli_helpers import assert_clean_error, parse_one_object, write_lines
from jsonschema import Draft202012Validator
from scipy import stats

from gaussfit.report.schema import COMPARE_SCHEMA


@pytest.fixture
def binomial_counts(tmp_path):
    """300 successes out of 20 trials each, p = 0.3."""
    x = np.random.default_rng(31).binomial(20, 0.3, size=300)
    return write_lines(tmp_path / "trials.csv", "successes", *map(str, x)), x.astype(float)


@pytest.fixture
def visits(tmp_path):
    """Doctor-visit-like counts: 35% of people never go (structural zeros), the others make
    over-dispersed visits (negative binomial n = 1.5, p = 0.3)."""
    rng = np.random.default_rng(7)
    x = np.where(rng.uniform(size=1500) < 0.35, 0, rng.negative_binomial(1.5, 0.3, size=1500))
    return write_lines(tmp_path / "visits.csv", "visits", *map(str, x)), x.astype(float)


def test_binomial_with_fix_n_has_the_closed_form_and_scipys_likelihood(gaussfit, binomial_counts):
    path, x = binomial_counts
    result = gaussfit("fit", path, "--dist", "binomial", "--fix", "n=20", "--json")
    assert result.exit_code == 0, result.stderr
    document = parse_one_object(result.stdout)
    assert document["params"]["n"] == 20
    assert document["fixed"] == {"n": 20}
    assert document["params"]["p"] == pytest.approx(np.mean(x) / 20, rel=1e-10)
    expected = np.sum(stats.binom.logpmf(x, 20, np.mean(x) / 20))
    assert document["loglik"] == pytest.approx(expected, rel=1e-12)
    assert document["stderr"]["n"] is None
    p = np.mean(x) / 20  # the binomial's Fisher information: N n / (p (1 - p))
    assert document["stderr"]["p"] == pytest.approx(np.sqrt(p * (1 - p) / (20 * len(x))), rel=1e-6)


def test_binomial_without_n_says_how_to_give_it(gaussfit, binomial_counts):
    result = gaussfit("fit", binomial_counts[0], "--dist", "binom")
    assert_clean_error(result, 2, "binomial: the number of trials n is given", "--fix n=N")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("20.5", "n=20.5 is outside the domain of n (a whole number ≥ 1)"), ("0", "n=0 is outside")],
)
def test_binomial_n_must_be_a_whole_number(gaussfit, binomial_counts, value, fragment):
    result = gaussfit("fit", binomial_counts[0], "--dist", "binomial", "--fix", f"n={value}")
    assert_clean_error(result, 2, "--fix", fragment)


def test_counts_above_n_name_their_line(gaussfit, tmp_path):
    path = write_lines(tmp_path / "few.csv", "x", "3", "4", "9", "1")
    result = gaussfit("fit", path, "--dist", "betabinom", "--fix", "n=8")
    assert_clean_error(result, 2, "few.csv:4", "value 9", "betabinom (integers 0 to 8)")


@pytest.mark.slow
def test_compare_all_ranks_the_zero_inflated_negative_binomial_first(gaussfit, visits):
    path, x = visits
    result = gaussfit("compare", path, "--dists", "all", "--json")
    assert result.exit_code == 0, result.stderr
    document = parse_one_object(result.stdout)
    Draft202012Validator(COMPARE_SCHEMA).validate(document)
    order = [f["distribution"] for f in document["ranking"]]
    assert order[0] == "zinb"
    assert order.index("zip") < order.index("poisson")
    skipped = {s["distribution"]: s["reason"] for s in document["skipped"]}
    for name in ("binomial", "betabinom"):
        assert skipped[name].startswith("the number of trials n is given, not estimated")
        assert "--fix n=N" in skipped[name]
    zeros = int(np.sum(x == 0))
    assert skipped["logser"].startswith(f"{zeros} values are 0, outside the support integers ≥ 1")
    zip_fit = next(f for f in document["ranking"] if f["distribution"] == "zip")
    # The zero-inflated Poisson's score equations: the rate is the zero-truncated Poisson MLE
    # of the positive counts, and pi makes P(0) the observed share of zeros.
    rate = zip_fit["params"]["rate"]
    assert rate / -np.expm1(-rate) == pytest.approx(np.mean(x[x > 0]), rel=1e-8)
    p0 = zip_fit["params"]["pi"] + (1 - zip_fit["params"]["pi"]) * np.exp(-rate)
    assert p0 == pytest.approx(zeros / len(x), rel=1e-8)


@pytest.mark.slow
def test_compare_gives_n_only_to_the_families_that_take_it(gaussfit, visits):
    path, x = visits
    result = gaussfit("compare", path, "--dists", "all", "--fix", "n=30", "--json")
    assert result.exit_code == 0, result.stderr
    fits = {f["distribution"]: f for f in parse_one_object(result.stdout)["ranking"]}
    assert fits["binomial"]["params"] == pytest.approx({"n": 30, "p": np.mean(x) / 30})
    assert fits["betabinom"]["params"]["n"] == 30 and fits["betabinom"]["fixed"] == {"n": 30}
    assert fits["negative_binomial"]["fixed"] == {}
    assert fits["negative_binomial"]["params"]["n"] != pytest.approx(30, rel=0.5)


def test_dists_json_describes_the_count_families(gaussfit_json):
    families = {f["name"]: f for f in gaussfit_json("dists")["families"]}
    binomial = families["binomial"]
    assert binomial["parameters"][0] == {
        "name": "n",
        "domain": "integer ≥ 1",
        "given": True,
        "description": "number of trials (given: --fix n=N)",
    }
    assert binomial["scipy"] == {
        "name": "binom",
        "shapes": {"n": "n", "p": "p"},
        "loc": "0",
        "scale": None,
    }
    assert families["betabinom"]["scipy"]["name"] == "betabinom"
    assert families["logser"]["support"] == "integers ≥ 1"
    for name in ("zip", "zinb"):
        assert families[name]["scipy"] is None
        assert families[name]["discrete"] is True
