"""A fit with a log directory leaves a graph and per-iteration series TensorBoard can read."""

from __future__ import annotations

import numpy as np
import pytest

from gaussfit.fitting import fit

LAB = np.array(
    [
        1.331,
        3.775,
        4.025,
        1.505,
        1.199,
        1.839,
        2.445,
        4.915,
        1.6,
        2.333,
        4.764,
        4.06,
        3.11,
        0.348,
        1.878,
        1.407,
        4.618,
        4.927,
        1.862,
        1.095,
    ]
)


def test_event_files_hold_the_graph_and_the_values_the_fit_produced(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    result = fit(
        LAB,
        "normal",
        optimizer="gd",
        lr=0.05,
        max_iter=30,
        tol=0,
        init={"mu": 1.0, "sigma": 1.0},
        evaluation="data",
        logdir=str(tmp_path),
    )
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")
    events = EventAccumulator(str(tmp_path))
    events.Reload()
    loglik = [e.value for e in events.Scalars("log_likelihood")]
    assert loglik == pytest.approx([s.loglik for s in result.trace], rel=1e-6)
    assert [e.step for e in events.Scalars("parameters/mu")] == list(range(1, 31))
    graph = events.Graph()
    names = {node.name: node for node in graph.node}
    assert names["log_likelihood/Sum"].op == "Sum"
    assert "parameters/mu/read" in {i.split(":")[0] for n in graph.node for i in n.input}
