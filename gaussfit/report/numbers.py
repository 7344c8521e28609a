"""How numbers are written in tables: one place, so every table agrees."""

from __future__ import annotations

import math

MISSING = "—"


def num(value: float | None, digits: int = 6) -> str:
    """``digits`` significant digits; a dash for a missing or non-finite value."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.{digits}g}"


def fixed(value: float | None, decimals: int = 3) -> str:
    """``decimals`` places, the lab's ``log P(X) = -43.110`` style, for log-likelihoods."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.{decimals}f}"


def small(value: float | None) -> str:
    """A difference or p-value that may be tiny: two significant digits, exponent if needed."""
    if value is None or not math.isfinite(value):
        return MISSING
    if value == 0:
        return "0"
    return f"{value:.2g}" if 1e-3 <= abs(value) < 1e4 else f"{value:.1e}"


def interval(bounds: tuple[float, float] | list[float] | None, digits: int = 5) -> str:
    """``[low, high]``; an end that ran off to infinity shows as ``inf``, a missing one as —."""
    if bounds is None:
        return MISSING

    def end(value: float | None) -> str:
        if value is not None and math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return num(value, digits)

    low, high = bounds
    return f"[{end(low)}, {end(high)}]"


def assignments(params: dict[str, float], digits: int = 4) -> str:
    """``mu=2.652, sigma=1.441``: parameters on one line."""
    return ", ".join(f"{name}={num(value, digits)}" for name, value in params.items())


def count_of(count: int, noun: str, plural: str | None = None) -> str:
    """``1 row``, ``3 rows``, ``2 passes``: a count with its noun in the right number."""
    if count == 1:
        return f"1 {noun}"
    return f"{count:,} {plural or noun + ('es' if noun.endswith('s') else 's')}"
