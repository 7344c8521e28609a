"""gaussfit: fit probability distributions by maximum likelihood on a TF1-style graph engine.

``gaussfit.fit``, ``gaussfit.compare`` and ``gaussfit.load_data`` are the library's front
door; they are imported on first use, so that ``import gaussfit`` (and the command line's
``--help``) stays as cheap as importing click.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from gaussfit.errors import ConfigError, DataError, FitError, GaussfitError

__version__ = "0.1.0"

_LAZY = {
    "fit": "gaussfit.fitting",
    "compare": "gaussfit.fitting",
    "FitResult": "gaussfit.fitting",
    "CompareResult": "gaussfit.fitting",
    "load_data": "gaussfit.data",
    "Dataset": "gaussfit.data",
    "Observations": "gaussfit.data.observations",
    "get_family": "gaussfit.distributions",
    "FAMILIES": "gaussfit.distributions",
    "Family": "gaussfit.distributions",
    "Parameter": "gaussfit.distributions",
    "Support": "gaussfit.distributions",
}


def __dir__() -> list[str]:
    """The package's public names, the lazily imported ones included."""
    return sorted({*__all__, "__version__"})


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gaussfit' has no attribute '{name}'")
    return getattr(import_module(module), name)


__all__ = [
    "FAMILIES",
    "CompareResult",
    "ConfigError",
    "DataError",
    "Dataset",
    "Family",
    "FitError",
    "FitResult",
    "GaussfitError",
    "Parameter",
    "Support",
    "compare",
    "fit",
    "get_family",
    "load_data",
]
