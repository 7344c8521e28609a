"""``--method``, ``--probs`` and ``--gof-distance``: the estimator of ``fit``, ``compare`` and
``simulate --fit`` (``gaussfit.fitting.estimation`` checks them and says which option is at
fault). The names are spelled out here so that ``--help`` needs no engine import; a test keeps
them equal to the fitting layer's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from gaussfit.cli.derived_options import NumberList

F = Callable[..., Any]
METHOD_NAMES = ("mle", "mme", "qme", "mge", "mse")
DISTANCE_NAMES = ("CvM", "KS", "AD", "ADR", "ADL", "AD2R", "AD2L", "AD2")


def method_options(command: F) -> F:
    """The three options, in this order in ``--help``."""
    for option in reversed(
        [
            click.option(
                "--method",
                type=click.Choice(METHOD_NAMES, case_sensitive=False),
                help="Estimator: mle maximum likelihood, mme moments, qme quantiles (--probs), "
                "mge goodness of fit (--gof-distance), mse product of spacings, as "
                "fitdistrplus defines them.  [default: mle]",
            ),
            click.option(
                "--probs",
                type=NumberList(probabilities=True),
                default=(),
                help="With --method qme: the probabilities whose quantiles are matched, one "
                "per free parameter, e.g. 0.25,0.75.",
            ),
            click.option(
                "--gof-distance",
                type=click.Choice(DISTANCE_NAMES, case_sensitive=False),
                help="With --method mge: the distance minimised (fitdistrplus's mgedist "
                "names).  [default: CvM]",
            ),
        ]
    ):
        command = option(command)
    return command


def method_settings(values: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``gaussfit.fitting.fit`` for the options in ``values``."""
    method = values.get("method")
    distance = values.get("gof_distance")
    return {
        "method": method.lower() if method else "mle",
        "probs": tuple(values.get("probs") or ()) or None,
        "gof_distance": distance,
    }
