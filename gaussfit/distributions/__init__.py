"""Distribution families: one module per family, one registry line each.

``get_family("gaussian")`` resolves names and aliases; ``FAMILIES`` lists the canonical names in
the order ``gaussfit dists`` shows them.
"""

from __future__ import annotations

import difflib

from gaussfit.distributions.base import Family, Parameter, Support
from gaussfit.distributions.normal import Normal
from gaussfit.errors import ConfigError

_REGISTRY: dict[str, type[Family]] = {
    "normal": Normal,
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

    ``options`` go to the family's constructor (e.g. ``k=3`` for a normal mixture).
    """
    key = str(name).strip().lower().replace("-", "_")
    lookup = _lookup()
    if key not in lookup:
        close = difflib.get_close_matches(key, list(lookup), n=1)
        hint = f" (did you mean {lookup[close[0]]}?)" if close else ""
        raise ConfigError(f"unknown family '{name}'{hint}; known: {', '.join(FAMILIES)}")
    return _REGISTRY[lookup[key]](**options)  # type: ignore[arg-type]


__all__ = ["FAMILIES", "Family", "Parameter", "Support", "get_family"]
