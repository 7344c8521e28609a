"""Fit data held by Dask workers: the data stay put, only parameters and sums travel.

The data are persisted on the workers once. Every evaluation the optimiser asks for then maps
one engine evaluation over the persisted partitions, on the workers that hold them: each worker
process builds the family's graph once (``worker_models``) and feeds its partitions through it,
and the client adds the few numbers that come back (log-likelihood, gradient or Hessian). Per
iteration the network carries the free parameters out and those sums back, whatever n is.

Without a ``dask.distributed`` client the same tasks run on Dask's local scheduler.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from gaussfit.distributions.base import Family
from gaussfit.errors import ConfigError, DataError
from gaussfit.fitting import scan as scanning
from gaussfit.fitting.model import LikelihoodModel
from gaussfit.fitting.pass_model import Reducer
from gaussfit.fitting.scan import Scan, scan_piece
from gaussfit.fitting.worker_models import ModelSpec, evaluate_piece

INSTALL_HINT = "pip install 'gaussfit[dask]'"


@dataclass
class DaskData:
    """A 1-D Dask array of values (and optionally of weights, chunked alike), persisted.

    ``client`` is the ``dask.distributed`` client to run on, or None for Dask's local
    scheduler; ``owned`` lists what ``close`` shuts down (a client and cluster this object
    started for the command line).
    """

    values: Any
    weights: Any
    client: Any
    name: str | None = None
    column: str | None = None
    owned: tuple[Any, ...] = ()
    passes: int = 0
    _sent: tuple[LikelihoodModel, Any] | None = None

    @classmethod
    def from_collection(
        cls, data: Any, weights: Any = None, client: Any = None, **context: Any
    ) -> DaskData:
        """Persist a Dask array (or Series) of values on ``client``'s cluster (by default the
        current client's; without one, in this process for Dask's local scheduler)."""
        values = _as_float_array(data, "data")
        if weights is not None:
            weights = _as_float_array(weights, "weights").rechunk(values.chunks)
        client = client if client is not None else _default_client()
        values, weights = _persist(client, values, weights)
        return cls(values, weights, client, **context)

    @property
    def weighted(self) -> bool:
        return self.weights is not None

    def source(self) -> dict[str, Any]:
        return {"path": self.name, "column": self.column}

    def backend(self) -> dict[str, Any]:
        if self.client is None:
            threads = os.cpu_count() or 1
            return {
                "kind": "dask",
                "scheduler": "threads",
                "workers": threads,
                "partitions": self._parts,
            }
        info = self.client.scheduler_info()
        return {
            "kind": "dask",
            "scheduler": info.get("address", str(self.client.scheduler.address)),
            "workers": len(info.get("workers", {})),
            "partitions": self._parts,
        }

    @property
    def _parts(self) -> int:
        return len(self.values.chunks[0])

    def scan(self, family: Family, with_statistics: bool) -> Scan:
        import dask

        sizes = [int(size) for size in self.values.chunks[0]]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
        stride = _sample_stride(sum(sizes))
        task = dask.delayed(scan_piece)
        pieces = [
            task(family, x, w, int(offset), with_statistics, stride)
            for x, w, offset in zip(self._blocks(), self._weight_blocks(), offsets, strict=True)
        ]
        total = Scan()
        for piece in self._run(pieces):
            total.merge(piece)
        return total

    def reducer(self) -> Reducer:
        return self._reduce

    def supports(self, families: list[Family]) -> list[str]:
        """The names of the families whose support holds every value (one pass)."""
        import dask

        task = dask.delayed(_supported)
        verdicts = self._run([task(families, x) for x in self._blocks()])
        return [f.name for i, f in enumerate(families) if all(v[i] for v in verdicts)]

    def close(self) -> None:
        """Shut down the client and cluster this object started, if any."""
        self._sent = None
        for thing in self.owned:
            thing.close()

    # -- running --------------------------------------------------------------------------
    def _blocks(self) -> list[Any]:
        return list(self.values.to_delayed().ravel())

    def _weight_blocks(self) -> list[Any]:
        if self.weights is None:
            return [None] * self._parts
        return list(self.weights.to_delayed().ravel())

    def _run(self, tasks: list[Any]) -> list[Any]:
        """Compute ``tasks`` on the workers (one pass over the data), in partition order."""
        self.passes += 1
        return run_tasks(self.client, tasks, self.name)

    def _reduce(self, model: LikelihoodModel, what: str) -> Any:
        import dask

        spec = self._spec(model)
        theta = model.get_free()
        task = dask.delayed(evaluate_piece)
        parts = self._run(
            [
                task(spec, theta, what, x, w)
                for x, w in zip(self._blocks(), self._weight_blocks(), strict=True)
            ]
        )
        if what == "hessian":
            return np.sum(np.asarray(parts, dtype=np.float64), axis=0)
        value = math.fsum(p[0] for p in parts)
        return value, np.sum(np.asarray([p[1] for p in parts], dtype=np.float64), axis=0)

    def _spec(self, model: LikelihoodModel) -> Any:
        """The model's spec, sent to every worker once per fit rather than every iteration."""
        if self._sent is None or self._sent[0] is not model:
            spec: Any = ModelSpec.of(model)
            if self.client is not None:
                spec = self.client.scatter(spec, broadcast=True, hash=False)
            self._sent = (model, spec)
        return self._sent[1]


