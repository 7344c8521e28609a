"""``gaussfit fit --logpdf/--params/--support``, ``--family-module`` and the batch keys, from
the command line: the fits agree with independent references, and every mistake is one line
naming the option (or file, line, key) at fault, exit code 2, nothing printed on stdout."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import parse_one_object
from scipy import optimize, stats

WEIBULL = "log(k) - log(lam) + (k-1)*log(x/lam) - (x/lam)**k"
GOMPERTZ_MODULE = '''
    """A Gompertz law (scipy.stats.gompertz(c, scale=s)), declared by its log-density only."""

    import gaussfit.engine as tf
    from gaussfit import Family, Parameter, Support
    from gaussfit.distributions.constraints import POSITIVE


    class Gompertz(Family):
        name = "gompertz"
        params = (Parameter("c", POSITIVE), Parameter("s", POSITIVE))
        support = Support(lower=0.0)

        def log_prob(self, x, p):
            z = x / p["s"]
            return tf.log(p["c"]) - tf.log(p["s"]) + z - p["c"] * tf.expm1(z)
'''


def write_column(path: Path, name: str, values: np.ndarray) -> Path:
    path.write_text(name + "\n" + "\n".join(f"{v:.10g}" for v in values) + "\n")
    return path


@pytest.fixture
def lifetimes(tmp_path: Path) -> Path:
    x = stats.weibull_min(1.7, scale=2.5).rvs(300, random_state=np.random.default_rng(3))
    return write_column(tmp_path / "lifetimes.csv", "t", x)


def fails_cleanly(result, *words: str) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    for word in words:
        assert word in line
    assert "Traceback" not in result.stderr
    return line


def test_a_logpdf_fit_equals_the_builtin_weibull(gaussfit_json, lifetimes: Path) -> None:
    own = gaussfit_json(
        "fit", lifetimes, "--logpdf", WEIBULL, "--params", "k>0,lam>0", "--support", ">0"
    )
    builtin = gaussfit_json("fit", lifetimes, "--dist", "weibull")
    assert own["distribution"] == "logpdf"
    # The exact MLE: k solves sum x^k log x / sum x^k - 1/k = mean log x, lam^k = mean x^k.
    x = np.loadtxt(lifetimes, skiprows=1)
    log_x = np.log(x)
    k = optimize.brentq(
        lambda k: np.sum(x**k * log_x) / np.sum(x**k) - 1 / k - np.mean(log_x), 0.5, 5, xtol=1e-14
    )
    assert own["params"]["k"] == pytest.approx(k, rel=1e-7)
    assert own["params"]["lam"] == pytest.approx(np.mean(x**k) ** (1 / k), rel=1e-7)
    # The built-in family stops sooner (its gradient test is looser): equal to 1e-5.
    assert own["params"]["k"] == pytest.approx(builtin["params"]["shape"], rel=1e-5)
    assert own["stderr"]["lam"] == pytest.approx(builtin["stderr"]["scale"], rel=1e-5)
    assert own["loglik"] == pytest.approx(builtin["loglik"], rel=1e-12)


def test_init_and_fix_reach_the_user_family(gaussfit_json, tmp_path: Path) -> None:
    x = stats.binom(20, 0.3).rvs(200, random_state=np.random.default_rng(4))
    counts = write_column(tmp_path / "counts.csv", "k", x)
    binomial = "lgamma(n+1) - lgamma(x+1) - lgamma(n-x+1) + x*log(p) + (n-x)*log1p(-p)"
    fitted = gaussfit_json(
        "fit", counts, "--logpdf", binomial, "--params", "n>=0 integer, p(0,1)",
        "--support", "integers>=0", "--fix", "n=20", "--init", "p=0.5",
    )  # fmt: skip
    assert fitted["params"]["n"] == 20
    assert fitted["params"]["p"] == pytest.approx(np.mean(x) / 20, rel=1e-6)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--logpdf", "log(k) - lamda*x", "--params", "k>0"], ["--logpdf at column 10", "lamda"]),
        (
            ["--logpdf", "__import__('os').system('x')", "--params", "k>0"],
            ["--logpdf at column 1", "unknown function '__import__'"],
        ),
        (["--logpdf", "x.real + k", "--params", "k>0"], ["--logpdf at column 2", "attribute"]),
        (["--logpdf", "log(k*x", "--params", "k>0"], ["--logpdf at column 8", "')'"]),
        (["--logpdf", "k*x", "--params", "k>0,j real"], ["--params", "j declared but not used"]),
        (["--logpdf", "k*x", "--params", "k=>0"], ["--params: k", "unknown domain"]),
        (["--logpdf", "k*x"], ["--logpdf needs --params"]),
        (["--params", "k>0"], ["--params", "give --logpdf"]),
        (["--logpdf", "k*x", "--params", "k>0", "--dist", "gamma"], ["--dist and --logpdf"]),
        (
            ["--logpdf", "k*x", "--params", "k>0", "--support", "integers"],
            ["--support", "integers>=N"],
        ),
        (["--logpdf", "k*x", "--params", "k>0", "--init", "j=1"], ["--init", "no parameter 'j'"]),
        (["--logpdf", "k*x", "--params", "k>0", "--init", "k=-1"], ["--init", "k=-1"]),
        (["--logpdf", "n*k*x", "--params", "k>0,n>=0 integer"], ["n is an integer parameter"]),
        (
            ["--logpdf", "-k*x + log(k)", "--params", "k>0", "--bootstrap", "10", "--parametric"],
            ["no sampler"],
        ),
    ],
)
def test_mistakes_are_one_line_naming_the_option(gaussfit, lifetimes: Path, args, words) -> None:  # type: ignore[no-untyped-def]
    fails_cleanly(gaussfit("fit", lifetimes, *args), *words)


def test_data_outside_the_support_names_the_file_line(gaussfit, tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("x\n0.5\n0.2\n1.5\n0.3\n")
    line = fails_cleanly(
        gaussfit(
            "fit",
            data,
            "--logpdf",
            "log(a) + (a-1)*log(x)",
            "--params",
            "a>0",
            "--support",
            "(0,1)",
        ),
        "outside the support",
    )
    assert f"{data}:4" in line


def test_a_family_module_fits_like_scipy_optimize(gaussfit_json, tmp_path: Path) -> None:
    module = tmp_path / "gompertz.py"
    module.write_text(textwrap.dedent(GOMPERTZ_MODULE))
    x = stats.gompertz(0.8, scale=3.0).rvs(400, random_state=np.random.default_rng(5))
    ages = write_column(tmp_path / "ages.csv", "age", x)
    fitted = gaussfit_json("fit", ages, "--family-module", f"{module}:Gompertz")
    x = np.loadtxt(ages, skiprows=1)

    def negative(u: np.ndarray) -> float:
        return -float(np.sum(stats.gompertz.logpdf(x, np.exp(u[0]), scale=np.exp(u[1]))))

    best = optimize.minimize(negative, [0.0, 0.0], method="BFGS", options={"gtol": 1e-9})
    assert fitted["distribution"] == "gompertz"
    assert fitted["params"]["c"] == pytest.approx(np.exp(best.x[0]), rel=1e-5)
    assert fitted["params"]["s"] == pytest.approx(np.exp(best.x[1]), rel=1e-5)
    assert fitted["loglik"] == pytest.approx(-best.fun, rel=1e-10)
    ks = stats.kstest(x, stats.gompertz(fitted["params"]["c"], scale=fitted["params"]["s"]).cdf)
    assert fitted["gof"]["ks_statistic"] == pytest.approx(ks.statistic, rel=1e-7)


@pytest.mark.parametrize(
    ("source", "spec", "words"),
    [
        ("x = (1,\n", "Gompertz", ["bad.py, line 1", "SyntaxError"]),
        ("import math\n\nvalue = math.log(-1)\n", "Gompertz", ["bad.py, line 3", "ValueError"]),
        (textwrap.dedent(GOMPERTZ_MODULE), "Gomperz", ["has no 'Gomperz'", "it defines Gompertz"]),
        (textwrap.dedent(GOMPERTZ_MODULE), "tf", ["bad.py:tf is not a subclass"]),
        (
            "from gaussfit import Family\n\nclass Half(Family):\n    name = 'half'\n",
            "Half",
            ["does not define"],
        ),
    ],
)
def test_family_module_mistakes_are_one_line(
    gaussfit, lifetimes, tmp_path, source, spec, words
) -> None:  # type: ignore[no-untyped-def]
    module = tmp_path / "bad.py"
    module.write_text(source)
    fails_cleanly(gaussfit("fit", lifetimes, "--family-module", f"{module}:{spec}"), *words)


def test_compare_ranks_a_user_family_beside_named_ones(gaussfit_json, lifetimes: Path) -> None:
    ranked = gaussfit_json(
        "compare", lifetimes, "--dists", "weibull,gamma", "--logpdf", WEIBULL,
        "--params", "k>0,lam>0", "--support", ">0",
    )  # fmt: skip
    by_name = {row["distribution"]: row for row in ranked["ranking"]}
    assert set(by_name) == {"weibull", "gamma", "logpdf"}
    assert by_name["logpdf"]["loglik"] == pytest.approx(by_name["weibull"]["loglik"], rel=1e-12)


def test_batch_jobs_take_a_logpdf_and_name_bad_keys(gaussfit, lifetimes: Path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "jobs.yaml"
    config.write_text(
        textwrap.dedent(f"""\
        jobs:
          - name: own
            data: {lifetimes}
            logpdf: "{WEIBULL}"
            params: "k>0,lam>0"
            support: ">0"
            init: {{k: 1.5}}
          - name: named
            data: {lifetimes}
            dist: weibull
        """)
    )
    result = gaussfit("batch", config, "--json")
    assert result.exit_code == 0, result.stderr
    jobs = {job["name"]: job["result"] for job in parse_one_object(result.stdout)["jobs"]}
    assert jobs["own"]["params"]["k"] == pytest.approx(jobs["named"]["params"]["shape"], rel=1e-6)
    config.write_text(
        textwrap.dedent(f"""\
        jobs:
          - data: {lifetimes}
            logpdf: "log(k) - lamda*x"
            params: "k>0"
          - data: {lifetimes}
            logpdf: "k*x"
            params: "k>0"
            dist: gamma
          - data: {lifetimes}
            params: "k>0"
          - data: {lifetimes}
            logpdf: "k*x"
            params: "k>0"
            fix: {{j: 1}}
        """)
    )
    result = gaussfit("batch", config)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert any("jobs[0].logpdf at column 10: unknown name 'lamda'" in line for line in lines)
    assert any(
        "jobs[0]" in line and "declare parameters in jobs[0].params" in line for line in lines
    )
    assert any("jobs[1]: dist and logpdf each give the family" in line for line in lines)
    assert any("jobs[2]: params describe(s) a logpdf" in line for line in lines)
    assert any("jobs[3].fix: logpdf has no parameter 'j'" in line for line in lines)
    assert json.dumps(lines)  # every complaint is text, one per line


def test_logcdf_fits_censored_rows_from_the_command_line(
    gaussfit, gaussfit_json, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    t = stats.weibull_min(1.5, scale=3.0).rvs(200, random_state=rng)
    c = rng.uniform(0.0, 6.0, 200)
    rows = "\n".join(f"{min(a, b):.10g},{int(a <= b)}" for a, b in zip(t, c, strict=True))
    data = tmp_path / "survival.csv"
    data.write_text("t,e\n" + rows + "\n")
    density = ["--logpdf", WEIBULL, "--params", "k>0,lam>0", "--support", ">0"]
    censored = ["fit", data, "-c", "t", "--event", "e"]
    own = gaussfit_json(*censored, *density, "--logcdf", "log1p(-exp(-(x/lam)**k))")
    builtin = gaussfit_json(*censored, "-d", "weibull")
    assert own["loglik"] == pytest.approx(builtin["loglik"], rel=1e-12)
    fails_cleanly(gaussfit(*censored, *density), "no log_sf graph", "censored")
