"""``gaussfit lab``: the lab this project grew from, run step by step on gaussfit's engine.

Each step shows its code and what it printed; on a terminal it waits for Enter between steps
(``--no-pause`` runs straight through). The graphs are written for TensorBoard at the end.
"""

from __future__ import annotations

from pathlib import Path

import click

from gaussfit.cli.environment import Environment


@click.command("lab", short_help="Walk through the lab on gaussfit's graph engine.")
@click.option("--no-pause", is_flag=True, help="Run straight through without waiting.")
@click.option(
    "--logdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("visualisation_files"),
    show_default=True,
    help="Where the last step writes the graph (TensorBoard, DOT, JSON).",
)
@click.pass_obj
def lab(env: Environment, no_pause: bool, logdir: Path) -> None:
    """Imperative numpy, the same computation as a graph, running it, gradients, gradient
    descent, placeholders and a bigger data set: the lab's code with `import gaussfit.engine as
    tf`, printing what the lab printed."""
    from rich.panel import Panel
    from rich.rule import Rule
    from rich.syntax import Syntax

    from gaussfit.lab import STEPS, run_lab

    console = env.console()
    interactive = not no_pause and env.stdout_isatty and _stdin_is_terminal(env)

    def show(index: int, step, output: str) -> None:
        console.print(Rule(f"[bold]{index + 1}/{len(STEPS)}  {step.title}[/]"))
        console.print(step.text)
        console.print(
            Syntax(step.code.rstrip(), "python", theme="ansi_dark", background_color="default")
        )
        console.print(
            Panel(
                output.rstrip() or "(no output)",
                title="output",
                title_align="left",
                border_style="dim",
            )
        )

    def pause() -> None:
        answer = click.prompt(
            "Enter to continue, q to quit", default="", show_default=False, prompt_suffix=" "
        )
        if answer.strip().lower().startswith("q"):
            raise click.exceptions.Exit(0)

    run_lab(logdir, show=show, pause=pause if interactive else None)
    if any(logdir.glob("events.out.tfevents.*")):
        console.print(f"\nGraphs written to {logdir}: tensorboard --logdir {logdir}")
    else:
        from rich.markup import escape

        from gaussfit.engine.summary import INSTALL_HINT

        console.print(
            f"\nGraphs written to {logdir} as graph.dot and graph.json. " + escape(INSTALL_HINT)
        )


def _stdin_is_terminal(env: Environment) -> bool:
    isatty = getattr(env.stdin, "isatty", None)
    return bool(isatty and isatty())
