"""Censored and truncated observations held by Dask workers: only parameters and sums travel.

The bounds (and weights and entry times) are persisted on the workers once, as Dask arrays
chunked alike; NaN stands for an open side. One pass scans every partition (the checks of an
in-memory fit, the counts, a sample for the start); every evaluation after it maps one engine
evaluation of the generic censored likelihood over the partitions, on the workers that hold
them (each worker keeps the model it built, as ``worker_models`` does for exact data), and the
client adds the value, gradient or Hessian that come back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gaussfit.data.censored_reader import parse_marks
from gaussfit.data.observations import Observations
from gaussfit.data.text_format import parse_number
from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError, DataError
from gaussfit.fitting import censored
from gaussfit.fitting.censored_chunked import CensoredScan
from gaussfit.fitting.dask_data import _as_float_array, _default_client, connect, run_tasks
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.pass_model import Reducer
from gaussfit.fitting.worker_models import ModelSpec, worker_model


@dataclass
class DaskObservations:
    """Persisted Dask arrays of lower and upper bounds (NaN: an open side), optional weights
    and entry times, and the global truncation window."""

    lower: Any
    upper: Any
    weights: Any
    entry: Any
    truncation: tuple[float, float]
    client: Any
    name: str | None = None
    column: str | None = None
    owned: tuple[Any, ...] = ()
    passes: int = 0
    dropped: int = 0

    @classmethod
    def from_arrays(
        cls,
        lower: Any,
        upper: Any,
        weights: Any = None,
        entry: Any = None,
        truncation: tuple[float, float] = (-math.inf, math.inf),
        client: Any = None,
        **context: Any,
    ) -> DaskObservations:
        """Persist the arrays (chunked like ``lower``) on ``client``'s cluster (by default the
        current client's; without one, in this process for Dask's threaded scheduler)."""
        import dask

        low = _as_float_array(lower, "lower bounds")
        rest = [
            None if a is None else _as_float_array(a, what).rechunk(low.chunks)
            for a, what in ((upper, "upper bounds"), (weights, "weights"), (entry, "entry"))
        ]
        if rest[0] is None:
            raise ConfigError("upper bounds are needed")
        client = client if client is not None else _default_client()
        arrays = [low, *rest]
        present = [a for a in arrays if a is not None]
        if client is None:
            persisted = list(dask.persist(*present, scheduler="threads"))
        else:
            persisted = list(client.persist(present))
        it = iter(persisted)
        low, high, w, e = (None if a is None else next(it) for a in arrays)
        return cls(low, high, w, e, truncation, client, **context)

    @property
    def weighted(self) -> bool:
        return self.weights is not None

    def source(self) -> dict[str, Any]:
        return {"path": self.name, "column": self.column}

    def backend(self) -> dict[str, Any]:
        parts = len(self.lower.chunks[0])
        if self.client is None:
            return {"kind": "dask", "scheduler": "threads", "workers": 1, "partitions": parts}
        info = self.client.scheduler_info()
        return {
            "kind": "dask",
            "scheduler": info.get("address", ""),
            "workers": len(info.get("workers", {})),
            "partitions": parts,
        }

    def scan(self, family: Family) -> CensoredScan:
        import dask

        task = dask.delayed(_scan_piece)
        total = CensoredScan()
        for piece in self._run([task(family, *block) for block in self._blocks()]):
            total.merge(piece)
        return total

    def reducer(self, family: Family) -> Reducer:
        import dask

        def reduce(model: LikelihoodModel, what: str) -> Any:
            spec = ModelSpec.of(model)
            theta = model.get_free()
            task = dask.delayed(_evaluate_piece)
            parts = self._run([task(spec, theta, what, *block) for block in self._blocks()])
            if what == "hessian":
                return np.sum(np.asarray(parts, dtype=np.float64), axis=0)
            value = math.fsum(p[0] for p in parts)
            return value, np.sum(np.asarray([p[1] for p in parts], dtype=np.float64), axis=0)

        return reduce

    def supports(self, families: list[Family]) -> list[str]:
        """The names of the families whose support holds every finite bound (one pass)."""
        import dask

        task = dask.delayed(_supports_piece)
        verdicts = self._run([task(families, *block) for block in self._blocks()])
        return [f.name for i, f in enumerate(families) if all(v[i] for v in verdicts)]

    def close(self) -> None:
        for thing in self.owned:
            thing.close()

    def _blocks(self) -> list[tuple[Any, ...]]:
        """Per partition: its index, bounds, weights, entry times and the window."""

        def delayed(array: Any) -> list[Any]:
            parts = len(self.lower.chunks[0])
            return [None] * parts if array is None else list(array.to_delayed().ravel())

        where = f"{self.name or 'data'} (partition {{}})"
        return [
            (where.format(i + 1), lo, hi, w, e, self.truncation)
            for i, (lo, hi, w, e) in enumerate(
                zip(
                    *(delayed(a) for a in (self.lower, self.upper, self.weights, self.entry)),
                    strict=True,
                )
            )
        ]

    def _run(self, tasks: list[Any]) -> list[Any]:
        self.passes += 1
        return run_tasks(self.client, tasks, self.name)


def _observations(
    where: str, lower: Any, upper: Any, weights: Any, entry: Any, truncation: tuple
) -> Observations:
    """One partition's observations (NaN bounds open, NaN entry none)."""
    low = np.asarray(lower, dtype=np.float64)
    high = np.asarray(upper, dtype=np.float64)
    return Observations(
        np.where(np.isnan(low), -np.inf, low),
        np.where(np.isnan(high), np.inf, high),
        None if weights is None else np.asarray(weights, dtype=np.float64),
        truncation,
        None if entry is None else np.nan_to_num(np.asarray(entry, dtype=float), nan=-np.inf),
        where,
    )


