"""A family from the command line: ``--logpdf EXPR --params SPEC [--support SPEC]``.

``--params 'k>0,lam>0'`` declares the parameters, in order, each with its domain:

=========================  =========================================================
``real``                   any real number (the optimiser moves it as it is)
``>0``                     positive (moved as log k)
``>a``, ``>=a``            above a (moved as log(k - a)); ``>=`` lets --fix take a
``<b``, ``<=b``            below b (moved as log(b - k))
``(0,1)``                  a probability (moved as its logit)
``(a,b)``, ``[a,b]`` ...   between a and b (a scaled logit); brackets let --fix take an end
``>=0 integer``            an integer (a number of trials): never estimated, held by --fix
=========================  =========================================================

``--support`` says where the data may lie: ``real`` (the default), ``>0``, ``>=0``, ``<b``,
``(a,b)``, ``[a,b]``... for a density, ``integers>=0`` (or ``>=1``, ...) for a mass function,
which makes the family discrete. A value outside it is an error naming its line of the file.

``--logcdf`` (optional) gives log F(x) as a second expression: censored and truncated data can
then be fitted (log(1 - F) is derived from it), and goodness of fit uses it instead of the
density's integral; the fit warns when the two disagree.
"""

from __future__ import annotations

import math
import re

import numpy as np

import gaussfit.engine as tf
from gaussfit.distributions import expression, numeric
from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.constraints import POSITIVE, REAL, UNIT_INTERVAL, Constraint
from gaussfit.distributions.tails import log1mexp
from gaussfit.errors import ConfigError

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_BOUND = re.compile(rf"(>=|<=|>|<)\s*({NUMBER}|-?inf)$")
_INTERVAL = re.compile(rf"([(\[])\s*({NUMBER}|-inf)\s*,\s*({NUMBER}|inf)\s*([)\]])$")
_COUNTS = re.compile(r"integers\s*>=\s*([-+]?\d+)$")


