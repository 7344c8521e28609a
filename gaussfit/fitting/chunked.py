"""Fit a file larger than memory by reading it in chunks, one pass per evaluation.

The engine evaluates the same graph on every chunk (the lab's lesson again: new data is only a
new feed) and the chunks' log-likelihoods, gradients and Hessians are added, so memory holds
one chunk and its intermediates, never the file. Families with sufficient statistics need a
single pass, the scan, and are then fitted on those few numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gaussfit.data.chunked_csv import ChunkedCsv
from gaussfit.distributions.base import Family
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.pass_model import Reducer
from gaussfit.fitting.scan import Scan


class ChunkedData:
    """A ``ChunkedCsv`` seen as streamed data."""

    def __init__(self, file: ChunkedCsv) -> None:
        self.file = file
        self.weighted = file.weighted
        self.passes = 0

    def source(self) -> dict[str, Any]:
        return {"path": self.file.name, "column": self.file.column}

    def backend(self) -> dict[str, Any]:
        return {"kind": "chunks", "chunk_rows": self.file.rows}

    def scan(self, family: Family, with_statistics: bool) -> Scan:
        scan = Scan()
        for x, w in self._chunks():
            scan.add(family, x, w, with_statistics)
        return scan

    def reducer(self) -> Reducer:
        return self._reduce

    def supports(self, families: list[Family]) -> list[str]:
        """The names of the families whose support holds every value (one pass)."""
        ok = dict.fromkeys((f.name for f in families), True)
        for x, _ in self._chunks():
            for family in families:
                ok[family.name] = ok[family.name] and not np.any(family.support.violations(x))
        return [name for name, fits in ok.items() if fits]

    def close(self) -> None:
        """Nothing is held between passes."""

    def _chunks(self) -> Any:
        self.passes += 1
        return self.file.chunks()

    def _reduce(self, model: LikelihoodModel, what: str) -> Any:
        value, total = 0.0, None
        for x, w in self._chunks():
            model.set_data(x, w)
            if what == "hessian":
                part = model.hessian()
            else:
                piece, part = model.value_and_gradient()
                value += piece
            total = part if total is None else total + part
        total = np.asarray(total, dtype=np.float64)
        return total if what == "hessian" else (value, total)
