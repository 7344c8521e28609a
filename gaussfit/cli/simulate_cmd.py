"""``gaussfit simulate --n N``: draw from a known distribution, optionally fit it back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from gaussfit.cli import options
from gaussfit.cli.environment import Environment
from gaussfit.cli.progress import fit_progress
from gaussfit.errors import ConfigError

if TYPE_CHECKING:
    import numpy as np

    from gaussfit.distributions import Family

CHUNK = 65_536


@click.command("simulate", short_help="Draw from a distribution (and fit it back).")
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Number of draws.")
@click.option(
    "-d",
    "--dist",
    default="normal",
    show_default=True,
    help="Family to draw from (see 'gaussfit dists').",
)
@options.components_option
@click.option(
    "-p",
    "--param",
    "params",
    type=options.Assignments(),
    multiple=True,
    help="Parameter values, e.g. --param mu=0 --param sigma=2 (repeatable; "
    "others keep their defaults, normal: mu=2.5, sigma=1.5).",
)
@click.option("--seed", type=click.IntRange(min=0), help="Seed: the same seed, the same draws.")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write the draws to FILE (.npy, otherwise CSV) instead of standard output.",
)
@click.option(
    "--fit",
    "fit_back",
    is_flag=True,
    help="Fit the family to the draws and show the estimates beside the truth.",
)
@click.option(
    "--optimizer",
    type=click.Choice(options.OPTIMIZER_NAMES, case_sensitive=False),
    help="Optimiser for --fit.  [default: newton]",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="With --fit: print the fit as one JSON object with a 'truth' key.",
)
@click.option("-q", "--quiet", is_flag=True, help="With --fit: print only the results table.")
@click.option(
    "--censor",
    metavar="KIND:VALUE,...",
    help="Censor the draws: right:Q above the true Q-quantile, left:Q below it, interval:W "
    "every other draw to its width-W interval; output then has left,right columns.",
)
@click.pass_obj
def simulate(
    env: Environment,
    n: int,
    dist: str,
    components: int | None,
    params: tuple[dict[str, float], ...],
    seed: int | None,
    output: str | None,
    fit_back: bool,
    optimizer: str | None,
    as_json: bool,
    quiet: bool,
    censor: str | None,
) -> None:
    """Draw N values from a distribution: a CSV column with header x on standard output.

    With --fit the draws are fitted back and the report adds a column with the true values,
    the quickest check that the fitter recovers what generated the data.
    """
    if (as_json or quiet or optimizer) and not fit_back:
        flag = "--json" if as_json else "--quiet" if quiet else "--optimizer"
        raise click.UsageError(f"{flag} applies to --fit; the draws themselves are CSV")
    family = options.resolve_family(dist, components)
    truth = true_params(family, options.merge_assignments(params, "--param"))

    import numpy as np

    values = family.sample(truth, n, np.random.default_rng(seed))
    if censor is not None:
        _censored(
            env, family, truth, values, censor, output, fit_back, optimizer, as_json, quiet, seed
        )
        return
    if output:
        write_draws(output, values, family.discrete)
    if not fit_back:
        if not output:
            for chunk in csv_lines(values, family.discrete):
                env.stdout.write(chunk)
            env.stdout.flush()
        return

    from gaussfit.cli.output import show_fit
    from gaussfit.fitting import fit as fit_distribution

    source = {"path": output, "column": "x", "simulated": True, "seed": seed}
    with fit_progress(env, f"fitting {family.name}", enabled=not (as_json or quiet)) as on_step:
        result = fit_distribution(
            values,
            family,
            optimizer=optimizer.lower() if optimizer else None,
            on_step=on_step,
            source=source,
            seed=seed,
        )
    show_fit(
        env,
        result,
        title=family.title,
        every=None,
        as_json=as_json,
        quiet=quiet,
        truth=truth,
        written=[output] if output else None,
    )


def _censored(
    env: Environment,
    family: Family,
    truth: dict[str, float],
    values: np.ndarray,
    censor: str,
    output: str | None,
    fit_back: bool,
    optimizer: str | None,
    as_json: bool,
    quiet: bool,
    seed: int | None,
) -> None:
    """``--censor``: the draws as left,right bounds (CSV), optionally fitted back."""
    from gaussfit.data.simulate_censored import bounds_csv, censor_draws, parse_censor

    obs = censor_draws(values, family, truth, parse_censor(censor))
    if output:
        if output.lower().endswith(".npy"):
            raise ConfigError("--censor writes left,right columns as CSV; not .npy")
        from gaussfit.data import atomic_write_text

        atomic_write_text(output, bounds_csv(obs))
    if not fit_back:
        if not output:
            env.stdout.write(bounds_csv(obs))
            env.stdout.flush()
        return
    from gaussfit.cli.output import show_fit
    from gaussfit.fitting import fit as fit_distribution

    source = {"path": output, "column": "left/right", "simulated": True, "seed": seed}
    with fit_progress(env, f"fitting {family.name}", enabled=not (as_json or quiet)) as on_step:
        result = fit_distribution(
            obs,
            family,
            optimizer=optimizer.lower() if optimizer else None,
            on_step=on_step,
            source=source,
        )
    show_fit(
        env,
        result,
        title=family.title,
        every=None,
        as_json=as_json,
        quiet=quiet,
        truth=truth,
        written=[output] if output else None,
    )


def true_params(family: Family, given: dict[str, float]) -> dict[str, float]:
    """The family's defaults overridden by ``--param``, checked against the domains."""
    from gaussfit.data.simulate import default_params

    options.check_parameters(family, given, "--param")
    params = {**default_params(family), **given}
    missing = [name for name in family.parameter_names if name not in params]
    if missing:
        raise ConfigError(
            f"--param: {family.name} needs {', '.join(missing)} (e.g. --param {missing[0]}=1)"
        )
    params = {name: params[name] for name in family.parameter_names}
    try:
        family.check_params(params)
    except ValueError as error:
        raise ConfigError(f"--param: {error}") from None
    return params


def csv_lines(values: np.ndarray, discrete: bool) -> Iterator[str]:
    """``x`` then one value a line: integers for counts, shortest round-trip text otherwise."""
    yield "x\n"
    for start in range(0, len(values), CHUNK):
        block = values[start : start + CHUNK].tolist()
        text = map(str, map(int, block)) if discrete else map(repr, block)
        yield "\n".join(text) + "\n"


def write_draws(path: str, values: np.ndarray, discrete: bool) -> None:
    """The draws as ``.npy`` or CSV text in ``path``, written atomically."""
    from gaussfit.data import atomic_write_bytes, atomic_write_text

    if path.lower().endswith(".npy"):
        import io

        import numpy as np

        buffer = io.BytesIO()
        np.save(buffer, values.astype(np.int64) if discrete else values)
        atomic_write_bytes(path, buffer.getvalue())
    else:
        atomic_write_text(path, "".join(csv_lines(values, discrete)))