class UserFamily(Family):
    """A family whose log-density is a parsed expression (see ``expression``).

    It has what a family declaring only its density has (see ``Family``): a data-blind start
    with restarts, the CDF and the total mass by quadrature, no sampler and no scipy
    counterpart.
    """

    def __init__(
        self,
        logpdf: str,
        params: str,
        support: str | None = None,
        *,
        logcdf: str | None = None,
        options: tuple[str, ...] = ("--logpdf", "--params", "--support", "--logcdf"),
    ) -> None:
        logpdf_option, params_option, support_option, logcdf_option = options
        self.params = parse_parameters(params, params_option)
        self.support, self.discrete = parse_support(support, support_option)
        names = [p.name for p in self.params]
        self.tree = expression.parse(logpdf, names, logpdf_option, params_option)
        used = expression.names_used(self.tree)
        if expression.DATA not in used:
            raise ConfigError(f"{logpdf_option}: the expression never uses the data x")
        unused = [n for n in names if n not in used]
        if unused:
            raise ConfigError(
                f"{params_option}: {', '.join(unused)} declared but not used in the "
                f"expression of {logpdf_option} (the data could not determine it)"
            )
        self.cdf_tree = None
        if logcdf is not None:
            self.cdf_tree = expression.parse(logcdf, names, logcdf_option, params_option)
            if expression.DATA not in expression.names_used(self.cdf_tree):
                raise ConfigError(f"{logcdf_option}: the expression never uses the data x")
        self.expression = logpdf.strip()
        self.name = "logpdf"
        self.title = f"user density {self.expression}"

    def log_prob(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        terms = expression.build(self.tree, {expression.DATA: x, **p})
        return terms + tf.zeros_like(x)  # a term free of x still gives one value per datum

    # With --logcdf: the CDF's graphs (censored data, truncation) and its values (goodness of
    # fit); without it, the base class's (none, and the density integrated).
    def log_cdf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        if self.cdf_tree is None:
            return super().log_cdf(x, p)
        return expression.build(self.cdf_tree, {expression.DATA: x, **p}) + tf.zeros_like(x)

    def log_sf(self, x: tf.Tensor, p: dict[str, tf.Tensor]) -> tf.Tensor:
        if self.cdf_tree is None:
            return super().log_sf(x, p)
        return log1mexp(-self.log_cdf(x, p))  # log(1 - F)

    def cdf(self, x: np.ndarray, params: dict[str, float]) -> np.ndarray:
        if self.cdf_tree is None:
            return super().cdf(x, params)
        evaluate = self.__dict__.get("_cdf_evaluator")
        if evaluate is None:
            evaluate = self.__dict__["_cdf_evaluator"] = numeric.DensityEvaluator(
                self, self.log_cdf
            )
        return numeric.density(evaluate(np.asarray(x, dtype=np.float64), params))

    @property
    def has_own_cdf(self) -> bool:
        return self.cdf_tree is not None

    @property
    def density_unchecked(self) -> bool:
        return True


def parse_parameters(spec: str, option: str = "--params") -> tuple[Parameter, ...]:
    """``'k>0, lam>0'`` into parameters; ConfigError naming the piece at fault."""
    if not isinstance(spec, str) or not spec.strip():
        raise ConfigError(f"{option}: expected NAME DOMAIN[, ...], e.g. 'k>0,lam>0'")
    out: list[Parameter] = []
    for piece in _split_top_level(spec, option):
        match = NAME.match(piece)
        if match is None:
            raise ConfigError(f"{option}: {piece!r} does not start with a parameter name")
        name, domain = match.group(0), piece[match.end() :].strip()
        if name == expression.DATA:
            raise ConfigError(f"{option}: x is the data, not a parameter; choose another name")
        if name in expression.FUNCTIONS:
            raise ConfigError(f"{option}: {name} is a function's name; choose another name")
        if any(p.name == name for p in out):
            raise ConfigError(f"{option}: {name} is declared twice")
        if not domain:
            raise ConfigError(
                f"{option}: {name} has no domain; write e.g. {name}>0, {name} real, "
                f"{name}(0,1) or {name}>=0 integer"
            )
        out.append(Parameter(name, parse_domain(domain, f"{option}: {name}"), domain))
    return tuple(out)


def parse_domain(text: str, where: str) -> Constraint:
    """One parameter's domain (see the module's table)."""
    words = text.split()
    integer = bool(words) and words[-1] == "integer"
    body = " ".join(words[:-1] if integer else words).strip()
    if integer:
        if body and not body.startswith((">", "<", "(", "[")):
            raise ConfigError(f"{where}: unknown domain {text!r}")
        low, high, low_closed, high_closed = _bounds(body, where) if body else _WHOLE_LINE
        if math.isfinite(low):  # the smallest integer in the domain, as a closed bound
            low, low_closed = (low + 1 if low == math.floor(low) and not low_closed
                               else math.ceil(low)), True  # fmt: skip
        return Constraint("integer", low, high, low_closed, high_closed)
    if body == "real":
        return REAL
    if not body.startswith((">", "<", "(", "[")):
        raise ConfigError(
            f"{where}: unknown domain {text!r} (domains: real, >a, >=a, <b, <=b, (a,b), "
            "[a,b], with 'integer' after one for an integer)"
        )
    low, high, low_closed, high_closed = _bounds(body, where)
    if low == 0.0 and high == math.inf:
        return Constraint("positive", 0.0, math.inf, low_closed) if low_closed else POSITIVE
    if low == 0.0 and high == 1.0 and not (low_closed or high_closed):
        return UNIT_INTERVAL
    if math.isfinite(low) and math.isfinite(high):
        return Constraint("interval", low, high, low_closed, high_closed)
    if math.isfinite(low):
        return Constraint("greater_than", low, math.inf, low_closed)
    if math.isfinite(high):
        return Constraint("less_than", -math.inf, high, False, high_closed)
    return REAL


_WHOLE_LINE = (-math.inf, math.inf, False, False)


def _bounds(text: str, where: str) -> tuple[float, float, bool, bool]:
    """(lower, upper, lower closed, upper closed) of ``>a``, ``<=b``, ``(a,b]``..."""
    bound = _BOUND.match(text)
    if bound is not None:
        op, value = bound.group(1), float(bound.group(2))
        if math.isinf(value):
            raise ConfigError(f"{where}: the bound in {text!r} must be a finite number")
        if op.startswith(">"):
            return value, math.inf, op == ">=", False
        return -math.inf, value, False, op == "<="
    interval = _INTERVAL.match(text)
    if interval is not None:
        left, low, high, right = interval.groups()
        lower, upper = float(low), float(high)
        if not lower < upper:
            raise ConfigError(f"{where}: the interval {text!r} is empty (need a < b)")
        return lower, upper, left == "[" and math.isfinite(lower), right == "]"
    raise ConfigError(
        f"{where}: cannot read the domain {text!r} (e.g. >0, >=1, <0, (0,1), [0,10), real)"
    )


def _split_top_level(spec: str, option: str) -> list[str]:
    """Split at the commas that are not inside an interval's brackets."""
    pieces, depth, current = [], 0, ""
    for char in spec:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            pieces.append(current.strip())
            current = ""
        else:
            current += char
    pieces.append(current.strip())
    for piece in pieces:
        if not piece:
            raise ConfigError(f"{option}: empty item in {spec!r} (a stray comma?)")
    return pieces


def parse_support(spec: str | None, option: str = "--support") -> tuple[Support, bool]:
    """The data's support and whether it is a set of integers (a mass function)."""
    if spec is None or spec.strip() == "real":
        return Support(), False
    text = spec.strip()
    counts = _COUNTS.match(text)
    if counts is not None:
        return Support(lower=float(counts.group(1)), lower_open=False, integer=True), True
    if text.startswith("integers"):
        raise ConfigError(f"{option}: write counts as integers>=N, e.g. integers>=0, not {text!r}")
    low, high, low_closed, high_closed = _bounds(text, option)
    return Support(low, high, not low_closed, not high_closed), False
