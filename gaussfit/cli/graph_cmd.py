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
from gaussfit.errors import ConfigError

FORMATS = ("text", "dot", "svg", "png", "json")
GRAPHVIZ_HINT = (
    "rendering needs Graphviz's 'dot' program: install the 'graphviz' package "
    "(apt-get install graphviz, brew install graphviz, conda install graphviz), "
    "or use --format dot"
)


@click.command("graph", short_help="Show the log-likelihood graph of a family.")
@click.option("-d", "--dist", default="normal", show_default=True, help="Family.")
@click.option(
    "--k",
    "components",
    type=click.IntRange(min=2),
    help="Components of normal_mixture.  [default: 2]",
)
@click.option("--gradients", is_flag=True, help="Include the gradient subgraph.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format.  [default: from --output's suffix, else text]",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
@click.pass_obj
def graph(
    env: Environment,
    dist: str,
    components: int | None,
    gradients: bool,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Show the graph that `gaussfit fit --dist NAME` builds: data placeholder X, parameter
    variables, the log-likelihood ops and, with --gradients, their derivatives."""
    from gaussfit.fitting.model import likelihood_graph

    family = options.resolve_family(dist, components)
    fmt = fmt or _format_from_suffix(output)
    if fmt in ("svg", "png") and shutil.which("dot") is None:
        raise ConfigError(GRAPHVIZ_HINT)
    if fmt == "png" and output is None:
        raise ConfigError("--format png writes binary data: give --output FILE.png")
    built = likelihood_graph(family, gradients=gradients)
    title = f"log p(X) of {family.name}" + (" with gradients" if gradients else "")
    if fmt == "text":
        if output is not None:
            raise ConfigError(
                "--format text is for the terminal; use dot, json, svg or png with --output"
            )
        from gaussfit.report.graph_tree import graph_tree

        env.console().print(graph_tree(built, title))
        return
    if fmt == "dot":
        payload: bytes = built.to_dot(title).encode()
    elif fmt == "json":
        from gaussfit.engine.export import to_json

        payload = (to_json(built) + "\n").encode()
    else:
        payload = _render(built.to_dot(title), fmt)
    if output is None:
        env.write(payload.decode())
        return
    from gaussfit.data import atomic_write_bytes

    atomic_write_bytes(output, payload)
    env.console(stderr=True).print(f"written: {output}")


def _format_from_suffix(output: Path | None) -> str:
    if output is None:
        return "text"
    suffix = output.suffix.lower().lstrip(".")
    if suffix == "gv":
        return "dot"
    if suffix in FORMATS and suffix != "text":
        return suffix
    raise ConfigError(f"--output: cannot tell the format of '{output}'; give --format")


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
