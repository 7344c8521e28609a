"""``gaussfit compare PATH``: fit several families to one column and rank them by AIC."""

from __future__ import annotations

from typing import Any

import click

from gaussfit.cli import derived_options, options
from gaussfit.cli.censoring_options import censoring_options, layout_for
from gaussfit.cli.environment import Environment
from gaussfit.cli.method_options import method_options
from gaussfit.cli.output import say_written, write_file
from gaussfit.cli.progress import status_line
from gaussfit.cli.reading import READING_KEYS, given, read_progress, reading_options
from gaussfit.errors import ConfigError, DataError, FitError

OUTPUT_FORMATS = {".json": "json", ".csv": "csv"}


@click.command("compare", short_help="Rank several families by AIC on one column.")
@click.argument("path")
@click.option(
    "-d",
    "--dists",
    default="all",
    show_default=True,
    metavar="NAME,NAME,...|all",
    help="Families to compare; 'all' tries every family whose support holds the data "
    "(on counts, the discrete ones).",
)
@click.option(
    "--continuous",
    is_flag=True,
    help="On counts, also fit the continuous families; they are shown apart, since a density "
    "is not on the scale of a probability.",
)
@options.column_option
@options.weights_option
@options.drop_missing_option
@options.optimizer_option("Optimiser for every fit.")
@options.lr_option
@options.iters_option
@options.tol_option
@method_options
@click.option(
    "--time-budget",
    type=options.POSITIVE,
    metavar="SECONDS",
    help="Time allowed for each family's fit.  [default: 60]",
)
@click.option(
    "--fix",
    type=options.Assignments(),
    help="Give the number of trials of binomial and betabinom, e.g. n=20 (only they get it); "
    "any other NAME=VALUE holds that parameter in every family.",
)
@options.scipy_option
@options.gof_option
@options.components_option
@options.dask_option("Sum each log-likelihood", " PATH may then be a glob of CSV or Parquet files.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"ranking": [...], "apart": [...], "failed": [...], "skipped": [...]} '
    "and nothing else.",
)
@options.user_family_options
@censoring_options
@derived_options.compare_options
@reading_options
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Also write the comparison to FILE (.json, or .csv with one row per parameter).",
)
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Fit the families in this many processes, this one and N-1 workers (capped at the "
    "cores); the ranking does not depend on it.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the ranking table(s).")
