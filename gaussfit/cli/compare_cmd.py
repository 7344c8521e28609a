"""``gaussfit compare PATH``: fit several families to one column and rank them by AIC."""

from __future__ import annotations

from typing import Any

import click

from gaussfit.cli import derived_options, options
from gaussfit.cli.environment import Environment
from gaussfit.cli.progress import fit_progress
from gaussfit.cli.reading import given, read_progress, reading_options
from gaussfit.errors import ConfigError, DataError, FitError


@click.command("compare", short_help="Rank several families by AIC on one column.")
@click.argument("path")
@click.option(
    "--dists",
    default="all",
    show_default=True,
    metavar="NAME,NAME,...|all",
    help="Families to compare; 'all' tries every family whose support holds the data.",
)
@options.column_option
@options.weights_option
@options.drop_missing_option
@click.option(
    "--optimizer",
    type=click.Choice(options.OPTIMIZER_NAMES, case_sensitive=False),
    help="Optimiser for every fit.  [default: newton]",
)
@click.option(
    "--time-budget",
    type=options.POSITIVE,
    metavar="SECONDS",
    help="Time allowed for each family's fit.  [default: 60]",
)
@options.components_option
@options.dask_option("Sum each log-likelihood", " PATH may then be a glob of CSV or Parquet files.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"ranking": [...], "failed": [...]} and nothing else.',
)
@derived_options.compare_options
@reading_options
@click.pass_obj
def compare(
    env: Environment,
    path: str,
    dists: str,
    column: str | None,
    weights_column: str | None,
    drop_missing: bool,
    optimizer: str | None,
    time_budget: float | None,
    components: int | None,
    dask_address: str | None,
    as_json: bool,
    gof_bootstrap: int | str | None,
    bootstrap: int | None,
    seed: int | None,
    **reading: str | None,
) -> None:
    """Fit several families to the numbers in PATH and rank them by AIC.

    The table shows each family's log-likelihood, AIC, distance to the best (ΔAIC), Akaike
    weight, BIC, Kolmogorov-Smirnov statistic and p-value, and its estimates. Families that
    cannot be fitted are listed with the reason.
    """
    from gaussfit.cli.output import source_of
    from gaussfit.data import load_data
    from gaussfit.fitting import compare as compare_families

    settings: dict[str, object] = {}
    if optimizer:
        settings["optimizer"] = optimizer.lower()
    if time_budget is not None:
        settings["time_budget"] = time_budget
    if gof_bootstrap is not None:
        settings["gof_bootstrap"] = gof_bootstrap
    if bootstrap:
        settings["selection_bootstrap"] = bootstrap
    if seed is not None:
        settings["seed"] = seed
    data: Any
    if dask_address is not None:
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
    try:
        with fit_progress(env, "comparing families", enabled=not as_json) as on_step:
            result = compare_families(
                data, _with_components(dists, values, components), on_step=on_step, **settings
            )
    finally:
        close = getattr(data, "close", None)
        if close is not None:
            close()  # the Dask client, and the LocalCluster it may have started
    if not result.ranking:
        reasons = "; ".join(f"{name}: {error}" for name, error in result.failed.items())
        bad_data = all(isinstance(e, DataError) for e in result.errors.values())
        raise (DataError if bad_data else FitError)(f"no family could be fitted ({reasons})")
    if as_json:
        from gaussfit.report.json_out import compare_document, dumps

        env.write(dumps(compare_document(result)))
        return

    from gaussfit.distributions import FAMILIES
    from gaussfit.report import screen

    tried = {fit.distribution for fit in result.ranking} | set(result.failed)
    everything = dists.strip().lower() == "all"
    skipped = [name for name in FAMILIES if name not in tried] if everything else []
    screen.print_compare(env.console(), result, skipped)


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
