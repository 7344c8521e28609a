"""``gaussfit describe PATH``: summary statistics and the Cullen and Frey graph of a column."""

from __future__ import annotations

from typing import Any

import click

from gaussfit.cli import options
from gaussfit.cli.environment import Environment
from gaussfit.cli.output import say_written, write_file
from gaussfit.cli.reading import read_progress, reading_options
from gaussfit.errors import ConfigError


@click.command("describe", short_help="Summary statistics and the Cullen and Frey graph.")
@click.argument("path")
@options.column_option
@options.drop_missing_option
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="B",
    help="Add the skewness and kurtosis of B resamples to the graph (and the JSON).",
)
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the bootstrap resampling.")
@options.plot_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the statistics as one JSON object and nothing else.",
)
@reading_options
@click.pass_obj
def describe(
    env: Environment,
    path: str,
    column: str | None,
    drop_missing: bool,
    bootstrap: int,
    seed: int | None,
    plot: str | None,
    as_json: bool,
    **reading: Any,
) -> None:
    """Describe the numbers in PATH before fitting: n, min, max, median, mean, sd, skewness
    and kurtosis (fitdistrplus's descdist, unbiased estimates), and with --plot the Cullen and
    Frey graph: where the sample, its bootstrap resamples and each family lie in the plane of
    skewness squared and kurtosis. PATH is read as 'gaussfit fit' reads it.
    """
    options.check_outputs((path,), plot=plot)
    if plot:
        from gaussfit.report import plots

        plot_format = options.output_kind(plot, "--plot", plots.FORMATS)
        plots.require_matplotlib()
    from gaussfit.data import load_data
    from gaussfit.fitting.describe import describe as describe_values

    with read_progress(env, path, enabled=not as_json) as progress:
        dataset = load_data(
            path, column, drop_missing=drop_missing, stdin=env.stdin, progress=progress, **reading
        )
    if bootstrap == 1:
        raise ConfigError("--bootstrap: needs at least 2 resamples (or 0 for none)")
    description = describe_values(
        dataset.values, bootstrap=bootstrap, seed=seed, source=dataset.source
    )
    if plot:
        from gaussfit.report.cullen_frey import draw_cullen_frey

        picture = plots.render(draw_cullen_frey(description, dataset.column), plot_format)
        write_file(plot, picture)
    if as_json:
        from gaussfit.report.json_out import dumps

        document = {"source": {"path": dataset.source, "column": dataset.column}}
        env.write(dumps({**document, **description.to_dict()}))
    else:
        from gaussfit.report.describe_table import print_description

        print_description(env.console(), description, dataset.source, dataset.column)
    say_written(env, [plot] if plot else [])
