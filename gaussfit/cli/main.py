"""``gaussfit``: the click group, ``--version``, and the one place errors become exit codes.

Commands live one per module and are registered here; each imports numpy, scipy and the
engine inside its function, so ``gaussfit --help`` loads click and nothing heavy.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from gaussfit.cli import errors
from gaussfit.cli.batch_cmd import batch
from gaussfit.cli.compare_cmd import compare
from gaussfit.cli.describe_cmd import describe
from gaussfit.cli.dists_cmd import dists
from gaussfit.cli.environment import Environment
from gaussfit.cli.exit_codes import ExitCode
from gaussfit.cli.fit_cmd import fit
from gaussfit.cli.graph_cmd import graph
from gaussfit.cli.lab_cmd import lab
from gaussfit.cli.simulate_cmd import simulate
from gaussfit.cli.streams import can_encode
from gaussfit.cli.suggest import closest


class GaussfitGroup(click.Group):
    """A click group whose ``main`` turns every failure into ``Error: ...`` and an exit code.

    click's own standalone mode prints usage errors over several lines and lets other
    exceptions through as tracebacks; here everything ends as one line on stderr.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        code = self._run(args, prog_name or "gaussfit", complete_var, extra)
        if standalone_mode:
            sys.exit(int(code))
        return int(code)

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str,
        complete_var: str | None,
        extra: dict[str, Any],
    ) -> ExitCode:
        env = extra.get("obj")
        _replace_unencodable_characters()
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as help_request:
            click.echo(help_request.ctx.get_help())
            return ExitCode.OK
        except (Exception, KeyboardInterrupt, click.Abort) as error:
            _suggest_closest(error)
            stream = env.stderr if isinstance(env, Environment) else sys.stderr
            color = isinstance(env, Environment) and env.stderr_isatty and not env.no_color
            return errors.report(error, stream, color=color)
        return ExitCode(result) if isinstance(result, int) else ExitCode.OK

    def invoke(self, ctx: click.Context) -> Any:
        # A reader that stops early (``gaussfit simulate --n 1e6 | head``) is not an error of
        # ours: leave quietly with the shell's code for SIGPIPE (click would exit 1).
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            errors.silence_broken_stdout()
            raise click.exceptions.Exit(ExitCode.BROKEN_PIPE) from None


def _replace_unencodable_characters() -> None:
    """click's own help and usage text goes straight to ``sys.stdout``/``sys.stderr``: on an
    ASCII-only stream, write what cannot be encoded as ``?`` rather than die."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not can_encode(stream):
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _suggest_closest(error: BaseException) -> None:
    """Replace click's difflib guesses for a mistyped option or command by the closest names."""
    ctx = getattr(error, "ctx", None)
    if ctx is None:
        return
    if isinstance(error, click.exceptions.NoSuchOption):
        names = [n for p in ctx.command.params for n in (*p.opts, *p.secondary_opts)]
        error.possibilities = closest(error.option_name, names)
    elif isinstance(error, click.exceptions.NoSuchCommand) and isinstance(ctx.command, click.Group):
        error.possibilities = closest(error.command_name, ctx.command.list_commands(ctx))


@click.group(
    "gaussfit",
    cls=GaussfitGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="gaussfit", prog_name="gaussfit", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Fit probability distributions by maximum likelihood.

    \b
    gaussfit fit data.csv                 fit a normal distribution to the first column
    gaussfit fit data.csv -d gamma --json the fit as one JSON object
    gaussfit compare data.csv             rank every family that fits the data by AIC
    gaussfit describe data.csv --plot cf.png  statistics and the Cullen and Frey graph
    gaussfit simulate --n 1000 --fit      draw from a known distribution, fit it back
    gaussfit dists                        list the families and their parameters
    gaussfit batch configs/example.yaml   many fits from one YAML file
    gaussfit graph -d gamma -f svg -o g.svg  see the log-likelihood graph
    gaussfit lab                          the lab, step by step, on the engine

    Exit codes: 0 results produced, 1 the fit diverged, 2 bad input or usage,
    70 a bug, 130 interrupted, 141 the reader closed the pipe.
    """
    if not isinstance(ctx.obj, Environment):
        ctx.obj = Environment.from_system()


main.add_command(fit)
main.add_command(simulate)
main.add_command(compare)
main.add_command(describe)
main.add_command(dists)
main.add_command(batch)
main.add_command(graph)
main.add_command(lab)
