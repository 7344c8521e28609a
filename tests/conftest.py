"""What the whole suite shares, started once per session: one Dask cluster (two single-threaded
worker processes on loopback, each under a nanny that restarts it) and one directory of
compiled kernels, so that no test pays for a cluster start or a numba compilation another test
has already paid for."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def kernel_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache of fused kernels for every test and every process a test starts (and none
    written into the user's own cache)."""
    path = tmp_path_factory.mktemp("kernels")
    saved = os.environ.get("GAUSSFIT_CACHE_DIR")
    os.environ["GAUSSFIT_CACHE_DIR"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("GAUSSFIT_CACHE_DIR", None)
    else:
        os.environ["GAUSSFIT_CACHE_DIR"] = saved


@pytest.fixture(scope="session")
def dask_client() -> Iterator[object]:
    """A client of the suite's one local Dask cluster."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=":0",
    ) as cluster, distributed.Client(cluster) as running:  # fmt: skip
        yield running
