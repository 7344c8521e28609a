"""``gaussfit graph``: look at the log-likelihood graph a family's fit runs.

As a tree in the terminal, as Graphviz DOT (name scopes drawn as clusters), as the GraphDef-like
JSON, or rendered to SVG/PNG by Graphviz's ``dot`` program when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click

from gaussfit.cli import options
from gaussfit.cli.environment import Environment
from gaussfit.cli.output import say_written, write_file
from gaussfit.errors import ConfigError

FORMATS = ("text", "dot", "svg", "png", "json")
GRAPHVIZ_HINT = (
    "rendering needs Graphviz's 'dot' program: install the 'graphviz' package "
    "(apt-get install graphviz, brew install graphviz, conda install graphviz), "
    "or use --format dot"
)


@click.command("graph", short_help="Show the log-likelihood graph of a family.")
@options.dist_option("Family whose fit to show")
@options.components_option
@click.option("--gradients", is_flag=True, help="Include the gradient subgraph.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format.  [default: from --output's suffix (.txt text, .dot or .gv dot, "
    ".svg, .png, .json), else text]",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write to this file (atomically) instead of standard output.",
)
@click.pass_obj
def graph(
    env: Environment,
    dist: str,
    components: int | None,
    gradients: bool,
    fmt: str | None,
    output: str | None,
) -> None:
    """Show the graph that `gaussfit fit --dist NAME` builds: data placeholder X, parameter
    variables, the log-likelihood ops and, with --gradients, their derivatives."""
    from gaussfit.fitting.model import likelihood_graph

    options.check_outputs((), output=output)
    family = options.resolve_family(dist, components)
    fmt = fmt or _format_from_suffix(output)
    if fmt in ("svg", "png") and shutil.which("dot") is None:
        raise ConfigError(GRAPHVIZ_HINT)
    if fmt == "png" and output is None:
        raise ConfigError("--format png writes binary data: give --output FILE.png")
    built = likelihood_graph(family, gradients=gradients)
    title = f"log p(X) of {family.name}" + (" with gradients" if gradients else "")
    if fmt == "text":
        from gaussfit.report.graph_tree import graph_tree

        if output is None:
            env.console().print(graph_tree(built, title))
            return
        payload = _plain_text(graph_tree(built, title)).encode()
    elif fmt == "dot":
        payload: bytes = built.to_dot(title).encode()
    elif fmt == "json":
        from gaussfit.engine.export import to_json

        payload = (to_json(built) + "\n").encode()
    else:
        payload = _render(built.to_dot(title), fmt)
    if output is None:
        env.write(payload.decode())
        return
    write_file(output, payload)
    say_written(env, [output])


SUFFIX_FORMATS = {"txt": "text", "text": "text", "gv": "dot", "dot": "dot"}


def _format_from_suffix(output: str | None) -> str:
    if output is None:
        return "text"
    suffix = Path(output).suffix.lower().lstrip(".")
    fmt = SUFFIX_FORMATS.get(suffix, suffix)
    if fmt in FORMATS:
        return fmt
    raise ConfigError(
        f"--output: cannot tell the format of '{output}' (.txt, .dot, .gv, .svg, .png or .json);"
        " give --format"
    )


def _plain_text(renderable: object) -> str:
    """``renderable`` as plain text for a file: UTF-8, no colour, lines without padding."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=100, color_system=None, force_terminal=False).print(renderable)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def _render(dot_source: str, fmt: str) -> bytes:
    done = subprocess.run(
        ["dot", f"-T{fmt}"],
        input=dot_source.encode(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise ConfigError(f"Graphviz's dot failed: {detail[0] if detail else done.returncode}")
    return done.stdout
