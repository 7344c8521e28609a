"""Engine tests start from an empty default graph, so op names are predictable."""

from __future__ import annotations

import pytest

import gaussfit.engine as tf


@pytest.fixture(autouse=True)
def fresh_default_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()
