"""What ``gaussfit dists`` says about a family, as plain data for the table and for JSON."""

from __future__ import annotations

import inspect
from typing import Any

from gaussfit.distributions.base import Family
from gaussfit.distributions.scipy_counterparts import scipy_counterpart

DOMAINS = {"real": "real", "positive": "> 0", "unit_interval": "(0, 1)"}
DOMAINS["positive_integer"] = "integer ≥ 1"


def family_record(family: Family) -> dict[str, Any]:
    """Name, aliases, parameters with domains, support and which references exist."""
    cls = type(family)
    return {
        "name": family.name,
        "title": family.title,
        "aliases": list(family.aliases),
        "parameters": [
            {
                "name": p.name,
                "domain": DOMAINS.get(p.constraint.name, p.constraint.name),
                "description": p.description,
                "given": p.given,  # not estimated: the user gives it (--fix n=20)
            }
            for p in family.parameters
        ],
        "support": family.describe_support(),
        "discrete": bool(family.discrete),
        "closed_form": _overrides(cls, "closed_form"),
        "scipy_reference": _overrides(cls, "scipy_fit"),
        "scipy": scipy_counterpart(family.name),
        "sufficient_statistics": _overrides(cls, "statistics"),
        "options": {
            name: p.default
            for name, p in inspect.signature(cls).parameters.items()
            if p.default is not inspect.Parameter.empty
        },
    }


def _overrides(cls: type[Family], method: str) -> bool:
    """Whether the family provides ``method`` itself rather than the base class's 'none'."""
    return getattr(cls, method) is not getattr(Family, method)