def _scan_piece(family: Family, *block: Any) -> CensoredScan:
    scan = CensoredScan()
    scan.add(family, _observations(*block))
    return scan


def _supports_piece(families: list[Family], *block: Any) -> list[bool]:
    bounds = _observations(*block).finite_bounds()
    return [not np.any(f.support.violations(bounds)) for f in families]


def _evaluate_piece(spec: ModelSpec, theta: np.ndarray, what: str, *block: Any) -> Any:
    model = worker_model(spec)
    model.set_free(theta)
    model.set_terms(censored.prepare(spec.family, _observations(*block)))
    if what == "hessian":
        return model.hessian()
    return model.value_and_gradient()


def _marked_bounds(cells: Any, pattern: str, name: str, partition_info: Any = None) -> Any:
    """One partition's detection-limit cells as a frame of lower and upper bounds."""
    import pandas as pd

    part = "" if partition_info is None else f" (partition {partition_info['number'] + 1})"
    lower, upper = parse_marks(list(cells), f"{pattern}{part}", name)
    return pd.DataFrame({"lower": lower, "upper": upper}, index=cells.index)


def open_dask_observations(
    pattern: str,
    layout: Any,
    *,
    scheduler: str | None = None,
) -> DaskObservations:
    """Read the censoring columns of the files matching ``pattern`` on a cluster (the
    scheduler at ``scheduler``, or a new LocalCluster) and persist them there. Detection-limit
    marks (``<0.5``) are read as text and turned into bounds on the workers."""
    import dask.dataframe as dd

    client, owned = connect(scheduler)
    try:
        frame = dd.read_csv(pattern, blocksize="64MB", assume_missing=True)
        names = list(frame.columns)

        def column(choice: Any, role: str) -> Any:
            if choice is None:
                return None
            name = names[int(choice)] if str(choice).isdigit() and choice not in names else choice
            if name not in names:
                raise DataError(
                    f"{pattern}: unknown {role} {choice!r} (columns: {', '.join(names)})"
                )
            return frame[name]

        if layout.left is not None:
            lower, upper = (
                column(layout.left, "--left column"),
                column(layout.right, "--right column"),
            )
            label = f"{layout.left}/{layout.right}"
        elif layout.marks:
            name = str(
                column(layout.column if layout.column is not None else names[0], "column").name
            )
            text = dd.read_csv(pattern, blocksize="64MB", assume_missing=True, dtype={name: object})
            bounds = text[name].map_partitions(
                _marked_bounds, pattern, name, meta={"lower": "f8", "upper": "f8"}
            )
            lower, upper, label = bounds["lower"], bounds["upper"], name
        else:
            value = column(layout.column if layout.column is not None else names[0], "column")
            lower, upper = value, value
            label = str(value.name)
            if layout.event is not None:
                event = column(layout.event, "--event column")
                text = "0" if layout.event_censored is None else layout.event_censored.strip()
                number = parse_number(text)
                code = text if number is None else number  # a word codes a text column
                upper = value.where(event != code, np.nan)
        data = DaskObservations.from_arrays(
            lower,
            upper,
            column(layout.weights, "weights column"),
            column(layout.entry, "--truncate-left column"),
            layout.truncation,
            client,
            name=pattern,
            column=label,
        )
    except BaseException:
        for thing in owned:
            thing.close()
        raise
    data.owned = owned
    return data
