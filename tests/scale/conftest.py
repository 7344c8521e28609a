"""A Dask cluster for the scale tests: two single-threaded worker processes on loopback (each
under a nanny that restarts it), one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=":0",
    ) as cluster, distributed.Client(cluster) as running:  # fmt: skip
        yield running
