"""What the whole suite shares, started once per session: one Dask cluster (two single-threaded
worker processes on loopback, each under a nanny that restarts it) and one directory of
compiled kernels, so that no test pays for a cluster start or a numba compilation another test
has already paid for.

The suite runs on every core (pytest-xdist, ``-n auto``): the tests that use the cluster are
grouped onto one worker, so only one cluster is started, and all workers share the kernels'
directory (numba writes its cache files atomically)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def kernel_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache of fused kernels for every test and every process a test starts (and none
    written into the user's own cache)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        path = tmp_path_factory.getbasetemp().parent / "kernels"
        path.mkdir(exist_ok=True)
    else:
        path = tmp_path_factory.mktemp("kernels")
    saved = os.environ.get("GAUSSFIT_CACHE_DIR")
    os.environ["GAUSSFIT_CACHE_DIR"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("GAUSSFIT_CACHE_DIR", None)
    else:
        os.environ["GAUSSFIT_CACHE_DIR"] = saved


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put every test that uses the cluster on one xdist worker (``--dist loadgroup``)."""
    for item in items:
        if "dask_client" in getattr(item, "fixturenames", ()) or "--dask" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("dask"))


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
