"""Every bad input ends in one line ``Error: ...`` on stderr, a fixed exit code, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import assert_clean_error, write_lines

FILES = {
    "empty.csv": "",
    "header.csv": "x\n",
    "two.csv": "x,y\n1.5,2\n2.5,3\n3.5,1\n",
    "one.csv": "x\n1.5\n",
    "negative.csv": "x\n1\n-2\n3\n",
    "constant.csv": "x\n3\n3\n3\n3\n",
    "text.csv": "x\n1\n2\nabc\n4\n",
}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "garbage.csv").write_bytes(bytes(range(256)) * 4)
    return tmp_path


CASES = [
    # (arguments, exit code, fragments of the message); {d} is the folder of the files above
    (["fit", "{d}/nope.csv"], 2, ["nope.csv", "no such file"]),
    (["fit", "{d}/empty.csv"], 2, ["empty.csv", "empty file"]),
    (["fit", "{d}/header.csv"], 2, ["header.csv", "no data rows"]),
    (["fit", "{d}/two.csv", "-c", "z"], 2, ["unknown column 'z'", "'x', 'y'"]),
    (["fit", "{d}/two.csv", "-c", "7"], 2, ["column index 7 is out of range"]),
    (["fit", "{d}/garbage.csv"], 2, ["garbage.csv", "not a text file"]),
    (["fit", "{d}/one.csv"], 2, ["too few", "at least 3"]),
    (
        ["fit", "{d}/negative.csv", "-d", "gamma"],
        2,
        ["negative.csv:3: column 'x': value -2 is", "support of gamma"],
    ),
    (["fit", "{d}/constant.csv"], 2, ["all 4 values are equal (3)"]),
    (["fit", "{d}/text.csv"], 2, ["text.csv:4", "'abc'"]),
    (["fit", "{d}/two.csv", "-d", "gama"], 2, ["unknown family 'gama'", "did you mean gamma?"]),
    (["fit", "{d}/two.csv", "--init", "mux=1"], 2, ["--init", "no parameter 'mux'", "mu?"]),
    (["fit", "{d}/two.csv", "--fix", "sd=1"], 2, ["--fix", "no parameter 'sd'", "mu, sigma"]),
    (["fit", "{d}/two.csv", "--fix", "sigma=-1"], 2, ["--fix", "sigma=-1", "> 0"]),
    (["fit", "{d}/two.csv", "--init", "mu"], 2, ["--init", "'mu' is not NAME=VALUE"]),
    (["fit", "{d}/two.csv", "--init", "mu=abc"], 2, ["--init", "'abc' is not a number"]),
    (["fit", "{d}/two.csv", "--init", "mu=1,,sigma=2"], 2, ["--init", "empty item"]),
    (["fit", "{d}/two.csv", "--init", "mu=1,mu=2"], 2, ["--init", "mu is given twice"]),
    (["fit", "{d}/two.csv", "--iters", "0"], 2, ["--iters", "0 is not in the range"]),
    (["fit", "{d}/two.csv", "--lr", "-1"], 2, ["--lr", "greater than 0, got -1"]),
    (["fit", "{d}/two.csv", "--lr", "inf"], 2, ["--lr", "not a finite number"]),
    (["fit", "{d}/two.csv", "--tol", "-1e-3"], 2, ["--tol", "at least 0"]),
    (["fit", "{d}/two.csv", "--bootstrap", "1"], 2, ["--bootstrap", "1 is not in the range"]),
    (["fit", "{d}/two.csv", "--every", "0"], 2, ["--every"]),
    (["fit", "{d}/two.csv", "--optimizer", "sgd"], 2, ["--optimizer", "'sgd'"]),
    (["fit", "{d}/two.csv", "-d", "gamma", "--k", "3"], 2, ["--k", "gamma takes no k"]),
    (["fit", "{d}/two.csv", "--output", "{d}/out.txt"], 2, ["--output", ".json or .csv"]),
    (["fit", "{d}/two.csv", "--plot", "{d}/out.jpg"], 2, ["--plot", ".png"]),
    (["simulate", "--n", "0"], 2, ["--n", "0 is not in the range"]),
    (["simulate", "--n", "5", "--param", "sigma=-1"], 2, ["--param", "sigma=-1"]),
    (["simulate", "--n", "5", "--param", "s=1"], 2, ["--param", "no parameter 's'"]),
    (["simulate", "--n", "5", "--json"], 2, ["--json applies to --fit"]),
    (["compare", "{d}/two.csv", "--dists", "normal,gama"], 2, ["unknown family 'gama'"]),
    (["compare", "{d}/two.csv", "--time-budget", "0"], 2, ["--time-budget"]),
]


@pytest.mark.parametrize(
    ("args", "code", "fragments"), CASES, ids=[" ".join(args) for args, _, _ in CASES]
)
def test_bad_input_is_one_clean_line(gaussfit, files, args, code, fragments):
    result = gaussfit(*(a.format(d=files) for a in args))
    assert_clean_error(result, code, *fragments)


def test_a_diverging_gradient_descent_exits_1_with_advice(gaussfit, lab_csv):
    result = gaussfit("fit", lab_csv, "--optimizer", "gd", "--lr", "0.5", "--init", "mu=1,sigma=1")
    assert_clean_error(result, 1, "at iteration", "lower the learning rate (--lr, now 0.5)")


def test_bad_json_mode_input_still_prints_nothing_on_stdout(gaussfit, files):
    result = gaussfit("fit", files / "empty.csv", "--json")
    assert_clean_error(result, 2, "empty file")


def test_values_outside_the_support_name_the_first_one(gaussfit, tmp_path):
    """The file line of the first value outside the support, not its position among the values
    (the header, a comment and a blank line lie between)."""
    path = write_lines(tmp_path / "mixed.csv", "x", "0.5", "# c", "", "0.25", "1.5", "2.5")
    message = f"{path}:6: column 'x': value 1.5 is outside the support of beta"
    assert_clean_error(gaussfit("fit", path, "-d", "beta"), 2, message)
