"""Censored and truncated observations: each one a range ``(lower, upper)`` with a weight.

An observation is exact when ``lower == upper``, left-censored when ``lower`` is -inf (only
"at most upper" is known: a value below a detection limit), right-censored when ``upper`` is
+inf ("more than lower": a lifetime still running when the study ended), and interval-censored
otherwise (a failure found between two inspections). The sample may be truncated: only values
inside ``[truncation[0], truncation[1]]`` could have been seen at all, and ``entry`` gives a
row its own lower truncation point (delayed entry: a unit watched only from time ``entry``).

For counts (discrete families) every bound is inclusive: ``[l, u]`` means ``l <= X <= u``, a
left-censored ``u`` means ``X <= u`` and a right-censored ``l`` means ``X >= l`` (a detection
limit belongs to the censored range); a truncation window ``[a, b]`` means ``a <= X <= b``.

This module knows nothing of families: whether a bound lies in a family's support is checked
where the fit is built. It checks what holds for any family, naming the file line when the
rows came from a file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gaussfit.errors import DataError

KINDS = ("exact", "left", "right", "interval")


@dataclass(frozen=True, eq=False)
class Observations:
    """Rows of ``(lower, upper, weight)`` with an optional truncation window.

    ``lower`` is -inf where the lower side is open, ``upper`` +inf where the upper side is
    open; ``weights`` are frequency weights (None: one each); ``truncation`` is the global
    window (either side infinite when open); ``entry`` (None, or one value per row, -inf for
    none) the per-row lower truncation point; ``lines`` the 1-based file line of each row,
    used to place errors; ``source`` and ``column`` say where the rows came from.
    """

    lower: np.ndarray
    upper: np.ndarray
    weights: np.ndarray | None = None
    truncation: tuple[float, float] = (-math.inf, math.inf)
    entry: np.ndarray | None = None
    source: str = "<data>"
    column: str = "x"
    lines: np.ndarray | None = None
    dropped: int = 0

    def __post_init__(self) -> None:
        lower = np.ascontiguousarray(self.lower, dtype=np.float64).ravel()
        upper = np.ascontiguousarray(self.upper, dtype=np.float64).ravel()
        if lower.shape != upper.shape:
            raise DataError(
                f"{self.source}: {lower.size} lower bounds for {upper.size} upper bounds"
            )
        if lower.size == 0:
            raise DataError(f"{self.source}: no observations (the file holds no rows)")
        for name, bound, allowed in (("lower", lower, -np.inf), ("upper", upper, np.inf)):
            bad = np.isnan(bound) | (np.isinf(bound) & (bound != allowed))
            if np.any(bad):
                raise DataError(
                    f"{self.where(int(np.argmax(bad)))}: {name} bound "
                    f"{bound[int(np.argmax(bad))]} is not a number or is infinite on the "
                    "wrong side"
                )
        both = np.isinf(lower) & np.isinf(upper)
        if np.any(both):
            raise DataError(
                f"{self.where(int(np.argmax(both)))}: both bounds are missing: the observation "
                "is censored on both sides and says nothing"
            )
        reversed_ = lower > upper
        if np.any(reversed_):
            i = int(np.argmax(reversed_))
            raise DataError(
                f"{self.where(i)}: lower bound {lower[i]:g} is greater than upper bound "
                f"{upper[i]:g}"
            )
        object.__setattr__(self, "lower", lower)
        object.__setattr__(self, "upper", upper)
        if self.weights is not None:
            weights = np.ascontiguousarray(self.weights, dtype=np.float64).ravel()
            if weights.shape != lower.shape:
                raise DataError(f"{self.source}: {weights.size} weights for {lower.size} rows")
            bad = ~np.isfinite(weights) | (weights < 0)
            if np.any(bad):
                raise DataError(
                    f"{self.where(int(np.argmax(bad)))}: weight "
                    f"{weights[int(np.argmax(bad))]} must be finite and >= 0"
                )
            if not np.sum(weights) > 0:
                raise DataError(f"{self.source}: all weights are zero")
            object.__setattr__(self, "weights", weights)
        low, high = (float(v) for v in self.truncation)
        if math.isnan(low) or math.isnan(high) or not low < high:
            raise DataError(f"truncation window [{low:g}, {high:g}] is empty")
        object.__setattr__(self, "truncation", (low, high))
        if self.entry is not None:
            entry = np.ascontiguousarray(self.entry, dtype=np.float64).ravel()
            if entry.shape != lower.shape:
                raise DataError(f"{self.source}: {entry.size} entry times for {lower.size} rows")
            bad = np.isnan(entry) | (entry == np.inf)
            if np.any(bad):
                raise DataError(
                    f"{self.where(int(np.argmax(bad)))}: entry time is not a finite number"
                )
            object.__setattr__(self, "entry", entry)

    # -- what the rows are ----------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.lower.size)

    def kinds(self) -> dict[str, np.ndarray]:
        """A boolean mask per kind: exact, left, right, interval."""
        exact = self.lower == self.upper
        left = np.isneginf(self.lower)
        right = np.isposinf(self.upper)
        return {
            "exact": exact,
            "left": left,
            "right": right,
            "interval": ~(exact | left | right),
        }

    def counts(self) -> dict[str, int]:
        """How many rows of each kind (rows, not weights)."""
        return {kind: int(np.count_nonzero(mask)) for kind, mask in self.kinds().items()}

    @property
    def truncated(self) -> bool:
        return bool(np.isfinite(self.truncation).any()) or self.entry is not None

    @property
    def censored(self) -> bool:
        return not bool(np.all(self.lower == self.upper))

    @property
    def plain(self) -> bool:
        """Every value exact and nothing truncated: an ordinary column of numbers."""
        return not self.censored and not self.truncated

    def windows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's truncation window (lower and upper ends)."""
        low = np.full(len(self), self.truncation[0])
        if self.entry is not None:
            low = np.maximum(low, self.entry)
        return low, np.full(len(self), self.truncation[1])

    def describe_truncation(self) -> dict[str, object] | None:
        """The truncation for reports: its ends (None when open) and whether rows have their
        own entry times; None when the sample is not truncated."""
        if not self.truncated:
            return None
        low, high = self.truncation
        return {
            "lower": low if math.isfinite(low) else None,
            "upper": high if math.isfinite(high) else None,
            "delayed_entry": self.entry is not None,
        }

    def where(self, index: int) -> str:
        """Where row ``index`` (0-based) came from: ``file:line`` or ``item k``."""
        if self.lines is not None and index < len(self.lines):
            return f"{self.source}:{int(self.lines[index])}"
        return f"{self.source}: item {index + 1}"

    def pseudo_values(self) -> np.ndarray:
        """One representative value per row, for a starting point (as fitdistrplus does):
        the value itself, the interval's middle, or the censoring bound."""
        out = np.where(np.isneginf(self.lower), self.upper, self.lower)
        interval = np.isfinite(self.lower) & np.isfinite(self.upper)
        out[interval] = 0.5 * (self.lower[interval] + self.upper[interval])
        return out

    def finite_bounds(self) -> np.ndarray:
        """Every finite bound (each exact value once): what a family's support must hold."""
        exact = self.lower == self.upper
        return np.concatenate(
            [self.lower[exact], self.lower[~exact & np.isfinite(self.lower)],
             self.upper[~exact & np.isfinite(self.upper)]]
        )  # fmt: skip

    def take(self, index: np.ndarray) -> Observations:
        """The rows at ``index`` (a bootstrap resample), with the same truncation."""
        return Observations(
            self.lower[index],
            self.upper[index],
            None if self.weights is None else self.weights[index],
            self.truncation,
            None if self.entry is None else self.entry[index],
            self.source,
            self.column,
        )
