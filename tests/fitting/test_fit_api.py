"""The Python API as a new user meets it: ``dir``, ``print(result)``, ``help(gaussfit.fit)``."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
from click.testing import CliRunner

import gaussfit
from gaussfit.cli.main import main

LAB_CSV = Path(__file__).resolve().parents[2] / "data" / "seed_lab.csv"


def test_dir_lists_the_front_door():
    names = dir(gaussfit)
    assert {"fit", "compare", "load_data", "FitResult", "DataError"} <= set(names)
    assert "import_module" not in names


def estimate_rows(text: str) -> list[str]:
    """The rows of the estimates table, spaces collapsed."""
    body = text.split("Estimates:", 1)[1]
    return [
        " ".join(line.split()) for line in body.splitlines() if re.match(r"\s+(mu|sigma)\s", line)
    ]


def test_print_shows_the_clis_report_and_repr_is_one_short_line(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")  # both at the CLI's width (a test worker has no tty)
    result = gaussfit.fit(gaussfit.load_data(str(LAB_CSV)))
    cli = CliRunner().invoke(main, ["fit", str(LAB_CSV), "--scipy"], env={"COLUMNS": "120"})
    assert cli.exit_code == 0
    text = str(result)
    assert estimate_rows(text) == estimate_rows(cli.stdout)
    assert len(estimate_rows(text)) == 2
    for line in ("log-likelihood", "AIC / AICc / BIC", "converged         yes"):
        assert line in text
    assert all(line == line.rstrip() for line in text.splitlines())
    short = repr(result)
    assert "\n" not in short and len(short) < 200 and "Step(" not in short
    assert "mu=2.6518" in short


def test_print_of_a_comparison_is_its_ranking():
    x = np.loadtxt(LAB_CSV, skiprows=1)
    ranked = gaussfit.compare(x, ["normal", "logistic"])
    text = str(ranked)
    assert "Families ranked by AIC" in text
    assert text.index("normal") < text.index("logistic")
    assert repr(ranked) == "<CompareResult ranked by AIC: normal, logistic>"


def test_help_documents_every_parameter_of_fit():
    doc = inspect.getdoc(gaussfit.fit)
    documented = set(re.findall(r"^(\w+)$", doc.split("Parameters", 1)[1], flags=re.M))
    assert set(inspect.signature(gaussfit.fit).parameters) <= documented
