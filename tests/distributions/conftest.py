"""Every distribution test builds its ops in a graph of its own, so graphs never grow across
tests and names never collide."""

from __future__ import annotations

import pytest

import gaussfit.engine as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    graph = tf.Graph()
    with graph.as_default():
        yield graph
