"""The number of trials of the binomial-type families: given by the user, never estimated.

The data of a binomial say how many successes each experiment had, not out of how many trials:
the likelihood in n is not even bounded (n larger than every count fits about as well as any).
So n is a *given* parameter: the user states it (``--fix n=20``, ``fixed={"n": 20}``, batch
``fix: {n: 20}``), the family is bound to it (support, closed form, statistics and CDF sums
need it), and the fit holds it there.
"""

from __future__ import annotations

import math
from typing import ClassVar

from gaussfit.distributions.base import Parameter, Support
from gaussfit.distributions.constraints import POSITIVE_INTEGER
from gaussfit.errors import ConfigError

TRIALS = Parameter("n", POSITIVE_INTEGER, "number of trials (given: --fix n=N)", given=True)


def how_to_give(family: str) -> str:
    """The one-line reason a binomial-type family cannot be fitted without its n."""
    return (
        f"{family}: the number of trials n is given, not estimated from the data; "
        "give it with --fix n=N (fixed={'n': N} in Python, fix: {n: N} in a batch file)"
    )


def check_trials(family: str, value: object) -> int:
    """``value`` as a whole number of trials >= 1, else ConfigError naming it."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{family}: n={value!r} is not a number of trials") from None
    if isinstance(value, bool) or not POSITIVE_INTEGER.contains(number):
        raise ConfigError(f"{family}: n={value!r} must be a whole number of trials >= 1")
    if number > 2.0**53:
        raise ConfigError(f"{family}: n={number:g} trials is beyond exact whole numbers")
    return int(number)


def bound_trials(family: str, own: int | None, fixed: dict[str, float]) -> int:
    """The number of trials from ``fixed`` or the family's own; ConfigError when neither
    gives one, or when the two disagree."""
    if "n" not in fixed:
        if own is None:
            raise ConfigError(how_to_give(family))
        return own
    given = check_trials(family, fixed["n"])
    if own is not None and own != given:
        raise ConfigError(f"{family}: n={given} in fixed, but the family was built with n={own}")
    return given


def upper_support(n: int | None) -> float:
    """The support's upper end: n when bound, unbounded before (any count may come)."""
    return math.inf if n is None else float(n)


class GivenTrials:
    """What a binomial-type family adds for its given n (put before ``Family`` in the bases):
    built with or without n, bound to it before a fit, its support ending at n."""

    name: ClassVar[str]

    def __init__(self, n: int | None = None) -> None:
        self.trials = None if n is None else check_trials(self.name, n)

    @property
    def support(self) -> Support:
        return Support(0.0, upper_support(self.trials), False, False, integer=True)

    def bind(self, fixed: dict[str, float]) -> GivenTrials:
        return type(self)(bound_trials(self.name, self.trials, fixed))

    def given_values(self) -> dict[str, float]:
        return {} if self.trials is None else {"n": float(self.trials)}

    def _n(self) -> int:
        if self.trials is None:
            raise ConfigError(how_to_give(self.name))
        return self.trials
