"""Conversion of graphs and summaries to TensorBoard's protocol buffers.

Imported only by ``summary.FileWriter`` when the ``tensorboard`` package is installed; it uses
that package's own message classes (``tensorboard.compat.proto``), so the files are exactly what
TensorBoard reads.
"""

from __future__ import annotations

import time

import numpy as np
from tensorboard.compat.proto import (
    attr_value_pb2,
    event_pb2,
    graph_pb2,
    node_def_pb2,
    summary_pb2,
    tensor_shape_pb2,
    types_pb2,
)

from gaussfit.engine.export import as_graph_def
from gaussfit.engine.graph import Graph

_TYPES = {
    "float64": types_pb2.DT_DOUBLE,
    "float32": types_pb2.DT_FLOAT,
    "int32": types_pb2.DT_INT32,
    "int64": types_pb2.DT_INT64,
    "bool": types_pb2.DT_BOOL,
    "string": types_pb2.DT_STRING,
}


def new_event(step: int | None = None) -> event_pb2.Event:
    event = event_pb2.Event(wall_time=time.time())
    if step is not None:
        event.step = int(step)
    return event


def _shape_proto(shape: list | None) -> tensor_shape_pb2.TensorShapeProto:
    if shape is None:
        return tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
    return tensor_shape_pb2.TensorShapeProto(
        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else int(d)) for d in shape]
    )


def graph_def_proto(graph: Graph) -> graph_pb2.GraphDef:
    """The graph as a GraphDef: names (scopes become TensorBoard groups), op types, inputs,
    dtypes and output shapes."""
    nodes = []
    for node in as_graph_def(graph)["node"]:
        attrs = {}
        if "dtype" in node:
            kind = _TYPES[node["dtype"]]
            attrs["T" if node["op"] not in ("Const", "Placeholder", "VariableV2") else "dtype"] = (
                attr_value_pb2.AttrValue(type=kind)
            )
            attrs["_output_shapes"] = attr_value_pb2.AttrValue(
                list=attr_value_pb2.AttrValue.ListValue(shape=[_shape_proto(node["shape"])])
            )
        nodes.append(
            node_def_pb2.NodeDef(name=node["name"], op=node["op"], input=node["input"], attr=attrs)
        )
    return graph_pb2.GraphDef(node=nodes)


def summary_proto(summary) -> summary_pb2.Summary:
    values = [
        summary_pb2.Summary.Value(tag=tag, simple_value=value) for tag, value in summary.scalars
    ]
    for tag, data in summary.histograms:
        values.append(summary_pb2.Summary.Value(tag=tag, histo=_histogram(data)))
    return summary_pb2.Summary(value=values)


def _histogram(data: np.ndarray) -> summary_pb2.HistogramProto:
    finite = data[np.isfinite(data)]
    if finite.size == 0:
        return summary_pb2.HistogramProto()
    counts, edges = np.histogram(finite, bins=30)
    return summary_pb2.HistogramProto(
        min=float(np.min(finite)),
        max=float(np.max(finite)),
        num=float(finite.size),
        sum=float(np.sum(finite)),
        sum_squares=float(np.sum(np.square(finite))),
        bucket_limit=[float(e) for e in edges[1:]],
        bucket=[float(c) for c in counts],
    )
