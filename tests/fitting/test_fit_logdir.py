"""A fit with a log directory leaves a graph and per-iteration series TensorBoard can read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gaussfit.fitting import fit

# The 20 values the lab printed, as bundled (data/seed_lab.csv).
LAB = np.loadtxt(Path(__file__).resolve().parents[2] / "data" / "seed_lab.csv", skiprows=1)


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
