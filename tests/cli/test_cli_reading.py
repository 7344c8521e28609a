"""How ``fit``, ``compare`` and ``batch`` read text: the reading options and batch keys, files
that are streams, the row-index note, and the progress line on a terminal."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import assert_clean_error, parse_one_object
from click.testing import CliRunner

from gaussfit.cli import reading
from gaussfit.cli.environment import Environment
from gaussfit.cli.main import main

SPREADSHEET = "1,5;2,3\n2,95;1,1\n3,25;0,5\n1,125;4\n"
"""Decimal commas between semicolons: once fitted as 1, 2, 3, 1 (mu 1.75)."""
COLUMN = [1.5, 2.95, 3.25, 1.125]


def normal_mle(values: list[float]) -> tuple[float, float]:
    """The closed-form normal fit: the mean and the population standard deviation."""
    return float(np.mean(values)), float(np.std(values))


def test_fit_reads_decimal_commas_as_written(tmp_path: Path, gaussfit_json) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(SPREADSHEET)
    document = gaussfit_json("fit", path)
    mu, sigma = normal_mle(COLUMN)
    assert document["params"]["mu"] == pytest.approx(mu, rel=1e-12)
    assert document["params"]["sigma"] == pytest.approx(sigma, rel=1e-9)
    assert document["source"]["column"] == "column 1 (no header)"


def test_reading_options_on_fit_and_compare(tmp_path: Path, gaussfit, gaussfit_json) -> None:
    path = tmp_path / "money.csv"
    path.write_text('amount\n"$1,234.50"\n"$99.50"\n"$2,000"\n"$10"\n')
    assert_clean_error(gaussfit("fit", path), 2, "pass --currency '$' to read it")
    assert_clean_error(
        gaussfit("fit", path, "--currency", "$"), 2, "thousands grouped by ',': pass --thousands ,"
    )
    options = ["--currency", "$", "--thousands", ","]
    mu, _ = normal_mle([1234.5, 99.5, 2000.0, 10.0])
    assert gaussfit_json("fit", path, *options)["params"]["mu"] == pytest.approx(mu)
    ranking = gaussfit_json("compare", path, *options, "--dists", "normal,gamma")["ranking"]
    assert {fit["distribution"] for fit in ranking} == {"normal", "gamma"}


def test_sep_and_decimal_settle_an_ambiguous_file(tmp_path: Path, gaussfit, gaussfit_json):
    path = tmp_path / "pairs.csv"
    path.write_text("1,05\n2,3\n4,25\n")
    assert_clean_error(gaussfit("fit", path), 2, "pass --decimal , for one column")
    one = gaussfit_json("fit", path, "--decimal", ",")["params"]["mu"]
    two = gaussfit_json("fit", path, "--sep", ",")["params"]["mu"]
    assert (one, two) == (pytest.approx(np.mean([1.05, 2.3, 4.25])), pytest.approx(7 / 3))
    assert_clean_error(gaussfit("fit", path, "--sep", "ab"), 2, "--sep: 'ab' is not")
    assert_clean_error(gaussfit("fit", path, "--decimal", ";"), 2, "'--decimal'")


def test_fit_reads_a_fifo(tmp_path: Path, gaussfit_json) -> None:
    fifo = tmp_path / "data.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("x\n1.5\n2.5\n4\n"), daemon=True)
    writer.start()
    document = gaussfit_json("fit", fifo)
    writer.join(timeout=30)
    assert document["params"]["mu"] == pytest.approx(8 / 3)


def test_the_row_index_note_names_both_columns(tmp_path: Path, gaussfit) -> None:
    path = tmp_path / "indexed.csv"
    path.write_text("id,x\n" + "".join(f"{i},{v}\n" for i, v in enumerate(COLUMN)))
    result = gaussfit("fit", path, "--json")
    assert result.exit_code == 0, result.stderr
    document = parse_one_object(result.stdout)
    assert document["params"]["mu"] == pytest.approx(normal_mle(COLUMN)[0])
    assert any("column 'id' counts up by one" in note for note in document["notes"])


def test_batch_keys_read_like_the_options(tmp_path: Path, gaussfit) -> None:
    (tmp_path / "sheet.csv").write_text("a;b\n" + SPREADSHEET)
    (tmp_path / "pairs.csv").write_text("1,05\n2,3\n4,25\n")
    config = tmp_path / "jobs.yaml"
    config.write_text(
        "jobs:\n"
        "  - {name: sheet, data: sheet.csv, column: a}\n"
        "  - {name: one, data: pairs.csv, decimal: ','}\n"
        "  - {name: two, data: pairs.csv, sep: ','}\n"
    )
    result = gaussfit("batch", config, "--jobs", "1", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    jobs = {job["name"]: job for job in parse_one_object(result.stdout)["jobs"]}
    means = {"sheet": np.mean(COLUMN), "one": np.mean([1.05, 2.3, 4.25]), "two": 7 / 3}
    for name, mean in means.items():
        assert jobs[name]["result"]["params"]["mu"] == pytest.approx(mean), name


def test_batch_reading_keys_are_checked_before_running(tmp_path: Path, gaussfit) -> None:
    (tmp_path / "pairs.csv").write_text("1,05\n2,3\n")
    config = tmp_path / "jobs.yaml"
    config.write_text(
        "jobs:\n"
        "  - {data: pairs.csv, decimal: ';'}\n"
        "  - {data: pairs.csv, sep: ',', decimal: ','}\n"
        "  - {data: pairs.csv, thousands: 1}\n"
    )
    result = gaussfit("batch", config)
    assert result.exit_code == 2
    assert "jobs[0]: decimal: ';' is not a decimal mark" in result.stderr
    assert "jobs[1]: sep and --decimal are both ','" in result.stderr
    assert "jobs[2].thousands: must be a quoted string, not 1" in result.stderr


def test_progress_only_on_a_terminal_for_large_files(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.csv"
    path.write_text("x\n" + "".join(f"{i}.5\n" for i in range(200_000)))

    def env(terminal: bool) -> Environment:
        return Environment(io.StringIO(), io.StringIO(), io.StringIO(), terminal, terminal)

    with reading.read_progress(env(True), str(path)) as progress:
        assert progress is None  # smaller than PROGRESS_MIN_BYTES
    monkeypatch.setattr(reading, "PROGRESS_MIN_BYTES", 0)
    with reading.read_progress(env(False), str(path)) as progress:
        assert progress is None  # not a terminal
    terminal = env(True)
    result = CliRunner().invoke(main, ["fit", str(path), "-q"], obj=terminal)
    assert result.exit_code == 0, terminal.stderr.getvalue()
    with reading.read_progress(terminal, str(path)) as progress:
        assert progress is not None
        progress(0.5)


def test_batch_errors_name_the_line_and_quote_little(tmp_path: Path, gaussfit) -> None:
    """A job's error in the summary names the file line of a value outside the support; a file
    without numbers is refused before anything runs, with a short, escaped excerpt."""
    (tmp_path / "neg.csv").write_text("x\n1.5\n# note\n-2\n3\n")
    words = " ".join(f"word{i}\x1b[1m" for i in range(5000))
    (tmp_path / "words.csv").write_text(f"{words}\n{words}\n")
    config = tmp_path / "jobs.yaml"
    config.write_text("jobs:\n  - {name: neg, data: neg.csv, dist: gamma}\n")
    result = gaussfit("batch", config, "--jobs", "1", "--json")
    assert result.exit_code == 1, result.stdout + result.stderr
    jobs = {job["name"]: job for job in parse_one_object(result.stdout)["jobs"]}
    assert jobs["neg"]["error"].endswith(
        "neg.csv:4: column 'x': value -2 is outside the support of gamma ((0, inf))"
    )
    config.write_text("jobs:\n  - {name: words, data: words.csv}\n")
    refused = gaussfit("batch", config, "--jobs", "1", "--json")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "\x1b" not in refused.stderr and len(refused.stderr) < 600
    assert "no numeric column (columns: 'word0\\x1b[1m'" in refused.stderr
