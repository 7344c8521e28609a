"""One pass over data that does not sit in memory as one array: checks, counts and a sample.

A chunked or distributed fit sees its data piece by piece, in order, so everything ``fit`` learns
from the whole array up front is gathered here instead: support and finiteness checks (with the
same messages, the item counted from the start of the data), the count and total weight, the
extremes, the family's sufficient statistics, and a systematic sample for the starting point and
the goodness-of-fit tests. Partial scans of consecutive pieces merge, so workers can scan their
own partitions and the client combines them in order.

The sample keeps every ``stride``-th value (counted over the whole data, ``stride`` a power of
two that doubles whenever the sample outgrows ``SAMPLE_SIZE``). Data that fit in the sample are
kept whole and in order, so starts and tests are then exactly those of an in-memory fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import DataError
from gaussfit.fitting.statistics_merge import merge_statistics

SAMPLE_SIZE = 100_000
"""At most this many values are kept for the starting point and the goodness-of-fit tests."""


@dataclass
class Scan:
    """What one pass learned about the values from item ``offset`` on (0-based, global)."""

    offset: int = 0
    count: int = 0
    total_weight: float = 0.0
    low: float = np.inf
    high: float = -np.inf
    stride: int = 1
    sample_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sample_x: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sample_w: np.ndarray | None = None
    statistics: dict[str, float] | None = None
    errors: tuple[str | None, str | None, str | None] = (None, None, None)

    @property
    def complete(self) -> bool:
        """Whether the sample holds every value (so it *is* the data)."""
        return self.stride == 1

    def add(
        self, family: Family, x: np.ndarray, w: np.ndarray | None, with_statistics: bool
    ) -> None:
        """Take in the next piece (values ``x``, weights ``w``); its first errors are kept."""
        if len(x) == 0:
            return
        start = self.offset + self.count
        with np.errstate(all="ignore"):  # a bad piece is reported by raise_error, not warned
            statistics = family.statistics(x, w) if with_statistics else None
        first = -start % self.stride  # the piece's first item on the current stride
        piece = Scan(
            offset=start,
            count=len(x),
            total_weight=float(len(x) if w is None else np.sum(w)),
            low=float(np.min(x)),
            high=float(np.max(x)),
            stride=self.stride,
            sample_index=np.arange(start + first, start + len(x), self.stride, dtype=np.int64),
            sample_x=np.array(x[first :: self.stride], dtype=np.float64),
            sample_w=None if w is None else np.array(w[first :: self.stride], dtype=np.float64),
            statistics=statistics,
            errors=_piece_errors(family, x, w, start),
        )
        piece._thin(self.stride)
        self.merge(piece)

    def merge(self, later: Scan) -> None:
        """Append the scan of the values that follow this one's."""
        if later.count == 0:
            return
        if self.count == 0:
            self.__dict__.update({**later.__dict__, "offset": self.offset})
            return
        self.count += later.count
        self.errors = tuple(  # type: ignore[assignment]
            mine if mine is not None else theirs
            for mine, theirs in zip(self.errors, later.errors, strict=True)
        )
        self.total_weight += later.total_weight
        self.low = min(self.low, later.low)
        self.high = max(self.high, later.high)
        if self.statistics is not None and later.statistics is not None:
            self.statistics = merge_statistics(self.statistics, later.statistics)
        self.sample_index = np.concatenate([self.sample_index, later.sample_index])
        self.sample_x = np.concatenate([self.sample_x, later.sample_x])
        if self.sample_w is not None and later.sample_w is not None:
            self.sample_w = np.concatenate([self.sample_w, later.sample_w])
        self._thin(max(self.stride, later.stride))

    def _thin(self, stride: int) -> None:
        """Keep only items whose global index is a multiple of ``stride`` (doubled as needed)."""
        while np.count_nonzero(self.sample_index % stride == 0) > SAMPLE_SIZE:
            stride *= 2
        if stride > 1:
            keep = self.sample_index % stride == 0
            self.sample_index = self.sample_index[keep]
            self.sample_x = self.sample_x[keep]
            if self.sample_w is not None:
                self.sample_w = self.sample_w[keep]
        self.stride = stride

    def raise_error(self) -> None:
        """Raise the error an in-memory fit would: a bad value, else a bad weight, else the
        first value outside the family's support."""
        for message in self.errors:
            if message is not None:
                raise DataError(message)
        if self.sample_w is not None and not self.total_weight > 0:
            raise DataError("weights: all weights are zero")


def scan_piece(
    family: Family,
    x: np.ndarray,
    w: np.ndarray | None,
    offset: int,
    with_statistics: bool,
    stride: int = 1,
) -> Scan:
    """The scan of one piece that starts at global item ``offset`` (a worker's partition),
    its sample already thinned to ``stride`` so that little travels back to the client."""
    scan = Scan(offset=offset, stride=stride)
    scan.add(family, np.asarray(x, dtype=np.float64), w, with_statistics)
    return scan


def _piece_errors(
    family: Family, x: np.ndarray, w: np.ndarray | None, start: int
) -> tuple[str | None, str | None, str | None]:
    """The messages ``fit`` gives for the piece's first non-finite value, bad weight and value
    outside the support, items numbered from the start of the data."""
    value_error = weight_error = support_error = None
    finite = np.isfinite(x)
    if not np.all(finite):
        index = int(np.argmin(finite))
        value_error = f"value {x[index]} (item {start + index + 1}) is not a finite number"
    if w is not None:
        bad = ~np.isfinite(w) | (w < 0)
        if np.any(bad):
            index = int(np.argmax(bad))
            weight_error = (
                f"weights: weight {w[index]} (item {start + index + 1}) must be finite and >= 0"
            )
    outside = family.support.violations(x)
    if np.any(outside):
        index = int(np.argmax(outside))
        support_error = (
            f"value {x[index]:g} (item {start + index + 1}) is outside the support of "
            f"{family.name} ({family.support.describe()})"
        )
    return value_error, weight_error, support_error
