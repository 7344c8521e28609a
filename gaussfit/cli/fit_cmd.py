"""``gaussfit fit PATH``: fit one family to one column and tell the lab's story."""

from __future__ import annotations

from typing import Any

import click

from gaussfit.cli import derived_options, options
from gaussfit.cli.censoring_options import censoring_options, layout_for
from gaussfit.cli.environment import Environment
from gaussfit.cli.method_options import method_options
from gaussfit.cli.output import say_written, show_fit, source_of, write_file, write_fit
from gaussfit.cli.progress import fit_progress
from gaussfit.cli.reading import READING_KEYS, given, read_progress, reading_options
from gaussfit.errors import ConfigError

OUTPUT_FORMATS = {".json": "json", ".csv": "csv"}


@click.command("fit", short_help="Fit one family to a column of numbers.")
@click.argument("path")
@options.column_option
@options.dist_option()
@options.components_option
@options.optimizer_option()
@options.lr_option
@options.iters_option
@options.tol_option
@options.init_option
@options.fix_option
@method_options
@options.weights_option
@options.bootstrap_option
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the bootstrap resampling.")
@options.time_budget_option
@options.scipy_option
@options.gof_option
@options.every_option
@click.option(
    "--json", "as_json", is_flag=True, help="Print the fit as one JSON object and nothing else."
)
@click.option(
    "-o", "--output", metavar="FILE", help="Also write the fit to FILE (.json or .csv), atomically."
)
@options.plot_option
@options.log_scale_option
@click.option(
    "--plot-profile",
    metavar="FILE",
    help="Draw each parameter's profile log-likelihood with its 95% interval to FILE.",
)
@click.option(
    "--plot-trace",
    metavar="FILE",
    help="Draw log p(X) and the parameters per iteration to FILE.",
)
@options.quiet_option
@options.drop_missing_option
@options.logdir_option
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    metavar="ROWS",
    help="Read a text PATH ROWS rows at a time, in bounded memory (newton or lbfgs).  "
    "[default: whole, or in chunks that fit --memory-budget when the file does not]",
)
@click.option(
    "--memory-budget",
    type=click.IntRange(min=1),
    metavar="MB",
    help="Memory for the data: a text file larger than MB megabytes is read in chunks "
    "sized to fit it.  [default: a quarter of the available memory]",
)
@options.dask_option("Sum the log-likelihood", " PATH may then be a glob of CSV or Parquet files.")
@options.user_family_options
@censoring_options
@derived_options.fit_options
@reading_options
@click.pass_obj
def fit(
    env: Environment,
    path: str,
    column: str | None,
    dist: str,
    components: int | None,
    weights_column: str | None,
    seed: int | None,
    every: int | None,
    as_json: bool,
    output: str | None,
    plot: str | None,
    log_scale: str,
    plot_profile: str | None,
    plot_trace: str | None,
    quiet: bool,
    drop_missing: bool,
    logdir: str | None,
    chunk_size: int | None,
    memory_budget: int | None,
    dask_address: str | None,
    censoring: dict[str, Any] | None,
    gof_bootstrap: int | str | None,
    quantiles: tuple[float, ...],
    prob_above: tuple[float, ...],
    ci: str,
    parametric: bool,
    logpdf: str | None,
    user_params: str | None,
    user_support: str | None,
    logcdf: str | None,
    family_module: str | None,
    **fit_options: Any,
) -> None:
    """Fit a distribution to the numbers in PATH by maximum likelihood (or --method).

    PATH is a CSV or TSV file (header optional), a .npy array, or - for standard input.
    The report shows the iterations, the estimates with standard errors and 95% intervals
    beside the closed form and scipy's fit, and the fit statistics. Text files larger than
    the memory budget are read in chunks; --dask sums over a cluster's workers.
    """
    reading = {key: fit_options.pop(key) for key in READING_KEYS}
    pictures = {"--plot": plot, "--plot-profile": plot_profile, "--plot-trace": plot_trace}
    options.check_outputs(
        (path,),
        output=output,
        plot=plot,
        plot_profile=plot_profile,
        plot_trace=plot_trace,
        logdir=logdir,
    )
    output_kind = options.output_kind(output, "--output", OUTPUT_FORMATS) if output else None
    formats = _picture_formats(pictures)
    family = options.resolve_user_family(
        logpdf, user_params, user_support, family_module, options.dist_was_given(), logcdf
    ) or options.resolve_family(dist, components)
    if plot_profile:
        from gaussfit.fitting.batched import batchable

        if not batchable(family):
            raise ConfigError(
                f"--plot-profile: {family.name} cannot be profiled (its parameters share the "
                "optimiser's coordinates)"
            )
    settings = options.fit_settings(family, fit_options)

    from gaussfit.data.chunked_csv import chunk_rows_for, needs_chunks, open_chunked_csv
    from gaussfit.fitting import fit as fit_distribution
    from gaussfit.fitting.dask_data import DaskData, open_dask_data

    budget = memory_budget * 1_000_000 if memory_budget is not None else None
    streamed: Any = None
    observations = None
    if censoring is not None:
        layout = layout_for(censoring, column, weights_column)
        if given(reading):
            raise ConfigError(
                "--sep, --decimal, --thousands and --currency read plain columns; censored "
                "data are read as comma-, tab- or space-separated text with '.' decimals"
            )
        if plot_profile:
            raise ConfigError("--plot-profile refits exact values; not for censored data")
        if dask_address is not None:
            from gaussfit.fitting.censored_dask import open_dask_observations

            if drop_missing:
                raise ConfigError("--drop-missing reads files itself; not with --dask")
            observations = open_dask_observations(
                path, layout, scheduler=options.scheduler_of(dask_address)
            )
        elif chunk_size is not None or needs_chunks(path, budget):
            from gaussfit.fitting.censored_chunked import ChunkedObservations

            observations = ChunkedObservations(
                path, layout, chunk_size or chunk_rows_for(budget), drop_missing=drop_missing
            )
        else:
            from gaussfit.data.censored_reader import load_observations

            observations = load_observations(
                path, layout, drop_missing=drop_missing, stdin=env.stdin
            )
    elif dask_address is not None:
        if drop_missing or given(reading):
            raise ConfigError(
                "--drop-missing, --sep, --decimal, --thousands and --currency read files "
                "themselves; not with --dask"
            )
        streamed = open_dask_data(
            path,
            column,
            weights=weights_column,
            scheduler=options.scheduler_of(dask_address),
        )
    elif chunk_size is not None or needs_chunks(path, budget):
        from gaussfit.data.text_format import TextFormat

        streamed = open_chunked_csv(
            path,
            chunk_size or chunk_rows_for(budget),
            column,
            weights=weights_column,
            drop_missing=drop_missing,
            text_format=TextFormat.from_options(**reading),
        )
    dataset = None
    if streamed is None and observations is None:
        from gaussfit.data import load_data

        with read_progress(env, path, enabled=not (as_json or quiet)) as progress:
            dataset = load_data(
                path,
                column,
                weights=weights_column,
                drop_missing=drop_missing,
                stdin=env.stdin,
                progress=progress,
                **reading,
            )
        if plot:
            from gaussfit.report.plot_view import check_log_scale

            check_log_scale(dataset.values, log_scale.lower())
        if plot_profile and dataset.weights is not None:
            raise ConfigError("--plot-profile: profiles are computed for unweighted data only")
    held_data = observations if observations is not None else dataset
    _check_drawable(pictures, held_data)
    in_memory = (
        held_data is not None and hasattr(held_data, "source") and isinstance(held_data.source, str)
    )
    try:
        with fit_progress(env, f"fitting {family.name}", enabled=not (as_json or quiet)) as on_step:
            result = fit_distribution(
                observations
                if observations is not None
                else dataset
                if dataset is not None
                else streamed,
                family,
                seed=seed,
                logdir=logdir,
                on_step=on_step,
                source=source_of(held_data, weights_column) if in_memory else None,
                **settings,
                gof_bootstrap=gof_bootstrap,
                quantiles=quantiles,
                prob_above=prob_above,
                ci=ci.lower(),
                parametric=parametric,
            )
    finally:
        if isinstance(streamed, DaskData) or hasattr(observations, "owned"):
            (streamed or observations).close()  # the client, and the LocalCluster it started
    dropped = held_data.dropped if held_data is not None else getattr(streamed, "dropped", 0)
    if result.source is not None:
        result.source.update({"weights": weights_column, "dropped": dropped})
    if dataset is not None:
        result.notes.extend(dataset.notes)
    if dropped:
        result.notes.append(
            f"--drop-missing skipped {dropped} {'row' if dropped == 1 else 'rows'} "
            "with missing or unreadable values"
        )

    drawn = _draw(result, family, held_data, pictures, formats, log_scale.lower())
    if output and output_kind:
        write_fit(result, output, output_kind)
    for target, payload in drawn.items():
        write_file(target, payload)
    show_fit(env, result, title=family.title, every=every, as_json=as_json, quiet=quiet)
    say_written(env, [f for f in (output, plot, plot_profile, plot_trace) if f])