@options.plot_option
@click.option(
    "--plot-top",
    type=click.IntRange(min=1, max=8),
    default=4,
    show_default=True,
    metavar="K",
    help="Families drawn by --plot: the K best by AIC.",
)
@options.log_scale_option
@click.pass_obj
def compare(
    env: Environment,
    path: str,
    dists: str,
    continuous: bool,
    column: str | None,
    weights_column: str | None,
    drop_missing: bool,
    time_budget: float | None,
    seed: int | None,
    components: int | None,
    dask_address: str | None,
    as_json: bool,
    censoring: dict[str, Any] | None,
    output: str | None,
    quiet: bool,
    plot: str | None,
    plot_top: int,
    log_scale: str,
    gof_bootstrap: int | str | None,
    bootstrap: int | None,
    logpdf: str | None,
    user_params: str | None,
    user_support: str | None,
    logcdf: str | None,
    family_module: str | None,
    workers: int,
    **fit_options: Any,
) -> None:
    """Fit several families to the numbers in PATH and rank them by AIC.

    The table shows each family's log-likelihood, AIC, distance to the best (delta AIC),
    Akaike weight, BIC, goodness of fit (KS, or chi-square for counts) and its estimates.
    On counts the discrete families are ranked and continuous ones, when asked for, are
    shown apart. Families that cannot be fitted, or were not tried, are listed with the reason.
    """
    reading = {key: fit_options.pop(key) for key in READING_KEYS}
    options.check_outputs((path,), output=output, plot=plot)
    output_kind = options.output_kind(output, "--output", OUTPUT_FORMATS) if output else None
    if plot:
        from gaussfit.report import plots

        plot_format = options.output_kind(plot, "--plot", plots.FORMATS)
        plots.require_matplotlib()
        if dask_address is not None:
            raise ConfigError("--plot draws data held in memory; not with --dask")
    from gaussfit.cli.output import source_of
    from gaussfit.data import load_data
    from gaussfit.fitting import compare as compare_families

    own = options.resolve_user_family(
        logpdf, user_params, user_support, family_module, False, logcdf
    )
    settings: dict[str, Any] = options.fit_settings(None, fit_options)
    settings["seed"] = seed
    if time_budget is not None:
        settings["time_budget"] = time_budget
    else:
        del settings["time_budget"]
    if gof_bootstrap is not None:
        settings["gof_bootstrap"] = gof_bootstrap
    if bootstrap:
        settings["selection_bootstrap"] = bootstrap
    if workers > 1:
        from gaussfit.batch.runner import available_cores

        settings["jobs"] = min(workers, available_cores())
    data: Any
    if censoring is not None:
        from gaussfit.data.censored_reader import load_observations

        layout = layout_for(censoring, column, weights_column)
        if given(reading):
            raise ConfigError(
                "--sep, --decimal, --thousands and --currency read plain columns; censored "
                "data are read as comma-, tab- or space-separated text with '.' decimals"
            )
        if dask_address is not None:
            from gaussfit.fitting.censored_dask import open_dask_observations

            if drop_missing:
                raise ConfigError("--drop-missing reads files itself; not with --dask")
            data = open_dask_observations(
                path, layout, scheduler=options.scheduler_of(dask_address)
            )
            values = None
        else:
            data = load_observations(path, layout, drop_missing=drop_missing, stdin=env.stdin)
            settings["source"] = source_of(data, weights_column)
            values = data.finite_bounds()
    elif dask_address is not None:
        from gaussfit.fitting.dask_data import open_dask_data

        if drop_missing or given(reading):
            raise ConfigError(
                "--drop-missing, --sep, --decimal, --thousands and --currency read files "
                "themselves; not with --dask"
            )
        data = open_dask_data(
            path,
            column,
            weights=weights_column,
            scheduler=options.scheduler_of(dask_address),
        )
        values = None
    else:
        with read_progress(env, path, enabled=not as_json) as progress:
            data = load_data(
                path,
                column,
                weights=weights_column,
                drop_missing=drop_missing,
                stdin=env.stdin,
                progress=progress,
                **reading,
            )
        for note in data.notes:
            env.console(stderr=True).print(f"note: {note}", style="dim", markup=False)
        settings["source"] = source_of(data, weights_column)
        values = data.values
        if plot:
            from gaussfit.report.plot_view import check_log_scale

            check_log_scale(values, log_scale.lower())
    try:
        with status_line(env, "comparing families", enabled=not (as_json or quiet)) as line:
            result = compare_families(
                data,
                _with_own(_with_components(dists, values, components), values, own),
                continuous=continuous,
                on_family=line.on_family if line is not None else None,
                on_step=line.on_step if line is not None else None,
                **settings,
            )
    finally:
        close = getattr(data, "close", None)
        if close is not None:
            close()  # the Dask client, and the LocalCluster it may have started
    if not (result.ranking or result.apart):
        reasons = "; ".join(f"{name}: {error}" for name, error in result.failed.items())
        bad_data = all(isinstance(e, DataError) for e in result.errors.values())
        raise (DataError if bad_data else FitError)(f"no family could be fitted ({reasons})")
    picture = (
        plots.render(_draw(result, data, plot_top, log_scale.lower()), plot_format)
        if plot
        else None
    )
    if output_kind == "json":
        from gaussfit.report.json_out import compare_document, dumps

        write_file(output, dumps(compare_document(result)))
    elif output_kind == "csv":
        from gaussfit.report.csv_out import compare_csv

        write_file(output, compare_csv(result))
    if as_json:
        from gaussfit.report.json_out import compare_document, dumps

        env.write(dumps(compare_document(result)))
    else:
        from gaussfit.report import screen

        screen.print_compare(env.console(), result, quiet=quiet)
    if plot and picture is not None:
        write_file(plot, picture)
    say_written(env, [f for f in (output, plot) if f])


def _draw(result: Any, data: Any, top: int, log_scale: str) -> Any:
    """The four panels with the ``top`` best families (drawn before any file is written)."""
    from gaussfit.report import plots

    label = data.column
    if hasattr(data, "lower"):
        fits = result.ranking[:top] or result.apart[:top]
        return plots.draw_censored(
            fits,
            data,
            log_scale=log_scale,
            label=label,
            title=f"the best {len(fits)} families by AIC   (n = {fits[0].n:,}, censored)",
        )
    return plots.draw_compare(
        result, data.values, data.weights, top=top, log_scale=log_scale, label=label
    )


def _with_components(dists: str, values: object, components: int | None) -> object:
    """The family list with ``normal_mixture`` built for ``--k`` components, when given."""
    if components is None:
        return dists
    from gaussfit.distributions import FAMILIES, get_family
    from gaussfit.fitting.compare import candidate_families

    names = (
        (candidate_families(values) if values is not None else list(FAMILIES))
        if dists.strip().lower() == "all"
        else [d.strip() for d in dists.split(",") if d.strip()]
    )
    return [
        get_family(n, k=components) if get_family(n).name == "normal_mixture" else n for n in names
    ]


def _with_own(dists: object, values: object, own: Any) -> object:
    """The family list with the user's own family (--logpdf, --family-module) beside the
    named ones; with --dists all, beside every family whose support holds the data."""
    if own is None:
        return dists
    from gaussfit.distributions import FAMILIES
    from gaussfit.fitting.compare import candidate_families

    if isinstance(dists, str):
        everything = dists.strip().lower() == "all"
        dists = (
            (candidate_families(values) if values is not None else list(FAMILIES))
            if everything
            else [d.strip() for d in dists.split(",") if d.strip()]
        )
    return [*dists, own]  # type: ignore[misc]
