"""summary.FileWriter and summary ops: real TensorBoard event files, read back with
tensorboard's own loader; DOT and JSON always."""

from __future__ import annotations

import glob
import json
import warnings

import numpy as np
import pytest

import gaussfit.engine as tf
from gaussfit.engine import summary


def build_lab_graph():
    t_x = tf.placeholder(tf.float64, name="X")
    t_mu = tf.Variable(1.0, dtype=tf.float64, name="mu")
    t_sigma = tf.Variable(1.0, dtype=tf.float64, name="sigma")
    sigma_2 = t_sigma**2.0
    log_p = tf.reduce_sum(
        -0.5 * tf.log(2.0 * np.pi * sigma_2) - (t_x - t_mu) ** 2.0 / (2.0 * sigma_2)
    )
    return t_x, t_mu, log_p


def test_event_files_hold_graph_nodes_edges_and_scalar_series(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader

    t_x, _, log_p = build_lab_graph()
    tf.summary.scalar("log_p", log_p)
    tf.summary.histogram("data", t_x)
    merged = tf.summary.merge_all()
    step = tf.train.GradientDescentOptimizer(0.05).minimize(-log_p)
    data = np.array([1.331, 3.775, 4.025, 1.505, 1.199])
    seen = []
    writer = tf.summary.FileWriter(str(tmp_path), tf.get_default_graph())
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for i in range(4):
            _, value, summ = session.run([step, log_p, merged], {t_x: data})
            seen.append(float(value))
            writer.add_summary(summ, i)
    writer.close()
    (path,) = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    events = list(EventFileLoader(path).Load())
    assert events[0].file_version == "brain.Event:2"
    from tensorboard.compat.proto import graph_pb2

    graphs = [e for e in events if e.WhichOneof("what") == "graph_def"]
    graph = graph_pb2.GraphDef.FromString(graphs[0].graph_def)
    nodes = {n.name: n for n in graph.node}
    assert nodes["X"].op == "Placeholder"
    assert nodes["mu/read"].op == "Identity" and list(nodes["mu/read"].input) == ["mu"]
    assert list(nodes["sub"].input) == ["X", "mu/read"]
    assert nodes["Sum"].op == "Sum"
    series = [(e.step, v) for e in events for v in e.summary.value if v.tag == "log_p"]
    assert [s for s, _ in series] == [0, 1, 2, 3]
    values = [
        float(tf_value.tensor.float_val[0])
        if tf_value.HasField("tensor")
        else tf_value.simple_value
        for _, tf_value in series
    ]
    assert values == pytest.approx(seen, rel=1e-6)
    assert any(v.tag == "data" for e in events for v in e.summary.value)
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")
    assert json.loads((tmp_path / "graph.json").read_text())["node"][0]["name"] == "X"


def test_without_tensorboard_dot_json_and_scalars_are_written_with_a_hint(tmp_path, monkeypatch):
    monkeypatch.setattr(summary, "_tensorboard_available", lambda: False)
    build_lab_graph()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer = tf.summary.FileWriter(str(tmp_path), tf.get_default_graph())
    assert any("gaussfit[tensorboard]" in str(w.message) for w in caught)
    assert not writer.writes_events
    writer.add_scalar("loss", 1.5, 3)
    writer.close()
    assert (tmp_path / "graph.dot").exists() and (tmp_path / "graph.json").exists()
    record = json.loads((tmp_path / "scalars.jsonl").read_text().splitlines()[0])
    assert record["tag"] == "loss" and record["value"] == 1.5 and record["step"] == 3


def test_merge_all_without_summaries_is_none_and_add_summary_checks_its_argument(tmp_path):
    build_lab_graph()
    assert tf.summary.merge_all() is None
    writer = tf.summary.FileWriter(str(tmp_path))
    with pytest.raises(TypeError):
        writer.add_summary(3.0, 1)
    writer.close()


def test_to_dot_draws_scopes_as_clusters():
    with tf.name_scope("outer"):
        a = tf.constant(1.0, name="a")
        b = a * 2.0
    text = tf.get_default_graph().to_dot()
    assert 'label="outer"' in text and "subgraph cluster_" in text
    assert f'"{a.op.name}" -> "{b.op.name}"' in text
