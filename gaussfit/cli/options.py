"""Parsing shared by the commands: ``NAME=VALUE`` lists, checked numbers, family names.

Every complaint names the option and the piece at fault, so a long ``--init`` with one typo
points at the typo. Nothing here imports numpy or the engine: ``gaussfit --help`` stays fast.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import TYPE_CHECKING, Any

import click

from gaussfit.errors import ConfigError

if TYPE_CHECKING:
    from gaussfit.distributions import Family

# The optimiser names of gaussfit.fitting.OPTIMIZERS, spelled out so that building the option
# (which happens for --help) needs no engine import; a test keeps the two lists equal.
OPTIMIZER_NAMES = ("newton", "lbfgs", "gd", "momentum", "adam")
DOMAIN_WORDS = {"real": "any real number", "positive": "> 0", "unit_interval": "between 0 and 1"}
DOMAIN_WORDS["positive_integer"] = "a whole number ≥ 1"


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


def dist_option(what: str = "Family to fit"):
    """``-d/--dist NAME`` (default normal)."""
    return click.option(
        "-d",
        "--dist",
        default="normal",
        show_default=True,
        help=f"{what} (see 'gaussfit dists').",
    )


components_option = click.option(
    "--k",
    "components",
    type=click.IntRange(min=2),
    help="Number of components of normal_mixture.  [default: 2]",
)


DASK_SCHEMES = ("tcp", "tls", "inproc", "ws", "wss", "ucx")


class DaskAddress(click.ParamType):
    """A scheduler address, ``[tcp://]HOST:PORT`` (IPv6 hosts in brackets); checked here so
    that a malformed one is a usage error rather than a failure deep inside Dask."""

    name = "address"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if text == LOCAL_CLUSTER:
            return text
        try:
            return check_dask_address(text)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def check_dask_address(text: str) -> str:
    """``text`` when it reads as a scheduler address; ValueError saying what is wrong."""
    shown = text if len(text) <= 40 else text[:37] + "..."
    expected = "expected [tcp://]HOST:PORT, e.g. tcp://127.0.0.1:8786"
    if not text or any(c.isspace() or not c.isprintable() for c in text):
        raise ValueError(f"{shown!r} is not a scheduler address; {expected}")
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme not in DASK_SCHEMES:
        raise ValueError(
            f"{shown!r}: unknown protocol '{scheme[:12]}' (use {', '.join(DASK_SCHEMES)})"
        )
    if scheme == "inproc":
        return text
    if rest.startswith("["):
        host, bracket, tail = rest[1:].partition("]")
        if not bracket or not host or (tail and not tail.startswith(":")):
            raise ValueError(f"{shown!r}: an IPv6 host goes in brackets, [::1]:8786; {expected}")
        port = tail[1:]
    else:
        host, _, port = rest.rpartition(":")
        if not host:
            host, port = rest, ""
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,253}", host):
            raise ValueError(f"{shown!r} is not a scheduler address; {expected}")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"{shown!r}: port {port[:12]!r} is not a number from 1 to 65535")
    return text


def dask_option(what: str, more: str = ""):
    """``--dask [ADDRESS]``: a local cluster when bare, else the scheduler at ADDRESS."""
    return click.option(
        "--dask",
        "dask_address",
        type=DaskAddress(),
        is_flag=False,
        flag_value=LOCAL_CLUSTER,
        default=None,
        metavar="[ADDRESS]",
        help=f"{what} on Dask: a local cluster, or the scheduler at ADDRESS.{more}",
    )


def scheduler_of(dask_address: str) -> str | None:
    """The scheduler address to connect to, or None to start a local cluster."""
    return None if dask_address == LOCAL_CLUSTER else dask_address


# -- the fit options: declared here once, used by fit, simulate --fit and compare ------------
def optimizer_option(what: str = "Optimiser."):
    return click.option(
        "--optimizer",
        type=click.Choice(OPTIMIZER_NAMES, case_sensitive=False),
        help=f"{what}  [default: newton]",
    )


lr_option = click.option(
    "--lr",
    type=POSITIVE,
    help="Learning rate of gd, momentum and adam.  "
    "[default: gd 0.5*variance/n, momentum a tenth of that, adam 0.05]",
)
iters_option = click.option(
    "--iters",
    type=click.IntRange(min=1),
    metavar="N",
    help="Maximum number of iterations.  [default: per optimizer]",
)
tol_option = click.option(
    "--tol",
    type=NON_NEGATIVE,
    help="Stop when no gradient component per observation exceeds TOL; 0 runs "
    "all --iters.  [default: 1e-8]",
)
init_option = click.option("--init", type=Assignments(), help="Starting values, e.g. mu=1,sigma=1.")
fix_option = click.option(
    "--fix",
    type=Assignments(),
    help="Hold parameters fixed, e.g. mu=0; binomial and betabinom take their number of "
    "trials so: n=20.",
)
bootstrap_option = click.option(
    "--bootstrap",
    type=click.IntRange(min=2),
    metavar="B",
    help="Add percentile intervals from B resamples.",
)
time_budget_option = click.option(
    "--time-budget",
    type=POSITIVE,
    metavar="SECONDS",
    help="Stop a fit that runs longer than SECONDS (it is then reported as not converged).",
)
scipy_option = click.option(
    "--scipy/--no-scipy",
    "scipy_reference",
    default=None,
    help="Run scipy's fit beside ours (importing scipy.stats alone takes about a second).  "
    "[default: --no-scipy]",
)
gof_option = click.option(
    "--no-gof",
    is_flag=True,
    help="Skip the goodness-of-fit tests (KS, CvM, AD; chi-square for counts).",
)
every_option = click.option(
    "--every",
    type=click.IntRange(min=1),
    metavar="K",
    help="Show every K-th iteration.  [default: about 10 rows]",
)
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print only the results table.")
plot_option = click.option(
    "--plot",
    metavar="FILE",
    help="Draw data and fit to FILE (.png, .pdf or .svg; needs gaussfit[plot]).",
)
log_scale_option = click.option(
    "--log-scale",
    type=click.Choice(["auto", "x", "y", "none"], case_sensitive=False),
    default="auto",
    show_default=True,
    help="Log axes of --plot: x for the values, y for the density; auto puts the values on a "
    "log axis when positive data span three decades or more.",
)
logdir_option = click.option(
    "--logdir",
    help="Write the graph and every iteration's log p(X), parameters and gradient norm "
    "for TensorBoard (tensorboard --logdir DIR).",
)

FIT_SETTING_NAMES = (
    "optimizer",
    "lr",
    "iters",
    "tol",
    "init",
    "fix",
    "bootstrap",
    "time_budget",
    "scipy_reference",
    "no_gof",
    "method",
    "probs",
    "gof_distance",
)
"""The parameters ``fit_settings`` turns into keyword arguments of ``gaussfit.fitting.fit``."""


def fit_settings(family: Family | None, values: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``gaussfit.fitting.fit`` for the fit options in ``values``
    (checking ``--init`` and ``--fix`` against ``family``'s parameters when given)."""
    from gaussfit.cli.method_options import method_settings

    if family is not None:
        check_parameters(family, values.get("init") or {}, "--init")
        check_parameters(family, values.get("fix") or {}, "--fix")
    optimizer = values.get("optimizer")
    reference = values.get("scipy_reference")
    return {
        "optimizer": optimizer.lower() if optimizer else None,
        "lr": values.get("lr"),
        "max_iter": values.get("iters"),
        "tol": values.get("tol"),
        "init": values.get("init"),
        "fixed": values.get("fix"),
        "bootstrap": values.get("bootstrap") or 0,
        "time_budget": values.get("time_budget"),
        "references": True if reference else "closed_form",
        "gof": not values.get("no_gof"),
        **method_settings(values),
    }


def given_fit_options(values: dict[str, Any]) -> list[str]:
    """The fit options present in ``values`` (click's parameters), spelled as flags."""
    defaults: dict[str, Any] = {"no_gof": False, "bootstrap": None, "probs": ()}
    flags = {"scipy_reference": "--scipy/--no-scipy", "no_gof": "--no-gof"}
    return [
        flags.get(name, "--" + name.replace("_", "-"))
        for name in FIT_SETTING_NAMES
        if values.get(name) is not None and values.get(name) != defaults.get(name)
    ]


def check_outputs(inputs: tuple[str | None, ...], **outputs: str | None) -> None:
    """Check every output option before anything is read or written: a name that is not
    empty, not one of the ``inputs`` (by name, or the same file reached through a link), not
    another output's, and (except ``logdir``) not a directory. Keywords name the options:
    ``check_outputs((path,), output=..., plot=...)``."""
    import os

    seen: dict[str, str] = {}
    for key, path in outputs.items():
        if path is None:
            continue
        option = "--" + key.replace("_", "-")
        if not path.strip():
            raise ConfigError(f"{option}: the file name is empty")
        for source in inputs:
            if source and source != "-" and _same_file(path, source):
                raise ConfigError(
                    f"{option} {path} is the input file {source}: writing there would "
                    "replace the data; choose another name"
                )
        for other, other_option in seen.items():
            if _same_file(path, other):
                raise ConfigError(f"{option} {path} is also {other_option}'s file")
        if key != "logdir" and os.path.isdir(path):
            raise ConfigError(f"{option}: {path} is a directory; give a file name")
        seen[path] = option


def _same_file(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name one file: the same inode (hard and symbolic links), or
    for files that do not exist yet the same resolved path."""
    import os

    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.realpath(a) == os.path.realpath(b)


def user_family_options(function: Any) -> Any:
    """``--logpdf``, ``--params``, ``--support`` and ``--family-module``: a family of the
    user's own, instead of a named one."""
    for decorator in reversed(
        (
            click.option(
                "--logpdf",
                metavar="EXPR",
                help="Fit your own log-density of x, e.g. 'log(k) - log(lam) + (k-1)*log(x/lam) "
                "- (x/lam)**k' (numbers, + - * / **, parentheses, log exp sqrt log1p expm1 "
                "lgamma digamma lbeta abs sin cos tanh atan sigmoid softplus erf erfc ndtr "
                "log_ndtr, pi, e); with --params.",
            ),
            click.option(
                "--params",
                "user_params",
                metavar="SPEC",
                help="The parameters of --logpdf with their domains, e.g. 'k>0,lam>0' (domains: "
                "real, >a, >=a, <b, <=b, (0,1), (a,b), [a,b], '>=0 integer' held by --fix).",
            ),
            click.option(
                "--support",
                "user_support",
                metavar="SPEC",
                help="Where the data of --logpdf lie: real, >0, >=0, (a,b), [a,b]..., or "
                "integers>=N for a mass function.  [default: real]",
            ),
            click.option(
                "--logcdf",
                metavar="EXPR",
                help="log F(x) of --logpdf, e.g. 'log1p(-exp(-(x/lam)**k))': lets it fit "
                "censored or truncated data, and goodness of fit use it.",
            ),
            click.option(
                "--family-module",
                metavar="PATH.py:NAME",
                help="Fit the gaussfit.Family subclass NAME defined in the Python file PATH.py.",
            ),
        )
    ):
        function = decorator(function)
    return function


def resolve_user_family(
    logpdf: str | None,
    params: str | None,
    support: str | None,
    family_module: str | None,
    dist_given: bool,
    logcdf: str | None = None,
) -> Family | None:
    """The user's family from ``--logpdf``/``--params``/``--support``/``--logcdf`` or
    ``--family-module``, None when neither is given; ConfigError for a missing or conflicting
    piece."""
    if logpdf is None and family_module is None:
        pieces = (("--params", params), ("--support", support), ("--logcdf", logcdf))
        stray = [o for o, v in pieces if v is not None]
        if stray:
            raise ConfigError(f"{' and '.join(stray)} describe(s) --logpdf; give --logpdf EXPR")
        return None
    if logpdf is not None and family_module is not None:
        raise ConfigError("--logpdf and --family-module each give the family; choose one")
    if dist_given:
        chosen = "--logpdf" if logpdf is not None else "--family-module"
        raise ConfigError(f"--dist and {chosen} each give the family; choose one")
    if family_module is not None:
        if params is not None or support is not None or logcdf is not None:
            raise ConfigError(
                "--params, --support and --logcdf describe --logpdf; a --family-module family "
                "declares its own"
            )
        from gaussfit.distributions.family_module import load_family

        return load_family(family_module)
    if params is None:
        raise ConfigError("--logpdf needs --params, e.g. --params 'k>0,lam>0'")
    from gaussfit.distributions.user_family import UserFamily

    return UserFamily(logpdf, params, support, logcdf=logcdf)


def dist_was_given(name: str = "dist") -> bool:
    """Whether the option ``name`` was given on the command line (not its default)."""
    from click.core import ParameterSource

    context = click.get_current_context(silent=True)
    return context is not None and context.get_parameter_source(name) not in (
        ParameterSource.DEFAULT,
        None,
    )