def _picture_formats(pictures: dict[str, str | None]) -> dict[str, str]:
    """Each asked-for picture's format from its suffix, and matplotlib checked, before any
    data are read or fitted."""
    formats = {}
    for option, target in pictures.items():
        if target:
            from gaussfit.report import plots

            formats[option] = options.output_kind(target, option, plots.FORMATS)
            plots.require_matplotlib(option)
    return formats


def _check_drawable(pictures: dict[str, str | None], data: Any) -> None:
    """--plot and --plot-profile draw the values themselves: they must be held in memory."""
    from gaussfit.data import Dataset
    from gaussfit.data.observations import Observations

    for option in ("--plot", "--plot-profile"):
        if pictures[option] and not isinstance(data, (Dataset, Observations)):
            raise ConfigError(
                f"{option} draws data held in memory; not with --chunk-size or --dask"
            )


def _draw(
    result: Any,
    family: Any,
    data: Any,
    pictures: dict[str, str | None],
    formats: dict[str, str],
    log_scale: str,
) -> dict[str, bytes]:
    """The asked-for pictures of the fit, by file name, drawn before any file is written (a
    picture that cannot be drawn leaves no file half-done); nothing here changes the fit."""
    from gaussfit.report import plot_diagnostics, plots

    label = getattr(data, "column", None)
    out = {}
    for option, target in pictures.items():
        if not target:
            continue
        if option == "--plot" and hasattr(data, "lower"):
            figure = plots.draw_censored([result], data, log_scale=log_scale, label=label)
        elif option == "--plot":
            figure = plots.draw_fit(
                result, family, data.values, data.weights, log_scale=log_scale, label=label
            )
        elif option == "--plot-profile":
            figure = plot_diagnostics.draw_profile(result, family, data.values)
        else:
            figure = plot_diagnostics.draw_trace(result)
        out[target] = plots.render(figure, formats[option])
    return out
