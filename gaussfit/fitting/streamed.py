"""Data a fit can only pass over, never hold: what ``fit`` needs of a chunked file or Dask array.

An in-memory fit looks at its array whenever it likes. A streamed fit instead asks its data for
one scan (checks, counts, extremes, sufficient statistics, a sample; see ``scan``) and, for
families without statistics, a reducer that sums the model's evaluations over every piece
(see ``pass_model``). Both kinds of streamed data (``chunked.ChunkedData`` and
``dask_data.DaskData``) implement this protocol.
"""

from __future__ import annotations

from typing import Any, Protocol

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError
from gaussfit.fitting.pass_model import Reducer
from gaussfit.fitting.scan import Scan


class StreamedData(Protocol):
    weighted: bool
    passes: int
    """Passes over the data so far (the scan included)."""

    def source(self) -> dict[str, Any]:
        """Where the data come from, for the result's ``source``."""

    def backend(self) -> dict[str, Any]:
        """Where and how the sums were taken, for the result's ``settings``."""

    def scan(self, family: Family, with_statistics: bool) -> Scan:
        """One pass: see ``Scan``."""

    def reducer(self) -> Reducer:
        """Sum a model's evaluation over every piece of the data (one pass each call)."""

    def supports(self, families: list[Family]) -> list[str]:
        """The names of the families whose support holds every value (one pass)."""

    def close(self) -> None:
        """Let go of what the fit held (persisted partitions, cached models)."""


def as_streamed(data: Any, weights: Any = None) -> tuple[StreamedData | None, bool]:
    """``data`` (with ``weights``, for a Dask array) as streamed data (None when it is, or
    becomes, one array in memory), and whether it was made here, so that whoever made it
    closes it. A chunked file or prepared ``DaskData`` carries its weights already."""
    from gaussfit.data.chunked_csv import ChunkedCsv
    from gaussfit.fitting.chunked import ChunkedData
    from gaussfit.fitting.dask_data import DaskData

    if isinstance(data, (ChunkedData, DaskData, ChunkedCsv)) and weights is not None:
        raise ConfigError("the weights of a chunked file or DaskData come with it, not separately")
    if isinstance(data, (ChunkedData, DaskData)):
        return data, False
    if isinstance(data, ChunkedCsv):
        return ChunkedData(data), True
    if type(data).__module__.split(".")[0] == "dask":
        return DaskData.from_collection(data, weights), True
    return None, False
