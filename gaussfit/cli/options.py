"""Parsing shared by the commands: ``NAME=VALUE`` lists, checked numbers, family names.

Every complaint names the option and the piece at fault, so a long ``--init`` with one typo
points at the typo. Nothing here imports numpy or the engine: ``gaussfit --help`` stays fast.
"""

from __future__ import annotations

import difflib
import math
from typing import TYPE_CHECKING, Any

import click

from gaussfit.errors import ConfigError

if TYPE_CHECKING:
    from gaussfit.distributions import Family

# The optimiser names of gaussfit.fitting.OPTIMIZERS, spelled out so that building the option
# (which happens for --help) needs no engine import; a test keeps the two lists equal.
OPTIMIZER_NAMES = ("newton", "lbfgs", "gd", "momentum", "adam")
DOMAIN_WORDS = {"real": "any real number", "positive": "> 0", "unit_interval": "between 0 and 1"}


class Number(click.ParamType):
    """A finite float, optionally bounded below (``lower``, strict when ``strict``)."""

    def __init__(self, lower: float | None = None, *, strict: bool = False) -> None:
        self.lower = lower
        self.strict = strict
        if lower is None:
            self.name = "number"
        else:
            self.name = f"number {'>' if strict else '>='} {lower:g}"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            number = value
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        if self.lower is not None and (
            number <= self.lower if self.strict else number < self.lower
        ):
            bound = "greater than" if self.strict else "at least"
            self.fail(f"must be {bound} {self.lower:g}, got {value}", param, ctx)
        return number


POSITIVE = Number(0.0, strict=True)
NON_NEGATIVE = Number(0.0)


class Assignments(click.ParamType):
    """``NAME=VALUE[,NAME=VALUE...]`` into a dict of floats, e.g. ``--init mu=1,sigma=2``."""

    name = "name=value,..."

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dict[str, float]:
        if isinstance(value, dict):
            return value
        try:
            return parse_assignments(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def parse_assignments(text: str) -> dict[str, float]:
    """Parse ``"mu=1, sigma=2"``; ValueError naming the malformed piece otherwise."""
    out: dict[str, float] = {}
    if not text.strip():
        raise ValueError("expected NAME=VALUE[,NAME=VALUE...], got nothing")
    for piece in text.split(","):
        item = piece.strip()
        if not item:
            raise ValueError(f"empty item in {text!r} (a stray comma?)")
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep:
            raise ValueError(f"{item!r} is not NAME=VALUE")
        if not name:
            raise ValueError(f"{item!r} has no parameter name before '='")
        if not raw:
            raise ValueError(f"{item!r} has no value after '='")
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(f"{item!r}: {raw!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{item!r}: {raw!r} is not a finite number")
        if name in out:
            raise ValueError(f"{name} is given twice")
        out[name] = number
    return out


def merge_assignments(pieces: tuple[dict[str, float], ...], option: str) -> dict[str, float]:
    """Join the values of a repeatable option; a name given twice is an error."""
    out: dict[str, float] = {}
    for piece in pieces:
        for name, value in piece.items():
            if name in out:
                raise ConfigError(f"{option}: {name} is given twice")
            out[name] = value
    return out


def check_parameters(family: Family, values: dict[str, float], option: str) -> None:
    """ConfigError naming the first unknown parameter (with a suggestion when one is close)
    or the first value outside its parameter's domain."""
    domains = {p.name: p.constraint for p in family.parameters}
    for name, value in values.items():
        if name not in domains:
            close = difflib.get_close_matches(name, list(domains), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(
                f"{option}: {family.name} has no parameter '{name}' "
                f"(parameters: {', '.join(domains)}){hint}"
            )
        constraint = domains[name]
        if not constraint.contains(value):
            raise ConfigError(
                f"{option}: {name}={value:g} is outside the domain of {name} "
                f"({DOMAIN_WORDS.get(constraint.name, constraint.name)})"
            )


def resolve_family(name: str, k: int | None) -> Family:
    """The family called ``name``; ``k`` (components) only for the normal mixture."""
    from gaussfit.distributions import get_family

    family = get_family(name)
    if k is None:
        return family
    if "k" not in _constructor_options(family):
        raise ConfigError(
            f"--k sets the number of components of normal_mixture; {family.name} takes no k"
        )
    return get_family(name, k=k)


def _constructor_options(family: Family) -> list[str]:
    import inspect

    return [p for p in inspect.signature(type(family)).parameters if p != "self"]


def output_kind(path: str, option: str, allowed: dict[str, str]) -> str:
    """The format named by ``path``'s suffix (``allowed`` maps suffix to kind)."""
    lowered = path.lower()
    for suffix, kind in allowed.items():
        if lowered.endswith(suffix):
            return kind
    raise ConfigError(
        f"{option}: cannot tell the format of '{path}'; use a name ending in {' or '.join(allowed)}"
    )


# -- options several commands share, declared once -------------------------------------------
LOCAL_CLUSTER = "local"
"""What a bare ``--dask`` means: start a LocalCluster on this machine."""

column_option = click.option(
    "-c",
    "--column",
    metavar="NAME|INDEX",
    help="Column to fit: header name or 0-based index.  [default: first numeric]",
)
weights_option = click.option(
    "--weights", "weights_column", metavar="COLUMN", help="Column of frequency weights."
)
drop_missing_option = click.option(
    "--drop-missing",
    is_flag=True,
    help="Skip rows with empty or unreadable values (and say how many).",
)
components_option = click.option(
    "--k",
    "components",
    type=click.IntRange(min=2),
    help="Number of components of normal_mixture.  [default: 2]",
)


def dask_option(what: str, more: str = ""):
    """``--dask [ADDRESS]``: a local cluster when bare, else the scheduler at ADDRESS."""
    return click.option(
        "--dask",
        "dask_address",
        is_flag=False,
        flag_value=LOCAL_CLUSTER,
        default=None,
        metavar="[ADDRESS]",
        help=f"{what} on Dask: a local cluster, or the scheduler at ADDRESS.{more}",
    )


def scheduler_of(dask_address: str) -> str | None:
    """The scheduler address to connect to, or None to start a local cluster."""
    return None if dask_address == LOCAL_CLUSTER else dask_address
