"""Options for what users derive from a fit: valid goodness-of-fit p-values, quantiles and
exceedance probabilities with intervals, profile-likelihood intervals, and the parametric
bootstrap. Declared here, apart from the fit's own options, and applied with one decorator
per command (``fit_options``, ``compare_options``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from gaussfit.cli import options

F = Callable[..., Any]


class Resamples(click.ParamType):
    """A number of resamples (at least 2) or ``auto``."""

    name = "B|auto"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | str:
        text = str(value).strip().lower()
        if text == "auto":
            return "auto"
        try:
            number = int(text)
        except ValueError:
            self.fail(f"{value!r} is neither a whole number nor 'auto'", param, ctx)
        if number < 2:
            self.fail(f"needs at least 2 resamples, got {number}", param, ctx)
        return number


class NumberList(click.ParamType):
    """``0.05,0.5,0.95``: finite numbers, strictly inside (0, 1) when ``probabilities``."""

    def __init__(self, probabilities: bool) -> None:
        self.probabilities = probabilities
        self.name = "P,P,..." if probabilities else "X,X,..."

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, ...]:
        if isinstance(value, tuple):
            return value
        out = []
        for piece in str(value).split(","):
            item = piece.strip()
            try:
                number = options.Number().convert(item, param, ctx)
            except click.BadParameter:
                self.fail(f"{item!r} is not a finite number", param, ctx)
            if self.probabilities and not 0.0 < number < 1.0:
                self.fail(f"{item} is not a probability strictly between 0 and 1", param, ctx)
            out.append(number)
        return tuple(out)


gof_bootstrap_option = click.option(
    "--gof-bootstrap",
    type=Resamples(),
    help="Valid KS, CvM and AD p-values (with their Monte Carlo errors) from B "
    "parametric-bootstrap refits; 'auto' stops once every error is below 0.01.",
)


def fit_options(command: F) -> F:
    """``--gof-bootstrap``, ``--quantiles``, ``--prob-above``, ``--ci``, ``--parametric``."""
    for option in reversed(
        [
            gof_bootstrap_option,
            click.option(
                "--quantiles",
                type=NumberList(probabilities=True),
                default=(),
                help="Fitted quantiles at these probabilities, with 95% delta-method intervals "
                "(and bootstrap percentile intervals with --bootstrap).",
            ),
            click.option(
                "--prob-above",
                type=NumberList(probabilities=False),
                default=(),
                help="P(X > x) for these values, with 95% intervals as for --quantiles.",
            ),
            click.option(
                "--ci",
                type=click.Choice(["wald", "profile"], case_sensitive=False),
                default="wald",
                show_default=True,
                help="'profile' adds profile-likelihood intervals beside the Wald ones (and beside "
                "the delta ones of --quantiles and --prob-above).",
            ),
            click.option(
                "--parametric",
                is_flag=True,
                help="Draw the --bootstrap resamples from the fitted model, not the data.",
            ),
        ]
    ):
        command = option(command)
    return command


def compare_options(command: F) -> F:
    """``--gof-bootstrap``, ``--bootstrap`` (how often each family wins) and ``--seed``."""
    for option in reversed(
        [
            gof_bootstrap_option,
            click.option(
                "--bootstrap",
                type=click.IntRange(min=2),
                metavar="B",
                help="Refit every family to B resamples of the data and count how often each "
                "ranks first by AIC.",
            ),
            click.option("--seed", type=click.IntRange(min=0), help="Seed of the resampling."),
        ]
    ):
        command = option(command)
    return command
