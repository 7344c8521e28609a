"""The command line's edges: pipes, encodings, widths, file names, flags and suggestions."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from cli_helpers import assert_clean_error, write_lines
from scipy import stats

import gaussfit
from gaussfit.cli.exit_codes import ExitCode


def gaussfit_process(*args: str, env: dict[str, str] | None = None, **kwargs):
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [sys.executable, "-m", "gaussfit", *map(str, args)],
        capture_output=True,
        env={**base, "NO_COLOR": "1", **(env or {})},
        timeout=120,
        check=False,
        **kwargs,
    )


# -- a reader that closes the pipe early ------------------------------------------------------
def test_fit_into_head_ends_quietly_with_the_sigpipe_code(lab_csv):
    command = [sys.executable, "-m", "gaussfit", "fit", str(lab_csv)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.close()  # like `| head -0`: nobody reads the report
        stderr = process.stderr.read()
        code = process.wait(timeout=60)
    assert stderr == b""
    assert code == ExitCode.BROKEN_PIPE == 141  # not 1, which means "the fit diverged"


# -- output that degrades on an ASCII-only terminal -------------------------------------------
C_LOCALE = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
ASCII = {"PYTHONIOENCODING": "ascii"}


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("fit", "LAB"), C_LOCALE),
        (("dists",), C_LOCALE),
        (("compare", "LAB", "-d", "normal,gamma"), ASCII),
        (("fit", "--help"), ASCII),
    ],
)
def test_an_ascii_only_terminal_gets_ascii(args, env, lab_csv):
    args = [str(lab_csv) if a == "LAB" else a for a in args]
    done = gaussfit_process(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    text = done.stdout.decode("ascii")  # every byte is ASCII
    assert "?" not in text  # every symbol has an ASCII spelling


def test_ascii_spells_the_symbols(lab_csv):
    done = gaussfit_process("fit", lab_csv, env={"PYTHONIOENCODING": "ascii", "COLUMNS": "120"})
    text = done.stdout.decode("ascii")
    assert "CvM W^2 = 0.15" in text and "?" not in text


def test_json_on_an_ascii_terminal_escapes_and_reads_back(counts_csv):
    done = gaussfit_process("compare", counts_csv, "--json", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout.decode("ascii"))
    assert any("≥" in s["reason"] for s in document["skipped"])  # beta: values ≥ 1


@pytest.fixture
def counts_csv(tmp_path):
    x = np.random.default_rng(2).poisson(4.0, size=60) + 1
    return write_lines(tmp_path / "counts.csv", "x", *map(str, x))


# -- piped output: 80 columns (or COLUMNS), no trailing spaces --------------------------------
def test_piped_output_is_80_columns_without_trailing_spaces(lab_csv):
    """A real pipe, no COLUMNS: 80 columns, as other command-line tools."""
    text = gaussfit_process("compare", lab_csv, "-d", "normal,gamma,t").stdout.decode()
    lines = text.splitlines()
    assert len(lines) > 5 and max(map(len, lines)) <= 80
    assert [line for line in lines if line != line.rstrip()] == []


@pytest.mark.parametrize("columns", [None, "100", "200"])
def test_output_fits_the_width_and_has_no_trailing_spaces(gaussfit, lab_csv, columns):
    counts = lab_csv.parent.parent / "data" / "counts.csv"
    runs = [("fit", lab_csv), ("dists",), ("compare", lab_csv, "-d", "normal,gamma,t")]
    runs += [("compare", counts)] if counts.exists() and columns is None else []
    for args in runs:
        text = gaussfit(*args, env={"COLUMNS": columns}).stdout
        lines = text.splitlines()
        assert lines, args
        assert max(map(len, lines)) <= int(columns or 80), args
        assert [line for line in lines if line != line.rstrip()] == []


def test_a_narrow_results_table_says_what_it_left_out(gaussfit, lab_csv):
    narrow = gaussfit("fit", lab_csv, env={"COLUMNS": "80"}).stdout
    wide = gaussfit("fit", lab_csv, env={"COLUMNS": "120"}).stdout
    header = next(line for line in narrow.splitlines() if "parameter" in line)
    assert "max |diff|" in wide and "max |diff|" not in header
    assert "(max |diff| left out to fit the width; set COLUMNS wider to see them)" in narrow


def test_compare_estimates_never_wrap_at_120_columns(gaussfit, tmp_path):
    x = np.random.default_rng(3).gamma(2.0, 3.0, size=300)
    path = write_lines(tmp_path / "x.csv", "x", *map(repr, x.tolist()))
    for dists in ("gamma,weibull,lognormal", "gamma,normal_mixture,student_t"):
        text = gaussfit("compare", path, "-d", dists, env={"COLUMNS": "120"}).stdout
        table = text.split("──\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert len(table) == 3, text  # one line per family
        assert all(line.split()[0].isdigit() for line in table)
        assert max(map(len, text.splitlines())) <= 120
        for name in dists.split(","):
            line = next(li for li in text.splitlines() if name in li and "=" in li)
            assert line.count("=") == {"normal_mixture": 6, "student_t": 3}.get(name, 2)


# -- flags every command shares ----------------------------------------------------------------
def test_scipy_and_gof_flags(gaussfit_json, lab_csv):
    plain = gaussfit_json("fit", lab_csv, "--scipy")
    skipped = gaussfit_json("fit", lab_csv, "--no-scipy", "--no-gof")
    assert plain["reference"]["scipy"] is not None and plain["gof"]["ks_statistic"] > 0
    assert gaussfit_json("fit", lab_csv)["reference"]["scipy"] is None  # off by default
    assert skipped["reference"]["scipy"] is None and skipped["gof"] == {}
    assert skipped["params"] == plain["params"]
    mu, sigma = stats.norm.fit(np.loadtxt(lab_csv, skiprows=1))
    forced = gaussfit_json("fit", lab_csv, "--scipy")["reference"]["scipy"]["params"]
    assert forced == pytest.approx({"mu": mu, "sigma": sigma}, rel=1e-12)


def test_the_scipy_note_names_the_flag(gaussfit_json, tmp_path):
    x = np.random.default_rng(0).normal(3.0, 2.0, size=200_001)
    np.save(tmp_path / "big.npy", x)
    result = gaussfit.fit(x, "normal", gof=False)  # Python's default: scipy up to 200,000
    note = next(n for n in result.notes if "scipy's fit skipped" in n)
    assert "--scipy" in note and "references=True" in note
    assert not any("scipy" in n for n in gaussfit_json("fit", tmp_path / "big.npy")["notes"])
    forced = gaussfit_json("fit", tmp_path / "big.npy", "--scipy", "--no-gof")
    assert forced["reference"]["scipy"]["params"]["mu"] == pytest.approx(np.mean(x), rel=1e-12)


def test_fit_has_a_time_budget(gaussfit_json, lab_csv):
    document = gaussfit_json(
        "fit",
        lab_csv,
        "--optimizer",
        "gd",
        "--init",
        "mu=1",
        "--tol",
        "0",
        "--iters",
        "100000000",
        "--time-budget",
        "0.3",
    )
    assert document["converged"] is False and document["stopped"] == "time_budget"


def test_compare_has_the_shared_options(gaussfit, lab_csv, tmp_path):
    target = tmp_path / "ranking.json"
    result = gaussfit(
        "compare",
        lab_csv,
        "-d",
        "normal,gamma",
        "--no-scipy",
        "--seed",
        "3",
        "--bootstrap",
        "20",
        "-q",
        "--output",
        target,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {target}\n"
    assert result.stdout.startswith("Families ranked by AIC")
    assert "data" not in result.stdout.split("\n")[0]
    document = json.loads(target.read_text())
    assert [f["reference"]["scipy"] for f in document["ranking"]] == [None, None]
    assert document["bootstrap"]["resamples"] == 20  # how often each family wins
    again = json.loads(
        gaussfit(
            "compare",
            lab_csv,
            "-d",
            "normal,gamma",
            "--no-scipy",
            "--seed",
            "3",
            "--bootstrap",
            "20",
            "--json",
        ).stdout
    )
    assert again["bootstrap"]["wins"] == document["bootstrap"]["wins"]  # --seed repeats it


def test_compare_writes_csv_too(gaussfit, lab_csv, tmp_path):
    target = tmp_path / "ranking.csv"
    assert gaussfit("compare", lab_csv, "-d", "normal,gamma", "-o", target).exit_code == 0
    lines = target.read_text().splitlines()
    assert lines[0].startswith("table,rank,delta_aic,akaike_weight,parameter,estimate")
    assert len(lines) == 1 + 4  # two families, two parameters each


def test_simulate_has_a_default_n_and_the_fit_options(gaussfit, gaussfit_json):
    draws = gaussfit("simulate", "--seed", "1").stdout.splitlines()
    assert draws[0] == "x" and len(draws) == 1 + 1000
    document = gaussfit_json(
        "simulate",
        "--seed",
        "1",
        "--fit",
        "--optimizer",
        "gd",
        "--init",
        "mu=1,sigma=1",
        "--iters",
        "7",
        "--tol",
        "0",
        "--no-scipy",
        "--no-gof",
    )
    assert document["iterations"] == 7 and document["trace"][0]["params"]["mu"] != 2.5
    assert document["reference"]["scipy"] is None and document["gof"] == {}
    refused = gaussfit("simulate", "--lr", "0.1")
    assert_clean_error(refused, 2, "--lr applies to --fit")


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("--distt", "--dist"),
        ("--dsit", "--dist"),
        ("--optimiser", "--optimizer"),
        ("--outptu", "--output"),
    ],
)
def test_a_mistyped_option_suggests_the_closest(gaussfit, lab_csv, typo, suggestion):
    line = assert_clean_error(gaussfit("fit", lab_csv, typo, "x"), 2)
    assert f"Did you mean '{suggestion}'?" in line


def test_a_mistyped_command_suggests_the_closest(gaussfit):
    assert "Did you mean 'compare'?" in assert_clean_error(gaussfit("compre"), 2)


# -- written files ------------------------------------------------------------------------------
def test_one_wording_for_written_files_also_with_quiet(gaussfit, lab_csv, tmp_path):
    for args in (("fit", lab_csv), ("fit", lab_csv, "-q"), ("simulate", "--fit"), ("simulate",)):
        target = tmp_path / f"out{len(args)}.{'csv' if args[0] == 'simulate' else 'json'}"
        result = gaussfit(*args, "--output", target)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == f"wrote {target}\n", args


def test_drop_missing_counts_one_row_in_the_singular(gaussfit, tmp_path):
    path = write_lines(tmp_path / "m.csv", "x,y", "1.5,1", ",2", "2.5,3", "3.0,4", "4.25,5")
    text = " ".join(gaussfit("fit", path, "--drop-missing", env={"COLUMNS": "200"}).stdout.split())
    assert "skipped 1 row with missing" in text
    assert "(1 row with missing values dropped)" in text


@pytest.mark.parametrize(
    "args",
    [
        ("fit", "LAB", "--output", ""),
        ("fit", "LAB", "--plot", ""),
        ("fit", "LAB", "--output", "  "),
        ("compare", "LAB", "--output", ""),
        ("simulate", "--output", ""),
        ("graph", "--output", ""),
        ("batch", "CFG", "--output", ""),
    ],
)
def test_an_empty_file_name_is_refused(gaussfit, lab_csv, tmp_path, args):
    config = write_lines(tmp_path / "c.yaml", "jobs:", "  - {name: a, simulate: {n: 10}}")
    args = [{"LAB": str(lab_csv), "CFG": str(config)}.get(a, a) for a in args]
    option = "--plot" if "--plot" in args else "--output"
    assert_clean_error(gaussfit(*args), 2, f"{option}: the file name is empty")


@pytest.mark.parametrize("link", ["same", "hard", "symbolic", "relative"])
@pytest.mark.parametrize("command", ["fit", "compare"])
def test_an_output_over_the_input_is_refused(gaussfit, tmp_path, monkeypatch, link, command):
    data = write_lines(tmp_path / "ok.csv", "x", "1.5", "2.5", "2.0", "3.5", "4.0")
    before = data.read_bytes()
    target = {"same": data, "relative": "ok.csv"}.get(link, tmp_path / "other.csv")
    if link == "hard":
        os.link(data, target)
    elif link == "symbolic":
        os.symlink(data, target)
    monkeypatch.chdir(tmp_path)
    line = assert_clean_error(gaussfit(command, data, "--output", target), 2)
    assert "is the input file" in line and "would replace the data" in line
    assert data.read_bytes() == before


def test_two_outputs_on_one_file_are_refused(gaussfit, lab_csv, tmp_path):
    target = tmp_path / "a.svg"
    assert_clean_error(
        gaussfit(
            "fit",
            lab_csv,
            "--output",
            target.with_suffix(".json"),
            "--plot",
            target.with_suffix(".json"),
        ),
        2,
        "--plot",
    )


def test_a_full_disk_names_the_file(gaussfit, lab_csv, tmp_path, monkeypatch):
    import gaussfit.data.atomic as atomic

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    target = tmp_path / "fit.json"
    line = assert_clean_error(gaussfit("fit", lab_csv, "-q", "--output", target), 2)
    assert line == f"Error: No space left on device: {target}"
    assert list(tmp_path.iterdir()) == []


# -- Dask addresses -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "foo::bar",
        "tcp://",
        "http://host:8786",
        "localhost:99999",
        "host:port",
        "a b:1",
        "::1",
        ":8786",
        "tcp://[::1",
        "x" * 300 + ":1",
        "\x00",
    ],
)
def test_a_junk_dask_address_is_a_one_line_usage_error(gaussfit, lab_csv, address):
    for command in ("fit", "compare"):
        line = assert_clean_error(gaussfit(command, lab_csv, "--dask", address), 2, "--dask")
        assert len(line) < 200


def test_a_headerless_column_reads_as_people_count(gaussfit, tmp_path):
    path = write_lines(tmp_path / "nh.csv", "1.5", "2.5", "3.1", "4.2")
    text = " ".join(gaussfit("fit", path, env={"COLUMNS": "200"}).stdout.split())
    assert "nh.csv, column 1 (no header), n = 4 family" in text
    assert "column column" not in text
