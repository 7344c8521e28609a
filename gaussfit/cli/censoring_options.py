"""The options that describe censored and truncated data, declared once for fit and compare.

``@censoring_options`` adds ``--left/--right`` (fitdistrplus's two columns), ``--event`` and
``--event-censored`` (lifelines' layout), ``--censor-marks`` (``<0.5``/``>1200`` in one
column), ``--truncate LO,HI`` and ``--truncate-left COLUMN`` (delayed entry). The command
receives them as one keyword, ``censoring``: a ``CensoredLayout`` without the value and weight
columns (``layout_for`` adds them), or None when no such option was given. Nothing here imports
numpy: ``--help`` stays fast.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import click

_NAMES = (
    "left",
    "right",
    "event",
    "event_censored",
    "censor_marks",
    "truncate",
    "truncate_left",
)


class Window(click.ParamType):
    """``LO,HI`` with ``-inf``/``inf`` for an open side, e.g. ``300,inf``."""

    name = "lo,hi"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, float]:
        if isinstance(value, tuple):
            return value
        try:
            from gaussfit.data.censored_reader import parse_window

            return parse_window(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def censoring_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the censoring options to ``command`` and hand it ``censoring=`` instead."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in _NAMES}
        return command(*args, censoring=_layout(given), **kwargs)

    decorators = [
        click.option(
            "--left",
            metavar="COLUMN",
            help="Column of lower bounds (empty or NA: left-censored); needs --right.",
        ),
        click.option(
            "--right",
            metavar="COLUMN",
            help="Column of upper bounds (empty or NA: right-censored); equal bounds are exact.",
        ),
        click.option(
            "--event",
            metavar="COLUMN",
            help="Event column: 1 observed, 0 right-censored (lifelines' layout).",
        ),
        click.option(
            "--event-censored",
            metavar="VALUE",
            help="The --event value that means right-censored (every other value: observed).",
        ),
        click.option(
            "--censor-marks",
            is_flag=True,
            help="Read <x as left-censored at x and >x as right-censored at x.",
        ),
        click.option(
            "--truncate",
            type=Window(),
            help="Only values in [LO, HI] could be observed (-inf or inf for an open side).",
        ),
        click.option(
            "--truncate-left",
            metavar="COLUMN",
            help="Column of per-row entry times (delayed entry: left truncation per row).",
        ),
    ]
    for decorate in reversed(decorators):
        wrapper = decorate(wrapper)
    return wrapper


def _layout(given: dict[str, Any]) -> dict[str, Any] | None:
    """The censoring options as ``CensoredLayout`` keywords, or None when none was given."""
    if not any(v not in (None, False) for v in given.values()):
        return None
    truncation = given["truncate"] or (-math.inf, math.inf)
    return {
        "left": given["left"],
        "right": given["right"],
        "event": given["event"],
        "event_censored": given["event_censored"],
        "marks": bool(given["censor_marks"]),
        "entry": given["truncate_left"],
        "truncation": truncation,
    }


def layout_for(censoring: dict[str, Any], column: str | None, weights: str | None) -> Any:
    """The full ``CensoredLayout`` (checked: --left needs --right, one layout at a time)."""
    from gaussfit.data.censored_reader import CensoredLayout

    return CensoredLayout(column=column, weights=weights, **censoring)
