"""``gaussfit dists``: the families, their parameters and support."""

from __future__ import annotations

import click

from gaussfit.cli.environment import Environment


@click.command("dists", short_help="List the distribution families.")
@click.option("--json", "as_json", is_flag=True, help='Print {"families": [...]} and nothing else.')
@click.pass_obj
def dists(env: Environment, as_json: bool) -> None:
    """List the families: name, aliases, parameters with their domains, support, whether a
    closed-form estimate exists, and whether the family is discrete or continuous."""
    from gaussfit.distributions import FAMILIES, get_family
    from gaussfit.report.families import family_record

    records = [family_record(get_family(name)) for name in FAMILIES]
    if as_json:
        from gaussfit.report.json_out import dumps

        env.write(dumps({"families": records}))
        return
    from gaussfit.report.screen import print_dists

    print_dists(env.console(), records)
