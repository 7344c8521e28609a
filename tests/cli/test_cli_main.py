"""The command's edge: version, help, lazy imports, exit codes, streams and colour."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from importlib.metadata import version

import pytest
from cli_helpers import assert_clean_error, run_process, write_lines
from click.testing import CliRunner

import gaussfit.fitting as fitting_module
from gaussfit.cli.environment import Environment
from gaussfit.cli.exit_codes import ExitCode
from gaussfit.cli.main import main
from gaussfit.cli.options import OPTIMIZER_NAMES

COMMANDS = ("fit", "simulate", "compare", "dists")


def test_version_is_the_installed_packages(gaussfit):
    result = gaussfit("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"gaussfit {version('gaussfit')}"


def test_help_lists_every_command_and_the_exit_codes(gaussfit):
    result = gaussfit("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.stdout
    assert "2 bad input" in result.stdout


def test_no_arguments_shows_the_help(gaussfit):
    result = gaussfit()
    assert result.exit_code == 0
    assert "Usage: gaussfit" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_help(gaussfit, command):
    result = gaussfit(command, "--help")
    assert result.exit_code == 0
    assert f"Usage: gaussfit {command}" in result.stdout


def test_help_imports_neither_scipy_nor_numpy():
    probe = (
        "import sys\n"
        "from gaussfit.cli.main import main\n"
        "for args in (['--help'], ['fit', '--help'], ['compare', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in ('scipy', 'numpy', 'rich', 'matplotlib') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert "HEAVY []" in process.stderr, process.stderr


def test_python_dash_m_gaussfit_runs_the_same_command():
    process = run_process("--version")
    assert process.returncode == 0
    assert process.stdout.strip() == f"gaussfit {version('gaussfit')}"


def test_the_clis_optimizer_names_are_the_librarys():
    assert OPTIMIZER_NAMES == fitting_module.OPTIMIZERS


def test_an_unknown_command_is_one_line_and_exit_2(gaussfit):
    assert_clean_error(gaussfit("frobnicate"), 2, "No such command 'frobnicate'")


def test_usage_errors_are_one_line_pointing_at_the_help(gaussfit):
    line = assert_clean_error(gaussfit("fit"), 2, "Missing argument 'PATH'")
    assert line.endswith("See 'gaussfit fit --help'.")


def test_ctrl_c_exits_130_without_a_traceback(gaussfit, lab_csv, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fitting_module, "fit", interrupted)
    result = gaussfit("fit", lab_csv)
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert "Error: interrupted" in result.stderr
    assert "Traceback" not in result.output


def test_a_bug_is_one_line_exit_70_and_the_traceback_only_on_request(
    gaussfit, lab_csv, monkeypatch
):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(fitting_module, "fit", broken)
    monkeypatch.delenv("GAUSSFIT_DEBUG", raising=False)
    line = assert_clean_error(gaussfit("fit", lab_csv), 70, "internal error", "ZeroDivisionError")
    assert "GAUSSFIT_DEBUG=1" in line
    monkeypatch.setenv("GAUSSFIT_DEBUG", "1")
    assert "Traceback" in gaussfit("fit", lab_csv).stderr


def test_an_unwritable_output_is_bad_input(gaussfit, lab_csv, tmp_path):
    blocker = write_lines(tmp_path / "file", "not a directory")
    assert_clean_error(gaussfit("fit", lab_csv, "--output", blocker / "out.json"), 2)


def test_a_reader_closing_the_pipe_ends_quietly():
    command = [sys.executable, "-m", "gaussfit", "simulate", "--n", "300000", "--seed", "1"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout.readline() == b"x\n"
        process.stdout.close()
        stderr = process.stderr.read()
        code = process.wait(timeout=60)
    assert stderr == b""
    assert code == ExitCode.BROKEN_PIPE


def terminal_env(no_color: bool) -> Environment:
    return Environment(
        stdin=io.StringIO(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdout_isatty=True,
        stderr_isatty=True,
        no_color=no_color,
        width=120,
    )


def test_colour_on_a_terminal_and_none_with_no_color(lab_csv):
    runner = CliRunner()
    coloured, plain = terminal_env(no_color=False), terminal_env(no_color=True)
    for env in (coloured, plain):
        result = runner.invoke(
            main,
            ["fit", str(lab_csv), "--iters", "1", "--optimizer", "gd", "--init", "mu=1"],
            obj=env,
        )
        assert result.exit_code == 0, env.stderr.getvalue()
    assert "\x1b[" in coloured.stdout.getvalue()
    assert "\x1b[" not in plain.stdout.getvalue()
    assert "Estimates: normal" in plain.stdout.getvalue()


def test_no_color_comes_from_the_environment_variable(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert Environment.from_system().no_color
    monkeypatch.delenv("NO_COLOR")
    assert not Environment.from_system().no_color


def test_a_pipe_gets_no_colour_and_no_progress(gaussfit, lab_csv):
    result = gaussfit("fit", lab_csv, "--optimizer", "gd", "--iters", "200", "--init", "mu=1")
    assert result.exit_code == 0
    assert "\x1b[" not in result.output
    assert result.stderr == ""


def test_the_exit_codes_are_the_documented_ones():
    assert (ExitCode.OK, ExitCode.FIT_FAILED, ExitCode.BAD_INPUT) == (0, 1, 2)
    assert os.EX_SOFTWARE == ExitCode.INTERNAL_ERROR if hasattr(os, "EX_SOFTWARE") else True
