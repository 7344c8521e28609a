"""Distribution families: one module per family, one registry line each.

``get_family("gaussian")`` resolves names and aliases; ``FAMILIES`` lists the canonical names in
the order ``gaussfit dists`` shows them.
"""

from __future__ import annotations

import difflib
import functools
import inspect

from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.beta import Beta
from gaussfit.distributions.betabinomial import BetaBinomial
from gaussfit.distributions.binomial import Binomial
from gaussfit.distributions.burr12 import Burr12
from gaussfit.distributions.cauchy import Cauchy
from gaussfit.distributions.chi_square import ChiSquare
from gaussfit.distributions.exponential import Exponential
from gaussfit.distributions.frechet import Frechet
from gaussfit.distributions.gamma import Gamma
from gaussfit.distributions.gamma3 import Gamma3
from gaussfit.distributions.genpareto import GeneralizedPareto
from gaussfit.distributions.geometric import Geometric
from gaussfit.distributions.gev import GEV
from gaussfit.distributions.gumbel import Gumbel
from gaussfit.distributions.gumbel_min import GumbelMin
from gaussfit.distributions.halfnormal import HalfNormal
from gaussfit.distributions.inverse_gamma import InverseGamma
from gaussfit.distributions.inverse_gaussian import InverseGaussian
from gaussfit.distributions.kumaraswamy import Kumaraswamy
from gaussfit.distributions.laplace import Laplace
from gaussfit.distributions.log_gamma import LogGamma
from gaussfit.distributions.logistic import Logistic
from gaussfit.distributions.loglogistic import LogLogistic
from gaussfit.distributions.lognormal import LogNormal
from gaussfit.distributions.lognormal3 import LogNormal3
from gaussfit.distributions.logser import LogSeries
from gaussfit.distributions.lomax import Lomax
from gaussfit.distributions.maxwell import Maxwell
from gaussfit.distributions.mixture import Mixture
from gaussfit.distributions.nakagami import Nakagami
from gaussfit.distributions.negative_binomial import NegativeBinomial
from gaussfit.distributions.normal import Normal
from gaussfit.distributions.normal_mixture import NormalMixture
from gaussfit.distributions.pareto import Pareto
from gaussfit.distributions.poisson import Poisson
from gaussfit.distributions.rayleigh import Rayleigh
from gaussfit.distributions.skew_normal import SkewNormal
from gaussfit.distributions.student_t import StudentT
from gaussfit.distributions.triangular import Triangular
from gaussfit.distributions.uniform import Uniform
from gaussfit.distributions.weibull import Weibull
from gaussfit.distributions.weibull3 import Weibull3
from gaussfit.distributions.zinb import ZeroInflatedNegativeBinomial
from gaussfit.distributions.zip_poisson import ZeroInflatedPoisson
from gaussfit.errors import ConfigError

_REGISTRY: dict[str, type[Family]] = {
    "normal": Normal,
    "lognormal": LogNormal,
    "exponential": Exponential,
    "gamma": Gamma,
    "weibull": Weibull,
    "student_t": StudentT,
    "laplace": Laplace,
    "logistic": Logistic,
    "cauchy": Cauchy,
    "gumbel": Gumbel,
    "beta": Beta,
    "poisson": Poisson,
    "negative_binomial": NegativeBinomial,
    "normal_mixture": NormalMixture,
    "gev": GEV,
    "genpareto": GeneralizedPareto,
    "lomax": Lomax,
    "frechet": Frechet,
    "burr12": Burr12,
    "loglogistic": LogLogistic,
    "rayleigh": Rayleigh,
    "gumbel_min": GumbelMin,
    "kumaraswamy": Kumaraswamy,
    "halfnormal": HalfNormal,
    "maxwell": Maxwell,
    "chi2": ChiSquare,
    "invgamma": InverseGamma,
    "nakagami": Nakagami,
    "invgauss": InverseGaussian,
    "geometric": Geometric,
    "skewnormal": SkewNormal,
    "loggamma": LogGamma,
    "pareto": Pareto,
    "uniform": Uniform,
    "lognormal3": LogNormal3,
    "weibull3": Weibull3,
    "gamma3": Gamma3,
    "triangular": Triangular,
    "binomial": Binomial,
    "zip": ZeroInflatedPoisson,
    "zinb": ZeroInflatedNegativeBinomial,
    "betabinom": BetaBinomial,
    "logser": LogSeries,
}


def _lookup() -> dict[str, str]:
    names = {}
    for name, cls in _REGISTRY.items():
        names[name] = name
        for alias in cls.aliases:
            names[alias] = name
    return names


FAMILIES: tuple[str, ...] = tuple(_REGISTRY)


def get_family(name: str, **options: object) -> Family:
    """The family called ``name`` (or an alias); ConfigError with a suggestion otherwise.

    ``options`` go to the family's constructor (e.g. ``k=3`` for a normal mixture). Two names
    joined by ``+`` (``gamma+gamma``) are the mixture of those two families.
    """
    if "+" in str(name):
        return _mixture(str(name), options)
    key = str(name).strip().lower().replace("-", "_")
    lookup = _lookup()
    if key not in lookup:
        close = difflib.get_close_matches(key, list(lookup), n=1)
        hint = f" (did you mean {lookup[close[0]]}?)" if close else ""
        raise ConfigError(f"unknown family '{name}'{hint}; known: {', '.join(FAMILIES)}")
    cls = _REGISTRY[lookup[key]]
    try:
        if options:  # (no options: every family has defaults)
            _signature(cls).bind(**options)
    except TypeError as error:  # an option this family does not take, e.g. k for gamma
        raise ConfigError(f"family {cls.name}: {error}") from None
    return cls(**options)  # type: ignore[arg-type]


@functools.cache
def _signature(cls: type) -> inspect.Signature:
    """A family class's signature, read once: ``inspect.signature`` of a class costs a
    millisecond on a busy machine, and ``compare`` asks for every family many times."""
    return inspect.signature(cls)


def _mixture(name: str, options: dict[str, object]) -> Family:
    """``first+second`` as a Mixture of the two families (no options: each takes its own)."""
    pieces = [piece.strip() for piece in name.split("+")]
    if len(pieces) != 2 or not all(pieces):
        raise ConfigError(f"mixture '{name}': write two families joined by +, e.g. gamma+gamma")
    if options:
        raise ConfigError(f"mixture {name}: takes no options ({', '.join(options)})")
    return Mixture(get_family(pieces[0]), get_family(pieces[1]))


__all__ = ["FAMILIES", "Family", "Mixture", "Parameter", "Support", "get_family"]
