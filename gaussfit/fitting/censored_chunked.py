"""Censored and truncated data read in chunks of rows: a file larger than memory.

The likelihood of censored data is still a sum over observations, so a chunked fit needs each
sum once per evaluation, as for exact data (``chunked``): one pass checks every row (with the
file line in each message), counts the kinds, learns which censored groups occur and keeps a
systematic sample for the starting point; every evaluation after it is one pass that feeds each
chunk's terms through the same graph and adds the results.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gaussfit.data.censored_reader import CensoredLayout, read_observations
from gaussfit.data.observations import KINDS, Observations
from gaussfit.distributions.base import Family
from gaussfit.fitting import censored
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.pass_model import Reducer

SAMPLE_SIZE = 100_000
"""At most this many representative values are kept for the starting point."""


@dataclass
class CensoredScan:
    """What a pass over the observations learned: counts by kind, the censored groups and
    whether exact values occur, the row count and total weight, a sample of representative
    values (every ``stride``-th row) and the truncation."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    groups: set[str] = field(default_factory=set)
    exact: bool = False
    rows: int = 0
    total_weight: float = 0.0
    stride: int = 1
    sample: list[np.ndarray] = field(default_factory=list)
    truncation: dict[str, Any] | None = None

    def add(self, family: Family, obs: Observations) -> censored.Terms:
        """Take in the next chunk (checked as ``prepare`` checks it); return its terms."""
        terms = censored.prepare(family, obs)
        for kind, count in obs.counts().items():
            self.counts[kind] += count
        self.groups.update(terms.groups)
        self.exact = self.exact or terms.x.size > 0
        self.total_weight += float(len(obs) if obs.weights is None else np.sum(obs.weights))
        first = -self.rows % self.stride
        self.sample.append(obs.pseudo_values()[first :: self.stride])
        self.rows += len(obs)
        self.truncation = obs.describe_truncation()
        if sum(len(s) for s in self.sample) > SAMPLE_SIZE:
            # the sample holds rows 0, s, 2s, ...: on the doubled stride, its even positions
            self.sample, self.stride = [np.concatenate(self.sample)[::2]], 2 * self.stride
        return terms

    def sample_values(self) -> np.ndarray:
        return np.concatenate(self.sample)

    def merge(self, other: CensoredScan) -> None:
        """Take in the scan of a later piece, scanned on its own (a Dask partition)."""
        for kind, count in other.counts.items():
            self.counts[kind] += count
        self.groups |= other.groups
        self.exact = self.exact or other.exact
        self.rows += other.rows
        self.total_weight += other.total_weight
        self.sample.append(other.sample_values()[:: max(1, self.stride // other.stride)])
        self.truncation = other.truncation
        while sum(len(s) for s in self.sample) > SAMPLE_SIZE:
            self.sample, self.stride = [np.concatenate(self.sample)[::2]], 2 * self.stride


class ChunkedObservations:
    """A delimited text file of censored observations, read ``rows`` rows at a time."""

    def __init__(
        self, path: str | os.PathLike[str], layout: CensoredLayout, rows: int, *, drop_missing=False
    ) -> None:
        self.path = os.fspath(path)
        self.layout = layout
        self.rows = rows
        self.drop_missing = drop_missing
        self.passes = 0
        self.dropped = 0
        self.column = ""
        self.weighted = layout.weights is not None

    def chunks(self) -> Iterator[Observations]:
        """One pass: the file's observations, chunk by chunk."""
        self.passes += 1
        for obs in read_observations(
            self.path, self.layout, self.rows, drop_missing=self.drop_missing
        ):
            self.dropped, self.column = obs.dropped, obs.column
            yield obs

    def scan(self, family: Family) -> CensoredScan:
        scan = CensoredScan()
        for obs in self.chunks():
            scan.add(family, obs)
        return scan

    def reducer(self, family: Family) -> Reducer:
        """Sum a model's value and gradient, or Hessian, over the chunks (one pass a call)."""

        def reduce(model: LikelihoodModel, what: str) -> Any:
            value, total = 0.0, None
            for obs in self.chunks():
                model.set_terms(censored.prepare(family, obs))
                if what == "hessian":
                    part = model.hessian()
                else:
                    piece, part = model.value_and_gradient()
                    value += piece
                total = part if total is None else total + part
            total = np.asarray(total, dtype=np.float64)
            return total if what == "hessian" else (value, total)

        return reduce

    def supports(self, families: list[Family]) -> list[str]:
        """The names of the families whose support holds every finite bound (one pass)."""
        ok = dict.fromkeys((f.name for f in families), True)
        for obs in self.chunks():
            bounds = obs.finite_bounds()
            for family in families:
                ok[family.name] = ok[family.name] and not np.any(family.support.violations(bounds))
        return [name for name, fits in ok.items() if fits]

    def source(self) -> dict[str, Any]:
        return {"path": self.path, "column": self.column}

    def backend(self) -> dict[str, Any]:
        return {"kind": "chunks", "chunk_rows": self.rows}