def open_dask_data(
    pattern: str,
    column: str | int | None = None,
    *,
    weights: str | int | None = None,
    scheduler: str | None = None,
) -> DaskData:
    """Connect to the scheduler at ``scheduler`` (or start a LocalCluster of worker processes on
    this machine), read the files matching ``pattern`` there, and persist the column."""
    from gaussfit.data.dask_reader import read_dask_columns

    client, owned = connect(scheduler)
    try:
        try:
            values, weight_values, label = read_dask_columns(pattern, column, weights)
            data = DaskData.from_collection(
                values, weight_values, client, name=pattern, column=label
            )
        except (ValueError, TypeError) as exc:
            # The C parser on a worker: no line number, but the file set and its complaint.
            raise DataError(f"{pattern}: cannot read the data ({exc})") from None
    except BaseException:
        for thing in owned:
            thing.close()
        raise
    data.owned = owned
    return data


def connect(scheduler: str | None, workers: int | None = None) -> tuple[Any, tuple[Any, ...]]:
    """A client of the scheduler at ``scheduler``, or of a new LocalCluster of ``workers``
    processes (by default Dask's choice for this machine); and what the caller must close
    when done (the client, and the cluster it started)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError(
            f"--dask needs dask.distributed; install it with {INSTALL_HINT}"
        ) from None
    if scheduler is None:
        # Workers' own logs stay quiet: a failure reaches the user as gaussfit's one-line error.
        cluster = LocalCluster(
            n_workers=workers,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        )
        client = Client(cluster)
        return client, (client, cluster)
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, ValueError, TypeError) as exc:  # unreachable, or an address Dask rejects
        raise ConfigError(f"--dask: cannot reach the scheduler at {scheduler} ({exc})") from None
    return client, (client,)


def _supported(families: list[Family], x: np.ndarray) -> list[bool]:
    return [not np.any(f.support.violations(np.asarray(x, dtype=np.float64))) for f in families]


def _sample_stride(n: int) -> int:
    """The stride the sequential scan would end with for ``n`` values (see ``Scan``)."""
    stride = 1
    while -(-n // stride) > scanning.SAMPLE_SIZE:
        stride *= 2
    return stride


def _as_float_array(data: Any, what: str) -> Any:
    import dask.array as da

    if hasattr(data, "to_dask_array"):
        data = data.to_dask_array(lengths=True)
    if not isinstance(data, da.Array):
        raise ConfigError(f"{what}: expected a Dask array or Series, not {type(data).__name__}")
    if data.ndim != 1:
        data = data.ravel()
    return data.astype(np.float64)


def _default_client() -> Any:
    """The current ``dask.distributed`` client, or None to use Dask's local scheduler."""
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:
        return None


def _persist(client: Any, values: Any, weights: Any) -> tuple[Any, Any]:
    """Load the data onto the workers once and learn the partition lengths."""
    import dask

    if client is None:
        values, weights = dask.persist(values, weights, scheduler="threads")
    else:
        values, weights = (
            client.persist([values, weights])
            if weights is not None
            else (
                client.persist(values),
                None,
            )
        )
    if any(math.isnan(size) for size in values.chunks[0]):
        values = values.compute_chunk_sizes()
        if weights is not None:
            weights = weights.rechunk(values.chunks)
    return values, weights


def run_tasks(client: Any, tasks: list[Any], name: str | None) -> list[Any]:
    """Compute ``tasks`` on ``client``'s workers (or Dask's threads without one), in order; a
    cell the workers' CSV parser could not read becomes a DataError naming the data."""
    import dask

    try:
        if client is None:
            return list(dask.compute(*tasks, scheduler="threads"))
        return list(client.gather(client.compute(tasks)))
    except (DataError, ConfigError):
        raise
    except (ValueError, TypeError) as exc:
        raise DataError(f"{name or 'data'}: cannot read the data ({exc})") from None
