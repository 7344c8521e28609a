"""The scale tests run on the suite's one Dask cluster (``tests/conftest.py``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(dask_client: object) -> object:
    """The shared cluster's client, with both workers up (a test may have killed one)."""
    dask_client.wait_for_workers(2, timeout=180)  # type: ignore[attr-defined]
    return dask_client
